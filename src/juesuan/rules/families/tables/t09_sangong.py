"""Family T09: the 财政拨款“三公”经费支出决算表."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding, Ref, Severity, TableKind
from ...arith import fmt
from ...base import CellAt, Rule, register
from ...compare import sums_equal
from ...context import RunContext
from ...identities import not_above_finding


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

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T09):
            for col in ("budget", "actual"):
                total = ctx.cell(t, "total", col)
                if total is None:
                    continue
                parts = [ctx.cell(t, k, col) for k in ("abroad", "car", "reception")]
                present = [p for p in parts if p is not None]
                if not present:
                    continue
                label = "预算数" if col == "budget" else "决算数"
                # 会议费 and 培训费 printed beside the three (Jiangsu) are outside the 三公 合计;
                # a 合计 that adds them too is another reading of the same layout, not a defect
                extra = [p for p in (ctx.cell(t, k, col) for k in ("meeting", "training")) if p is not None]
                if extra and sums_equal(total.value, [p.value for p in present + extra]):
                    continue
                f = self.sum_finding(ctx, f"三公经费{label}合计与三项之和不符", total, present)
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

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T09):
            for col in ("budget", "actual"):
                total = ctx.cell(t, "car", col)
                if total is None:
                    continue
                parts = [p for p in (ctx.cell(t, k, col) for k in ("car_purchase", "car_run")) if p]
                if not parts:
                    continue
                label = "预算数" if col == "budget" else "决算数"
                f = self.sum_finding(
                    ctx, f"公务用车购置及运行费{label}与购置费、运行费之和不符", total, parts
                )
                if f:
                    yield f


def _stat(ctx: RunContext, key: str) -> Ref | None:
    """A 相关统计数 cell (T09S), whichever column the layout prints it in."""
    c = _stat_at(ctx, key)
    return c.ref() if c is not None else None


def _stat_at(ctx: RunContext, key: str) -> CellAt | None:
    """The cell of :func:`_stat`, its Ref not built."""
    for t in ctx.doc.tables_of(TableKind.T09S):
        for col in ("value", "actual"):
            r = ctx.cell(t, key, col)
            if r is not None:
                return r
    return None


@register
class SanGongCounts(Rule):
    """相关统计数: 接待批次 ≤ 接待人次 and 出国团组数 ≤ 出国人次 (every batch or group has at least one
    person), for 国内公务接待 and 外事接待 alike.

    Wrong:
        国内公务接待批次 26 | 国内公务接待人次 2
    Right:
        国内公务接待批次 2 | 国内公务接待人次 26
    """

    id = "T09-003"
    title = "三公统计数批次不多于人次"
    family = "T09"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        pairs = [
            ("abroad_groups", "abroad_persons", "因公出国（境）团组数多于人次"),
            ("reception_batches", "reception_persons", "国内公务接待批次多于人次"),
            ("foreign_reception_batches", "foreign_reception_persons", "外事接待批次多于人次"),
        ]
        for few, many, what in pairs:
            a, b = _stat_at(ctx, few), _stat_at(ctx, many)
            if a is None or b is None or a.value is None or b.value is None:
                continue
            f = not_above_finding(self, ctx, what, a, b, decimals=0, exact=True)
            if f:
                yield f


@register
class SanGongAmountVsCount(Rule):
    """A 三公 决算数 and its 相关统计数 must agree on whether anything happened: 公务接待费 > 0 with no
    接待批次 (or batches with no 接待费), 因公出国（境）费 > 0 with no 团组 (or the reverse), 公务用车购置费 > 0
    with no 购置数 (or the reverse). A warning: the amount may be an advance or a settlement of last
    year's trip, but it needs a word of explanation.

    Wrong:
        公务接待费 决算数 0.18 | 国内公务接待批次 空
    Right:
        公务接待费 决算数 0.18 | 国内公务接待批次 2
    """

    id = "T09-004"
    title = "三公经费决算数与相关统计数相互印证"
    family = "T09"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if not doc.tables_of(TableKind.T09S):
            return
        pairs = [
            ("reception", ["reception_batches", "foreign_reception_batches"], "公务接待费", "接待批次"),
            ("abroad", ["abroad_groups"], "因公出国（境）费", "出国团组数"),
            ("car_purchase", ["car_purchased"], "公务用车购置费", "公务用车购置数"),
        ]
        for t in doc.tables_of(TableKind.T09):
            for amount_key, count_keys, name, count_name in pairs:
                amount = ctx.ref(t, amount_key, "actual")
                counts = [c for c in (_stat(ctx, k) for k in count_keys) if c is not None]
                if amount is None or not counts:
                    continue
                spent = (amount.value or 0) > 0
                happened = any((c.value or 0) > 0 for c in counts)
                if spent and not happened:
                    yield self.finding(
                        f"{name}决算数为 {fmt(amount.value, ctx.decimals_of(amount))} 万元，但{count_name}为空或为零",
                        [amount, *counts],
                    )
                elif happened and not spent:
                    yield self.finding(f"{count_name}大于零，但{name}决算数为空或为零", [amount, *counts])
