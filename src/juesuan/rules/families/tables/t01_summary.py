"""Family T01: the 收入支出决算总表 (two-sided: income rows ``inc_*``, expense rows by 类 code and
``exp_*``). Each identity is its own rule; derived totals follow the no-restating policy of
``rules.base`` (a 总计 broken only because 本年收入合计 is broken is not reported again)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....model import Finding, Ref, Table, TableKind
from ....tables.schema import T01_INCOME_PARTS
from ...arith import fmt_signed
from ...base import Rule, register
from ...compare import mismatch, settled, shown
from ...context import RunContext


def _v(t: Table, key: str, col: str = "amount") -> Decimal | None:
    return t.value(key, col)


def class_rows(t: Table) -> list[str]:
    """Keys of the expense 类 rows (3-digit 功能分类 codes)."""
    return [r.key for r in t.rows if r.code and len(r.code) == 3 and r.side != "income"]


def class_hint(
    ctx: RunContext, t: Table, other: Table | None, col_self: str, col_other: str
) -> tuple[str, list[Ref]]:
    """Name the 类 rows of ``t`` that disagree with the same rows of ``other`` (a table that states
    the same quantities), so a broken 类 sum points at its likely culprit."""
    if other is None:
        return "", []
    refs: list[Ref] = []
    notes: list[str] = []
    for key in class_rows(t):
        a = ctx.ref(t, key, col_self)
        b = ctx.ref(other, key, col_other)
        if a is None:
            continue
        bv = b.value if b is not None else None
        if mismatch(a.value, [bv], t.decimals, [other.decimals]):
            diff = (a.value or Decimal(0)) - (bv or Decimal(0))
            notes.append(f"“{a.row_label}”（差 {fmt_signed(diff, max(t.decimals, other.decimals))}）")
            refs.append(a)
            if b is not None:
                refs.append(b)
    if not notes:
        return "", []
    return f"；与《{other.name}》不一致的类：" + "、".join(notes), refs


@register
class T01IncomeTotal(Rule):
    """本年收入合计 = 一般公共预算财政拨款收入 + 政府性基金 + 国有资本经营 + 上级补助 + 事业 + 经营 +
    附属单位上缴 + 其他收入 (the 8 income rows).

    Wrong:
        一般公共预算财政拨款收入 900.28 | 事业收入 10.00 | 本年收入合计 900.28
    Right:
        一般公共预算财政拨款收入 900.28 | 事业收入 10.00 | 本年收入合计 910.28
    """

    id = "T01-001"
    title = "本年收入合计等于各项收入之和"
    family = "T01"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T01):
            total = ctx.cell(t, "inc_total_year", "amount")
            parts = [p for p in (ctx.cell(t, k, "amount") for k in T01_INCOME_PARTS) if p]
            if total and parts:
                f = self.sum_finding(ctx, "本年收入合计不等于八项收入之和", total, shown(parts))
                if f:
                    yield f


@register
class T01ExpenseTotal(Rule):
    """本年支出合计 = Σ of the 功能分类 类 rows (一般公共服务支出 … 抗疫特别国债安排的支出). When the
    sum breaks and 公开03表 is present, the finding names the 类 rows that disagree with table 03
    (the cross-table rule X-002 then stays silent about them).

    Wrong:
        社会保障和就业支出 793.87 | 卫生健康支出 33.86 | 住房保障支出 54.26 | 本年支出合计 891.98
    Right:
        社会保障和就业支出 793.87 | 卫生健康支出 33.86 | 住房保障支出 54.26 | 本年支出合计 881.99
        (881.98 is reported as 尾数误差, information only)
    """

    id = "T01-002"
    title = "本年支出合计等于各类支出之和"
    family = "T01"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T01):
            total = ctx.cell(t, "exp_total_year", "amount")
            parts = [p for p in (ctx.cell(t, k, "amount") for k in class_rows(t)) if p]
            if total is None or not parts:
                continue
            f = self.sum_finding(ctx, "本年支出合计不等于各类（功能分类）支出之和", total, shown(parts))
            if f is None:
                continue
            if f.severity.rank == 3:
                hint, refs = class_hint(ctx, t, doc.table(TableKind.T03), "amount", "total")
                if hint:
                    f.message += hint
                    f.locations += [r for r in refs if r not in f.locations]
            yield f


@register
class T01IncomeGrandTotal(Rule):
    """收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余. Not reported again when the break
    comes only from a 本年收入合计 that T01-001 already reports.

    Wrong:
        本年收入合计 900.28 | 使用非财政拨款结余 空 | 年初结转和结余 151.09 | 总计 1,051.73
    Right:
        本年收入合计 900.28 | 使用非财政拨款结余 空 | 年初结转和结余 151.09 | 总计 1,051.37
    """

    id = "T01-003"
    title = "收入总计等于本年收入合计加结余与结转"
    family = "T01"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T01):
            total = ctx.cell(t, "inc_grand_total", "amount")
            keys = ["inc_total_year", "inc_use_balance", "inc_begin_balance"]
            parts = [p for p in (ctx.cell(t, k, "amount") for k in keys) if p]
            if total is None or not parts:
                continue
            f = self.sum_finding(
                ctx, "收入总计不等于本年收入合计、使用非财政拨款结余与年初结转和结余之和", total, shown(parts)
            )
            if f and f.severity.rank == 3:
                year = settled(_v(t, "inc_total_year"), [_v(t, k) for k in T01_INCOME_PARTS], t.decimals)
                fixed = [year, _v(t, "inc_use_balance"), _v(t, "inc_begin_balance")]
                if not mismatch(total.value, fixed, t.decimals):
                    continue
            if f:
                yield f


@register
class T01ExpenseGrandTotal(Rule):
    """支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余. Not reported again when the break comes only
    from a 本年支出合计 that T01-002 already reports.

    Wrong:
        本年支出合计 881.98 | 结余分配 空 | 年末结转和结余 169.39 | 总计 1,061.37
    Right:
        本年支出合计 881.98 | 结余分配 空 | 年末结转和结余 169.39 | 总计 1,051.37
    """

    id = "T01-004"
    title = "支出总计等于本年支出合计加结余分配与年末结转和结余"
    family = "T01"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T01):
            total = ctx.cell(t, "exp_grand_total", "amount")
            keys = ["exp_total_year", "exp_distribution", "exp_end_balance"]
            parts = [p for p in (ctx.cell(t, k, "amount") for k in keys) if p]
            if total is None or not parts:
                continue
            f = self.sum_finding(
                ctx, "支出总计不等于本年支出合计、结余分配与年末结转和结余之和", total, shown(parts)
            )
            if f and f.severity.rank == 3:
                year = settled(_v(t, "exp_total_year"), [_v(t, k) for k in class_rows(t)], t.decimals)
                fixed = [year, _v(t, "exp_distribution"), _v(t, "exp_end_balance")]
                if not mismatch(total.value, fixed, t.decimals):
                    continue
            if f:
                yield f


@register
class T01Balance(Rule):
    """收入总计 = 支出总计 (the two sides of the table balance). Not reported when the imbalance is
    fully explained by a 总计 that T01-003 or T01-004 already reports as not adding up.

    Wrong:
        收入 总计 1,051.37 | 支出 总计 1,041.37
    Right:
        收入 总计 1,051.37 | 支出 总计 1,051.37
    """

    id = "T01-005"
    title = "收入总计等于支出总计"
    family = "T01"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T01):
            inc = ctx.cell(t, "inc_grand_total", "amount")
            exp = ctx.cell(t, "exp_grand_total", "amount")
            if inc is None or exp is None:
                continue
            f = self.sum_finding(ctx, "收入总计不等于支出总计", inc, [exp])
            if f and f.severity.rank == 3:
                inc_fixed = settled(
                    inc.value,
                    [_v(t, k) for k in ("inc_total_year", "inc_use_balance", "inc_begin_balance")],
                    t.decimals,
                )
                exp_fixed = settled(
                    exp.value,
                    [_v(t, k) for k in ("exp_total_year", "exp_distribution", "exp_end_balance")],
                    t.decimals,
                )
                if not mismatch(inc_fixed, [exp_fixed], t.decimals):
                    continue
            if f:
                yield f
