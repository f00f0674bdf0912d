"""The PDF reader for text-layer PDFs, on pypdfium2 (Apache-2.0 / BSD-3).

Two layers, so the OCR reader can reuse the second:

1. :mod:`.primitives` — words (character runs with boxes and font size) and ruling lines of each
   page in its displayed orientation.
2. :mod:`.layout` — :func:`~.layout.reconstruct`: tables from ruling lines, running text in
   reading order, as a :class:`~juesuan.ingest.raw.RawDocument`.

:func:`read_pdf_bytes` opens the bytes, builds both layers and hands the raw document to the
format-independent assembler. Bad input (not a PDF, truncated or corrupt, encrypted, no pages,
no text layer) raises :class:`~juesuan.ingest.errors.InputError` with a Chinese message naming
the file. A page that cannot be read or structured becomes a ``RawDocument.issues`` entry and
the rest of the document is read.
"""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...model import Disclosure, Location
from ..errors import InputError
from ..raw import RawDocument
from .layout import reconstruct
from .primitives import PageContent, Segment, Word, page_content

__all__ = ["PageContent", "Segment", "Word", "read_pdf_bytes", "read_pdf_raw", "open_pdf"]

# pdfium is not thread-safe: one document at a time per process.
_LOCK = threading.RLock()

_ERRORS = {
    pdfium_c.FPDF_ERR_FORMAT: ("不是有效的 PDF，或文件已损坏、被截断", "corrupt"),
    pdfium_c.FPDF_ERR_FILE: ("无法打开 PDF 文件", "unreadable"),
    pdfium_c.FPDF_ERR_PASSWORD: ("PDF 已加密（需要密码），无法读取；请提供未加密的文件", "encrypted"),
    pdfium_c.FPDF_ERR_SECURITY: ("PDF 使用了不支持的加密方式，无法读取", "encrypted"),
    pdfium_c.FPDF_ERR_PAGE: ("PDF 的页面结构已损坏", "corrupt"),
}


def open_pdf(name: str, data: bytes) -> pdfium.PdfDocument:
    """Open PDF bytes, turning pdfium's failures into :class:`InputError`."""
    if b"%PDF-" not in data[:1024]:
        raise InputError(name, "不是 PDF 文件（缺少 %PDF 文件头）", code="not_a_pdf")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        problem, code = _ERRORS.get(getattr(exc, "err_code", None), ("PDF 文件已损坏，无法打开", "corrupt"))
        raise InputError(name, problem, code=code) from exc
    if len(pdf) == 0:
        pdf.close()
        raise InputError(name, "PDF 没有任何页面（文件可能已损坏或被截断）", code="no_pages")
    return pdf


def _has_images(page: pdfium.PdfPage) -> bool:
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        t = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(t) in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            return True
    return False


def read_pdf_raw(name: str, data: bytes) -> RawDocument:
    """The raw document (lines and grids with page and bbox) of a text-layer PDF."""
    with _LOCK:
        pdf = open_pdf(name, data)
        try:
            pages: list[PageContent] = []
            issues: list[tuple[str, str, Location | None]] = []
            scanned: list[int] = []
            for i in range(len(pdf)):
                try:
                    page = pdf[i]
                except pdfium.PdfiumError:
                    issues.append(
                        ("pdf_page_unreadable", f"第{i + 1}页已损坏，无法读取", Location(page=i + 1))
                    )
                    continue
                try:
                    content = page_content(page, i + 1)
                    if not content.words and _has_images(page):
                        scanned.append(i + 1)
                    pages.append(content)
                except Exception as exc:  # noqa: BLE001 - one bad page must not stop the document
                    issues.append(
                        (
                            "pdf_page_unreadable",
                            f"第{i + 1}页无法读取（{type(exc).__name__}）",
                            Location(page=i + 1),
                        )
                    )
                finally:
                    page.close()
        finally:
            pdf.close()
    ocr_read = False
    if scanned:  # pages that are images only: read by OCR when the juesuan[ocr] extra is installed
        from ..ocr import no_text_layer_error, ocr_scanned_pages

        unread = ocr_scanned_pages(name, data, pages, scanned)
        ocr_read, scanned = len(unread) < len(scanned), unread
        if not any(p.words for p in pages):
            raise no_text_layer_error(name)
    if not any(p.words for p in pages):
        raise InputError(
            name, "扫描件，没有文字层（每一页都只是图片），需要先做文字识别（OCR）", code="no_text_layer"
        )
    for n in scanned:
        issues.append(
            ("pdf_no_text_layer", f"第{n}页没有文字层（可能是扫描图片），该页内容未读取", Location(page=n))
        )
    raw = reconstruct(pages, path=name, fmt="pdf")
    if ocr_read:  # cells built from OCR words carry their confidence
        from ..ocr import attach_confidence

        attach_confidence(raw, pages)
    raw.issues[:0] = issues
    raw.pages = max(raw.pages or 0, len(pages) + sum(1 for c, _, _ in issues if c == "pdf_page_unreadable"))
    return raw


def read_pdf_bytes(name: str, data: bytes) -> Disclosure:
    """Read a text-layer PDF disclosure into the typed model."""
    from ..assemble import assemble

    return assemble(read_pdf_raw(name, data))
