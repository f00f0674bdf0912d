"""科目 names in the narrative (N-010): the reader found the path's problem; the rule reports it."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Claim, ClaimKind, Severity
from ...base import register
from ...context import RunContext
from .common import Check, ClaimRule, binding_ref, sentence_ref


def subject_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    problem = c.attrs.get("subject_problem")
    if not problem or c.kind not in (ClaimKind.AMOUNT, ClaimKind.COMPLETION):
        return
    refs = [sentence_ref(ctx, c)] + [r for r in (binding_ref(ctx, x) for x in c.bindings) if r is not None]
    yield Check("N-010", Severity.WARNING, f"说明中的科目“{c.label}”：{problem}", refs)


@register
class N010SubjectNames(ClaimRule):
    """说明中以“类/款/项”名称指称的科目，与本文件决算表中该科目的名称和上级科目一致。

    Wrong:
        “社会保障和就业（类）行政事业单位养老支出（款）社会保险经办机构（项）……”
        （表中 2080109 社会保险经办机构 属于 20801 人力资源和社会保障管理事务）

    Right:
        “社会保障和就业（类）人力资源和社会保障管理事务（款）社会保险经办机构（项）……”
    """

    id = "N-010"
    title = "科目名称与表中一致"
    family = "情况说明：科目"
    severity = Severity.WARNING
    checker = staticmethod(subject_checks)
    claim_kinds = frozenset({ClaimKind.AMOUNT, ClaimKind.COMPLETION})
