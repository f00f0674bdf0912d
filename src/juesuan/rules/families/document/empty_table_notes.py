"""Empty tables say why they are empty (D-007): an empty 07, 08, 09, 10 or 11 table keeps its
format and carries a note (本部门没有…，故本表无数据); a note saying “no data” under a table that
has amounts is an error."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ....ingest.text_lines import norm
from ....model import ALL_KINDS, Disclosure, Finding, Ref, Severity, Table, TableKind
from ....tables.regions import combined
from ...base import Rule, register
from ...context import RunContext
from .common import Line, quote, table_name

EMPTY_SAYS = re.compile(
    r"无数据|空表|没有|未发生|无(?:\d{4}年度?)?(?:政府性基金|国有资本经营|“?三公”?|机关运行|政府采购)|不涉及|无相关"
    r"|无该项"  # 注：本部门无该项目
)
_NOTE_KINDS = [TableKind.T07, TableKind.T08, TableKind.T09, TableKind.T10, TableKind.T11]
# the budget's tables of the same subjects (政府性基金, 国有资本经营, 三公, 机关运行经费, 政府采购)
_NOTE_KINDS += [TableKind.B07, TableKind.B08, TableKind.B09, TableKind.B10, TableKind.B11]


_SUBJECT = {
    TableKind.T07: "政府性基金",
    TableKind.T08: "国有资本经营",
    TableKind.T09: "三公",
    TableKind.T10: "机关运行经费",
    TableKind.T11: "政府采购",
    TableKind.B07: "政府性基金",
    TableKind.B08: "国有资本经营",
    TableKind.B09: "三公",
    TableKind.B10: "机关运行经费",
    TableKind.B11: "政府采购",
}


def _page_notes(doc: Disclosure, t: Table) -> list[Line]:
    """Lines printed on the table's page that say it is empty and name its subject: a note the
    reader did not attach to the table (说明：…本年度没有政府性基金…，故本表无数据), also in the
    cover part or run into another table's caption line (…政府性基金预算财政拨款支出预算表注：本部门
    无相关收支项目)."""
    page = t.loc.page if t.loc else None
    if page is None:
        return []
    out = []
    for ln in doc.text_lines():
        if ln.role not in ("cover", "paragraph", "table_header", "table_note"):
            continue
        if ln.loc and ln.loc.page == page and _SUBJECT[t.kind] in ln.text and _says_empty(ln.text):
            out.append(Line(ln.text, ln.role, ln.loc, None))
    return out


def _says_empty(text: str) -> bool:
    t = norm(text)
    if "仍保留该表格式" in t or "作下述说明" in t:  # the template's instruction, not the note
        return False
    return bool(EMPTY_SAYS.search(t))


@register
class EmptyTableNote(Rule):
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
    kinds = ALL_KINDS  # a budget's empty table needs its note as a 决算's does
    family = "D"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        for t in doc.tables:
            if t.kind not in _NOTE_KINDS:
                continue
            notes = [n for n in t.notes if _says_empty(n.text)]
            if t.kind is TableKind.T09:  # 相关统计数 notes may sit on the T09S table
                notes += [n for s in doc.tables_of(TableKind.T09S) for n in s.notes if _says_empty(n.text)]
            if t.is_empty and combined(t.title):
                continue  # its 机关运行经费 line was read as a table of its own: not judged empty
            if t.is_empty and not notes and not _page_notes(doc, t):
                yield self.finding(
                    f"{table_name(t)}为空表，但表下没有“本表无数据”之类的说明", [ctx.table_ref(t)]
                )
            elif not t.is_empty and notes:
                n = notes[0]
                yield self.finding(
                    f"{table_name(t)}有数据，但表下说明称无数据：“{quote(n.text)}”",
                    [
                        ctx.table_ref(t),
                        Ref(text=n.text, loc=n.loc, table=t.kind, table_index=ctx.table_index(t)),
                    ],
                    severity=Severity.ERROR,
                )
