"""C-004: the 年初预算 a final account's narrative states is the same year's budget."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar

from ....model import BUDGETS, FINAL_ACCOUNTS, DisclosureKind, Finding
from ...base import register
from ...pair import SAME_YEAR_BUDGET, WAN, DocPair, PairClaim
from .common import CrossDocRule


def budget_cell(c: PairClaim) -> tuple[str, str, str] | None:
    """The cell of the budget holding the 年初预算 a completion sentence states: the 一般公共预算
    支出 total and its 科目 (一般公共预算支出预算表), the 三公 items (“三公”经费支出预算表); None
    for any other (a project's budget is printed in no budget table of the same form)."""
    if c.quantity.startswith("sangong."):
        return ("B09", c.quantity.removeprefix("sangong."), "amount")
    for b in c.bindings:
        if b.get("table") == "T05" and b.get("column") == "total" and b.get("role") in (None, "actual"):
            return ("B05", str(b["row"]), "total")
    return None


@register
class CompletionBudget(CrossDocRule):
    """决算说明中的“年初预算”数应与同一部门同一年度公开的部门预算一致。

    A completion sentence (年初预算为 A 万元，支出决算为 B 万元，完成年初预算的 C%) of the
    一般公共预算财政拨款支出 (its total or a 科目) or of the “三公”经费 states the year's initial
    budget: it is compared with the 一般公共预算支出预算表 (合计 or the 科目's row) or the
    “三公”经费支出预算表 the department published for that year. A 科目 the budget does not print
    is not judged.

    Wrong:
        2023年度部门预算·一般公共预算支出预算表：合计 743.32
        2023年度部门决算：一般公共预算财政拨款支出年初预算为 753.32 万元，支出决算为 881.98 万元

    Right:
        2023年度部门预算·一般公共预算支出预算表：合计 743.32
        2023年度部门决算：一般公共预算财政拨款支出年初预算为 743.32 万元，支出决算为 881.98 万元
    """

    id = "C-004"
    title = "决算说明的年初预算数与当年部门预算一致"
    relation = SAME_YEAR_BUDGET
    kinds: ClassVar[frozenset[DisclosureKind]] = FINAL_ACCOUNTS
    other_kinds: ClassVar[frozenset[DisclosureKind]] = BUDGETS

    def check(self, pair: DocPair) -> Iterator[Finding]:
        doc, budget = pair.doc, pair.other
        for c in doc.claims:
            if c.kind != "completion" or c.attrs.get("budget") in (None, ""):
                continue
            at = budget_cell(c)
            if at is None or budget.cell(at[0], at[1], at[2]) is None:
                continue
            scale = WAN if c.unit == "元" else Decimal(1)
            stated = Decimal(str(c.attrs["budget"])) / scale
            b = next(iter(c.bindings), None)
            here = self.claim_ref(doc, c, b, stated)
            there = self.cell_ref(budget, at[0], at[1], at[2], None, other=True)
            f = self.equal_finding(f"说明中“{c.label or '该项'}”的年初预算数", here, there, doc, budget)
            if f is not None:
                yield f
