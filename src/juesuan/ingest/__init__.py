"""Readers: one per format, each producing the typed model. Format is sniffed from content."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..model import Disclosure
from ..runtime.gcpause import gc_paused
from .errors import InputError

__all__ = ["InputError", "read", "read_data", "sniff_format"]


def sniff_format(data: bytes) -> str | None:
    """The format of a file from its first bytes (never from its name)."""
    head = data[:2048]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:65536] and b"word" in data[:200000]:
            return "docx"
        if b"xl/" in data[:200000]:
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # xls (or legacy doc, or an encrypted OOXML file)
    if _looks_like_html(data):
        return "html"
    if b"\x00" in head:
        return None
    return "txt"


_HTML_OPEN = re.compile(rb"<(html|!doctype html|table|meta|body|head)\b", re.I)
_HTML_CLOSE = re.compile(rb"</(p|div|td|span|table|body|html)>", re.I)


def _looks_like_html(data: bytes) -> bool:
    """A web page, also when saved as UTF-16, or in GBK with a long preamble before ``<html``."""
    head = data[:16384]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    if _HTML_OPEN.search(head[:4096]):
        return True
    if b"multipart/related" in head[:4096].lower() and head.lstrip()[:14].lower().startswith((b"mime-version", b"from:", b"content-type")):
        return True  # a web archive (.mht), Word's "single file web page"
    return head.lstrip().startswith((b"<", b"\xef\xbb\xbf<")) and bool(_HTML_OPEN.search(head) or _HTML_CLOSE.search(head))


def read(path: str | Path) -> Disclosure:
    """Read a disclosure in any supported format. Raises :class:`InputError` with a clear
    Chinese message for anything that cannot be read."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(name, "文件不存在", code="not_found")
    if p.is_dir():  # the web pages of one disclosure, in name order
        from .office import read_folder

        folder = read_folder(p)
        folder.metadata.source_path = name
        return folder
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(name, f"无法读取文件（{exc.strerror}）", code="unreadable") from exc
    return read_data(name, data)


def read_data(name: str, data: bytes, *, sha256: str | None = None) -> Disclosure:
    """:func:`read` for a file's content already in memory (``name``: its path, for messages and
    ``metadata.source_path``; ``sha256``: the content's hash when the caller has it)."""
    if not data or data.isspace():  # isspace stops at the first printed byte; strip copies
        raise InputError(name, "文件为空", code="empty")
    fmt = sniff_format(data)
    with gc_paused():  # tens of thousands of long-lived objects, almost no cycles (gcpause.py)
        doc = _dispatch(name, data, fmt)
    doc.metadata.source_path = name
    doc.metadata.sha256 = sha256 or hashlib.sha256(data).hexdigest()
    return doc


def _dispatch(name: str, data: bytes, fmt: str | None) -> Disclosure:
    if fmt == "txt":
        from .text import read_text_bytes

        return read_text_bytes(name, data)
    if fmt == "pdf":
        try:
            from .pdf import read_pdf_bytes
        except ImportError as exc:
            raise InputError(name, "此版本未包含 PDF 读取器", code="unsupported") from exc
        return read_pdf_bytes(name, data)
    if fmt in ("docx", "xlsx", "ole", "html", "zip"):
        try:
            from .office import read_office_bytes
        except ImportError as exc:
            raise InputError(name, f"暂不支持此格式（{fmt}）", code="unsupported") from exc
        return read_office_bytes(name, data, fmt)
    raise InputError(name, "不是可识别的文档（二进制内容，既非 PDF、Word、Excel、网页也非文本）", code="not_a_document")
