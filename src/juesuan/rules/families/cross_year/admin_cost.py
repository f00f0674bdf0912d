"""Y-004: the 上年数 of the 机关运行经费 table is last year's 机关运行经费."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding
from ...base import register
from ...pair import DocPair
from .common import CrossYearRule


@register
class AdminCostLastYear(CrossYearRule):
    """机关运行经费支出情况表的“上年数”应等于上年决算公开的机关运行经费。

    Wrong:
        2023年度 机关运行经费支出情况表 合计 金额 52.30
        2024年度 同表 合计 上年数 55.30

    Right:
        2023年度 机关运行经费支出情况表 合计 金额 52.30
        2024年度 同表 合计 上年数 52.30
    """

    id = "Y-004"
    title = "机关运行经费上年数与上年决算一致"

    def check(self, pair: DocPair) -> Iterator[Finding]:
        cur, prev = pair.doc, pair.other
        if cur.cell("T10", "total", "last_year") is None or prev.cell("T10", "total", "amount") is None:
            return
        now = self.ref(cur, "T10", "total", "last_year", None, previous=False)
        before = self.ref(prev, "T10", "total", "amount", None, previous=True)
        f = self.compare_finding("机关运行经费“上年数”与上年决算不一致", cur, prev, now, before)
        if f:
            yield f
