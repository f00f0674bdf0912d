"""C-001: a budget table's 上年预算数 column is last year's budget of the same department."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding
from ...base import register
from ...pair import PREVIOUS_YEAR, DocPair
from .common import CrossDocRule

# the column of a budget table holding this year's budget (what next year's 上年预算数 repeats)
CURRENT_COLUMN = {"B01": "amount", "B04": "amount", "B09": "amount", "B11": "amount"}


@register
class LastYearColumn(CrossDocRule):
    """预算表的“上年预算数”应与同一部门上年公开的预算表的本年预算数一致。

    Each cell of a 上年预算数 column is compared with the cell of the same row of the same table
    in the department's budget of the year before (its 本年预算数: 金额 or 合计). A row the other
    budget does not print is not judged.

    Wrong:
        2017年度部门预算·“三公”经费支出预算表：公务接待费 预算数 12.00
        2018年度部门预算·“三公”经费支出预算表：公务接待费 上年预算数 15.00

    Right:
        2017年度部门预算·“三公”经费支出预算表：公务接待费 预算数 12.00
        2018年度部门预算·“三公”经费支出预算表：公务接待费 上年预算数 12.00
    """

    id = "C-001"
    title = "预算表的上年预算数与上年部门预算一致"
    relation = PREVIOUS_YEAR

    def check(self, pair: DocPair) -> Iterator[Finding]:
        cur, prev = pair.doc, pair.other
        for (kind, side, row, column), c in cur.cells.items():
            if column != "last_year" or c.value is None:
                continue
            current = CURRENT_COLUMN.get(kind, "total")
            if prev.cell(kind, row, current, side) is None:
                continue  # last year's budget does not print the row: nothing certain to compare
            here = self.cell_ref(cur, kind, row, column, side, other=False)
            there = self.cell_ref(prev, kind, row, current, side, other=True)
            f = self.equal_finding(f"“{here.row_label or row}”的上年预算数", here, there, cur, prev)
            if f is not None:
                yield f
