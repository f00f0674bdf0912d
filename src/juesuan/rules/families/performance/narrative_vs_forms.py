"""P-006: the 绩效 sections of the narrative against the 绩效自评表."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....ingest.text_lines import quote
from ....model import ClaimKind, Disclosure, Finding, Ref, Severity, Table, TableKind
from ...arith import fmt
from ...base import Rule, register
from ...context import RunContext
from .common import FIELD_LABELS, field_of, field_ref, is_blank_form, perf_tables, tname


def stated_pairs(doc: Disclosure) -> list[tuple[Decimal, Decimal, Ref]]:
    """(预算数, 执行数, sentence) pairs the 绩效 sections state: the completion claims of those
    sections with both numbers, then the pairs the reader read from their words that no claim
    already states."""
    out: list[tuple[Decimal, Decimal, Ref]] = []
    headings = set(doc.perf_statements.headings)
    for c in doc.claims:
        if c.kind is ClaimKind.COMPLETION and c.section in headings:
            b, a = c.attrs.get("budget"), c.attrs.get("actual")
            if isinstance(b, Decimal) and isinstance(a, Decimal):
                out.append((b, a, Ref(text=c.sentence, loc=c.loc)))
    stated = {(b, a) for b, a, _ in out}
    for s in doc.perf_statements.budget_actual:
        if (s.budget, s.actual) not in stated:
            stated.add((s.budget, s.actual))
            out.append((s.budget, s.actual, Ref(text=s.sentence, loc=s.loc)))
    return out


def _close(a: Decimal, b: Decimal, places: int) -> bool:
    """Equal at the precision the narrative printed (77 万元 for 77.00; 15.5 for 15.50)."""
    return abs(a - b) <= Decimal(5).scaleb(-(places + 1))


def _places(v: Decimal) -> int:
    return max(0, -int(v.as_tuple().exponent))


@register
class PerformanceNarrative(Rule):
    """The 绩效 section of the narrative agrees with the 绩效自评表: a project stated with the
    全年预算数 of a table has that table's 全年执行数 (error otherwise), and one stated with the
    执行数 of exactly one table (≥ 10 万元) has that table's 全年预算数; the number of projects it
    says were self-evaluated is not smaller than the number of project tables attached (warning);
    and when they are equal, the total it states (共涉及资金 X 万元) equals the tables' 全年预算数 or
    全年执行数 summed (error, rounding-aware).

    Wrong:
        自评表：全年预算数 77.00 | 全年执行数 74.72；说明：项目全年预算数为 77 万元，执行数为 74.92 万元
    Right:
        自评表：全年预算数 77.00 | 全年执行数 74.72；说明：项目全年预算数为 77 万元，执行数为 74.72 万元
    """

    id = "P-006"
    title = "绩效说明与绩效自评表一致"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        tables = [t for t in perf_tables(doc) if not is_blank_form(t)]
        if not tables or doc.metadata.is_template:
            return
        yield from self._pairs(doc, tables)
        yield from self._count_and_total(ctx, tables)

    def _pairs(self, doc: Disclosure, tables: list[Table]) -> Iterator[Finding]:
        for b, a, ref in stated_pairs(doc):
            bp, ap = _places(b), _places(a)
            same_budget = [
                t for t in tables if (v := field_of(t, "budget_year")) is not None and _close(b, v, bp)
            ]
            if not same_budget:
                yield from self._by_actual(doc, tables, b, a, ref)
                continue
            if any((v := field_of(t, "actual_year")) is not None and _close(a, v, ap) for t in same_budget):
                continue
            if len(same_budget) > 1:
                continue  # several projects share the budget: which one is meant is not known
            t = same_budget[0]
            actual = field_of(t, "actual_year")
            if actual is None:
                continue
            yield self.finding(
                f"绩效说明称执行数为 {a} 万元，但{tname(t)}（全年预算数 {fmt(field_of(t, 'budget_year'))}）"
                f"的全年执行数为 {fmt(actual)} 万元：“{quote(ref.text or '', 50)}”",
                [ref, field_ref(doc, t, "actual_year", actual), field_ref(doc, t, "budget_year")],
                expected=fmt(actual),
                found=str(a),
                difference=a - actual,
                arithmetic=f"说明 {a} ≠ 表中全年执行数 {fmt(actual)}；差 {a - actual:+}（全年预算数 {b} 与表中一致）",
            )

    def _by_actual(
        self, doc: Disclosure, tables: list[Table], b: Decimal, a: Decimal, ref: Ref
    ) -> Iterator[Finding]:
        """No table has the stated 预算数: when exactly one has the stated 执行数 (an amount of at
        least 10 万元, so not a coincidence of small round numbers), its 全年预算数 is what the
        sentence should state."""
        if a < 10:
            return
        ap = _places(a)
        same_actual = [
            t for t in tables if (v := field_of(t, "actual_year")) is not None and _close(a, v, ap)
        ]
        if len(same_actual) != 1:
            return
        t = same_actual[0]
        budget = field_of(t, "budget_year")
        if budget is None:
            return
        yield self.finding(
            f"绩效说明称预算为 {b} 万元，但执行数同为 {a} 万元的{tname(t)}全年预算数为 {fmt(budget)} 万元："
            f"“{quote(ref.text or '', 50)}”",
            [ref, field_ref(doc, t, "budget_year", budget), field_ref(doc, t, "actual_year")],
            expected=fmt(budget),
            found=str(b),
            difference=b - budget,
            arithmetic=f"说明 {b} ≠ 表中全年预算数 {fmt(budget)}；差 {b - budget:+}（执行数 {a} 与表中一致）",
        )

    def _count_and_total(self, ctx: RunContext, tables: list[Table]) -> Iterator[Finding]:
        """The first count the 绩效 sections state against the project tables, and the total stated
        after it against their sums."""
        counts = ctx.doc.perf_statements.project_counts
        if not counts:
            return
        stated = counts[0]
        n = stated.count
        projects = [t for t in tables if t.kind is TableKind.PERF_PROJECT]
        if len(projects) > n:
            yield self.finding(
                f"绩效说明称对 {n} 个项目开展自评，但文件附了 {len(projects)} 张项目支出绩效自评表：“{quote(stated.sentence, 50)}”",
                [
                    Ref(text=stated.sentence, loc=stated.loc),
                    *(
                        Ref(table=t.kind, table_index=ctx.table_index(t), table_title=t.name, loc=t.loc)
                        for t in projects
                    ),
                ],
                severity=Severity.WARNING,
                expected=str(len(projects)),
                found=str(n),
            )
            return
        if len(projects) != n or stated.total is None:
            return
        total_ref = Ref(text=stated.total_sentence, loc=stated.loc, value=stated.total)
        best = None
        for key in ("budget_year", "actual_year"):
            parts = [field_ref(ctx.doc, t, key) for t in projects]
            if any(p.value is None for p in parts):
                continue
            f = self.sum_finding(
                ctx,
                f"绩效说明所称项目资金合计与 {n} 张项目自评表的{FIELD_LABELS[key]}之和不符",
                total_ref,
                parts,
            )
            if f is None or f.severity is Severity.INFO:
                return  # agrees with one of the two sums
            if best is None or abs(f.difference or Decimal(0)) < abs(best.difference or Decimal(0)):
                best = f
        if best is not None:
            yield best
