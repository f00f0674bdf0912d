"""Family D: the document as a whole — one department, one year, table numbering, 目录, required
tables, empty-table notes, template remnants (placeholders, unresolved alternatives,
instructions) and repeated punctuation.

These rules read the text of the disclosure (``Disclosure.text_lines()``), never amounts. A blank
template is recognised once (D-001, which sets ``metadata.is_template``) and the placeholder
rules D-008…D-010 then stay silent, so a template gives one clear finding, not hundreds.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache, wraps
from typing import Any

from ...model import (
    AmountUnit,
    Disclosure,
    Finding,
    Location,
    Ref,
    Section,
    Severity,
    Table,
    TableKind,
    TextLine,
)
from ...model.trusted import trusted
from ...tables.numbers import cn_to_int
from ..base import Rule, register
from ..context import RunContext

# --- text access -----------------------------------------------------------------------------


_WS = re.compile(r"[\s\u3000]+")


def holds_any(text: str, chars: str) -> bool:
    """Whether ``text`` holds one of ``chars`` (a cheap test before a search that needs one)."""
    for ch in chars:
        if ch in text:
            return True
    return False


def _norm(s: str) -> str:
    """Whitespace removed (PDF conversion splits names and numbers with spaces)."""
    return _WS.sub("", s)


@dataclass
class Line:
    text: str
    role: str
    loc: Location | None
    table_index: int | None


def _raw_lines(doc: Disclosure) -> Iterator[Line]:
    """The texts of ``Disclosure.text_lines()`` in the same order, without building a model
    object per line (this runs once per rule on documents of a thousand lines)."""
    for p in doc.cover:
        yield Line(p.text, "cover", p.loc, None)
    for e in doc.toc:
        yield Line(e.text, "toc", e.loc, None)
    for s in doc.walk_sections():
        yield Line(s.heading, "heading", s.loc, None)
        for para in s.paragraphs:
            yield Line(para.text, "paragraph", para.loc, None)
    for i, t in enumerate(doc.tables):
        if t.title:
            yield Line(t.title, "table_title", t.loc, i)
        for h in t.header_texts:
            yield Line(h.text, "table_header", h.loc, i)
        for n in t.notes:
            yield Line(n.text, "table_note", n.loc, i)
        for r in t.rows:
            for c in r.cells.values():
                if c.raw and c.value is None:
                    yield Line(c.raw, "cell", c.loc, i)
        for c in t.fields.values():
            if c.raw and c.value is None:
                yield Line(c.raw, "cell", c.loc, i)


# --- per-run cache ----------------------------------------------------------------------------
# The lines of a document, its placeholders and its template evidence are read by most D rules
# (and by the P rules through ``is_template``). They are derived once per ``run_rules`` call: a D
# rule's check registers with the document's entry, and a rule checking the same document a
# second time (the next run, after the document may have changed) starts a fresh entry. An entry
# holds its document weakly and goes when the document goes. Outside a D rule's check (no entry
# for the document) every helper computes afresh.


class _Derived:
    def __init__(self, doc: Disclosure) -> None:
        key = id(doc)

        def gone(ref: weakref.ReferenceType[Disclosure]) -> None:
            if (e := _DERIVED.get(key)) is not None and e.doc is ref:
                del _DERIVED[key]

        self.doc = weakref.ref(doc, gone)
        self.used: set[str] = set()
        self.lines: list[Line] | None = None
        self.placeholders: list[tuple[Line, list[str]]] | None = None
        self.evidence: tuple[bool, str, list[tuple[Line, list[str]]]] | None = None


_DERIVED: dict[int, _Derived] = {}


def _begin(doc: Disclosure, rule_id: str) -> None:
    """A D rule starts checking ``doc``: a rule seen before on this entry means a new run."""
    e = _DERIVED.get(id(doc))
    if e is None or e.doc() is not doc or rule_id in e.used:
        e = _DERIVED[id(doc)] = _Derived(doc)
    e.used.add(rule_id)


def _entry(doc: Disclosure) -> _Derived | None:
    e = _DERIVED.get(id(doc))
    return e if e is not None and e.doc() is doc else None


class DocumentRule(Rule):
    """Base of the D rules: each check registers with the per-run cache (see ``_begin``)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        check = cls.__dict__.get("check")
        if check is not None:
            cls.check = _registering(check)  # type: ignore[method-assign]


def _registering(check: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
    @wraps(check)
    def run(self: Rule, ctx: RunContext, *args: Any, **kwargs: Any) -> Iterator[Finding]:
        _begin(ctx.doc, self.id)
        yield from check(self, ctx, *args, **kwargs)

    return run


def doc_lines(doc: Disclosure) -> list[Line]:
    """Every text of the document with its role and place (``Disclosure.text_lines()``), plus
    each table's 部门 and the text fields of 绩效 tables; a table title repeated as a header line
    at the same place is one line. Derived once per run (the list is shared: do not change it)."""
    e = _entry(doc)
    if e is not None and e.lines is not None:
        return e.lines
    out = _doc_lines(doc)
    if e is not None:
        e.lines = out
    return out


def _doc_lines(doc: Disclosure) -> list[Line]:
    out: list[Line] = []
    seen: set[tuple[str, Location]] = set()
    for line in _raw_lines(doc):
        if line.loc is not None:
            n = len(seen)
            seen.add((line.text, line.loc))  # one hash of the Location (a Python-level hash), not two
            if len(seen) == n:
                continue  # seen before
        out.append(line)
    for i, tb in enumerate(doc.tables):
        if tb.department and (tb.department, tb.loc) not in seen:
            out.append(Line(tb.department, "table_department", tb.loc, i))
        for field in ("project_name", "department", "unit"):
            c = tb.fields.get(field)
            if c is not None and c.raw and c.value is not None:  # text_lines() leaves these out
                out.append(Line(c.raw, "cell", c.loc, i))
    return out


def line_ref(doc: Disclosure, line: Line | TextLine, text: str | None = None) -> Ref:
    t = doc.tables[line.table_index] if line.table_index is not None else None
    return trusted(
        Ref,
        table=t.kind if t else None,
        table_index=line.table_index,
        table_title=t.name if t else None,
        text=text if text is not None else line.text,
        loc=line.loc,
    )


def quote(s: str, width: int = 60) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def _is_perf(doc: Disclosure, line: Line) -> bool:
    if line.table_index is None:
        return False
    return doc.tables[line.table_index].kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)


# --- template remnants -------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"(?<![A-Za-z0-9])(?:[XＸ]\s?){2,}(?![A-Za-z0-9])|(?:×\s?){2,}|某某")
_PLACEHOLDER_CHARS = "XＸ×某"  # every match of PLACEHOLDER holds one of these
_ALT_WORDS = "增加|减少|增长|下降|上升|降低|大于|小于|高于|低于"
ALTERNATIVE = re.compile(rf"({_ALT_WORDS})\s*[（(]\s*({_ALT_WORDS})\s*[)）]")
INSTRUCTIONS = [
    "作下述说明",
    "仍保留该表格式",
    "填写说明",
    "填报说明",
    "请填写",
    "此处填写",
    "根据三定方案",
    "不涉及的不列",
    "如持平作持平表述",
    "按上述格式依次说明",
    "列明公务",
    "（制度名称）",
    "(制度名称)",
]
_INSTRUCTIONS_NORM = [(p, re.sub(r"\s+", "", p)) for p in INSTRUCTIONS]
_INSTRUCTIONS_ANY = re.compile("|".join(re.escape(q) for _, q in _INSTRUCTIONS_NORM))  # one search for all
# Words that address the writer of the document, not its reader: a bracketed remark holding one is
# the template's instruction (（请根据本部门“三定”方案填写）, （此处填写…，无则删除本段）, （不涉及的不列）,
# （如持平作持平表述）). 申请/邀请/提请/聘请 are not 请; a 填写 outside brackets may be a real
# statement (组织各单位填写自评表), so only bracketed remarks and 请…填写 sentences count.
_TO_WRITER = (
    r"(?<![申邀提聘报恳])请(?!示)|此处|填写|填列|填报|删除|删去|不列(?![入支示])|无则|"
    r"作[^，。；]{0,6}表述|保留[^，。；]{0,12}(?:格式|解释|说明|表样)"
)
_INSTRUCTION_PAREN = re.compile(rf"[（(][^（）()]{{0,80}}?(?:{_TO_WRITER})[^（）()]{{0,80}}?[)）]")
_INSTRUCTION_SENTENCE = re.compile(
    r"(?<![申邀提聘报恳])请[^，。；！？]{0,24}?(?:填写|填列|填报|删除|补充完整)"
    r"|由[^，。；]{0,12}根据[^。；]{0,30}填写"
)
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")
# each pattern with the characters one of which any match holds (a cheap test before the search)
_INSTRUCTION_RXS = ((_INSTRUCTION_PAREN, "（("), (_INSTRUCTION_SENTENCE, "请由"))
# a line holding none of these holds no instruction (normalising only removes characters): each
# known phrase holds one (a rare one where it has a choice), each pattern needs one of "（(请由"
_INSTRUCTION_CHARS = "述留填请涉案列（(由"
if not all(holds_any(q, _INSTRUCTION_CHARS) for _, q in _INSTRUCTIONS_NORM):
    raise AssertionError("_INSTRUCTION_CHARS must hold a character of every phrase of INSTRUCTIONS")


def instruction_texts(text: str) -> list[str]:
    """The template instructions a line holds: the known phrases (作下述说明, 仍保留该表格式 …) and
    any bracketed remark or 请…填写 sentence addressed to the writer."""
    if not holds_any(text, _INSTRUCTION_CHARS):
        return []  # nothing below can match
    t = _QUOTES.sub("", _norm(text))
    found = [p for p, q in _INSTRUCTIONS_NORM if q in t] if _INSTRUCTIONS_ANY.search(t) else []
    for rx, needs in _INSTRUCTION_RXS:
        if not holds_any(t, needs):
            continue  # the pattern cannot match without one of these characters
        for m in rx.finditer(t):
            if not any(f in m.group(0) or m.group(0) in f for f in found):
                found.append(m.group(0))
    return list(dict.fromkeys(found)) if found else found


REPEATED_PUNCT = re.compile(r"([，。、；：！？,;:!?])\s*\1+|[，、；：][。]|[。][，、；：]")


def _placeholders(doc: Disclosure) -> list[tuple[Line, list[str]]]:
    e = _entry(doc)
    if e is not None and e.placeholders is not None:
        return e.placeholders
    out = []
    for line in doc_lines(doc):
        if not holds_any(line.text, _PLACEHOLDER_CHARS):
            continue  # no match is possible
        found = [m.group(0) for m in PLACEHOLDER.finditer(line.text)]
        if found:
            out.append((line, found))
    if e is not None:
        e.placeholders = out
    return out


def template_evidence(doc: Disclosure) -> tuple[bool, str, list[tuple[Line, list[str]]]]:
    """(is_template, why, placeholder lines). A document is a blank template when its
    department name is itself a placeholder (上海市XX局), or when placeholders fill the text
    (at least 15 lines hold one) while no table holds an amount."""
    e = _entry(doc)
    if e is not None and e.evidence is not None:
        return e.evidence
    found = _template_evidence(doc)
    if e is not None:
        e.evidence = found
    return found


def _template_evidence(doc: Disclosure) -> tuple[bool, str, list[tuple[Line, list[str]]]]:
    names = [doc.metadata.department or "", doc.metadata.title or ""]
    names += [p.text for p in doc.cover]
    for n in names:
        if n and PLACEHOLDER.search(n) and len(_norm(n)) <= 40:
            return True, f"部门名称为“{quote(n, 30)}”", _placeholders(doc)
    if any(not t.is_empty for t in doc.tables):
        return False, "", []  # a table with amounts: a disclosure, whatever its text holds
    hits = _placeholders(doc)
    if len(hits) >= 15:
        return True, f"共有 {len(hits)} 行含占位符且各表均无数据", hits
    return False, "", hits


def is_template(doc: Disclosure) -> bool:
    if doc.metadata.is_template:
        return True
    return template_evidence(doc)[0]


@register
class BlankTemplate(DocumentRule):
    """The file is a blank template, not a disclosure: its department name is a placeholder
    (上海市XX局) or placeholders fill it while its tables are empty. Reported once; the
    placeholder rules (D-008…D-010) are then silent. Sets ``metadata.is_template``.

    Wrong:
        封面：上海市 XX 局 2024 年度部门决算；说明：收入支出总计 XXX 万元，增长（下降）XX%
    Right:
        封面：上海市普陀区财政局 2024 年度部门决算；说明：收入支出总计 2995.39 万元，下降 1.87%
    """

    id = "D-001"
    title = "空白模板"
    family = "D"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        yes, why, hits = template_evidence(doc)
        if not yes and not doc.metadata.is_template:
            return
        doc.metadata.is_template = True
        n = sum(len(f) for _, f in hits)
        refs = [line_ref(doc, ln) for ln, _ in hits[:3]]
        yield self.finding(
            f"本文件是空白模板（{why or '已标记为模板'}），不是可核对的决算公开文件：共 {n} 处占位符，"
            "占位符、待选表述和填写说明不再逐条列出",
            refs or [Ref(text=doc.metadata.title or doc.metadata.department or "文件")],
        )


@register
class Placeholders(DocumentRule):
    """Template placeholders left in a real disclosure: XX, XXX, ××, 某某 where a name, an amount
    or a percentage should be.

    Wrong:
        本年收入合计 XXX 万元，其中：财政拨款收入 XXX 万元，占 XX%
    Right:
        本年收入合计 2,106.35 万元，其中：财政拨款收入 2,106.35 万元，占 100%
    """

    id = "D-008"
    title = "模板占位符未替换"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        for line, found in _placeholders(doc):
            shown = "、".join(dict.fromkeys(f.replace(" ", "") for f in found))
            yield self.finding(
                f"模板占位符“{shown}”未替换：“{quote(line.text)}”",
                [line_ref(doc, line)],
                found=shown,
            )


@register
class UnresolvedAlternative(DocumentRule):
    """A template's alternative wording left unresolved: 增加（减少）, 下降（增长）, 大于（小于) — the
    writer must keep the one that applies.

    Wrong:
        “三公”经费支出决算数比 2023 年度减少 0.15 万元，下降（增长）27.78%
    Right:
        “三公”经费支出决算数比 2023 年度减少 0.15 万元，下降 27.78%
    """

    id = "D-009"
    title = "待选表述未选定"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        for line in doc_lines(doc):
            if "（" not in line.text and "(" not in line.text:
                continue  # ALTERNATIVE needs a bracket
            found = [m.group(0) for m in ALTERNATIVE.finditer(line.text) if m.group(1) != m.group(2)]
            if found:
                shown = "、".join(dict.fromkeys(_norm(f) for f in found))
                yield self.finding(
                    f"模板中的待选表述“{shown}”未按实际情况选定：“{quote(line.text)}”",
                    [line_ref(doc, line)],
                    found=shown,
                )


@register
class TemplateInstructions(DocumentRule):
    """Instructions of the template left in the published text (在本表下方作下述说明, 仍保留该表格式,
    不涉及的不列, 如持平作持平表述, 列明公务接待批次, 填写说明 …), and any bracketed remark addressed
    to the writer — （请根据本部门“三定”方案填写…）, （此处填写…，无则删除本段） — or sentence asking
    for something to be filled in (请…填写, 由主管部门根据…填写). 申请, 据实, 不列入 and a statement
    that someone filled in a form (组织各单位填写自评表) are not instructions.

    Wrong:
        无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：
    Right:
        说明：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。
    """

    id = "D-010"
    title = "模板填写说明未删除"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        for line in doc_lines(doc):
            found = instruction_texts(line.text)
            if found:
                yield self.finding(
                    f"模板的填写说明未删除（“{'、'.join(found)}”）：“{quote(line.text)}”",
                    [line_ref(doc, line)],
                    found="、".join(found),
                )


@register
class RepeatedPunctuation(DocumentRule):
    """Repeated or doubled punctuation (。。 ，， 、、 ，。) left by editing. Ellipses (……) and
    dashes (——) are not punctuation errors.

    Wrong:
        主要原因是人员减少，，导致支出减少。。
    Right:
        主要原因是人员减少，导致支出减少。
    """

    id = "D-011"
    title = "标点重复"
    family = "D"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        for line in doc_lines(doc):
            if line.role == "cell":
                continue
            found = [m.group(0) for m in REPEATED_PUNCT.finditer(line.text)]
            if found:
                shown = "、".join(dict.fromkeys(_norm(f) for f in found))
                yield self.finding(
                    f"标点重复“{shown}”：“{quote(line.text)}”", [line_ref(doc, line)], found=shown
                )


# --- one department ----------------------------------------------------------------------------

_PLACE_SEG = r"(?:[\u4e00-\u9fff]{1,7}?(?:自治区|自治州|自治县|地区|省|市|区|县|州|盟|旗))"
_PLACE_AT_END = re.compile(rf"(?:中共)?{_PLACE_SEG}+$")
_PLACE_AT_START = re.compile(rf"^(?:中共)?{_PLACE_SEG}+")
_GENERIC_PLACES = re.compile(
    r"^(?:本|我|全|各|该|此|所在|辖|驻|省市|市县|市区|区县|县区)?(?:省|市|区|县|州|旗)$"
)
_STRONG_ROLES = {"cover", "toc", "heading", "table_title", "table_header", "table_department"}


def split_name(name: str) -> tuple[str, str]:
    """(place, body): 蛟河市社会保险事业管理局 → (蛟河市, 社会保险事业管理局)."""
    n = _norm(name)
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


def _distance(a: str, b: str, limit: int | None = None) -> int:
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


def header_department(text: str) -> str | None:
    """The name in a table's 部门 line (部门：蛟河市社会保险事业管理局), None for other lines
    (单位：万元 is the amount unit)."""
    m = _DEPT_LINE.match(text.strip())
    if not m:
        return None
    name = _norm(re.split(r"\s{2,}|公开\d+表|金额单位|单位[：:]", m.group(1))[0])
    return None if not name or _UNIT_WORDS.match(name) else name


def expected_department(doc: Disclosure) -> str | None:
    if doc.metadata.department:
        return _norm(doc.metadata.department)
    names = [_norm(t.department) for t in doc.tables if t.department]
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
    t = _norm(text)
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
                d = _distance(chunk, body, limit)
                if d < best_d or (d == best_d and chunk[-1:] == body[-1:]):
                    best_d, best_chunk = d, chunk
            if 0 < best_d <= limit and best_chunk[-1:] == body[-1:]:
                out.append(("variant", place + best_chunk))
    return out


@register
class DepartmentName(DocumentRule):
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

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        dept = expected_department(doc)
        if not dept or is_template(doc):
            return
        places: dict[tuple[str, str], list[tuple[Line, bool]]] = defaultdict(list)
        seen: set[tuple[str, int]] = set()
        lines_ = doc_lines(doc)
        for line in lines_:
            for kind, name in name_problems(line.text, dept):
                if line.table_index is not None and line.role in ("table_header", "table_department"):
                    if (name, line.table_index) in seen:
                        continue  # the 部门 line and the table's department are one place
                    seen.add((name, line.table_index))
                strong = line.role in _STRONG_ROLES or _is_perf(doc, line) or "决算" in line.text
                places[(kind, name)].append((line, strong))
        # the 部门 line of a table names the department itself: any other name there is another
        # organisation, however unlike the department's (样板县医疗保障局 for 示例市社会保险事业管理局)
        for line in lines_:
            if line.table_index is None or line.role not in ("table_header", "table_department"):
                continue
            printed = header_department(line.text) if line.role == "table_header" else _norm(line.text)
            if not printed or printed == dept or dept in printed or printed in dept:
                continue
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

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(度)?")
# a comparison anywhere in the clause before the year (与2023年度相比, 比上年, 上年结转)
_COMPARE = re.compile(r"(与|比|较|同比|相比|上年|上一年|去年|以前|往年|结转|截至|以来|以后|《|〔|\[|【)")
# a period that starts or ends at the year, right before it (自2023年, 2023年至, —2025年); 自 inside a
# word (自评表, 自然资源) is not a period
_PERIOD_BEFORE = re.compile(r"(?:至|自|从|起|—|-|～|~)\s*$")
_CITATION = re.compile(r"《[^》]*》|〔\d{4}〕|\[\d{4}\]|（\d{4}）\d+号")
_TITLE_WORDS = re.compile(r"决算|表|部门概况|情况说明|名词解释|目录|绩效")
# a sentence about the report itself: 2023年度部门决算…, 2023年度，本部门没有… (the year the
# department's own figures belong to)
_REPORT_CLAUSE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年度?\s*(?:(?:部门|单位)?\s*决算|[，,]?\s*(?:本|我)(?:部门|单位))"
)
_STRICT_ROLES = _STRONG_ROLES | {"table_note"}


def _stale_years(text: str, year: int, *, strict: bool) -> list[int]:
    """Years other than the report year that qualify the text itself (not a comparison, a citation,
    a period or a publication date)."""
    if "年" not in text:
        return []  # _YEAR needs it
    clean = _CITATION.sub("", text)
    out = []
    for m in _YEAR.finditer(clean):
        y = int(m.group(1))
        if y == year:
            continue
        if y == year + 1 and re.match(r"\s*\d{1,2}\s*月", clean[m.end() :]):
            continue  # publication date (2025 年 8 月 25 日)
        before = clean[max(0, m.start() - 12) : m.start()]
        clause = re.split(r"[，。；：,;:]", before)[-1]
        if (
            _COMPARE.search(clause)
            or _PERIOD_BEFORE.search(clause)
            or re.match(r"\s*(?:相比|比|同期|以来|起|至|—|-)", clean[m.end() :])
        ):
            continue
        if not strict and not _REPORT_CLAUSE.match(clean[m.start() :]):
            continue
        out.append(y)
    return out


@register
class ReportYear(DocumentRule):
    """One report year: a different year in the cover, the 目录, a heading, a table title or header
    (a template copied from the year before) is an error; in a 绩效自评表 (its title included), a
    table's note (注：2023年度，本部门没有…，故本表无数据) or a sentence about the report itself
    (2023年度部门决算, 2023年度本部门…) it is a warning. Comparisons (与2023年度相比, 上年), citations,
    periods and the publication date (次年) are not checked.

    Wrong:
        2024 年度部门决算 … 第三部分 2023 年度部门决算情况说明
    Right:
        2024 年度部门决算 … 第三部分 2024 年度部门决算情况说明
    """

    id = "D-003"
    title = "报告年度前后一致"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        year = doc.metadata.year
        if not year:
            return
        for line in doc_lines(doc):
            strong = line.role in _STRONG_ROLES and not _is_perf(doc, line)
            perf = _is_perf(doc, line)
            # a table's note speaks of the table's own year (注：2024年度，本部门没有…)
            strict = strong or perf or line.role in _STRICT_ROLES
            years = _stale_years(line.text, year, strict=strict)
            if not years:
                continue
            shown = "、".join(str(y) for y in dict.fromkeys(years))
            where = "绩效自评表中" if perf else ("标题/表头中" if strong else "")
            # a title of the report, a part or a table carries the report year; another heading
            # (二、2023年度审计整改情况) may name another year on purpose
            titled = strong and bool(_TITLE_WORDS.search(line.text))
            yield self.finding(
                f"{where}出现非报告年度的年份 {shown} 年（报告年度为 {year} 年）：“{quote(line.text)}”",
                [line_ref(doc, line)],
                severity=Severity.ERROR if titled else Severity.WARNING,
                expected=str(year),
                found=shown,
            )


# --- table numbers and the 目录 ------------------------------------------------------------------

def title_kind(title: str) -> TableKind | None:
    """The table kind a title (or a 目录 line) names, from its words."""
    t = _norm(title)
    if "绩效" in t and "表" in t:
        return TableKind.PERF_DEPT if "整体" in t else TableKind.PERF_PROJECT
    if "三公" in t:
        return TableKind.T09
    if "机关运行经费" in t:
        return TableKind.T10
    if "政府采购" in t:
        return TableKind.T11
    if "政府性基金" in t:
        return TableKind.T07
    if "国有资本经营" in t:
        return TableKind.T08
    if "一般公共预算财政拨款基本支出" in t:
        return TableKind.T06
    if "一般公共预算财政拨款支出" in t:
        return TableKind.T05
    if "财政拨款收入支出" in t and "总表" in t:
        return TableKind.T04
    if "收入支出决算总表" in t or "收入支出总表" in t:
        return TableKind.T01
    if "收入决算表" in t:
        return TableKind.T02
    if "支出决算表" in t:
        return TableKind.T03
    return None


_TOC_NUM = re.compile(
    r"^[\s\-–•·*]*(?:([一二三四五六七八九十〇两]+)[、.．]|(\d{1,2})[、.．]|（([一二三四五六七八九十]+)）)"
)
_PUBLIC_NO = re.compile(r"公开\s*(\d{1,2})\s*表")


@dataclass
class TocTable:
    entry_index: int
    text: str
    kind: TableKind
    ordinal: int | None
    number: int | None  # 公开NN表 printed in the 目录 line, if any
    loc: Location | None


def toc_tables(doc: Disclosure) -> list[TocTable]:
    """目录 lines that name a table (ending in 表), with their ordinal (一、 → 1)."""
    out = []
    for i, e in enumerate(doc.toc):
        text = _norm(e.text).strip("*")
        text_wo_page = re.sub(r"[.·…\s]*\d+$", "", text)
        if not text_wo_page.endswith("表") and not _PUBLIC_NO.search(text):
            continue
        kind = title_kind(text_wo_page)
        if kind is None:
            continue
        m = _TOC_NUM.match(e.text)
        ordinal = None
        if m:
            ordinal = (
                cn_to_int(m.group(1) or m.group(3) or "") if (m.group(1) or m.group(3)) else int(m.group(2))
            )
        n = _PUBLIC_NO.search(text)
        out.append(TocTable(i, e.text.strip(), kind, ordinal, int(n.group(1)) if n else None, e.loc))
    return out


def _numbered(doc: Disclosure) -> list[tuple[int, Table, int]]:
    """(index, table, printed number) of the tables that print 公开NN表, in document order; a
    table that continues the one before it (same kind and number, 相关统计数 under 三公) is left
    out."""
    out: list[tuple[int, Table, int]] = []
    for i, t in enumerate(doc.tables):
        n = t.number
        if n is None:
            continue
        if out and out[-1][2] == n and (out[-1][1].kind == t.kind or t.kind is TableKind.T09S):
            continue
        out.append((i, t, n))
    return out


def effective_kind(t: Table) -> TableKind:
    """The table's kind; for a table the reader left as OTHER, the kind its title or a header
    line names (a part heading taken for the title leaves 收入支出决算总表 in the header lines)."""
    if t.kind is not TableKind.OTHER:
        return t.kind
    for text in [t.title, *(h.text for h in t.header_texts)]:
        k = title_kind(text or "")
        if k is not None:
            return k
    return t.kind


def _toc_ordinal(doc: Disclosure, kind: TableKind) -> int | None:
    for e in toc_tables(doc):
        if e.kind == kind and e.ordinal is not None:
            return e.ordinal
    return None


def numbering_problems(doc: Disclosure) -> tuple[dict[int, list[tuple[int, Table]]], list[int], set[int]]:
    """(duplicates: number → tables, missing numbers, indices of tables involved)."""
    numbered = _numbered(doc)
    by_no: dict[int, list[tuple[int, Table]]] = defaultdict(list)
    for i, t, n in numbered:
        by_no[n].append((i, t))
    dups = {n: ts for n, ts in by_no.items() if len(ts) > 1}
    missing: list[int] = []
    if numbered:
        top = max(by_no)
        missing = [n for n in range(1, top + 1) if n not in by_no]
    involved = {i for ts in dups.values() for i, _ in ts}
    return dups, missing, involved


_UNNUMBERED_OK = (TableKind.T09S, TableKind.PERF_PROJECT, TableKind.PERF_DEPT)


def _unnumbered_between(doc: Disclosure, numbered: list[tuple[int, Table, int]], n: int) -> bool:
    """A table without a printed number sits where 公开NN表 n belongs: its number may simply not
    have been read, so the gap is not reported."""
    before = max((i for i, _, m in numbered if m < n), default=-1)
    after = min((i for i, _, m in numbered if m > n), default=len(doc.tables))
    return any(t.number is None and t.kind not in _UNNUMBERED_OK for t in doc.tables[before + 1 : after])


def _tname(t: Table) -> str:
    return f"《{t.name}》"


@register
class TableNumbers(DocumentRule):
    """The printed table numbers (公开01表 …) have no duplicates and no gaps. When one number is
    printed twice and another is missing, one finding names the table that carries the wrong
    number (using its place among the tables and the 目录).

    Wrong:
        《一般公共预算财政拨款基本支出决算明细表》公开08表 … 《国有资本经营预算财政拨款支出决算表》公开08表（无公开06表）
    Right:
        《一般公共预算财政拨款基本支出决算明细表》公开06表 … 《国有资本经营预算财政拨款支出决算表》公开08表
    """

    id = "D-004"
    title = "公开表编号无重复无缺号"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        dups, missing, _ = numbering_problems(doc)
        numbered = _numbered(doc)
        pos = {i: k + 1 for k, (i, _, _) in enumerate(numbered)}
        left = list(missing)
        for n, tables in sorted(dups.items()):
            refs = [ctx.table_ref(t) for _, t in tables]
            names = "、".join(_tname(t) for _, t in tables)
            # the table whose place (in the body or the 目录) is a missing number carries the wrong one
            culprit = None
            for i, t in tables:
                want = _toc_ordinal(doc, t.kind) or pos[i]
                if want in left and want != n:
                    culprit = (t, want)
                    left.remove(want)
                    break
            if culprit:
                t, want = culprit
                yield self.finding(
                    f"表号“公开{n:02d}表”重复（{names}），且缺少“公开{want:02d}表”：{_tname(t)}"
                    f"应为公开{want:02d}表（在目录和正文中排第{want}）",
                    refs,
                    expected=f"公开{want:02d}表",
                    found=f"公开{n:02d}表",
                )
            else:
                yield self.finding(f"表号“公开{n:02d}表”重复：{names}", refs, found=f"公开{n:02d}表")
        left = [n for n in left if not _unnumbered_between(doc, numbered, n)]
        if left:
            shown = "、".join(f"公开{n:02d}表" for n in left)
            after = [ctx.table_ref(t) for _, t, m in numbered if m > left[0]][:1]
            yield self.finding(
                f"表号不连续：缺少{shown}",
                after or [ctx.table_ref(numbered[0][1])],
                expected=shown,
            )


# --- the 目录's headings against the body's -----------------------------------------------------

_PART = re.compile(r"^\s*第\s*([一二三四五六七八九十\d]{1,3})\s*部分")
_ITEM = re.compile(r"^\s*([一二三四五六七八九十〇两]{1,3})\s*[、.．]")
_PAGE_TAIL = re.compile(r"[\s.·…\-—_]*\d{1,3}\s*$")
_NOT_WORDS = re.compile(r"(?:19|20)\d{2}\s*年度?|[\s。：:；;，,.、（）()“”\"'《》]")


@dataclass
class Heading:
    """A 第X部分 or 一、 heading of the 目录 or of the body."""

    text: str
    ordinal: int | None
    words: str  # the heading without its ordinal, years and punctuation, for comparison
    loc: Location | None
    section: Section | None = None  # the body's section


def _heading(text: str, loc: Location | None, section: Section | None = None) -> Heading:
    if section is None:
        text = _PAGE_TAIL.sub("", text) if not re.search(r"(?:19|20)\d{2}\s*$", text) else text
    m = _PART.match(text) or _ITEM.match(text)
    ordinal = cn_to_int(m.group(1)) if m else None
    rest = text[m.end() :] if m else text
    return Heading(text.strip(), ordinal, _NOT_WORDS.sub("", rest), loc, section)


Outline = tuple[dict[int, Heading], dict[int, list[Heading]]]


def toc_outline(doc: Disclosure) -> Outline:
    """The 目录's parts (第X部分, by ordinal) and the 一、 items listed under each."""
    parts: dict[int, Heading] = {}
    items: dict[int, list[Heading]] = {}
    part: int | None = None
    for e in doc.toc:
        h = _heading(e.text, e.loc)
        if _PART.match(e.text) and h.ordinal is not None:
            part = h.ordinal
            parts[part] = h
            items[part] = []
        elif _ITEM.match(e.text) and part is not None:
            items[part].append(h)
    return parts, items


def body_outline(doc: Disclosure) -> Outline:
    """The body's parts and, under each, its outermost 一、 headings (not those inside another)."""
    parts: dict[int, Heading] = {}
    items: dict[int, list[Heading]] = {}

    def visit(sections: list[Section], part: int | None, inside: bool) -> int | None:
        for sec in sections:
            is_item = False
            if _PART.match(sec.heading):
                h = _heading(sec.heading, sec.loc, sec)
                if h.ordinal is not None:
                    part = h.ordinal
                    parts.setdefault(part, h)
                    items.setdefault(part, [])
            elif _ITEM.match(sec.heading) and part is not None and not inside:
                items[part].append(_heading(sec.heading, sec.loc, sec))
                is_item = True
            part = visit(sec.children, part, inside or is_item)
        return part

    visit(doc.sections, None, False)
    return parts, items


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def _alike(a: str, b: str, at_least: float) -> bool:
    """``_similar(a, b) >= at_least``, with difflib's cheap upper bounds (lengths, shared
    characters) tried first: a pair failing those never reaches ``ratio``. Used where most pairs
    are unrelated (a 目录 line against every heading of the body); between a heading and its 目录
    candidates the bounds rarely fail and cost more than they save (measured), so ``_similar``."""
    if not a or not b:
        return at_least <= 0.0
    m = SequenceMatcher(None, a, b)
    return m.real_quick_ratio() >= at_least and m.quick_ratio() >= at_least and m.ratio() >= at_least


def heading_problems(doc: Disclosure) -> list[tuple[str, Heading | None, Heading | None]]:
    """("unlisted", body heading, None): a heading of the body the 目录 does not list;
    ("absent", None, 目录 line): a section the 目录 lists that the body does not have (table lines are
    left to the table check); ("differs", body heading, 目录 line): the same ordinal worded
    differently. Compared part by part where both sides list 一、 items and at least half of the
    body's match, and only when most of the body's headings match (at least three): otherwise the
    heading tree was not read as printed."""
    toc_parts, toc_items = toc_outline(doc)
    body_parts, body_items = body_outline(doc)
    out: list[tuple[str, Heading | None, Heading | None]] = []
    if len(toc_parts) >= 3:
        out += [("unlisted", h, None) for p, h in body_parts.items() if p not in toc_parts]
    checked: list[tuple[list[Heading], list[tuple[Heading, Heading | None, bool]]]] = []

    @lru_cache(maxsize=1)
    def everywhere() -> list[str]:
        return [_heading(sec.heading, sec.loc, sec).words for sec in doc.walk_sections()]

    for p, listed in toc_items.items():
        body = body_items.get(p, [])
        if not listed or not body:
            continue
        # each 目录 line answers for one heading: first the heading of its ordinal, worded alike;
        # then, among the lines left, one worded almost the same (a 目录 without ordinals)
        same = {
            id(b): next((t for t in listed if t.ordinal == b.ordinal and b.ordinal is not None), None)
            for b in body
        }
        match: dict[int, Heading] = {}
        for b in body:
            t = same[id(b)]
            if t is not None and _similar(b.words, t.words) >= 0.5:
                match[id(b)] = t
        for b in body:
            if id(b) in match:
                continue
            free = [t for t in listed if all(t is not m for m in match.values())]
            close = max(free, key=lambda t: _similar(b.words, t.words), default=None)
            if close is not None and _similar(b.words, close.words) >= 0.85:
                match[id(b)] = close
        taken = {id(t) for t in match.values()}
        pairs: list[tuple[Heading, Heading | None, bool]] = []  # body heading, its 目录 line, matched
        for b in body:
            t = same[id(b)]
            if id(b) in match:
                pairs.append((b, match[id(b)], True))
            else:  # the line of its ordinal, when no other heading answers to it: worded differently
                pairs.append((b, t if t is not None and id(t) not in taken else None, False))
        if sum(ok for _, _, ok in pairs) >= max(1, 0.5 * len(body)):
            checked.append((listed, pairs))
    n_ok = sum(ok for _, pairs in checked for _, _, ok in pairs)
    if n_ok < 3 or n_ok < 0.6 * sum(len(pairs) for _, pairs in checked):
        return out
    for listed, pairs in checked:
        for b, t, ok in pairs:
            if not ok:
                out.append(("differs", b, t) if t is not None else ("unlisted", b, None))
        used = {id(t) for _, t, _ in pairs if t is not None}
        for t in listed:
            if id(t) in used or title_kind(t.text) is not None:
                continue
            # a heading the reader placed elsewhere in the tree (inside another 一、) is there
            if not any(_alike(t.words, w, 0.85) for w in everywhere()):
                out.append(("absent", None, t))
    return out


@register
class TocMatchesBody(DocumentRule):
    """Every table the 目录 lists is in the body (error), every standard table of the body is
    in the 目录 (warning), and a table's place in the 目录 agrees with its printed number (error),
    unless D-004 already names that table's number. The headings too (warning): each part
    (第X部分) and each 一、 heading of the body is listed in the 目录, each 一、 line of the 目录 has
    its heading, and a heading and its 目录 line of the same ordinal are worded alike (page numbers,
    years and small wording differences such as 部门职责 / 部门主要职责 are not differences).

    Wrong:
        目录：十、部门预算项目支出绩效自评表 — 正文没有绩效自评表
    Right:
        目录：十、部门预算项目支出绩效自评表 — 正文附《项目支出绩效自评表》
    """

    id = "D-005"
    title = "目录与正文一致"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        listed: set[TableKind] = set()  # kinds already reported with their heading
        for what, b, h in heading_problems(doc):
            if what == "unlisted" and b is not None:
                tables = [doc.tables[i] for i in (b.section.table_indices if b.section else [])]
                listed |= {x.kind for x in tables}
                yield self.finding(
                    f"正文中的标题“{quote(b.text, 40)}”未列入目录",
                    [Ref(text=b.text, loc=b.loc)] + [ctx.table_ref(x) for x in tables],
                    severity=Severity.WARNING,
                    found=b.text,
                )
            elif what == "absent" and h is not None:
                yield self.finding(
                    f"目录列出的“{quote(h.text, 40)}”在正文中没有对应的标题",
                    [Ref(text=h.text, loc=h.loc)],
                    severity=Severity.WARNING,
                    expected=h.text,
                )
            elif b is not None and h is not None:
                yield self.finding(
                    f"目录中的“{quote(h.text, 40)}”与正文标题“{quote(b.text, 40)}”不一致",
                    [Ref(text=b.text, loc=b.loc), Ref(text=h.text, loc=h.loc)],
                    severity=Severity.WARNING,
                    expected=h.text,
                    found=b.text,
                )
        entries = toc_tables(doc)
        if not entries:
            return
        body_kinds = {effective_kind(t) for t in doc.tables}
        _, _, involved = numbering_problems(doc)
        for e in entries:
            present = e.kind in body_kinds or (
                e.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)
                and body_kinds & {TableKind.PERF_PROJECT, TableKind.PERF_DEPT}
            )
            if not present:
                yield self.finding(
                    f"目录列出的“{quote(e.text, 40)}”在正文中没有",
                    [Ref(text=e.text, loc=e.loc)],
                    expected=e.text,
                )
                continue
            # the printed number agrees with the 目录
            table = next((t for t in doc.tables if t.kind == e.kind and t.number is not None), None)
            want = e.number or e.ordinal
            if table is None or want is None or e.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT):
                continue
            idx = doc.table_index(table)
            if table.number != want and idx not in involved:
                yield self.finding(
                    f"目录中排第{want}的“{quote(e.text, 40)}”，正文印为{table.printed_number}",
                    [Ref(text=e.text, loc=e.loc), ctx.table_ref(table)],
                    expected=f"公开{want:02d}表",
                    found=table.printed_number,
                )
        listed |= {e.kind for e in entries}
        if len(entries) >= 3:
            standard = [k for k in TableKind if k.value.startswith("T") and k is not TableKind.T09S]
            for t in doc.tables:
                if t.kind in standard and t.kind not in listed:
                    listed.add(t.kind)
                    yield self.finding(
                        f"正文中的{_tname(t)}未列入目录",
                        [ctx.table_ref(t)],
                        severity=Severity.WARNING,
                    )


NATIONAL_TABLES = [
    TableKind.T01,
    TableKind.T02,
    TableKind.T03,
    TableKind.T04,
    TableKind.T05,
    TableKind.T06,
    TableKind.T07,
    TableKind.T08,
    TableKind.T09,
]
PARTS = [
    ("部门概况", ("概况",)),
    ("决算表", ("决算表", "报表")),
    ("情况说明", ("情况说明",)),
    ("名词解释", ("名词解释",)),
]
# Matters the 情况说明 must explain even where no table shows them (national template).
MATTERS = [
    ("机关运行经费", ("机关运行经费",)),
    ("政府采购", ("政府采购",)),
    ("国有资产占用", ("国有资产", "车辆")),
    ("绩效", ("绩效",)),
]


@register
class RequiredTables(DocumentRule):
    """The national list of tables is present: 收入支出决算总表, 收入决算表, 支出决算表, 财政拨款收入支出决算
    总表, 一般公共预算财政拨款支出决算表, …基本支出决算表, 政府性基金…, 国有资本经营…, “三公”经费支出
    决算表 (an empty 07/08 table is kept with its note, not left out) — error when one is missing;
    the four parts (部门概况, 决算表, 情况说明, 名词解释) and the matters the 情况说明 explains even
    without a table (机关运行经费, 政府采购, 国有资产占用, 绩效) — warning. Regional tables (机关运行经费,
    政府采购) are checked against the 目录 by D-005.

    Wrong:
        第二部分 决算表：公开01表 … 公开06表、公开09表（无政府性基金、国有资本经营表）
    Right:
        第二部分 决算表：公开01表 … 公开09表（空表保留格式并注明本表无数据）
    """

    id = "D-006"
    title = "必备表格和部分齐全"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        kinds = {effective_kind(t) for t in doc.tables}
        if len(kinds & set(NATIONAL_TABLES)) < 3 or is_template(doc):
            return  # not a disclosure the reader could structure: family R reports that
        from ...model.table import TABLE_NAMES

        missing = [k for k in NATIONAL_TABLES if k not in kinds]
        if missing:
            names = "、".join(f"《{TABLE_NAMES[k]}》" for k in missing)
            yield self.finding(
                f"缺少必备的决算公开表：{names}",
                [Ref(text=doc.metadata.title or doc.metadata.department or "全文")],
                expected=names,
            )
        headings = [_norm(s.heading) for s in doc.walk_sections() if s.level <= 1] + [
            _norm(e.text) for e in doc.toc
        ]
        if not headings:
            return
        where = [Ref(text=doc.metadata.title or doc.metadata.department or "全文")]
        for name, words in PARTS:
            if not any(any(w in h for w in words) for h in headings):
                yield self.finding(f"缺少“{name}”部分", where, severity=Severity.WARNING)
        sections = list(doc.walk_sections())
        if len(sections) < 8:
            return  # a heading tree this small was not read in full
        text = " ".join([s.heading for s in sections] + [p.text for s in sections for p in s.paragraphs])
        for name, words in MATTERS:
            if not any(w in text for w in words):
                yield self.finding(f"情况说明中没有“{name}”情况的说明", where, severity=Severity.WARNING)


EMPTY_SAYS = re.compile(
    r"无数据|空表|没有|未发生|无(?:政府性基金|国有资本经营|“?三公”?|机关运行|政府采购)|不涉及|无相关"
)
_NOTE_KINDS = [TableKind.T07, TableKind.T08, TableKind.T09, TableKind.T10, TableKind.T11]


_SUBJECT = {
    TableKind.T07: "政府性基金",
    TableKind.T08: "国有资本经营",
    TableKind.T09: "三公",
    TableKind.T10: "机关运行经费",
    TableKind.T11: "政府采购",
}


def _page_notes(doc: Disclosure, t: Table) -> list[Line]:
    """Paragraph lines printed on the table's page that say it is empty and name its subject: a
    note the reader did not attach to the table (说明：…本年度没有政府性基金…，故本表无数据)."""
    page = t.loc.page if t.loc else None
    if page is None:
        return []
    out = []
    for s in doc.walk_sections():
        for p in s.paragraphs:
            if p.loc and p.loc.page == page and _SUBJECT[t.kind] in p.text and _says_empty(p.text):
                out.append(Line(p.text, "paragraph", p.loc, None))
    return out


def _says_empty(text: str) -> bool:
    t = _norm(text)
    if "仍保留该表格式" in t or "作下述说明" in t:  # the template's instruction, not the note
        return False
    return bool(EMPTY_SAYS.search(t))


@register
class EmptyTableNote(DocumentRule):
    """An empty table (07 政府性基金, 08 国有资本经营, 09 三公, 10, 11) keeps its format and carries
    a note saying why it is empty (本部门没有…，故本表无数据) — warning when it does not; a note
    saying “no data” under a table that has amounts is an error.

    Wrong:
        《政府性基金预算财政拨款收入支出决算表》只有空的合计行，注：本表反映部门本年度政府性基金…情况。
    Right:
        注：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。
    """

    id = "D-007"
    title = "空表注明无数据"
    family = "D"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        for t in doc.tables:
            if t.kind not in _NOTE_KINDS:
                continue
            notes = [n for n in t.notes if _says_empty(n.text)]
            if t.kind is TableKind.T09:  # 相关统计数 notes may sit on the T09S table
                notes += [n for s in doc.tables_of(TableKind.T09S) for n in s.notes if _says_empty(n.text)]
            if t.is_empty and not notes and not _page_notes(doc, t):
                yield self.finding(f"{_tname(t)}为空表，但表下没有“本表无数据”之类的说明", [ctx.table_ref(t)])
            elif not t.is_empty and notes:
                n = notes[0]
                yield self.finding(
                    f"{_tname(t)}有数据，但表下说明称无数据：“{quote(n.text)}”",
                    [
                        ctx.table_ref(t),
                        Ref(text=n.text, loc=n.loc, table=t.kind, table_index=doc.table_index(t)),
                    ],
                    severity=Severity.ERROR,
                )


# --- one amount unit -----------------------------------------------------------------------------

_UNIT_KINDS = [TableKind(f"T{i:02d}") for i in range(1, 12)]


def printed_unit(doc: Disclosure, t: Table) -> str | None:
    """The unit the table prints. A reader that converts a table in 元 to 万元 (the workbook
    reader) sets ``unit`` to 万元, keeps the printed 元 in ``Metadata.unit`` and adds four places to
    ``Table.decimals``: such a table printed 元."""
    if t.unit is None:
        return None
    if t.unit is AmountUnit.WAN_YUAN and doc.metadata.unit is AmountUnit.YUAN and t.decimals >= 4:
        return str(AmountUnit.YUAN)
    return str(t.unit)


@register
class OneAmountUnit(DocumentRule):
    """One amount unit for the whole set of tables (公开01表 … 11表): a table whose 金额单位 differs
    from the unit the other tables print (单位：元 among tables in 万元) is an error — either its
    unit line is wrong or its amounts cannot be compared with the others'. 绩效自评表 may print
    their own unit and are not compared. A table the reader converted from 元 to 万元 counts as
    printed in 元.

    Wrong:
        公开01表 … 公开08表 金额单位：万元；公开09表 金额单位：元（数额与其他表同为万元）
    Right:
        公开01表 … 公开11表 均为 金额单位：万元
    """

    id = "D-012"
    title = "各表金额单位一致"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        units = {id(t): printed_unit(doc, t) for t in doc.tables if t.kind in _UNIT_KINDS}
        tables = [t for t in doc.tables if units.get(id(t))]
        if len(tables) < 3:
            return
        counts: dict[str, int] = defaultdict(int)
        for t in tables:
            counts[str(units[id(t)])] += 1
        if len(counts) < 2:
            return
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        main, n_main = ranked[0]
        if n_main == ranked[1][1]:  # no unit most tables share: the document's own, if it states one
            if doc.metadata.unit is None or str(doc.metadata.unit) not in counts:
                names = "、".join(f"{_tname(t)}{units[id(t)]}" for t in tables)
                yield self.finding(f"各表金额单位不一致：{names}", [ctx.table_ref(t) for t in tables])
                return
            main = str(doc.metadata.unit)
        for t in tables:
            if units[id(t)] != main:
                yield self.finding(
                    f"{_tname(t)}的金额单位为“{units[id(t)]}”，其他各表为“{main}”",
                    [ctx.table_ref(t)],
                    expected=main,
                    found=units[id(t)],
                )
