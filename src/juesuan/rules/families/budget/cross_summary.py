"""B-009: the 收支预算总表 against the 收入预算总表, the 支出预算总表 and the 财政拨款收支预算总表."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ...base import Rule, register
from ...context import CellAt, RunContext
from .common import the_table

# (B01 row, side, the other table's kind, its row, column, side, what)
_PAIRS: list[tuple[str, str, TableKind, str, str, str | None, str]] = [
    ("inc_grand_total", "income", TableKind.B02, "total", "amount", None, "收入合计与收入预算总表的收入总计"),
    ("exp_year_total", "expense", TableKind.B03, "total", "total", None, "当年支出小计与支出预算总表的合计"),
    ("exp_basic", "expense", TableKind.B03, "total", "basic", None, "基本支出与支出预算总表的基本支出"),
    ("exp_project", "expense", TableKind.B03, "total", "project", None, "项目支出与支出预算总表的项目支出"),
    ("exp_reserve", "expense", TableKind.B03, "total", "reserve", None, "单位预留机动经费与支出预算总表"),
    ("inc_general", "income", TableKind.B04, "inc_general", "amount", "income", "一般公共预算收入与财政拨款收支预算总表"),
    ("inc_fund", "income", TableKind.B04, "inc_fund", "amount", "income", "政府性基金预算收入与财政拨款收支预算总表"),
]


@register
class BudgetSummaryAgainstTables(Rule):
    """The same amount in two budget tables: the 收支预算总表's 收入合计 = the 收入预算总表's 收入总计;
    its 当年支出小计, 基本支出, 项目支出, 单位预留机动经费 = the 支出预算总表's; its 一般公共预算 and 政府性
    基金 income = the 财政拨款收支预算总表's.

    Wrong:
        收支预算总表 一、基本支出 5,678.17 | 支出预算总表 基本支出 5,598.17
    Right:
        收支预算总表 一、基本支出 5,678.17 | 支出预算总表 基本支出 5,678.17
    """

    id = "B-009"
    title = "收支预算总表与收入、支出、财政拨款收支预算总表一致"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        a = the_table(ctx, TableKind.B01)
        if a is None:
            return
        for key, side, kind, okey, ocol, oside, what in _PAIRS:
            b = the_table(ctx, kind)
            if b is None:
                continue
            x: CellAt | None = ctx.cell(a, key, "amount", side)
            y: CellAt | None = ctx.cell(b, okey, ocol, oside)
            if x is None or y is None or (x.value is None and y.value is None):
                continue
            f = self.sum_finding(ctx, f"收支预算总表的{what}不一致", x, [y])
            if f:
                yield f
