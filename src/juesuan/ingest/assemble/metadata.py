"""The document's metadata (year, department, kind, title, publish date, unit), read from the
cover once the walk is done, else from the headings and the tables' captions."""

from __future__ import annotations

import re
from collections import Counter

from ...model import AmountUnit, Disclosure, DisclosureKind, Metadata
from ...tables.budget import BUDGET_TABLE_KINDS
from ...tables.recognize import squash
from ..raw import RawDocument
from .lines import DEPT, SENTENCE_END, YEAR_ONLY

_YEAR = re.compile(r"(20\d\d)\s*年度")
# a whitespace run is tried from its start only (the lookbehind) and each gap has one \s*: the
# search was quadratic in a long run of spaces, cubic with the two adjacent \s*
_KIND_SUFFIX = re.compile(r"(?<!\s)\s*(?:20\d\d\s*年度?\s*)?(部门|单位)决算.*$")
# a year before or after a name (the name is stripped after); no \s* before the trailing one: tried
# at each character of a long run of spaces, it made the search quadratic
_YEAR_AROUND = re.compile(r"^\s*20\d\d\s*年度?\s*|(?:20\d\d\s*)?年度?\s*$")
_DATE = re.compile(r"^(20\d\d)\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$")
# a budget's cover title, squashed: ``2017年度江苏省高级人民法院部门预算公开``, ``江苏省人民检察院2018年部门
# 预算`` (the 目录 may run on after it); the name is Chinese and holds no digit, so
# ``江苏省2018年度省级部门预算公开报表`` (the province's, not a department's) names none
_BUDGET_COVER = re.compile(
    r"^(?:20\d\d年度?)?(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff（）()]{1,29}?)(?:20\d\d年度?)?(?:部门|单位)?预算(?:公开)?(?:目录|\d|$)"
)
# a year in a budget table's title: ``2017年政府采购预算表``
_TITLE_YEAR = re.compile(r"(20\d\d)\s*年(?!\d)")


def _is_sentence(t: str) -> bool:
    """A line of body text (a clause or a full sentence), never a document's title."""
    return t.endswith(SENTENCE_END) or "，" in t


def metadata_of(raw: RawDocument, doc: Disclosure) -> Metadata:
    """The metadata of ``doc``, the walk's result for ``raw``."""
    md = Metadata(source_format=raw.format, pages=raw.pages, source_path=raw.path)
    cover = [p.text for p in doc.cover]
    years = Counter(int(y) for text in cover for y in _YEAR.findall(text))
    if not years:
        # a year printed on its own cover line (``2024``, big type, apart from 年度部门决算)
        years = Counter(int(squash(c)[:4]) for c in cover if re.fullmatch(r"20\d\d(?:年度?)?", squash(c)))
    if not years:
        heads = [s.heading for s in doc.walk_sections()] + [t.title for t in doc.tables]
        years = Counter(int(y) for text in heads for y in _YEAR.findall(text))
    if not years:
        # a budget's tables alone: the year their titles print (``2017年政府采购预算表``)
        years = Counter(int(y) for t in doc.tables if t.kind in BUDGET_TABLE_KINDS for y in _TITLE_YEAR.findall(t.title or ""))
    if years:
        md.year = years.most_common(1)[0][0]
    title_parts: list[str] = []
    for i, text in enumerate(cover):
        t = squash(text)
        if _DATE.match(t):
            md.publish_date = text.strip()
            continue
        # len(text): the patterns below start a whitespace run at each of its characters, so a
        # line of a few printed characters padded with a million spaces must not reach them
        if "决算" in t and len(t) <= 60 and len(text) <= 400 and md.kind is None and not _is_sentence(t):
            md.kind = DisclosureKind.UNIT if "单位决算" in t else DisclosureKind.DEPARTMENT
            name = _KIND_SUFFIX.sub("", text).strip()
            name = _YEAR_AROUND.sub("", name).strip()
            if not name:
                # the name printed on the lines above (a big-type cover wraps it)
                above: list[str] = []
                for prev in (squash(c) for c in reversed(cover[max(0, i - 3) : i])):
                    if (
                        not prev
                        or YEAR_ONLY.match(prev)
                        or "附件" in prev
                        or _DATE.match(prev)
                        or len(prev) > 30
                    ):
                        break
                    above.insert(0, prev)
                name = re.sub(r"(?:20\d\d)?年度?$", "", "".join(above))
                title_parts.extend(above)
            if name and md.department is None:
                md.department = squash(name)
            title_parts.append(t)
            continue
        if YEAR_ONLY.match(t) and md.kind is None:
            title_parts.append(t)
    if title_parts:
        md.title = "".join(dict.fromkeys(title_parts))
    if md.department is None and md.kind is None:
        # a budget's cover: the title on one line or wrapped over two
        lines = [squash(c) for c in cover[:4]]
        for text in [*lines, *("".join(lines[i : i + 2]) for i in range(len(lines) - 1))]:
            m = _BUDGET_COVER.match(text)
            if m and "预算" not in m.group("name") and m.group("name") not in ("部门", "单位"):
                md.department = m.group("name")
                break
    if md.department is None:
        for text in cover:
            m = DEPT.match(text.strip())
            # ``部门：中共某某办公厅`` run into the printer's line below (``某某财政厅印制``): not certain
            if m and not squash(m.group(1)).endswith("印制"):
                md.department = squash(m.group(1))
                break
    depts = Counter(t.department for t in doc.tables if t.department)
    if md.department is None and depts:
        md.department = depts.most_common(1)[0][0]
    units = Counter(t.unit for t in doc.tables if t.unit)
    if units:
        md.unit = units.most_common(1)[0][0]
    elif any("万元" in p for p in cover):
        md.unit = AmountUnit.WAN_YUAN
    if md.kind is None and any("决算" in s.heading for s in doc.sections):
        md.kind = (
            DisclosureKind.UNIT
            if any("单位决算" in s.heading for s in doc.sections)
            else DisclosureKind.DEPARTMENT
        )
    return md
