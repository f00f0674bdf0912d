"""The printed table numbers (D-004): 公开01表, 公开02表 … with no number printed twice and none
missing; a number printed twice with another missing is one finding naming the table that carries
the wrong number, by its place in the 目录 (the reader's ``TocEntry.ordinal``) and in the body."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ....model import Disclosure, Finding, Table, TableKind, TocEntry
from ...base import Rule, register
from ...context import RunContext
from .common import table_name

# (duplicates: number → (index, table) pairs, missing numbers, indices of the tables involved)
Problems = tuple[dict[int, list[tuple[int, Table]]], list[int], set[int]]


def toc_tables(doc: Disclosure) -> list[tuple[TocEntry, TableKind]]:
    """The 目录 lines that list a table, with the table's kind (``TocEntry.table``)."""
    return [(e, e.table) for e in doc.toc if e.table is not None]


def numbered(doc: Disclosure) -> list[tuple[int, Table, int]]:
    """(index, table, printed number) of the tables that print 公开NN表, in document order; a
    table that continues the one before it (same kind and number, 相关统计数 under 三公) is left
    out."""
    out: list[tuple[int, Table, int]] = []
    for i, t in enumerate(doc.tables):
        n = t.number
        if n is None:
            continue
        if out and out[-1][2] == n and (out[-1][1].kind == t.kind or t.kind is TableKind.T09S):
            continue
        out.append((i, t, n))
    return out


def numbering_problems(ctx: RunContext) -> Problems:
    """The duplicate and missing numbers (D-004 reports them; D-005 leaves the tables involved to
    it). Once per run."""
    return ctx.once("numbering problems", ctx.doc, lambda: _numbering_problems(ctx.doc))


def _numbering_problems(doc: Disclosure) -> Problems:
    by_no: dict[int, list[tuple[int, Table]]] = defaultdict(list)
    for i, t, n in numbered(doc):
        by_no[n].append((i, t))
    dups = {n: ts for n, ts in by_no.items() if len(ts) > 1}
    missing: list[int] = []
    if by_no:
        top = max(by_no)
        missing = [n for n in range(1, top + 1) if n not in by_no]
    involved = {i for ts in dups.values() for i, _ in ts}
    return dups, missing, involved


def _toc_ordinal(doc: Disclosure, kind: TableKind) -> int | None:
    """The list number of the 目录 line that lists a table of ``kind``."""
    for e, listed in toc_tables(doc):
        if listed == kind and e.ordinal is not None:
            return e.ordinal
    return None


_CN = "零一二三四五六七八九"


def number_label(n: int, like: str) -> str:
    """Table number ``n`` written as the document prints its numbers (``like`` is one printed
    number): 公开05表 where 公开01表 is printed, 公开表五 where Jiangsu prints 公开表一; a
    reviewer searches the document for the words the finding quotes."""
    digits = "".join(ch for ch in like if ch.isdigit())
    if digits:
        return like.replace(digits, f"{n:0{len(digits)}d}", 1)
    tens, ones = divmod(n, 10)
    cn = (("" if tens == 1 else _CN[tens]) + "十" if tens else "") + (_CN[ones] if ones else "")
    return re.sub("[一二三四五六七八九十]+", cn, like, count=1)


_UNNUMBERED_OK = (TableKind.T09S, TableKind.PERF_PROJECT, TableKind.PERF_DEPT)


def _unnumbered_between(doc: Disclosure, numbered: list[tuple[int, Table, int]], n: int) -> bool:
    """A table without a printed number sits where 公开NN表 n belongs: its number may simply not
    have been read, so the gap is not reported."""
    before = max((i for i, _, m in numbered if m < n), default=-1)
    after = min((i for i, _, m in numbered if m > n), default=len(doc.tables))
    return any(t.number is None and t.kind not in _UNNUMBERED_OK for t in doc.tables[before + 1 : after])


@register
class TableNumbers(Rule):
    """The printed table numbers (公开01表 …) have no duplicates and no gaps. When one number is
    printed twice and another is missing, one finding names the table that carries the wrong
    number (using its place among the tables and the 目录).

    Wrong:
        《一般公共预算财政拨款基本支出决算明细表》公开08表 … 《国有资本经营预算财政拨款支出决算表》公开08表（无公开06表）
    Right:
        《一般公共预算财政拨款基本支出决算明细表》公开06表 … 《国有资本经营预算财政拨款支出决算表》公开08表
    """

    id = "D-004"
    title = "公开表编号无重复无缺号"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        dups, missing, _ = numbering_problems(ctx)
        tables_numbered = numbered(doc)
        pos = {i: k + 1 for k, (i, _, _) in enumerate(tables_numbered)}
        like = tables_numbered[0][1].printed_number or "公开01表" if tables_numbered else "公开01表"

        def label(n: int) -> str:
            return number_label(n, like)

        left = list(missing)
        for n, tables in sorted(dups.items()):
            refs = [ctx.table_ref(t) for _, t in tables]
            names = "、".join(table_name(t) for _, t in tables)
            # the table whose place (in the body or the 目录) is a missing number carries the wrong one
            culprit = None
            for i, t in tables:
                want = _toc_ordinal(doc, t.kind) or pos[i]
                if want in left and want != n:
                    culprit = (t, want)
                    left.remove(want)
                    break
            if culprit:
                t, want = culprit
                yield self.finding(
                    f"表号“{label(n)}”重复（{names}），且缺少“{label(want)}”：{table_name(t)}"
                    f"应为{label(want)}（在目录和正文中排第{want}）",
                    refs,
                    expected=label(want),
                    found=label(n),
                )
            else:
                yield self.finding(f"表号“{label(n)}”重复：{names}", refs, found=label(n))
        left = [n for n in left if not _unnumbered_between(doc, tables_numbered, n)]
        if left:
            shown = "、".join(label(n) for n in left)
            after = [ctx.table_ref(t) for _, t, m in tables_numbered if m > left[0]][:1]
            yield self.finding(
                f"表号不连续：缺少{shown}",
                after or [ctx.table_ref(tables_numbered[0][1])],
                expected=shown,
            )
