"""The identities of the tables as findings: a signed balance, a part not above its whole, each
row's total equal to its parts, and the 类/款/项 hierarchy of the 功能分类 rows, reported at the
place a discrepancy starts and not restated above it (the policy below)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

from ..model import Cell, Finding, Ref, Row, Severity, Table
from ..tables.schema import row_label
from .arith import Verdict, compare, fmt, fmt_signed
from .base import Rule
from .compare import (
    What,
    as_ref,
    as_refs,
    mismatch,
    settled,
    sums_equal,
    what_text,
)
from .context import CellAt, RunContext

_ZERO = Decimal(0)


# --- helpers of the table families (T01–T11, X) ----------------------------------------------
# Policy against restating a discrepancy (used by every table and cross-table rule):
#
# * hierarchy (合计 → 类 → 款 → 项) is reported at the lowest level where it breaks: a parent is
#   compared with its children twice, once with the children as printed and once with every child
#   that itself disagrees with its own children replaced by their sum; only when both comparisons
#   fail is the parent reported (a wrong 款 is reported once, not again at its 类 and at 合计);
# * a total derived from other totals (总计 from 本年收入合计, 收入总计 = 支出总计) is checked the same
#   way: it is not reported when the break is fully explained by an input already reported;
# * a cross-table total is not reported when the row-by-row differences already reported add up
#   to its difference.


def _signed_terms(terms: list[tuple[int, Ref]], decimals: Sequence[int]) -> str:
    out: list[str] = []
    for i, (sign, r) in enumerate(terms):
        v = fmt(r.value, decimals[i]) if r.value is not None else "0（空）"
        op = "−" if sign < 0 else ("+" if i else "")
        out.append(f"{op} {v}".strip())
    return " ".join(out) if out else "0"


def balance_finding(
    self: Rule,
    ctx: RunContext,
    what: What,
    total: Ref | CellAt,
    signed: Sequence[tuple[int, Ref | CellAt]],
    decimals: int | None = None,
) -> Finding | None:
    """Compare ``total`` with a signed sum of ``signed`` (``(+1, ref)`` / ``(-1, ref)``), with the
    same rounding interval, precision and severities as :meth:`Rule.sum_finding` (and, like it,
    Refs and message only for a finding)."""
    parts = [(r.value if s > 0 else -r.value) if r.value is not None else None for s, r in signed]
    if sums_equal(total.value, parts):
        return None
    total = as_ref(total)
    terms = [(s, as_ref(r)) for s, r in signed]
    what = what_text(what)
    refs = [total, *(r for _, r in terms)]
    fd, *pd = self.places(ctx, refs, decimals)
    cmp = compare(total.value, parts, found_decimals=fd, part_decimals=pd)
    if cmp.verdict is Verdict.EQUAL:
        return None
    d = max([fd, *pd])
    arithmetic = (
        f"{fmt(cmp.found, fd)} ≠ {_signed_terms(terms, pd)} = {fmt(cmp.expected, d)}；"
        f"差 {fmt_signed(cmp.difference, d)}，容差 ±{cmp.tolerance.normalize():f}"
        f"（{cmp.tolerance_text()}）"
    )
    if cmp.verdict is Verdict.ROUNDING:
        return self.finding(
            f"{what}：相差 {fmt_signed(cmp.difference, d)}，在尾数误差范围内",
            refs,
            severity=Severity.INFO,
            expected=fmt(cmp.expected, d),
            found=fmt(cmp.found, fd),
            difference=cmp.difference,
            tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )
    return self.finding(
        f"{what}：应为 {fmt(cmp.expected, d)}，实为 {fmt(cmp.found, fd)}，"
        f"相差 {fmt_signed(cmp.difference, d)}",
        refs,
        expected=fmt(cmp.expected, d),
        found=fmt(cmp.found, fd),
        difference=cmp.difference,
        tolerance=cmp.tolerance,
        arithmetic=arithmetic,
    )


def not_above_finding(
    self: Rule,
    ctx: RunContext,
    what: What,
    part: Ref | CellAt | Sequence[Ref | CellAt],
    whole: Ref | CellAt,
    decimals: int | None = None,
    severity: Severity | None = None,
    exact: bool = False,
) -> Finding | None:
    """``part`` (or the sum of several) must not exceed ``whole``. Inside the rounding interval an
    excess is reported as ``info``; beyond it with ``severity`` (the rule's by default). ``exact``
    values (counts of people, vehicles) have no rounding interval. Each value is taken at the
    printed precision of its own table unless ``decimals`` is given. Refs and message only for a
    finding."""
    given = [part] if isinstance(part, (Ref, CellAt)) else part
    small = [p.value for p in given]
    if sum((v for v in small if v is not None), _ZERO) <= (whole.value if whole.value is not None else _ZERO):
        return None  # compare's expected <= found: nothing to report, nothing to build
    parts, whole = as_refs(given), as_ref(whole)
    what = what_text(what)
    wd, *pd = self.places(ctx, [whole, *parts], decimals)
    cmp = compare(whole.value, small, found_decimals=wd, part_decimals=pd)
    if cmp.expected <= cmp.found:
        return None
    decimals = max([wd, *pd])
    excess = cmp.expected - cmp.found
    lhs = " + ".join(fmt(p.value, pd[i]) if p.value is not None else "0（空）" for i, p in enumerate(parts))
    if len(parts) > 1:
        lhs += f" = {fmt(cmp.expected, decimals)}"
    arithmetic = f"{lhs} > {fmt(cmp.found, wd)}；超出 {fmt(excess, decimals)}"
    if not exact:
        arithmetic += f"，容差 ±{cmp.tolerance.normalize():f}"
    refs = [*parts, whole]
    if cmp.verdict is Verdict.ROUNDING and not exact:
        return self.finding(
            f"{what}：超出 {fmt(excess, decimals)}，在尾数误差范围内",
            refs,
            severity=Severity.INFO,
            expected=f"≤ {fmt(cmp.found, wd)}",
            found=fmt(cmp.expected, decimals),
            difference=excess,
            tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )
    return self.finding(
        f"{what}：{fmt(cmp.expected, decimals)} 大于 {fmt(cmp.found, wd)}，超出 {fmt(excess, decimals)}",
        refs,
        severity=severity,
        expected=f"≤ {fmt(cmp.found, wd)}",
        found=fmt(cmp.expected, decimals),
        difference=excess,
        tolerance=cmp.tolerance,
        arithmetic=arithmetic,
    )


def row_name(table: Table, row: Row) -> str:
    """“208 社会保障和就业支出” / “合计”: how a finding names a row."""
    if row.code:
        return f"“{row.code} {row.label}”".replace(" ”", "”")
    return f"“{row.label or row_label(table.kind, row.key)}”"


def function_rows(table: Table) -> list[Row]:
    """Rows keyed by a 功能分类 code (类/款/项), the income side of two-sided tables left out."""
    return [r for r in table.rows if r.code and r.level and r.side != "income"]


def _shown_values(cells: list[Cell]) -> list[Decimal | None]:
    """The values of :func:`shown` parts, without building their Refs."""
    printed: list[Decimal | None] = [c.value for c in cells if c.value is not None]
    return printed or [c.value for c in cells[:1]]


_K = TypeVar("_K")


def _shown_cells(pairs: list[tuple[_K, Cell]]) -> list[tuple[_K, Cell]]:
    """The pairs whose cells :func:`shown` keeps (printed ones, else the first), before any Ref."""
    printed = [x for x in pairs if x[1].value is not None]
    return printed or pairs[:1]


def row_sum_findings(
    rule: Rule,
    ctx: RunContext,
    table: Table,
    total_col: str,
    part_cols: list[str],
    *,
    only_rows: list[Row] | None = None,
    require_part: list[str] | None = None,
) -> Iterator[Finding]:
    """Per row: ``total_col`` = Σ ``part_cols`` (blank = zero; missing columns left out).

    ``require_part``: check a row only when one of these columns is printed in it (e.g. the
    人员经费/公用经费 split of 基本支出, which not every layout has).

    Values are compared first; Refs are built only for a row that gives a finding."""
    index = ctx.rows(table)
    for r in only_rows if only_rows is not None else table.rows:
        row = index.row(r.key, r.side)
        if row is None:
            continue
        tcell = row.cell(total_col)
        if tcell is None:
            continue
        if require_part and not any(r.cell(c) is not None for c in require_part):
            continue
        pcells = [(c, pc) for c, pc in ((c, row.cell(c)) for c in part_cols) if pc is not None]
        if not pcells:
            continue
        if sums_equal(tcell.value, _shown_values([pc for _, pc in pcells])):
            continue
        total = ctx.row_ref(table, row, total_col, tcell)
        parts = [ctx.row_ref(table, row, c, pc) for c, pc in _shown_cells(pcells)]  # shown(all Refs)
        names = "、".join(table.column_label(c) for c, _ in pcells)
        what = f"{row_name(table, r)}行{table.column_label(total_col)}不等于{names}之和"
        f = rule.sum_finding(ctx, what, total, parts)
        if f:
            yield f


_LEVEL_NAMES = {0: "类级科目", 1: "款级科目", 2: "项级科目"}


def tree_findings(
    rule: Rule, ctx: RunContext, table: Table, columns: list[str], *, levels: set[int]
) -> Iterator[Finding]:
    """Hierarchy of 功能分类 rows, column by column: 合计 = Σ 类 (level 0), 类 = Σ 款 (level 1),
    款 = Σ 项 (level 2). Reported at the lowest level where it breaks (see the policy above).

    The parent/children plan and the settled values are built once per run for all columns and
    levels (:func:`_tree_steps`), and so are the parents whose printed value is not the sum of
    their children (:func:`_tree_breaks`, shared by the rules of one table that report different
    levels): Refs only for a comparison that gives a finding."""
    dec = table.decimals
    columns_key = tuple(columns)
    for col, breaks in ctx.once(
        ("tree_breaks", columns_key), table, lambda: _tree_breaks(ctx, table, columns)
    ):
        for lvl, parent, kids, prow, tcell, present, pcell, fixed in breaks:
            if lvl not in levels:
                continue
            shown_kids = _shown_cells(present)  # the cells of shown(parts)
            # the severity sum_finding gives (the verdict is not EQUAL: _tree_breaks left those out)
            values = [kc.value for _, kc in shown_kids]
            verdict = compare(
                tcell.value, values, found_decimals=dec, part_decimals=[dec] * len(values)
            ).verdict
            severity = Severity.INFO if verdict is Verdict.ROUNDING else rule.severity
            if severity is not Severity.INFO and not mismatch(pcell.value, fixed, dec):
                continue  # explained by a lower level already reported: no Refs to build
            total = ctx.row_ref(table, prow, col, tcell)
            parts = [ctx.row_ref(table, kr, col, kc) for kr, kc in shown_kids]
            what = (
                f"{row_name(table, parent)}行[{table.column_label(col)}]不等于其下{len(kids)}个"
                f"{_LEVEL_NAMES[lvl]}之和"
            )
            f = rule.sum_finding(ctx, what, total, parts, decimals=dec)
            if f is not None:
                yield f


_TreeStep = tuple[int, Row, list[Row], Row | None, list[Row | None], Cell, list[Decimal | None]]
# a step of _tree_steps whose parent prints the column but not the sum of its printed children:
# (level, parent, kids, parent's row, parent's cell, (child row, child cell) printed, pcell, fixed)


_TreeBreak = tuple[int, Row, list[Row], Row, Cell, list[tuple[Row, Cell]], Cell, list[Decimal | None]]


def _tree_breaks(ctx: RunContext, table: Table, columns: list[str]) -> list[tuple[str, list[_TreeBreak]]]:
    """Per column, the steps of :func:`_tree_steps` that :func:`tree_findings` compares further:
    the parent row and cell are there, some child prints the column, and the printed value is not
    the sum of the children (whatever the levels reported, so computed once per run)."""
    out: list[tuple[str, list[_TreeBreak]]] = []
    for col, steps in ctx.once(("tree", tuple(columns)), table, lambda: _tree_steps(ctx, table, columns)):
        breaks: list[_TreeBreak] = []
        for lvl, parent, kids, prow, krows, pcell, fixed in steps:
            if prow is None:
                continue
            tcell = prow.cell(col)
            if tcell is None:
                continue
            present = [
                (kr, kc)
                for kr, kc in ((kr, kr.cell(col)) for kr in krows if kr is not None)
                if kc is not None
            ]
            if not present or sums_equal(tcell.value, _shown_values([kc for _, kc in present])):
                continue
            breaks.append((lvl, parent, kids, prow, tcell, present, pcell, fixed))
        out.append((col, breaks))
    return out


def _tree_steps(ctx: RunContext, table: Table, columns: list[str]) -> list[tuple[str, list[_TreeStep]]]:
    """Per column, each parent row of :func:`tree_findings` that prints the column, with its
    children and their values as settled below (each child replaced by the sum of its own children
    where it disagrees with them). It does not depend on the levels reported, so the rules of one
    table that report different levels share it (once per run)."""
    rows = function_rows(table)
    if not rows:
        return []
    by_code: dict[str, Row] = {}
    for r in rows:
        by_code.setdefault(r.code or "", r)
    level = {id(r): r.level for r in by_code.values()}
    top = min(level[id(r)] or 9 for r in by_code.values())
    total_row = ctx.row(table, "total")
    plans: list[tuple[int, Row, list[Row]]] = []
    for lvl in (2, 1):
        # the rows of the level below, by each prefix a parent's code could be (every code of one
        # level has one length, so "starts with the parent's code" is "this prefix is the code")
        plen = {len(p.code or "") for p in by_code.values() if level[id(p)] == lvl}
        below: dict[str, list[Row]] = {}
        for k in by_code.values():
            if level[id(k)] == lvl + 1:
                kc = k.code or ""
                for n in plen:
                    if len(kc) >= n:
                        below.setdefault(kc[:n], []).append(k)
        for parent in by_code.values():
            if level[id(parent)] != lvl:
                continue
            kids = below.get(parent.code or "", [])
            if kids:
                plans.append((lvl, parent, kids))
    if total_row is not None:
        plans.append((0, total_row, [r for r in by_code.values() if level[id(r)] == top]))
    index = ctx.rows(table)
    # with the Rows ctx.ref(table, row.key, col, row.side) reads, found once
    found = [
        (lvl, parent, kids, index.row(parent.key, parent.side), [index.row(k.key, k.side) for k in kids])
        for lvl, parent, kids in plans
    ]
    dec = table.decimals
    out: list[tuple[str, list[_TreeStep]]] = []
    for col in columns:
        corrected: dict[str, Decimal | None] = {}
        steps: list[_TreeStep] = []
        for lvl, parent, kids, prow, krows in found:
            pcell = parent.cell(col)
            if pcell is None:
                continue
            fixed = [corrected.get(k.code or "", k.value(col)) for k in kids]
            corrected[parent.code or parent.key] = settled(pcell.value, fixed, dec)
            steps.append((lvl, parent, kids, prow, krows, pcell, fixed))
        out.append((col, steps))
    return out
