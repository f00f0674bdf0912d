"""What kind of disclosure a document is: final accounts (决算) or budget (预算), of a department
or of one unit.

A reader stage: it reads the words the document uses to name itself (cover and title lines,
part headings such as 第二部分 2018年度部门预算表, the 目录) and the titles of its tables (收支预算总表
or 收入支出决算总表), and fills ``Metadata.kind``. Rules declare the kinds they apply to, so the
kind decides which rules judge the document: a 决算 rule never runs on a budget.

The words are weighed, not just found: a final-accounts disclosure speaks of 年初预算, 一般公共预算
and even prints a 部门预算调整追加项目支出绩效自评表, and a budget may compare with last year's 决算. So
only a line that *names the document* (it ends in 部门决算 / 预算公开 / 预算表 …) counts as a
title, and table titles count by what they end in.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Disclosure, DisclosureKind, Table

_SPACE = re.compile(r"[\s\u3000]+")
# a line naming the document or one of its parts: ends in the kind, perhaps followed by
# 公开 / 表 / 报表 / 情况说明 / 目录 and a page number
_TITLE = re.compile(
    r"(?P<who>部门|单位|省级部门|市级部门|区级部门|县级部门)?(?P<kind>决算|预算)"
    r"(?:公开)?(?:报表|表|情况说明|说明)?(?:目录)?\d{0,3}$"
)
# words that contain 预算 without naming a budget document
_NOT_A_BUDGET_TITLE = re.compile(r"(?:一般公共|政府性基金|国有资本经营|年初|全年|调整)预算")
# a table title's ending
_TABLE_FINAL = re.compile(r"决算(?:总|明细)?表$|决算$")
_TABLE_BUDGET = re.compile(r"预算(?:总|明细)?表$")
_MAX_TITLE = 60
# a table's title printed inside its header or first cells: 收支预算总表部门：…单位：万元
# a parenthesis before the mark holds no other opening one: scanned from every （ of a long run to
# the end, the search was quadratic
_HEADER_TAIL = re.compile(r"(?:（[^）（]*）)?(?:部门[:：]|单位[:：]|编制单位[:：]).*$")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def _title_kind(line: str) -> tuple[bool, bool] | None:
    """(is a budget, is a unit's) when ``line`` names the document or a part of it."""
    t = _squash(line).rstrip("。.:：")
    if not t or len(t) > _MAX_TITLE or "，" in t or "；" in t:
        return None
    m = _TITLE.search(t)
    if m is None:
        return None
    head = t[: m.start("kind")]
    if m.group("kind") == "预算" and _NOT_A_BUDGET_TITLE.search(head + "预算"):
        return None
    return m.group("kind") == "预算", m.group("who") == "单位"


def _table_titles(t: Table) -> list[str]:
    """The table's title, else a title printed in its header lines or first cells (where a
    reader that did not find the title left it), each without what follows it on the line."""
    out = [_squash(t.title)] if t.title else []
    if not out:
        texts = [h.text for h in t.header_texts]
        texts += [c.raw for r in t.rows[:3] for c in r.cells.values() if c.raw and c.value is None]
        out = [_HEADER_TAIL.sub("", _squash(x)) for x in texts]
    # 项目支出绩效自评表 belong to either kind (a 决算 prints 部门预算调整追加项目支出绩效自评表)
    return [x for x in out if x and "绩效" not in x and len(x) <= _MAX_TITLE]


def recognise_kind(doc: Disclosure) -> DisclosureKind | None:
    """The kind the document names itself by; None when its words do not say."""
    titles: Counter[tuple[bool, bool]] = Counter()
    lines = [p.text for p in doc.cover]
    if doc.metadata.title:
        lines.append(doc.metadata.title)
    lines += [s.heading for s in doc.walk_sections()]
    lines += [e.text for e in doc.toc]
    for line in lines:
        k = _title_kind(line)
        if k is not None:
            titles[k] += 1
    tables: Counter[bool] = Counter()
    for t in doc.tables:
        for title in _table_titles(t):
            if _TABLE_FINAL.search(title):
                tables[False] += 1
                break
            if _TABLE_BUDGET.search(title):
                tables[True] += 1
                break
    budget_titles = sum(n for (b, _), n in titles.items() if b)
    final_titles = sum(n for (b, _), n in titles.items() if not b)
    if budget_titles and not final_titles:
        budget = True
    elif final_titles and not budget_titles:
        budget = False
    elif tables[True] != tables[False] and (tables[True] >= 2 or tables[False] >= 2):
        budget = tables[True] > tables[False]
    elif budget_titles != final_titles:
        budget = budget_titles > final_titles
    else:
        return None
    unit = any(u for (b, u) in titles if b == budget)
    if budget:
        return DisclosureKind.BUDGET_UNIT if unit else DisclosureKind.BUDGET_DEPARTMENT
    return DisclosureKind.UNIT if unit else DisclosureKind.DEPARTMENT


def set_kind(doc: Disclosure) -> None:
    """Fill ``metadata.kind`` from :func:`recognise_kind`. The assembler names a 决算 (and tells a
    unit's from a department's) from the cover; a budget, which it does not know, is named here."""
    kind = recognise_kind(doc)
    if kind is None:
        return
    if doc.metadata.kind is None or kind.is_budget != doc.metadata.kind.is_budget:
        doc.metadata.kind = kind
