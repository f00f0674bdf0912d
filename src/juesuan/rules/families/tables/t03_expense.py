"""Family T03: the 支出决算表 (rows by 功能分类 code; 本年支出合计 = 基本 + 项目 + 上缴上级 + 经营 +
对附属单位补助)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding, TableKind
from ....tables.schema import T03_COLUMNS, T03_PARTS
from ...base import Rule, register
from ...context import RunContext
from ...identities import row_sum_findings, tree_findings
from .t01_summary import class_hint


@register
class T03RowTotal(Rule):
    """Per row (合计 and every 类/款/项): 本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 +
    对附属单位补助支出.

    Wrong:
        合计 | 本年支出合计 891.98 | 基本支出 771.45 | 项目支出 110.54
    Right:
        合计 | 本年支出合计 881.99 | 基本支出 771.45 | 项目支出 110.54
        (881.98 is 尾数误差, information only)
    """

    id = "T03-001"
    title = "支出决算表各行本年支出合计等于各项支出之和"
    family = "T03"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        # the 分单位 version (Zhejiang) prints the same columns, one row per 单位
        for t in doc.tables_of(TableKind.T03) + doc.tables_of(TableKind.T03U):
            yield from row_sum_findings(self, ctx, t, "total", T03_PARTS)


@register
class T03Hierarchy(Rule):
    """Column by column: each 类 = Σ its 款, each 款 = Σ its 项, reported at the lowest level where it
    breaks.

    Wrong:
        20801 人力资源和社会保障管理事务 649.59 | 2080107 2.82 | 2080108 15.19 | 2080109 621.58
    Right:
        20801 人力资源和社会保障管理事务 639.59 | 2080107 2.82 | 2080108 15.19 | 2080109 621.58
    """

    id = "T03-002"
    title = "支出决算表类款项逐级相加"
    family = "T03"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T03):
            yield from tree_findings(self, ctx, t, list(T03_COLUMNS), levels={1, 2})


@register
class T03GrandTotal(Rule):
    """Column by column: 合计 = Σ 类 rows; not reported when a 类 already reported by T03-002
    explains the difference. When 本年支出合计 breaks and 公开01表 is present, the finding names the
    类 rows that disagree with table 01.

    Wrong:
        合计 | 基本支出 781.45 | 208 683.33 | 210 33.86 | 221 54.26
    Right:
        合计 | 基本支出 771.45 | 208 683.33 | 210 33.86 | 221 54.26
    """

    id = "T03-003"
    title = "支出决算表合计等于各类之和"
    family = "T03"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T03):
            for f in tree_findings(self, ctx, t, list(T03_COLUMNS), levels={0}):
                if f.severity.rank == 3 and f.locations and f.locations[0].column == "total":
                    hint, refs = class_hint(ctx, t, doc.table(TableKind.T01), "total", "amount")
                    if hint:
                        f.message += hint
                        f.locations += [r for r in refs if r not in f.locations]
                yield f
