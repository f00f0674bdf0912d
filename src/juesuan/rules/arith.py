"""Rounding-aware arithmetic.

Amounts in a disclosure are rounded one by one (from 元 to 万元, to 0.01). A sum of n printed
values may therefore differ from the printed total by up to (n + 1) × half a unit of the last
printed place: each of the n parts and the total carries at most half a unit of rounding error.
Inside that interval a difference is 尾数误差 (information); outside it, an error. A fixed
tolerance is wrong both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Verdict(StrEnum):
    EQUAL = "equal"
    ROUNDING = "rounding"
    MISMATCH = "mismatch"


@dataclass(frozen=True)
class Comparison:
    found: Decimal  # the stated total
    expected: Decimal  # the sum of the parts
    terms: int  # rounded terms involved (parts that were printed + the total)
    tolerance: Decimal
    verdict: Verdict

    @property
    def difference(self) -> Decimal:
        return self.found - self.expected


def half_unit(decimals: int) -> Decimal:
    return Decimal(5).scaleb(-(decimals + 1))


def tolerance(terms: int, decimals: int = 2) -> Decimal:
    """Largest difference honest rounding of ``terms`` printed values can produce."""
    return half_unit(decimals) * max(terms, 1)


def compare(
    found: Decimal | None,
    parts: list[Decimal | None],
    *,
    decimals: int = 2,
    exact_parts: int = 0,
) -> Comparison:
    """Compare a stated total with the sum of its parts.

    ``None`` stands for a blank cell (zero, not rounded). ``exact_parts`` counts parts among
    ``parts`` that are known exactly (not rounded), e.g. counts of vehicles.
    """
    printed = [p for p in parts if p is not None]
    expected = sum(printed, Decimal(0))
    f = found if found is not None else Decimal(0)
    terms = len(printed) - exact_parts + (1 if found is not None else 0)
    tol = tolerance(terms, decimals)
    diff = abs(f - expected)
    if diff == 0:
        verdict = Verdict.EQUAL
    elif diff <= tol:
        verdict = Verdict.ROUNDING
    else:
        verdict = Verdict.MISMATCH
    return Comparison(found=f, expected=expected, terms=max(terms, 1), tolerance=tol, verdict=verdict)


def fmt(v: Decimal | None, decimals: int = 2) -> str:
    """Amount as printed in disclosures: thousands separators, fixed decimals."""
    if v is None:
        return "空"
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    return f"{v.quantize(q):,}"


def fmt_signed(v: Decimal, decimals: int = 2) -> str:
    s = fmt(abs(v), decimals)
    return ("+" if v > 0 else "−" if v < 0 else "") + s
