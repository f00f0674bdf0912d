"""B-010: the 财政拨款 tables of a budget against each other."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ...base import Rule, register
from ...context import RunContext
from .common import the_table


@register
class BudgetFiscalAgainstTables(Rule):
    """The 财政拨款 tables of a budget: the 财政拨款收支预算总表's 支出合计 = the 财政拨款支出预算表's
    合计; its 基本支出 = the 财政拨款基本支出预算表's 合计; the 财政拨款支出预算表's 合计 = the 一般公共
    预算支出预算表's + the 政府性基金 and 国有资本经营 支出预算表's 合计.

    Wrong:
        财政拨款收支预算总表 一、基本支出 5,598.17 | 财政拨款基本支出预算表 合计 5,589.17
    Right:
        财政拨款收支预算总表 一、基本支出 5,598.17 | 财政拨款基本支出预算表 合计 5,598.17
    """

    id = "B-010"
    title = "财政拨款收支预算总表与财政拨款支出表、基本支出表一致"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        fiscal, spend, basic = the_table(ctx, TableKind.B04), the_table(ctx, TableKind.B05F), the_table(ctx, TableKind.B06F)
        if fiscal is not None and spend is not None:
            x = ctx.cell(fiscal, "exp_grand_total", "amount", "expense")
            y = ctx.cell(spend, "total", "total")
            if x is not None and y is not None and not (x.value is None and y.value is None):
                f = self.sum_finding(ctx, "财政拨款收支预算总表的支出合计与财政拨款支出预算表的合计不一致", x, [y])
                if f:
                    yield f
        if fiscal is not None and basic is not None:
            x = ctx.cell(fiscal, "exp_basic", "amount", "expense")
            y = ctx.cell(basic, "total", "total")
            if x is not None and y is not None and not (x.value is None and y.value is None):
                f = self.sum_finding(ctx, "财政拨款收支预算总表的基本支出与财政拨款基本支出预算表的合计不一致", x, [y])
                if f:
                    yield f
        general = the_table(ctx, TableKind.B05)
        if spend is not None and general is not None:
            whole = ctx.cell(spend, "total", "total")
            parts = [ctx.cell(general, "total", "total")]
            for kind in (TableKind.B07, TableKind.B08):
                t = the_table(ctx, kind)
                if t is None and ctx.doc.tables_of(kind):
                    return  # printed twice: which one counts is not certain
                if t is not None:
                    parts.append(ctx.cell(t, "total", "total"))
            present = [p for p in parts if p is not None]
            if whole is not None and parts[0] is not None and whole.value is not None:
                f = self.sum_finding(
                    ctx, "财政拨款支出预算表的合计不等于一般公共预算、政府性基金、国有资本经营支出预算表合计之和", whole, present
                )
                if f:
                    yield f
