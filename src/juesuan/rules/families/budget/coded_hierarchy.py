"""B-007: the 科目 rows of the coded budget tables add up level by level."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import BUDGETS, Finding, TableKind
from ...base import Rule, register
from ...context import RunContext
from ...identities import tree_findings

# the 一般公共预算支出预算表 and 财政拨款支出预算表 are judged by T05-003/T05-004 (the same identity)
_KINDS = (TableKind.B06F, TableKind.B06, TableKind.B07, TableKind.B08, TableKind.B10, TableKind.B12)


@register
class BudgetCodedHierarchy(Rule):
    """The 科目-coded budget tables (基本支出预算表 by 经济分类, 政府性基金/国有资本经营支出预算表,
    机关运行经费, 项目支出预算表), column by column: 合计 = Σ 类, each 类 = Σ its 款, each 款 = Σ its 项,
    reported at the lowest level where it breaks.

    Wrong:
        301 工资福利支出 3,806.26 | 30101 854.47 | 30102 1,863.72 | … (the 款 add up to 3,816.26)
    Right:
        301 工资福利支出 3,806.26 | 30101 854.47 | 30102 1,853.72 | …
    """

    id = "B-007"
    title = "预算表科目逐级相加"
    family = "B"
    kinds = BUDGETS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for kind in _KINDS:
            for t in ctx.doc.tables_of(kind):
                cols = [c.key for c in t.columns if c.key in ("total", "basic", "project", "personnel", "public")]
                if cols:
                    yield from tree_findings(self, ctx, t, cols, levels={0, 1, 2})
