"""One report year (D-003): a year other than the report year that qualifies the text itself, in
a title-like line (an error), a 绩效自评表, a table's note or a sentence about the report (a
warning). Comparisons, citations, periods and the publication date are not checked.

A budget is written before its year, about its year, and compares it with the year before in
every section: 比2017年预算增加, a column 2017年预算数, the 2016 决算 it was built on, the vehicles
it holds 截至2017年12月31日, what changed in 2017 (2017年7月起由社保中心发放). So in a budget a
figure of an earlier year (YYYY年预算数 / 决算数) is a comparison, a period end may be the year
before's (or the budget year's: a deadline), and running text is judged only where it names the
report itself (2017年度部门预算 in the 2018 budget: a template of the year before)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ....model import ALL_KINDS, Disclosure, Finding, Severity
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
_BUDGET_TITLE_WORDS = re.compile(r"(?:部门|单位)预算|表|部门概况|情况说明|名词解释|目录|绩效")
# a sentence about the report itself: 2023年度部门决算…, 2023年度，本部门没有… (the year the
# department's own figures belong to)
_REPORT_CLAUSE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年度?\s*(?:(?:部门|单位)?\s*决算|[，,]?\s*(?:本|我)(?:部门|单位))"
)
# the same in a budget: 2017年度部门预算 (not 2017年预算数, a comparison, nor 2017年，本部门…, which
# tells what happened the year before)
_BUDGET_REPORT_CLAUSE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年度?\s*(?:部门|单位)\s*预算(?![数额]|执行|调整|金额|完成|批复|资金)"
)
# a figure of an earlier year in a budget (2017年预算数, 2016年度决算数, 2017年执行数): a comparison
_EARLIER_FIGURE = re.compile(
    r"\s*度?\s*(?:部门|单位)?\s*(?:预算|决算|执行|实际|调整后预算)\s*(?:数|额|金额|执行数)"
)
_STRICT_ROLES = STRONG_ROLES | {"table_note"}
# the end of the period a final account reports on (截至2024年12月31日，共有车辆…): the report
# year's year end, unless the clause compares with it (比上年末/较截至…增加)
_PERIOD_END = re.compile(r"截至\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
_PERIOD_COMPARE = re.compile(r"与|比|较|同比|相比|上年|上一年|去年|以前|往年")


def _stale_period_ends(text: str, year: int, *, budget: bool = False) -> list[int]:
    """Years of 截至…年12月31日 dates that are not the report year's year end (a template of the
    year before), outside a comparison. A budget states what it holds at the end of the year
    before (截至2017年12月31日 in the 2018 budget) and may set a deadline in its year or later: only
    an earlier year end is stale there."""
    if "截至" not in text:
        return []
    out = []
    for m in _PERIOD_END.finditer(text):
        y = int(m.group(1))
        if y == year or (budget and y >= year - 1):
            continue
        clause = re.split(r"[，。；：,;:（(]", text[: m.start()])[-1]
        after = re.split(r"[，。；,;]", text[m.end() :])[0]
        if _PERIOD_COMPARE.search(clause) or re.match(r"\s*[)）]?\s*(?:相比|比|同期|以来|起|至)", after):
            continue
        out.append(y)
    return out


def _stale_years(text: str, year: int, *, strict: bool, budget: bool = False) -> list[int]:
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
        # publication date (2025 年 8 月 25 日; a budget is approved and published in its year or
        # at the end of the year before)
        if (y == year + 1 or (budget and y == year - 1)) and re.match(r"\s*\d{1,2}\s*月", clean[m.end() :]):
            continue
        if budget and y < year and _EARLIER_FIGURE.match(clean, m.end()):
            continue  # 2017年预算数, 2016年决算数: the figures a budget compares with
        before = clean[max(0, m.start() - 12) : m.start()]
        clause = re.split(r"[，。；：,;:]", before)[-1]
        if (
            _COMPARE.search(clause)
            or _PERIOD_BEFORE.search(clause)
            or re.match(r"\s*(?:相比|比|同期|以来|起|至|—|-)", clean[m.end() :])
        ):
            continue
        if not strict and not (_BUDGET_REPORT_CLAUSE if budget else _REPORT_CLAUSE).match(clean[m.start() :]):
            continue
        out.append(y)
    return out


def _is_budget(doc: Disclosure) -> bool:
    return doc.metadata.kind is not None and doc.metadata.kind.is_budget


@register
class ReportYear(Rule):
    """One report year: a different year in the cover, the 目录, a heading, a table title or header
    (a template copied from the year before) is an error; in a 绩效自评表 (its title included), a
    table's note (注：2023年度，本部门没有…，故本表无数据) or a sentence about the report itself
    (2023年度部门决算, 2023年度本部门…) it is a warning. A period end (截至2023年12月31日，共有车辆…)
    that is not the report year's year end is an error. Comparisons (与2023年度相比, 上年, 比上年末),
    citations, other periods and the publication date (次年) are not checked.

    In a budget the year before is the year of comparison everywhere: a figure of an earlier year
    (2017年预算数 in a header, 2016年决算数), 截至2017年12月31日 in the 2018 budget and what happened
    in 2017 are not checked; a title naming another year (2017年部门预算情况说明) is an error, a
    sentence naming the report with another year (现将2017年度部门预算公开如下) a warning.

    Wrong:
        2024 年度部门决算 … 第三部分 2023 年度部门决算情况说明
    Right:
        2024 年度部门决算 … 第三部分 2024 年度部门决算情况说明
    """

    id = "D-003"
    title = "报告年度前后一致"
    family = "D"
    also = (Severity.WARNING,)  # another year in a heading that is no title, or in running text
    kinds = ALL_KINDS  # a budget's years are read as a budget's (see above)

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        year = doc.metadata.year
        if not year:
            return
        budget = _is_budget(doc)
        title_words = _BUDGET_TITLE_WORDS if budget else _TITLE_WORDS
        for line in document_lines(ctx):
            ends = _stale_period_ends(line.text, year, budget=budget) if not is_perf(doc, line) else []
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
            years = _stale_years(line.text, year, strict=strict, budget=budget)
            if not years:
                continue
            shown = "、".join(str(y) for y in dict.fromkeys(years))
            where = "绩效自评表中" if perf else ("标题/表头中" if strong else "")
            # a title of the report, a part or a table carries the report year; another heading
            # (二、2023年度审计整改情况) may name another year on purpose
            titled = strong and bool(title_words.search(line.text))
            yield self.finding(
                f"{where}出现非报告年度的年份 {shown} 年（报告年度为 {year} 年）：“{quote(line.text)}”",
                [line_ref(doc, line)],
                severity=Severity.ERROR if titled else Severity.WARNING,
                expected=str(year),
                found=shown,
            )
