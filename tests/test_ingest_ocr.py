"""OCR of scanned PDFs (``ingest.pdf.ocr``): ruling lines from pixels, OCR boxes to words, number
and punctuation repair, confidence on cells, findings marked as resting on OCR cells, and one
real page of a sample PDF rendered into an image-only PDF and read back by rapidocr."""

from __future__ import annotations

import io
import re
import sys
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image

from conftest import sample
from juesuan.ingest.errors import InputError
from juesuan.ingest.pdf.ocr_lines import PixelLine, deskew, erase_lines, estimate_skew, find_lines
from juesuan.ingest.pdf.ocr_words import (
    OcrBox,
    boxes_to_words,
    normalize_number,
    normalize_punctuation,
    normalize_text,
    regularise_sizes,
)
from juesuan.ingest.raw import RawCell, RawDocument, RawGrid
from juesuan.model import Location

AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d{2}$")


# -- ruling lines ---------------------------------------------------------------------------


def _grid_image(w: int = 900, h: int = 600, angle: float = 0.0) -> tuple[np.ndarray, list[int], list[int]]:
    """A white page with a 5×4 ruled table (2-pixel grey lines) and some short dark strokes
    standing in for characters."""
    img = np.full((h, w), 255, dtype=np.uint8)
    ys = [100, 160, 220, 280, 340, 400]
    xs = [100, 300, 500, 650, 800]
    for y in ys:
        img[y : y + 2, xs[0] : xs[-1] + 2] = 90
    for x in xs:
        img[ys[0] : ys[-1] + 2, x : x + 2] = 90
    # glyph-like strokes: 20 px long, shorter than any rule
    for k in range(12):
        img[120 + 3 * k, 120 + 10 * k : 140 + 10 * k] = 0
        img[180 : 200, 520 + 8 * k] = 0
    if angle:
        img = np.asarray(Image.fromarray(img).rotate(angle, fillcolor=255, resample=Image.Resampling.BILINEAR))
    return img, ys, xs


def test_find_lines_gives_the_rules_and_not_the_strokes() -> None:
    img, ys, xs = _grid_image()
    lines = find_lines(img, dpi=150)
    h = sorted((ln for ln in lines if ln.horizontal), key=lambda ln: ln.top)
    v = sorted((ln for ln in lines if not ln.horizontal), key=lambda ln: ln.x0)
    assert [ln.top for ln in h] == ys
    assert all(ln.x0 == xs[0] and ln.x1 == xs[-1] + 2 and ln.bottom - ln.top == 2 for ln in h)
    assert [ln.x0 for ln in v] == xs
    assert all(ln.top == ys[0] and ln.bottom == ys[-1] + 2 for ln in v)


def test_find_lines_bridges_small_gaps_and_ignores_thick_blocks() -> None:
    img = np.full((300, 600), 255, dtype=np.uint8)
    img[50:51, 20:580] = 0
    img[50, 300:302] = 255  # a two-pixel break left by anti-aliasing
    img[150:200, 100:500] = 0  # a filled block (a stamp, a picture), not a rule
    lines = find_lines(img, dpi=150)
    assert lines == [PixelLine(20, 50, 580, 51)]


def test_skew_is_found_and_undone() -> None:
    straight, ys, _ = _grid_image()
    assert estimate_skew(straight) == 0.0
    turned, _, _ = _grid_image(angle=-1.5)
    angle = estimate_skew(turned)
    assert abs(angle - 1.5) <= 0.15
    # A turned page has no long horizontal runs; once straightened the rules are back.
    assert len([ln for ln in find_lines(turned, 150) if ln.horizontal]) != len(ys)
    fixed = [ln for ln in find_lines(deskew(turned, angle), 150) if ln.horizontal]
    assert len(fixed) == len(ys)


def test_erase_lines_paints_rules_white_only() -> None:
    img, _, _ = _grid_image()
    lines = find_lines(img, dpi=150)
    clean = erase_lines(img, lines)
    assert find_lines(clean, dpi=150) == []
    assert (clean[120:160, 120:260] == img[120:160, 120:260]).all()  # strokes kept
    assert img.min() == 0 and clean.min() == 0


# -- OCR boxes to words ---------------------------------------------------------------------


def _quad(x0: float, top: float, x1: float, bottom: float) -> list[list[float]]:
    return [[x0, top], [x1, top], [x1, bottom], [x0, bottom]]


def test_box_across_a_ruling_line_is_cut_there() -> None:
    # "201一般公共服务支出" read as one line although a rule at x=150 parts code and name.
    parts = [("201", 0.99, _quad(100, 10, 140, 40))] + [
        (ch, 0.9 + i / 100, _quad(160 + 25 * i, 10, 185 + 25 * i, 40)) for i, ch in enumerate("一般公共服务支出")
    ]
    box = OcrBox(_quad(100, 10, 360, 40), "201一般公共服务支出", 0.95, parts)
    rule = PixelLine(149, 0, 151, 500)
    words = boxes_to_words([box], [rule])
    assert [w.text for w in words] == ["201", "一般公共服务支出"]
    assert words[0].x1 <= 150 <= words[1].x0
    assert words[0].confidence == 0.99 and words[1].confidence == 0.9
    # Without the rule it is one word (the gap is narrow).
    assert [w.text for w in boxes_to_words([box], [])] == ["201一般公共服务支出"]


def test_box_is_cut_at_spaces_and_between_numbers() -> None:
    box = OcrBox(_quad(0, 0, 300, 30), "60.99 60.99", 0.97, None)
    words = boxes_to_words([box], [])
    assert [w.text for w in words] == ["60.99", "60.99"]
    assert words[0].x1 < words[1].x0
    # a run of digits crossing a rule is shared out by character position
    glued = OcrBox(_quad(0, 0, 200, 30), "1234567890", 0.8, [("1234567890", 0.8, _quad(0, 0, 200, 30))])
    parts = boxes_to_words([glued], [PixelLine(99, 0, 101, 100)])
    assert [w.text for w in parts] == ["12345", "67890"]


def test_a_rule_beside_the_box_does_not_cut_it() -> None:
    box = OcrBox(_quad(100, 100, 200, 130), "2,940.05", 1.0, [("2,940.05", 1.0, _quad(100, 100, 200, 130))])
    # a vertical rule at the same x but in another row of the table
    other_row = PixelLine(149, 300, 151, 500)
    assert [w.text for w in boxes_to_words([box], [other_row])] == ["2,940.05"]


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("1,O51.37", "1,051.37"),
        ("2.940.05", "2,940.05"),
        ("1.234.567.89", "1,234,567.89"),
        ("12，345.60", "12,345.60"),
        ("3l.5O", "31.50"),
        ("−5.00", "-5.00"),
        ("2,940.05", "2,940.05"),
        ("2024年", "2024年"),
        ("Old", "Old"),
        ("10.00%", "10.00%"),
        ("12.5.3", "12.5.3"),  # not a thousands pattern: left alone
    ],
)
def test_normalize_number(raw: str, fixed: str) -> None:
    assert normalize_number(raw) == fixed


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("(项）。主要用于:", "（项）。主要用于："),
        ("(二)一般公共预算", "（二）一般公共预算"),
        ("支出,占86.05%;", "支出，占86.05%；"),
        ("1,051.37", "1,051.37"),
        ("(1)", "(1)"),
        ("PPP(2024)", "PPP(2024)"),
        ("时间12:30开始", "时间12:30开始"),
    ],
)
def test_normalize_punctuation(raw: str, fixed: str) -> None:
    assert normalize_punctuation(raw) == fixed


def test_normalize_text_prefers_the_number_form() -> None:
    assert normalize_text("1,O51.37") == "1,051.37"
    assert normalize_text("用于:") == "用于："


def test_regularise_sizes() -> None:
    heights = [12.4, 12.8, 12.1, 13.3, 15.5, 22.0, 8.0]
    lengths = [30, 28, 29, 25, 3, 10, 12]
    sizes = regularise_sizes(heights, lengths)
    body = sizes[0]
    assert sizes[:5] == [body] * 5  # noisy body text and a short word: one size
    assert sizes[5] == 22.0 and sizes[6] == 8.0  # a title and a note keep theirs
    assert regularise_sizes([], []) == []


def test_bold_flags() -> None:
    from juesuan.ingest.pdf.ocr_words import bold_flags

    dens = [0.20, 0.21, 0.19, 0.22, 0.31, 0.40, 0.20]
    lens = [10, 12, 8, 20, 15, 1, 2]
    assert bold_flags(dens, lens) == [False, False, False, False, True, False, False]
    assert bold_flags([0.5, 0.1], [10, 10]) == [False, False]  # too few words to judge


# -- confidence and findings ----------------------------------------------------------------


def test_attach_confidence_takes_the_least_sure_word() -> None:
    from juesuan.ingest.pdf.ocr import attach_confidence
    from juesuan.ingest.pdf.primitives import PageContent, Word

    cells = [
        RawCell("2,940.05", Location(page=1, bbox=(0, 0, 100, 20))),
        RawCell("一般 公共", Location(page=1, bbox=(100, 0, 200, 20))),
        RawCell("", Location(page=1, bbox=(200, 0, 300, 20))),
        RawCell("5.00", Location(page=1, bbox=(300, 0, 400, 20)), confidence=0.5),
    ]
    raw = RawDocument(path="x.pdf", format="pdf", blocks=[RawGrid([cells])])
    page = PageContent(
        1,
        600,
        800,
        [
            Word("2,940.05", 10, 5, 90, 15, confidence=0.98),
            Word("一般", 110, 5, 140, 15, confidence=0.91),
            Word("公共", 150, 5, 190, 15, confidence=0.7),
            Word("5.00", 310, 5, 390, 15, confidence=0.99),
        ],
    )
    attach_confidence(raw, [page])
    assert [c.confidence for c in cells] == [0.98, 0.7, None, 0.5]


def _broken_t03():
    from juesuan.rules.cases import build_disclosure

    return build_disclosure(
        {
            "tables": [
                {
                    "kind": "T03",
                    "rows": {
                        "total": {"total": "891.98", "basic": "771.45", "project": "110.54"},
                        "208": {"total": "10.00", "basic": "10.00", "project": ""},
                    },
                }
            ]
        }
    )


def test_findings_on_ocr_cells_are_marked() -> None:
    from juesuan.rules.engine import run_rules

    doc = _broken_t03()
    plain = [f for f in run_rules(doc, select=["T03-001"]) if f.severity.value == "error"]
    assert plain and not any(f.ocr for f in plain)

    doc = _broken_t03()
    total = doc.tables[0].row("total")
    assert total is not None
    total.cells["basic"].confidence = 0.93
    found = [f for f in run_rules(doc, select=["T03-001"]) if f.severity.value == "error"]
    assert found and all(f.ocr for f in found)

    # OCR cells elsewhere in the document do not mark a finding that does not use them.
    doc = _broken_t03()
    row208 = doc.tables[0].row("208")
    assert row208 is not None
    row208.cells["total"].confidence = 0.99
    found = [f for f in run_rules(doc, select=["T03-001"]) if f.severity.value == "error"]
    assert found and not any(f.ocr for f in found)


def test_without_the_extra_a_scan_gives_a_clear_chinese_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import juesuan.ingest.pdf.ocr as ocr

    monkeypatch.setattr(ocr, "_engine_cache", None)
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # import fails as if not installed
    assert not ocr.ocr_available()
    with pytest.raises(InputError) as err:
        ocr.ocr_pages("扫描件.pdf", b"%PDF-1.4")
    assert err.value.code == "ocr_unavailable"
    assert "扫描件.pdf" in str(err.value) and "juesuan[ocr]" in str(err.value) and "没有文字层" in str(err.value)


# -- a real page through rapidocr -----------------------------------------------------------


def _reference_amounts(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of the amounts of a text-layer page; touching words (a thousands comma
    the text layer gives apart) are joined first."""
    ws = sorted(page.words, key=lambda w: w.x0)
    used: set[int] = set()
    out = []
    for i, w in enumerate(ws):
        if i in used:
            continue
        text, x0, top, x1, bottom = w.text, w.x0, w.top, w.x1, w.bottom
        for j in range(i + 1, len(ws)):
            o = ws[j]
            if j not in used and -0.5 <= o.x0 - x1 <= 1.0 and min(o.bottom, bottom) > max(o.top, top):
                text, x1, top, bottom = text + o.text, o.x1, min(top, o.top), max(bottom, o.bottom)
                used.add(j)
        if AMOUNT.match(text):
            out.append((text, (x0 + x1) / 2, (top + bottom) / 2))
    return out


@pytest.fixture(scope="module")
def scanned_t01() -> tuple[bytes, object]:
    """The upper part of page 6 of the finance sample (收入支出决算总表) rendered at 150 dpi into
    an image-only PDF, and the text-layer primitives of the same part."""
    pytest.importorskip("rapidocr")
    import pypdfium2 as pdfium

    from juesuan.ingest.pdf.primitives import page_content

    pdf = pdfium.PdfDocument(str(sample("shanghai-putuo-finance-2024.pdf")))
    page = pdf[5]
    ref = page_content(page, 6)
    img = page.render(scale=150 / 72, grayscale=True).to_pil().convert("L")
    pdf.close()
    # The upper part only (title, header and the first rows), to keep the test quick.
    keep = 0.6
    img = img.crop((0, 0, img.width, round(img.height * keep)))
    ref.height *= keep
    ref.words = [w for w in ref.words if w.bottom < ref.height - 2]
    ref.hlines = [s for s in ref.hlines if s.bottom < ref.height - 2]
    buf = io.BytesIO()
    img.save(buf, "PDF", resolution=150.0)
    return buf.getvalue(), ref


@pytest.fixture(scope="module")
def ocr_t01(scanned_t01):
    from juesuan.ingest.pdf.ocr import ocr_pages

    data, _ = scanned_t01
    calls: list[tuple[int, int]] = []
    pages = ocr_pages("scan.pdf", data, progress=lambda d, n: calls.append((d, n)))
    return pages, calls


def test_scanned_page_is_read_like_its_text_layer(scanned_t01, ocr_t01) -> None:
    _, ref = scanned_t01
    pages, calls = ocr_t01
    assert calls == [(0, 1), (1, 1)]
    (page,) = pages
    assert page.number == 1 and abs(page.width - ref.width) < 1 and abs(page.height - ref.height) < 1
    # Every amount of the text layer is read at its place, character for character.
    amounts = _reference_amounts(ref)
    assert len(amounts) >= 4
    for text, x, y in amounts:
        near = [w for w in page.words if abs(w.xc - x) < 15 and abs(w.yc - y) < 6]
        assert [w.text for w in near] == [text], (text, [w.text for w in near])
        assert near[0].confidence is not None and 0.5 < near[0].confidence <= 1.0
    assert any(w.text == "收入支出决算总表" for w in page.words)
    # The ruling lines are those of the text layer (rows of the table), in points.
    ref_rows = sorted({round((s.top + s.bottom) / 2) for s in ref.hlines if s.x1 - s.x0 > 100})
    got_rows = sorted({round((s.top + s.bottom) / 2) for s in page.hlines})
    assert len(got_rows) >= len(ref_rows) - 1
    assert all(min(abs(g - r) for g in got_rows) <= 2 for r in ref_rows)
    assert page.vlines


def test_read_scanned_pdf_gives_a_typed_table_with_confidence(scanned_t01, ocr_t01, monkeypatch) -> None:
    pytest.importorskip("juesuan.ingest.assemble")
    pytest.importorskip("juesuan.ingest.pdf.layout")
    import juesuan.ingest.pdf.ocr as ocr
    from juesuan.model import TableKind

    data, ref = scanned_t01
    pages, _ = ocr_t01
    # The OCR itself was exercised above; here the same pages go through layout and assembly.
    monkeypatch.setattr(ocr, "ocr_pages", lambda name, data, progress=None: pages)
    doc = ocr.read_scanned_pdf_bytes("scan.pdf", data)
    assert doc.metadata.source_format == "pdf"
    t01 = doc.table(TableKind.T01)
    assert t01 is not None
    amounts = [c for r in t01.rows for c in r.cells.values() if c.value is not None]
    assert len(amounts) >= 4
    assert all(c.confidence is not None for c in amounts)
    printed = {Decimal(t.replace(",", "")) for t, _, _ in _reference_amounts(ref)}
    assert {c.value for c in amounts} <= printed | {Decimal(0)}


def test_engine_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("rapidocr")
    import rapidocr.utils.download_file as dl

    import juesuan.ingest.pdf.ocr as ocr

    def refuse(*args, **kwargs):
        raise AssertionError("rapidocr tried to download a file")

    monkeypatch.setattr(dl.DownloadFile, "run", classmethod(refuse))
    monkeypatch.setattr(ocr, "_engine_cache", None)
    engine = ocr._engine("x.pdf")
    blank = np.full((60, 200, 3), 255, dtype=np.uint8)
    out = engine(blank)
    assert not getattr(out, "txts", None)


# -- the PDF reader falls back to OCR -------------------------------------------------------


def test_a_scanned_pdf_is_read_by_ocr_through_read(scanned_t01, ocr_t01, tmp_path, monkeypatch) -> None:
    pytest.importorskip("juesuan.ingest.assemble")
    import juesuan.ingest.pdf.ocr as ocr
    from juesuan.ingest import read
    from juesuan.model import TableKind

    data, _ = scanned_t01
    contents, _ = ocr_t01
    asked: list[list[int] | None] = []

    def cached(name, data, pages=None, progress=None, **kw):
        asked.append(pages)
        return contents

    monkeypatch.setattr(ocr, "ocr_pages", cached)
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(data)
    doc = read(path)
    assert asked == [[1]]
    assert not [i for i in doc.read_issues if i.code == "pdf_no_text_layer"]
    t01 = doc.table(TableKind.T01)
    assert t01 is not None
    cells = [c for r in t01.rows for c in r.cells.values() if c.value is not None]
    assert cells and all(c.confidence is not None for c in cells)


def test_a_scanned_pdf_without_the_extra_says_what_to_install(scanned_t01, tmp_path, monkeypatch) -> None:
    import juesuan.ingest.pdf.ocr as ocr
    from juesuan.ingest import read

    data, _ = scanned_t01
    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.code == "no_text_layer"
    msg = str(err.value)
    assert "扫描件.pdf" in msg and "没有文字层" in msg and "pip install 'juesuan[ocr]'" in msg


def test_scanned_pages_among_text_pages_are_ocrd(scanned_t01, ocr_t01, monkeypatch) -> None:
    pytest.importorskip("juesuan.ingest.assemble")
    from pypdf import PdfReader, PdfWriter

    import juesuan.ingest.pdf.ocr as ocr
    from juesuan.ingest.pdf import read_pdf_raw

    data, _ = scanned_t01
    (page,) = ocr_t01[0]
    text_pdf = sample("shanghai-putuo-finance-2024.pdf").read_bytes()
    w = PdfWriter()
    w.add_page(PdfReader(io.BytesIO(text_pdf)).pages[0])  # the cover, with a text layer
    w.add_page(PdfReader(io.BytesIO(data)).pages[0])  # the scan
    out = io.BytesIO()
    w.write(out)
    asked: list[list[int] | None] = []

    def cached(name, data, pages=None, progress=None, **kw):
        asked.append(pages)
        return [replace(page, number=2)]

    monkeypatch.setattr(ocr, "ocr_pages", cached)
    raw = read_pdf_raw("mixed.pdf", out.getvalue())
    assert asked == [[2]]
    assert not raw.issues or all(code != "pdf_no_text_layer" for code, _, _ in raw.issues)
    grids = [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert grids and all(b.loc is not None and b.loc.page == 2 for b in grids)
    amounts = [c for g in grids for row in g.rows for c in row if AMOUNT.match(c.text)]
    assert amounts and all(c.confidence is not None for c in amounts)



@pytest.mark.slow
def test_a_whole_scanned_disclosure_gives_the_table_findings_of_its_text_layer(tmp_path) -> None:
    """The social-work sample, every page rendered at 150 dpi into an image-only PDF, read by
    ``read`` (OCR fallback) and checked: the table and cross-table findings are those of the
    text-layer PDF, and those resting on cells are marked OCR. (Minutes: 24 pages of OCR.)"""
    pytest.importorskip("rapidocr")
    pytest.importorskip("juesuan.ingest.assemble")
    import pypdfium2 as pdfium

    from juesuan.ingest import read
    from juesuan.rules.engine import run_rules

    src = sample("shanghai-putuo-social-work-2024.pdf")
    pdf = pdfium.PdfDocument(str(src))
    images = [pdf[i].render(scale=150 / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    pdf.close()
    scan = tmp_path / "scan.pdf"
    images[0].save(scan, "PDF", resolution=150.0, save_all=True, append_images=images[1:])

    def table_findings(doc):
        found = run_rules(doc)
        ids = sorted((f.rule_id, f.severity.value, f.message) for f in found if f.rule_id.startswith(("T0", "T1", "X-")))
        return ids, found

    text_doc = read(src)
    ocr_doc = read(scan)
    want, _ = table_findings(text_doc)
    got, all_found = table_findings(ocr_doc)
    assert got == want
    # Every standard table, row by row, with the same values (OCR may see an extra ruled box,
    # which becomes a table of no known kind and is left out here).
    known = [t for t in text_doc.tables if t.kind.value != "OTHER"]
    read_ = [t for t in ocr_doc.tables if t.kind.value != "OTHER"]
    assert [t.kind for t in read_] == [t.kind for t in known]
    for t_ocr, t_text in zip(read_, known, strict=True):
        assert [(r.key, {k: c.value for k, c in r.cells.items()}) for r in t_ocr.rows] == [
            (r.key, {k: c.value for k, c in r.cells.items()}) for r in t_text.rows
        ]
    printed = [c for t in read_ for r in t.rows for c in r.cells.values() if not c.blank]
    assert printed and all(c.confidence is not None for c in printed)
    on_cells = [f for f in all_found if f.rule_id.startswith(("T0", "T1", "X-")) and f.severity.value != "info"]
    assert all(f.ocr for f in on_cells)
