"""B-003: the expense side of a budget's 收支总表 adds up, by 功能分类 and by 支出用途."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ....tables.budget import B01_USES
from ...base import Rule, register
from ...compare import shown
from ...context import RunContext
from .common import cells, unnamed_rows


@register
class BudgetSummaryExpense(Rule):
    """收支预算总表, expense side: 当年支出小计 = Σ 功能分类 类 rows = Σ 支出用途 (基本支出, 项目支出,
    单位预留机动经费, 上缴上级, 事业单位经营, 对附属单位补助); 支出合计 = 当年支出小计 + 结转下年.

    Wrong:
        一般公共服务支出 7,827.46 | 社会保障和就业支出 823.76 | 住房保障支出 1,499.26 | 当年支出小计 10,050.48
    Right:
        一般公共服务支出 7,827.46 | 社会保障和就业支出 823.76 | 住房保障支出 1,499.26 | 当年支出小计 10,150.48
    """

    id = "B-003"
    title = "收支预算总表支出按功能分类和按用途分别相加"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for t in [*ctx.doc.tables_of(TableKind.B01), *ctx.doc.tables_of(TableKind.B04)]:
            unnamed = unnamed_rows(t, "expense")
            if unnamed:
                ctx.not_checked(
                    self.id,
                    f"《{t.name}》支出各项之和",
                    f"有金额的项目“{unnamed[0]}”未能识别（可能被换行或分页截断），无法确定各项之和",
                    [ctx.table_ref(t)],
                )
                continue
            year = ctx.cell(t, "exp_year_total", "amount", "expense")
            grand = ctx.cell(t, "exp_grand_total", "amount", "expense")
            # the 小计 the parts add up to: 当年支出小计, else (no 结转下年 printed) 支出合计
            carry = cells(ctx, t, ["exp_carry"], "amount", "expense")
            whole = year if year is not None else (grand if not carry else None)
            if whole is None:
                continue
            name = "当年支出小计" if year is not None else "支出合计"
            classes = [r.key for r in t.rows if r.side == "expense" and r.code and len(r.code) == 3]
            by_class = cells(ctx, t, classes, "amount", "expense")
            if by_class and any(c.value is not None for c in by_class):
                f = self.sum_finding(ctx, f"《{t.name}》{name}不等于各功能分类支出之和", whole, shown(by_class))
                if f:
                    yield f
            uses = cells(ctx, t, B01_USES, "amount", "expense")
            if uses and any(c.value is not None for c in uses):
                f = self.sum_finding(ctx, f"《{t.name}》{name}不等于各项支出用途之和", whole, shown(uses))
                if f:
                    yield f
            if year is not None and grand is not None:
                f = self.sum_finding(ctx, f"《{t.name}》支出合计不等于当年支出小计与结转下年之和", grand, [year, *carry])
                if f:
                    yield f
