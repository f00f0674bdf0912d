"""Terms (N-009): 收入总计/支出总计 (the 总计 rows) are not 本年收入合计/本年支出合计."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....ingest.narrative.quantities import NAMES
from ....model import Binding, Claim, ClaimKind, Ref, Severity, TableKind
from ...arith import fmt
from ...base import register
from ...context import RunContext
from .common import ZERO, Check, ClaimRule, binding, binding_ref, cell_value, num, sentence_ref

# 总计 words and the 合计 cell they are often confused with: (table, row, column, side, words).
_SIBLINGS: dict[str, list[tuple[TableKind, str, str, str, str]]] = {
    "inc_grand_total": [(TableKind.T01, "inc_total_year", "amount", "income", "本年收入合计")],
    "grand_total": [
        (TableKind.T01, "inc_total_year", "amount", "income", "本年收入合计"),
        (TableKind.T01, "exp_total_year", "amount", "expense", "本年支出合计"),
    ],  # fmt: skip
    "exp_grand_total": [(TableKind.T01, "exp_total_year", "amount", "expense", "本年支出合计")],
    "fiscal_inc_grand_total": [(TableKind.T04, "inc_total_year", "amount", "income", "本年财政拨款收入合计")],
    "fiscal_grand_total": [
        (TableKind.T04, "inc_total_year", "amount", "income", "本年财政拨款收入合计"),
        (TableKind.T04, "exp_total_year", "total", "expense", "本年财政拨款支出合计"),
    ],  # fmt: skip
    "fiscal_exp_grand_total": [(TableKind.T04, "exp_total_year", "total", "expense", "本年财政拨款支出合计")],
    "inc_total_year": [(TableKind.T01, "inc_grand_total", "amount", "income", "收入总计")],
    "exp_total_year": [(TableKind.T01, "exp_grand_total", "amount", "expense", "支出总计")],
}


def term_confusion(ctx: RunContext, c: Claim) -> tuple[Ref, Ref, str] | None:
    """(cell named, cell meant, words meant) when an amount named X equals the sibling Y instead
    (once per run: N-001 and N-009 both ask)."""
    return ctx.once("term_confusion", c, lambda: _term_confusion(ctx, c))


def _term_confusion(ctx: RunContext, c: Claim) -> tuple[Ref, Ref, str] | None:
    if c.kind is not ClaimKind.AMOUNT or c.value is None or c.quantity not in _SIBLINGS:
        return None
    b = binding(c, "value", None)
    if b is None:
        return None
    own = cell_value(ctx, b)
    if own is None or own == c.value:
        return None
    doc = ctx.doc
    for kind, row, col, side, words in _SIBLINGS[c.quantity]:
        tab = doc.table(kind)
        if tab is None:
            continue
        cell = ctx.cell_of(tab, row, col, side)
        if cell is None or cell.value is None:
            continue
        if abs(cell.value - c.value) <= Decimal("0.01") and abs(own - c.value) > Decimal("0.01"):
            sib = Binding(table=kind, table_index=ctx.table_index(tab), row=row, column=col, side=side)
            r1, r2 = binding_ref(ctx, b), binding_ref(ctx, sib)
            if r1 and r2:
                return r1, r2, words
    return None


def term_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    got = term_confusion(ctx, c)
    if got is None:
        return
    named, meant, words = got
    said = NAMES.get(c.quantity, c.label)
    yield Check(
        "N-009",
        Severity.ERROR,
        f"说明称“{c.label}”为 {num(c.value or ZERO)} 万元，但这是{words}（{fmt(meant.value)}）；"
        f"{said}应为 {fmt(named.value)} 万元",
        [sentence_ref(ctx, c), named, meant],
        expected=fmt(named.value),
        found=num(c.value or ZERO),
        difference=(c.value or ZERO) - (named.value or ZERO),
        arithmetic=f"{said} {fmt(named.value)} ≠ 说明 {num(c.value or ZERO)} = {words} {fmt(meant.value)}",
    )


@register
class N009TotalTerms(ClaimRule):
    """“收入总计”“支出总计”（收入支出决算总表 总计行，含年初结转和结余等）不是“本年收入合计”
    “本年支出合计”；说明用了一个词却给出另一个数时为错误（财政拨款收入支出决算总表同理）。

    Wrong:
        “2024 年度收入总计为 900.28 万元。”（总计 1,051.37；900.28 是本年收入合计）

    Right:
        “2024 年度收入总计 1,051.37 万元，其中本年收入合计 900.28 万元。”
    """

    id = "N-009"
    title = "总计与本年合计不混用"
    family = "情况说明：用语"
    severity = Severity.ERROR
    checker = staticmethod(term_checks)
    claim_kinds = frozenset({ClaimKind.AMOUNT})
