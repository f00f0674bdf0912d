"""Family T07: the 政府性基金预算财政拨款收入支出决算表 (rows by 功能分类 code; columns 年初结转和结余,
本年收入, 本年支出 (合计 / 基本支出 / 项目支出), 年末结转和结余). Usually empty: an empty table (a blank
合计 row) passes every rule silently. The classes here are reused by family T08."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from ....model import Finding, TableKind
from ....tables.schema import T07_COLUMNS
from ...base import Rule, register
from ...context import RunContext
from ...identities import balance_finding, row_name, row_sum_findings, tree_findings


class FundRowBalance(Rule):
    kind: ClassVar[TableKind] = TableKind.T07

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(self.kind):
            for r in t.rows:
                end = ctx.cell(t, r.key, "end_balance", r.side)
                begin = ctx.cell(t, r.key, "begin_balance", r.side)
                income = ctx.cell(t, r.key, "income", r.side)
                spent = ctx.cell(t, r.key, "exp_total", r.side)
                if end is None or spent is None or (begin is None and income is None):
                    continue
                terms = [(1, x) for x in (begin, income) if x is not None] + [(-1, spent)]
                f = balance_finding(
                    self,
                    ctx,
                    f"{row_name(t, r)}行年初结转和结余加本年收入减本年支出不等于年末结转和结余",
                    end,
                    terms,
                )
                if f:
                    yield f


class FundRowSplit(Rule):
    kind: ClassVar[TableKind] = TableKind.T07

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(self.kind):
            yield from row_sum_findings(self, ctx, t, "exp_total", ["basic", "project"])


class FundHierarchy(Rule):
    kind: ClassVar[TableKind] = TableKind.T07

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(self.kind):
            yield from tree_findings(self, ctx, t, list(T07_COLUMNS), levels={1, 2})


class FundGrandTotal(Rule):
    kind: ClassVar[TableKind] = TableKind.T07

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(self.kind):
            yield from tree_findings(self, ctx, t, list(T07_COLUMNS), levels={0})


@register
class T07RowBalance(FundRowBalance):
    """Per row (合计 and each 类/款/项): 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余.

    Wrong:
        2120816 农业农村生产发展 | 年初 0 | 本年收入 50.00 | 本年支出 40.00 | 年末 0
    Right:
        2120816 农业农村生产发展 | 年初 0 | 本年收入 50.00 | 本年支出 40.00 | 年末 10.00
    """

    id = "T07-001"
    title = "政府性基金各行年初加收入减支出等于年末"
    family = "T07"


@register
class T07RowSplit(FundRowSplit):
    """Per row: 本年支出 合计 = 基本支出 + 项目支出.

    Wrong:
        合计 | 本年支出 40.00 | 基本支出 空 | 项目支出 30.00
    Right:
        合计 | 本年支出 40.00 | 基本支出 空 | 项目支出 40.00
    """

    id = "T07-002"
    title = "政府性基金各行本年支出等于基本支出加项目支出"
    family = "T07"


@register
class T07Hierarchy(FundHierarchy):
    """Column by column: each 类 = Σ its 款, each 款 = Σ its 项 (lowest broken level only).

    Wrong:
        212 城乡社区支出 本年支出 50.00 | 21208 40.00
    Right:
        212 城乡社区支出 本年支出 40.00 | 21208 40.00
    """

    id = "T07-003"
    title = "政府性基金表类款项逐级相加"
    family = "T07"


@register
class T07GrandTotal(FundGrandTotal):
    """Column by column: 合计 = Σ 类 rows. An empty table (only a blank 合计 row) passes.

    Wrong:
        合计 本年收入 60.00 | 212 本年收入 50.00
    Right:
        合计 本年收入 50.00 | 212 本年收入 50.00
    """

    id = "T07-004"
    title = "政府性基金表合计等于各类之和"
    family = "T07"
