"""The web pages of one disclosure gathered from a folder or a zip archive, in name order (page2
before page10), and read as one document by :func:`.html.raw_from_pages`."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from ...runtime.limits import LIMITS, over_budget
from ..errors import InputError
from ..raw import RawDocument
from ..sniff import sniff_format
from .containers import HTML_SUFFIXES
from .html import raw_from_pages

__all__ = ["natural_key", "raw_from_zip_pages", "read_folder_raw"]


def natural_key(s: str) -> list[Any]:
    """Name order with numbers compared as numbers (page2 before page10)."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", s)]


def raw_from_zip_pages(name: str, zf: zipfile.ZipFile) -> RawDocument:
    """The web pages of a zip archive (by their names' suffix), in name order."""
    try:
        pages = [(n, zf.read(n)) for n in sorted(zf.namelist(), key=natural_key) if n.lower().endswith(HTML_SUFFIXES)]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise InputError(name, "文件已损坏：压缩包中的网页无法解开", code="corrupt") from exc
    return raw_from_pages(name, pages)


def read_folder_raw(folder: Path) -> RawDocument:
    """The web pages of a folder (``*.html``/``*.htm``, by content), in name order."""
    name = str(folder)
    pages: list[tuple[str, bytes]] = []
    for p in sorted(folder.iterdir(), key=lambda x: natural_key(x.name)):
        if not p.is_file() or p.name.startswith("."):
            continue
        try:
            size = p.stat().st_size
            if size > LIMITS.file_mb.value() * 2**20:  # each page held to the budget of a file
                raise InputError(f"{name}/{p.name}", over_budget(LIMITS.file_mb, size / 2**20), code="too_large")
            data = p.read_bytes()
        except OSError:
            continue
        if p.suffix.lower() in HTML_SUFFIXES or sniff_format(data) == "html":
            pages.append((p.name, data))
    if not pages:
        raise InputError(name, "这是一个文件夹，其中没有网页文件（.html/.htm）；请提交文件，或提交一份决算各页网页所在的文件夹", code="is_directory")
    return raw_from_pages(name, pages)
