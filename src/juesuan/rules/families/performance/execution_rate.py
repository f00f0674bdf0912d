"""P-001: the 执行率 of a 绩效自评表 is its 全年执行数 over its 全年预算数."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....model import Finding, Severity
from ...arith import fmt
from ...base import Rule, register
from ...context import RunContext
from .common import field_ref, number, perf_tables, places, tname


@register
class ExecutionRate(Rule):
    """执行率 = 全年执行数 ÷ 全年预算数 × 100%, compared at the printed decimals with the
    rounding of the two amounts (each ± half a unit of their last printed digit) allowed as 提示.
    A rate printed over a zero budget is an error.

    Wrong:
        全年预算数 77.00 | 全年执行数 74.72 | 执行率 97.30%
    Right:
        全年预算数 77.00 | 全年执行数 74.72 | 执行率 97.04%
    """

    id = "P-001"
    title = "执行率等于执行数除以预算数"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in perf_tables(doc):
            bc, ac, rc = t.fields.get("budget_year"), t.fields.get("actual_year"), t.fields.get("exec_rate")
            b, a, r = number(bc), number(ac), number(rc)
            if b is None or a is None or r is None or rc is None:
                continue
            refs = [
                field_ref(doc, t, "actual_year"),
                field_ref(doc, t, "budget_year"),
                field_ref(doc, t, "exec_rate", r),
            ]
            if b == 0:
                if r != 0:
                    yield self.finding(
                        f"{tname(t)}全年预算数为 0，无法计算执行率，却印为 {rc.raw.strip()}",
                        refs,
                        found=rc.raw.strip(),
                    )
                continue
            k = places(rc) if not rc.blank else 2
            computed = a / b * 100
            half = Decimal(5).scaleb(-(k + 1))
            du = Decimal(5).scaleb(-(max(bc.decimals if bc else 2, ac.decimals if ac else 2) + 1))
            # the rates the unrounded amounts allow: each amount ± half a unit of its last digit
            lo = max(abs(a) - du, Decimal(0)) / (abs(b) + du) * 100
            hi = (abs(a) + du) / (abs(b) - du) * 100 if abs(b) > du else None
            diff = r - computed
            shown = computed.quantize(Decimal(1).scaleb(-k))
            within = r >= lo - half and (hi is None or r <= hi + half)
            bounds = f"{lo:.4f}%～{hi:.4f}%" if hi is not None else f"≥ {lo:.4f}%"
            arithmetic = (
                f"{fmt(a, ac.decimals if ac else 2)} ÷ {fmt(b, bc.decimals if bc else 2)} × 100% = {computed:.4f}% ≈ "
                f"{shown}%；印为 {r}%，差 {diff.quantize(Decimal('0.0001'))}；金额尾数允许的范围 {bounds}"
            )
            if abs(diff) <= half:
                continue
            if within:
                yield self.finding(
                    f"{tname(t)}执行率 {r}% 与执行数÷预算数 {shown}% 相差在金额尾数误差范围内",
                    refs,
                    severity=Severity.INFO,
                    expected=f"{shown}%",
                    found=f"{r}%",
                    arithmetic=arithmetic,
                )
                continue
            yield self.finding(
                f"{tname(t)}执行率应为 {shown}%，实为 {r}%",
                refs,
                expected=f"{shown}%",
                found=f"{r}%",
                difference=diff,
                arithmetic=arithmetic,
            )
