"""P-007: the 部门整体支出绩效自评表 against the department's totals in the tables."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding, Ref, Severity, TableKind
from ...arith import fmt
from ...base import Rule, register
from ...context import RunContext
from .common import field_of, field_ref


def _dept_totals(ctx: RunContext) -> list[Ref]:
    """The department's totals a 部门整体支出 self-evaluation may cover: 本年支出合计 (01, 03),
    财政拨款 本年支出合计 (04), 一般公共预算财政拨款支出 合计 (05)."""

    out: list[Ref] = []
    for kind, row, col, side in (
        (TableKind.T03, "total", "total", None),
        (TableKind.T01, "exp_total_year", "amount", "expense"),
        (TableKind.T04, "exp_total_year", "total", "expense"),
        (TableKind.T05, "total", "total", None),
    ):
        t = ctx.doc.table(kind)
        if t is None:
            continue
        r = ctx.ref(t, row, col, side)
        if r is not None and r.value is not None:
            out.append(r)
    return out


@register
class DepartmentPerformanceAmounts(Rule):
    """The 全年执行数 of the 部门整体支出绩效自评表 is one of the department's totals in the tables
    (本年支出合计, 财政拨款支出合计, 一般公共预算财政拨款支出合计), within rounding. A warning: some
    regions evaluate a narrower scope, which the table should then say.

    Wrong:
        部门整体支出绩效自评表 全年执行数 891.98 | 支出决算表 本年支出合计 881.98 | 一般公共预算 881.98
    Right:
        部门整体支出绩效自评表 全年执行数 881.98 | 支出决算表 本年支出合计 881.98
    """

    id = "P-007"
    title = "部门整体绩效自评金额与决算表一致"
    family = "P"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        totals = _dept_totals(ctx)
        if not totals:
            return
        for t in doc.tables_of(TableKind.PERF_DEPT):
            actual = field_of(t, "actual_year")
            if actual is None:
                continue
            ref = field_ref(doc, t, "actual_year", actual)
            verdicts = [
                self.sum_finding(ctx, "部门整体支出绩效自评表全年执行数与决算表合计不一致", ref, [r])
                for r in totals
            ]
            if any(v is None or v.severity is Severity.INFO for v in verdicts):
                continue
            shown = "、".join(f"{r.table_title}{r.row_label or ''} {fmt(r.value)}" for r in totals)
            yield self.finding(
                f"《{t.name}》全年执行数 {fmt(actual)} 万元与决算表的支出合计都不一致（{shown}）",
                [ref, *totals],
                found=fmt(actual),
                expected=" / ".join(dict.fromkeys(fmt(r.value) for r in totals)),
                arithmetic="；".join(f"{fmt(actual)} ≠ {fmt(r.value)}" for r in totals),
            )
