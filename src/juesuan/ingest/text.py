"""The plain-text and Markdown reader.

Plain text is shaped like a PDF-to-text conversion: one paragraph per line, tables as
tab-separated lines (consecutive tab lines form one grid; a blank line ends it). Markdown adds
``#`` headings, ``- `` list items, ``**bold**`` and pipe tables (``| a | b |`` with a ``|---|``
separator line). Every line and cell keeps its 1-based line and character column.
"""

from __future__ import annotations

import re

from ..model import Disclosure, Location
from ..runtime.limits import LIMITS, over_budget
from .assemble import assemble
from .errors import InputError
from .raw import RawCell, RawDocument, RawGrid, RawLine

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|>)\s+")
# each run of spaces has one way to match (no two adjacent ``\s*``): a line of a million spaces
# is rejected in linear time
_MD_SEPARATOR = re.compile(r"^\s*(?:\|\s*)?:?-{2,}:?(?:\s*\|\s*:?-{2,}:?)*\s*(?:\|\s*)?$")
# Markdown's marks on any line of a text. Only spaces and tabs before a mark ([^\S\n], not \s):
# a multi-line ``^\s*`` would run from every line start across all the blank lines after it,
# quadratic in a text of many blank lines.
_MD_HEADING_OR_PIPE = re.compile(r"(?m)^[^\S\n]{0,3}#{1,6}\s|^[^\S\n]*\|.*\|[^\S\n]*$")
_MD_RULE_ROW = re.compile(r"(?m)^[^\S\n]*(?:\|[^\S\n]*)?:?-{3,}:?[^\S\n]*\|")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


# a text with at most this share of undecodable bytes is read, each damaged place marked; more
# and it is not text in a known encoding
_MAX_DAMAGE = 0.001
_REPLACED = "\ufffd"


def decode(name: str, data: bytes) -> tuple[str, list[int]]:
    """UTF-8 (with or without BOM), else GB18030; binary content is refused. A few undecodable
    bytes (a damaged copy) do not refuse the file: they are replaced by U+FFFD and their offsets
    in the text returned, so the reader can mark the places and read the rest."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:65536]:
        raise InputError(name, "不是文本文件（含有二进制内容）", code="binary")
    text: str | None = None
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    damaged: list[int] = []
    if text is None:
        text, damaged = _least_damaged(data)
        if len(damaged) > max(1, int(len(text) * _MAX_DAMAGE)):
            raise InputError(name, "无法识别文本编码（既不是 UTF-8 也不是 GB18030）", code="encoding")
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(name, "不是文本文件（含有大量控制字符）", code="binary")
    return text, damaged


def _least_damaged(data: bytes) -> tuple[str, list[int]]:
    """The decoding (UTF-8 or GB18030, undecodable bytes replaced) with the fewest replacements,
    and the offsets of the replacements it made."""
    best: tuple[str, list[int]] | None = None
    for encoding in ("utf-8", "gb18030"):
        text = data.decode(encoding, errors="replace")
        places = [i for i, ch in enumerate(text) if ch == _REPLACED]
        if best is None or len(places) < len(best[1]):
            best = (text, places)
    assert best is not None
    return best


_new_location = Location.__new__
_set = object.__setattr__


def _at(line: int, col: int) -> Location:
    """``Location(line=line, col=col)`` without pydantic validation (both are ints already): one
    is made per cell and line, thousands per document. The same object (fields in declaration
    order, ``line`` and ``col`` set)."""
    loc = _new_location(Location)
    _set(
        loc, "__dict__", {"line": line, "col": col, "end_line": None, "page": None, "bbox": None, "ref": None, "file": None}
    )
    _set(loc, "__pydantic_fields_set__", {"line", "col"})
    _set(loc, "__pydantic_extra__", None)
    _set(loc, "__pydantic_private__", None)
    return loc


def _tab_cells(line: str, lineno: int) -> list[RawCell]:
    """Cells of a tab-separated line; a blank cell is located where it would start."""
    cells: list[RawCell] = []
    col = 0
    for part in line.split("\t"):
        text = part.strip()
        lead = len(part) - len(part.lstrip()) if text else 0
        cells.append(RawCell(text, _at(lineno, col + lead + 1)))
        col += len(part) + 1
    return cells


def _pipe_cells(line: str, lineno: int) -> list[RawCell]:
    s = line.rstrip()
    start = len(s) - len(s.lstrip())
    body = s.strip()
    if body.startswith("|"):
        body, start = body[1:], start + 1
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[RawCell] = []
    col = start
    for part in body.split("|"):
        lead = len(part) - len(part.lstrip())
        cells.append(RawCell(part.strip().replace("<br>", ""), _at(lineno, col + lead + 1)))
        col += len(part) + 1
    return cells


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 2


def _md_depth(line: str) -> int:
    """1 for ``# x``, 2 for ``## x`` … ; 0 for anything that is not a Markdown heading."""
    m = _MD_HEADING.match(line)
    return m.group(0).count("#") if m else 0


def _clean_text(line: str) -> tuple[str, int]:
    """Text of a non-table line without Markdown markers, and the column where it starts."""
    s = line.rstrip()
    m = _MD_HEADING.match(s) or _MD_ITEM.match(s)
    start = m.end() if m else len(s) - len(s.lstrip())
    text = s[start:].replace("**", "").replace("__", "").strip()
    return text, start + 1


def raw_from_text(name: str, text: str, fmt: str = "txt") -> RawDocument:
    """Lines and grids of a text or Markdown document."""
    raw = RawDocument(path=name, format=fmt)
    grid: list[list[RawCell]] = []
    grid_line = 0

    def flush() -> None:
        nonlocal grid
        if grid:
            raw.blocks.append(
                RawGrid(rows=grid, loc=Location(line=grid_line, end_line=grid_line + len(grid) - 1))
            )
            grid = []

    for i, line in enumerate(text.splitlines(), start=1):
        if "\t" in line and line.strip():
            if not grid:
                grid_line = i
            grid.append(_tab_cells(line, i))
            continue
        if _is_pipe_row(line):
            if _MD_SEPARATOR.match(line):
                continue
            if not grid:
                grid_line = i
            grid.append(_pipe_cells(line, i))
            continue
        flush()
        content, col = _clean_text(line)
        if content:
            depth = _md_depth(line)
            if depth:
                # a Markdown heading: bold, and `size` as a heading hint (7 - depth: larger is higher)
                raw.blocks.append(RawLine(text=content, loc=_at(i, col), bold=True, size=float(7 - depth)))
            else:
                raw.blocks.append(RawLine(text=content, loc=_at(i, col)))
    flush()
    return raw


def check_text_budget(name: str, data: bytes) -> None:
    """Refuse a text over the line or length budget (runtime/limits.py) before it is decoded or
    split: a million-line file would take gigabytes as lines, cells and locations."""
    lines = data.count(b"\n") + 1
    if lines > LIMITS.text_lines.count():
        raise InputError(name, over_budget(LIMITS.text_lines, lines), code="too_large")
    # a character takes at least one byte: a text of fewer bytes than the budget is within it
    if len(data) > LIMITS.text_chars.count():
        chars = len(data.decode("utf-8", errors="ignore")) if len(data) <= 4 * LIMITS.text_chars.count() else len(data)
        if chars > LIMITS.text_chars.count():
            raise InputError(name, over_budget(LIMITS.text_chars, chars), code="too_large")


def read_text_bytes(name: str, data: bytes) -> Disclosure:
    """Read a plain-text or Markdown disclosure."""
    check_text_budget(name, data)
    text, damaged = decode(name, data)
    if not text.strip():
        raise InputError(name, "文件为空", code="empty")
    fmt = (
        "md"
        if _MD_HEADING_OR_PIPE.search(text)
        and name.lower().endswith((".md", ".markdown"))
        else "txt"
    )
    if fmt == "txt" and _MD_RULE_ROW.search(text):
        fmt = "md"
    raw = raw_from_text(name, text, fmt)
    for i, offset in enumerate(damaged):
        if i and damaged[i - 1] == offset - 1:
            continue  # one damaged character: its bytes replaced one by one
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raw.issues.append(
            (
                "undecodable",
                f"第 {line} 行第 {col} 个字符处有无法解码的字节（文件可能已损坏），已以 � 代替",
                _at(line, col),
            )
        )
    return assemble(raw)
