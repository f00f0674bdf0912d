"""What a printed line is, before the walk places it: a heading (and its printed number), a
table's caption (title, 公开NN表, 部门, 金额单位, year), a note under a table, or several captions
printed on one line. Text lines and the caption rows of grids go through the same tests.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...tables.recognize import looks_like_title, squash, strip_ordinal
from ..raw import RawCell

# 公开01表, or 公开表一 (Jiangsu prints it after the title)
NUMBER = re.compile(r"公开\s*(?:\d{1,2}\s*表|表\s*[一二三四五六七八九十]{1,3}(?![一二三四五六七八九十]))")
DEPT = re.compile(
    r"(?:部门|编制单位|单位名称|预算单位|部门名称)\s*[：:]\s*(.+?)(?=\s{2,}|\s*金额单位|\s*单位\s*[：:]|\s*公开\s*\d|$)"
)
# 部门： left blank (a template)
_DEPT_BLANK = re.compile(r"(?:部门|编制单位|单位名称|预算单位|部门名称)\s*[：:]\s*")
UNIT = re.compile(r"(?:金额)?单位\s*[：:]\s*(万元|元|千元)")
YEAR_ONLY = re.compile(r"^[（(]?\s*\d{4}\s*年度?\s*[）)]?$")
_ROUNDING_NOTE = re.compile(r"^[（(]?本套报表.*尾数误差")
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[0-9一二三四五六七八九十]*\s*[：:.．、]")
_NOTE_WORDS = ("本表无数据", "故本表", "本表为空", "空表", "本表反映", "本表数据")
_HEADINGS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(r"^(第[一二三四五六七八九十]+部分)\s*")),
    (2, re.compile(r"^([一二三四五六七八九十]+)、\s*")),
    (3, re.compile(r"^([（(][一二三四五六七八九十]+[）)])\s*")),
    (4, re.compile(r"^(\d{1,2})[.．、](?!\d)\s*")),
]
SENTENCE_END = ("。", "！", "？", "；", "：", ":", ";", "!", "?")


def heading_of(text: str) -> tuple[int, str | None] | None:
    """(level, printed number) when ``text`` is a heading, else None."""
    t = text.strip()
    if not t or len(t) > 45:
        return None
    inner = t[:-1]
    if "。" in inner or "；" in inner:
        return None
    for level, pat in _HEADINGS:
        m = pat.match(t)
        if not m:
            continue
        rest = t[m.end() :]
        if not rest:
            return None
        if level == 4 and (len(t) > 30 or "万元" in t):
            return None
        colon = max(rest.find("："), rest.find(":"))
        if colon >= 0 and len(rest) - colon > 8:
            return None
        number = m.group(1)
        if level == 3:
            number = "（" + number[1:-1] + "）"
        return level, number
    return None


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def ordinal_value(number: str | None) -> int | None:
    """``十二`` -> 12, ``（三）`` -> 3, ``4`` -> 4; None for anything else."""
    if not number:
        return None
    t = number.strip("（）()")
    if t.isdigit():
        return int(t)
    if not t or any(ch not in _CN_DIGITS and ch != "十" for ch in t):
        return None
    if "十" not in t:
        return _CN_DIGITS.get(t)
    tens, _, ones = t.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


@lru_cache(maxsize=4096)
def is_caption(text: str) -> bool:
    t = text.strip()
    if not t:
        return False
    if NUMBER.fullmatch(squash(t)) or UNIT.search(t) and len(squash(t)) <= 12:
        return True
    if DEPT.match(t) and len(t) <= 60 or _DEPT_BLANK.fullmatch(t):
        return True
    if YEAR_ONLY.match(t) or _ROUNDING_NOTE.match(squash(t)):
        return True
    if NUMBER.search(t) and (DEPT.match(t) or UNIT.search(t) or looks_like_title(NUMBER.sub("", t))):
        return True
    return looks_like_title(t) and heading_of(t) is None


def is_note(text: str) -> bool:
    t = squash(text)
    return bool(_NOTE.match(t)) or any(w in t for w in _NOTE_WORDS) and len(t) < 200


def caption_row(row: list[RawCell]) -> bool:
    texts: list[str] = []
    for c in row:
        if c.text.strip():
            if len(texts) == 3:
                return False  # more than three printed cells (the common table row)
            texts.append(c.text)
    if not texts:
        return False
    if all(is_caption(t) for t in texts):
        return True
    if len(texts) == 1 and heading_of(texts[0]) is not None and looks_like_title(strip_ordinal(texts[0])):
        return True  # a heading printed in the table's first row (一、收入支出决算总表)
    return len(texts) == 1 and is_note(texts[0]) and len(squash(texts[0])) > 6


_MARK = re.compile(
    r"(?:部门|编制单位|单位名称|预算单位)\s*[：:]|公开\s*\d{1,2}\s*表|(?:金额)?单位\s*[：:]\s*(?:万元|元|千元)"
)


def split_caption(text: str) -> list[str]:
    """A caption line that prints several captions (``收入决算表 部门：XX 公开02表 金额单位：万元``,
    as PDF text often does) as its parts; any other line as itself."""
    t = text.strip()
    if len(t) > 150 or _MARK.search(t) is None:  # the common line: no caption mark at all
        return [t]
    cuts = sorted({0, *(m.start() for m in _MARK.finditer(t))})
    if len(cuts) < 2 and not (cuts == [0] and _MARK.match(t)):
        return [t]
    parts = [t[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(t)], strict=True)]
    parts = [p for p in parts if p]
    return parts if len(parts) > 1 and all(is_caption(p) for p in parts) else [t]
