"""Family T04: the 财政拨款收入支出决算总表 (income side: one amount column; expense side: 合计 and
the three 财政拨款 columns, rows by 类 code and ``exp_*``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....model import Finding, Table, TableKind
from ....tables.schema import T04_INCOME_PARTS
from ...base import CellAt, Rule, register
from ...compare import mismatch, settled, shown
from ...context import RunContext
from ...identities import balance_finding, row_sum_findings
from .t01_summary import class_rows

FUNDS = ["general", "fund", "capital"]
FUND_INCOME = {"general": "inc_general_budget", "fund": "inc_gov_fund", "capital": "inc_state_capital"}
FUND_BEGIN = {"general": "inc_begin_general", "fund": "inc_begin_fund", "capital": "inc_begin_capital"}
BEGIN_SPLIT = list(FUND_BEGIN.values())


def _v(t: Table, key: str, col: str = "amount") -> Decimal | None:
    return t.value(key, col)


def _refs(ctx: RunContext, t: Table, keys: list[str], col: str = "amount") -> list[CellAt]:
    return [r for r in (ctx.cell(t, k, col) for k in keys) if r is not None]


def expense_columns(t: Table) -> list[str]:
    return [c for c in ("total", *FUNDS) if t.column(c) is not None or any(r.cell(c) for r in t.rows)]


@register
class T04IncomeTotal(Rule):
    """收入 本年收入合计 = 一般公共预算财政拨款 + 政府性基金预算财政拨款 + 国有资本经营预算财政拨款.

    Wrong:
        一般公共预算财政拨款 900.28 | 政府性基金预算财政拨款 20.00 | 本年收入合计 900.28
    Right:
        一般公共预算财政拨款 900.28 | 政府性基金预算财政拨款 20.00 | 本年收入合计 920.28
    """

    id = "T04-001"
    title = "财政拨款本年收入合计等于三项财政拨款之和"
    family = "T04"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T04):
            total = ctx.cell(t, "inc_total_year", "amount")
            parts = _refs(ctx, t, T04_INCOME_PARTS)
            if total and parts:
                f = self.sum_finding(ctx, "财政拨款本年收入合计不等于三项财政拨款之和", total, shown(parts))
                if f:
                    yield f


@register
class T04BeginSplit(Rule):
    """年初财政拨款结转和结余 = 其中一般公共预算 + 政府性基金 + 国有资本经营 (the three rows below it).

    Wrong:
        年初财政拨款结转和结余 148.33 | 一般公共预算财政拨款 138.33 | 政府性基金 空
    Right:
        年初财政拨款结转和结余 148.33 | 一般公共预算财政拨款 148.33 | 政府性基金 空
    """

    id = "T04-002"
    title = "年初财政拨款结转和结余等于其三项之和"
    family = "T04"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T04):
            total = ctx.cell(t, "inc_begin_balance", "amount")
            parts = _refs(ctx, t, BEGIN_SPLIT)
            if total and parts:
                f = self.sum_finding(ctx, "年初财政拨款结转和结余不等于其三项之和", total, shown(parts))
                if f:
                    yield f


@register
class T04IncomeGrandTotal(Rule):
    """收入 总计 = 本年收入合计 + 年初财政拨款结转和结余. Not reported again when the break comes only
    from a 本年收入合计 or 年初 total that T04-001 / T04-002 already reports.

    Wrong:
        本年收入合计 900.28 | 年初财政拨款结转和结余 148.33 | 总计 1,048.16
    Right:
        本年收入合计 900.28 | 年初财政拨款结转和结余 148.33 | 总计 1,048.61
    """

    id = "T04-003"
    title = "财政拨款收入总计等于本年收入合计加年初结转和结余"
    family = "T04"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T04):
            total = ctx.cell(t, "inc_grand_total", "amount")
            parts = _refs(ctx, t, ["inc_total_year", "inc_begin_balance"])
            if total is None or not parts:
                continue
            f = self.sum_finding(
                ctx, "财政拨款收入总计不等于本年收入合计与年初财政拨款结转和结余之和", total, shown(parts)
            )
            if f and f.severity.rank == 3:
                fixed = [
                    settled(_v(t, "inc_total_year"), [_v(t, k) for k in T04_INCOME_PARTS], t.decimals),
                    settled(_v(t, "inc_begin_balance"), [_v(t, k) for k in BEGIN_SPLIT], t.decimals),
                ]
                if not mismatch(total.value, fixed, t.decimals):
                    continue
            if f:
                yield f


@register
class T04ExpenseGrandTotal(Rule):
    """支出 总计 = 本年支出合计 + 年末财政拨款结转和结余, in each of the columns 合计 / 一般公共预算 /
    政府性基金 / 国有资本经营. Not reported again when T04-006 already reports the 本年支出合计.

    Wrong:
        本年支出合计 881.98 | 年末财政拨款结转和结余 166.63 | 总计 1,058.61
    Right:
        本年支出合计 881.98 | 年末财政拨款结转和结余 166.63 | 总计 1,048.61
    """

    id = "T04-004"
    title = "财政拨款支出总计等于本年支出合计加年末结转和结余"
    family = "T04"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T04):
            classes = class_rows(t)
            for col in expense_columns(t):
                total = ctx.cell(t, "exp_grand_total", col)
                parts = _refs(ctx, t, ["exp_total_year", "exp_end_balance"], col)
                if total is None or not parts:
                    continue
                f = self.sum_finding(
                    ctx,
                    f"财政拨款支出总计[{t.column_label(col)}]不等于本年支出合计与年末财政拨款结转和结余之和",
                    total,
                    shown(parts),
                )
                if f and f.severity.rank == 3:
                    year = (
                        settled(_v(t, "exp_total_year", col), [_v(t, k, col) for k in classes], t.decimals)
                        if classes
                        else None
                    )
                    fixed = [year if classes else _v(t, "exp_total_year", col), _v(t, "exp_end_balance", col)]
                    if not mismatch(total.value, fixed, t.decimals):
                        continue
                if f:
                    yield f


@register
class T04ExpenseRowSplit(Rule):
    """Per expense row (each 类, 本年支出合计, 年末财政拨款结转和结余, 总计): 合计 = 一般公共预算财政拨款 +
    政府性基金预算财政拨款 + 国有资本经营预算财政拨款.

    Wrong:
        社会保障和就业支出 | 合计 803.87 | 一般公共预算 793.87 | 政府性基金 空 | 国有资本经营 空
    Right:
        社会保障和就业支出 | 合计 793.87 | 一般公共预算 793.87 | 政府性基金 空 | 国有资本经营 空
    """

    id = "T04-005"
    title = "财政拨款支出各行合计等于三项财政拨款之和"
    family = "T04"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T04):
            rows = [r for r in t.rows if r.side != "income" and not r.key.startswith("inc_")]
            yield from row_sum_findings(self, ctx, t, "total", FUNDS, only_rows=rows)


@register
class T04ExpenseTotal(Rule):
    """本年支出合计 = Σ 类 rows, in each of the columns 合计 / 一般公共预算 / 政府性基金 / 国有资本经营.

    Wrong:
        社会保障和就业支出 793.87 | 卫生健康支出 33.86 | 住房保障支出 54.26 | 本年支出合计 871.98
    Right:
        社会保障和就业支出 793.87 | 卫生健康支出 33.86 | 住房保障支出 54.26 | 本年支出合计 881.99
        (881.98 is 尾数误差, information only)
    """

    id = "T04-006"
    title = "财政拨款本年支出合计等于各类支出之和"
    family = "T04"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T04):
            classes = class_rows(t)
            for col in expense_columns(t):
                total = ctx.cell(t, "exp_total_year", col)
                parts = _refs(ctx, t, classes, col)
                if total is None or not parts:
                    continue
                f = self.sum_finding(
                    ctx,
                    f"财政拨款本年支出合计[{t.column_label(col)}]不等于各类（功能分类）支出之和",
                    total,
                    shown(parts),
                )
                if f:
                    yield f


@register
class T04Balance(Rule):
    """收入 总计 = 支出 总计 (合计 column). Not reported when the imbalance is explained by a 总计 that
    T04-003 or T04-004 already reports as not adding up.

    Wrong:
        收入 总计 1,048.61 | 支出 总计 合计 1,038.61
    Right:
        收入 总计 1,048.61 | 支出 总计 合计 1,048.61
    """

    id = "T04-007"
    title = "财政拨款收入总计等于支出总计"
    family = "T04"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T04):
            inc = ctx.cell(t, "inc_grand_total", "amount")
            exp = ctx.cell(t, "exp_grand_total", "total")
            if inc is None or exp is None:
                continue
            f = self.sum_finding(ctx, "财政拨款收入总计不等于支出总计", inc, [exp])
            if f and f.severity.rank == 3:
                inc_fixed = settled(
                    inc.value, [_v(t, "inc_total_year"), _v(t, "inc_begin_balance")], t.decimals
                )
                exp_fixed = settled(
                    exp.value,
                    [_v(t, "exp_total_year", "total"), _v(t, "exp_end_balance", "total")],
                    t.decimals,
                )
                if not mismatch(inc_fixed, [exp_fixed], t.decimals):
                    continue
            if f:
                yield f


@register
class T04FundBalance(Rule):
    """Per fund (一般公共预算 / 政府性基金 / 国有资本经营): 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和
    结余, with 年初 and 本年收入 from the income side and 本年支出 and 年末 from that fund's column.

    Wrong:
        一般公共预算: 年初 148.33 + 收入 900.28 − 支出 881.98 ≠ 年末 176.63
    Right:
        一般公共预算: 年初 148.33 + 收入 900.28 − 支出 881.98 = 年末 166.63
    """

    id = "T04-008"
    title = "各项财政拨款年初加收入减支出等于年末"
    family = "T04"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        names = {
            "general": "一般公共预算财政拨款",
            "fund": "政府性基金预算财政拨款",
            "capital": "国有资本经营预算财政拨款",
        }
        for t in doc.tables_of(TableKind.T04):
            for fund in FUNDS:
                end = ctx.cell(t, "exp_end_balance", fund)
                begin = ctx.cell(t, FUND_BEGIN[fund], "amount")
                income = ctx.cell(t, FUND_INCOME[fund], "amount")
                spent = ctx.cell(t, "exp_total_year", fund)
                if end is None or begin is None or income is None or spent is None:
                    continue
                f = balance_finding(
                    self,
                    ctx,
                    f"{names[fund]}：年初结转和结余加本年收入减本年支出不等于年末结转和结余",
                    end,
                    [(1, begin), (1, income), (-1, spent)],
                )
                if f:
                    yield f
