"""The statements of the 绩效 sections of the narrative about the self-evaluations: a project's
预算数 and 执行数 (全年预算数为 77 万元，执行数为 74.92 万元), the number of projects self-evaluated
(对 13 个项目支出开展了绩效自评) and the amount stated for them (共涉及资金 42678.16 万元).

A section is about 绩效 when its heading or an ancestor's names 绩效. The numeric claims of the
narrative (``Disclosure.claims``) are read separately; the headings are kept so that the claims
of these sections can be told apart.

:func:`reread_perf` gives a disclosure built or edited as a model (the composer's, a rule case's,
a copy with an injected defect) what the reader would read from it: these statements and the
numbers of its 绩效自评表 cells."""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import (
    Disclosure,
    Location,
    PerfStatements,
    Section,
    StatedBudgetActual,
    StatedProjectCount,
    TableKind,
)
from ..tables.numbers import cn_to_int, try_amount
from .assemble.perf_form import read_quantities

_AMOUNT = r"(\d[\d,，\s]*(?:\.\s*\d+)?)\s*万元"
_BUDGET_ACTUAL = re.compile(
    rf"(?:全年)?预算(?:数|金额)?为?\s*{_AMOUNT}\s*[，,、]?\s*(?:全年)?执行数?为?\s*{_AMOUNT}"
)
# a number tried from its first digit only (the lookbehinds), linear in a long run of digits
_COUNT = re.compile(r"((?<!\d)\d+|(?<![一二三四五六七八九十两])[一二三四五六七八九十两]+)\s*(?:个|项)(?:单位)?(?:项目|项目支出)")
_TOTAL = re.compile(rf"共?涉及(?:一般公共预算)?(?:项目)?(?:资金|预算金额|金额|支出)\s*{_AMOUNT}")


def _amount(s: str) -> Decimal | None:
    v, ok = try_amount(s.replace("，", ",").replace(" ", ""))
    return v if ok else None


def _sentence_around(text: str, start: int, end: int) -> str:
    s = max(text.rfind("。", 0, start), text.rfind("；", 0, start)) + 1
    e = text.find("。", end)
    return text[s : (e + 1 if e >= 0 else len(text))].strip()


def _perf_paragraphs(sections: list[Section], inside: bool, out: list[tuple[str, Location | None]]) -> None:
    for s in sections:
        here = inside or "绩效" in s.heading
        if here:
            out.extend((p.text, p.loc) for p in s.paragraphs)
        _perf_paragraphs(s.children, here, out)


def _perf_headings(sections: list[Section], out: list[str]) -> None:
    for s in sections:
        if "绩效" in s.heading:
            out.append(s.heading)
        _perf_headings(s.children, out)


def read_perf_statements(doc: Disclosure) -> PerfStatements:
    """What the 绩效 sections of ``doc`` state, in reading order."""
    out = PerfStatements()
    _perf_headings(doc.sections, out.headings)
    paragraphs: list[tuple[str, Location | None]] = []
    _perf_paragraphs(doc.sections, False, paragraphs)
    for text, loc in paragraphs:
        for m in _BUDGET_ACTUAL.finditer(text):
            b, a = _amount(m.group(1)), _amount(m.group(2))
            if b is not None and a is not None:
                out.budget_actual.append(
                    StatedBudgetActual(
                        budget=b, actual=a, sentence=_sentence_around(text, m.start(), m.end()), loc=loc
                    )
                )
    for text, loc in paragraphs:
        cm = _COUNT.search(text)
        if not cm:
            continue
        n = cn_to_int(cm.group(1))
        if n is None or n == 0:
            continue
        count = StatedProjectCount(count=n, sentence=_sentence_around(text, cm.start(), cm.end()), loc=loc)
        tm = _TOTAL.search(text, cm.end())
        if tm:
            count.total = _amount(tm.group(1))
            if count.total is not None:
                count.total_sentence = _sentence_around(text, tm.start(), tm.end())
        out.project_counts.append(count)
    return out


def reread_perf(doc: Disclosure) -> None:
    """Read the 绩效 parts of a disclosure built or edited as a model: the numbers of the cells of
    its 绩效自评表 and the statements of its 绩效 sections."""
    for t in doc.tables:
        if t.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT):
            read_quantities(t)
    doc.perf_statements = read_perf_statements(doc)
