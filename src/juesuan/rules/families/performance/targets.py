"""P-004: an indicator that missed its 年度指标值 does not get its full 分值."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....model import Comparator, Finding, Severity
from ...arith import fmt
from ...base import Rule, register
from ...context import RunContext
from .common import ind_ref, indicator_rows, perf_tables, tname


def target_met(op: Comparator, target: Decimal, actual: Decimal) -> bool:
    """Whether ``actual`` meets a target of ``op`` ``target`` (≥ 95: 98 meets it, 13.33 does not)."""
    return {
        Comparator.GE: actual >= target,
        Comparator.GT: actual > target,
        Comparator.LE: actual <= target,
        Comparator.LT: actual < target,
        Comparator.EQ: actual == target,
    }[op]


def _shown(v: Decimal) -> str:
    return fmt(v, 0 if v == v.to_integral() else 2)


@register
class FullScoreUnmetTarget(Rule):
    """An indicator whose 实际完成值 misses its explicit 年度指标值 (≥95% → 13.33%, =100% → 98%) gets
    less than its full 分值. A full score for a target that was not met is a warning: the score or
    the value is wrong, or the deviation needs its reason. Targets without an explicit comparison
    (长期, 按时足额, 早于12月末) are not judged.

    Wrong:
        数量指标 | 年度指标值 ≥95% | 实际完成值 13.33% | 分值 20 | 得分 20
    Right:
        数量指标 | 年度指标值 ≥95% | 实际完成值 13.33% | 分值 20 | 得分 2.8（偏差原因：…）
    """

    id = "P-004"
    title = "未完成指标不得满分"
    family = "P"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in perf_tables(doc):
            for rk in indicator_rows(t):
                row = t.row(rk)
                assert row is not None
                tc, ac = row.cell("target"), row.cell("actual")
                w, s = ind_ref(doc, t, rk, "weight"), ind_ref(doc, t, rk, "score")
                if tc is None or ac is None or w is None or s is None or w.value is None or s.value is None:
                    continue
                if s.value < w.value:
                    continue
                # the reader reads a target only when it states a comparison (≥95%, 不低于90%)
                tgt, act = tc.quantity, ac.quantity
                if tgt is None or tgt.op is None or act is None:
                    continue
                if tgt.unit != act.unit or target_met(tgt.op, tgt.value, act.value):
                    continue
                target_ref = ind_ref(doc, t, rk, "target")
                actual_ref = ind_ref(doc, t, rk, "actual")
                yield self.finding(
                    f"{tname(t)}指标“{s.row_label}”目标 {tc.raw.strip()} 未完成（实际 {ac.raw.strip()}），却得满分 "
                    f"{_shown(s.value)}",
                    [r for r in (target_ref, actual_ref, s, w) if r is not None],
                    expected=f"< {_shown(w.value)}",
                    found=_shown(s.value),
                    arithmetic=f"目标 {tgt.op} {tgt.value}{tgt.unit}，实际 {act.value}{act.unit}：未达到；得分 {s.value} = 分值 {w.value}",
                )
