"""B-004: the income side of a budget's 财政拨款收支总表 adds up."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ....tables.budget import B04_INCOME_PARTS
from ...base import Rule, register
from ...compare import shown
from ...context import RunContext
from .common import cells


@register
class BudgetFiscalIncome(Rule):
    """财政拨款收支预算总表: 收入合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算 (+ 上年结转).

    Wrong:
        一、一般公共预算 21,940.96 | 二、政府性基金预算 空 | 收入合计 21,955.35
    Right:
        一、一般公共预算 21,940.96 | 二、政府性基金预算 空 | 收入合计 21,940.96
    """

    id = "B-004"
    title = "财政拨款收支预算总表收入合计等于各项收入之和"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for t in ctx.doc.tables_of(TableKind.B04):
            grand = ctx.cell(t, "inc_grand_total", "amount", "income")
            parts = cells(ctx, t, [*B04_INCOME_PARTS, "inc_carry"], "amount", "income")
            if grand is None or not parts or all(p.value is None for p in parts):
                continue
            f = self.sum_finding(ctx, "财政拨款收入合计不等于各项收入之和", grand, shown(parts))
            if f:
                yield f
