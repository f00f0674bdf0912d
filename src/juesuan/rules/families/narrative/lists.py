"""Lists the narrative states (N-013, N-014): the parts a total announces with 其中：/包括： add up
to it, and the shares of one list agree with its amounts when the total is not stated. Both read
only the text's own numbers, so they judge budgets as well as final accounts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ....ingest.narrative.numbers import places
from ....model import ALL_KINDS, Claim, ClaimKind, Finding, Severity
from ...arith import PLACE_NAMES, PctVerdict, check_pct_of_sum, fmt
from ...base import Rule, register
from ...context import RunContext
from .common import HALF, ZERO, Check, binding, cell_value, judged, num, pct, sentence_ref, stated
from .common import half_unit as _half
from .common import in_wan as _wan


def _share_lists(claims: list[Claim]) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for c in claims:
        if c.kind is ClaimKind.SHARE and c.value is not None and c.attrs.get("list"):
            out.setdefault(str(c.attrs["list"]), []).append(c)
    return out


def _shares_whole(members: list[Claim]) -> bool:
    """Whether the shares of a list add up to 100% within their rounding (the parts are the whole)."""
    total = sum((m.value or ZERO for m in members), ZERO)
    tol = sum((Decimal(5).scaleb(-(places(m.value or ZERO) + 1)) for m in members), ZERO)
    return abs(total - 100) <= tol


def list_sum_checks(ctx: RunContext) -> Iterator[tuple[Claim, Check]]:
    """N-013, with the head amount each check belongs to: the parts a 其中：/包括： list states
    against the total before it."""
    claims = ctx.doc.claims
    heads: dict[str, Claim] = {}
    parts: dict[str, list[Claim]] = {}
    for c in claims:
        if c.kind is not ClaimKind.AMOUNT:
            continue
        if c.attrs.get("list_head"):
            heads[str(c.attrs["list_head"])] = c
        if c.attrs.get("list_part"):
            parts.setdefault(str(c.attrs["list_part"]), []).append(c)
    shares = _share_lists(claims)
    for lid, ps in parts.items():
        head = heads.get(lid)
        total = _wan(head) if head is not None else None
        values = [_wan(p) for p in ps]
        if head is None or total is None or any(v is None for v in values):
            continue
        if not _one_side(head, ps):
            continue  # 收入、支出总计 with an income and an expense below it: not parts of one sum
        got = sum((v for v in values if v is not None), ZERO)
        tol = _half(head) + sum((_half(p) for p in ps), ZERO)
        diff = got - total
        listed = " + ".join(num(v) for v in values if v is not None)
        arith = f"{listed} = {num(got)}；总数 {num(total)}，相差 {num(diff)}（容差 ±{tol.normalize():f}）"
        refs = [sentence_ref(ctx, head), *(sentence_ref(ctx, p) for p in ps if p.sentence != head.sentence)][
            :4
        ]
        what = f"“{head.label}”{num(total)} 万元的 {len(ps)} 个组成部分"
        if abs(diff) <= tol:
            yield head, Check("N-013", None, f"{what}之和 {num(got)} 万元与总数一致", refs, arithmetic=arith)
            continue
        if _cells_agree(ctx, head, ps, tol):
            continue  # a wrong amount in the text, the tables right: N-001 reports that amount
        members = shares.get(lid, [])
        whole = len(members) == len(ps) and len(ps) >= 2 and _shares_whole(members)
        if diff > 0:
            wrong = Check("N-013", Severity.ERROR, f"{what}之和为 {num(got)} 万元，超过总数 {num(total)} 万元",
                          refs, expected=f"≤ {num(total)}", found=num(got), arithmetic=arith, difference=diff)  # fmt: skip
        elif whole:
            wrong = Check("N-013", Severity.ERROR,
                          f"{what}占比合计 100%，金额之和却为 {num(got)} 万元，与总数 {num(total)} 万元不符",
                          refs, expected=num(total), found=num(got), arithmetic=arith, difference=diff)  # fmt: skip
        else:
            continue  # a list of some of the parts (其中 need not name them all)
        yield head, judged(head, wrong, "列举的总数", f"{what}之和 {num(got)} 万元")


_BOTH_SIDES = re.compile(r"收入[、和及与]支出|收[、和及与]?支")


def _one_side(head: Claim, parts: list[Claim]) -> bool:
    """Whether a list adds up on one side: its head names no 收入、支出 pair, and its parts are
    not some of them 收入 and some 支出."""
    if _BOTH_SIDES.search(head.label):
        return False
    income = any("收入" in p.label for p in parts)
    expense = any("支出" in p.label and "收入" not in p.label for p in parts)
    return not (income and expense)


def _cell_or_stated(ctx: RunContext, c: Claim) -> Decimal | None:
    """The amount of ``c`` as the cell it restates prints it (in 万元), else as stated."""
    b = binding(c, "value", "actual", None)
    cell = cell_value(ctx, b) if b is not None and c.unit == "万元" else None
    return cell if cell is not None else _wan(c)


def _cells_agree(ctx: RunContext, head: Claim, parts: list[Claim], tol: Decimal) -> bool:
    """Whether the parts add up to the total once each amount is taken from its cell (a 决算's
    text that misprints one of them: N-001 says which)."""
    total = _cell_or_stated(ctx, head)
    values = [_cell_or_stated(ctx, p) for p in parts]
    if total is None or any(v is None for v in values):
        return False
    if total == _wan(head) and all(v == _wan(p) for v, p in zip(values, parts, strict=True)):
        return False  # no cell says otherwise
    return abs(sum((v for v in values if v is not None), ZERO) - total) <= tol


def implied_share_checks(ctx: RunContext) -> Iterator[tuple[Claim, Check]]:
    """N-014, with the share each check belongs to: the shares of a list whose total the text
    does not state, against the sum of its parts (when the shares make up 100%)."""
    for members in _share_lists(ctx.doc.claims).values():
        if len(members) < 2:
            continue
        if any(
            stated(m.attrs.get("share_of")) is not None or binding(m, "total") is not None for m in members
        ):
            continue  # the total is stated or in a table: N-002 judges each share
        parts = [stated(m.attrs.get("part")) for m in members]
        units = {str(m.attrs.get("part_unit") or "万元") for m in members}
        if any(p is None for p in parts) or len(units) != 1 or not _shares_whole(members):
            continue
        whole = sum((p for p in parts if p is not None), ZERO)
        if whole <= 0:
            continue
        h_rest = HALF * (len(members) - 1)
        for m, part in zip(members, parts, strict=True):
            assert part is not None and m.value is not None
            chk = check_pct_of_sum(m.value, part, whole - part, h_part=HALF, h_rest=h_rest)
            if chk is None:
                continue
            d = places(m.value)
            refs = [sentence_ref(ctx, m)]
            arith = (
                f"{num(part)} ÷ {num(whole)}（各项之和）= {pct(chk.exact, max(d, 2) if d < 2 else d + 1)} → "
                f"{pct(chk.expected, d)}（{PLACE_NAMES.get(d, f'{d}位小数')}）"
            )
            label = m.label or "占比"
            if chk.verdict is PctVerdict.OK:
                yield (
                    m,
                    Check(
                        "N-014", None, f"“{label}”{pct(m.value, d)} 与各项金额相称", refs, arithmetic=arith
                    ),
                )
            elif chk.verdict is PctVerdict.TRUNCATED:
                yield m, Check("N-014", Severity.INFO,
                               f"“{label}”{pct(m.value, d)} 为截尾取值，按各项之和 {fmt(whole)} 四舍五入应为 {pct(chk.expected, d)}",
                               refs, expected=pct(chk.expected, d), found=pct(m.value, d), arithmetic=arith)  # fmt: skip
            else:
                wrong = Check("N-014", Severity.ERROR,
                              f"“{label}”应为 {pct(chk.expected, d)}（各项合计 {fmt(whole)} 万元，占比合计 100%），说明中为 {pct(m.value, d)}",
                              refs, expected=pct(chk.expected, d), found=pct(m.value, d), arithmetic=arith,
                              difference=m.value - chk.expected)  # fmt: skip
                yield m, judged(m, wrong, "占比", f"“{label}”{pct(m.value, d)}")


class _ListRule(Rule):
    """Base class (not registered): the failed checks of one list-check function."""

    def _checks(self, ctx: RunContext) -> Iterator[tuple[Claim, Check]]:
        raise NotImplementedError

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for _, ch in self._checks(ctx):
            if ch.unchecked is not None:
                ctx.not_checked(self.id, ch.message, ch.unchecked, ch.refs)
                continue
            if ch.severity is None:
                continue
            yield self.finding(ch.message, ch.refs, severity=ch.severity, expected=ch.expected, found=ch.found,
                               difference=ch.difference, arithmetic=ch.arithmetic)  # fmt: skip


@register
class N013PartsAddUpToTheirTotal(_ListRule):
    """以“其中：”“包括：”列出的各组成部分（同一句中，或其后以同一序号样式逐段列出的各项）之和
    不超过所述总数；各部分的占比合计 100%（列全了）时，各部分之和等于总数。容差为各数末位的半个单位之和。
    只用说明自身的数字，决算和预算一样核对；只列了部分组成（其中）而合计小于总数的，不报告。

    Wrong:
        “支出预算总计 9,146.79 万元。包括：1.一般公共服务（类）支出 6,543.55 万元……
        2.社会保障和就业（类）支出 1,509.72 万元……3.住房保障（类）支出 1,193.52 万元……”
        （三项之和 9,246.79 万元，超过总数）。

    Right:
        “2018年度政府采购支出预算总额 1,281.76 万元，其中：拟采购货物支出 355.67 万元、
        拟采购工程支出 0 万元、拟购买服务支出 926.09 万元。”（355.67 + 0 + 926.09 = 1,281.76）。
    """

    id = "N-013"
    title = "列举的各部分之和与总数一致"
    family = "情况说明：列举"
    severity = Severity.ERROR
    kinds = ALL_KINDS  # the text's own arithmetic means the same in a budget

    def _checks(self, ctx: RunContext) -> Iterator[tuple[Claim, Check]]:
        return list_sum_checks(ctx)


@register
class N014SharesOfOneList(_ListRule):
    """同一列举中各项都写了金额和占比、占比合计 100%，而总数没有写出（也不在表中）时，各项占比
    等于该项金额除以各项金额之和（和的容差为各项半个末位单位之和）；截尾取值只作提示。

    Wrong:
        “因公出国（境）费支出70万元，占“三公”经费的13.77%；公务用车购置及运行费支出411.20万元，
        占“三公”经费的80.92%；公务接待费支出27万元，占“三公”经费的5.31%”
        （411.20 ÷ 508.20 = 80.913% → 80.91%）。

    Right:
        “因公出国（境）费支出170万元，占“三公”经费的27.39%；公务用车运行维护费支出266.8万元，
        占“三公”经费的42.98%；公务接待费支出183.95万元，占“三公”经费的29.63%”
        （合计 620.75：170 ÷ 620.75 = 27.39%，266.8 ÷ 620.75 = 42.98%，183.95 ÷ 620.75 = 29.63%）。
    """

    id = "N-014"
    title = "同一列举的占比与各项金额相称"
    family = "情况说明：占比"
    severity = Severity.ERROR
    kinds = ALL_KINDS

    def _checks(self, ctx: RunContext) -> Iterator[tuple[Claim, Check]]:
        return implied_share_checks(ctx)
