"""Reading printed amounts exactly: ``2, 106. 35``, ``1,051.37``, ``0.6``, ``-3.20``, ``（3.20）``."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DASHES = {"-", "－", "—", "–", "--", "——", "/", "\\"}
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_NUM = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋％", "0123456789.,-+%")


class NumberError(ValueError):
    """Raised for a non-blank text that is not an amount."""


def is_blank(text: str | None) -> bool:
    return text is None or _SPACES.sub("", text) == ""


def normalise(text: str) -> str:
    """Remove the spaces PDF conversion leaves inside numbers and map full-width digits."""
    return _SPACES.sub("", text.translate(_FULLWIDTH))


def parse_amount(text: str | None) -> Decimal | None:
    """Exact value of a printed amount; None for a blank cell or a lone dash.

    Raises :class:`NumberError` for text that is neither.
    """
    if is_blank(text):
        return None
    assert text is not None
    t = normalise(text)
    if t in _DASHES:
        return None
    neg = False
    if (t.startswith("(") and t.endswith(")")) or (t.startswith("（") and t.endswith("）")):
        neg, t = True, t[1:-1]
    t = t.replace("，", ",")
    if t.endswith("%"):
        raise NumberError(f"“{text}”是百分数，不是金额")
    if not _NUM.match(t):
        # tolerate a thousands separator misplaced by conversion ("2,10 6.35" -> "2106.35")
        t2 = t.replace(",", "")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", t2):
            raise NumberError(f"无法识别的数字“{text}”")
        t = t2
    try:
        v = Decimal(t.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise NumberError(f"无法识别的数字“{text}”") from exc
    return -v if neg else v


def try_amount(text: str | None) -> tuple[Decimal | None, bool]:
    """(value, ok): ok is False when the text is non-blank but not an amount."""
    try:
        return parse_amount(text), True
    except NumberError:
        return None, False


def parse_percent(text: str) -> Decimal | None:
    """``118.7%`` -> Decimal('118.7'); None when not a percentage."""
    t = normalise(text)
    m = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)%", t)
    return Decimal(m.group(1)) if m else None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(text: str) -> int | None:
    """A count or ordinal as printed → int: ``十二`` → 12, ``一百零五`` → 105, ``三`` → 3, ``12`` → 12;
    None for anything else."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit if digit is not None else 1) * _CN_UNITS[ch]
            digit = None
    if digit is not None:
        total += digit
    return total
