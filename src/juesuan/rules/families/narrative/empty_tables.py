"""Empty-table sentences (N-011): a table the text calls empty holds no nonzero number."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Claim, ClaimKind, Ref, Severity, TableKind
from ....tables.schema import row_label
from ...arith import fmt
from ...base import register
from ...context import RunContext
from .common import ZERO, Check, ClaimRule, sentence_ref

# "没有…支出" speaks of the spending columns only (09表 may still print a 预算数)
_EXPENSE_COLUMNS: dict[TableKind, set[str]] = {
    TableKind.T09: {"actual"},
    TableKind.T07: {"exp_total", "basic", "project"},
    TableKind.T08: {"exp_total", "basic", "project"},
    TableKind.T11: {"amount"},
    TableKind.T10: {"amount"},
}


def empty_checks(ctx: RunContext, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.EMPTY_TABLE or not c.bindings:
        return
    b = c.bindings[0]
    tab = ctx.doc.tables[b.table_index]
    ref = Ref(table=tab.kind, table_index=b.table_index, table_title=tab.name, loc=tab.loc)
    cols = _EXPENSE_COLUMNS.get(tab.kind) if c.attrs.get("scope") == "expense" else None
    nz = [
        (r, k, cell)
        for r in tab.rows
        for k, cell in r.cells.items()
        if cell.value not in (None, ZERO) and (cols is None or k in cols)
    ]
    if not nz:
        what = "支出" if cols else "数据"
        yield Check("N-011", None, f"《{tab.name}》确无{what}", [sentence_ref(ctx, c), ref])
        return
    shown = "、".join(
        f"{r.label or row_label(tab.kind, r.key)}[{tab.column_label(k)}] {fmt(cell.value)}"
        for r, k, cell in nz[:3]
    )
    yield Check("N-011", Severity.ERROR, f"说明称“{c.label}”，但《{tab.name}》中有数据：{shown}",
                [sentence_ref(ctx, c), ref], expected="表中无数据", found=shown)  # fmt: skip


@register
class N011EmptyTableSentence(ClaimRule):
    """说明称某表无数据（“本部门没有……收入支出”“故本表无数据”）时，该表确实没有非零数。

    Wrong:
        “本部门没有发生政府性基金预算财政拨款收入支出，故公开07表无数据。”（07表本年支出 12.00）

    Right:
        同一句话，07表各栏均为空或 0。
    """

    id = "N-011"
    title = "空表说明与表格一致"
    family = "情况说明：空表"
    severity = Severity.ERROR
    checker = staticmethod(empty_checks)
    claim_kinds = frozenset({ClaimKind.EMPTY_TABLE})
