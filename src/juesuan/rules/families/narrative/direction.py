"""Direction words (N-007): 决算数大于/小于/等于预算数 agrees with the numbers stated before."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Claim, ClaimKind, Severity
from ...base import register
from ...context import RunContext
from .common import (
    Check,
    ClaimRule,
    binding,
    cell_value,
    claim_checks,
    in_text_unit,
    num,
    sentence_ref,
    stated,
)
from .completion import completion_checks

_WORDS = {1: "大于", -1: "小于", 0: "等于"}


def direction_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.DIRECTION:
        return
    idx = c.attrs.get("completion")
    if idx is None:
        return
    claims = ctx.doc.claims
    target = claims[int(str(idx))] if int(str(idx)) < len(claims) else None
    if target is None:
        return
    a, b = stated(target.attrs.get("budget")), stated(target.attrs.get("actual"))
    if a is None or b is None:
        return
    said = int(str(c.attrs.get("direction") or 0))
    real = (b > a) - (b < a)
    refs = [sentence_ref(ctx, c), sentence_ref(ctx, target)]
    if said != real:
        # ``年初预算为 0，全年预算为 321.02 …决算数小于预算数``: a bare 预算数 may be either base stated
        for k, v in target.attrs.items():
            other = stated(v) if k.startswith("budget:") else None
            if other is not None and (b > other) - (b < other) == said:
                a, real = other, said
                break
    if said != real:
        # the word agrees with the 决算 of the table (the text misprints it: N-001) …
        ba = binding(target, "actual")
        # (in the text's unit: a table in 元 beside a text in 万元)
        cell = in_text_unit(ctx, target, ba, cell_value(ctx, ba)) if ba else None
        if cell is not None and (cell > a) - (cell < a) == said:
            b, real = cell, said
        # … or with the completion rate stated with it (the numbers contradict both: N-005)
        rate = stated(target.attrs.get("rate"))
        if rate is not None and a != 0 and (rate > 100) - (rate < 100) == said:
            if any(
                x.rule == "N-005" and x.severity is Severity.ERROR
                for x in claim_checks(ctx, completion_checks, target)
            ):
                return
    arith = f"决算 {num(b)} {'>' if real > 0 else '<' if real < 0 else '='} 预算 {num(a)}"
    if said == real:
        yield Check("N-007", None, f"“{c.label}”与数字一致", refs, arithmetic=arith)
    else:
        yield Check("N-007", Severity.ERROR,
                    f"说明称决算数{_WORDS[said]}预算数，但决算 {num(b)} 万元{_WORDS[real]}预算 {num(a)} 万元",
                    refs, expected=f"决算数{_WORDS[real]}预算数", found=c.label, arithmetic=arith)  # fmt: skip


@register
class N007DirectionWord(ClaimRule):
    """“决算数大于/小于/等于预算数”与前文的预算数、决算数一致。

    Wrong:
        “年初预算为 74.32 万元，支出决算为 70.94 万元……决算数大于预算数的主要原因是……”

    Right:
        “年初预算为 74.32 万元，支出决算为 70.94 万元……决算数小于预算数的主要原因是……”
    """

    id = "N-007"
    title = "大于/小于/等于与数字一致"
    family = "情况说明：预算完成"
    severity = Severity.ERROR
    checker = staticmethod(direction_checks)
    claim_kinds = frozenset({ClaimKind.DIRECTION})
