"""Family T09: the 财政拨款“三公”经费支出决算表."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Disclosure, Finding, TableKind
from ..base import Rule, cell_ref, register


@register
class SanGongTotal(Rule):
    """三公经费合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费, for 预算数 and 决算数.

    Wrong:
        合计 12.00 | 因公出国（境）费 0 | 公务用车购置及运行费 8.50 | 公务接待费 2.50
    Right:
        合计 11.00 | 因公出国（境）费 0 | 公务用车购置及运行费 8.50 | 公务接待费 2.50
    """

    id = "T09-001"
    title = "三公经费合计等于三项之和"
    family = "T09"

    def check(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables_of(TableKind.T09):
            for col in ("budget", "actual"):
                total = cell_ref(doc, t, "total", col)
                if total is None:
                    continue
                parts = [cell_ref(doc, t, k, col) for k in ("abroad", "car", "reception")]
                present = [p for p in parts if p is not None]
                if not present:
                    continue
                label = "预算数" if col == "budget" else "决算数"
                f = self.sum_finding(f"三公经费{label}合计与三项之和不符", total, present)
                if f:
                    yield f


@register
class SanGongCar(Rule):
    """公务用车购置及运行费 = 公务用车购置费 + 公务用车运行费, for 预算数 and 决算数.

    Wrong:
        公务用车购置及运行费 8.50 | 购置费 0 | 运行费 8.00
    Right:
        公务用车购置及运行费 8.50 | 购置费 0 | 运行费 8.50
    """

    id = "T09-002"
    title = "公务用车购置及运行费等于购置费与运行费之和"
    family = "T09"

    def check(self, doc: Disclosure) -> Iterator[Finding]:
        for t in doc.tables_of(TableKind.T09):
            for col in ("budget", "actual"):
                total = cell_ref(doc, t, "car", col)
                if total is None:
                    continue
                parts = [p for p in (cell_ref(doc, t, k, col) for k in ("car_purchase", "car_run")) if p]
                if not parts:
                    continue
                label = "预算数" if col == "budget" else "决算数"
                f = self.sum_finding(f"公务用车购置及运行费{label}与购置费、运行费之和不符", total, parts)
                if f:
                    yield f
