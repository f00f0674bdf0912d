"""Comparing a printed value with the values it should equal, rounding-aware (``arith.py``
gives the interval), and naming the comparison: what every finding builder uses. No rule here,
no finding: only values, Refs and the arithmetic line a finding prints."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from ..model import Ref, Table
from .arith import Comparison, Verdict, compare, fmt, fmt_signed
from .context import CellAt


def sum_arithmetic(
    total: Ref,
    parts: list[Ref],
    cmp: Comparison,
    decimals: int | Sequence[int],
    op_labels: list[str] | None = None,
) -> str:
    """``881.98 ≠ 771.45 + 110.54 = 881.99；差 −0.01，容差 ±0.015（3 个舍入项 × 0.005）``.

    ``decimals``: one precision for every value, or one per value (the total first)."""
    places = [decimals] * (len(parts) + 1) if isinstance(decimals, int) else list(decimals)
    fd, pd, d = places[0], places[1:], max(places)
    terms: list[str] = []
    for i, p in enumerate(parts):
        v = fmt(p.value, pd[i]) if p.value is not None else "0（空）"
        op = op_labels[i] if op_labels else ("+" if i else "")
        terms.append(f"{op} {v}".strip() if i or op_labels else v)
    rhs = " ".join(terms) if terms else "0"
    rel = "=" if cmp.verdict is Verdict.EQUAL else "≠"
    return (
        f"{fmt(cmp.found, fd)} {rel} {rhs} = {fmt(cmp.expected, d)}；"
        f"差 {fmt_signed(cmp.difference, d)}，容差 ±{cmp.tolerance.normalize():f}"
        f"（{cmp.tolerance_text()}）"
    )


_R = TypeVar("_R", bound=Ref | CellAt)
# a comparison's name: the text, or a function giving it (called only when there is a finding)


What = str | Callable[[], str]


def what_text(what: What) -> str:
    return what if isinstance(what, str) else what()


def as_ref(r: Ref | CellAt) -> Ref:
    return r.ref() if isinstance(r, CellAt) else r


def as_refs(rs: Iterable[Ref | CellAt]) -> list[Ref]:
    return [r.ref() if isinstance(r, CellAt) else r for r in rs]


def mismatch(
    found: Decimal | None,
    parts: Sequence[Decimal | None],
    decimals: int = 2,
    part_decimals: Sequence[int | None] | None = None,
) -> bool:
    """True when ``found`` differs from the sum of ``parts`` beyond the rounding interval
    (``decimals``: the printed precision of ``found``, and of the parts unless ``part_decimals``
    gives theirs one by one)."""
    if sums_equal(found, parts):
        return False  # EQUAL at any precision
    if part_decimals is None:
        return compare(found, parts, decimals=decimals).verdict is Verdict.MISMATCH
    cmp = compare(found, parts, found_decimals=decimals, part_decimals=part_decimals)
    return cmp.verdict is Verdict.MISMATCH


def coarser(*tables: Table) -> int:
    """The smaller printed precision of ``tables``: its half unit bounds the rounding of any value
    of them (used where one precision must serve values of several tables)."""
    return min((t.decimals for t in tables), default=2)


def settled(total: Decimal | None, parts: Sequence[Decimal | None], decimals: int = 2) -> Decimal | None:
    """The value a total should have given its parts: the sum of the parts when the printed total
    disagrees with them beyond rounding (that break is reported elsewhere), else the printed total.
    With no part printed at all there is nothing to settle on: the printed total stands."""
    if any(p is not None for p in parts) and mismatch(total, parts, decimals):
        return sum((p for p in parts if p is not None), Decimal(0))
    return total


def shown(parts: Sequence[_R]) -> list[_R]:
    """The parts worth naming in a sum: blank cells (exact zeros, no rounding) are left out, unless
    every part is blank."""
    printed = [p for p in parts if p.value is not None]
    return printed or list(parts[:1])


def sums_equal(total: Decimal | None, parts: Sequence[Decimal | None]) -> bool:
    """True when :func:`arith.compare` finds ``total`` and the sum of ``parts`` EQUAL (blank =
    zero; the verdict is EQUAL exactly when the difference is zero, whatever the precision), so
    :meth:`Rule.sum_finding` would report nothing."""
    return (total if total is not None else _ZERO) == sum((p for p in parts if p is not None), _ZERO)


_ZERO = Decimal(0)
