"""Office and web formats: the dispatcher for Word, Excel (xlsx and legacy xls), HTML pages and
zip archives. The format is decided from the content (the zip's part names, the OLE container's
stream names), never from the file's extension.

Each reader lays out the file as a :class:`~juesuan.ingest.raw.RawDocument` (``read_*_raw``) and
hands it to the format-independent assembler; this module only picks the reader and turns what
cannot be read (a corrupt zip, an encrypted workbook, a legacy .doc) into a clear Chinese
:class:`InputError`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from ...model import Disclosure
from ..errors import InputError
from ..raw import RawDocument

__all__ = ["ole_kind", "raw_office_bytes", "read_office_bytes", "read_folder", "zip_kind"]

# A zip whose parts unpack to more than this is refused (a zip bomb, or not a disclosure).
MAX_UNPACKED = 400 * 1024 * 1024
MAX_PARTS = 20000
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def open_zip(name: str, data: bytes) -> zipfile.ZipFile:
    """The zip archive of an OOXML file, checked for damage and for absurd unpacked sizes."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, KeyError, IndexError) as exc:
        raise InputError(name, "文件已损坏：不是完整的 zip 压缩包（Word/Excel 文件可能下载不完整）", code="corrupt") from exc
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise InputError(name, "压缩包解压后过大，不像是一份决算公开文件", code="too_large")
    return zf


def zip_kind(zf: zipfile.ZipFile) -> str:
    """docx, xlsx, xlsb, pptx, odf, html (a zip of web pages) or zip (nothing we know)."""
    names = zf.namelist()
    low = {n.lower() for n in names}
    if any(n.startswith("word/") for n in low):
        return "docx"
    if "xl/workbook.xml" in low or any(n.startswith("xl/") and n.endswith("workbook.xml") for n in low):
        return "xlsx"
    if "xl/workbook.bin" in low:
        return "xlsb"
    if any(n.startswith("ppt/") for n in low):
        return "pptx"
    if "mimetype" in low or "content.xml" in low:
        return "odf"
    if any(n.endswith(HTML_SUFFIXES) for n in low):
        return "html"
    return "zip"


def ole_kind(data: bytes) -> str:
    """What an OLE compound file holds: encrypted (an OOXML file with an open password), xls,
    doc, ppt, or ole (unknown)."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises many kinds for a broken container
        return "broken"
    try:
        streams = {"/".join(p).lower() for p in ole.listdir(streams=True, storages=False)}
    except Exception:
        return "broken"
    finally:
        ole.close()
    if "encryptioninfo" in streams and "encryptedpackage" in streams:
        return "encrypted"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "worddocument" in streams:
        return "doc"
    if "powerpoint document" in streams:
        return "ppt"
    return "ole"


ENCRYPTED = "文件已加密（设有打开密码），无法读取：请在 Office/WPS 中取消密码后另存，再重新提交"


def raw_office_bytes(name: str, data: bytes, fmt: str | None = None) -> RawDocument:
    """The raw layout of an Office file, a web page or a zip of web pages."""
    if data[:4] == b"PK\x03\x04" or fmt in ("docx", "xlsx", "zip"):
        zf = open_zip(name, data)
        kind = zip_kind(zf)
        if kind == "docx":
            from .docx import raw_from_zip

            return raw_from_zip(name, zf)
        if kind == "xlsx":
            from .xlsx import read_xlsx_raw

            return read_xlsx_raw(name, data)
        if kind == "html":
            from .html import _natural, raw_from_pages

            try:
                pages = [(n, zf.read(n)) for n in sorted(zf.namelist(), key=_natural) if n.lower().endswith(HTML_SUFFIXES)]
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
                raise InputError(name, "文件已损坏：压缩包中的网页无法解开", code="corrupt") from exc
            return raw_from_pages(name, pages)
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
            from .xlsx import read_xls_raw

            return read_xls_raw(name, data)
        if kind == "doc":
            raise InputError(name, "暂不支持旧版 Word（.doc）格式，请在 Word/WPS 中另存为 .docx 后再提交", code="unsupported")
        if kind == "ppt":
            raise InputError(name, "这是 PowerPoint 演示文稿，不是决算公开文件", code="unsupported")
        if kind == "broken":
            raise InputError(name, "文件已损坏：Office 复合文档结构不完整", code="corrupt")
        raise InputError(name, "无法识别的 Office 复合文档（既不是 Excel 工作簿也不是 Word 文档）", code="not_a_document")
    from .html import read_html_raw

    return read_html_raw(name, data)


def read_office_bytes(name: str, data: bytes, fmt: str | None = None) -> Disclosure:
    """Read a Word, Excel, HTML or zip-of-pages file to the typed model."""
    raw = raw_office_bytes(name, data, fmt)
    return finish(raw)


def finish(raw: RawDocument) -> Disclosure:
    """Assemble a laid-out document and apply what the reader learnt (unit conversion)."""
    from ..assemble import assemble

    doc = assemble(raw)
    if raw.format in ("xlsx", "xls"):
        from .xlsx import convert_yuan

        convert_yuan(doc)
    return doc


def read_folder(path: str | Path) -> Disclosure:
    """A folder of the web pages of one disclosure, read in name order as one document."""
    from .html import read_html_folder_raw

    return finish(read_html_folder_raw(Path(path)))
