"""K-003: a 科目 the text names with a level word (住房改革支出（类）) is named at its own level.

The level comes from the 科目 dictionaries (``tables.subjects``): from the code when one is
printed before the name and the dictionary gives that code this name, else from the name alone
when the dictionaries know it at one level only. The names of one classification are sometimes
the names of the other at another level (住房公积金 is a 功能分类 项 and an 经济分类 款; 提租补贴 was
an 经济分类 款 in the charts before 2018), and the dictionary of the report year does not hold
every earlier name, so a name alone is judged only where no chart can give it the level printed:
a 功能分类 项 name called a 款 might be an 经济分类 款, and an 经济分类 款 name called a 项 a
功能分类 项 of another year; those are recorded as not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from ....ingest.narrative.quantities import PARENTS_DIFFER, SubjectMark, norm, subject_marks
from ....model import ALL_KINDS, Finding, Severity
from ....tables.subjects import kind_of_code, level_key, level_of, lookup, name_levels
from ...base import Rule, register
from ...context import RunContext
from ..document.common import Line, document_lines, line_ref, quote
from ..narrative.subjects import N010SubjectNames

_NARRATIVE_ROLES = ("paragraph", "heading")
_CLASSIFICATION = {"function": "支出功能分类", "economic": "部门支出经济分类"}
# (level printed, level of the name in the dictionary) pairs a chart of another year or the other
# classification could make right: not judged from the name alone
_OTHER_CHART = {("款", "项"), ("项", "款")}


def _parents_differ(problem: object) -> bool:
    """The reader found the upper names of a 类/款/项 path not to be the tables' (what N-010 says)."""
    return isinstance(problem, str) and PARENTS_DIFFER in problem


def _by_code(mark: SubjectMark, year: int | None) -> tuple[str, str, str] | None:
    """(classification, level, official name) of the code printed before the name, when the
    dictionary gives that code this very name; None otherwise (an unknown code, or one whose name
    differs: then the reading of which 科目 is meant is not certain)."""
    if mark.code is None:
        return None
    kind = kind_of_code(mark.code)
    lvl = level_of(mark.code)
    entry = lookup(kind, mark.code, year) if kind else None
    if kind is None or lvl is None or entry is None or not entry.certain:
        return None
    if level_key(mark.name) not in {level_key(n) for n in (entry.name, *entry.aliases)}:
        return None
    return kind, lvl, entry.name


@register
class SubjectLevel(Rule):
    """A 科目 named with a level word in the text is named at its level in the 科目 chart: a 款
    called a 类, a 类 called a 款, a 项 called a 款. Judged only where the reading is certain: the
    level word is printed right after the name, and either the code printed before the name has
    that name in the dictionary, or the dictionaries know the name at one level only (and no chart
    of another year or the other classification could give it the level printed).

    Wrong:
        1．住房改革支出（类）住房公积金（项）572.56万元（住房改革支出 22102 是款）
    Right:
        1．住房改革支出（款）住房公积金（项）572.56万元
    """

    id = "K-003"
    title = "科目级次称谓与科目表一致"
    family = "K"
    severity = Severity.WARNING
    kinds = ALL_KINDS  # a 类 is a 类 in a budget as in final accounts

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        year = doc.metadata.year
        levels = name_levels(year)
        # a path whose names do not fit the tables' (N-010, where it runs) is that rule's finding:
        # 住房保障支出（类）住房保障支出（款）住房公积金（项） is one wrong path, not also a wrong level
        told = (
            {norm(c.label) for c in doc.claims if _parents_differ(c.attrs.get("subject_problem"))}
            if N010SubjectNames.applies_to(doc.metadata.kind)
            else set()
        )
        for line in document_lines(ctx):
            if line.role not in _NARRATIVE_ROLES or ("（" not in line.text and "(" not in line.text):
                continue
            for mark in subject_marks(line.text):
                if told and any(mark.text in path and path in norm(line.text) for path in told):
                    continue
                coded = _by_code(mark, year)
                if coded is not None:
                    kind, lvl, name = coded
                    if lvl != mark.level:
                        yield self._finding(ctx, line, mark, f"{mark.code} {name}", kind, lvl)
                    continue
                known = levels.get(level_key(mark.name))
                if known is None or not known.certain or len(known.levels) != 1:
                    continue  # a name the dictionaries do not know, or know at two levels
                ((kind, lvl),) = known.levels
                if lvl == mark.level:
                    continue
                if (mark.level, lvl) in _OTHER_CHART:
                    ctx.not_checked(
                        self.id,
                        f"科目级次：“{mark.text}”",
                        f"“{mark.name}”在{_CLASSIFICATION[kind]}中是{lvl}级科目，但另一分类或其他年度的科目表中"
                        f"可能有同名的{mark.level}级科目，未核对",
                        [line_ref(doc, line, mark.text)],
                    )
                    continue
                yield self._finding(ctx, line, mark, mark.name, kind, lvl)

    def _finding(
        self, ctx: RunContext, line: Line, mark: SubjectMark, name: str, kind: str, lvl: str
    ) -> Finding:
        return self.finding(
            f"科目级次标错：“{mark.text}”，{_CLASSIFICATION[kind]}中“{name}”是{lvl}级科目，"
            f"不是{mark.level}级：“{quote(line.text)}”",
            [line_ref(ctx.doc, line, mark.text)],
            expected=f"{mark.name}（{lvl}）",
            found=mark.text,
        )
