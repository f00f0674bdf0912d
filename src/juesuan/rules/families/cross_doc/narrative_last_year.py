"""C-002: the 上年 amount a budget's narrative states or implies is last year's budget."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding
from ...base import register
from ...pair import PREVIOUS_YEAR, DocPair, last_year_stated
from .common import CrossDocRule


@register
class BudgetNarrativeLastYear(CrossDocRule):
    """预算说明中与上年比较的数字（上年数，或本年数减增减额）应与同一部门上年公开的预算一致。

    Only a sentence the reader bound to a cell of the budget tables is judged: the amount it
    implies for last year (this year's amount minus the stated change, or the 上年数 it states) is
    compared with the same cell of last year's budget. The stated amount, the change and last
    year's figure are each rounded, so a difference inside 3 × 0.005 is rounding.

    Wrong:
        2017年度部门预算：基本支出 10,000.00 万元
        2018年度部门预算：基本支出 11,447.63 万元，比上年增加 1,547.63 万元（即上年 9,900.00）

    Right:
        2017年度部门预算：基本支出 10,000.00 万元
        2018年度部门预算：基本支出 11,447.63 万元，比上年增加 1,447.63 万元
    """

    id = "C-002"
    title = "预算说明的上年数与上年部门预算一致"
    relation = PREVIOUS_YEAR

    def check(self, pair: DocPair) -> Iterator[Finding]:
        cur, prev = pair.doc, pair.other
        if cur.year is None or prev.year is None:
            return
        for c in cur.claims:
            if c.kind not in ("change", "amount") or not c.bindings:
                continue
            if c.kind == "amount" and c.year != prev.year:
                continue  # an amount of this year: the budget's own rules judge it
            if c.kind == "change" and c.year not in (None, prev.year):
                continue  # compared with another year than the one before
            b = next((x for x in c.bindings if x.get("role") in (None, "value")), c.bindings[0])
            there_cell = prev.cell(b["table"], b["row"], b["column"], b.get("side"))
            if there_cell is None:
                continue
            said = last_year_stated(cur, c, b)
            if said is None:
                continue
            value, parts, stated = said
            here = self.claim_ref(cur, c, b, value)
            there = self.cell_ref(prev, b["table"], b["row"], b["column"], b.get("side"), other=True)
            f = self.equal_finding(f"说明中“{c.label or '该项'}”隐含的{prev.year}年度预算数", here, there, cur, prev,
                                   parts=parts, stated=stated)  # fmt: skip
            if f is not None:
                yield f
