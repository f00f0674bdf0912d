"""B-006: a budget's 支出预算总表 adds up (合计 = 基本支出 + 项目支出 + …)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ....tables.budget import B03_PARTS
from ...base import Rule, register
from ...context import RunContext
from ...identities import row_sum_findings


@register
class BudgetExpenseTable(Rule):
    """支出预算总表, each row: 合计 = 基本支出 + 项目支出 + 单位预留机动经费 + 上缴上级支出 + 事业单位经营支出
    + 对附属单位补助支出 (结转下年资金 is not this year's expense).

    Wrong:
        合计 9,146.79 | 基本支出 5,916.27 | 项目支出 3,123.68 | 单位预留机动经费 空
    Right:
        合计 9,146.79 | 基本支出 5,916.27 | 项目支出 3,123.68 | 单位预留机动经费 106.84
    """

    id = "B-006"
    title = "支出预算总表合计等于各项支出之和"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for t in ctx.doc.tables_of(TableKind.B03):
            yield from row_sum_findings(self, ctx, t, "total", B03_PARTS)
