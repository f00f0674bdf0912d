"""The 目录 against the body (D-005): every table the 目录 lists is in the body and every standard
table of the body is listed, at the place its printed number says; every part (第X部分) and 一、
heading of the body is listed, and each 一、 line of the 目录 has its heading, worded alike.

The reader has read each 目录 line (its title without the page, its outline mark, the table it
lists: ``TocEntry``) and each heading's outline mark (``Section.part`` / ``item``); this module
matches the two outlines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from ....model import Disclosure, Finding, Location, Ref, Section, Severity, TableKind, TocEntry
from ....tables.recognize import squash
from ....tables.regions import split_part
from ...base import Rule, register
from ...context import RunContext
from .common import effective_kind, quote, table_name
from .table_numbering import numbering_problems, toc_tables

# what is not a heading's words when comparing two: years, spaces and punctuation
_NOT_WORDS = re.compile(r"(?:19|20)\d{2}\s*年度?|[\s。：:；;，,.、（）()“”\"'《》]")


@dataclass
class Heading:
    """A 第X部分 or 一、 heading of the 目录 or of the body."""

    text: str
    ordinal: int | None
    words: str  # the heading without its ordinal, years and punctuation, for comparison
    loc: Location | None
    section: Section | None = None  # the body's section
    named_table: TableKind | None = None  # a 目录 line's: the table whose subject it names


def _toc_heading(e: TocEntry) -> Heading:
    ordinal = e.part if e.part is not None else e.item
    return Heading(e.title, ordinal, _NOT_WORDS.sub("", e.name), e.loc, named_table=e.named_table)


def _body_heading(sec: Section) -> Heading:
    ordinal = sec.part if sec.part is not None else sec.item
    return Heading(sec.heading.strip(), ordinal, _NOT_WORDS.sub("", sec.name), sec.loc, sec)


Outline = tuple[dict[int, Heading], dict[int, list[Heading]]]


def toc_outline(doc: Disclosure) -> Outline:
    """The 目录's parts (第X部分, by ordinal) and the 一、 items listed under each."""
    parts: dict[int, Heading] = {}
    items: dict[int, list[Heading]] = {}
    part: int | None = None
    for e in doc.toc:
        if e.part is not None:
            part = e.part
            parts[part] = _toc_heading(e)
            items[part] = []
        elif e.item is not None and part is not None:
            items[part].append(_toc_heading(e))
    return parts, items


def body_outline(doc: Disclosure) -> Outline:
    """The body's parts and, under each, its outermost 一、 headings (not those inside another)."""
    parts: dict[int, Heading] = {}
    items: dict[int, list[Heading]] = {}

    def visit(sections: list[Section], part: int | None, inside: bool) -> int | None:
        for sec in sections:
            is_item = False
            if sec.part is not None:
                part = sec.part
                parts.setdefault(part, _body_heading(sec))
                items.setdefault(part, [])
            elif sec.item is not None and part is not None and not inside:
                items[part].append(_body_heading(sec))
                is_item = True
            part = visit(sec.children, part, inside or is_item)
        return part

    visit(doc.sections, None, False)
    return parts, items


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def _alike(a: str, b: str, at_least: float) -> bool:
    """``_similar(a, b) >= at_least``, with difflib's cheap upper bounds (lengths, shared
    characters) tried first: a pair failing those never reaches ``ratio``. Used where most pairs
    are unrelated (a 目录 line against every heading of the body); between a heading and its 目录
    candidates the bounds rarely fail and cost more than they save (measured), so ``_similar``."""
    if not a or not b:
        return at_least <= 0.0
    m = SequenceMatcher(None, a, b)
    return m.real_quick_ratio() >= at_least and m.quick_ratio() >= at_least and m.ratio() >= at_least


def heading_problems(doc: Disclosure) -> list[tuple[str, Heading | None, Heading | None]]:
    """("unlisted", body heading, None): a heading of the body the 目录 does not list;
    ("absent", None, 目录 line): a section the 目录 lists that the body does not have (table lines are
    left to the table check); ("differs", body heading, 目录 line): the same ordinal worded
    differently. Compared part by part where both sides list 一、 items and at least half of the
    body's match, and only when most of the body's headings match (at least three): otherwise the
    heading tree was not read as printed."""
    toc_parts, toc_items = toc_outline(doc)
    body_parts, body_items = body_outline(doc)
    out: list[tuple[str, Heading | None, Heading | None]] = []
    if len(toc_parts) >= 3:
        out += [("unlisted", h, None) for p, h in body_parts.items() if p not in toc_parts]
    checked: list[tuple[list[Heading], list[tuple[Heading, Heading | None, bool]]]] = []

    @lru_cache(maxsize=1)
    def everywhere() -> list[str]:
        return [_NOT_WORDS.sub("", sec.name) for sec in doc.walk_sections()]

    for p, listed in toc_items.items():
        body = body_items.get(p, [])
        if not listed or not body:
            continue
        # each 目录 line answers for one heading: first the heading of its ordinal, worded alike;
        # then, among the lines left, one worded almost the same (a 目录 without ordinals)
        same = {
            id(b): next((t for t in listed if t.ordinal == b.ordinal and b.ordinal is not None), None)
            for b in body
        }
        match: dict[int, Heading] = {}
        for b in body:
            t = same[id(b)]
            if t is not None and _similar(b.words, t.words) >= 0.5:
                match[id(b)] = t
        for b in body:
            if id(b) in match:
                continue
            free = [t for t in listed if all(t is not m for m in match.values())]
            close = max(free, key=lambda t: _similar(b.words, t.words), default=None)
            if close is not None and _similar(b.words, close.words) >= 0.85:
                match[id(b)] = close
        taken = {id(t) for t in match.values()}
        pairs: list[tuple[Heading, Heading | None, bool]] = []  # body heading, its 目录 line, matched
        for b in body:
            t = same[id(b)]
            if id(b) in match:
                pairs.append((b, match[id(b)], True))
            else:  # the line of its ordinal, when no other heading answers to it: worded differently
                pairs.append((b, t if t is not None and id(t) not in taken else None, False))
        if sum(ok for _, _, ok in pairs) >= max(1, 0.5 * len(body)):
            checked.append((listed, pairs))
    n_ok = sum(ok for _, pairs in checked for _, _, ok in pairs)
    if n_ok < 3 or n_ok < 0.6 * sum(len(pairs) for _, pairs in checked):
        return out
    for listed, pairs in checked:
        for b, t, ok in pairs:
            if not ok:
                out.append(("differs", b, t) if t is not None else ("unlisted", b, None))
        used = {id(t) for _, t, _ in pairs if t is not None}
        for t in listed:
            if id(t) in used or t.named_table is not None:
                continue
            # a heading the reader placed elsewhere in the tree (inside another 一、) is there
            if not any(_alike(t.words, w, 0.85) for w in everywhere()):
                out.append(("absent", None, t))
    return out


@register
class TocMatchesBody(Rule):
    """Every table the 目录 lists is in the body (error), every standard table of the body is
    in the 目录 (warning), and a table's place in the 目录 agrees with its printed number (error),
    unless D-004 already names that table's number. The headings too (warning): each part
    (第X部分) and each 一、 heading of the body is listed in the 目录, each 一、 line of the 目录 has
    its heading, and a heading and its 目录 line of the same ordinal are worded alike (page numbers,
    years and small wording differences such as 部门职责 / 部门主要职责 are not differences).

    Wrong:
        目录：十、部门预算项目支出绩效自评表 — 正文没有绩效自评表
    Right:
        目录：十、部门预算项目支出绩效自评表 — 正文附《项目支出绩效自评表》
    """

    id = "D-005"
    title = "目录与正文一致"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        listed: set[TableKind] = set()  # kinds already reported with their heading
        for what, b, h in heading_problems(doc):
            if what == "unlisted" and b is not None:
                tables = [doc.tables[i] for i in (b.section.table_indices if b.section else [])]
                listed |= {x.kind for x in tables}
                yield self.finding(
                    f"正文中的标题“{quote(b.text, 40)}”未列入目录",
                    [Ref(text=b.text, loc=b.loc)] + [ctx.table_ref(x) for x in tables],
                    severity=Severity.WARNING,
                    found=b.text,
                )
            elif what == "absent" and h is not None:
                yield self.finding(
                    f"目录列出的“{quote(h.text, 40)}”在正文中没有对应的标题",
                    [Ref(text=h.text, loc=h.loc)],
                    severity=Severity.WARNING,
                    expected=h.text,
                )
            elif b is not None and h is not None:
                yield self.finding(
                    f"目录中的“{quote(h.text, 40)}”与正文标题“{quote(b.text, 40)}”不一致",
                    [Ref(text=b.text, loc=b.loc), Ref(text=h.text, loc=h.loc)],
                    severity=Severity.WARNING,
                    expected=h.text,
                    found=b.text,
                )
        entries = toc_tables(doc)
        if not entries:
            return
        body_kinds = {effective_kind(t) for t in doc.tables}
        _, _, involved = numbering_problems(ctx)
        for e, kind in entries:
            text = e.text.strip()
            present = kind in body_kinds or (
                kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)
                and body_kinds & {TableKind.PERF_PROJECT, TableKind.PERF_DEPT}
            )
            if not present:
                yield self.finding(
                    f"目录列出的“{quote(text, 40)}”在正文中没有",
                    [Ref(text=text, loc=e.loc)],
                    expected=text,
                )
                continue
            # the printed number agrees with the 目录
            # of several tables of one kind (Sichuan prints two 国有资本经营 tables), the one the line names
            same = [t for t in doc.tables if t.kind == kind and t.number is not None]
            table = next((t for t in same if t.title and squash(t.title) in squash(text)), same[0] if same else None)
            want = e.table_number or e.ordinal
            if table is None or want is None or kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT):
                continue
            idx = ctx.table_index(table)
            if table.number != want and idx not in involved:
                yield self.finding(
                    f"目录中排第{want}的“{quote(text, 40)}”，正文印为{table.printed_number}",
                    [Ref(text=text, loc=e.loc), ctx.table_ref(table)],
                    expected=f"公开{want:02d}表",
                    found=table.printed_number,
                )
        listed |= {kind for _, kind in entries}
        if len(entries) >= 3:
            standard = [k for k in TableKind if k.value.startswith("T") and k is not TableKind.T09S]
            for t in doc.tables:
                if t.kind in standard and t.kind not in listed and not split_part(t.title, t.printed_number):
                    listed.add(t.kind)
                    yield self.finding(
                        f"正文中的{table_name(t)}未列入目录",
                        [ctx.table_ref(t)],
                        severity=Severity.WARNING,
                    )
