"""Family T05: the 一般公共预算财政拨款支出决算表 (合计 = 基本支出 + 项目支出; 基本支出 sometimes split into
人员经费 + 公用经费), and the budget's 一般公共预算支出预算表 and 财政拨款支出预算表 (the same identities)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import ALL_KINDS, Disclosure, Finding, Table, TableKind
from ....tables.regions import T05P_COLUMNS
from ....tables.schema import T05_COLUMNS
from ...base import Rule, register
from ...context import RunContext
from ...identities import row_sum_findings, tree_findings

# the same identities hold in the 明细表 of regional layouts (Sichuan: 合计/基本支出/项目支出 over
# 经济分类 rows) and in a budget's 一般公共预算支出预算表 and 财政拨款支出预算表 (by 功能分类,
# 合计 = 基本支出 + 项目支出)
_KINDS = (TableKind.T05, TableKind.T05D, TableKind.T05GD, TableKind.B05, TableKind.B05F)


def _tables(doc: Disclosure) -> list[Table]:
    return [t for k in _KINDS for t in doc.tables_of(k)]


@register
class T05RowTotal(Rule):
    """Per row (合计 and every 类/款/项): 合计 = 基本支出 + 项目支出.

    Wrong:
        2080109 社会保险经办机构 | 合计 621.58 | 基本支出 603.97 | 项目支出 7.61
    Right:
        2080109 社会保险经办机构 | 合计 621.58 | 基本支出 603.97 | 项目支出 17.61
    """

    id = "T05-001"
    kinds = ALL_KINDS
    title = "一般公共预算财政拨款支出表各行合计等于基本支出加项目支出"
    family = "T05"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in _tables(doc):
            yield from row_sum_findings(self, ctx, t, "total", ["basic", "project"])


@register
class T05BasicSplit(Rule):
    """Per row, where the table splits 基本支出: 基本支出 = 人员经费 + 公用经费.

    Wrong:
        208 社会保障和就业支出 | 基本支出 683.33 | 人员经费 580.33 | 公用经费 93.00
    Right:
        208 社会保障和就业支出 | 基本支出 683.33 | 人员经费 590.33 | 公用经费 93.00
    """

    id = "T05-002"
    kinds = ALL_KINDS
    title = "基本支出等于人员经费加公用经费"
    family = "T05"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in _tables(doc):
            yield from row_sum_findings(
                self, ctx, t, "basic", ["personnel", "public"], require_part=["personnel", "public"]
            )


@register
class T05Hierarchy(Rule):
    """Column by column: each 类 = Σ its 款, each 款 = Σ its 项, reported at the lowest level where it
    breaks.

    Wrong:
        21011 行政事业单位医疗 43.86 | 2101101 33.26 | 2101199 0.60
    Right:
        21011 行政事业单位医疗 33.86 | 2101101 33.26 | 2101199 0.60
    """

    id = "T05-003"
    kinds = ALL_KINDS
    title = "一般公共预算财政拨款支出表类款项逐级相加"
    family = "T05"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in _tables(doc):
            yield from tree_findings(self, ctx, t, list(T05_COLUMNS), levels={1, 2})
        for t in doc.tables_of(TableKind.T05P):
            yield from tree_findings(self, ctx, t, list(T05P_COLUMNS), levels={1, 2})


@register
class T05GrandTotal(Rule):
    """Column by column: 合计 = Σ 类 rows; not reported when a 类 already reported by T05-003
    explains the difference.

    Wrong:
        合计 | 人员经费 688.44 | 208 590.33 | 210 33.86 | 221 54.26
    Right:
        合计 | 人员经费 678.45 | 208 590.33 | 210 33.86 | 221 54.26 (678.44 is 尾数误差)
    """

    id = "T05-004"
    kinds = ALL_KINDS
    title = "一般公共预算财政拨款支出表合计等于各类之和"
    family = "T05"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in _tables(doc):
            yield from tree_findings(self, ctx, t, list(T05_COLUMNS), levels={0})
        for t in doc.tables_of(TableKind.T05P):
            yield from tree_findings(self, ctx, t, list(T05P_COLUMNS), levels={0})
