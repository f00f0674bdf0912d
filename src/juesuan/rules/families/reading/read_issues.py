"""Family R: what the reader could not read. Readers never judge; they record a
:class:`~juesuan.model.ReadIssue` (or leave an unreadable amount with ``value is None``), and these
rules turn that into findings the user sees next to the others."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Disclosure, Finding, ReadIssue, Ref, Severity, TableKind
from ...base import Rule, register
from ...context import RunContext

# Tables whose every column holds amounts (or counts): a printed cell there must be a number.
_AMOUNT_KINDS = {
    TableKind.T01,
    TableKind.T02,
    TableKind.T03,
    TableKind.T04,
    TableKind.T05,
    TableKind.T06,
    TableKind.T07,
    TableKind.T08,
    TableKind.T09,
    TableKind.T09S,
    TableKind.T10,
    TableKind.T11,
}
_NOT_A_NUMBER_BUT_FINE = {"-", "--", "—", "——", "－", "/", "\\", "×", "x", "X"}
_TABLE_CODES = {
    "missing_column": Severity.WARNING,
    "extra_column": Severity.WARNING,
    "unrecognised_layout": Severity.WARNING,
    "unknown_row": Severity.WARNING,
    "unlabelled_row": Severity.WARNING,
    "column_layout": Severity.INFO,
}
# Read issues that are information about what the reader did, not a problem with the document.
_INFO_CODES = {"unit_converted"}


@register
class UnreadableAmount(Rule):
    """A cell of a standard table prints something that is not an amount, so no identity that
    involves it can be checked.

    Wrong:
        收入决算表 208 社会保障和就业支出 | 本年收入合计 “81２.l7”
    Right:
        收入决算表 208 社会保障和就业支出 | 本年收入合计 “812.17”
    """

    id = "R-001"
    title = "表格金额无法识别"
    family = "R"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for ti, t in enumerate(doc.tables):
            if t.kind not in _AMOUNT_KINDS:
                continue
            for r in t.rows:
                for col, c in r.cells.items():
                    raw = c.raw.strip()
                    if not raw or c.value is not None or raw in _NOT_A_NUMBER_BUT_FINE:
                        continue
                    if t.reading.cells_uncertain and t.reading.uncertain(r.key, col) is not None:
                        continue  # its digits ran across a border: R-005 lists it as not read for certain
                    label = f"{r.code} {r.label}".strip() if r.code else (r.label or r.key)
                    ref = Ref(
                        table=t.kind,
                        table_index=ti,
                        table_title=t.name,
                        row=r.key,
                        row_label=label,
                        column=col,
                        column_label=t.column_label(col),
                        text=raw,
                        loc=c.loc or r.loc,
                    )
                    yield self.finding(
                        f"《{t.name}》“{label}”行“{t.column_label(col)}”列的“{raw}”不是可识别的金额，涉及它的核对无法进行",
                        [ref],
                        found=raw,
                    )


def _issue_ref(doc: Disclosure, issue: ReadIssue) -> Ref:
    """The place of a read issue: the table it lies in when its location falls inside one."""
    loc = issue.loc
    if loc is not None:
        for i, t in enumerate(doc.tables):
            tl = t.loc
            if tl is None:
                continue
            same_page = tl.page is None or tl.page == loc.page
            in_lines = (
                tl.line is None
                or loc.line is not None
                and tl.line <= loc.line <= (tl.end_line if tl.end_line is not None else tl.line)
            )
            if same_page and in_lines and (tl.line is not None or tl.page is not None):
                return Ref(table=t.kind, table_index=i, table_title=t.name, loc=loc)
        return Ref(loc=loc)
    return Ref(text=issue.message)


@register
class TableStructure(Rule):
    """A table whose layout the reader could not map completely: a standard column missing, an
    extra column, a row that is not a standard line, or a layout it could not recognise. Its
    checks may be incomplete.

    Wrong:
        收入决算表 with the 财政拨款收入 column left out
    Right:
        收入决算表 with 本年收入合计 | 财政拨款收入 | 上级补助收入 | 事业收入 | 经营收入 | 附属单位上缴收入 | 其他收入
    """

    id = "R-002"
    title = "表格结构不完整或无法识别"
    family = "R"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for issue in doc.read_issues:
            sev = _TABLE_CODES.get(issue.code)
            if sev is None:
                continue
            yield self.finding(issue.message, [_issue_ref(doc, issue)], severity=sev)


@register
class OtherReadIssue(Rule):
    """Anything else the reader met but could read past (a page it could not structure, a
    number it could not parse): the document may have been read incompletely there.

    Wrong:
        第7页 is a scanned image without a text layer and no OCR result
    Right:
        every page has a text layer (or an OCR result)
    """

    id = "R-003"
    title = "文件部分内容未能读取"
    family = "R"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for issue in doc.read_issues:
            if issue.code in _TABLE_CODES or issue.code in _INFO_CODES or issue.code == "unreadable_number":
                continue
            yield self.finding(issue.message, [_issue_ref(doc, issue)])


@register
class ReadNote(Rule):
    """Something the reader did on purpose that the user should know about but that is no
    problem of the document, such as amounts printed in 元 converted exactly to 万元 for the
    checks. Always information.

    Wrong:
        a workbook whose tables are printed in 元 converted silently, the user left to wonder why
        the checks speak of 万元
    Right:
        《收入支出决算总表》金额单位为元，已按 1 万元 = 10000 元精确换算为万元核对（单元格文字保持原样）
    """

    id = "R-004"
    title = "读取时的换算说明"
    family = "R"
    severity = Severity.INFO

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for issue in doc.read_issues:
            if issue.code in _INFO_CODES:
                yield self.finding(issue.message, [_issue_ref(doc, issue)])
