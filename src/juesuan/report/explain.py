"""``juesuan explain``: every numeric sentence of the narrative, its claims, what each claim is
bound to and the verdict of every check, how completely each table was read, and everything the
check left unchecked with the reason — so a reviewer sees what was and was not checked.

The claims and their cells are the reader's (``Disclosure.claims``); the verdicts are the N rules'
check functions' (``rules/families/narrative/verdicts.py``), passed ones too."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from .. import ingest
from ..model import Claim, ClaimKind, Disclosure, Location, Metadata, Severity, Table, TableKind, Unchecked
from ..rules import check_disclosure
from ..rules.context import RunContext
from ..rules.families.narrative.common import binding_ref
from ..rules.families.narrative.verdicts import Check, claim_verdicts, list_checks, share_list_checks
from ..tables.schema import column_label

KIND_NAMES = {
    ClaimKind.AMOUNT: "金额",
    ClaimKind.SHARE: "占比",
    ClaimKind.CHANGE: "增减变化",
    ClaimKind.COMPLETION: "预算完成",
    ClaimKind.DIRECTION: "大于/小于",
    ClaimKind.COUNT: "数量",
    ClaimKind.EMPTY_TABLE: "空表说明",
    ClaimKind.OTHER: "其他数字",
}
HOW_NAMES = {
    "explicit": "点名所指的金额",
    "previous_sentence": "上一句所述的金额",
    "inherited": "承接前文（不确定）",
}
ROLE_NAMES = {None: "", "value": "", "actual": "决算数", "budget": "预算数", "part": "部分", "total": "总数", "last": "上年数"}


class CellView(BaseModel):
    role: str = ""
    table: str
    table_index: int
    row: str
    column: str
    value: Decimal | None = None
    text: str | None = None
    loc: Location | None = None


class CheckView(BaseModel):
    rule: str
    mark: str  # ✓ ≈ ✗ ○ (not judged: ``unchecked`` says why)
    severity: str | None = None
    message: str
    arithmetic: str | None = None
    unchecked: str | None = None


class ClaimView(BaseModel):
    kind: str
    kind_zh: str
    label: str = ""
    quantity: str = ""
    text: str = ""  # the words of the sentence the claim stands on
    value: Decimal | None = None
    unit: str = ""
    attrs: dict[str, Decimal | str | int | None] = Field(default_factory=dict)
    # how the reader found what the claim is about (``BindingHow``) and among how many amounts
    how: str | None = None
    candidates: int = 0
    cells: list[CellView] = Field(default_factory=list)
    unbound_reason: str | None = None
    checks: list[CheckView] = Field(default_factory=list)

    @property
    def verdict(self) -> str:
        """✗ when a check failed, ≈ when only information, ✓ when checked and right, ○ unchecked."""
        marks = {c.mark for c in self.checks}
        for m in ("✗", "≈", "✓"):
            if m in marks:
                return m
        return "○"


class SentenceView(BaseModel):
    section: str | None = None
    sentence: str
    loc: Location | None = None
    claims: list[ClaimView] = Field(default_factory=list)


class TableView(BaseModel):
    """How completely one table was read (``Table.reading``), in the table's own column names."""

    table_index: int
    title: str
    kind: str
    layout: str = ""
    loc: Location | None = None
    by_header: list[str] = Field(default_factory=list)
    by_position: list[str] = Field(default_factory=list)
    unmapped: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    rows_unread: list[str] = Field(default_factory=list)
    rows_unlabelled: int = 0
    # places whose digits ran across a cell border and were not placed for certain
    cells_uncertain: list[str] = Field(default_factory=list)
    complete: bool = True


class Explanation(BaseModel):
    path: str | None = None
    metadata: Metadata | None = None
    sentences: list[SentenceView] = Field(default_factory=list)
    tables: list[TableView] = Field(default_factory=list)
    # what the check left unchecked, with the reason (as in ``check --format json``)
    unchecked: list[Unchecked] = Field(default_factory=list)

    def unbound_reasons(self) -> list[tuple[str, int]]:
        """Why claims were not bound, most frequent first (“未能确定…” grouped as one reason)."""
        cnt: Counter[str] = Counter()
        for s in self.sentences:
            for c in s.claims:
                if c.unbound_reason:
                    r = c.unbound_reason
                    cnt["未能确定所述的表格数量" if r.startswith("未能确定") else r] += 1
        return cnt.most_common()

    def counts(self) -> dict[str, int]:
        claims = [c for s in self.sentences for c in s.claims]
        return {
            "sentences": len(self.sentences),
            "claims": len(claims),
            "bound": sum(1 for c in claims if c.unbound_reason is None),
            "unbound": sum(1 for c in claims if c.unbound_reason is not None),
            "ok": sum(1 for c in claims if c.verdict == "✓"),
            "rounding": sum(1 for c in claims if c.verdict == "≈"),
            "wrong": sum(1 for c in claims if c.verdict == "✗"),
            "unchecked": sum(1 for c in claims if c.verdict == "○"),
        }


def _claim_view(ctx: RunContext, c: Claim, extra: list[Check]) -> ClaimView:
    doc = ctx.doc
    cells = []
    for b in c.bindings:
        if b.row == "*":
            tab = doc.tables[b.table_index]
            cells.append(CellView(role="整表", table=tab.name, table_index=b.table_index, row="", column=""))
            continue
        r = binding_ref(ctx, b)
        if r is None:
            continue
        cells.append(CellView(role=ROLE_NAMES.get(b.role, b.role or ""), table=r.table_title or "", table_index=b.table_index,
                              row=r.row_label or b.row, column=r.column_label or b.column, value=r.value, text=r.text, loc=r.loc))  # fmt: skip
    checks = [*claim_verdicts(ctx, c), *extra]
    views = []
    for x in checks:
        # a contradiction resting on a cell not read for certain is not reported (RunContext.doubt)
        doubt = ctx.doubt(x.refs) if x.unchecked is None and x.severity in _ACCUSING else None
        views.append(CheckView(rule=x.rule, mark="○" if doubt else x.mark,
                               severity=x.severity.value if x.severity and not doubt else None, message=x.message,
                               arithmetic=x.arithmetic, unchecked=doubt or x.unchecked))  # fmt: skip
    attrs = {k: v for k, v in c.attrs.items() if k not in ("ctx", "list", "list_part", "current_from_text", "seen_rate")}
    return ClaimView(kind=c.kind.value, kind_zh=KIND_NAMES.get(c.kind, c.kind.value), label=c.label, quantity=c.quantity,
                     text=c.sentence[c.span[0]:c.span[1]], value=c.value, unit=c.unit, attrs=attrs,
                     how=c.how.value if c.how else None, candidates=c.candidates, cells=cells,
                     unbound_reason=c.unbound_reason, checks=views)  # fmt: skip


_ACCUSING = (Severity.ERROR, Severity.WARNING)


def _table_view(i: int, t: Table) -> TableView:
    r = t.reading
    title = t.title or ("无标题表格" if t.kind is TableKind.OTHER else t.name)
    return TableView(table_index=i, title=title, kind=t.kind.value, layout=r.layout, loc=t.loc,
                     by_header=[t.column_label(k) for k in r.by_header],
                     by_position=[column_label(t.kind, k) for k in r.by_position], unmapped=list(r.unmapped),
                     missing=[column_label(t.kind, k) for k in r.missing], rows_unread=list(r.rows_unread),
                     rows_unlabelled=r.rows_unlabelled,
                     cells_uncertain=[f"“{u.row_label or u.row}”" + (f"[{u.column_label or u.column}]" if u.column else "行")
                                      for u in r.cells_uncertain],
                     complete=r.complete and t.kind is not TableKind.OTHER)  # fmt: skip


def explain_document(doc: Disclosure, path: str | None = None) -> Explanation:
    """The explanation of a disclosure: its claims as read (``doc.claims``) with every verdict, the
    reading of every table and what the check left unchecked."""
    ctx = RunContext(doc)
    extra: dict[int, list[Check]] = {}
    first_of_list: dict[str, int] = {}
    for i, c in enumerate(doc.claims):
        if c.kind is ClaimKind.SHARE and c.attrs.get("list"):
            first_of_list.setdefault(str(c.attrs["list"]), i)
    for chk in share_list_checks(ctx):
        # attach the list check to the first share of its list (matched by the quoted sentence)
        for key, i in first_of_list.items():
            if doc.claims[i].sentence == (chk.refs[0].text if chk.refs else None):
                extra.setdefault(i, []).append(chk)
                first_of_list.pop(key)
                break
    position = {id(c): i for i, c in enumerate(doc.claims)}
    for anchor, chk in list_checks(ctx):  # parts against their total, shares of one list
        at = position.get(id(anchor))
        if at is not None:
            extra.setdefault(at, []).append(chk)
    out = Explanation(
        path=path,
        metadata=doc.metadata,
        tables=[_table_view(i, t) for i, t in enumerate(doc.tables)],
        unchecked=check_disclosure(doc).unchecked,
    )
    current: SentenceView | None = None
    for i, c in enumerate(doc.claims):
        if current is None or current.sentence != c.sentence or current.loc != c.loc:
            current = SentenceView(section=c.section, sentence=c.sentence, loc=c.loc)
            out.sentences.append(current)
        current.claims.append(_claim_view(ctx, c, extra.get(i, [])))
    return out


def explain_path(path: str | Path) -> Explanation:
    """Read a file and explain its narrative (``juesuan explain``). Raises
    :class:`~juesuan.ingest.InputError` for a file that cannot be read."""
    doc = ingest.read(path)
    return explain_document(doc, str(path))


# --- rendering --------------------------------------------------------------------------------
_STYLE = {"✓": "green", "≈": "yellow", "✗": "bold red", "○": "dim"}


def _v(v: Decimal | None) -> str:
    if v is None:
        return "空"
    return f"{v:,f}"


def render_text(ex: Explanation, console: object) -> None:
    """Write the explanation to a rich console."""
    from rich.console import Console
    from rich.markup import escape

    assert isinstance(console, Console)
    title = ex.path or (ex.metadata.title if ex.metadata else "") or "文件"
    console.print(f"[bold]{escape(str(title))}[/bold]：情况说明中含数字的句子及其核对")
    section = None
    for s in ex.sentences:
        if s.section != section:
            section = s.section
            console.print(f"\n[bold cyan]【{escape(section or '（无标题）')}】[/bold cyan]")
        where = s.loc.describe() if s.loc else "位置未知"
        console.print(f"  [dim]{escape(where)}[/dim] “{escape(s.sentence.strip())}”")
        for c in s.claims:
            mark = c.verdict
            head = f"{c.kind_zh}"
            if c.label:
                head += f" {c.label}"
            val = f" {c.text}" if c.text and c.text != c.label else ""
            console.print(f"    [{_STYLE[mark]}]{mark}[/{_STYLE[mark]}] {escape(head)}[dim]{escape(val)}[/dim]")
            for cell in c.cells:
                role = f"{cell.role}：" if cell.role else ""
                place = f"“{cell.row}”[{cell.column}]" if cell.row else ""
                console.print(f"        → {escape(role)}《{escape(cell.table)}》{escape(place)} {escape(_v(cell.value) if cell.row else '')}")
            if c.unbound_reason:
                console.print(f"        [dim]未绑定：{escape(c.unbound_reason)}[/dim]")
            if c.how and c.how != "same_clause":
                console.print(f"        [dim]所述：{escape(HOW_NAMES.get(c.how, c.how))}"
                              f"{escape(f'（{c.candidates} 个可能所指的金额）' if c.candidates > 1 else '')}[/dim]")
            for x in c.checks:
                st = _STYLE[x.mark]
                rule = f"{x.rule} " if x.mark != "✓" else ""
                text = f"{x.message}：{x.unchecked}" if x.unchecked else x.message
                console.print(f"        [{st}]{x.mark}[/{st}] {escape(rule + text)}")
                if x.arithmetic and x.mark != "✓":
                    console.print(f"          [dim]算式：{escape(x.arithmetic)}[/dim]")
                elif x.arithmetic:
                    console.print(f"          [dim]{escape(x.arithmetic)}[/dim]")
    n = ex.counts()
    console.print(
        f"\n共 {n['sentences']} 个含数字的句子、{n['claims']} 项陈述：已绑定 {n['bound']} 项，未绑定 {n['unbound']} 项；"
        f"核对正确 {n['ok']} 项，尾数/截尾 {n['rounding']} 项，有误 {n['wrong']} 项，未核对 {n['unchecked']} 项。"
    )
    reasons = ex.unbound_reasons()
    if reasons:
        console.print("未绑定的原因：")
        for reason, k in reasons:
            console.print(f"  {k:4} 项  {escape(reason)}")
    _render_reading(ex, console)


def _render_reading(ex: Explanation, console: Any) -> None:
    """How each table was read (the ones not read completely, one line each) and everything left
    unchecked with the reason."""
    from rich.markup import escape

    if ex.tables:
        console.print("\n[bold]表格读取：[/bold]")
        for t in ex.tables:
            if t.complete:
                continue
            where = f"（{t.loc.describe()}）" if t.loc and t.loc.describe() else ""
            if t.kind == TableKind.OTHER.value:
                console.print(f"  《{escape(t.title)}》{escape(where)}：未识别的表格，未核对")
                continue
            parts = [f"按表头读取 {'、'.join(t.by_header)}" if t.by_header else "",
                     f"按位置推定 {'、'.join(t.by_position)}" if t.by_position else "",
                     f"未读取的列 {'、'.join(t.unmapped)}" if t.unmapped else "",
                     f"缺少 {'、'.join(t.missing)}" if t.missing else "",
                     f"未读取的行 {'、'.join(t.rows_unread)}" if t.rows_unread else "",
                     f"无科目代码和名称的行 {t.rows_unlabelled} 行" if t.rows_unlabelled else "",
                     f"读数不确定（数字越出单元格边框） {'、'.join(t.cells_uncertain)}" if t.cells_uncertain else ""]  # fmt: skip
            console.print(f"  《{escape(t.title)}》{escape(where)}：{escape('；'.join(p for p in parts if p))}")
        done = sum(1 for t in ex.tables if t.complete)
        console.print(f"  {'其余' if done < len(ex.tables) else '全部'} {done} 张表各列均按表头读取，各行均已读取")
    places = [u for u in ex.unchecked if not u.rules]
    for u in ex.unchecked:
        if u.rules:
            console.print(f"\n{escape(u.reason)}")
    if places:
        console.print(f"\n[bold]未核对（{len(places)} 处）：[/bold]")
        for u in places:
            text = u.reason if u.what in u.reason else f"{u.what}：{u.reason}"
            console.print(f"  ○ {escape(u.rule_id or '')} {escape(text)}")
    else:
        console.print("\n没有因读取不确定而未核对的内容。")
