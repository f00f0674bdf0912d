"""Y-005: the previous-year value a sentence of the narrative implies is last year's figure."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import Finding, Ref, Severity, TableKind
from ...arith import Verdict, compare, fmt, fmt_signed
from ...base import register
from ...pair import DocPair, last_year_stated
from .common import ADJUST, CrossYearRule


@register
class NarrativeLastYear(CrossYearRule):
    """情况说明中与上年比较的数字（上年数、增减额）应与上年决算公开的同一数字相符。

    The previous-year value a sentence implies (the current amount minus the stated change, or
    the 上年数 it states) is compared with the same cell of last year's document; the stated
    amount, the change and last year's value are each rounded, so a difference inside
    3 × 0.005 is rounding.

    Wrong:
        2023年度决算：本年收入合计 916.50 万元
        2024年度：本年收入合计 900.28 万元，与2023年度相比减少 26.22 万元（即上年 926.50）

    Right:
        2023年度决算：本年收入合计 916.50 万元
        2024年度：本年收入合计 900.28 万元，与2023年度相比减少 16.22 万元
    """

    id = "Y-005"
    title = "情况说明的上年数与上年决算一致"

    def check(self, pair: DocPair) -> Iterator[Finding]:
        cur, prev = pair.doc, pair.other
        if cur.year is None or prev.year is None:
            return
        for c in cur.claims:
            if c.year is not None and c.year != prev.year:
                continue
            if c.kind not in ("change", "amount") or not c.bindings:
                continue
            if c.kind == "amount" and c.year != prev.year:
                continue
            b = next((x for x in c.bindings if x.get("role") in (None, "value")), c.bindings[0])
            f = prev.cell(b["table"], b["row"], b["column"], b.get("side"))
            if f is None:
                continue
            said = last_year_stated(cur, c, b)
            if said is None:
                continue
            value, parts, stated = said
            last = prev.amount(f)
            cmp = compare(last, parts, decimals=2)
            if cmp.verdict is Verdict.EQUAL:
                continue
            now = Ref(table=TableKind(b["table"]), table_index=b.get("table_index"), row=b["row"], column=b["column"],
                      row_label=c.label or None, value=value, text=c.sentence, loc=c.loc)  # fmt: skip
            before = self.ref(prev, b["table"], b["row"], b["column"], b.get("side"), previous=True)
            arithmetic = (
                f"{stated} = {fmt(cmp.expected)}；上年决算 {fmt(cmp.found)}；差 {fmt_signed(cmp.expected - cmp.found)}，"
                f"容差 ±{cmp.tolerance.normalize():f}"
            )
            label = c.label or "该项"
            if cmp.verdict is Verdict.ROUNDING:
                yield Finding(rule_id=self.id, rule_title=self.title, severity=Severity.INFO, locations=[now, before],
                              message=f"“{label}”的上年数与上年决算相差 {fmt_signed(cmp.expected - cmp.found)}，在尾数误差范围内",
                              expected=fmt(cmp.found), found=fmt(cmp.expected), difference=cmp.expected - cmp.found,
                              tolerance=cmp.tolerance, arithmetic=arithmetic)  # fmt: skip
                continue
            yield Finding(
                rule_id=self.id, rule_title=self.title, severity=self.severity, locations=[now, before],
                message=f"说明中“{label}”隐含的{prev.year}年度数为 {fmt(cmp.expected)}，而{prev.year}年度决算"
                        f"（{prev.path or '上年文件'}）为 {fmt(cmp.found)}，相差 {fmt_signed(cmp.expected - cmp.found)}{ADJUST}",
                expected=fmt(cmp.found), found=fmt(cmp.expected), difference=cmp.expected - cmp.found,
                tolerance=cmp.tolerance, arithmetic=arithmetic,
            )  # fmt: skip

