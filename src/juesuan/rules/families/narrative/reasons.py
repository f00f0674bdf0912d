"""Reasons for a difference (N-008): a 决算 that differs from its 预算 is explained."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Claim, ClaimKind, Severity
from ...base import register
from ...context import RunContext
from .common import Check, ClaimRule, num, sentence_ref, stated


def reason_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.COMPLETION or c.attrs.get("ctx") == "perf":
        return
    a, b = stated(c.attrs.get("budget")), stated(c.attrs.get("actual"))
    if a is None or b is None:
        return
    refs = [sentence_ref(ctx, c)]
    if a == b:
        return
    if c.attrs.get("reason"):
        yield Check("N-008", None, f"“{c.label}”决算与预算的差异已说明原因", refs)
        return
    items = _items_below(ctx, c) if c.attrs.get("items_follow") else []
    if items and all(i.attrs.get("reason") for i in items if _differs(i)):
        yield Check("N-008", None, f"“{c.label}”决算与预算的差异在其下 {len(items)} 项中逐项说明了原因", refs)
        return
    yield Check("N-008", Severity.WARNING,
                f"“{c.label}”决算 {num(b)} 万元与预算 {num(a)} 万元不一致，未说明原因",
                refs, expected="说明差异原因", found="未说明",
                arithmetic=f"{num(b)} − {num(a)} = {num(b - a)}")  # fmt: skip


def _differs(c: Claim) -> bool:
    a, b = stated(c.attrs.get("budget")), stated(c.attrs.get("actual"))
    return a is not None and b is not None and a != b


def _items_below(ctx: RunContext, total: Claim) -> list[Claim]:
    """The completion claims a total announces with 其中： — those that follow it in the same
    section, up to the next claim of another section."""
    claims = ctx.doc.claims
    start = next((i for i, x in enumerate(claims) if x is total), None)
    if start is None:
        return []
    out: list[Claim] = []
    for x in claims[start + 1 :]:
        if x.section != total.section:
            break
        if x.kind is ClaimKind.COMPLETION and x.attrs.get("ctx") != "perf":
            out.append(x)
    return out


@register
class N008ReasonForDifference(ClaimRule):
    """决算数与预算数不一致时须说明原因（绩效自评中的执行情况除外）。总数以“其中：”引出
    各项、且每一项的差异都说明了原因时，总数的差异视为已说明。

    Wrong:
        “一般公共预算财政拨款支出年初预算为 743.32 万元，支出决算为 881.98 万元，
        完成年初预算的 118.7%。”（全文没有说明原因）

    Right:
        “……完成年初预算的 118.7%。决算数大于预算数的主要原因是年中追加了……”
        “……完成年初预算的 118.7%。其中：” 其下各项（如“社会保险经办机构（项）……完成年初
        预算的 108.3%。决算数大于预算数的主要原因是……”）逐项说明原因。
    """

    id = "N-008"
    title = "决算与预算不一致须说明原因"
    family = "情况说明：预算完成"
    severity = Severity.WARNING
    checker = staticmethod(reason_checks)
    claim_kinds = frozenset({ClaimKind.COMPLETION})
