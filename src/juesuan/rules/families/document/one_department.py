"""One department name everywhere (D-002): another organisation's name (a template copied from
another department or from the level above) or a variant spelling of the department's own name in
the cover, headings, table headers, notes and 绩效 tables."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache

from ....ingest.text_lines import norm
from ....model import ALL_KINDS, Disclosure, Finding, Severity
from ...base import Rule, register
from ...context import RunContext
from .common import STRONG_ROLES, Line, document_lines, is_perf, line_ref, quote

_PLACE_SEG = r"(?:[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|地区|省|市|区|县|州|盟|旗))"
_PLACE_AT_END = re.compile(rf"(?:中共)?{_PLACE_SEG}+$")
_PLACE_AT_START = re.compile(rf"^(?:中共)?{_PLACE_SEG}+")
_GENERIC_PLACES = re.compile(
    r"^(?:本|我|全|各|该|此|所在|辖|驻|省市|市县|市区|区县|县区)?(?:省|市|区|县|州|旗)$"
)

# characters ending a word before a bare 省/市/区/县 in a sentence (对省, 包括省, 即省, 应由省, 部分省),
# never the last character of a place's name
_BEFORE_BARE_LEVEL = frozenset("入为由在对于是至与和及即括分应将向按经把被从给让据等的了含设属全本我该各其")


def split_name(name: str) -> tuple[str, str]:
    """(place, body): 蛟河市社会保险事业管理局 → (蛟河市, 社会保险事业管理局)."""
    n = norm(name)
    m = _PLACE_AT_START.match(n)
    if not m:
        return "", n
    place = m.group(0)
    # "城乡社区服务中心": a segment ending in 社区 is not a place
    while place.endswith("社区") or (len(n) - len(place)) < 2:
        shorter = _PLACE_AT_START.match(place[:-1])
        if not shorter:
            return "", n
        place = shorter.group(0)
    return place, n[len(place) :]


@lru_cache(maxsize=64)
def _split_cached(name: str) -> tuple[str, str]:
    return split_name(name)


def _shared(a: str, b_chars: Counter[str]) -> int:
    """Characters ``a`` shares with a string whose character counts are ``b_chars``."""
    return sum(min(n, b_chars[c]) for c, n in Counter(a).items())


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance of ``a`` and ``b``; with ``limit``, any distance above it is returned as
    ``limit + 1``, and only the cells within ``limit`` of the diagonal are computed (a cell
    farther from it is farther than the limit)."""
    if limit is None:
        limit = max(len(a), len(b))
    far = limit + 1
    if abs(len(a) - len(b)) > limit:
        return far
    n = len(b)
    prev = [j if j <= limit else far for j in range(n + 1)]
    for i, ca in enumerate(a, 1):
        lo, hi = max(1, i - limit), min(n, i + limit)
        cur = [far] * (n + 1)
        cur[0] = i if i <= limit else far
        for j in range(lo, hi + 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != b[j - 1]))
            cur[j] = v if v < far else far
        if min(cur[lo - 1 : hi + 1]) >= far:
            return far  # every path goes through this row
        prev = cur
    return prev[n]


_DEPT_LINE = re.compile(r"^(?:部门|单位|部门名称|单位名称|预算单位|编制单位)(?:名称)?[：:]\s*(.+?)\s*$")
_UNIT_WORDS = re.compile(r"^(?:万元|元|千元|亿元)$")


# the party committee's name written out (中国共产党江苏省委员会办公厅) or shortened (中共江苏省委办公厅,
# 江苏省委办公厅): one organisation
_PARTY_LONG = re.compile(r"(?<=[省市区县州盟旗])委员会")


def party_canonical(name: str) -> str:
    """A name with the party committee's words shortened: 中国共产党江苏省委员会办公厅 → 江苏省委办公厅."""
    n = norm(name).replace("中国共产党", "中共")
    return _PARTY_LONG.sub("委", n.removeprefix("中共")) if "委" in n else n


def header_department(text: str) -> str | None:
    """The name in a table's 部门 line (部门：蛟河市社会保险事业管理局), None for other lines
    (单位：万元 is the amount unit)."""
    m = _DEPT_LINE.match(text.strip())
    if not m:
        return None
    name = norm(re.split(r"\s{2,}|公开\d+表|金额单位|单位[：:]", m.group(1))[0])
    return None if not name or _UNIT_WORDS.match(name) else name


def expected_department(doc: Disclosure) -> str | None:
    if doc.metadata.department:
        return norm(doc.metadata.department)
    names = [norm(t.department) for t in doc.tables if t.department]
    if not names:
        return None
    return max(set(names), key=names.count)


def name_problems(text: str, dept: str) -> list[tuple[str, str]]:
    """Names in ``text`` that are not ``dept``: ("other", name) for another organisation with the
    same body (鹤壁市社会保险事业管理局 for 蛟河市社会保险事业管理局, 上海市规划和自然资源局 for
    上海市普陀区规划和自然资源局); ("variant", name) for a spelling of the department's own name that
    differs by a character or two (规划与自然资源局, 社会保险专业管理局)."""
    place, body = _split_cached(dept)
    out: list[tuple[str, str]] = []
    if len(body) < 3 or (body[0] not in text and (not place or place[0] not in text)):
        return out  # neither can be in the text (the test below, without normalising the text)
    t = norm(text)
    if len(body) < 3 or (body not in t and (not place or place not in t)):
        return out
    # another organisation: the body preceded by a different place
    start = 0
    while (i := t.find(body, start)) >= 0:
        start = i + 1
        m = _PLACE_AT_END.search(t[max(0, i - 16) : i])
        if not m:
            continue
        found = m.group(0)
        if place and found[-1] == place[-1] and (len(found) == 1 or found[-2] in _BEFORE_BARE_LEVEL):
            # 对省高级人民法院, 第二部分省委办公厅, 包括省政协办公厅: the department's own name with its
            # province (city) said as 省 (市) alone, after a word that is no place's last character
            continue
        # the longest place suffix that is a real place (drop leading words such as 纳入, 部门)
        candidates = [found[k:] for k in range(len(found)) if _PLACE_AT_START.fullmatch(found[k:])]
        if any(place.endswith(c) or c.endswith(place) for c in candidates if place):
            continue
        best = min(candidates, key=len) if candidates else found
        if _GENERIC_PLACES.match(best) or not place:
            continue
        # use the widest plausible place: "上海市" rather than "海市"
        wide = max((c for c in candidates if c[0] not in "入为由在对于是至与和及"), key=len, default=best)
        out.append(("other", wide + body))
    # variant spellings: the department's place followed by something close to its body
    if place:
        body_chars = Counter(body)
        start = 0
        while (i := t.find(place, start)) >= 0:
            start = i + 1
            after = t[i + len(place) :]
            if after.startswith(body):
                continue
            limit = len(body) // 4 if len(body) >= 5 else 0
            if limit == 0:
                continue  # no distance can be reported
            best_d, best_chunk = 99, ""
            for k in range(max(2, len(body) - 2), len(body) + 3):
                chunk = after[:k]
                if len(chunk) < k:
                    break
                # a chunk sharing too few characters with the body is farther than the limit (the
                # edit distance is at least the longer length minus the shared characters): it can
                # be neither reported nor the closest of a reported chunk
                if max(k, len(body)) - _shared(chunk, body_chars) > limit:
                    continue
                # distances above the limit are all limit + 1: such a chunk is never reported, nor
                # is the best of chunks that are all above it
                d = edit_distance(chunk, body, limit)
                if d < best_d or (d == best_d and chunk[-1:] == body[-1:]):
                    best_d, best_chunk = d, chunk
            if 0 < best_d <= limit and best_chunk[-1:] == body[-1:]:
                out.append(("variant", place + best_chunk))
    return out


@register
class DepartmentName(Rule):
    """One department name everywhere: cover, headings, table headers (部门：…), notes, 绩效 tables.
    Another organisation's name (a template copied from another department or from the level
    above) is an error; a variant spelling of the department's own name is a warning. One finding
    per wrong name, with every place it appears.

    Wrong:
        封面：蛟河市社会保险事业管理局；公开06表 部门：鹤壁市社会保险事业管理局
    Right:
        封面：蛟河市社会保险事业管理局；公开06表 部门：蛟河市社会保险事业管理局
    """

    id = "D-002"
    title = "部门名称前后一致"
    family = "D"
    also = (Severity.WARNING,)  # another name met only in running text, or a variant of the name
    kinds = ALL_KINDS  # names, placeholders and punctuation mean the same in a budget

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        dept = expected_department(doc)
        if not dept or doc.metadata.is_template:
            return
        places: dict[tuple[str, str], list[tuple[Line, bool]]] = defaultdict(list)
        seen: set[tuple[str, int]] = set()
        lines_ = document_lines(ctx)
        for line in lines_:
            for kind, name in name_problems(line.text, dept):
                if line.table_index is not None and line.role in ("table_header", "table_department"):
                    if (name, line.table_index) in seen:
                        continue  # the 部门 line and the table's department are one place
                    seen.add((name, line.table_index))
                strong = line.role in STRONG_ROLES or is_perf(doc, line) or "决算" in line.text
                places[(kind, name)].append((line, strong))
        # the 部门 line of a table names the department itself: any other name there is another
        # organisation, however unlike the department's (样板县医疗保障局 for 示例市社会保险事业管理局)
        for line in lines_:
            if line.table_index is None or line.role not in ("table_header", "table_department"):
                continue
            printed = header_department(line.text) if line.role == "table_header" else norm(line.text)
            if not printed or printed == dept or dept in printed or printed in dept:
                continue
            short, dept_short = party_canonical(printed), party_canonical(dept)
            if short == dept_short or dept_short in short or (len(short) >= 4 and short in dept_short):
                continue  # the name written out or shortened (中国共产党…委员会 / 中共…委), or cut by a wrap
            if name_problems(printed, dept) or (printed, line.table_index) in seen:
                continue  # reported above as another organisation or a variant
            seen.add((printed, line.table_index))
            places[("other", printed)].append((line, True))
        for (kind, name), lines in places.items():
            refs = [line_ref(doc, ln) for ln, _ in lines]
            n = len(lines)
            where = f"{n} 处" if n > 1 else "1 处"
            if kind == "other":
                severity = Severity.ERROR if any(s for _, s in lines) else Severity.WARNING
                yield self.finding(
                    f"出现其他单位名称“{name}”（{where}），本文件的部门是“{dept}”：首处“{quote(lines[0][0].text)}”",
                    refs,
                    severity=severity,
                    expected=dept,
                    found=name,
                )
            else:
                yield self.finding(
                    f"部门名称写法不一致：“{name}”（{where}），应为“{dept}”：首处“{quote(lines[0][0].text)}”",
                    refs,
                    severity=Severity.WARNING,
                    expected=dept,
                    found=name,
                )


# --- one report year ---------------------------------------------------------------------------
