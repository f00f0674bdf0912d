"""Family R: what the reader read of each table, as the reader recorded it (``Table.reading``).
A table of no known kind, a column taken by its position only, a printed column or row not read:
none of it is a defect of the document, and none of it was checked. This rule says so, table by
table, as not-checked items (never as findings), so that ``explain`` and every report show what a
reviewer is left to look at by hand."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import ALL_KINDS, Finding, Severity, Table, TableKind
from ....tables.schema import column_label
from ...base import Rule, register
from ...context import RunContext


def _named(t: Table) -> str:
    """The table as a reviewer finds it: its printed title, else where it is printed."""
    if t.title:
        return f"《{t.title}》"
    where = t.loc.describe() if t.loc else ""
    return f"{where}的无标题表格" if where else "一张无标题表格"


@register
class TableReadingUnchecked(Rule):
    """What of a table was not read for certain, listed as not checked: a table of no known kind
    (never forced into one), columns attributed by their position only (the printed header does
    not name them), printed columns and rows that were not read, cells whose digits ran across a
    cell border and could not be placed for certain. Findings never come of it: the
    errors and warnings that would rest on such cells are withheld by every rule (see
    ``RunContext.doubt``) and listed beside these.

    Wrong:
        a 一般公共预算支出预算表 whose header the reader could not match, reported as
        “合计 0.00 与各行之和不符” on every row
    Right:
        《一般公共预算支出预算表》：栏目按位置推定，未核对（合计、基本支出、项目支出）
    """

    id = "R-005"
    title = "表格读取不确定，未核对"
    family = "R"
    severity = Severity.INFO
    kinds = ALL_KINDS  # what was read is said of any document

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        for t in ctx.doc.tables:
            name = _named(t)
            reading = t.reading
            refs = [ctx.table_ref(t)]
            if t.kind is TableKind.OTHER:
                ctx.not_checked(self.id, name, f"未识别的表格，未核对：{name}", refs)
                continue
            if reading.by_position:
                cols = "、".join(column_label(t.kind, k) for k in reading.by_position)
                ctx.not_checked(
                    self.id,
                    f"{name}的{cols}列",
                    f"栏目按位置推定，未核对：表头未写明这些列，{cols}列中的数字所涉及的错误和警告均不报告",
                    refs,
                )
            if reading.missing:
                cols = "、".join(column_label(t.kind, k) for k in reading.missing)
                ctx.not_checked(
                    self.id, f"{name}的{cols}列", "表中未找到这些标准列，涉及它们的核对未进行", refs
                )
            if reading.unmapped:
                cols = "、".join(f"“{c}”" for c in reading.unmapped)
                ctx.not_checked(self.id, f"{name}的{cols}列", "不是本表的标准列，未读取，未核对", refs)
            if reading.rows_unread:
                rows = "、".join(f"“{r}”" for r in reading.rows_unread)
                ctx.not_checked(self.id, f"{name}的{rows}行", "不是标准项目，未读取，未核对", refs)
            for u in reading.cells_uncertain:
                place = f"“{u.row_label or u.row}”" + (f"[{u.column_label or u.column}]" if u.column else "行")
                ctx.not_checked(
                    self.id,
                    f"{name}的{place}",
                    f"{u.reason}，读数不确定，未核对：涉及它的错误和警告均不报告",
                    refs,
                )
            if reading.rows_unlabelled:
                ctx.not_checked(
                    self.id,
                    f"{name}的 {reading.rows_unlabelled} 行数据",
                    "没有科目代码和名称，未读取，未核对；本表合计与各行之和的核对因此不报告",
                    refs,
                )
        return iter(())
