"""Generators of hostile and unlucky inputs (issue #19): each returns the bytes of one file that
has broken, hung or exhausted a reader before. Shared by the fuzz and abuse tests
(tests/test_fuzz_*.py) and the abuse benchmark (bench/bench_abuse.py).

``CASES`` names each input with its file suffix and a generator; ``size`` scales the inputs that
have a size (``"small"`` for the default test run, ``"full"`` for the slow run and the benchmark,
the sizes the issue reports).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / ".." / "shared" / "seeds" / "000_28fcffc144f7be8d.txt"


# -- PDF ------------------------------------------------------------------------------------------
def pdf(pages: list[tuple[float, float, str]]) -> bytes:
    """A PDF of pages (width, height in points, kind): kind ``text`` prints a line of text,
    ``image`` paints a small grey image over the page (a scan: no text layer)."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    img_data = bytes((x * 7 + y * 13) % 256 for y in range(16) for x in range(16))
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(img_data) + img_data + b"\nendstream"
    )
    pages_id = len(objs) + 1 + 2 * len(pages)  # the Pages object comes after every page
    kids = []
    for w, h, kind in pages:
        if kind == "text":
            content = b"BT /F1 12 Tf 72 %d Td (2023 budget total 100.00) Tj ET" % int(min(h, 1e9) - 72)
        else:
            content = b"q %s 0 0 %s 0 0 cm /Im1 Do Q" % (repr(float(w)).encode(), repr(float(h)).encode())
        c = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_id, repr(float(w)).encode(), repr(float(h)).encode(), c, font, image)
            )
        )
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


def huge_mediabox_pdf(size: str = "small") -> bytes:
    """A text page of 1e7 x 1e7 points (report crops once rendered it: MemoryError)."""
    return pdf([(1e7, 1e7, "text"), (595, 842, "text")])


def huge_scan_pdf(size: str = "small") -> bytes:
    """A scanned page of 200,000 x 200,000 points (OCR once rendered it: MemoryError)."""
    return pdf([(200_000, 200_000, "image")])


def big_scan_pdf(size: str = "small") -> bytes:
    """A scanned page of 14,400 points square, the largest PDF allows (once 49 s, 6.1 GB)."""
    return pdf([(14_400, 14_400, "image")])


def scan_at_budget_pdf(size: str = "small") -> bytes:
    """A scanned page just inside the page-area budget (2,300 x 3,300 pt, about 15 A4 pages):
    rendered and read by OCR, within the pixel budget."""
    return pdf([(2300, 3300, "image")])


def many_pages_pdf(size: str = "small") -> bytes:
    """Far more pages than any disclosure (5,000 in the full run)."""
    return pdf([(595, 842, "text")] * (1500 if size == "small" else 5000))


def truncated_pdf(size: str = "small") -> bytes:
    return pdf([(595, 842, "text")] * 3)[:400]


def garbage_pdf(size: str = "small") -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 40


def encrypted_pdf(size: str = "small") -> bytes:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf([(595, 842, "text")])))
    writer = pypdf.PdfWriter()
    for p in reader.pages:
        writer.add_page(p)
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# -- web pages ------------------------------------------------------------------------------------
def _table() -> str:
    rows = "".join(f"<tr><td>{2010100 + i}</td><td>项目{i}</td><td>{i * 10}.00</td></tr>" for i in range(4))
    return "<table><tr><th>科目编码</th><th>科目名称</th><th>决算数</th></tr>" + rows + "</table>"


def deep_html(depth: int) -> bytes:
    """A page whose content sits inside ``depth`` nested <div>s."""
    body = "<h1>某部门2023年度部门决算</h1><p>本部门2023年度决算收入合计100.00万元。</p>" + _table()
    return ("<html><body>" + "<div>" * depth + body + "</div>" * depth + "</body></html>").encode()


def deep_html_300(size: str = "small") -> bytes:
    return deep_html(300)


def very_deep_html(size: str = "small") -> bytes:
    return deep_html(5000)


def unclosed_style_html(size: str = "small") -> bytes:
    """A long unclosed <style> rule (the stylesheet pattern was quadratic: 160 KB > 120 s)."""
    n = 200_000 if size == "small" else 1_000_000
    css = ".a{display:flex} " + "b" * n + "{color:red"
    return f"<html><head><style>{css}</style></head><body><p>决算</p>{_table()}</body></html>".encode()


def wide_html(size: str = "small") -> bytes:
    """A table of absurd spans."""
    return f'<html><body><p>决算</p><table><tr><td colspan="99999" rowspan="99999">x</td><td>1</td></tr>{_table()[7:-8]}</table></body></html>'.encode()


# -- text -----------------------------------------------------------------------------------------
def million_lines_txt(size: str = "small") -> bytes:
    """A million lines (once 2.7 GB)."""
    return b"2023\t1\t2\n" * (300_000 if size == "small" else 1_000_000)


def lines_at_budget_txt(size: str = "small") -> bytes:
    """Just under the line budget (95,000 table lines): read in full."""
    return b"2023\t1\t2\n" * 95_000


def long_line_txt(size: str = "small") -> bytes:
    """One line of several megabytes of digits and separators (the narrative's number patterns)."""
    n = 1_000_000 if size == "small" else 5_000_000
    return ("决算收入" + "1,2" * (n // 3) + "万元。").encode()


def blank_lines_txt(size: str = "small") -> bytes:
    """Blank lines with spaces, under the line budget: a multi-line ``^\\s*`` pattern once rescanned
    them all from every line (150,000 lines took over 120 s)."""
    return b"x\n" + b" \n" * (60_000 if size == "small" else 95_000) + b"x"


def damaged_seed_txt(size: str = "small") -> bytes:
    """A real 决算 text with one undecodable byte in the middle (refused whole before)."""
    data = SEED.read_bytes() if SEED.is_file() else "某部门2023年度部门决算\n收入合计100.00万元\n".encode() * 50
    i = len(data) // 2
    return data[:i] + b"\xff" + data[i + 1 :]


def binary_txt(size: str = "small") -> bytes:
    return bytes(range(1, 256)) * 400


# -- Office ---------------------------------------------------------------------------------------
def big_sheet_xlsx(size: str = "small") -> bytes:
    """A sheet of many rows (300,000 once took 1.5 GB), written as raw sheet XML (fast)."""
    n = 60_000 if size == "small" else 300_000
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>{i * 2}</v></c></row>' for i in range(1, n + 1))
    return _xlsx(rows)


def sheet_at_budget_xlsx(size: str = "small") -> bytes:
    """Just under the row budget (49,000 rows): read in full."""
    return _xlsx("".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>{i * 2}</v></c></row>' for i in range(1, 49_001)))


def _xlsx(sheet_rows: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="收入支出决算总表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet_rows}</sheetData></worksheet>",
        )
    return buf.getvalue()


def big_sheet_xls(size: str = "small") -> bytes:
    """A legacy workbook at the format's row limit (65,536 rows)."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("收入支出决算总表")
    for i in range(65_536 if size == "full" else 60_000):
        ws.write(i, 0, i)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bomb_docx(size: str = "small") -> bytes:
    """A Word file whose media part unpacks to 400 MB (1 GB in the full run) of zeros, a few
    hundred KB packed."""
    buf = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/bomb.bin", "w", force_zip64=True) as f:
            for _ in range(400 if size == "small" else 1024):
                f.write(chunk)
    return buf.getvalue()


def truncated_docx(size: str = "small") -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("某部门2023年度部门决算")
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    return data[: len(data) // 2]


def encrypted_ole(size: str = "small") -> bytes:
    """An OLE container with the streams of an OOXML file with an open password (olefile-made
    containers are not needed: a header alone must be told apart as broken)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"\xff" * 2048


Generator = Callable[[str], bytes]

# name -> (file suffix, generator)
CASES: dict[str, tuple[str, Generator]] = {
    "huge_mediabox_pdf": (".pdf", huge_mediabox_pdf),
    "huge_scan_pdf": (".pdf", huge_scan_pdf),
    "big_scan_pdf": (".pdf", big_scan_pdf),
    "scan_at_budget_pdf": (".pdf", scan_at_budget_pdf),
    "many_pages_pdf": (".pdf", many_pages_pdf),
    "truncated_pdf": (".pdf", truncated_pdf),
    "garbage_pdf": (".pdf", garbage_pdf),
    "encrypted_pdf": (".pdf", encrypted_pdf),
    "deep_html_300": (".html", deep_html_300),
    "very_deep_html": (".html", very_deep_html),
    "unclosed_style_html": (".html", unclosed_style_html),
    "wide_html": (".html", wide_html),
    "million_lines_txt": (".txt", million_lines_txt),
    "lines_at_budget_txt": (".txt", lines_at_budget_txt),
    "long_line_txt": (".txt", long_line_txt),
    "blank_lines_txt": (".txt", blank_lines_txt),
    "damaged_seed_txt": (".txt", damaged_seed_txt),
    "binary_txt": (".txt", binary_txt),
    "big_sheet_xlsx": (".xlsx", big_sheet_xlsx),
    "big_sheet_xls": (".xls", big_sheet_xls),
    "sheet_at_budget_xlsx": (".xlsx", sheet_at_budget_xlsx),
    "zip_bomb_docx": (".docx", zip_bomb_docx),
    "truncated_docx": (".docx", truncated_docx),
    "encrypted_ole": (".xls", encrypted_ole),
}


def write_case(name: str, folder: Path, size: str = "small") -> Path:
    suffix, gen = CASES[name]
    path = folder / f"{name}{suffix}"
    path.write_bytes(gen(size))
    return path


# -- running the command on one input ---------------------------------------------------------------
@dataclass
class Outcome:
    """How ``juesuan check`` ended on one input."""

    code: int | None  # the exit code; None when it was stopped for taking too long
    seconds: float
    peak_mb: float  # the peak resident memory of the command's process
    output: str  # stdout and stderr together


# Runs the command and writes its peak RSS (KB) to the file named first: measured from a small
# process, as Linux carries a process's peak RSS over fork and exec (a command started straight from
# a test process that generated a 100 MB input would report that 100 MB as its own).
_WRAP = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)"
)


def run_check(path: Path, *, timeout: float = 60.0, args: tuple[str, ...] = (), env: dict[str, str] | None = None) -> Outcome:
    """Run ``python -m juesuan.cli check PATH`` in its own process and measure it (wall time, and
    peak RSS from the kernel's accounting of that process alone)."""
    src = Path(__file__).resolve().parent.parent / "src"
    full_env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", **(env or {})}
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "rss"
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRAP, str(rss_file), sys.executable, "-m", "juesuan.cli", "check", str(path), *args],
            stdout=out, stderr=subprocess.STDOUT, env=full_env, start_new_session=True,
        )
        try:
            code: int | None = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the wrapper and the command: one session
            proc.wait()
            code = None
        seconds = time.perf_counter() - t0
        peak = int(rss_file.read_text()) / 1024 if rss_file.is_file() and rss_file.read_text() else 0.0
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Outcome(code, seconds, peak, text)
