"""Every line of text of a read disclosure, with its role and place, and the template
placeholders (XX, ××, 某某) a line may hold: what the blank-template verdict counts
(``ingest/document_parts.py``) and what the document rules (family D) judge the wording of.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Disclosure, Location

_WS = re.compile(r"[\s\u3000]+")


def norm(s: str) -> str:
    """Whitespace removed (PDF conversion splits names and numbers with spaces)."""
    return _WS.sub("", s)


def holds_any(text: str, chars: str) -> bool:
    """Whether ``text`` holds one of ``chars`` (a cheap test before a search that needs one)."""
    for ch in chars:
        if ch in text:
            return True
    return False


def quote(s: str, width: int = 60) -> str:
    """A line as a message quotes it: on one line, cut to ``width`` characters."""
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


@dataclass
class Line:
    """One line of text: ``role`` is cover, toc, heading, paragraph, table_title, table_header,
    table_note, cell or table_department; ``table_index`` the table it belongs to."""

    text: str
    role: str
    loc: Location | None
    table_index: int | None


def _raw_lines(doc: Disclosure) -> Iterator[Line]:
    """The texts of ``Disclosure.text_lines()`` in the same order, without building a model
    object per line (documents have a thousand lines)."""
    for p in doc.cover:
        yield Line(p.text, "cover", p.loc, None)
    for e in doc.toc:
        yield Line(e.text, "toc", e.loc, None)
    for s in doc.walk_sections():
        yield Line(s.heading, "heading", s.loc, None)
        for para in s.paragraphs:
            yield Line(para.text, "paragraph", para.loc, None)
    for i, t in enumerate(doc.tables):
        if t.title:
            yield Line(t.title, "table_title", t.loc, i)
        for h in t.header_texts:
            yield Line(h.text, "table_header", h.loc, i)
        for n in t.notes:
            yield Line(n.text, "table_note", n.loc, i)
        for r in t.rows:
            for c in r.cells.values():
                if c.raw and c.value is None:
                    yield Line(c.raw, "cell", c.loc, i)
        for c in t.fields.values():
            if c.raw and c.value is None:
                yield Line(c.raw, "cell", c.loc, i)


def text_lines(doc: Disclosure) -> list[Line]:
    """Every text of the document with its role and place (``Disclosure.text_lines()``), plus
    each table's 部门 and the text fields of 绩效 tables; a table title repeated as a header line
    at the same place is one line."""
    out: list[Line] = []
    seen: set[tuple[str, Location]] = set()
    for line in _raw_lines(doc):
        if line.loc is not None:
            n = len(seen)
            seen.add((line.text, line.loc))  # one hash of the Location (a Python-level hash), not two
            if len(seen) == n:
                continue  # seen before
        out.append(line)
    for i, tb in enumerate(doc.tables):
        if tb.department and (tb.department, tb.loc) not in seen:
            out.append(Line(tb.department, "table_department", tb.loc, i))
        for field in ("project_name", "department", "unit"):
            c = tb.fields.get(field)
            if c is not None and c.raw and c.value is not None:  # text_lines() leaves these out
                out.append(Line(c.raw, "cell", c.loc, i))
    return out


# Template placeholders: XX, XXX, ××, 某某 where a name, an amount or a percentage should be.
PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])(?:[XＸ]\s?){2,}(?![A-Za-z0-9])|(?:×\s?){2,}|某某")
_PLACEHOLDER_CHARS = "XＸ×某"  # every match of PLACEHOLDER holds one of these


def placeholder_lines(lines: list[Line]) -> list[tuple[Line, list[str]]]:
    """The lines that hold a template placeholder, each with the placeholders it holds."""
    out = []
    for line in lines:
        if not holds_any(line.text, _PLACEHOLDER_CHARS):
            continue  # no match is possible
        found = [m.group(0) for m in PLACEHOLDER.finditer(line.text)]
        if found:
            out.append((line, found))
    return out


# Blanks the template left for the writer and the writer never filled: an amount whose number is
# missing between a change or total word and its unit (比上年增加万元, 共计万元, 增长%), or a reason
# or use that is only the template's dots (主要原因是……。). A 元 must end its word (元旦 is no unit).
_UNFILLED_AMOUNT = re.compile(
    r"(?:增加|减少|增长|下降|降低|上升|共计|合计|总计|累计|安排|预算数|预算|支出|收入|总额|结转|结余|占)"
    r"[为了达]?(?:万元|亿元|[%％]|元(?=[，,。；;、）)：:]|$))"
)
_UNFILLED_REASON = re.compile(r"(?:原因是|原因为|主要用于|主要包括)[:：]?(?:…+|\.{3,}|。)")
_UNFILLED_CHARS = "元%％….。"  # every match of either pattern holds one of these


def unfilled_blanks(text: str) -> list[str]:
    """The blanks of the template a line of text left unfilled (spaces ignored), as they read."""
    if not holds_any(text, _UNFILLED_CHARS):
        return []
    t = norm(text)
    return [m.group(0) for rx in (_UNFILLED_AMOUNT, _UNFILLED_REASON) for m in rx.finditer(t)]
