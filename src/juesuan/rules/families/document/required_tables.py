"""The tables, parts and matters a disclosure must hold (D-006): the national list of 决算 tables
(an empty 07/08 table is kept with its note, not left out), the four parts, and the matters the
情况说明 explains even without a table."""

from __future__ import annotations

from collections.abc import Iterator

from ....ingest.text_lines import norm
from ....model import TABLE_NAMES, Finding, Ref, Severity, TableKind
from ...base import Rule, register
from ...context import RunContext
from .common import effective_kind

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
class RequiredTables(Rule):
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
        if len(kinds & set(NATIONAL_TABLES)) < 3 or doc.metadata.is_template:
            return  # not a disclosure the reader could structure: family R reports that
        missing = [k for k in NATIONAL_TABLES if k not in kinds]
        if missing:
            names = "、".join(f"《{TABLE_NAMES[k]}》" for k in missing)
            yield self.finding(
                f"缺少必备的决算公开表：{names}",
                [Ref(text=doc.metadata.title or doc.metadata.department or "全文")],
                expected=names,
            )
        headings = [norm(s.heading) for s in doc.walk_sections() if s.level <= 1] + [
            norm(e.text) for e in doc.toc
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
