"""What format a file is, from its first bytes (never from its name)."""

from __future__ import annotations

import re

__all__ = ["sniff_format"]


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
