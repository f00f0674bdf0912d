"""P-005: a 绩效自评表 published as the empty form."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding, Ref
from ...base import Rule, register
from ...context import RunContext
from .common import is_blank_form, perf_tables


@register
class BlankPerformanceForm(Rule):
    """A 绩效自评表 left as the empty form (no project name, no amount, no indicator value) in a
    real disclosure: the form of the template was published instead of the self-evaluation.

    Wrong:
        2024年度年初预算项目支出绩效自评表 | 项目名称 （空） | 年初预算数 （空） | 指标值 （空） …
    Right:
        项目支出绩效自评表 | 项目名称 城乡居民基本养老保险 | 全年预算数 429.79 | 全年执行数 429.79 …
    """

    id = "P-005"
    title = "绩效自评表未填写"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        for t in perf_tables(doc):
            if is_blank_form(t):
                yield self.finding(
                    f"《{t.name}》是未填写的空白表样（没有项目名称、金额和指标值）",
                    [Ref(table=t.kind, table_index=doc.table_index(t), table_title=t.name, loc=t.loc)],
                )
