"""Readers: one per format, each producing the typed model. Format is sniffed from content.

- :mod:`.sniff` — the format of a file from its first bytes;
- :mod:`.text` — plain text and Markdown;
- :mod:`.pdf` — PDF: the text layer, and OCR for scanned pages;
- :mod:`.office` — Word, Excel, web pages (also a folder or a zip of them);
- :mod:`.raw` — the layout every reader produces (lines and grids in reading order);
- :mod:`.assemble` — that layout to the typed :class:`~juesuan.model.Disclosure`;
- :mod:`.errors` — :class:`InputError`, what cannot be read, with a Chinese message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from ..model import Disclosure
from ..runtime.gcpause import gc_paused
from ..runtime.limits import LIMITS
from .errors import NOT_A_DISCLOSURE, InputError
from .parts import join_parts, joined_metadata, stamp_file
from .sniff import sniff_format
from .stages import complete
from .text import read_text_bytes

__all__ = [
    "NOT_A_DISCLOSURE",
    "InputError",
    "max_file_bytes",
    "read",
    "read_as_one",
    "read_data",
    "read_file_bytes",
    "sniff_format",
]


def read(path: str | Path) -> Disclosure:
    """Read a disclosure in any supported format, its narrative's claims read and bound
    (``Disclosure.claims``). Raises :class:`InputError` with a clear Chinese message for anything
    that cannot be read."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(name, "文件不存在", code="not_found")
    if p.is_dir():  # the web pages of one disclosure, in name order
        from .office import read_folder  # imported here: the office readers load only when needed

        folder = complete(read_folder(p))
        folder.metadata.source_path = name
        return folder
    return read_data(name, read_file_bytes(p))


def read_as_one(paths: Sequence[str | Path], names: Sequence[str] | None = None) -> Disclosure:
    """Read several files as the parts of one disclosure (its narrative in one file, its tables in
    another): each is assembled on its own, its locations marked with its file's name, the parts
    joined in the order given, and the reader stages run once on the whole, so the narrative's
    claims are bound to the other file's tables. ``names``: what to call each file in messages
    and locations when its path is not its name (the web app stores uploads under generated
    names). Raises :class:`InputError` for a part that cannot be read, naming it."""
    data = [read_file_bytes(p) for p in paths]
    names = [str(p) for p in paths] if names is None else list(names)
    if len(names) != len(data):
        raise ValueError("read_as_one: one name per path")
    parts: list[Disclosure] = []
    with gc_paused():
        for name, content in zip(names, data, strict=True):
            if not content or content.isspace():
                raise InputError(name, "文件为空", code="empty")
            part = _dispatch(name, content, sniff_format(content))
            stamp_file(part, Path(name).name)
            parts.append(part)
        doc = join_parts(parts)
        doc.metadata = joined_metadata(parts, names, data)
        complete(doc)
    return doc


def read_file_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file within the size limit (:func:`max_file_bytes`), checked before
    a byte is read; anything else raises :class:`InputError` with the reason."""
    p, name = Path(path), str(path)
    try:
        if not p.exists():
            raise InputError(name, "文件不存在", code="not_found")
        if not p.is_file():  # a pipe would hang the read, a device (/dev/zero) never end it
            raise InputError(name, "不是普通文件（设备、管道或套接字），不读取", code="not_a_file")
        size, limit = p.stat().st_size, max_file_bytes()
        if size > limit:
            raise InputError(
                name,
                f"文件过大（{size / 2**20:.0f} MB，上限 {limit / 2**20:.0f} MB，可用环境变量 "
                f"{MAX_FILE_MB_ENV} 调整）",
                code="too_large",
            )
        return p.read_bytes()
    except OSError as exc:
        raise InputError(name, f"无法读取文件（{exc.strerror}）", code="unreadable") from exc


MAX_FILE_MB_ENV = LIMITS.file_mb.env  # the largest real disclosures are a few tens of MB (scans)


def max_file_bytes() -> int:
    """The largest file ``read`` takes, in bytes (``JUESUAN_MAX_FILE_MB``, default 200 MB, see
    runtime/limits.py): checked before a byte is read, so a huge or endless input is refused at once."""
    return int(LIMITS.file_mb.value() * 2**20)


def read_data(name: str, data: bytes, *, sha256: str | None = None) -> Disclosure:
    """:func:`read` for a file's content already in memory (``name``: its path, for messages and
    ``metadata.source_path``; ``sha256``: the content's hash when the caller has it)."""
    if not data or data.isspace():  # isspace stops at the first printed byte; strip copies
        raise InputError(name, "文件为空", code="empty")
    fmt = sniff_format(data)
    with gc_paused():  # many long-lived objects, almost no reference cycles (runtime/gcpause.py)
        doc = complete(_dispatch(name, data, fmt))
    doc.metadata.source_path = name
    doc.metadata.sha256 = sha256 or hashlib.sha256(data).hexdigest()
    return doc


def _dispatch(name: str, data: bytes, fmt: str | None) -> Disclosure:
    if fmt == "txt":
        return read_text_bytes(name, data)
    if fmt == "pdf":
        try:
            from .pdf import read_pdf_bytes  # imported here: pypdfium2 loads only when a PDF is read
        except ImportError as exc:
            raise InputError(name, "此版本未包含 PDF 读取器", code="unsupported") from exc
        return read_pdf_bytes(name, data)
    if fmt in ("docx", "xlsx", "ole", "html", "zip"):
        # imported here: the Word, Excel and web-page readers (and lxml, openpyxl, xlrd, olefile
        # behind them) load only when a file of theirs arrives; a PDF check is ~4% faster for it
        from .office import read_office_bytes

        return read_office_bytes(name, data, fmt)
    raise InputError(name, "不是可识别的文档（二进制内容，既非 PDF、Word、Excel、网页也非文本）", code="not_a_document")
