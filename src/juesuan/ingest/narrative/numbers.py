"""Numbers as the narrative prints them.

``1,051.37`` / ``1051.37`` / ``2, 106. 35`` (spaces left by PDF conversion) / ``0.6`` /
``118.7%`` / counts as digits or Chinese numerals (``三辆``). A percentage keeps its printed
precision (``1.8%`` → 1 decimal), which is what its rounding is judged against.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

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
