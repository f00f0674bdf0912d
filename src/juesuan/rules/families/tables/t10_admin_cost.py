"""Family T10: the 机关运行经费支出情况表 (rows: ``total`` and the items, often by 经济分类 code)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding, Row, Table, TableKind
from ....tables.schema import T10_COLUMNS, T10_TOTAL_ROW
from ...base import Rule, register
from ...compare import shown
from ...context import RunContext
from ...identities import row_name


def top_items(t: Table) -> list[Row]:
    """The items the total adds up: the 3-digit 经济分类 rows when the table is coded (their 5-digit
    rows are details), else every row but the total."""
    items = [r for r in t.rows if r.key != T10_TOTAL_ROW]
    coded = [r for r in items if r.code]
    if coded:
        shortest = min(len(r.code or "") for r in coded)
        return [r for r in coded if len(r.code or "") == shortest]
    return items


@register
class T10Total(Rule):
    """机关运行经费 合计 = Σ its items (the 类 rows 302, 310 … when the table lists 经济分类 codes), in
    each amount column (本年, 上年 where printed).

    Wrong:
        合计 29.24 | 302 商品和服务支出 28.37 | 310 资本性支出 空
    Right:
        合计 29.24 | 302 商品和服务支出 28.37 | 310 资本性支出 0.87
    """

    id = "T10-001"
    title = "机关运行经费合计等于各项之和"
    family = "T10"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T10):
            items = top_items(t)
            for col in T10_COLUMNS:
                total = ctx.cell(t, T10_TOTAL_ROW, col)
                parts = [p for p in (ctx.cell(t, r.key, col, r.side) for r in items) if p]
                if total is None or not parts:
                    continue
                f = self.sum_finding(
                    ctx, f"机关运行经费合计[{t.column_label(col)}]不等于各项之和", total, shown(parts)
                )
                if f:
                    yield f


@register
class T10ClassSums(Rule):
    """Where the table lists 经济分类 codes: each 3-digit class = Σ its 5-digit rows.

    Wrong:
        302 商品和服务支出 38.37 | 30201 办公费 6.80 | … (the 款 add up to 28.38)
    Right:
        302 商品和服务支出 28.38 | 30201 办公费 6.80 | … (28.37 is 尾数误差)
    """

    id = "T10-002"
    title = "机关运行经费类级科目等于其款级科目之和"
    family = "T10"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T10):
            coded = [r for r in t.rows if r.code and r.code.isdigit()]
            for r in coded:
                if len(r.code or "") != 3:
                    continue
                kids = [
                    k for k in coded if len(k.code or "") == 5 and (k.code or "").startswith(r.code or "")
                ]
                for col in T10_COLUMNS:
                    total = ctx.cell(t, r.key, col, r.side)
                    parts = [p for p in (ctx.cell(t, k.key, col, k.side) for k in kids) if p]
                    if total is None or not parts:
                        continue
                    f = self.sum_finding(ctx, f"{row_name(t, r)}不等于其下各款之和", total, shown(parts))
                    if f:
                        yield f
