"""Assemble the whole composed disclosure: cover, 目录, four parts, tables, claims, trace."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pydantic import BaseModel, Field

from ..ingest.document_parts import read_document_parts
from ..ingest.narrative import attach_claims
from ..ingest.narrative.sentences import make_paragraph
from ..ingest.perf_statements import reread_perf
from ..model import (
    AmountUnit,
    Cell,
    Column,
    Disclosure,
    DisclosureKind,
    Finding,
    Metadata,
    Paragraph,
    Row,
    Section,
    Severity,
    Table,
    TableKind,
    TextItem,
    TocEntry,
)
from ..tables import schema
from .facts import Facts, PerfProject, load_facts
from .layout import NUMBERED_KINDS, T09S_ORDER, TITLES, fmt_amount, number_of
from .narrative import Narrator, SentenceTrace, fmt_pct, pct
from .subjects import cn_num

EMPTY_NOTES = {
    TableKind.T07: "注：{y}年度，本部门没有发生政府性基金预算财政拨款收入支出，故本表无数据。",
    TableKind.T08: "注：{y}年度，本部门没有发生国有资本经营预算财政拨款收入支出，故本表无数据。",
    TableKind.T09: "注：{y}年度，本部门没有发生财政拨款“三公”经费支出，故本表无数据。",
    TableKind.T10: "注：{y}年度，本部门没有机关运行经费支出，故本表无数据。",
    TableKind.T11: "注：{y}年度，本部门没有发生政府采购支出，故本表无数据。",
}
TABLE_NOTES = {
    TableKind.T01: "注：本套报表金额单位转换时可能存在尾数误差。",
    TableKind.T09: "注：预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
}

GLOSSARY = [
    ("财政拨款收入", "指单位从同级财政部门取得的财政预算资金，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。"),
    ("上级补助收入", "指事业单位从主管部门和上级单位取得的非财政补助收入。"),
    ("事业收入", "指事业单位开展专业业务活动及其辅助活动取得的收入。"),
    ("经营收入", "指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。"),
    ("其他收入", "指单位取得的除上述收入以外的各项收入。"),
    ("年初结转和结余", "指单位以前年度尚未完成、结转到本年按有关规定继续使用的资金，以及项目已完成等产生的结余资金。"),
    ("结余分配", "指事业单位按规定缴纳的所得税、提取的专用结余以及转入非财政拨款结余的金额等。"),
    ("年末结转和结余", "指单位按有关规定结转到下年或以后年度继续使用的资金，以及项目已完成等产生的结余资金。"),
    ("基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费支出。"),
    ("项目支出", "指在基本支出之外为完成特定行政任务或事业发展目标所发生的支出。"),
    ("“三公”经费", "指部门用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。"),
    ("机关运行经费", "指为保障行政单位（含参照公务员法管理的事业单位）运行，用于购买货物和服务的各项公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。"),
]


class ComposeResult(BaseModel):
    """The composed disclosure, where each sentence's numbers come from, and the check run on it."""

    disclosure: Disclosure
    trace: list[SentenceTrace] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


class ComposeRefused(Exception):
    """The input data breaks identities; ``str()`` is the Chinese list of problems."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        lines = [f"输入数据有 {len(findings)} 处勾稽关系错误，未生成文件（确认无误后可加 --force 强制生成）："]
        for i, f in enumerate(findings, 1):
            where = "；".join(r.describe() for r in f.locations[:3])
            lines.append(f"{i}. [{f.rule_id}] {f.message}" + (f"（{where}）" if where else ""))
        super().__init__("\n".join(lines))


def _amount_cell(v: Decimal | None, blank_zero: bool = False) -> Cell:
    if v is None or (blank_zero and v == 0):
        return Cell(raw="", value=None)
    q = v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Cell(raw=fmt_amount(q), value=q)


def sangong_stats_table(facts: Facts, department: str) -> Table:
    s = facts.sangong
    rows = []
    for k1, l1, k2, l2 in T09S_ORDER:
        for k, lab in ((k1, l1), (k2, l2)):
            v = getattr(s, k)
            rows.append(Row(key=k, label=lab, cells={"value": Cell(raw=str(v), value=Decimal(v))}))
    return Table(kind=TableKind.T09S, title=TITLES[TableKind.T09S], department=department, rows=rows,
                 columns=[Column(key="value", label="数量")], decimals=0)  # fmt: skip


def perf_table(p: PerfProject, facts: Facts) -> Table:
    def d(v: Decimal | None, places: int = 2) -> Cell:
        if v is None:
            return Cell(raw="", value=None)
        q = v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return Cell(raw=f"{q:f}", value=q)

    rate = pct(p.actual_year, p.budget_year, 2) if p.budget_year else None
    exec_score = p.exec_score
    if exec_score is None:
        exec_score = (p.exec_weight * min(rate, Decimal(100)) / 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if rate is not None else p.exec_weight
        exec_score = exec_score.normalize() if exec_score == exec_score.to_integral() else exec_score
    total_weight = p.exec_weight + sum((i.weight for i in p.indicators), Decimal(0))
    total_score = exec_score + sum((i.score for i in p.indicators), Decimal(0))
    fields = {
        "project_name": Cell(raw=p.name),
        "department": Cell(raw=facts.department),
        "unit": Cell(raw=p.unit or facts.department),
        "budget_begin": d(p.budget_begin),
        "budget_year": d(p.budget_year),
        "actual_year": d(p.actual_year),
        "exec_rate": Cell(raw=fmt_pct(rate) if rate is not None else "", value=rate),
        "exec_weight": Cell(raw=f"{p.exec_weight:f}", value=p.exec_weight),
        "exec_score": Cell(raw=f"{exec_score:f}", value=exec_score),
        "total_weight": Cell(raw=f"{total_weight:f}", value=total_weight),
        "total_score": Cell(raw=f"{total_score:f}", value=total_score),
        "goal": Cell(raw=p.goal),
        "result": Cell(raw=p.result),
    }
    rows = []
    for i, ind in enumerate(p.indicators, 1):
        rows.append(Row(key=f"ind:{i}", label=ind.level3, cells={
            "level1": Cell(raw=ind.level1), "level2": Cell(raw=ind.level2), "level3": Cell(raw=ind.level3),
            "target": Cell(raw=ind.target), "actual": Cell(raw=ind.actual),
            "weight": Cell(raw=f"{ind.weight:f}", value=ind.weight), "score": Cell(raw=f"{ind.score:f}", value=ind.score),
            "reason": Cell(raw=ind.reason),
        }))  # fmt: skip
    return Table(kind=TableKind.PERF_PROJECT, title=f"项目支出绩效自评表（{facts.year}年度）", department=facts.department,
                 fields=fields, rows=rows, columns=[Column(key=k, label=v) for k, v in schema.PERF_COLUMNS.items()])  # fmt: skip


def assemble_tables(tables: list[Table], facts: Facts) -> list[Table]:
    """Order the workbook's tables, fill department/number/unit, add notes, 相关统计数, 绩效表."""
    by_kind = {t.kind: t.model_copy(deep=True) for t in tables if t.kind in NUMBERED_KINDS}
    out: list[Table] = []
    for kind in NUMBERED_KINDS:
        t = by_kind.get(kind)
        if t is None:
            continue
        t.department = facts.department
        t.printed_number = number_of(kind)
        t.title = TITLES[kind]
        t.unit = AmountUnit.WAN_YUAN
        t.header_texts = []
        notes = [n for n in t.notes if n.text.strip() and "尾数误差" not in n.text and "无数据" not in n.text]
        if t.is_empty and kind in EMPTY_NOTES:
            notes.append(TextItem(text=EMPTY_NOTES[kind].format(y=facts.year)))
        if kind in TABLE_NOTES and not (t.is_empty and kind is TableKind.T09):
            notes.append(TextItem(text=TABLE_NOTES[kind]))
        t.notes = notes
        out.append(t)
        if kind is TableKind.T09:
            out.append(sangong_stats_table(facts, facts.department))
    for p in facts.performance:
        out.append(perf_table(p, facts))
    return out


PART2_NAMES = {k: TITLES[k] for k in NUMBERED_KINDS}


def build_disclosure(tables: list[Table], facts: Facts, pct_places: int = 2) -> tuple[Disclosure, list[SentenceTrace]]:
    y = facts.year
    dept = facts.department
    doc = Disclosure(
        metadata=Metadata(department=dept, year=y, unit=AmountUnit.WAN_YUAN, kind=DisclosureKind.DEPARTMENT,
                          title=f"{dept}{y}年度部门决算", publish_date=facts.publish_date, source_format="composed"),  # fmt: skip
        tables=assemble_tables(tables, facts),
    )
    doc.cover = [Paragraph(text=dept), Paragraph(text=f"{y}年度部门决算")]
    if facts.publish_date:
        doc.cover.append(Paragraph(text=facts.publish_date))
    # 第一部分
    p1 = Section(heading="第一部分 部门概况", level=1, number="第一部分")
    duty = Section(heading="一、部门职责", level=2, number="一")
    duty.paragraphs = [make_paragraph(t) for t in facts.duties] or [make_paragraph(f"{dept}的主要职责（未填写）。")]
    org = Section(heading="二、机构设置及决算单位构成情况", level=2, number="二")
    if facts.institutions:
        org.paragraphs.append(make_paragraph(facts.institutions))
    units = facts.units or [f"{dept}本级"]
    org.paragraphs.append(make_paragraph(
        f"纳入{dept}{y}年度部门决算编制范围的单位共{len(units)}个，包括：" + "、".join(units) + "。"))  # fmt: skip
    p1.children = [duty, org]
    # 第二部分
    p2 = Section(heading=f"第二部分 {y}年度部门决算表", level=1, number="第二部分")
    for i, kind in enumerate(NUMBERED_KINDS):
        s = Section(heading=f"{cn_num(i + 1)}、{PART2_NAMES[kind]}", level=2, number=cn_num(i + 1))
        for j, t in enumerate(doc.tables):
            if t.kind is kind or (kind is TableKind.T09 and t.kind is TableKind.T09S):
                s.table_indices.append(j)
        p2.children.append(s)
    # 第三部分
    p3 = Section(heading=f"第三部分 {y}年度部门决算情况说明", level=1, number="第三部分")
    narrator = Narrator(doc, facts, pct_places)
    p3.children = narrator.build()
    # 第四部分
    p4 = Section(heading="第四部分 名词解释", level=1, number="第四部分")
    p4.paragraphs = [make_paragraph(f"{cn_num(i + 1)}、{term}：{text}") for i, (term, text) in enumerate(GLOSSARY)]
    doc.sections = [p1, p2, p3, p4]
    doc.toc = []
    for part in doc.sections:
        doc.toc.append(TocEntry(text=part.heading, level=1))
        for c in part.children:
            doc.toc.append(TocEntry(text=c.heading, level=2))
    doc.claims = narrator.claims
    # what a reader reads from the 目录, the headings and the 绩效 parts of the written document
    # (its claims are the composer's own, a trace of what it wrote: compose() checks a copy
    # whose claims are read as a reader reads them)
    read_document_parts(doc)
    reread_perf(doc)
    return doc, narrator.trace


def compose(
    workbook: str | Path | list[Table],
    facts: str | Path | Facts,
    *,
    force: bool = False,
    pct_places: int = 2,
    check: bool = True,
) -> ComposeResult:
    """Compose the whole disclosure from the 决算报表 workbook (or tables) and the facts.

    Raises :class:`ComposeRefused` when the check finds an error-level identity break in the
    data (unless ``force``), and :class:`juesuan.ingest.InputError` for unreadable input.
    """
    f = facts if isinstance(facts, Facts) else load_facts(facts)
    if isinstance(workbook, list):
        tables = workbook
    else:
        tables = load_tables(workbook)
    doc, trace = build_disclosure(tables, f, pct_places)
    findings: list[Finding] = []
    if check:
        from ..rules import run_rules

        # The rules judge the claims a reader reads from the composed text (a copy: the
        # composer's own claims stay in the result)
        findings = run_rules(attach_claims(doc.model_copy(deep=True)))
        errors = [x for x in findings if x.severity is Severity.ERROR]
        if errors and not force:
            raise ComposeRefused(errors)
    return ComposeResult(disclosure=doc, trace=trace, findings=findings)


def load_tables(path: str | Path) -> list[Table]:
    """Tables of a 决算报表 workbook: the composer's loader for its own template layout."""
    from .workbook import read_workbook

    return read_workbook(path)
