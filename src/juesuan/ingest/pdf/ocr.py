"""Scanned PDFs: page images read by OCR into the PDF reader's page primitives.

A page without a text layer is rendered with pypdfium2 (150 dpi by default), straightened when
the scan is slightly turned, its ruling lines found from dark pixel runs (:mod:`.ocr_lines`) and
painted out, and the rest read by RapidOCR (Apache-2.0, ONNX Runtime; the models ship inside the
``rapidocr`` wheel and are loaded from there by path, so nothing is ever downloaded). The text
boxes become :class:`~.primitives.Word` s in PDF points, cut at the ruling lines they cross
(:mod:`.ocr_words`), each with the recogniser's ``confidence``; the lines become
:class:`~.primitives.Segment` s. The resulting :class:`~.primitives.PageContent` s go
through the same table reconstruction as a text-layer PDF (:func:`.layout.reconstruct`),
so the cells built from them carry the confidence through ``RawCell.confidence`` to
``Cell.confidence``, and findings resting on such cells are marked ``ocr``.

The engine is an optional extra: ``pip install 'juesuan[ocr]'``. Without it a scanned PDF gives
a clear Chinese :class:`~juesuan.ingest.errors.InputError` saying so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...model import Disclosure
from ...runtime.limits import LIMITS, over_budget, page_area_message, render_scale
from ..assemble import assemble
from ..errors import InputError
from ..raw import RawDocument, RawGrid
from .layout import reconstruct
from .ocr_lines import Gray, PixelLine, deskew, erase_lines, estimate_skew, find_lines
from .ocr_words import (
    OcrBox,
    PixelWord,
    Quad,
    bold_flags,
    boxes_to_words,
    is_cjk,
    normalize_text,
    regularise_sizes,
)
from .pdfium_access import PDFIUM_LOCK, open_pdf
from .primitives import PageContent, Segment, Word

__all__ = [
    "OCR_HINT",
    "OcrSettings",
    "attach_confidence",
    "no_text_layer_error",
    "ocr_scanned_pages",
    "ocr_available",
    "ocr_image",
    "ocr_pages",
    "read_scanned_pdf_bytes",
]

OCR_HINT = "请安装 OCR 扩展后重试：pip install 'juesuan[ocr]'"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrSettings:
    dpi: int = 150
    # Turn a scan straight when it is off by more than this many degrees (searched up to 3°).
    deskew: bool = True
    # Paint the ruling lines white before recognition (a line touching a digit reads as "1").
    erase_lines: bool = True
    # OCR boxes are padded around the glyphs; a word's height is the box height times this,
    # about the loose character-box height a text layer gives.
    height_factor: float = 0.8


_lock = threading.Lock()
_engine_cache: Any = None


def ocr_available() -> bool:
    """True when the OCR extra (rapidocr and onnxruntime) is installed."""
    try:
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except Exception:
        return False
    return True


def _model_paths() -> dict[str, Path]:
    import rapidocr

    root = Path(rapidocr.__file__).resolve().parent / "models"
    return {
        "Det": root / "PP-OCRv6_det_small.onnx",
        "Rec": root / "PP-OCRv6_rec_small.onnx",
        "Cls": root / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    }


def _engine(name: str) -> Any:
    """The RapidOCR engine (built once per process, loaded only from the wheel's own models)."""
    global _engine_cache
    with _lock:
        if _engine_cache is not None:
            return _engine_cache
        try:
            from rapidocr import RapidOCR
        except Exception as exc:
            raise InputError(name, f"这是扫描件（PDF 没有文字层），需要 OCR 才能读取，但未安装 OCR 扩展。{OCR_HINT}", code="ocr_unavailable") from exc
        paths = _model_paths()
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            raise InputError(
                name,
                f"OCR 模型文件缺失（{'、'.join(missing)}），rapidocr 安装不完整。{OCR_HINT}",
                code="ocr_unavailable",
            )
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.use_cls": False,  # pages are rendered upright; saves a model pass per line
            "Det.model_path": str(paths["Det"]),
            "Rec.model_path": str(paths["Rec"]),
            "Cls.model_path": str(paths["Cls"]),
        }
        try:
            _engine_cache = RapidOCR(params=params)
        except Exception as exc:  # pragma: no cover - depends on the installed engine
            raise InputError(name, f"OCR 引擎无法启动（{type(exc).__name__}: {exc}）。{OCR_HINT}", code="ocr_unavailable") from exc
        return _engine_cache


def _recognise(engine: Any, gray: Gray) -> list[OcrBox]:
    rgb = np.ascontiguousarray(np.stack([gray, gray, gray], axis=-1))
    out = engine(rgb, return_word_box=True)
    boxes = getattr(out, "boxes", None)
    if boxes is None:
        return []
    parts_all = getattr(out, "word_results", None) or [None] * len(boxes)
    result: list[OcrBox] = []
    for quad, text, score, parts in zip(boxes, out.txts, out.scores, parts_all, strict=False):
        plist: list[tuple[str, float, Quad]] | None = None
        if parts:
            try:
                plist = [(str(t), float(s), [[float(x), float(y)] for x, y in q]) for t, s, q in parts]
            except (TypeError, ValueError):
                plist = None
        result.append(OcrBox([[float(x), float(y)] for x, y in quad], str(text), float(score), plist))
    return result


def _segments(lines: list[PixelLine], scale: float) -> tuple[list[Segment], list[Segment]]:
    h: list[Segment] = []
    v: list[Segment] = []
    for ln in lines:
        seg = Segment(ln.x0 * scale, ln.top * scale, ln.x1 * scale, ln.bottom * scale)
        (h if ln.horizontal else v).append(seg)
    return h, v


def _size(w: PixelWord, scale: float, settings: OcrSettings) -> float:
    """The printed size of a word: for mostly Chinese text the advance of one character (CJK
    glyphs are square, and the box width is far steadier than its padded height; digits count
    half), else the box height times ``height_factor``."""
    n = len(w.text)
    cjk = sum(1 for ch in w.text if is_cjk(ch))
    if n >= 2 and cjk * 2 >= n:
        # digits and Latin letters are about half an em wide
        return (w.x1 - w.x0) * scale / (cjk + 0.5 * (n - cjk))
    return (w.bottom - w.top) * scale * settings.height_factor


def _ink(gray: Gray, w: PixelWord) -> float:
    """Share of dark pixels in a word's box."""
    box = gray[max(0, int(w.top)) : max(0, int(w.bottom)), max(0, int(w.x0)) : max(0, int(w.x1))]
    return float((box < 128).mean()) if box.size else 0.0


def _words(pixel_words: list[PixelWord], scale: float, settings: OcrSettings, gray: Gray | None = None) -> list[Word]:
    """Words in points: text normalised, heights shrunk from the padded OCR box to about the
    glyph box and made one size per printed font size (:func:`.ocr_words.regularise_sizes`),
    bold guessed from the ink in the box (:func:`.ocr_words.bold_flags`)."""
    heights = [_size(w, scale, settings) for w in pixel_words]
    lengths = [len(w.text) for w in pixel_words]
    sizes = regularise_sizes(heights, lengths)
    bold = bold_flags([_ink(gray, w) for w in pixel_words], lengths) if gray is not None else [False] * len(sizes)
    out = []
    for w, size, b in zip(pixel_words, sizes, bold, strict=True):
        mid = (w.top + w.bottom) / 2 * scale
        out.append(
            Word(
                normalize_text(w.text),
                w.x0 * scale,
                mid - size / 2,
                w.x1 * scale,
                mid + size / 2,
                size=size,
                confidence=round(w.confidence, 4),
                bold=b,
            )
        )
    return out


def ocr_image(
    gray: Gray,
    number: int,
    dpi: float,
    *,
    name: str = "",
    settings: OcrSettings | None = None,
    page_size: tuple[float, float] | None = None,
) -> PageContent:
    """The page primitives of one page image (8-bit greyscale, ``dpi`` pixels per inch);
    ``page_size`` is the page's displayed size in points (else the image's)."""
    settings = settings or OcrSettings()
    engine = _engine(name)
    if settings.deskew:
        gray = deskew(gray, estimate_skew(gray))
    lines = find_lines(gray, dpi)
    vlines = [ln for ln in lines if not ln.horizontal]
    text_img = erase_lines(gray, lines) if settings.erase_lines else gray
    boxes = _recognise(engine, text_img)
    scale = 72.0 / dpi
    hsegs, vsegs = _segments(lines, scale)
    words = _words(boxes_to_words(boxes, vlines), scale, settings, text_img)
    if page_size is None:
        page_size = (gray.shape[1] * scale, gray.shape[0] * scale)
    return PageContent(number, page_size[0], page_size[1], words, hsegs, vsegs)


def _render(name: str, number: int, page: Any, dpi: float) -> tuple[Gray, float]:
    """The page as an 8-bit grey image and the resolution it was rendered at: ``dpi``, or less
    for a page whose image would exceed the pixel budget; a page larger than the area budget
    (runtime/limits.py) is refused before any pixel is drawn (a 200,000 pt page would need
    terabytes)."""
    w, h = page.get_size()
    scale = render_scale(w, h, dpi / 72.0)
    if scale is None:
        raise InputError(name, page_area_message(w, h), code="too_large", where=f"第 {number} 页")
    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
    img = bitmap.to_pil().convert("L")
    return np.asarray(img, dtype=np.uint8), scale * 72.0


def ocr_pages(
    name: str,
    data: bytes,
    pages: list[int] | None = None,
    progress: Progress | None = None,
    *,
    settings: OcrSettings | None = None,
) -> list[PageContent]:
    """OCR the given 1-based ``pages`` of a PDF (all when None) into page primitives.

    ``progress(done, total)`` is called before the first page and after each page."""
    settings = settings or OcrSettings()
    _engine(name)  # fail early and clearly when the extra is missing
    with PDFIUM_LOCK:
        pdf = open_pdf(name, data)
        n = len(pdf)
    try:
        wanted = list(range(1, n + 1)) if pages is None else pages
        bad = [p for p in wanted if not 1 <= p <= n]
        if bad:
            raise InputError(name, f"页码超出范围（共 {n} 页）：{bad}", code="bad_page")
        if len(wanted) > LIMITS.ocr_pages.count():  # several seconds a page: refused before the first
            raise InputError(name, over_budget(LIMITS.ocr_pages, len(wanted)), code="too_large")
        if progress:
            progress(0, len(wanted))
        out: list[PageContent] = []
        for i, number in enumerate(wanted, start=1):
            with PDFIUM_LOCK:
                page = pdf[number - 1]
                try:
                    gray, dpi = _render(name, number, page, settings.dpi)
                    size = page.get_size()
                finally:
                    page.close()
            out.append(ocr_image(gray, number, dpi, name=name, settings=settings, page_size=size))
            if progress:
                progress(i, len(wanted))
        return out
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def attach_confidence(raw: RawDocument, contents: list[PageContent]) -> None:
    """Give every grid cell built from OCR words the lowest confidence of those words (a cell
    is as sure as its least sure word). Cells that already carry one keep it; blank cells stay
    None (nothing was read there)."""
    by_page = {pc.number: [w for w in pc.words if w.confidence is not None] for pc in contents}
    for block in raw.blocks:
        if not isinstance(block, RawGrid):
            continue
        for row in block.rows:
            for cell in row:
                if cell.confidence is not None or not cell.text.strip() or cell.loc is None or cell.loc.bbox is None:
                    continue
                x0, top, x1, bottom = cell.loc.bbox
                confs = [
                    w.confidence
                    for w in by_page.get(cell.loc.page or 0, [])
                    if w.confidence is not None and x0 <= w.xc <= x1 and top <= w.yc <= bottom
                ]
                if confs:
                    cell.confidence = min(confs)


def ocr_scanned_pages(
    name: str, data: bytes, pages: list[PageContent], scanned: list[int], progress: Progress | None = None
) -> list[int]:
    """The PDF reader's hook for pages without a text layer: when the OCR extra is installed,
    the ``scanned`` pages (1-based) of ``pages`` are replaced in place by their OCR reading.
    Returns the pages still unread (all of them without the extra; those where OCR found no
    text with it)."""
    if not scanned or not ocr_available():
        return scanned
    by_number = {c.number: c for c in ocr_pages(name, data, pages=scanned, progress=progress)}
    for i, page in enumerate(pages):
        got = by_number.get(page.number)
        if got is not None and got.words:
            pages[i] = got
    return [n for n in scanned if n not in by_number or not by_number[n].words]


def no_text_layer_error(name: str) -> InputError:
    """The error for a PDF of which no page has text, with or without OCR."""
    if ocr_available():
        problem = "扫描件，没有文字层，文字识别（OCR）也未识别出任何文字（图片可能空白或过于模糊）"
    else:
        problem = f"扫描件，没有文字层（每一页都只是图片），需要先做文字识别（OCR）。{OCR_HINT}"
    return InputError(name, problem, code="no_text_layer")


def read_scanned_pdf_bytes(name: str, data: bytes, progress: Progress | None = None) -> Disclosure:
    """A scanned PDF read by OCR into the typed model, through the PDF reader's layout layer."""
    contents = ocr_pages(name, data, progress=progress)
    raw = reconstruct(contents, path=name, fmt="pdf")
    attach_confidence(raw, contents)
    doc = assemble(raw)
    doc.metadata.source_format = "pdf"
    doc.metadata.pages = len(contents)
    return doc
