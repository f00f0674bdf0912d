"""Rounding-aware arithmetic.

Amounts in a disclosure are rounded one by one (from 元 to 万元, to 0.01). A sum of n printed
values may therefore differ from the printed total by up to (n + 1) × half a unit of the last
printed place: each of the n parts and the total carries at most half a unit of rounding error.
Inside that interval a difference is 尾数误差 (information); outside it, an error. A fixed
tolerance is wrong both ways.

Each rounded term carries half a unit of *its own* last printed place: a table printed in whole
元 (``Table.decimals`` 0) half a 元, a 万元 table at 2 places 0.005, a 元 table converted to 万元
(4 or 6 places) half a unit of the 4th or 6th place. When the terms of one comparison come from
tables of different precision (a cross-table identity), the interval is the sum of each term's
own half unit (``compare(..., found_decimals=, part_decimals=)``): each printed value lies within
its own half unit of the true amount, so that sum bounds honest rounding exactly. It is never
larger than the uniform interval at the coarser of the precisions, (n + 1) × half a unit of the
table with fewer decimals, and never smaller than the one at the finer.

A percentage the narrative states (a share, a rate of change, a completion rate) is judged the
same way (:func:`check_pct`): it is right when honest rounding, at its printed precision, of any
ratio the rounded amounts allow gives it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from ..ingest.narrative.numbers import places as printed_places


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
    # printed decimal places of each rounded term (the stated total first); empty when none
    places: tuple[int, ...] = ()

    @property
    def difference(self) -> Decimal:
        return self.found - self.expected

    @property
    def decimals(self) -> int:
        """The finest precision among the terms: the one at which the difference shows."""
        return max(self.places, default=2)

    def tolerance_text(self) -> str:
        """How the tolerance is made: ``3 个舍入项 × 0.005`` (or, with terms of different
        precision, ``2 个舍入项 × 0.005 + 1 个舍入项 × 0.00005``)."""
        if not self.places:
            return f"{self.terms} 个舍入项 × {(self.tolerance / max(self.terms, 1)).normalize():f}"
        counts = sorted(Counter(self.places).items())
        return " + ".join(f"{n} 个舍入项 × {fmt(half_unit(d), d + 1)}" for d, n in counts)


def half_unit(decimals: int) -> Decimal:
    h = _HALF_UNITS.get(decimals)
    if h is None:
        h = _HALF_UNITS[decimals] = Decimal(5).scaleb(-(decimals + 1))
    return h


_HALF_UNITS: dict[int, Decimal] = {}  # Decimals are immutable: one per precision, made once


def tolerance(terms: int, decimals: int = 2) -> Decimal:
    """Largest difference honest rounding of ``terms`` printed values can produce."""
    return half_unit(decimals) * max(terms, 1)


def compare(
    found: Decimal | None,
    parts: Sequence[Decimal | None],
    *,
    decimals: int = 2,
    exact_parts: int = 0,
    found_decimals: int | None = None,
    part_decimals: Sequence[int | None] | None = None,
) -> Comparison:
    """Compare a stated total with the sum of its parts.

    ``None`` stands for a blank cell (zero, not rounded). ``decimals`` is the printed precision of
    every term; ``found_decimals`` and ``part_decimals`` (aligned with ``parts``, ``None`` for a
    part known exactly) override it term by term, for terms printed in tables of different
    precision. ``exact_parts`` counts parts among ``parts`` that are known exactly (not rounded),
    e.g. counts of vehicles.
    """
    printed = [p for p in parts if p is not None]
    expected = sum(printed, Decimal(0))
    f = found if found is not None else Decimal(0)
    terms = len(printed) - exact_parts + (1 if found is not None else 0)
    if found_decimals is None and part_decimals is None:
        tol = tolerance(terms, decimals)
        places = tuple([decimals] * max(terms, 0))
    else:
        pd = list(part_decimals) if part_decimals is not None else [decimals] * len(parts)
        if len(pd) != len(parts):
            raise ValueError("part_decimals must have one entry per part")
        fd = decimals if found_decimals is None else found_decimals
        placed = ([fd] if found is not None else []) + [
            d for p, d in zip(parts, pd, strict=True) if p is not None and d is not None
        ]
        places = tuple(placed[: max(len(placed) - exact_parts, 0)])
        terms = len(places)
        tol = sum((half_unit(d) for d in places), Decimal(0)) if places else half_unit(fd)
    diff = abs(f - expected)
    if diff == 0:
        verdict = Verdict.EQUAL
    elif diff <= tol:
        verdict = Verdict.ROUNDING
    else:
        verdict = Verdict.MISMATCH
    return Comparison(
        found=f, expected=expected, terms=max(terms, 1), tolerance=tol, verdict=verdict, places=places
    )


def fmt(v: Decimal | None, decimals: int = 2) -> str:
    """Amount as printed in disclosures: thousands separators, fixed decimals."""
    if v is None:
        return "空"
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    return f"{v.quantize(q):,.{max(decimals, 0)}f}"  # fixed point: 0.0000005, never 5E-7


def fmt_signed(v: Decimal, decimals: int = 2) -> str:
    s = fmt(abs(v), decimals)
    return ("+" if v > 0 else "−" if v < 0 else "") + s


# --- stated percentages ---------------------------------------------------------------------------
HUNDRED = Decimal(100)
HALF_UNIT_WAN = Decimal("0.005")  # half of the 0.01 万元 every printed amount is rounded to
PLACE_NAMES = {0: "取整", 1: "一位小数", 2: "两位小数", 3: "三位小数", 4: "四位小数"}


def quantize(v: Decimal, decimals: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return v.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


class PctVerdict(StrEnum):
    OK = "ok"  # the stated value is the honest rounding of the ratio
    TRUNCATED = "truncated"  # rounded down instead of to nearest
    WRONG = "wrong"


@dataclass(frozen=True)
class PctCheck:
    verdict: PctVerdict
    exact: Decimal  # the ratio in percent from the printed amounts
    lo: Decimal  # the interval the true ratio may lie in, given the amounts' own rounding
    hi: Decimal
    expected: Decimal  # the ratio rounded half-up at the stated precision
    decimals: int


def ratio_interval(num: Decimal, den: Decimal, h_num: Decimal, h_den: Decimal) -> tuple[Decimal, Decimal]:
    """Range of ``num / den`` in percent when each printed amount may be off by its half unit."""
    n_lo, n_hi = max(num - h_num, Decimal(0)), num + h_num
    d_lo, d_hi = den - h_den, den + h_den
    if d_lo <= 0:
        return Decimal(0), Decimal("Infinity")
    return n_lo / d_hi * HUNDRED, n_hi / d_lo * HUNDRED


def check_pct_of_sum(stated: Decimal, part: Decimal, rest: Decimal, *, h_part: Decimal, h_rest: Decimal) -> PctCheck | None:
    """:func:`check_pct` of ``part / (part + rest)``, the share of one item of a list whose total is
    the sum of its items: the part is in the numerator and in the total, so the ratio's range is
    that of one amount against the others (each printed amount off by its half unit)."""
    den = part + rest
    if den <= 0 or part < 0 or rest < 0:
        return None
    p_lo, p_hi = max(part - h_part, Decimal(0)), part + h_part
    r_lo, r_hi = max(rest - h_rest, Decimal(0)), rest + h_rest
    lo = p_lo / (p_lo + r_hi) * HUNDRED if p_lo + r_hi > 0 else Decimal(0)
    hi = p_hi / (p_hi + r_lo) * HUNDRED
    return _verdict(stated, part / den * HUNDRED, lo, hi)


def check_pct(stated: Decimal, num: Decimal, den: Decimal, *, h_num: Decimal, h_den: Decimal) -> PctCheck | None:
    """Is ``stated`` (a printed percentage) the rounding of ``num / den``?

    Accepted: half-up or half-even rounding, at the stated precision, of any ratio the printed
    amounts allow (each amount is itself rounded to its last place). Rounding down beyond that is
    ``truncated`` (information); anything else is ``wrong``. None when ``den`` is zero.
    """
    if den == 0:
        return None
    exact = num / den * HUNDRED
    lo, hi = ratio_interval(abs(num), abs(den), h_num, h_den)
    if exact < 0:
        lo, hi = -hi, -lo
    return _verdict(stated, exact, lo, hi)


def _verdict(stated: Decimal, exact: Decimal, lo: Decimal, hi: Decimal) -> PctCheck:
    """The verdict on a printed percentage of the ratio ``exact``, which may lie in ``[lo, hi]``."""
    d = printed_places(stated)
    expected = quantize(exact, d)
    candidates = {quantize(exact, d, ROUND_HALF_UP), quantize(exact, d, ROUND_HALF_EVEN)}
    half = Decimal(5).scaleb(-(d + 1))
    ok = stated in candidates or (lo - half <= stated <= hi + half)
    if ok:
        return PctCheck(PctVerdict.OK, exact, lo, hi, expected, d)
    if stated == quantize(exact, d, ROUND_DOWN) or stated == quantize(lo, d, ROUND_DOWN):
        return PctCheck(PctVerdict.TRUNCATED, exact, lo, hi, expected, d)
    return PctCheck(PctVerdict.WRONG, exact, lo, hi, expected, d)
