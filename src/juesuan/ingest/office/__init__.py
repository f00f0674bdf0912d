"""Office and web formats: the dispatcher for Word, Excel (xlsx and legacy xls), HTML pages and
zip archives. The format is decided from the content (the zip's part names, the OLE container's
stream names, :mod:`.containers`), never from the file's extension.

Each reader lays out the file as a :class:`~juesuan.ingest.raw.RawDocument` (``read_*_raw``):
:mod:`.docx`, :mod:`.xlsx` (also legacy .xls), :mod:`.html` (also web archives, .mht), and
:mod:`.pages` for the pages of a folder or a zip. This module picks the reader, hands the
layout to the format-independent assembler, and turns what cannot be read (a corrupt zip, an
encrypted workbook, a legacy .doc) into a clear Chinese :class:`InputError`. It imports the
readers; they import only :mod:`.containers` and what is below ``office``.
"""

from __future__ import annotations

from pathlib import Path

from ...model import Disclosure
from ..assemble import assemble
from ..errors import InputError
from ..raw import RawDocument
from .containers import ENCRYPTED, ole_kind, open_zip, zip_kind
from .docx import raw_from_zip
from .html import read_html_raw
from .pages import raw_from_zip_pages, read_folder_raw
from .xlsx import convert_yuan, read_xls_raw, read_xlsx_raw

__all__ = ["finish", "raw_office_bytes", "read_folder", "read_office_bytes"]


def raw_office_bytes(name: str, data: bytes, fmt: str | None = None) -> RawDocument:
    """The raw layout of an Office file, a web page or a zip of web pages."""
    if data[:4] == b"PK\x03\x04" or fmt in ("docx", "xlsx", "zip"):
        zf = open_zip(name, data)
        kind = zip_kind(zf)
        if kind == "docx":
            return raw_from_zip(name, zf)
        if kind == "xlsx":
            return read_xlsx_raw(name, data)
        if kind == "html":
            return raw_from_zip_pages(name, zf)
        if kind == "xlsb":
            raise InputError(name, "暂不支持 Excel 二进制工作簿（.xlsb），请在 Excel/WPS 中另存为 .xlsx 后再提交", code="unsupported")
        if kind == "pptx":
            raise InputError(name, "这是 PowerPoint 演示文稿，不是决算公开文件（支持 PDF、Word、Excel、网页和文本）", code="unsupported")
        if kind == "odf":
            raise InputError(name, "暂不支持 OpenDocument（.odt/.ods）格式，请另存为 .docx 或 .xlsx", code="unsupported")
        raise InputError(name, "压缩包中没有 Word、Excel 或网页文件", code="not_a_document")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or fmt == "ole":
        kind = ole_kind(data)
        if kind == "encrypted":
            raise InputError(name, ENCRYPTED, code="encrypted")
        if kind == "xls":
            return read_xls_raw(name, data)
        if kind == "doc":
            raise InputError(name, "暂不支持旧版 Word（.doc）格式，请在 Word/WPS 中另存为 .docx 后再提交", code="unsupported")
        if kind == "ppt":
            raise InputError(name, "这是 PowerPoint 演示文稿，不是决算公开文件", code="unsupported")
        if kind == "broken":
            raise InputError(name, "文件已损坏：Office 复合文档结构不完整", code="corrupt")
        raise InputError(name, "无法识别的 Office 复合文档（既不是 Excel 工作簿也不是 Word 文档）", code="not_a_document")
    return read_html_raw(name, data)


def read_office_bytes(name: str, data: bytes, fmt: str | None = None) -> Disclosure:
    """Read a Word, Excel, HTML or zip-of-pages file to the typed model."""
    raw = raw_office_bytes(name, data, fmt)
    return finish(raw)


def finish(raw: RawDocument) -> Disclosure:
    """Assemble a laid-out document and apply what the reader learnt (unit conversion)."""
    doc = assemble(raw)
    if raw.format in ("xlsx", "xls"):
        convert_yuan(doc)
    return doc


def read_folder(path: str | Path) -> Disclosure:
    """A folder of the web pages of one disclosure, read in name order as one document."""
    return finish(read_folder_raw(Path(path)))
