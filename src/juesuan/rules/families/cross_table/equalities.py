"""Family X: identities between tables (the same quantity printed in two tables, or a part that
cannot exceed its whole).

Policy against restating (see also ``rules.base``): rows are compared one by one; a total is not
reported when the row differences already reported add up to its difference; and a 类 row
difference between 01 and 03 is left to T01-002 / T03-003 when it is exactly what one table's own
broken 类 sum shows (those findings then name the rows that disagree with the other table)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial

from ....model import Finding, Ref, Severity, Table, TableKind
from ....tables.schema import (
    FUNCTION_CLASSES,
    T01_INCOME_PARTS,
    T02_TO_T01,
    T04_INCOME_PARTS,
    T06_PERSONNEL_CLASSES,
    T06_PUBLIC_CLASSES,
)
from ...arith import tolerance
from ...base import CellAt, Rule, register
from ...compare import as_ref, coarser, mismatch, settled, shown, sums_equal
from ...context import RunContext
from ...identities import not_above_finding, row_name
from ..tables.t01_summary import class_rows
from ..tables.t06_basic_detail import class_value


def _has_col(t: Table, col: str) -> bool:
    return any(r.cell(col) is not None for r in t.rows)


def _above(part: Decimal | None, whole: Decimal | None) -> bool:
    """Whether :func:`not_above_finding` reports ``part`` against ``whole`` (blank = zero): only then
    are the Refs worth building."""
    return (part if part is not None else _ZERO) > (whole if whole is not None else _ZERO)


_ZERO = Decimal(0)


def ref_or_missing(ctx: RunContext, t: Table, key: str, col: str) -> Ref:
    r = ctx.ref(t, key, col)
    if r is not None:
        return r
    m = ctx.missing_ref(t, key, col)
    if key in FUNCTION_CLASSES:
        m.row_label = f"{key} {FUNCTION_CLASSES[key]}（未列示）"
    return m


def _label(ref: Ref) -> str:
    label = ref.row_label or ref.row or ""
    if label in FUNCTION_CLASSES:
        label = f"{label} {FUNCTION_CLASSES[label]}"
    return f"“{label}”"


def pair_rows(
    rule: Rule,
    ctx: RunContext,
    a: Table,
    a_col: str,
    b: Table,
    b_col: str,
    keys: list[str],
    what: Callable[[Ref], str],
) -> tuple[list[Finding], Decimal]:
    """Compare rows ``keys`` of ``a[a_col]`` with ``b[b_col]``; a row missing from one table reads
    as zero. Returns the findings and the sum of the reported (non-rounding) differences."""
    out: list[Finding] = []
    total = Decimal(0)
    for key in keys:
        va, vb = a.value(key, a_col), b.value(key, b_col)  # the values of the Refs below
        if va is None and vb is None:
            continue
        if sums_equal(va, [vb]):
            continue  # sum_finding would report nothing: no Refs to build
        ra = ref_or_missing(ctx, a, key, a_col)
        rb = ref_or_missing(ctx, b, key, b_col)
        f = rule.sum_finding(ctx, what(ra), ra, [rb])
        if f:
            out.append(f)
            if f.severity is not Severity.INFO and f.difference is not None:
                total += f.difference
    return out, total


def own_value(t: Table, key: str, col: str) -> Decimal | None:
    """The value a total should have by its own table's identity (see ``rules.base.settled``): a
    合计 row by its 类 rows, 本年收入合计 by its income rows, 本年支出合计 by its 类 rows, 06表 totals by
    their classes. A cross-table difference that vanishes with these values is the in-table break
    already reported, and is not reported again."""
    v = t.value(key, col)
    if t.kind is TableKind.T06:
        classes = T06_PERSONNEL_CLASSES if key == "personnel_total" else T06_PUBLIC_CLASSES
        vals = [class_value(t, c) for c in classes]
        return settled(v, vals, t.decimals) if any(x is not None for x in vals) else v
    if key == "total":
        kids = [r.key for r in t.rows if r.code and len(r.code) == 3 and r.side != "income"]
    elif key == "exp_total_year":
        kids = class_rows(t)
    elif key == "inc_total_year":
        kids = T01_INCOME_PARTS if t.kind is TableKind.T01 else T04_INCOME_PARTS
    else:
        return v
    return settled(v, [t.value(k, col) for k in kids], t.decimals)


def explained(f: Finding | None, a: tuple[Table, str, str], b: list[tuple[Table, str, str]]) -> bool:
    """True when ``f`` (a cross-table difference) disappears once each side is replaced by the
    value its own table's identity gives (each at its own table's printed precision)."""
    if f is None or f.severity is Severity.INFO:
        return False
    return not mismatch(own_value(*a), [own_value(*x) for x in b], a[0].decimals, [x[0].decimals for x in b])


def total_pair(
    rule: Rule,
    ctx: RunContext,
    what: str,
    ra: Ref | CellAt | None,
    rb: Ref | CellAt | None,
    explained: Decimal,
    rows_reported: int,
) -> Finding | None:
    """Compare two totals, unless the reported row differences explain the difference (within
    the rounding interval at the coarser precision of the two tables)."""
    if ra is None or rb is None:
        return None
    f = rule.sum_finding(ctx, what, ra, [rb])
    if f and f.severity is not Severity.INFO and rows_reported and f.difference is not None:
        decimals = min(ctx.decimals_of(ra), ctx.decimals_of(rb))
        if abs(f.difference - explained) <= tolerance(rows_reported + 2, decimals):
            return None
    return f


def coded_keys(*tables: tuple[Table, int]) -> list[str]:
    """Row keys of 功能分类 rows of the given code length found in any of the tables, in order.
    Empty unless every table lists such rows: a table printed without its 类 rows (an empty 07表
    with only 合计) is compared on its totals alone."""
    seen: dict[str, None] = {}
    for t, length in tables:
        keys = [r.key for r in t.rows if r.code and len(r.code) == length and r.side != "income"]
        if not keys:
            return []
        for k in keys:
            seen.setdefault(k)
    return list(seen)


def _errors(fs: list[Finding]) -> int:
    return sum(1 for f in fs if f.severity is not Severity.INFO)


def _x001_what(t01: Table, t02: Table, col: str, parts: list[CellAt]) -> str:
    return (
        f"《{t02.name}》合计行[{t02.column_label(col)}]与《{t01.name}》"
        f"{'、'.join(as_ref(p).row_label or '' for p in parts)}不一致"
    )


def _pair_what(a: Table, ra: CellAt, b: Table, rb: CellAt) -> str:
    """“《a》“row”与《b》“row”不一致” (X-003)."""
    return f"《{a.name}》{_label(as_ref(ra))}与《{b.name}》{_label(as_ref(rb))}不一致"


def _fund_what(t04: Table, ra: CellAt, other: Table, col: str) -> str:
    """“《04》“row”与《other》合计[column]不一致” (X-006, X-007)."""
    return f"《{t04.name}》{_label(as_ref(ra))}与《{other.name}》合计[{other.column_label(col)}]不一致"


def _split_what(t05: Table, col: str, t06: Table, rb: CellAt) -> str:
    """“《05》合计行[column]与《06》“row”不一致” (X-009)."""
    return f"《{t05.name}》合计行[{t05.column_label(col)}]与《{t06.name}》{_label(as_ref(rb))}不一致"


@register
class X0102(Rule):
    """收入决算表 (02) 合计行 = 收入支出决算总表 (01) 的收入, column by column: 本年收入合计 = 本年收入合计;
    财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营财政拨款收入; 上级补助、事业、经营、附属单位上缴、
    其他收入 each = its row in table 01.

    Wrong:
        02表 合计 财政拨款收入 890.28 | 01表 一般公共预算财政拨款收入 900.28
    Right:
        02表 合计 财政拨款收入 900.28 | 01表 一般公共预算财政拨款收入 900.28
    """

    id = "X-001"
    title = "收入决算表合计与收入支出决算总表一致"
    family = "X"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t01, t02 = doc.table(TableKind.T01), doc.table(TableKind.T02)
        if t01 is None or t02 is None:
            return
        for col, keys in T02_TO_T01.items():
            a = ctx.cell(t02, "total", col)
            parts = [p for p in (ctx.cell(t01, k, "amount") for k in keys) if p]
            if a is None or not parts:
                continue
            f = self.sum_finding(ctx, partial(_x001_what, t01, t02, col, parts), a, shown(parts))
            if f and not explained(f, (t02, "total", col), [(t01, k, "amount") for k in keys]):
                yield f


@register
class X0103(Rule):
    """支出决算表 (03) 合计 本年支出合计 = 01表 本年支出合计, and each 类 row of 03 = the same 类 row of
    01. A 合计 difference explained by the 类 rows reported is not reported again; 类 differences
    that are exactly one table's own broken 类 sum are left to T01-002 / T03-003, which name them.

    Wrong:
        03表 208 社会保障和就业支出 793.87 | 01表 八、社会保障和就业支出 739.87
    Right:
        03表 208 社会保障和就业支出 793.87 | 01表 八、社会保障和就业支出 793.87
    """

    id = "X-002"
    title = "支出决算表与收入支出决算总表支出一致"
    family = "X"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t01, t03 = doc.table(TableKind.T01), doc.table(TableKind.T03)
        if t01 is None or t03 is None:
            return
        keys = coded_keys((t01, 3), (t03, 3))
        rows, diffs = pair_rows(
            self,
            ctx,
            t03,
            "total",
            t01,
            "amount",
            keys,
            lambda r: f"《{t03.name}》{_label(r)}本年支出合计与《{t01.name}》同一类支出不一致",
        )
        a = ctx.cell(t03, "total", "total")
        b = ctx.cell(t01, "exp_total_year", "amount")
        # Is the whole 类 difference one table's own broken 类 sum (already reported and named)?
        d01 = d03 = Decimal(0)
        if b is not None and mismatch(
            b.value, [t01.value(k, "amount") for k in class_rows(t01)], t01.decimals
        ):
            d01 = (b.value or 0) - sum(
                (t01.value(k, "amount") or Decimal(0) for k in class_rows(t01)), Decimal(0)
            )
        t03_classes = [r.key for r in t03.rows if r.code and len(r.code) == 3]
        if a is not None and mismatch(a.value, [t03.value(k, "total") for k in t03_classes], t03.decimals):
            d03 = (a.value or 0) - sum((t03.value(k, "total") or Decimal(0) for k in t03_classes), Decimal(0))
        totals_agree = (
            a is not None and b is not None and not mismatch(a.value, [b.value], t03.decimals, [t01.decimals])
        )
        n = _errors(rows)
        if (
            n
            and totals_agree
            and (d01 or d03)
            and abs(diffs - (d01 - d03)) <= tolerance(n + 2, coarser(t01, t03))
        ):
            rows = [f for f in rows if f.severity is Severity.INFO]
            n = 0
        yield from rows
        f = total_pair(self, ctx, f"《{t03.name}》合计与《{t01.name}》本年支出合计不一致", a, b, diffs, n)
        if f and not explained(f, (t03, "total", "total"), [(t01, "exp_total_year", "amount")]):
            yield f


@register
class X0104(Rule):
    """财政拨款收入支出决算总表 (04) 的三项本年收入 = 01表 的三项财政拨款收入 (一般公共预算、政府性基金、
    国有资本经营预算财政拨款收入).

    Wrong:
        04表 一般公共预算财政拨款 890.28 | 01表 一般公共预算财政拨款收入 900.28
    Right:
        04表 一般公共预算财政拨款 900.28 | 01表 一般公共预算财政拨款收入 900.28
    """

    id = "X-003"
    title = "财政拨款收入与收入支出决算总表一致"
    family = "X"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t01, t04 = doc.table(TableKind.T01), doc.table(TableKind.T04)
        if t01 is None or t04 is None:
            return
        for key in ("inc_general_budget", "inc_gov_fund", "inc_state_capital"):
            a = ctx.cell(t04, key, "amount")
            b = ctx.cell(t01, key, "amount")
            if a is None or b is None:
                continue
            f = self.sum_finding(ctx, partial(_pair_what, t04, a, t01, b), a, [b])
            if f:
                yield f


@register
class X0104Part(Rule):
    """财政拨款 is part of all funds: 04表 年初财政拨款结转和结余 ≤ 01表 年初结转和结余; 04表 年末财政拨款
    结转和结余 ≤ 01表 年末结转和结余; 04表 本年支出合计 ≤ 01表 本年支出合计, and each 类 of 04 (合计
    column) ≤ the same 类 of 01.

    Wrong:
        04表 年初财政拨款结转和结余 160.00 | 01表 年初结转和结余 151.09
    Right:
        04表 年初财政拨款结转和结余 148.33 | 01表 年初结转和结余 151.09
    """

    id = "X-004"
    title = "财政拨款部分不超过全部收支"
    family = "X"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t01, t04 = doc.table(TableKind.T01), doc.table(TableKind.T04)
        if t01 is None or t04 is None:
            return
        pairs = [
            ("inc_begin_balance", "amount", "inc_begin_balance"),
            ("exp_end_balance", "total", "exp_end_balance"),
            ("exp_total_year", "total", "exp_total_year"),
        ] + [(k, "total", k) for k in class_rows(t04)]
        class_excess = False
        for k4, c4, k1 in reversed(pairs):  # 类 rows first: 本年支出合计 is not reported again
            ac = t04.cell(k4, c4)  # the cell of ``a`` below
            if ac is None or ac.value is None or (k4 == "exp_total_year" and class_excess):
                continue
            if not _above(ac.value, t01.value(k1, "amount")):
                continue  # nothing to report: no Refs to build
            a = ctx.ref(t04, k4, c4)
            if a is None:
                continue
            b = ref_or_missing(ctx, t01, k1, "amount")
            f = not_above_finding(self, ctx, f"《{t04.name}》{_label(a)}超过《{t01.name}》{_label(b)}", a, b)
            if f:
                class_excess = class_excess or (k4.isdigit() and f.severity is not Severity.INFO)
                yield f


def _fund_pairs(
    rule: Rule, ctx: RunContext, t04: Table, fund_col: str, other: Table, what_other: str
) -> Iterator[Finding]:
    """04表 one fund column vs the table of that fund (05: 合计, 07/08: 本年支出 合计)."""
    other_col = "total" if other.kind is TableKind.T05 else "exp_total"
    if not _has_col(other, other_col):
        return
    keys = coded_keys((t04, 3), (other, 3))
    label = t04.column_label(fund_col)
    rows, diffs = pair_rows(
        rule,
        ctx,
        t04,
        fund_col,
        other,
        other_col,
        keys,
        lambda r: f"《{t04.name}》{_label(r)}[{label}]与《{other.name}》同一类{what_other}不一致",
    )
    yield from rows
    f = total_pair(
        rule,
        ctx,
        f"《{t04.name}》本年支出合计[{label}]与《{other.name}》合计{what_other}不一致",
        ctx.cell(t04, "exp_total_year", fund_col),
        ctx.cell(other, "total", other_col),
        diffs,
        _errors(rows),
    )
    if f and not explained(f, (t04, "exp_total_year", fund_col), [(other, "total", other_col)]):
        yield f


@register
class X0405(Rule):
    """04表 一般公共预算财政拨款 column = 一般公共预算财政拨款支出决算表 (05): each 类 row = 05表 that 类's
    合计, and 本年支出合计 = 05表 合计 (not reported again when the 类 rows explain it).

    Wrong:
        04表 卫生健康支出 [一般公共预算] 33.86 | 05表 210 卫生健康支出 合计 43.86
    Right:
        04表 卫生健康支出 [一般公共预算] 33.86 | 05表 210 卫生健康支出 合计 33.86
    """

    id = "X-005"
    title = "财政拨款总表一般公共预算列与一般公共预算支出表一致"
    family = "X"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t04, t05 = doc.table(TableKind.T04), doc.table(TableKind.T05)
        if t04 is None or t05 is None:
            return
        yield from _fund_pairs(self, ctx, t04, "general", t05, "支出")


class _FundTable(Rule):
    fund_col = "fund"
    income_key = "inc_gov_fund"
    begin_key = "inc_begin_fund"
    kind = TableKind.T07

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t04, other = doc.table(TableKind.T04), doc.table(self.kind)
        if t04 is None or other is None:
            return
        yield from _fund_pairs(self, ctx, t04, self.fund_col, other, "本年支出")
        pairs = [
            (ctx.cell(t04, self.income_key, "amount"), "income"),
            (ctx.cell(t04, self.begin_key, "amount"), "begin_balance"),
            (ctx.cell(t04, "exp_end_balance", self.fund_col), "end_balance"),
        ]
        for a, col in pairs:
            b = ctx.cell(other, "total", col)
            if a is None or b is None:
                continue
            f = self.sum_finding(ctx, partial(_fund_what, t04, a, other, col), a, [b])
            if f:
                yield f


@register
class X0407(_FundTable):
    """04表 政府性基金预算财政拨款 = 政府性基金预算财政拨款收入支出决算表 (07): 本年支出 by 类 and in
    total, 本年收入, 年初 and 年末结转和结余. An empty 07 table agrees with blank 04 cells.

    Wrong:
        04表 政府性基金预算财政拨款 本年收入 20.00 | 07表 合计 本年收入 空
    Right:
        04表 政府性基金预算财政拨款 本年收入 20.00 | 07表 合计 本年收入 20.00
    """

    id = "X-006"
    title = "财政拨款总表政府性基金与政府性基金表一致"
    family = "X"


@register
class X0408(_FundTable):
    """04表 国有资本经营预算财政拨款 = 国有资本经营预算财政拨款支出决算表 (08): 本年支出 by 类 and in
    total, and 本年收入 / 年初 / 年末 where table 08 prints them.

    Wrong:
        04表 本年支出合计 [国有资本经营] 5.00 | 08表 合计 本年支出 空
    Right:
        04表 本年支出合计 [国有资本经营] 5.00 | 08表 合计 本年支出 5.00
    """

    id = "X-007"
    title = "财政拨款总表国有资本经营与国有资本经营表一致"
    family = "X"
    fund_col = "capital"
    income_key = "inc_state_capital"
    begin_key = "inc_begin_capital"
    kind = TableKind.T08


def _t06_total(ctx: RunContext, t06: Table, key: str) -> CellAt | None:
    return ctx.cell(t06, key, "amount")


@register
class X0506Basic(Rule):
    """05表 合计行 基本支出 = 06表 人员经费合计 + 公用经费合计. Checked only when 05 does not split 基本
    支出 (otherwise X-009 compares each part, and T05-002 the split itself).

    Wrong:
        05表 基本支出 781.45 | 06表 人员经费合计 678.44 | 公用经费合计 93.00
    Right:
        05表 基本支出 771.45 | 06表 人员经费合计 678.44 | 公用经费合计 93.00
        (771.44 vs 771.45 is 尾数误差)
    """

    id = "X-008"
    title = "一般公共预算基本支出等于基本支出明细表人员经费与公用经费之和"
    family = "X"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t05, t06 = doc.table(TableKind.T05), doc.table(TableKind.T06)
        if t05 is None or t06 is None or _has_col(t05, "personnel") or _has_col(t05, "public"):
            return
        a = ctx.cell(t05, "total", "basic")
        parts = [p for p in (_t06_total(ctx, t06, k) for k in ("personnel_total", "public_total")) if p]
        if a is None or not parts:
            return
        f = self.sum_finding(
            ctx,
            f"《{t05.name}》合计行基本支出与《{t06.name}》人员经费合计、公用经费合计之和不一致",
            a,
            shown(parts),
        )
        sides = [(t06, "personnel_total", "amount"), (t06, "public_total", "amount")]
        if f and not explained(f, (t05, "total", "basic"), sides):
            yield f


@register
class X0506Split(Rule):
    """When 05表 splits 基本支出: 05表 合计行 人员经费 = 06表 人员经费合计 and 公用经费 = 06表 公用经费合计.

    Wrong:
        05表 合计 人员经费 678.44 | 06表 人员经费合计 678.41
    Right:
        05表 合计 人员经费 678.44 | 06表 人员经费合计 678.44
    """

    id = "X-009"
    title = "一般公共预算人员经费、公用经费与基本支出明细表一致"
    family = "X"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t05, t06 = doc.table(TableKind.T05), doc.table(TableKind.T06)
        if t05 is None or t06 is None:
            return
        for col, key in (("personnel", "personnel_total"), ("public", "public_total")):
            a = ctx.cell(t05, "total", col)
            b = _t06_total(ctx, t06, key)
            if a is None or b is None:
                continue
            f = self.sum_finding(ctx, partial(_split_what, t05, col, t06, b), a, [b])
            if f and not explained(f, (t05, "total", col), [(t06, key, "amount")]):
                yield f


@register
class X0610(Rule):
    """机关运行经费 (10表 合计) vs 06表 公用经费合计: equal for a purely administrative department, lower
    where 事业单位 are included or items are excluded. A difference is a question to answer, so a
    warning, never an error.

    Wrong:
        10表 机关运行经费合计 35.00 | 06表 公用经费合计 29.24 (higher than all 公用经费: explain)
    Right:
        10表 机关运行经费合计 29.24 | 06表 公用经费合计 29.24
    """

    id = "X-010"
    title = "机关运行经费与基本支出公用经费相互印证"
    family = "X"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t06, t10 = doc.table(TableKind.T06), doc.table(TableKind.T10)
        if t06 is None or t10 is None:
            return
        a = ctx.cell(t10, "total", "amount")
        b = _t06_total(ctx, t06, "public_total")
        if a is None or b is None:
            return
        f = self.sum_finding(
            ctx,
            f"机关运行经费与《{t06.name}》公用经费合计不一致（纯行政单位二者应相等，含事业单位或剔除项目时请说明）",
            a,
            [b],
        )
        if f:
            yield f


@register
class X0906(Rule):
    """06表 的三公类经济科目不超过 09表 对应决算数: 30212 因公出国（境）费用 ≤ 因公出国（境）费, 30217 公务
    接待费 ≤ 公务接待费, 30231 公务用车运行维护费 ≤ 公务用车运行费, 31013 公务用车购置 ≤ 公务用车购置费.
    Only this direction is sound: table 09 covers all 财政拨款 (basic and project spending, every
    fund), table 06 only 一般公共预算 basic spending, so 06 may be lower but not higher. A warning,
    since 经济分类 coding of these items is sometimes loose.

    Wrong:
        06表 30217 公务接待费 0.50 | 09表 公务接待费 决算数 0.18
    Right:
        06表 30217 公务接待费 0.18 | 09表 公务接待费 决算数 0.18
    """

    id = "X-011"
    title = "基本支出明细表三公科目不超过三公经费决算数"
    family = "X"
    severity = Severity.WARNING

    PAIRS = (("30212", "abroad"), ("30217", "reception"), ("30231", "car_run"), ("31013", "car_purchase"))

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t06, t09 = doc.table(TableKind.T06), doc.table(TableKind.T09)
        if t06 is None or t09 is None:
            return
        for code, key in self.PAIRS:
            ac, bc = t06.cell(code, "amount"), t09.cell(key, "actual")  # the cells of a and b below
            if ac is None or bc is None or ac.value is None or not _above(ac.value, bc.value):
                continue  # nothing to report: no Refs to build
            a = ctx.ref(t06, code, "amount")
            b = ctx.ref(t09, key, "actual")
            if a is None or b is None or a.value is None:
                continue
            f = not_above_finding(
                self, ctx, f"《{t06.name}》{_label(a)}超过《{t09.name}》{_label(b)}决算数", a, b
            )
            if f:
                yield f


@register
class X0305(Rule):
    """一般公共预算财政拨款 is part of all spending: for 合计 and every 类/款/项 row of 05表, its 合计 /
    基本支出 / 项目支出 ≤ the same row and column of 支出决算表 (03). A 05 row absent from 03 reads
    as zero there.

    Wrong:
        05表 2080109 合计 621.58 | 03表 2080109 本年支出合计 611.58
    Right:
        05表 2080109 合计 621.58 | 03表 2080109 本年支出合计 621.58
    """

    id = "X-012"
    title = "一般公共预算支出不超过支出决算表同一科目"
    family = "X"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        t03, t05 = doc.table(TableKind.T03), doc.table(TableKind.T05)
        if t03 is None or t05 is None:
            return
        # Deepest rows first; a row is not reported when one of its sub-rows already was (the
        # excess of a 项 shows again in its 款, 类 and 合计).
        rows = sorted((r for r in t05.rows if r.key == "total" or r.code), key=lambda r: -len(r.code or ""))
        reported: dict[str, list[str]] = {}
        in_t03 = {col: _has_col(t03, col) for col in ("total", "basic", "project")}
        for r in rows:
            prefix = r.code or ""
            for col in ("total", "basic", "project"):
                ac = t05.cell(r.key, col)  # the cell of ``a`` below
                if ac is None or ac.value is None or not in_t03[col]:
                    continue
                if any(c.startswith(prefix) for c in reported.get(col, [])):
                    continue
                if not _above(ac.value, t03.value(r.key, col)):
                    continue  # nothing to report: no Refs to build
                a = ctx.ref(t05, r.key, col)
                if a is None:
                    continue
                b = ref_or_missing(ctx, t03, r.key, col)
                f = not_above_finding(
                    self,
                    ctx,
                    f"《{t05.name}》{row_name(t05, r)}[{t05.column_label(col)}]超过《{t03.name}》同一科目",
                    a,
                    b,
                )
                if f:
                    if f.severity is not Severity.INFO:
                        reported.setdefault(col, []).append(prefix or "total")
                    yield f
