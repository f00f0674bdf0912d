"""Narrative shares (N-002, N-003): 占X% = part / total; the shares of a list add up to ~100%."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from ....ingest.narrative.numbers import places
from ....model import ALL_KINDS, Claim, ClaimKind, Finding, Ref, Severity
from ...arith import PLACE_NAMES, PctVerdict, check_pct
from ...base import Rule, register
from ...context import RunContext
from .common import (
    HALF,
    ZERO,
    Check,
    ClaimRule,
    binding,
    binding_ref,
    cell_value,
    claim_checks,
    in_text_unit,
    judged,
    num,
    pct,
    sentence_ref,
    stated,
)


def _share_values(ctx: RunContext, c: Claim) -> tuple[Decimal | None, Decimal | None, list[Ref]]:
    refs: list[Ref] = []
    part = stated(c.attrs.get("part"))
    total = stated(c.attrs.get("share_of"))
    bp, bt = binding(c, "part"), binding(c, "total")
    # a cell beside a stated amount is taken in the text's unit (tables in 元, the text in 万元)
    mixed = (part is None) != (total is None)
    if part is None and bp is not None:
        part = in_text_unit(ctx, c, bp, cell_value(ctx, bp)) if mixed else cell_value(ctx, bp)
    if total is None and bt is not None:
        total = in_text_unit(ctx, c, bt, cell_value(ctx, bt)) if mixed else cell_value(ctx, bt)
    for b in (bp, bt):
        if b is not None:
            r = binding_ref(ctx, b)
            if r is not None:
                refs.append(r)
    return part, total, refs


def _share_cells(ctx: RunContext, c: Claim) -> tuple[Decimal | None, Decimal | None]:
    bp, bt = binding(c, "part"), binding(c, "total")
    return (cell_value(ctx, bp) if bp else None), (cell_value(ctx, bt) if bt else None)


def share_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.SHARE or c.value is None:
        return
    part, total, refs = _share_values(ctx, c)
    if part is None or total is None:
        label = str(c.attrs.get("share_of_label") or "")
        if c.value > 100 and not re.search(r"上年|去年|同期|预算", label):
            d = places(c.value)
            yield Check("N-002", Severity.WARNING, f"“{c.label}”为 {pct(c.value, d)}：部分占总数的比例不会超过 100%",
                        [sentence_ref(ctx, c), *refs], expected="≤ 100%", found=pct(c.value, d))  # fmt: skip
        return
    refs = [sentence_ref(ctx, c), *refs]
    d = places(c.value)
    if total == 0:
        if c.value != 0 and part == 0:
            yield Check("N-002", Severity.WARNING, f"“{c.label}”：总数为 0，不应表述占比 {pct(c.value, d)}", refs,
                        expected="不表述", found=pct(c.value, d))  # fmt: skip
        return
    chk = check_pct(c.value, part, total, h_num=HALF, h_den=HALF)
    if chk is None:
        return
    if chk.verdict is not PctVerdict.OK:
        # the text may state a wrong amount (N-001) and the right share of the cells: judge the
        # share against the cells too, so the wrong amount is not reported twice
        cp, ct = _share_cells(ctx, c)
        if (cp, ct) != (part, total) and cp is not None and ct is not None and ct != 0:
            alt = check_pct(c.value, cp, ct, h_num=HALF, h_den=HALF)
            if alt is not None and alt.verdict is PctVerdict.OK:
                part, total, chk = cp, ct, alt
    arith = (
        f"{num(part)} ÷ {num(total)} = {pct(chk.exact, max(d, 2) if d < 2 else d + 1)} → "
        f"{pct(chk.expected, d)}（{PLACE_NAMES.get(d, f'{d}位小数')}）"
    )
    label = c.label or "占比"
    if chk.verdict is not PctVerdict.WRONG and not c.attrs.get("ratio") and part > total + 2 * HALF:
        # the share agrees with its numbers, but the part exceeds the whole it is a share of
        # (a total of the accounts, not a 预算 or last year's amount a ratio may be taken of)
        over = Check("N-018", Severity.ERROR,
                     f"“{label}”：部分 {num(part)} 万元超过整体 {num(total)} 万元，占比 {pct(c.value, d)} 超过 100%",
                     refs, expected=f"≤ {num(total)}", found=num(part), arithmetic=arith, difference=part - total)  # fmt: skip
        yield judged(c, over, "部分与整体", f"“{label}”{pct(c.value, d)}")
    if chk.verdict is PctVerdict.OK:
        yield Check("N-002", None, f"“{label}”{pct(c.value, d)} 正确", refs, arithmetic=arith)
    elif chk.verdict is PctVerdict.TRUNCATED:
        yield Check("N-002", Severity.INFO, f"“{label}”{pct(c.value, d)} 为截尾取值，按四舍五入应为 {pct(chk.expected, d)}",
                    refs, expected=pct(chk.expected, d), found=pct(c.value, d), arithmetic=arith)  # fmt: skip
    elif _balanced_to_hundred(ctx, c, chk.expected, d):
        yield Check("N-002", Severity.INFO,
                    f"“{label}”{pct(c.value, d)} 按四舍五入应为 {pct(chk.expected, d)}；"
                    f"同一列举的占比之和因此恰为 100%，属调整尾差",
                    refs, expected=pct(chk.expected, d), found=pct(c.value, d), arithmetic=arith,
                    difference=c.value - chk.expected)  # fmt: skip
    else:
        wrong = Check("N-002", Severity.ERROR, f"“{label}”应为 {pct(chk.expected, d)}，说明中为 {pct(c.value, d)}",
                      refs, expected=pct(chk.expected, d), found=pct(c.value, d), arithmetic=arith,
                      difference=c.value - chk.expected)  # fmt: skip
        yield judged(c, wrong, "占比", f"“{label}”{pct(c.value, d)}")


def _balanced_to_hundred(ctx: RunContext, c: Claim, expected: Decimal, d: int) -> bool:
    """Is the share one last-place unit off so that its list's shares add up to exactly 100%?

    Statements balance the rounding of a list of shares into one item (调整尾差), so that the
    printed shares sum to 100% where the correctly rounded ones would give 99.99% or 100.01%.
    That is a rounding difference, not a wrong share. It is one only when this share is the
    single one that differs from its rounding and the roundings themselves miss 100%.
    """
    unit = Decimal(1).scaleb(-d)
    if c.value is None or abs(c.value - expected) != unit or not c.attrs.get("list"):
        return False
    members = [
        m for m in ctx.doc.claims
        if m.kind is ClaimKind.SHARE and m.value is not None and m.attrs.get("list") == c.attrs["list"]
    ]  # fmt: skip
    if len(members) < 2 or sum((m.value or ZERO for m in members), ZERO) != 100:
        return False
    rounded: list[Decimal] = []
    for m in members:
        part, total, _ = _share_values(ctx, m)
        if part is None or not total or m.value is None:
            return False
        r = (part / total * 100).quantize(unit, rounding=ROUND_HALF_UP)
        if m is not c and r != m.value:
            return False  # another share is off too: not a balancing of one item
        rounded.append(r)
    return sum(rounded, ZERO) != 100


def share_list_checks(ctx: RunContext) -> Iterator[Check]:
    """N-003: the shares of one list add up to about 100% (when the parts make up the whole)."""
    lists: dict[str, list[Claim]] = {}
    for c in ctx.doc.claims:
        if c.kind is ClaimKind.SHARE and c.value is not None and c.attrs.get("list"):
            lists.setdefault(str(c.attrs["list"]), []).append(c)
    for members in lists.values():
        if len(members) < 2:
            continue
        if any(ch.severity is Severity.ERROR for m in members for ch in claim_checks(ctx, share_checks, m)):
            continue  # a wrong share is reported on its own
        total = sum((m.value or ZERO for m in members), ZERO)
        d = max(places(m.value or ZERO) for m in members)
        tol = Decimal(5).scaleb(-(min(places(m.value or ZERO) for m in members) + 1)) * len(members)
        parts = [_share_values(ctx, m) for m in members]
        whole = parts[0][1]
        part_sum = sum((p[0] or ZERO for p in parts), ZERO)
        complete = whole is not None and abs(part_sum - whole) <= HALF * (len(members) + 1)
        shares = " + ".join(pct(m.value or ZERO, places(m.value or ZERO)) for m in members)
        arith = f"{shares} = {pct(total, d)}；容差 ±{tol.normalize():f}%（{len(members)} 项 × 半个末位单位）"
        refs = [sentence_ref(ctx, m) for m in members[:1]] + [r for p in parts[:1] for r in p[2][1:]]
        if total > 100 + tol:
            yield Check("N-003", Severity.WARNING, f"同一列举的占比之和为 {pct(total, d)}，超过 100%", refs,
                        expected="≤ 100%", found=pct(total, d), arithmetic=arith)  # fmt: skip
        elif complete and abs(total - 100) > tol:
            yield Check("N-003", Severity.WARNING, f"各部分金额之和等于总数，但占比之和为 {pct(total, d)}，不是 100%",
                        refs, expected="100%", found=pct(total, d), arithmetic=arith)  # fmt: skip
        else:
            yield Check("N-003", None, f"占比之和 {pct(total, d)}", refs, arithmetic=arith)


@register
class N002ShareIsPartOverTotal(ClaimRule):
    """“占X%”等于所述部分除以总数，按说明印出的位数四舍五入（或四舍六入五成双）。

    金额本身是舍入到 0.01 万元的，所以凡在其舍入区间内可得到的百分数都算正确；
    截尾取值（应入而舍）只作提示；为使同一列举的占比之和恰为 100% 而把一项调整一个末位单位
    （调整尾差）也只作提示；超出区间即为错误。总数在表中找不到时，超过 100% 的占比为警告。
    部分与总数都是说明自己写出的数时，决算和预算一样核对；总数不确定（承接前文）时不报告，记为未核对。

    Wrong:
        “共涉及资金 42678.16 万元，占一般公共预算项目支出总额的 386.1%”（项目支出 110.54 万元）。
        “社会保障和就业支出 793.87 万元，占 85%”（支出 881.98 万元：793.87 ÷ 881.98 = 90.01%）。

    Right:
        “社会保障和就业支出 793.87 万元，占 90%；卫生健康支出 33.86 万元，占 4%”
        （793.87 ÷ 881.98 = 90.01% → 90%，33.86 ÷ 881.98 = 3.84% → 4%）。
        “基本支出 7877.76 万元，占 49.55%；项目支出 6333.96 万元，占 39.84%；预留机动经费
        1685.72 万元，占 10.61%”（10.60% 调为 10.61%，三项之和恰为 100%：提示）。
    """

    id = "N-002"
    title = "占比等于部分除以总数"
    family = "情况说明：占比"
    severity = Severity.ERROR
    kinds = ALL_KINDS  # a part over its total means the same in a budget (a budget's are the text's)
    checker = staticmethod(share_checks)
    claim_kinds = frozenset({ClaimKind.SHARE})


@register
class N003SharesAddUp(Rule):
    """同一列举中各项的占比之和约为 100%：超过 100% 加各项舍入容差，或各项金额之和等于总数而
    占比之和不是 100%，均为警告（各项自身算错时只报 N-002）。

    Wrong:
        “其中：甲项目 50 万元，占 60%；乙项目 50 万元，占 50%”（之和 110%）。

    Right:
        “基本支出 944.44 万元，占 44.84%；项目支出 1,161.90 万元，占 55.16%”（之和 100%）。
    """

    id = "N-003"
    title = "同一列举的占比之和约为 100%"
    family = "情况说明：占比"
    severity = Severity.WARNING
    kinds = ALL_KINDS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for ch in share_list_checks(ctx):
            if ch.severity is None:
                continue
            yield self.finding(ch.message, ch.refs, severity=ch.severity, expected=ch.expected,
                               found=ch.found, arithmetic=ch.arithmetic)  # fmt: skip
