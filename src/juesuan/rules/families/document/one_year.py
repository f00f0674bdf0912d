"""One report year (D-003): a year other than the report year that qualifies the text itself, in
a title-like line (an error), a 绩效自评表, a table's note or a sentence about the report (a
warning). Comparisons, citations, periods and the publication date are not checked."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ....model import Finding, Severity
from ...base import Rule, register
from ...context import RunContext
from .common import STRONG_ROLES, document_lines, is_perf, line_ref, quote

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
_STRICT_ROLES = STRONG_ROLES | {"table_note"}
# the end of the period a final account reports on (截至2024年12月31日，共有车辆…): the report
# year's year end, unless the clause compares with it (比上年末/较截至…增加)
_PERIOD_END = re.compile(r"截至\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
_PERIOD_COMPARE = re.compile(r"与|比|较|同比|相比|上年|上一年|去年|以前|往年")


def _stale_period_ends(text: str, year: int) -> list[int]:
    """Years of 截至…年12月31日 dates that are not the report year's year end (a template of the
    year before), outside a comparison."""
    if "截至" not in text:
        return []
    out = []
    for m in _PERIOD_END.finditer(text):
        y = int(m.group(1))
        if y == year:
            continue
        clause = re.split(r"[，。；：,;:（(]", text[: m.start()])[-1]
        after = re.split(r"[，。；,;]", text[m.end() :])[0]
        if _PERIOD_COMPARE.search(clause) or re.match(r"\s*[)）]?\s*(?:相比|比|同期|以来|起|至)", after):
            continue
        out.append(y)
    return out


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
class ReportYear(Rule):
    """One report year: a different year in the cover, the 目录, a heading, a table title or header
    (a template copied from the year before) is an error; in a 绩效自评表 (its title included), a
    table's note (注：2023年度，本部门没有…，故本表无数据) or a sentence about the report itself
    (2023年度部门决算, 2023年度本部门…) it is a warning. A period end (截至2023年12月31日，共有车辆…)
    that is not the report year's year end is an error. Comparisons (与2023年度相比, 上年, 比上年末),
    citations, other periods and the publication date (次年) are not checked.

    Wrong:
        2024 年度部门决算 … 第三部分 2023 年度部门决算情况说明
    Right:
        2024 年度部门决算 … 第三部分 2024 年度部门决算情况说明
    """

    id = "D-003"
    title = "报告年度前后一致"
    family = "D"
    also = (Severity.WARNING,)  # another year in a heading that is no title, or in running text

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        year = doc.metadata.year
        if not year:
            return
        for line in document_lines(ctx):
            ends = _stale_period_ends(line.text, year) if not is_perf(doc, line) else []
            if ends:
                shown = "、".join(str(y) for y in dict.fromkeys(ends))
                yield self.finding(
                    f"期末日期不是报告年度的年末：“截至{shown}年12月31日”（报告年度为 {year} 年）：“{quote(line.text)}”",
                    [line_ref(doc, line)],
                    severity=Severity.ERROR,
                    expected=f"截至{year}年12月31日",
                    found=f"截至{shown}年12月31日",
                )
            strong = line.role in STRONG_ROLES and not is_perf(doc, line)
            perf = is_perf(doc, line)
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
