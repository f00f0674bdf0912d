"""Numbers as the narrative prints them, and the rounding arithmetic of stated percentages.

``1,051.37`` / ``1051.37`` / ``2, 106. 35`` (spaces left by PDF conversion) / ``0.6`` /
``118.7%`` / counts as digits or Chinese numerals (``三辆``). A percentage keeps its printed
precision (``1.8%`` → 1 decimal), which is what its rounding is judged against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

HUNDRED = Decimal(100)
HALF_UNIT_WAN = Decimal("0.005")  # half of the 0.01 万元 every printed amount is rounded to

# A number: thousands groups (with the stray spaces of PDF text) or plain digits, optional
# decimals. It must not continue a longer run of digits or letters.
NUMBER = re.compile(
    r"(?<![\d.A-Za-z])"
    r"(?P<num>\d{1,3}(?:\s?[,，]\s?\d{3})+(?:\s?\.\s?\d+)?|\d+(?:\s?\.\s?\d+)?)"
)
CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+")


_SPACES = re.compile(r"\s+")


def parse_number(text: str) -> Decimal | None:
    """``2, 106. 35`` → Decimal('2106.35'); None when not a number."""
    t = _SPACES.sub("", text).replace("，", ",").replace(",", "")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def places(v: Decimal) -> int:
    """Printed decimal places of a parsed value (``1.80`` → 2, ``90`` → 0)."""
    exp = v.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def quantize(v: Decimal, decimals: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    return v.quantize(Decimal(1).scaleb(-decimals), rounding=rounding)


def fmt_pct(v: Decimal, decimals: int) -> str:
    return f"{quantize(v, decimals):f}%"


PLACE_NAMES = {0: "取整", 1: "一位小数", 2: "两位小数", 3: "三位小数", 4: "四位小数"}


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


def check_pct(stated: Decimal, num: Decimal, den: Decimal, *, h_num: Decimal, h_den: Decimal) -> PctCheck | None:
    """Is ``stated`` (a printed percentage) the rounding of ``num / den``?

    Accepted: half-up or half-even rounding, at the stated precision, of any ratio the printed
    amounts allow (each amount is itself rounded to its last place). Rounding down beyond that is
    ``truncated`` (information); anything else is ``wrong``. None when ``den`` is zero.
    """
    if den == 0:
        return None
    d = places(stated)
    exact = num / den * HUNDRED
    lo, hi = ratio_interval(abs(num), abs(den), h_num, h_den)
    if exact < 0:
        lo, hi = -hi, -lo
    expected = quantize(exact, d)
    candidates = {quantize(exact, d, ROUND_HALF_UP), quantize(exact, d, ROUND_HALF_EVEN)}
    half = Decimal(5).scaleb(-(d + 1))
    ok = stated in candidates or (lo - half <= stated <= hi + half)
    if ok:
        return PctCheck(PctVerdict.OK, exact, lo, hi, expected, d)
    if stated == quantize(exact, d, ROUND_DOWN) or stated == quantize(lo, d, ROUND_DOWN):
        return PctCheck(PctVerdict.TRUNCATED, exact, lo, hi, expected, d)
    return PctCheck(PctVerdict.WRONG, exact, lo, hi, expected, d)


def plain(v: Decimal) -> str:
    """An amount as a reviewer writes it in arithmetic: ``900.28``, ``16.2``, ``4,537``."""
    s = f"{v:,f}"
    return s


def pct_text(v: Decimal, decimals: int = 2) -> str:
    return f"{quantize(v, decimals):f}%"
