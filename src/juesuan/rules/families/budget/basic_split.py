"""B-011 and B-012: a budget's 基本支出 is 人员经费 + 公用经费, in the 基本支出预算表 and against the
支出预算表 whose 基本支出 it details."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ...base import Rule, register
from ...context import RunContext
from ...identities import row_sum_findings
from ..cross_table.equalities import explained
from .common import the_table

# (the 支出预算表 by 功能分类, the 基本支出预算表 by 经济分类 that details its 基本支出)
_PAIRS = ((TableKind.B05, TableKind.B06), (TableKind.B05F, TableKind.B06F))


@register
class BudgetBasicSplit(Rule):
    """基本支出预算表 (一般公共预算 / 财政拨款), each row where 人员经费 and 公用经费 are printed:
    合计 = 人员经费 + 公用经费.

    Wrong:
        合计 650.42 | 人员经费 546.10 | 公用经费 94.32 (546.10 + 94.32 = 640.42)
    Right:
        合计 640.42 | 人员经费 546.10 | 公用经费 94.32
    """

    id = "B-011"
    title = "基本支出预算表各行合计等于人员经费加公用经费"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for kind in (TableKind.B06, TableKind.B06F):
            for t in ctx.doc.tables_of(kind):
                yield from row_sum_findings(
                    self, ctx, t, "total", ["personnel", "public"], require_part=["personnel", "public"]
                )


@register
class BudgetBasicAgainstDetail(Rule):
    """The 基本支出 of the 一般公共预算支出预算表 (财政拨款支出预算表) = the 合计 of the 一般公共预算
    (财政拨款) 基本支出预算表, and its 人员经费 and 公用经费 where it prints them = the detail's. Not
    reported where the detail's own 合计 does not add up (B-007/B-011 name that cell).

    Wrong:
        一般公共预算支出预算表 合计 基本支出 650.42 | 一般公共预算基本支出预算表 合计 640.42
    Right:
        一般公共预算支出预算表 合计 基本支出 650.42 | 一般公共预算基本支出预算表 合计 650.42
    """

    id = "B-012"
    title = "支出预算表基本支出与基本支出预算表一致"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for spend_kind, basic_kind in _PAIRS:
            spend, basic = the_table(ctx, spend_kind), the_table(ctx, basic_kind)
            if spend is None or basic is None:
                continue
            for col, detail_col in (("basic", "total"), ("personnel", "personnel"), ("public", "public")):
                a = ctx.cell(spend, "total", col)
                b = ctx.cell(basic, "total", detail_col)
                if a is None or b is None or (a.value is None and b.value is None):
                    continue
                f = self.sum_finding(
                    ctx, f"《{spend.name}》合计行的{_NAMES[col]}与《{basic.name}》合计不一致", a, [b]
                )
                if f and not explained(f, (spend, "total", col), [(basic, "total", detail_col)]):
                    yield f


_NAMES = {"basic": "基本支出", "personnel": "人员经费", "public": "公用经费"}
