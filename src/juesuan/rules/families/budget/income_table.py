"""B-005: a budget's 收入预算总表 adds up (收入总计 = Σ 来源小计, 小计 = Σ 其项)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ....tables.budget import B02_GROUPS
from ...base import Rule, register
from ...compare import shown
from ...context import RunContext
from .common import cells

_GROUPS = [g for g, _ in B02_GROUPS]


@register
class BudgetIncomeTable(Rule):
    """收入预算总表 (来源 groups over their 小计 and items): 收入总计 = Σ 各来源小计 (上年结转的“其中：
    动用上年结转”不另加); each 小计 = Σ its items.

    Wrong:
        收入总计 10,150.48 | 一般公共预算资金 小计 10,070.48 | 其他资金 小计 90.00 | 其他收入 80.00
    Right:
        收入总计 10,150.48 | 一般公共预算资金 小计 10,070.48 | 其他资金 小计 80.00 | 其他收入 80.00
    """

    id = "B-005"
    title = "收入预算总表收入总计等于各来源之和"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for t in ctx.doc.tables_of(TableKind.B02):
            if not t.row("total") or not any(t.row(g) for g in _GROUPS):
                continue  # the 科目 layout (合计 | 一般公共预算 | …) has no source groups
            for g in _GROUPS:
                sub = ctx.cell(t, g, "amount")
                items = [r.key for r in t.rows if r.key.startswith(f"{g}.") and r.key != "carry.used"]
                parts = cells(ctx, t, items, "amount")
                if sub is not None and parts and any(p.value is not None for p in parts):
                    f = self.sum_finding(ctx, f"收入预算总表“{t.row(g).label if t.row(g) else g}”小计不等于其各项之和", sub, shown(parts))  # type: ignore[union-attr]
                    if f:
                        yield f
            total = ctx.cell(t, "total", "amount")
            subs = cells(ctx, t, _GROUPS, "amount")
            if total is not None and subs and any(s.value is not None for s in subs):
                f = self.sum_finding(ctx, "收入预算总表收入总计不等于各来源小计之和", total, shown(subs))
                if f:
                    yield f
