"""Narrative amounts (N-001): a number the text states equals the cell it restates."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from ....ingest.narrative.numbers import places
from ....ingest.narrative.quantities import candidate_cells
from ....model import ALL_KINDS, Binding, Claim, ClaimKind, Ref, Severity, TableKind
from ...arith import fmt, quantize
from ...base import register
from ...context import RunContext
from .common import (
    Check,
    ClaimRule,
    binding_ref,
    cell_value,
    judged,
    num,
    sentence_ref,
    stated,
    table_lookup,
    unit_shift,
)
from .terms import term_confusion

_ROLE_WORDS = {"budget": "预算数", "actual": "决算数", "value": "金额", None: "金额"}


def amount_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    """Each stated amount (and the 预算/决算 of a completion) against the cell it restates."""
    if c.kind not in (ClaimKind.AMOUNT, ClaimKind.COMPLETION, ClaimKind.COUNT):
        return
    if c.kind is ClaimKind.AMOUNT and term_confusion(ctx, c) is not None:
        return  # N-009 says it with the right words
    for b in c.bindings:
        if b.role not in (None, "value", "actual", "budget"):
            continue
        if b.role == "budget" and c.attrs.get("budget_from_table"):
            continue  # the 预算 was taken from this very cell
        if b.table in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT):
            continue  # 绩效 amounts against the 自评表 are P-006's: not restated here
        said = stated(c.attrs.get("budget")) if b.role == "budget" else c.value
        if b.role == "actual" and c.kind is ClaimKind.COMPLETION:
            said = stated(c.attrs.get("actual"))
        cell = cell_value(ctx, b)
        ref = binding_ref(ctx, b)
        if said is None or cell is None or ref is None:
            continue
        v = _in_table_unit(ctx, c, said, b) if c.kind is not ClaimKind.COUNT else said
        what = f"“{c.label or ref.row_label}”{_ROLE_WORDS.get(b.role, '金额') if c.kind is ClaimKind.COMPLETION else ''}"
        p = places(v)
        unit = "" if c.kind is ClaimKind.COUNT else "万元"
        refs = [sentence_ref(ctx, c), ref]
        shift = unit_shift(ctx, c, b) if c.kind is not ClaimKind.COUNT else 0
        if _same_amount(v, cell) or shift and _agree_across_units(said, shift, v, cell):
            yield Check("N-001", None, f"{what}{num(said)}{c.unit} 与表中 {fmt(cell)} 一致", refs)
            continue
        other = _other_table_agreeing(ctx, c, b, v)
        if other is not None:
            # 01表 and 02表 (or 06表 and 05表) disagree with each other; the text follows one of
            # them: that is the tables' break, reported by the cross-table rules
            yield Check("N-001", None, f"{what}{num(said)}{c.unit} 与《{other.table_title}》一致"
                        f"（与《{ref.table_title}》的 {fmt(cell)} 不同，两表之差由表间规则报告）", [*refs, other])  # fmt: skip
            continue
        diff = v - cell
        exact = c.kind is ClaimKind.COUNT
        sev = Severity.ERROR
        note = ""
        if not exact and abs(diff) <= Decimal("0.01") and p >= 2:
            # a number derived from other rounded cells (合计 − 项目支出) may differ from the
            # printed cell by one unit: rounding, information only (two real documents do this)
            sev = Severity.INFO
            note = "（相差一个末位单位，可能是由其他单元格推算所致，属尾数误差）"
        elif not exact and p >= 2 and abs(v) >= 1:
            twin = _cell_with_value(ctx, v, b)
            if twin is not None:
                note = f"（说明中的数与{twin.describe()}相同，可能取错了表或栏）"
                refs.append(twin)
        yield judged(c, Check(
            "N-001",
            sev,
            f"说明中{what}为 {num(said)}{c.unit or unit}，表中为 {fmt(cell, 0 if exact else 2)}，相差 {num(diff)}{note}",
            refs,
            expected=fmt(cell, 0 if exact else 2),
            found=num(said),
            difference=diff,
            arithmetic=f"说明 {num(v)} − 表中 {fmt(cell, 0 if exact else 2)} = {num(diff)}",
        ), "金额", f"{what}{num(said)}{c.unit or unit}")  # fmt: skip


def _in_table_unit(ctx: RunContext, c: Claim, v: Decimal, b: Binding) -> Decimal:
    """A stated amount in the unit of the table it is compared with."""
    doc = ctx.doc
    tab = doc.tables[b.table_index]
    unit = tab.unit.value if tab.unit else (doc.metadata.unit.value if doc.metadata.unit else "万元")
    if c.unit == "元" and unit == "万元":
        return v / Decimal(10000)
    if c.unit == "万元" and unit == "元":
        return v * Decimal(10000)
    if c.unit == "亿元":
        return v * Decimal(10000) if unit == "万元" else v * Decimal(100000000)
    return v


def _agree_across_units(said: Decimal, shift: int, v: Decimal, cell: Decimal) -> bool:
    """The text and the table in different units agree at the coarser of their printed precisions:
    2,233.56 万元 restates any table amount in 元 that rounds to it (22,335,600.50 元)."""
    e_said = said.as_tuple().exponent
    e_cell = cell.as_tuple().exponent
    if not isinstance(e_said, int) or not isinstance(e_cell, int):
        return False
    q = Decimal(1).scaleb(max(e_said + shift, e_cell))
    return v.quantize(q, ROUND_HALF_UP) == cell.quantize(q, ROUND_HALF_UP)


def _same_amount(v: Decimal, cell: Decimal) -> bool:
    """Equal at the precision the text printed (93 万元 = 93.00)."""
    p = places(v)
    if v == cell:
        return True
    return p < 2 and (quantize(cell, p, ROUND_HALF_UP) == v or quantize(cell, p, ROUND_HALF_EVEN) == v)


def _cell_with_value(ctx: RunContext, v: Decimal, skip: Binding) -> Ref | None:
    """The one amount cell of the document's tables printing exactly ``v`` (a hint of where a wrong
    number was taken from), or None when there is none or several."""
    hits: list[Binding] = []
    for i, tab in enumerate(ctx.doc.tables):
        if tab.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT, TableKind.OTHER):
            continue
        for r in tab.rows:
            for k, cell in r.cells.items():
                # (``is not None`` first: comparing None with a Decimal goes through the numbers ABCs)
                if (
                    cell.value is not None
                    and cell.value == v
                    and not (i == skip.table_index and r.key == skip.row and k == skip.column)
                ):
                    hits.append(Binding(table=tab.kind, table_index=i, row=r.key, column=k, side=r.side))
    if len({(h.table, h.row, h.column) for h in hits}) != 1:
        return None
    return binding_ref(ctx, hits[0])


def _other_table_agreeing(ctx: RunContext, c: Claim, b: Binding, v: Decimal) -> Ref | None:
    """Another cell holding the same quantity in another table that equals the stated value."""
    if not c.quantity:
        return None
    found, _ = candidate_cells(
        table_lookup(ctx), c.quantity, b.role or "value", str(c.attrs.get("ctx") or "other")
    )
    for alt in found:
        if (alt.table, alt.row, alt.column) == (b.table, b.row, b.column):
            continue
        val = cell_value(ctx, alt)
        if val is not None and _same_amount(v, val):
            return binding_ref(ctx, alt)
    return None


@register
class N001AmountEqualsCell(ClaimRule):
    """说明中的金额、数量（含完成情况中的预算数、决算数）与其所述的表格单元格一致。

    相差恰为一个末位单位（0.01 万元）时只作提示：多为由其他已舍入的单元格推算所得（尾数误差）。说明中的数与
    另一张表中同一数量的单元格一致（两表本身不一致）时不报告，由表间规则报告；说明中的错数恰好
    等于文件中另一个单元格时，结论指出该单元格（可能取错了表或栏）。

    Wrong:
        说明：“基本支出 781.45 万元”；支出决算表 合计行[基本支出] 为 771.45。
        说明：“公务接待费支出 0.80 万元”；“三公”经费表 公务接待费[决算数] 为 0.18。

    Right:
        说明：“基本支出 771.45 万元”；表中 771.45。
        说明：“公用经费 93 万元”；表中 93.00（按说明的位数舍入后相同）。
        说明：“基本支出 771.44 万元”（881.98 − 110.54 推算）；表中 771.45：尾数误差，只作提示。
    """

    id = "N-001"
    title = "说明中的金额与表中数一致"
    # a budget's amounts are bound only to the budget cells that certainly hold them
    # (ingest.narrative.quantities.BUDGET_FIXED): the same identity
    kinds = ALL_KINDS
    family = "情况说明：金额"
    severity = Severity.ERROR
    checker = staticmethod(amount_checks)
    claim_kinds = frozenset({ClaimKind.AMOUNT, ClaimKind.COMPLETION, ClaimKind.COUNT})
