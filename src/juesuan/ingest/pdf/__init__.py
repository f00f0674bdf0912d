"""The PDF reader, on pypdfium2 (Apache-2.0 / BSD-3).

Two layers, so the OCR reader can reuse the second:

1. :mod:`.primitives` — words (character runs with boxes and font size) and ruling lines of each
   page in its displayed orientation.
2. :mod:`.layout` — :func:`~.layout.reconstruct`: tables from ruling lines, running text in
   reading order, as a :class:`~juesuan.ingest.raw.RawDocument`.

Pages without a text layer (scans) are read by OCR into the same primitives when the
``juesuan[ocr]`` extra is installed: :mod:`.ocr` (rendering and the engine), :mod:`.ocr_lines`
(ruling lines from pixels), :mod:`.ocr_words` (OCR boxes to words). :mod:`.pdfium_access` holds
the process-wide lock around pdfium and opens PDF bytes for both.

:func:`read_pdf_bytes` opens the bytes, builds both layers and hands the raw document to the
format-independent assembler. Bad input (not a PDF, truncated or corrupt, encrypted, no pages,
no text layer) raises :class:`~juesuan.ingest.errors.InputError` with a Chinese message naming
the file. A page that cannot be read or structured becomes a ``RawDocument.issues`` entry and
the rest of the document is read.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...model import Disclosure, Location
from ...runtime.limits import LIMITS, over_budget
from ..assemble import assemble
from ..errors import InputError
from ..raw import RawDocument
from .layout import reconstruct
from .pdfium_access import PDFIUM_LOCK, open_pdf
from .primitives import PageContent, Segment, Word, page_content

__all__ = ["PageContent", "Segment", "Word", "read_pdf_bytes", "read_pdf_raw", "open_pdf"]


def _has_images(page: pdfium.PdfPage) -> bool:
    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        t = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(t) in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            return True
    return False


def read_pdf_raw(name: str, data: bytes) -> RawDocument:
    """The raw document (lines and grids with page and bbox) of a text-layer PDF."""
    with PDFIUM_LOCK:
        pdf = open_pdf(name, data)
        try:
            if len(pdf) > LIMITS.pages.count():  # before a page is read
                raise InputError(name, over_budget(LIMITS.pages, len(pdf)), code="too_large")
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
        # imported here so that numpy and the OCR code load only for a PDF with scanned pages
        from .ocr import no_text_layer_error, ocr_scanned_pages

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
        from .ocr import attach_confidence  # loaded above already (a scan); see there

        attach_confidence(raw, pages)
    raw.issues[:0] = issues
    raw.pages = max(raw.pages or 0, len(pages) + sum(1 for c, _, _ in issues if c == "pdf_page_unreadable"))
    return raw


def read_pdf_bytes(name: str, data: bytes) -> Disclosure:
    """Read a text-layer PDF disclosure into the typed model."""
    return assemble(read_pdf_raw(name, data))
