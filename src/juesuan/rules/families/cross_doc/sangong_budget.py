"""C-003: the 预算数 of a final account's 三公 table is the same year's budget."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from ....model import BUDGETS, FINAL_ACCOUNTS, DisclosureKind, Finding
from ...base import register
from ...pair import SAME_YEAR_BUDGET, DocPair
from .common import CrossDocRule

# the rows of the 决算 三公 table (T09) and of the budget's (B09) that name the same expense
ROWS = ("total", "abroad", "car", "car_purchase", "car_run", "reception")


@register
class SangongBudget(CrossDocRule):
    """决算“三公”经费支出表的预算数应与同一部门同一年度公开的部门预算一致。

    Each row of the 预算数 column of the 财政拨款“三公”经费支出决算表 is compared with the same
    row of the “三公”经费支出预算表 the department published for that year. A row either table does
    not print is not judged; a budget adjusted during the year explains a difference, which the
    narrative should then state.

    Wrong:
        2023年度部门预算·“三公”经费支出预算表：公务接待费 预算数 12.00
        2023年度部门决算·“三公”经费支出决算表：公务接待费 预算数 15.00

    Right:
        2023年度部门预算·“三公”经费支出预算表：公务接待费 预算数 12.00
        2023年度部门决算·“三公”经费支出决算表：公务接待费 预算数 12.00
    """

    id = "C-003"
    title = "决算三公经费预算数与当年部门预算一致"
    relation = SAME_YEAR_BUDGET
    kinds: ClassVar[frozenset[DisclosureKind]] = FINAL_ACCOUNTS
    other_kinds: ClassVar[frozenset[DisclosureKind]] = BUDGETS

    def check(self, pair: DocPair) -> Iterator[Finding]:
        doc, budget = pair.doc, pair.other
        for row in ROWS:
            c = doc.cell("T09", row, "budget")
            if c is None or budget.cell("B09", row, "amount") is None:
                continue
            here = self.cell_ref(doc, "T09", row, "budget", None, other=False)
            there = self.cell_ref(budget, "B09", row, "amount", None, other=True)
            f = self.equal_finding(f"“三公”经费“{here.row_label or row}”的预算数", here, there, doc, budget)
            if f is not None:
                yield f
