"""B-008: the budget's “三公”经费 table adds up."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ...base import Rule, register
from ...compare import shown
from ...context import RunContext
from .common import cells

# (whole, parts, what)
_SUMS = [
    ("car", ["car_purchase", "car_run"], "公务用车购置及运行维护费不等于购置费与运行维护费之和"),
    ("total", ["abroad", "car", "reception"], "“三公”经费小计不等于因公出国（境）费、公务用车购置及运行维护费、公务接待费之和"),
    ("grand_total", ["total", "meeting", "training"], "合计不等于“三公”经费、会议费、培训费之和"),
]


@register
class BudgetSangong(Rule):
    """“三公”经费（会议费、培训费）支出预算表: 公务用车购置及运行维护费 = 购置费 + 运行维护费; “三公”经费
    小计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费; 合计 = “三公”经费 + 会议费 + 培训费.

    Wrong:
        合计 1,656.86 | 三公小计 675.10 | 出国 106.00 | 公务用车 156.60 | 接待 402.50 | 会议费 884.16 | 培训费 97.60
    Right:
        合计 1,656.86 | 三公小计 675.10 | 出国 106.00 | 公务用车 156.60 | 接待 412.50 | 会议费 884.16 | 培训费 97.60
    """

    id = "B-008"
    title = "“三公”经费预算表各项相加"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for t in ctx.doc.tables_of(TableKind.B09):
            for whole_key, part_keys, what in _SUMS:
                whole = ctx.cell(t, whole_key, "amount")
                parts = cells(ctx, t, part_keys, "amount")
                if whole is None or len(parts) != len(part_keys):
                    continue  # a part the table does not print: the identity cannot be told
                if whole.value is None and all(p.value is None for p in parts):
                    continue
                f = self.sum_finding(ctx, what, whole, shown(parts))
                if f:
                    yield f
