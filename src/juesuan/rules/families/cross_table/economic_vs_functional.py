"""Family X (soft): 经济分类 amounts of table 06 against the 功能分类 rows they normally fund in table
05 (基本支出 column). Many departments book these one to one, but legitimate differences exist
(a 职业年金 paid under another 功能分类 row, 医疗 items booked as 其他), so these are warnings: a
question for the reviewer, never an error."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar

from ....model import Finding, Ref, Severity, Table, TableKind
from ...arith import Verdict, compare, fmt, fmt_signed
from ...base import Rule, register
from ...compare import sums_equal
from ...context import RunContext


def _refs(ctx: RunContext, t: Table, codes: tuple[str, ...], col: str) -> list[Ref]:
    out: list[Ref] = []
    for code in codes:
        r = ctx.ref(t, code, col)
        out.append(r if r is not None else ctx.missing_ref(t, code, col))
    return out


class _Soft(Rule):
    severity = Severity.WARNING
    econ: ClassVar[tuple[str, ...]] = ()
    func: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t05, t06 = doc.table(TableKind.T05), doc.table(TableKind.T06)
        if t05 is None or t06 is None:
            return
        col = "basic" if any(r.cell("basic") is not None for r in t05.rows) else "total"
        # values first (a missing row reads as blank, like its missing_ref): the sums agree, or
        # nothing is printed, and there is nothing to report, so no Refs to build
        ev = [t06.value(code, "amount") for code in self.econ]
        fv = [t05.value(code, col) for code in self.func]
        if sums_equal(sum((v for v in ev if v is not None), _ZERO), fv):
            return
        econ = _refs(ctx, t06, self.econ, "amount")
        func = _refs(ctx, t05, self.func, col)
        if all(r.value is None for r in econ + func):
            return
        lhs = " + ".join(_name(r) for r in econ)
        rhs = " + ".join(_name(r) for r in func)
        what = f"《{t06.name}》{lhs}与《{t05.name}》{rhs}[{t05.column_label(col)}]不一致"
        if len(econ) == 1:
            f = self.sum_finding(ctx, what, econ[0], func)
            if f:
                yield f
            return
        # several 经济分类 rows against several 功能分类 rows: compare the two sums, each value
        # rounded at its own table's printed precision: Σ 经济分类 − Σ 功能分类 is compared with zero
        found = sum((r.value or Decimal(0) for r in econ), Decimal(0))
        de, df = ctx.decimals_of(econ[0]), ctx.decimals_of(func[0])
        cmp = compare(
            None,
            [*(r.value for r in econ), *(-r.value if r.value is not None else None for r in func)],
            part_decimals=[de] * len(econ) + [df] * len(func),
        )
        expected = found - cmp.expected
        tol, diff, d = cmp.tolerance, cmp.expected, max(de, df)
        if diff == 0:
            return
        arithmetic = (
            f"{_terms(econ, de)} = {fmt(found, de)} ≠ {_terms(func, df)} = {fmt(expected, df)}；"
            f"差 {fmt_signed(diff, d)}，容差 ±{tol.normalize():f}（{cmp.tolerance_text()}）"
        )
        info = cmp.verdict is not Verdict.MISMATCH
        yield self.finding(
            f"{what}：相差 {fmt_signed(diff, d)}" + ("，在尾数误差范围内" if info else ""),
            [*econ, *func],
            severity=Severity.INFO if info else None,
            expected=fmt(expected, df),
            found=fmt(found, de),
            difference=diff,
            tolerance=tol,
            arithmetic=arithmetic,
        )


_ZERO = Decimal(0)


def _name(r: Ref) -> str:
    return f"“{r.row_label or r.row}”"


def _terms(refs: list[Ref], decimals: int) -> str:
    return " + ".join(fmt(r.value, decimals) if r.value is not None else "0（空）" for r in refs)


@register
class X30108(_Soft):
    """06表 30108 机关事业单位基本养老保险缴费 vs 05表 2080505 机关事业单位基本养老保险缴费支出 (基本支出).

    Wrong:
        06表 30108 70.94 | 05表 2080505 基本支出 60.94
    Right:
        06表 30108 70.94 | 05表 2080505 基本支出 70.94
    """

    id = "X-013"
    title = "基本养老保险缴费与对应功能分类一致"
    family = "X"
    econ = ("30108",)
    func = ("2080505",)


@register
class X30109(_Soft):
    """06表 30109 职业年金缴费 vs 05表 2080506 机关事业单位职业年金缴费支出 (基本支出).

    Wrong:
        06表 30109 26.17 | 05表 2080506 基本支出 8.43
    Right:
        06表 30109 8.43 | 05表 2080506 基本支出 8.43
    """

    id = "X-014"
    title = "职业年金缴费与对应功能分类一致"
    family = "X"
    econ = ("30109",)
    func = ("2080506",)


@register
class X30113(_Soft):
    """06表 30113 住房公积金 vs 05表 2210201 住房公积金 (基本支出).

    Wrong:
        06表 30113 54.26 | 05表 2210201 基本支出 44.26
    Right:
        06表 30113 54.26 | 05表 2210201 基本支出 54.26
    """

    id = "X-015"
    title = "住房公积金与对应功能分类一致"
    family = "X"
    econ = ("30113",)
    func = ("2210201",)


@register
class X30110(_Soft):
    """06表 30110 职工基本医疗保险缴费 + 30111 公务员医疗补助缴费 vs 05表 2101101 行政单位医疗 + 2101102
    事业单位医疗 + 2101103 公务员医疗补助 (基本支出). 2101199 其他 is left out: it funds other items.

    Wrong:
        06表 30110 20.66 + 30111 25.58 = 46.24 | 05表 2101101 15.35 + 2101102 5.43 + 2101103 31.44 = 52.22
    Right:
        06表 30110 33.26 + 30111 空 | 05表 2101101 33.26
    """

    id = "X-016"
    title = "医疗保险缴费与行政事业单位医疗一致"
    family = "X"
    econ = ("30110", "30111")
    func = ("2101101", "2101102", "2101103")
