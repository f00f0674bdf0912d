"""B-002: the income side of a budget's 收支总表 adds up."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, Table, TableKind
from ...base import Rule, register
from ...compare import shown
from ...context import CellAt, RunContext
from .common import cells, first_cell, unnamed_rows

_FISCAL_PARTS = ["inc_general", "inc_fund", "inc_capital"]
_OTHER_PARTS = ["inc_business", "inc_operating", "inc_other"]


def _year_parts(ctx: RunContext, t: Table) -> list[CellAt]:
    """The parts of 当年收入小计: 财政拨款 (or its 一般公共预算, 政府性基金, 国有资本经营 lines),
    财政专户管理资金, 其他资金 (or its 事业收入, 经营收入, 其他收入 lines)."""
    fiscal = [c for c in [ctx.cell(t, "inc_fiscal", "amount", "income")] if c is not None]
    if not fiscal:
        fiscal = cells(ctx, t, _FISCAL_PARTS, "amount", "income")
    other = [c for c in [ctx.cell(t, "inc_other_funds", "amount", "income")] if c is not None]
    if not other:
        other = cells(ctx, t, _OTHER_PARTS, "amount", "income")
    return [*fiscal, *cells(ctx, t, ["inc_special"], "amount", "income"), *other]


@register
class BudgetSummaryIncome(Rule):
    """收支预算总表, income side: 财政拨款 = 一般公共预算 + 政府性基金 (+ 国有资本经营); 当年收入小计 =
    财政拨款 + 财政专户管理资金 + 其他资金; 收入合计 = 当年收入小计 + 上年结转.

    Wrong:
        一、财政拨款 10,070.48 | 1.一般公共预算 10,070.48 | 三、其他资金 80.00 | 当年收入小计 10,070.48
    Right:
        一、财政拨款 10,070.48 | 1.一般公共预算 10,070.48 | 三、其他资金 80.00 | 当年收入小计 10,150.48
    """

    id = "B-002"
    title = "收支预算总表收入各项相加"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for t in ctx.doc.tables_of(TableKind.B01):
            unnamed = unnamed_rows(t, "income")
            if unnamed:
                ctx.not_checked(
                    self.id,
                    f"《{t.name}》收入各项之和",
                    f"有金额的项目“{unnamed[0]}”未能识别（可能被换行或分页截断），无法确定各项之和",
                    [ctx.table_ref(t)],
                )
                continue
            fiscal = ctx.cell(t, "inc_fiscal", "amount", "income")
            parts = cells(ctx, t, _FISCAL_PARTS, "amount", "income")
            if fiscal is not None and parts:
                f = self.sum_finding(ctx, "财政拨款不等于一般公共预算、政府性基金预算之和", fiscal, shown(parts))
                if f:
                    yield f
            year = ctx.cell(t, "inc_year_total", "amount", "income")
            year_parts = _year_parts(ctx, t)
            if year is not None and year_parts:
                f = self.sum_finding(ctx, "当年收入小计不等于各项收入之和", year, shown(year_parts))
                if f:
                    yield f
            grand = ctx.cell(t, "inc_grand_total", "amount", "income")
            base = year or (first_cell(ctx, t, ["inc_fiscal"], "amount", "income") if not year_parts else None)
            if grand is not None and base is not None:
                carry = cells(ctx, t, ["inc_carry"], "amount", "income")
                f = self.sum_finding(ctx, "收入合计不等于当年收入小计与上年结转之和", grand, [base, *carry])
                if f:
                    yield f
