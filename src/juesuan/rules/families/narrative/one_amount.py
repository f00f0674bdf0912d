"""One quantity, one amount (N-015): an amount the narrative states in two places is the same
in both. It reads only the text's own claims, so it judges budgets as well as final accounts.

Which statements are of the same quantity is the reader's: the quantity key, the year, and for
a key whose meaning depends on the section (基本支出, a 功能分类 类 …) the section's context and
the funds it speaks of (``attrs['ctx']``, ``attrs['funds']``). Only amounts whose subject was
read for certain accuse; a disagreement with an uncertain one is recorded as not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....model import ALL_KINDS, Claim, ClaimKind, Finding, Severity
from ...base import Rule, register
from ...context import RunContext
from .common import binding, cell_value, half_unit, in_wan, num, sentence_ref, uncertain_reason

# keys that name one quantity wherever they stand; the others (基本支出, 项目支出, 功能分类 …)
# mean the funds of the section they stand in
GLOBAL_KEYS = ("sangong.", "proc.", "org_running", "general_", "fiscal_", "fund.", "capital.", "grand_total",
               "inc_grand_total", "exp_grand_total")  # fmt: skip


def scope_of(c: Claim) -> tuple[str, ...]:
    """What makes two statements of ``c.quantity`` statements of one quantity."""
    year = str(c.year or "")
    if c.quantity.startswith(GLOBAL_KEYS):
        return (c.quantity, year)
    return (c.quantity, year, str(c.attrs.get("ctx") or ""), str(c.attrs.get("funds") or ""))


def comparable(c: Claim) -> bool:
    """Whether ``c`` states an amount of a named quantity of the accounts (not a 绩效 project's
    funds, not a detail in parentheses, not a subject whose name the tables contradict)."""
    if c.kind not in (ClaimKind.AMOUNT, ClaimKind.COMPLETION) or not c.quantity or c.value is None:
        return False
    if c.quantity.startswith("perf:") or c.attrs.get("ctx") == "perf":
        return False
    if c.attrs.get("nested") or c.attrs.get("subject_problem"):
        return False
    return in_wan(c) is not None


def _label(c: Claim) -> str:
    return c.label or c.quantity


def _where(c: Claim) -> str:
    return f"（“{c.section}”）" if c.section else ""


def _cell(ctx: RunContext, c: Claim) -> Decimal | None:
    b = binding(c, "value", "actual", None)
    return cell_value(ctx, b) if b is not None and c.unit == "万元" else None


@register
class N015OneQuantityOneAmount(Rule):
    """同一数量在说明中多处写出时金额一致（容差为两处各自末位的半个单位）：基本支出在收支总表说明中
    是一个数，在支出说明中是另一个数，至少一处写错。只比较所述主体确定的两处；决算中一处与表不符而
    另一处与表一致的，由 N-001 报告那一处。

    Wrong:
        “此外，基本支出预算数为12323.46万元。”……“基本支出 12323.48万元，占 68.48 %。”

    Right:
        “此外，基本支出预算数为12323.48万元。”……“基本支出 12323.48万元，占 68.48 %。”
    """

    id = "N-015"
    title = "同一数量前后金额一致"
    family = "情况说明：前后一致"
    severity = Severity.ERROR
    kinds = ALL_KINDS  # the text against itself means the same in a budget

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        groups: dict[tuple[str, ...], list[Claim]] = {}
        for c in ctx.doc.claims:
            if comparable(c):
                groups.setdefault(scope_of(c), []).append(c)
        for cs in groups.values():
            if len({in_wan(c) for c in cs}) > 1:
                yield from self._judge(ctx, cs)

    def _judge(self, ctx: RunContext, cs: list[Claim]) -> Iterator[Finding]:
        certain = [c for c in cs if c.certain]
        ref, confirmed = _reference(ctx, certain or cs)
        rv = in_wan(ref)
        assert rv is not None
        seen: set[Decimal] = set()
        for c in cs:
            v = in_wan(c)
            assert v is not None
            tol = half_unit(ref) + half_unit(c)
            if c is ref or abs(v - rv) <= tol or v in seen:
                continue
            seen.add(v)
            refs = [sentence_ref(ctx, c), sentence_ref(ctx, ref)]
            what = f"“{_label(c)}”{num(v)} 万元{_where(c)}与另一处 {num(rv)} 万元{_where(ref)}"
            if not (c.certain and ref.certain):
                u = c if not c.certain else ref
                ctx.not_checked(self.id, what, uncertain_reason(u, "前后金额比较"), refs)
                continue
            cv, crv = _cell(ctx, c), _cell(ctx, ref)
            if cv is not None and crv is not None and abs(cv - crv) <= tol and (cv != v or crv != rv):
                continue  # the cells agree: the one the text misprints is N-001's finding
            arith = f"{num(v)} ≠ {num(rv)}，相差 {num(v - rv)}（容差 ±{tol.normalize():f}）"
            # which amount is right is said only when a cell or the other statements confirm it
            yield self.finding(
                f"{what}不一致：同一数量在说明中前后金额不同，"
                + (f"表中或多数表述为 {num(rv)} 万元" if confirmed else "至少一处有误"),
                refs,
                expected=num(rv) if confirmed else "前后一致",
                found=num(v) if confirmed else f"{num(v)} / {num(rv)}",
                difference=v - rv,
                tolerance=tol,
                arithmetic=arith,
            )


def _reference(ctx: RunContext, cs: list[Claim]) -> tuple[Claim, bool]:
    """The statement the others are compared with, and whether it is known to be the right one:
    one its table cell confirms, else the amount stated most often (confirmed when no other is
    stated as often), else the first (not confirmed)."""
    for c in cs:
        cell = _cell(ctx, c)
        if cell is not None and cell == in_wan(c):
            return c, True
    counts: dict[Decimal | None, int] = {}
    for c in cs:
        counts[in_wan(c)] = counts.get(in_wan(c), 0) + 1
    best = max(counts.values())
    ref = next(c for c in cs if counts[in_wan(c)] == best)
    return ref, list(counts.values()).count(best) == 1
