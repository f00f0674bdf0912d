"""B-001: a budget's 收支总表 and 财政拨款收支总表 balance (收入合计 = 支出合计)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ...base import Rule, register
from ...context import RunContext


@register
class BudgetSummaryBalance(Rule):
    """收支预算总表 and 财政拨款收支预算总表: 收入合计 = 支出合计 (a budget is balanced by
    construction).

    Wrong:
        收入合计 10,150.48 | 支出合计 10,070.48
    Right:
        收入合计 10,150.48 | 支出合计 10,150.48
    """

    id = "B-001"
    title = "收支预算总表收入合计等于支出合计"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in [*doc.tables_of(TableKind.B01), *doc.tables_of(TableKind.B04)]:
            inc = ctx.cell(t, "inc_grand_total", "amount", "income")
            exp = ctx.cell(t, "exp_grand_total", "amount", "expense")
            if inc is None or exp is None or (inc.value is None and exp.value is None):
                continue
            f = self.sum_finding(ctx, f"《{t.name}》收入合计不等于支出合计", inc, [exp])
            if f:
                yield f
