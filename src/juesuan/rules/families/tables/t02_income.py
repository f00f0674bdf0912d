"""Family T02: the 收入决算表 (rows by 功能分类 code, columns 本年收入合计 and its six sources)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding, TableKind
from ....tables.schema import T02_COLUMNS, T02_PARTS
from ...base import Rule, register
from ...context import RunContext
from ...identities import row_sum_findings, tree_findings


@register
class T02RowTotal(Rule):
    """Per row (合计 and every 类/款/项): 本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 +
    附属单位上缴收入 + 其他收入. A single wrong cell may also break its column's hierarchy (T02-002);
    the cell named by both findings is the culprit.

    Wrong:
        2080109 社会保险经办机构 | 本年收入合计 639.88 | 财政拨款收入 629.88 | 其他收入 空
    Right:
        2080109 社会保险经办机构 | 本年收入合计 639.88 | 财政拨款收入 639.88 | 其他收入 空
    """

    id = "T02-001"
    title = "收入决算表各行本年收入合计等于各项收入之和"
    family = "T02"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        # the 分单位 version (Zhejiang) prints the same columns, one row per 单位
        for t in doc.tables_of(TableKind.T02) + doc.tables_of(TableKind.T02U):
            yield from row_sum_findings(self, ctx, t, "total", T02_PARTS)


@register
class T02Hierarchy(Rule):
    """Column by column: each 类 = Σ its 款, each 款 = Σ its 项. Reported at the lowest level where
    it breaks: a 款 that differs from its 项 is not reported again at its 类.

    Wrong:
        20805 行政事业单位养老支出 89.36 | 2080505 70.94 | 2080506 8.43
    Right:
        20805 行政事业单位养老支出 79.37 | 2080505 70.94 | 2080506 8.43
        (79.36 is 尾数误差, information only)
    """

    id = "T02-002"
    title = "收入决算表类款项逐级相加"
    family = "T02"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T02):
            yield from tree_findings(self, ctx, t, list(T02_COLUMNS), levels={1, 2})


@register
class T02GrandTotal(Rule):
    """Column by column: 合计 = Σ 类 rows. Not reported when the difference comes only from a 类
    that T02-002 reports as not adding up.

    Wrong:
        合计 910.28 | 208 812.17 | 210 33.86 | 221 54.26
    Right:
        合计 900.29 | 208 812.17 | 210 33.86 | 221 54.26 (900.28 is 尾数误差)
    """

    id = "T02-003"
    title = "收入决算表合计等于各类之和"
    family = "T02"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T02):
            yield from tree_findings(self, ctx, t, list(T02_COLUMNS), levels={0})
