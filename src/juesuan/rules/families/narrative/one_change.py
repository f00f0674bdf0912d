"""One quantity, one change (N-016): the change of a quantity against last year, stated in two
places, has one direction and one amount. A section saying 持平 while another gives a decrease is
an error. Only the text's own claims are read, so it judges budgets as well as final accounts.

Two changes are of the same comparison when they are of one quantity (``one_amount.scope_of``)
and compare with the same base (``attrs['basis']``: 上年预算, 上年决算, 同口径 or unqualified):
a change against last year's budget and one against last year's final accounts may differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....ingest.narrative.numbers import places
from ....model import ALL_KINDS, Claim, ClaimKind, Finding, Severity
from ...base import Rule, register
from ...context import RunContext
from .common import num, sentence_ref, stated, uncertain_reason
from .one_amount import scope_of

_WORDS = {1: "增加", -1: "减少", 0: "持平"}


def _direction(c: Claim) -> int | None:
    d = c.attrs.get("direction")
    return None if d is None else int(str(d))


def _amount(c: Claim) -> Decimal | None:
    return stated(c.attrs.get("change_amount"))


def _said(c: Claim) -> str:
    d, a = _signed(c), _amount(c)
    if d == 0:
        return "与上年持平"
    word = _WORDS.get(d or 0, "变化")
    return f"{word} {num(a)} 万元" if a is not None else word


def _half(v: Decimal) -> Decimal:
    return Decimal(5).scaleb(-(places(v) + 1))


@register
class N016OneQuantityOneChange(Rule):
    """同一数量与上年相比的增减在说明中多处写出时方向和金额一致：一处写“与上年持平”，另一处写
    “减少 X 万元”，或两处写的增减额不同（超出末位半个单位之和），至少一处写错。只比较所述主体
    确定、比较基数相同（上年预算、上年决算、同口径）的两处。

    Wrong:
        “项目支出、单位预留机动经费与上年数一致。”……“项目支出预算数为3123.68万元。与上年相比
        减少120万元，下降3.70%。”

    Right:
        “项目支出、单位预留机动经费与上年数一致。”……“项目支出预算数为3123.68万元。与上年数一致。”
    """

    id = "N-016"
    title = "同一数量的增减前后一致"
    family = "情况说明：前后一致"
    severity = Severity.ERROR
    kinds = ALL_KINDS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        groups: dict[tuple[str, ...], list[Claim]] = {}
        for c in ctx.doc.claims:
            if c.kind is not ClaimKind.CHANGE or not c.quantity or c.attrs.get("ctx") == "perf":
                continue
            if c.quantity.startswith("perf:") or _direction(c) is None:
                continue
            groups.setdefault((*scope_of(c), str(c.attrs.get("basis") or "")), []).append(c)
        for cs in groups.values():
            yield from self._judge(ctx, cs)

    def _judge(self, ctx: RunContext, cs: list[Claim]) -> Iterator[Finding]:
        reported: set[tuple[int, int]] = set()
        for i, a in enumerate(cs):
            for b in cs[i + 1 :]:
                problem = _contradiction(a, b)
                if problem is None or (id(a), id(b)) in reported:
                    continue
                refs = [sentence_ref(ctx, b), sentence_ref(ctx, a)]
                where_a = f"（“{a.section}”）" if a.section else ""
                where_b = f"（“{b.section}”）" if b.section else ""
                what = f"“{b.label or a.label}”一处{_said(a)}{where_a}，另一处{_said(b)}{where_b}"
                if not (a.certain and b.certain):
                    u = a if not a.certain else b
                    ctx.not_checked(self.id, what, uncertain_reason(u, "前后增减比较"), refs)
                    continue
                reported.add((id(a), id(b)))
                yield self.finding(f"{what}：同一数量与上年相比的{problem}前后不一致", refs,
                                   expected=_said(a), found=_said(b))  # fmt: skip
                break  # one finding for the statement that disagrees with the first


def _contradiction(a: Claim, b: Claim) -> str | None:
    """What two changes of one quantity disagree on (增减方向, 增减额), or None."""
    da, db = _signed(a), _signed(b)
    xa, xb = _amount(a), _amount(b)
    if da is not None and db is not None and da != db:
        return "增减方向"
    if xa is not None and xb is not None and abs(xa - xb) > _half(xa) + _half(xb):
        return "增减额"
    return None


def _signed(c: Claim) -> int | None:
    """The direction of a change; a change of zero (持平, 增加 0 万元, 增长 0%) is 0 whichever word
    says it."""
    x, p = _amount(c), stated(c.attrs.get("change_pct"))
    if x == 0 or (x is None and p == 0):
        return 0
    return _direction(c)
