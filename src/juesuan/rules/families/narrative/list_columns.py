"""A list adds up in every column (N-017): when the items a completion lists below it (其中：1. …
年初预算为 A，支出决算为 B) add up to its 决算, they are all its parts, so their 年初预算 add up to
its 年初预算 as well. Only the text's own numbers are read."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....ingest.narrative.numbers import places
from ....model import ALL_KINDS, Claim, ClaimKind, Finding, Severity
from ...base import Rule, register
from ...context import RunContext
from .common import ZERO, claim_checks, num, sentence_ref, stated, uncertain_reason
from .completion import completion_checks


def _half(v: Decimal) -> Decimal:
    return Decimal(5).scaleb(-(places(v) + 1))


def _column(cs: list[Claim], key: str) -> list[Decimal] | None:
    vals = [stated(c.attrs.get(key)) for c in cs]
    return None if any(v is None for v in vals) else [v for v in vals if v is not None]


@register
class N017ListAddsUpInEveryColumn(Rule):
    """“其中”逐项列出的各项决算数之和等于总的决算数（列全了）时，各项的年初预算数之和也等于总的
    年初预算数（容差为各数末位半个单位之和）。只列了一部分（决算数之和不等于总数）时不核对；某项的
    完成率与其预算数不符时，由 N-005 指出那一个数，本规则不再报告。

    Wrong:
        “一般公共预算财政拨款支出年初预算为 743.32 万元，支出决算为 881.98 万元。其中：
        1. ……年初预算为 0 万元，支出决算为 260.40 万元。2. ……年初预算为 573.82 万元，
        支出决算为 621.58 万元。”（决算 260.40 + 621.58 = 881.98，年初预算 0 + 573.82 = 573.82 ≠ 743.32）

    Right:
        “……年初预算为 743.32 万元，支出决算为 881.98 万元。其中：1. ……年初预算为 169.50 万元，
        支出决算为 260.40 万元。2. ……年初预算为 573.82 万元，支出决算为 621.58 万元。”
    """

    id = "N-017"
    title = "列举的各项在每一列都与总数相加一致"
    family = "情况说明：列举"
    severity = Severity.ERROR
    kinds = ALL_KINDS

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        heads: dict[str, Claim] = {}
        parts: dict[str, list[Claim]] = {}
        for c in ctx.doc.claims:
            if c.kind is not ClaimKind.COMPLETION:
                continue
            if c.attrs.get("list_head"):
                heads[str(c.attrs["list_head"])] = c
            if c.attrs.get("list_part"):
                parts.setdefault(str(c.attrs["list_part"]), []).append(c)
        for lid, ps in parts.items():
            head = heads.get(lid)
            if head is None or len(ps) < 2:
                continue
            f = self._judge(ctx, head, ps)
            if f is not None:
                yield f

    def _judge(self, ctx: RunContext, head: Claim, ps: list[Claim]) -> Finding | None:
        actuals, budgets = _column(ps, "actual"), _column(ps, "budget")
        if any(p.attrs.get("budget_from_table") for p in [head, *ps]):
            return None  # a 预算 read from a table is not a column the text states
        bases = {str(p.attrs.get("budget_base") or "") for p in ps}
        if len(bases) != 1:
            return None  # items of different bases: no one column
        (pb,) = bases
        # the total's amount of the items' base: its budget, or another base it states beside it
        # (年初预算为 0 万元，全年预算为 321.02 万元 above items of 全年预算)
        tb = (stated(head.attrs.get("budget")) if str(head.attrs.get("budget_base") or "") == pb
              else stated(head.attrs.get(f"budget:{pb or '预算'}")))  # fmt: skip
        ta = stated(head.attrs.get("actual"))
        if actuals is None or budgets is None or ta is None or tb is None:
            return None
        tol_a = _half(ta) + sum((_half(v) for v in actuals), ZERO)
        if abs(sum(actuals, ZERO) - ta) > tol_a:
            return None  # the 决算 do not add up: some of the parts only (or N-013's business)
        got = sum(budgets, ZERO)
        tol = _half(tb) + sum((_half(v) for v in budgets), ZERO)
        diff = got - tb
        if abs(diff) <= tol:
            return None
        if any(
            ch.severity is Severity.ERROR
            for c in [head, *ps]
            for ch in claim_checks(ctx, completion_checks, c)
        ):
            return None  # a rate that contradicts its own 预算 already points at the wrong number (N-005)
        base = pb or "预算"
        listed = " + ".join(num(v) for v in budgets)
        arith = (f"决算 {' + '.join(num(v) for v in actuals)} = {num(sum(actuals, ZERO))}（总数 {num(ta)}）；"
                 f"{base} {listed} = {num(got)}，总数 {num(tb)}，相差 {num(diff)}（容差 ±{tol.normalize():f}）")  # fmt: skip
        refs = [sentence_ref(ctx, head), *(sentence_ref(ctx, p) for p in ps)][:6]
        what = f"“{head.label}”下列出的 {len(ps)} 项"
        uncertain = next((c for c in [head, *ps] if not c.certain), None)
        if uncertain is not None:
            ctx.not_checked(
                self.id, f"{what}{base}之和 {num(got)} 万元", uncertain_reason(uncertain, "列举的各项"), refs
            )
            return None
        return self.finding(
            f"{what}决算数之和等于总的决算数 {num(ta)} 万元（已列全），{base}之和却为 {num(got)} 万元，与总的{base} {num(tb)} 万元不符",
            refs, expected=num(tb), found=num(got), difference=diff, tolerance=tol, arithmetic=arith)  # fmt: skip
