"""pdfium for the whole process: the lock every use of it holds, and opening PDF bytes with
pdfium's failures turned into :class:`~juesuan.ingest.errors.InputError`.

pdfium is not thread-safe, so one lock serves the text-layer reader and the OCR reader alike
(they may run in threads of one process, as the batch and the web worker do).
"""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import InputError

__all__ = ["PDFIUM_LOCK", "open_pdf"]

# Held around every pdfium call of the readers: one document at a time per process.
PDFIUM_LOCK = threading.RLock()

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
