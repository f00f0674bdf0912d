"""P-002, P-003: the scores of a 绩效自评表 — each at most its 分值, 总分 their sum."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding, Ref
from ...base import Rule, register
from ...context import RunContext
from ...identities import not_above_finding
from .common import field_of, field_ref, ind_ref, indicator_rows, perf_tables, tname


@register
class ScoreNotAboveWeight(Rule):
    """Each 得分 is at most its 分值 (every indicator, the 预算执行率 score, and 总分 ≤ 总分值).

    Wrong:
        满意度指标 | 分值 10 | 得分 12
    Right:
        满意度指标 | 分值 10 | 得分 9
    """

    id = "P-002"
    title = "得分不超过分值"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in perf_tables(doc):
            for rk in indicator_rows(t):
                w, s = ind_ref(doc, t, rk, "weight"), ind_ref(doc, t, rk, "score")
                if w is None or s is None or w.value is None or s.value is None:
                    continue
                f = not_above_finding(
                    self, ctx, f"{tname(t)}指标“{s.row_label}”得分超过分值", s, w, exact=True
                )
                if f:
                    yield f
            for score, weight, what in (
                ("exec_score", "exec_weight", "预算执行率得分"),
                ("total_score", "total_weight", "总分"),
            ):
                s_, w_ = field_of(t, score), field_of(t, weight)
                if s_ is None or w_ is None:
                    continue
                f = not_above_finding(
                    self,
                    ctx,
                    f"{tname(t)}{what}超过分值",
                    field_ref(doc, t, score, s_),
                    field_ref(doc, t, weight, w_),
                    exact=True,
                )
                if f:
                    yield f


@register
class TotalScore(Rule):
    """总分 = 预算执行率得分 + Σ 指标得分, and 总分值 = Σ 分值 (the same sum of the weights).

    Wrong:
        执行率得分 5 | 指标得分 20, 15, 10, 10, 15, 10, 10 | 总分 100
    Right:
        执行率得分 5 | 指标得分 20, 15, 10, 10, 15, 10, 10 | 总分 95
    """

    id = "P-003"
    title = "总分等于各项得分之和"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in perf_tables(doc):
            for total_key, part_field, col, what in (
                ("total_score", "exec_score", "score", "总分"),
                ("total_weight", "exec_weight", "weight", "总分值"),
            ):
                tv = field_of(t, total_key)
                if tv is None:
                    continue
                parts: list[Ref] = []
                pv = field_of(t, part_field)
                if pv is not None:
                    parts.append(field_ref(doc, t, part_field, pv))
                for rk in indicator_rows(t):
                    r = ind_ref(doc, t, rk, col)
                    if r is not None and r.value is not None:
                        parts.append(r)
                if len(parts) < 2:
                    continue
                f = self.sum_finding(
                    ctx, f"{tname(t)}{what}不等于各项之和", field_ref(doc, t, total_key, tv), parts
                )
                if f:
                    yield f
