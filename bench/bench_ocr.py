"""OCR accuracy and speed on scanned renders of the sample PDFs.

    .venv/bin/python -m bench.bench_ocr [--dpi 150] [--limit N] [--write]

For every table page of ``../shared/samples/*.pdf`` (a page whose text layer prints at least three
amounts), the page is rendered to a greyscale image at ``--dpi``, the images are written into an
image-only PDF (a scan: no text layer) and that PDF is read by :func:`juesuan.ingest.pdf.ocr.ocr_pages`,
exactly as a scanned disclosure would be. Every amount of the text layer (the PDF reader's own
words, ``ingest.pdf.primitives``) is then looked up among the OCR words at the same place and
compared character for character: an amount counts as exact only when the OCR text is identical
(``2,940.05`` for ``2,940.05``). When the PDF reader's layout layer is present, the same is done
per table cell (``reconstruct`` on the text layer and on the OCR primitives, amount cells paired
by position). ``--write`` puts the result table into ``docs/benchmarks.md`` (section ``## OCR``).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import machine as _common_machine  # noqa: E402
from bench.common import write_section as _common_write  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d{2}$")


@dataclass
class Tally:
    pages: int = 0
    amounts: int = 0
    exact: int = 0
    missed: int = 0
    seconds: float = 0.0
    cells: int = 0
    cells_exact: int = 0
    wrong: list[str] = field(default_factory=list)
    low_conf_wrong: int = 0


@dataclass
class RefAmount:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def ref_amounts(page) -> list[RefAmount]:
    """The amounts printed in a text-layer page. Characters the text layer gives as separate
    words although they touch (a thousands comma set lower than the digits) are joined first."""
    words = sorted(page.words, key=lambda w: (w.x0, w.top))
    used = [False] * len(words)
    out: list[RefAmount] = []
    for i, w in enumerate(words):
        if used[i]:
            continue
        run = RefAmount(w.text, w.x0, w.top, w.x1, w.bottom)
        used[i] = True
        grown = True
        while grown:
            grown = False
            for j in range(i + 1, len(words)):
                o = words[j]
                if used[j] or o.x0 > run.x1 + 1.0:
                    continue
                if -0.5 <= o.x0 - run.x1 <= 1.0 and min(o.bottom, run.bottom) > max(o.top, run.top):
                    run = RefAmount(
                        run.text + o.text, run.x0, min(run.top, o.top), o.x1, max(run.bottom, o.bottom)
                    )
                    used[j] = True
                    grown = True
        if AMOUNT.match(run.text):
            out.append(run)
    return out


def table_pages(pdf_path: Path) -> list[int]:
    import pypdfium2 as pdfium

    from juesuan.ingest.pdf.primitives import page_content

    pdf = pdfium.PdfDocument(str(pdf_path))
    out = []
    for i in range(len(pdf)):
        pc = page_content(pdf[i], i + 1)
        if len(ref_amounts(pc)) >= 3 and pc.vlines:
            out.append(i + 1)
    pdf.close()
    return out


def degrade(img, seed: int):
    """What a scanner and a copier do to a page: a small turn (±0.4–1.0°), a grey paper tone,
    noise, and JPEG compression."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    angle = float(rng.uniform(0.4, 1.0) * rng.choice([-1, 1]))
    img = img.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)
    arr = np.asarray(img, dtype=np.float64) * 0.92 + 8
    arr += rng.normal(0, 6, arr.shape)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=75)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def scanned_pdf(pdf_path: Path, pages: list[int], dpi: int, degraded: bool = False) -> bytes:
    """An image-only PDF of the given pages rendered at ``dpi`` (what a scanner would give),
    optionally :func:`degrade` d."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    images = []
    for n in pages:
        img = pdf[n - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        images.append(degrade(img, n) if degraded else img)
    pdf.close()
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return buf.getvalue()


def _nearest(words, x: float, y: float, box: tuple[float, float, float, float]):
    x0, top, x1, bottom = box
    cands = [w for w in words if x0 - 4 <= w.xc <= x1 + 4 and top - 4 <= w.yc <= bottom + 4]
    if not cands:
        return None
    return min(cands, key=lambda w: (w.xc - x) ** 2 + (w.yc - y) ** 2)


def _cell_amounts(contents) -> list[tuple[int, float, float, str, float | None]] | None:
    """(page, x, y, text, confidence) of every amount cell after the layout layer, or None when
    the PDF reader's ``reconstruct`` is not there."""
    try:
        from juesuan.ingest.pdf.layout import reconstruct
        from juesuan.ingest.raw import RawGrid
    except ImportError:
        return None
    raw = reconstruct(contents)
    out = []
    for block in raw.blocks:
        if not isinstance(block, RawGrid):
            continue
        for row in block.rows:
            for cell in row:
                text = cell.text.strip()
                if cell.loc is None or cell.loc.bbox is None or not AMOUNT.match(text.replace(" ", "")):
                    continue
                x0, top, x1, bottom = cell.loc.bbox
                out.append((cell.loc.page or 0, (x0 + x1) / 2, (top + bottom) / 2, text, cell.confidence))
    return out


def bench_file(pdf_path: Path, dpi: int, limit: int | None, tally: Tally, degraded: bool = False) -> None:
    import pypdfium2 as pdfium

    from juesuan.ingest.pdf.ocr import ocr_pages
    from juesuan.ingest.pdf.primitives import page_content

    pages = table_pages(pdf_path)[:limit]
    if not pages:
        return
    data = scanned_pdf(pdf_path, pages, dpi, degraded)
    t0 = time.perf_counter()
    ocr = ocr_pages(pdf_path.name, data)
    tally.seconds += time.perf_counter() - t0
    tally.pages += len(pages)
    pdf = pdfium.PdfDocument(str(pdf_path))
    refs = [page_content(pdf[n - 1], n) for n in pages]
    pdf.close()
    for ref, got in zip(refs, ocr, strict=True):
        # The scan's page size differs from the original by under a pixel; scale to it.
        sx, sy = got.width / ref.width, got.height / ref.height
        for w in ref_amounts(ref):
            tally.amounts += 1
            xc, yc = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
            o = _nearest(got.words, xc * sx, yc * sy, (w.x0 * sx, w.top * sy, w.x1 * sx, w.bottom * sy))
            if o is None:
                tally.missed += 1
                tally.wrong.append(f"{pdf_path.name} 第{ref.number}页 {w.text} → （未读出）")
            elif o.text == w.text:
                tally.exact += 1
            else:
                tally.wrong.append(
                    f"{pdf_path.name} 第{ref.number}页 {w.text} → {o.text} (置信度 {o.confidence})"
                )
                if o.confidence is not None and o.confidence < 0.9:
                    tally.low_conf_wrong += 1
    # Cell level, through the PDF reader's layout layer (when it exists).
    for ref_page, got_page in zip(refs, ocr, strict=True):
        got_page.number = ref_page.number
    ref_cells = _cell_amounts(refs)
    got_cells = _cell_amounts(ocr)
    if ref_cells is None or got_cells is None:
        tally.cells = -1
        return
    for page, x, y, text, _conf in ref_cells:
        tally.cells += 1
        same = [c for c in got_cells if c[0] == page and abs(c[1] - x) < 6 and abs(c[2] - y) < 6]
        if same and min(same, key=lambda c: (c[1] - x) ** 2 + (c[2] - y) ** 2)[3] == text:
            tally.cells_exact += 1


def machine() -> str:
    return _common_machine(load=False)


def _version(pkg: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(pkg)
    except PackageNotFoundError:
        return "?"


def report(runs: dict[str, Tally], dpi: int, load: str) -> str:
    names = list(runs)

    def row(label: str, fn) -> str:
        return f"| {label} | " + " | ".join(fn(runs[n]) for n in names) + " |"

    def pct(a: int, b: int) -> str:
        return f"{a} of {b} ({100.0 * a / b:.2f} %)" if b else "–"

    lines = [
        "## OCR (`bench/bench_ocr.py`)",
        "",
        f"`.venv/bin/python -m bench.bench_ocr --write` — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}, "
        f"load average before the run {load}; rapidocr {_version('rapidocr')} (PP-OCRv6 small det/rec, "
        f"shipped in the wheel), onnxruntime {_version('onnxruntime')}, {dpi} dpi.",
        "",
        "Every table page of the sample PDFs (a page with ruling lines and at least three amounts in its "
        "text layer) is rendered to a greyscale image and the images are written into an image-only PDF, "
        "which `ingest.pdf.ocr.ocr_pages` reads like any scan. *clean*: the render as it is; *degraded*: "
        "turned by 0.4–1.0°, grey paper tone, noise, JPEG quality 75 (`degrade`). Each amount of the text "
        "layer is compared character for character with the OCR word at the same place; then both readings "
        "go through the PDF reader's `reconstruct` and the amount cells are compared by position.",
        "",
        "| measure | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
        row("table pages OCR'd", lambda t: str(t.pages)),
        row("amounts read exactly", lambda t: pct(t.exact, t.amounts)),
        row("amounts not found at their place", lambda t: str(t.missed)),
        row(
            "wrong reads with confidence < 0.9", lambda t: f"{t.low_conf_wrong} of {len(t.wrong) - t.missed}"
        ),
        row(
            "amount cells after `reconstruct` (same cell, same text)",
            lambda t: pct(t.cells_exact, t.cells) if t.cells >= 0 else "(no layout layer)",
        ),
        row(
            "OCR time (render, deskew, lines, recognition)",
            lambda t: f"{t.seconds:.0f} s, {t.seconds / max(t.pages, 1):.2f} s/page",
        ),
        row("pages per minute", lambda t: f"{60.0 * t.pages / t.seconds:.1f}" if t.seconds else "–"),
    ]
    for n in names:
        wrong = runs[n].wrong
        if wrong:
            lines += ["", f"Misreadings ({n}):", ""] + [f"- {w}" for w in wrong[:20]]
            if len(wrong) > 20:
                lines.append(f"- … and {len(wrong) - 20} more")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    _common_write("## OCR (`bench/bench_ocr.py`)", text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--limit", type=int, default=None, help="at most N table pages per sample")
    ap.add_argument("--write", action="store_true", help="write the result into docs/benchmarks.md")
    ap.add_argument("--clean-only", action="store_true", help="skip the degraded pass")
    args = ap.parse_args(argv)
    if not SAMPLES.is_dir():
        print(f"{SAMPLES} 不存在：基准需要 ../shared/samples", file=sys.stderr)
        return 2
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    runs: dict[str, Tally] = {}
    for label, degraded in [("clean", False), ("degraded", True)]:
        if degraded and args.clean_only:
            continue
        tally = runs[label] = Tally()
        for pdf_path in sorted(SAMPLES.glob("*.pdf")):
            n0 = tally.pages
            bench_file(pdf_path, args.dpi, args.limit, tally, degraded)
            print(f"{label} {pdf_path.name}: {tally.pages - n0} pages", file=sys.stderr)
    text = report(runs, args.dpi, load)
    print(text)
    if args.write:
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
