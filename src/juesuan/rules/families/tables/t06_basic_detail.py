"""Family T06: the 一般公共预算财政拨款基本支出决算(明细)表 (rows by 经济分类 code, side personnel /
public; totals ``personnel_total`` / ``public_total``; amounts in column ``amount``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar

from ....model import Finding, Row, Table, TableKind
from ....tables.schema import T06_PERSONNEL_CLASSES, T06_PUBLIC_CLASSES
from ...base import CellAt, Rule, register
from ...compare import mismatch, settled, shown, sums_equal
from ...context import RunContext
from ...identities import row_sum_findings

COL = "amount"


def econ_rows(t: Table) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for r in t.rows:
        if r.code and r.code.isdigit() and r.code.startswith("3"):
            out.setdefault(r.code, r)
    return out


def children(rows: dict[str, Row], code: str) -> list[Row]:
    return [r for c, r in rows.items() if len(c) == 5 and c.startswith(code)]


def class_value(t: Table, code: str) -> Decimal | None:
    """The value a 3-digit class should have: the sum of its 5-digit rows when the printed class
    disagrees with them (reported by T06-003), else the printed value."""
    rows = econ_rows(t)
    r = rows.get(code)
    if r is None:
        return None
    kids = children(rows, code)
    if not kids:
        return r.value(COL)
    return settled(r.value(COL), [k.value(COL) for k in kids], t.decimals)


def class_refs(ctx: RunContext, t: Table, codes: list[str]) -> list[CellAt]:
    rows = econ_rows(t)
    return [ref for ref in (ctx.cell(t, rows[c].key, COL, rows[c].side) for c in codes if c in rows) if ref]


class _T06Total(Rule):
    total_key: ClassVar[str] = ""
    classes: ClassVar[list[str]] = []
    what: ClassVar[str] = ""

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T06):
            total = ctx.cell(t, self.total_key, COL)
            parts = class_refs(ctx, t, self.classes)
            if total is None or not parts:
                continue
            f = self.sum_finding(ctx, self.what, total, shown(parts))
            if f and f.severity.rank == 3:
                fixed = [class_value(t, c) for c in self.classes if c in econ_rows(t)]
                if not mismatch(total.value, fixed, t.decimals):
                    continue  # explained by a class that T06-003 reports
            if f:
                yield f


@register
class T06PersonnelTotal(_T06Total):
    """人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助. Not reported when a class that does not
    equal its own 款 rows (T06-003) explains the difference.

    Wrong:
        301 工资福利支出 678.41 | 303 对个人和家庭的补助 0.03 | 人员经费合计 678.41
    Right:
        301 工资福利支出 678.41 | 303 对个人和家庭的补助 0.03 | 人员经费合计 678.44
    """

    id = "T06-001"
    title = "人员经费合计等于工资福利支出加对个人和家庭的补助"
    family = "T06"
    total_key = "personnel_total"
    classes = T06_PERSONNEL_CLASSES
    what = "人员经费合计不等于301工资福利支出与303对个人和家庭的补助之和"


@register
class T06PublicTotal(_T06Total):
    """公用经费合计 = 302 商品和服务支出 + 307 债务利息及费用支出 + 310 资本性支出 + 399 其他支出 (+ 309
    and 312 where the table lists them).

    Wrong:
        302 商品和服务支出 28.37 | 310 资本性支出 0.87 | 公用经费合计 28.37
    Right:
        302 商品和服务支出 28.37 | 310 资本性支出 0.87 | 公用经费合计 29.24
    """

    id = "T06-002"
    title = "公用经费合计等于商品和服务支出、资本性支出等之和"
    family = "T06"
    total_key = "public_total"
    classes = T06_PUBLIC_CLASSES
    what = "公用经费合计不等于302、307、309、310、312、399各类之和"


@register
class T06ClassSums(Rule):
    """Each 3-digit 经济分类 class (301, 302, 303, 307, 310, 399 …) = Σ its 5-digit rows.

    Wrong:
        303 对个人和家庭的补助 67.51 | 30302 退休费 45.62 | 30305 生活补助 2.11 | 30307 医疗费补助 9.79
    Right:
        303 对个人和家庭的补助 57.52 | 30302 退休费 45.62 | 30305 生活补助 2.11 | 30307 医疗费补助 9.79
        (57.51 is 尾数误差, information only)
    """

    id = "T06-003"
    title = "经济分类类级科目等于其款级科目之和"
    family = "T06"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T06):
            rows = econ_rows(t)
            index = ctx.rows(t)
            for code, r in rows.items():
                if len(code) != 3:
                    continue
                kids = children(rows, code)
                trow = index.row(r.key, r.side)
                krows = [kr for kr in (index.row(k.key, k.side) for k in kids) if kr is not None]
                for col in (COL, "personnel", "public"):
                    # values first: Refs only for a comparison sum_finding reports
                    tc = trow.cell(col) if trow is not None else None
                    kcs = [c for c in (kr.cell(col) for kr in krows) if c is not None]
                    if tc is None or not kcs or sums_equal(tc.value, [c.value for c in kcs]):
                        continue
                    total = ctx.cell(t, r.key, col, r.side)
                    parts = [p for p in (ctx.cell(t, k.key, col, k.side) for k in kids) if p]
                    if total is None or not parts:
                        continue
                    name = f"“{code} {r.label}”".replace(" ”", "”")
                    if col != COL:
                        name += f"[{t.column_label(col)}]"
                    f = self.sum_finding(ctx, f"{name}不等于其下各款之和", total, shown(parts))
                    if f:
                        yield f


@register
class T06RowSplit(Rule):
    """In the layout that lists each 经济分类 row once with the columns 合计 / 人员经费 / 公用经费 (older
    templates, some regions): per row 合计 = 人员经费 + 公用经费.

    Wrong:
        30201 办公费 | 合计 6.80 | 人员经费 空 | 公用经费 5.80
    Right:
        30201 办公费 | 合计 6.80 | 人员经费 空 | 公用经费 6.80
    """

    id = "T06-004"
    title = "基本支出明细各行合计等于人员经费加公用经费"
    family = "T06"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T06):
            yield from row_sum_findings(
                self, ctx, t, COL, ["personnel", "public"], require_part=["personnel", "public"]
            )
