"""Narrative changes against last year (N-004)."""

from __future__ import annotations

from collections.abc import Iterator

from ....ingest.narrative.numbers import places
from ....model import Claim, ClaimKind, Severity
from ...arith import PLACE_NAMES, PctVerdict, check_pct, fmt
from ...base import register
from ...context import RunContext
from .common import HALF, Check, ClaimRule, binding, binding_ref, cell_value, num, pct, sentence_ref, stated


def change_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.CHANGE:
        return
    cur = c.value
    b = binding(c, "value", "actual", None)
    refs = [sentence_ref(ctx, c)]
    if b is not None:
        r = binding_ref(ctx, b)
        if r is not None:
            refs.append(r)
        if cur is None:
            cur = cell_value(ctx, b)
    d = stated(c.attrs.get("change_amount"))
    p = stated(c.attrs.get("change_pct"))
    direction = int(str(c.attrs.get("direction") or 0))
    pdir = c.attrs.get("pct_direction")
    if (
        d is not None
        and p is not None
        and pdir is not None
        and int(str(pdir)) != direction
        and d != 0
        and p != 0
    ):
        words = ("增加", "增长") if direction > 0 else ("减少", "下降")
        yield Check("N-004", Severity.ERROR,
                    f"“{c.label}”增减方向前后矛盾：金额{words[0]} {num(d)} 万元，比率却是{'增长' if int(str(pdir)) > 0 else '下降'} {num(p)}%",
                    refs, expected=f"{words[1]} {num(p)}%", found=f"{'增长' if int(str(pdir)) > 0 else '下降'} {num(p)}%")  # fmt: skip
        return
    lb = binding(c, "last")
    if lb is not None and cur is not None and d is not None:
        last_cell = cell_value(ctx, lb)
        lr = binding_ref(ctx, lb)
        if last_cell is not None and lr is not None:
            actual_d = cur - last_cell
            stated_d = d * (direction or 1)
            if abs(actual_d - stated_d) > HALF * 3:
                yield Check("N-004", Severity.ERROR,
                            f"“{c.label}”比上年{'增加' if stated_d > 0 else '减少'} {num(d)} 万元，但表中上年数为 {fmt(last_cell)}，"
                            f"实际{'增加' if actual_d > 0 else '减少'} {fmt(abs(actual_d))} 万元",
                            [*refs, lr], expected=fmt(actual_d), found=num(stated_d),
                            arithmetic=f"{num(cur)} − {fmt(last_cell)} = {fmt(actual_d)}")  # fmt: skip
    if d is None or p is None or cur is None:
        return
    last = cur - d if direction >= 0 else cur + d
    if last <= 0:
        return
    dp = places(p)
    chk = check_pct(p, d, last, h_num=HALF, h_den=HALF * 2)
    if chk is None:
        return
    if chk.verdict is not PctVerdict.OK and b is not None:
        # a wrong amount in the text (N-001) with the change computed from the cell
        cell = cell_value(ctx, b)
        if cell is not None and cell != cur:
            last2 = cell - d if direction >= 0 else cell + d
            alt = check_pct(p, d, last2, h_num=HALF, h_den=HALF * 2) if last2 > 0 else None
            if alt is not None and alt.verdict is PctVerdict.OK:
                cur, last, chk = cell, last2, alt
    sign = "−" if direction >= 0 else "+"
    arith = (
        f"{num(d)} ÷ ({num(cur)} {sign} {num(d)}) = {num(d)} ÷ {num(last)} = {pct(chk.exact, dp + 1 if dp >= 2 else 2)} → "
        f"{pct(chk.expected, dp)}（{PLACE_NAMES.get(dp, f'{dp}位小数')}）"
    )
    word = "下降" if direction < 0 else "增长"
    if chk.verdict is PctVerdict.OK:
        yield Check("N-004", None, f"“{c.label}”{word} {pct(p, dp)} 与增减额一致", refs, arithmetic=arith)
    elif chk.verdict is PctVerdict.TRUNCATED:
        yield Check("N-004", Severity.INFO, f"“{c.label}”{word} {pct(p, dp)} 为截尾取值，按四舍五入应为 {pct(chk.expected, dp)}",
                    refs, expected=pct(chk.expected, dp), found=pct(p, dp), arithmetic=arith)  # fmt: skip
    else:
        yield Check("N-004", Severity.ERROR,
                    f"“{c.label}”增减额 {num(d)} 万元对应的增减率应为 {pct(chk.expected, dp)}，说明中为 {pct(p, dp)}",
                    refs, expected=pct(chk.expected, dp), found=pct(p, dp), arithmetic=arith,
                    difference=p - chk.expected)  # fmt: skip


@register
class N004ChangeAgrees(ClaimRule):
    """增减额与增减率一致：增减率 = 增减额 ÷ 上年数，上年数 = 本年数 ∓ 增减额；表中有上年数时
    （机关运行经费表），增减额还须等于本年数减上年数；“减少……增长”这类前后矛盾的增减方向为错误。
    截尾取值只作提示。

    Wrong:
        “本年收入合计 900.28 万元，比上年减少 16.22 万元，下降 1.6%”
        （16.22 ÷ (900.28 + 16.22) = 1.77% → 1.8%）。

    Right:
        “本年收入合计 900.28 万元，比上年减少 16.22 万元，下降 1.8%”。
    """

    id = "N-004"
    title = "增减额与增减率一致"
    family = "情况说明：增减变化"
    severity = Severity.ERROR
    checker = staticmethod(change_checks)
    claim_kinds = frozenset({ClaimKind.CHANGE})
