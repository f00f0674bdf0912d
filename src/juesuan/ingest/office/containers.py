"""The containers Office files come in, opened and told apart by their content: a zip (OOXML
Word or Excel, or the pages of a web site) or an OLE compound file (legacy Excel or Word, or an
OOXML file with an open password). The readers and the dispatcher share these checks.
"""

from __future__ import annotations

import io
import re
import zipfile

from ...runtime.limits import LIMITS, over_budget
from ..errors import InputError

__all__ = ["ENCRYPTED", "HTML_SUFFIXES", "ole_kind", "open_zip", "sheet_rows", "zip_kind"]

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")

ENCRYPTED = "文件已加密（设有打开密码），无法读取：请在 Office/WPS 中取消密码后另存，再重新提交"


def open_zip(name: str, data: bytes) -> zipfile.ZipFile:
    """The zip archive of an OOXML file, checked for damage and for absurd unpacked sizes."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, KeyError, IndexError) as exc:
        raise InputError(name, "文件已损坏：不是完整的 zip 压缩包（Word/Excel 文件可能下载不完整）", code="corrupt") from exc
    # A zip whose parts unpack to more than the budget is refused before one is unpacked (a zip
    # bomb, or not a disclosure). The sizes the directory declares bound what is unpacked:
    # zipfile stops a part at its declared size.
    if len(infos) > LIMITS.zip_parts.count():
        raise InputError(name, "压缩包" + over_budget(LIMITS.zip_parts, len(infos)), code="too_large")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > LIMITS.unpacked_mb.value() * 2**20:
        raise InputError(name, "压缩包" + over_budget(LIMITS.unpacked_mb, unpacked / 2**20), code="too_large")
    return zf


_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def sheet_rows(zf: zipfile.ZipFile, part: str) -> int:
    """How many rows a worksheet part holds, counted in a streaming pass over its XML (a few MB
    at a time): what the row budget is checked on before the workbook is loaded."""
    n = 0
    tail = b""
    with zf.open(part) as f:
        while chunk := f.read(1 << 22):
            buf = tail + chunk
            # a tag cut at the chunk's end is counted in the next round, never twice
            cut = max(0, len(buf) - 64)
            n += sum(1 for m in _ROW.finditer(buf) if m.start() < cut)
            tail = buf[cut:]
    return n + len(_ROW.findall(tail))


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
