"""Narrative changes against last year: the text's own arithmetic (N-004) and the change against
the tables (N-012: a 决算's 上年数 column, a budget's 上年预算数 column), for both kinds."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....ingest.narrative.numbers import places
from ....model import ALL_KINDS, Claim, ClaimKind, Ref, Severity
from ...arith import PLACE_NAMES, PctCheck, PctVerdict, check_pct, fmt
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
    judged,
    num,
    pct,
    sentence_ref,
    stated,
)


def _words(c: Claim) -> tuple[Decimal | None, Decimal | None, int]:
    """(change amount, change rate, direction) as the claim states them."""
    return (
        stated(c.attrs.get("change_amount")),
        stated(c.attrs.get("change_pct")),
        int(str(c.attrs.get("direction") or 0)),
    )


def _described(c: Claim) -> str:
    """The change as the text states it (what a check not judged was about)."""
    d, p, direction = _words(c)
    word = ("减少", "下降") if direction < 0 else ("增加", "增长")
    out = f"“{c.label}”" if c.label else "增减变化"
    if d is not None:
        out += f"{word[0]} {num(d)} 万元"
    if p is not None:
        out += f"{'，' if d is not None else ''}{word[1]} {num(p)}%"
    return out


def change_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    """N-004: the change amount, the change rate and the current amount the text states agree
    (the rate is the amount over last year's, last year's = the current ∓ the change)."""
    if c.kind is not ClaimKind.CHANGE:
        return
    d, p, direction = _words(c)
    pdir = c.attrs.get("pct_direction")
    refs = [sentence_ref(ctx, c)]
    if (
        d is not None
        and p is not None
        and pdir is not None
        and int(str(pdir)) != direction
        and d != 0
        and p != 0
    ):
        # both words stand in the clause: no subject is needed to see they contradict each other
        words = ("增加", "增长") if direction > 0 else ("减少", "下降")
        yield Check("N-004", Severity.ERROR,
                    f"“{c.label}”增减方向前后矛盾：金额{words[0]} {num(d)} 万元，比率却是{'增长' if int(str(pdir)) > 0 else '下降'} {num(p)}%",
                    refs, expected=f"{words[1]} {num(p)}%", found=f"{'增长' if int(str(pdir)) > 0 else '下降'} {num(p)}%")  # fmt: skip
        return
    cur = c.value  # the current amount the text states (None: only a table holds it, N-012)
    stated_last = stated(c.attrs.get("last_year_amount"))
    if cur is None and stated_last is not None and d is not None:
        cur = stated_last + d if direction >= 0 else stated_last - d  # the sentence states last year's
    if d is None or p is None or cur is None:
        return
    b = binding(c, "value", "actual", None)
    if b is not None:
        r = binding_ref(ctx, b)
        if r is not None:
            refs.append(r)
    last = cur - d if direction >= 0 else cur + d
    if last <= 0:
        return
    chk = check_pct(p, d, last, h_num=HALF, h_den=HALF * 2)
    if chk is None:
        return
    if chk.verdict is not PctVerdict.OK and b is not None:
        # a wrong amount in the text (N-001) with the change computed from the cell
        cell = in_text_unit(ctx, c, b, cell_value(ctx, b))  # in the text's unit (tables in 元)
        if cell is not None and cell != cur:
            last2 = cell - d if direction >= 0 else cell + d
            alt = check_pct(p, d, last2, h_num=HALF, h_den=HALF * 2) if last2 > 0 else None
            if alt is not None and alt.verdict is PctVerdict.OK:
                cur, last, chk = cell, last2, alt
    yield judged(c, _pct_check("N-004", c, d, p, direction, cur, last, chk, refs), "增减率", _described(c))


def _pct_check(
    rule: str,
    c: Claim,
    d: Decimal,
    p: Decimal,
    direction: int,
    cur: Decimal,
    last: Decimal,
    chk: PctCheck,
    refs: list[Ref],
) -> Check:
    dp = places(p)
    sign = "−" if direction >= 0 else "+"
    arith = (
        f"{num(d)} ÷ ({num(cur)} {sign} {num(d)}) = {num(d)} ÷ {num(last)} = {pct(chk.exact, dp + 1 if dp >= 2 else 2)} → "
        f"{pct(chk.expected, dp)}（{PLACE_NAMES.get(dp, f'{dp}位小数')}）"
    )
    word = "下降" if direction < 0 else "增长"
    if chk.verdict is PctVerdict.OK:
        return Check(rule, None, f"“{c.label}”{word} {pct(p, dp)} 与增减额一致", refs, arithmetic=arith)
    if chk.verdict is PctVerdict.TRUNCATED:
        return Check(rule, Severity.INFO, f"“{c.label}”{word} {pct(p, dp)} 为截尾取值，按四舍五入应为 {pct(chk.expected, dp)}",
                     refs, expected=pct(chk.expected, dp), found=pct(p, dp), arithmetic=arith)  # fmt: skip
    return Check(rule, Severity.ERROR,
                 f"“{c.label}”增减额 {num(d)} 万元对应的增减率应为 {pct(chk.expected, dp)}，说明中为 {pct(p, dp)}",
                 refs, expected=pct(chk.expected, dp), found=pct(p, dp), arithmetic=arith,
                 difference=p - chk.expected)  # fmt: skip


def change_table_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    """N-012: a change against the cells of a table — against last year's column (a 决算's
    机关运行经费表, a budget's 上年预算数 beside this year's), and the rate of a change whose current
    amount only the table prints."""
    if c.kind is not ClaimKind.CHANGE:
        return
    d, p, direction = _words(c)
    if d is None:
        return
    b = binding(c, "value", "actual", None)
    # cells in the text's unit: a table in 元 beside a text in 万元
    cell = in_text_unit(ctx, c, b, cell_value(ctx, b)) if b is not None else None
    cur = c.value if c.value is not None else cell
    refs = [sentence_ref(ctx, c)]
    br = binding_ref(ctx, b) if b is not None else None
    if br is not None:
        refs.append(br)
    lb = binding(c, "last")
    if lb is not None and cur is not None:
        last_cell = in_text_unit(ctx, c, lb, cell_value(ctx, lb))
        lr = binding_ref(ctx, lb)
        if last_cell is not None and lr is not None:
            actual_d = cur - last_cell
            stated_d = d * (direction or 1)
            if abs(actual_d - stated_d) > HALF * 3:
                yield judged(c, Check("N-012", Severity.ERROR,
                             f"“{c.label}”比上年{'增加' if stated_d > 0 else '减少'} {num(d)} 万元，但表中上年数为 {fmt(last_cell)}，"
                             f"实际{'增加' if actual_d > 0 else '减少'} {fmt(abs(actual_d))} 万元",
                             [*refs, lr], expected=fmt(actual_d), found=num(stated_d),
                             arithmetic=f"{num(cur)} − {fmt(last_cell)} = {fmt(actual_d)}"), "增减额", _described(c))  # fmt: skip
            else:
                yield Check(
                    "N-012", None, f"“{c.label}”增减额与表中上年数 {fmt(last_cell)} 一致", [*refs, lr]
                )
    if (
        c.value is not None
        or c.attrs.get("last_year_amount") is not None
        or cell is None
        or p is None
        or (
            direction
            and c.attrs.get("pct_direction") is not None
            and int(str(c.attrs["pct_direction"])) != direction
        )
    ):
        return  # the text states the current amount (N-004), or there is no cell
    last = cell - d if direction >= 0 else cell + d
    if last <= 0:
        return
    chk = check_pct(p, d, last, h_num=HALF, h_den=HALF * 2)
    if chk is not None:
        yield judged(
            c, _pct_check("N-012", c, d, p, direction, cell, last, chk, refs), "增减率", _described(c)
        )


@register
class N004ChangeAgrees(ClaimRule):
    """增减额与增减率一致（只用说明自身的数字，适用于决算和预算）：增减率 = 增减额 ÷ 上年数，
    上年数 = 说明中的本年数 ∓ 增减额；“减少……增长”这类前后矛盾的增减方向为错误。截尾取值只作提示。

    本年数是同一句中增减额之前所述的金额，或（本句没有金额时）上一句所述的那一个金额，无论它是
    哪个数量；增减变化点名了所述数量时，取前文所述的同名金额。所述主体不确定（承接更早的前文、
    上一句有几个金额）时不报告，记为未核对。

    Wrong:
        “本年收入合计 900.28 万元，比上年减少 16.22 万元，下降 1.6%”
        （16.22 ÷ (900.28 + 16.22) = 1.77% → 1.8%）。
        “行政运行（项）支出6106.99万元，与上年相比增加101.48万元，增长1.66%”
        （101.48 ÷ 6005.51 = 1.69%）。

    Right:
        “本年收入合计 900.28 万元，比上年减少 16.22 万元，下降 1.8%”。
        “此外，基本支出预算数为18570.82万元。与上年相比增加1447.63万元，增长8.45%。”
        （1447.63 ÷ 17123.19 = 8.45%：所述的是上一句的基本支出）。
    """

    id = "N-004"
    title = "增减额与增减率一致"
    family = "情况说明：增减变化"
    severity = Severity.ERROR
    kinds = ALL_KINDS  # the text's own arithmetic means the same in a budget
    checker = staticmethod(change_checks)
    claim_kinds = frozenset({ClaimKind.CHANGE})


@register
class N012ChangeAgainstTables(ClaimRule):
    """增减变化与表中数一致：表中有上年数时（决算的机关运行经费表；预算表在本年预算数旁所列的
    上年预算数），增减额等于本年数减上年数；说明没有写出本年数时，增减率按表中本年数核对（上年数 =
    表中本年数 ∓ 增减额）。适用于决算和预算。

    Wrong:
        “2024年度，机关运行经费支出29.24万元，比上年减少0.82万元”（表中上年数 32.06：实际减少 2.82 万元）。
        “2025年度一般公共预算支出预算962.08万元，与上年相比减少31.96万元，下降3.22%”
        （一般公共预算支出预算表上年预算数 944.04：实际增加 18.04 万元）。

    Right:
        “2024年度，机关运行经费支出29.24万元，比上年减少2.82万元，下降8.80%”（表中上年数 32.06）。
        “2025年度一般公共预算支出预算962.08万元，与上年相比增加18.04万元，增长1.91%”（上年预算数 944.04）。
    """

    id = "N-012"
    title = "增减变化与表中数一致"
    family = "情况说明：增减变化"
    severity = Severity.ERROR
    kinds = ALL_KINDS  # a budget's table prints 上年预算数 beside the year's as a 决算's 上年数
    checker = staticmethod(change_table_checks)
    claim_kinds = frozenset({ClaimKind.CHANGE})
