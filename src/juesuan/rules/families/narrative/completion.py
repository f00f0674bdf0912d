"""Completion against budget (N-005, N-006): one check function, read by both rules (and by
N-007, which stays silent where the rate already says what is wrong)."""

from __future__ import annotations

from collections.abc import Iterator

from ....ingest.narrative.numbers import places
from ....model import Claim, ClaimKind, Severity
from ...arith import PLACE_NAMES, PctVerdict, check_pct
from ...base import register
from ...context import RunContext
from .common import (
    HALF,
    Check,
    ClaimRule,
    binding,
    binding_ref,
    cell_value,
    in_text_unit,
    num,
    pct,
    sentence_ref,
    stated,
)


def completion_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.COMPLETION:
        return
    a, b = stated(c.attrs.get("budget")), stated(c.attrs.get("actual"))
    rate = stated(c.attrs.get("rate"))
    refs = [sentence_ref(ctx, c)] + [r for r in (binding_ref(ctx, x) for x in c.bindings) if r is not None]
    if rate is None or a is None or b is None:
        return
    d = places(rate)
    if a == 0:
        base = str(c.attrs.get("rate_base") or c.attrs.get("budget_base") or "") or "预算"
        others = [(k.removeprefix("budget:"), stated(v)) for k, v in c.attrs.items() if k.startswith("budget:")]
        # a rate of a zero base is wrong even when another base stated makes the number right
        other = next((f"（按{k} {num(v)} 万元计算为 {pct(b / v * 100, d)}，所称口径不符）"
                      for k, v in others if v and k != base), "")  # fmt: skip
        yield Check("N-006", Severity.ERROR if b != 0 else Severity.WARNING,
                    f"“{c.label}”{base}数为 0，不能表述完成率，说明中却写了完成{base}的 {pct(rate, d)}" +
                    ("" if b != 0 else "（预算数和决算数均为 0）") + other,
                    refs, expected="不表述完成率", found=pct(rate, d),
                    arithmetic=f"{num(b)} ÷ 0 无意义")  # fmt: skip
        return
    chk = check_pct(rate, b, a, h_num=HALF, h_den=HALF)
    if chk is None:
        return
    if chk.verdict is not PctVerdict.OK:
        # a wrong 决算 in the text (N-001) with the rate of the cell: not reported twice
        ba, bb = binding(c, "actual"), binding(c, "budget")
        # cells in the text's unit (a table in 元 beside a text in 万元)
        ca = in_text_unit(ctx, c, ba, cell_value(ctx, ba)) if ba else None
        cb = in_text_unit(ctx, c, bb, cell_value(ctx, bb)) if bb and not c.attrs.get("budget_from_table") else None
        if (ca is not None and ca != b) or (cb is not None and cb != a):
            alt = check_pct(
                rate, ca if ca is not None else b, cb if cb is not None else a, h_num=HALF, h_den=HALF
            )
            if alt is not None and alt.verdict is PctVerdict.OK:
                b, a, chk = (ca if ca is not None else b), (cb if cb is not None else a), alt
    arith = (
        f"{num(b)} ÷ {num(a)} = {pct(chk.exact, d + 1 if d >= 2 else 2)} → {pct(chk.expected, d)}"
        f"（{PLACE_NAMES.get(d, f'{d}位小数')}）"
    )
    if chk.verdict is PctVerdict.OK:
        yield Check("N-005", None, f"“{c.label}”完成率 {pct(rate, d)} 正确", refs, arithmetic=arith)
    elif chk.verdict is PctVerdict.TRUNCATED:
        yield Check("N-005", Severity.INFO, f"“{c.label}”完成率 {pct(rate, d)} 为截尾取值，按四舍五入应为 {pct(chk.expected, d)}",
                    refs, expected=pct(chk.expected, d), found=pct(rate, d), arithmetic=arith)  # fmt: skip
    else:
        yield Check("N-005", Severity.ERROR, f"“{c.label}”完成率应为 {pct(chk.expected, d)}，说明中为 {pct(rate, d)}",
                    refs, expected=pct(chk.expected, d), found=pct(rate, d), arithmetic=arith,
                    difference=rate - chk.expected)  # fmt: skip


@register
class N005CompletionRate(ClaimRule):
    """完成率（执行率）= 决算数 ÷ 预算数，按说明印出的位数四舍五入；截尾取值只作提示。

    Wrong:
        “项目全年预算数为 3721.70 万元，执行数 1365.20 万元，……完成年度预算的 95.81%”
        （1365.20 ÷ 3721.70 = 36.68%）。

    Right:
        “年初预算为 573.82 万元，支出决算为 621.58 万元，完成年初预算的 108.3%”
        （621.58 ÷ 573.82 = 108.32% → 108.3%）。
    """

    id = "N-005"
    title = "完成率等于决算数除以预算数"
    family = "情况说明：预算完成"
    severity = Severity.ERROR
    checker = staticmethod(completion_checks)
    claim_kinds = frozenset({ClaimKind.COMPLETION})


@register
class N006NoRateForZeroBudget(ClaimRule):
    """预算数为 0 时不能表述完成率（任何百分数都无意义）；决算数也为 0 时为警告。

    Wrong:
        “年初预算为 0 万元，支出决算为 2.82 万元，完成年初预算的 100%。”

    Right:
        “年初预算为 0 万元，支出决算为 2.82 万元。决算数大于预算数的主要原因是……”
    """

    id = "N-006"
    title = "预算数为零时不表述完成率"
    family = "情况说明：预算完成"
    severity = Severity.ERROR
    also = (Severity.WARNING,)  # a rate stated where both amounts are 0
    checker = staticmethod(completion_checks)
    claim_kinds = frozenset({ClaimKind.COMPLETION})
