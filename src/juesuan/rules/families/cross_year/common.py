"""What the cross-year rules share: naming a cell of either year, and comparing one quantity
printed in both years. Registers no rule."""

from __future__ import annotations

from typing import ClassVar

from ....model import Finding, Ref, Severity, TableKind
from ....model.table import TABLE_NAMES
from ....tables.schema import column_label, row_label
from ...arith import Verdict, compare, fmt, fmt_signed
from ...base import PairRule
from ...pair import PREVIOUS_YEAR, PairDoc

# how a difference that a changed scope could explain is reported
ADJUST = "；如因口径调整，应在说明中写明原因"


class CrossYearRule(PairRule):
    """Base of the cross-year rules: ``check(pair)`` compares ``pair.doc`` with ``pair.other``,
    the same department's document of the year before, and yields findings on ``pair.doc``."""

    family: ClassVar[str] = "Y"
    severity: ClassVar[Severity] = Severity.WARNING
    relation: ClassVar[str] = PREVIOUS_YEAR

    def ref(self, d: PairDoc, kind: str, row: str, column: str, side: str | None, *, previous: bool) -> Ref:
        """A cell of either year; the previous year's is titled with its year and names its file."""
        c = d.cell(kind, row, column, side)
        tk = TableKind(kind)
        title = TABLE_NAMES[tk]
        if previous:
            title = f"{d.year}年度决算·{title}"
        label = (c.label if c and c.label else None) or row_label(tk, row)
        return Ref(
            table=tk, table_index=c.table_index if c else None, table_title=title, row=row, row_label=label,
            column=column, column_label=column_label(tk, column), value=d.amount(c),
            text=(f"上年文件：{d.path}" if previous else (c.raw if c else None)) or None, loc=c.loc if c else None,
        )  # fmt: skip

    def compare_finding(
        self, what: str, cur: PairDoc, prev: PairDoc, now: Ref, before: Ref, extra: str = ""
    ) -> Finding | None:
        """``now`` should equal ``before`` (the same quantity printed in two documents)."""
        cmp = compare(now.value, [before.value], decimals=2)
        if cmp.verdict is Verdict.EQUAL:
            return None
        arithmetic = (
            f"{fmt(cmp.found)}（{cur.year}年度）{'≠' if cmp.verdict is Verdict.MISMATCH else '≈'} {fmt(cmp.expected)}"
            f"（{prev.year}年度）；差 {fmt_signed(cmp.difference)}，容差 ±{cmp.tolerance.normalize():f}"
        )
        if cmp.verdict is Verdict.ROUNDING:
            return Finding(rule_id=self.id, rule_title=self.title, severity=Severity.INFO, locations=[now, before],
                           message=f"{what}：与上年决算相差 {fmt_signed(cmp.difference)}，在尾数误差范围内",
                           expected=fmt(cmp.expected), found=fmt(cmp.found), difference=cmp.difference,
                           tolerance=cmp.tolerance, arithmetic=arithmetic)  # fmt: skip
        return Finding(
            rule_id=self.id, rule_title=self.title, severity=self.severity, locations=[now, before],
            message=f"{what}：{cur.year}年度为 {fmt(cmp.found)}，{prev.year}年度决算（{prev.path or '上年文件'}）为 "
                    f"{fmt(cmp.expected)}，相差 {fmt_signed(cmp.difference)}{extra}",
            expected=fmt(cmp.expected), found=fmt(cmp.found), difference=cmp.difference, tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )  # fmt: skip
