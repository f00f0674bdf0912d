"""Rule base classes (of one document, of a pair of documents), the registry, and helpers shared
by the rule families."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import ClassVar, TypeVar

from ..model import (
    ALL_KINDS,
    FINAL_ACCOUNTS,
    Cell,
    Disclosure,
    DisclosureKind,
    Finding,
    Ref,
    Row,
    Severity,
    Table,
    TableKind,
)
from ..tables.schema import row_label
from .arith import Comparison, Verdict, compare, fmt, fmt_signed
from .context import CellAt, RunContext
from .pair import DocPair

REGISTRY: dict[str, type[RuleBase]] = {}
_RuleT = TypeVar("_RuleT", bound="type[RuleBase]")


def register(cls: _RuleT) -> _RuleT:
    """Class decorator adding a rule (of one document or of a pair) to the catalogue."""
    if cls.id in REGISTRY and REGISTRY[cls.id] is not cls:
        raise ValueError(f"duplicate rule id {cls.id}")
    doc = inspect.getdoc(cls) or ""
    if "Wrong:" not in doc or "Right:" not in doc:
        raise ValueError(f"rule {cls.id} needs a docstring with 'Wrong:' and 'Right:' examples")
    if not cls.kinds or not cls.kinds <= ALL_KINDS:
        raise ValueError(f"rule {cls.id}: kinds must name kinds of disclosure (DisclosureKind)")
    REGISTRY[cls.id] = cls
    return cls


class RuleBase:
    """What every rule of the catalogue has: ``id``, ``title``, ``family``, ``severity`` and a class
    docstring holding a summary, then ``Wrong:`` and ``Right:`` examples (rendered into
    ``docs/rules.md``). A rule judges one document (:class:`Rule`) or two (:class:`PairRule`)."""

    id: ClassVar[str]
    title: ClassVar[str]
    family: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    # the kinds of disclosure the rule judges (a 决算 identity means nothing in a budget);
    # kind-neutral rules (names, years, placeholders, what the reader met) say ALL_KINDS
    kinds: ClassVar[frozenset[DisclosureKind]] = FINAL_ACCOUNTS

    @classmethod
    def applies_to(cls, kind: DisclosureKind | None) -> bool:
        """Whether the rule judges a document of ``kind``; a document whose kind is not named
        anywhere is taken for final accounts, the kind every rule was first written for."""
        return (kind or DisclosureKind.DEPARTMENT) in cls.kinds

    def finding(
        self,
        message: str,
        refs: Iterable[Ref] = (),
        *,
        severity: Severity | None = None,
        expected: str | None = None,
        found: str | None = None,
        difference: Decimal | None = None,
        tolerance: Decimal | None = None,
        arithmetic: str | None = None,
    ) -> Finding:
        return Finding(
            rule_id=self.id,
            rule_title=self.title,
            severity=severity or self.severity,
            message=message,
            locations=list(refs),
            expected=expected,
            found=found,
            difference=difference,
            tolerance=tolerance,
            arithmetic=arithmetic,
        )


class Rule(RuleBase):
    """Base of the rules of one document. Subclasses set ``id``, ``title``, ``family``,
    ``severity`` and implement :meth:`check`, which reads the disclosure through the run context
    (``ctx.doc``, ``ctx.cell(...)``, ``ctx.once(...)``) and yields findings."""

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        raise NotImplementedError

    @staticmethod
    def places(ctx: RunContext, refs: Sequence[Ref], decimals: int | None = None) -> list[int]:
        """The precision of each ref: ``decimals`` for all when given, else each one's table's."""
        if decimals is not None:
            return [decimals] * len(refs)
        return [ctx.decimals_of(r) for r in refs]

    # -- building findings ---------------------------------------------------------------------
    def sum_finding(
        self,
        ctx: RunContext,
        what: What,
        total: Ref | CellAt,
        parts: Sequence[Ref | CellAt],
        *,
        decimals: int | None = None,
        op_labels: list[str] | None = None,
    ) -> Finding | None:
        """Compare ``total`` with the sum of ``parts`` (blank = zero) and report.

        Returns None when equal, an ``info`` finding inside the rounding interval, and a finding
        of the rule's severity outside it. ``what`` names the identity in Chinese (or is a
        function giving the name, called only for a finding). Each value is taken at the printed
        precision of its own table (``Table.decimals``) unless ``decimals`` is given; the sum and
        the difference are printed at the finest of them.

        Values are compared first: the Refs of :class:`CellAt` cells are built only for a finding.
        """
        if sums_equal(total.value, [p.value for p in parts]):
            return None  # the verdict EQUAL: nothing to report, nothing to build
        return self._sum_finding(ctx, what_text(what), as_ref(total), as_refs(parts), decimals, op_labels)

    def _sum_finding(
        self,
        ctx: RunContext,
        what: str,
        total: Ref,
        parts: list[Ref],
        decimals: int | None,
        op_labels: list[str] | None,
    ) -> Finding | None:
        fd, *pd = self.places(ctx, [total, *parts], decimals)
        cmp = compare(total.value, [p.value for p in parts], found_decimals=fd, part_decimals=pd)
        if cmp.verdict is Verdict.EQUAL:
            return None
        d = max([fd, *pd])
        arithmetic = sum_arithmetic(total, parts, cmp, [fd, *pd], op_labels)
        if cmp.verdict is Verdict.ROUNDING:
            return self.finding(
                f"{what}：相差 {fmt_signed(cmp.difference, d)}，在尾数误差范围内",
                [total, *parts],
                severity=Severity.INFO,
                expected=fmt(cmp.expected, d),
                found=fmt(cmp.found, fd),
                difference=cmp.difference,
                tolerance=cmp.tolerance,
                arithmetic=arithmetic,
            )
        return self.finding(
            f"{what}：应为 {fmt(cmp.expected, d)}，实为 {fmt(cmp.found, fd)}，"
            f"相差 {fmt_signed(cmp.difference, d)}",
            [total, *parts],
            expected=fmt(cmp.expected, d),
            found=fmt(cmp.found, fd),
            difference=cmp.difference,
            tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )


class PairRule(RuleBase):
    """Base of the rules comparing two documents. Subclasses set ``relation`` (the pairs they
    judge: :data:`~juesuan.rules.pair.PREVIOUS_YEAR` …) and implement :meth:`check`, which reads
    ``pair.doc`` and ``pair.other`` and yields findings on ``pair.doc``."""

    relation: ClassVar[str]

    def check(self, pair: DocPair) -> Iterator[Finding]:
        raise NotImplementedError


def sum_arithmetic(
    total: Ref,
    parts: list[Ref],
    cmp: Comparison,
    decimals: int | Sequence[int],
    op_labels: list[str] | None = None,
) -> str:
    """``881.98 ≠ 771.45 + 110.54 = 881.99；差 −0.01，容差 ±0.015（3 个舍入项 × 0.005）``.

    ``decimals``: one precision for every value, or one per value (the total first)."""
    places = [decimals] * (len(parts) + 1) if isinstance(decimals, int) else list(decimals)
    fd, pd, d = places[0], places[1:], max(places)
    terms: list[str] = []
    for i, p in enumerate(parts):
        v = fmt(p.value, pd[i]) if p.value is not None else "0（空）"
        op = op_labels[i] if op_labels else ("+" if i else "")
        terms.append(f"{op} {v}".strip() if i or op_labels else v)
    rhs = " ".join(terms) if terms else "0"
    rel = "=" if cmp.verdict is Verdict.EQUAL else "≠"
    return (
        f"{fmt(cmp.found, fd)} {rel} {rhs} = {fmt(cmp.expected, d)}；"
        f"差 {fmt_signed(cmp.difference, d)}，容差 ±{cmp.tolerance.normalize():f}"
        f"（{cmp.tolerance_text()}）"
    )


_R = TypeVar("_R", bound=Ref | CellAt)
# a comparison's name: the text, or a function giving it (called only when there is a finding)
What = str | Callable[[], str]


def what_text(what: What) -> str:
    return what if isinstance(what, str) else what()


def as_ref(r: Ref | CellAt) -> Ref:
    return r.ref() if isinstance(r, CellAt) else r


def as_refs(rs: Iterable[Ref | CellAt]) -> list[Ref]:
    return [r.ref() if isinstance(r, CellAt) else r for r in rs]


def first_line(doc: str) -> str:
    return doc.strip().splitlines()[0] if doc.strip() else ""


def rule_docs(cls: type[RuleBase]) -> tuple[str, str, str]:
    """(summary, wrong, right) from a rule's docstring."""
    doc = inspect.getdoc(cls) or ""
    m = re.split(r"^(Wrong:|Right:)\s*$", doc, flags=re.M)
    summary = m[0].strip()
    wrong = right = ""
    for i in range(1, len(m) - 1, 2):
        if m[i] == "Wrong:":
            wrong = m[i + 1].strip("\n")
        elif m[i] == "Right:":
            right = m[i + 1].strip("\n")
    return summary, wrong, right


def tables_present(doc: Disclosure, *kinds: TableKind) -> list[Table] | None:
    """The first table of each kind, or None when any is absent."""
    out = []
    for k in kinds:
        t = doc.table(k)
        if t is None:
            return None
        out.append(t)
    return out


# --- helpers of the table families (T01–T11, X) ----------------------------------------------
# Policy against restating a discrepancy (used by every table and cross-table rule):
#
# * hierarchy (合计 → 类 → 款 → 项) is reported at the lowest level where it breaks: a parent is
#   compared with its children twice, once with the children as printed and once with every child
#   that itself disagrees with its own children replaced by their sum; only when both comparisons
#   fail is the parent reported (a wrong 款 is reported once, not again at its 类 and at 合计);
# * a total derived from other totals (总计 from 本年收入合计, 收入总计 = 支出总计) is checked the same
#   way: it is not reported when the break is fully explained by an input already reported;
# * a cross-table total is not reported when the row-by-row differences already reported add up
#   to its difference.


def mismatch(
    found: Decimal | None,
    parts: Sequence[Decimal | None],
    decimals: int = 2,
    part_decimals: Sequence[int | None] | None = None,
) -> bool:
    """True when ``found`` differs from the sum of ``parts`` beyond the rounding interval
    (``decimals``: the printed precision of ``found``, and of the parts unless ``part_decimals``
    gives theirs one by one)."""
    if sums_equal(found, parts):
        return False  # EQUAL at any precision
    if part_decimals is None:
        return compare(found, parts, decimals=decimals).verdict is Verdict.MISMATCH
    cmp = compare(found, parts, found_decimals=decimals, part_decimals=part_decimals)
    return cmp.verdict is Verdict.MISMATCH


def coarser(*tables: Table) -> int:
    """The smaller printed precision of ``tables``: its half unit bounds the rounding of any value
    of them (used where one precision must serve values of several tables)."""
    return min((t.decimals for t in tables), default=2)


def settled(total: Decimal | None, parts: Sequence[Decimal | None], decimals: int = 2) -> Decimal | None:
    """The value a total should have given its parts: the sum of the parts when the printed total
    disagrees with them beyond rounding (that break is reported elsewhere), else the printed total.
    With no part printed at all there is nothing to settle on: the printed total stands."""
    if any(p is not None for p in parts) and mismatch(total, parts, decimals):
        return sum((p for p in parts if p is not None), Decimal(0))
    return total


def _signed_terms(terms: list[tuple[int, Ref]], decimals: Sequence[int]) -> str:
    out: list[str] = []
    for i, (sign, r) in enumerate(terms):
        v = fmt(r.value, decimals[i]) if r.value is not None else "0（空）"
        op = "−" if sign < 0 else ("+" if i else "")
        out.append(f"{op} {v}".strip())
    return " ".join(out) if out else "0"


def balance_finding(
    self: Rule,
    ctx: RunContext,
    what: What,
    total: Ref | CellAt,
    signed: Sequence[tuple[int, Ref | CellAt]],
    decimals: int | None = None,
) -> Finding | None:
    """Compare ``total`` with a signed sum of ``signed`` (``(+1, ref)`` / ``(-1, ref)``), with the
    same rounding interval, precision and severities as :meth:`Rule.sum_finding` (and, like it,
    Refs and message only for a finding)."""
    parts = [(r.value if s > 0 else -r.value) if r.value is not None else None for s, r in signed]
    if sums_equal(total.value, parts):
        return None
    total = as_ref(total)
    terms = [(s, as_ref(r)) for s, r in signed]
    what = what_text(what)
    refs = [total, *(r for _, r in terms)]
    fd, *pd = self.places(ctx, refs, decimals)
    cmp = compare(total.value, parts, found_decimals=fd, part_decimals=pd)
    if cmp.verdict is Verdict.EQUAL:
        return None
    d = max([fd, *pd])
    arithmetic = (
        f"{fmt(cmp.found, fd)} ≠ {_signed_terms(terms, pd)} = {fmt(cmp.expected, d)}；"
        f"差 {fmt_signed(cmp.difference, d)}，容差 ±{cmp.tolerance.normalize():f}"
        f"（{cmp.tolerance_text()}）"
    )
    if cmp.verdict is Verdict.ROUNDING:
        return self.finding(
            f"{what}：相差 {fmt_signed(cmp.difference, d)}，在尾数误差范围内",
            refs,
            severity=Severity.INFO,
            expected=fmt(cmp.expected, d),
            found=fmt(cmp.found, fd),
            difference=cmp.difference,
            tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )
    return self.finding(
        f"{what}：应为 {fmt(cmp.expected, d)}，实为 {fmt(cmp.found, fd)}，"
        f"相差 {fmt_signed(cmp.difference, d)}",
        refs,
        expected=fmt(cmp.expected, d),
        found=fmt(cmp.found, fd),
        difference=cmp.difference,
        tolerance=cmp.tolerance,
        arithmetic=arithmetic,
    )


def not_above_finding(
    self: Rule,
    ctx: RunContext,
    what: What,
    part: Ref | CellAt | Sequence[Ref | CellAt],
    whole: Ref | CellAt,
    decimals: int | None = None,
    severity: Severity | None = None,
    exact: bool = False,
) -> Finding | None:
    """``part`` (or the sum of several) must not exceed ``whole``. Inside the rounding interval an
    excess is reported as ``info``; beyond it with ``severity`` (the rule's by default). ``exact``
    values (counts of people, vehicles) have no rounding interval. Each value is taken at the
    printed precision of its own table unless ``decimals`` is given. Refs and message only for a
    finding."""
    given = [part] if isinstance(part, (Ref, CellAt)) else part
    small = [p.value for p in given]
    if sum((v for v in small if v is not None), _ZERO) <= (whole.value if whole.value is not None else _ZERO):
        return None  # compare's expected <= found: nothing to report, nothing to build
    parts, whole = as_refs(given), as_ref(whole)
    what = what_text(what)
    wd, *pd = self.places(ctx, [whole, *parts], decimals)
    cmp = compare(whole.value, small, found_decimals=wd, part_decimals=pd)
    if cmp.expected <= cmp.found:
        return None
    decimals = max([wd, *pd])
    excess = cmp.expected - cmp.found
    lhs = " + ".join(fmt(p.value, pd[i]) if p.value is not None else "0（空）" for i, p in enumerate(parts))
    if len(parts) > 1:
        lhs += f" = {fmt(cmp.expected, decimals)}"
    arithmetic = f"{lhs} > {fmt(cmp.found, wd)}；超出 {fmt(excess, decimals)}"
    if not exact:
        arithmetic += f"，容差 ±{cmp.tolerance.normalize():f}"
    refs = [*parts, whole]
    if cmp.verdict is Verdict.ROUNDING and not exact:
        return self.finding(
            f"{what}：超出 {fmt(excess, decimals)}，在尾数误差范围内",
            refs,
            severity=Severity.INFO,
            expected=f"≤ {fmt(cmp.found, wd)}",
            found=fmt(cmp.expected, decimals),
            difference=excess,
            tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )
    return self.finding(
        f"{what}：{fmt(cmp.expected, decimals)} 大于 {fmt(cmp.found, wd)}，超出 {fmt(excess, decimals)}",
        refs,
        severity=severity,
        expected=f"≤ {fmt(cmp.found, wd)}",
        found=fmt(cmp.expected, decimals),
        difference=excess,
        tolerance=cmp.tolerance,
        arithmetic=arithmetic,
    )


def shown(parts: Sequence[_R]) -> list[_R]:
    """The parts worth naming in a sum: blank cells (exact zeros, no rounding) are left out, unless
    every part is blank."""
    printed = [p for p in parts if p.value is not None]
    return printed or list(parts[:1])


def row_name(table: Table, row: Row) -> str:
    """“208 社会保障和就业支出” / “合计”: how a finding names a row."""
    if row.code:
        return f"“{row.code} {row.label}”".replace(" ”", "”")
    return f"“{row.label or row_label(table.kind, row.key)}”"


def function_rows(table: Table) -> list[Row]:
    """Rows keyed by a 功能分类 code (类/款/项), the income side of two-sided tables left out."""
    return [r for r in table.rows if r.code and r.level and r.side != "income"]


def _shown_values(cells: list[Cell]) -> list[Decimal | None]:
    """The values of :func:`shown` parts, without building their Refs."""
    printed: list[Decimal | None] = [c.value for c in cells if c.value is not None]
    return printed or [c.value for c in cells[:1]]


_K = TypeVar("_K")


def _shown_cells(pairs: list[tuple[_K, Cell]]) -> list[tuple[_K, Cell]]:
    """The pairs whose cells :func:`shown` keeps (printed ones, else the first), before any Ref."""
    printed = [x for x in pairs if x[1].value is not None]
    return printed or pairs[:1]


def sums_equal(total: Decimal | None, parts: Sequence[Decimal | None]) -> bool:
    """True when :func:`arith.compare` finds ``total`` and the sum of ``parts`` EQUAL (blank =
    zero; the verdict is EQUAL exactly when the difference is zero, whatever the precision), so
    :meth:`Rule.sum_finding` would report nothing."""
    return (total if total is not None else _ZERO) == sum((p for p in parts if p is not None), _ZERO)


_ZERO = Decimal(0)


def row_sum_findings(
    rule: Rule,
    ctx: RunContext,
    table: Table,
    total_col: str,
    part_cols: list[str],
    *,
    only_rows: list[Row] | None = None,
    require_part: list[str] | None = None,
) -> Iterator[Finding]:
    """Per row: ``total_col`` = Σ ``part_cols`` (blank = zero; missing columns left out).

    ``require_part``: check a row only when one of these columns is printed in it (e.g. the
    人员经费/公用经费 split of 基本支出, which not every layout has).

    Values are compared first; Refs are built only for a row that gives a finding."""
    index = ctx.rows(table)
    for r in only_rows if only_rows is not None else table.rows:
        row = index.row(r.key, r.side)
        if row is None:
            continue
        tcell = row.cell(total_col)
        if tcell is None:
            continue
        if require_part and not any(r.cell(c) is not None for c in require_part):
            continue
        pcells = [(c, pc) for c, pc in ((c, row.cell(c)) for c in part_cols) if pc is not None]
        if not pcells:
            continue
        if sums_equal(tcell.value, _shown_values([pc for _, pc in pcells])):
            continue
        total = ctx.row_ref(table, row, total_col, tcell)
        parts = [ctx.row_ref(table, row, c, pc) for c, pc in _shown_cells(pcells)]  # shown(all Refs)
        names = "、".join(table.column_label(c) for c, _ in pcells)
        what = f"{row_name(table, r)}行{table.column_label(total_col)}不等于{names}之和"
        f = rule.sum_finding(ctx, what, total, parts)
        if f:
            yield f


_LEVEL_NAMES = {0: "类级科目", 1: "款级科目", 2: "项级科目"}


def tree_findings(
    rule: Rule, ctx: RunContext, table: Table, columns: list[str], *, levels: set[int]
) -> Iterator[Finding]:
    """Hierarchy of 功能分类 rows, column by column: 合计 = Σ 类 (level 0), 类 = Σ 款 (level 1),
    款 = Σ 项 (level 2). Reported at the lowest level where it breaks (see the policy above).

    The parent/children plan and the settled values are built once per run for all columns and
    levels (:func:`_tree_steps`), and so are the parents whose printed value is not the sum of
    their children (:func:`_tree_breaks`, shared by the rules of one table that report different
    levels): Refs only for a comparison that gives a finding."""
    dec = table.decimals
    columns_key = tuple(columns)
    for col, breaks in ctx.once(
        ("tree_breaks", columns_key), table, lambda: _tree_breaks(ctx, table, columns)
    ):
        for lvl, parent, kids, prow, tcell, present, pcell, fixed in breaks:
            if lvl not in levels:
                continue
            shown_kids = _shown_cells(present)  # the cells of shown(parts)
            # the severity sum_finding gives (the verdict is not EQUAL: _tree_breaks left those out)
            values = [kc.value for _, kc in shown_kids]
            verdict = compare(
                tcell.value, values, found_decimals=dec, part_decimals=[dec] * len(values)
            ).verdict
            severity = Severity.INFO if verdict is Verdict.ROUNDING else rule.severity
            if severity is not Severity.INFO and not mismatch(pcell.value, fixed, dec):
                continue  # explained by a lower level already reported: no Refs to build
            total = ctx.row_ref(table, prow, col, tcell)
            parts = [ctx.row_ref(table, kr, col, kc) for kr, kc in shown_kids]
            what = (
                f"{row_name(table, parent)}行[{table.column_label(col)}]不等于其下{len(kids)}个"
                f"{_LEVEL_NAMES[lvl]}之和"
            )
            f = rule.sum_finding(ctx, what, total, parts, decimals=dec)
            if f is not None:
                yield f


_TreeStep = tuple[int, Row, list[Row], Row | None, list[Row | None], Cell, list[Decimal | None]]
# a step of _tree_steps whose parent prints the column but not the sum of its printed children:
# (level, parent, kids, parent's row, parent's cell, (child row, child cell) printed, pcell, fixed)
_TreeBreak = tuple[int, Row, list[Row], Row, Cell, list[tuple[Row, Cell]], Cell, list[Decimal | None]]


def _tree_breaks(ctx: RunContext, table: Table, columns: list[str]) -> list[tuple[str, list[_TreeBreak]]]:
    """Per column, the steps of :func:`_tree_steps` that :func:`tree_findings` compares further:
    the parent row and cell are there, some child prints the column, and the printed value is not
    the sum of the children (whatever the levels reported, so computed once per run)."""
    out: list[tuple[str, list[_TreeBreak]]] = []
    for col, steps in ctx.once(("tree", tuple(columns)), table, lambda: _tree_steps(ctx, table, columns)):
        breaks: list[_TreeBreak] = []
        for lvl, parent, kids, prow, krows, pcell, fixed in steps:
            if prow is None:
                continue
            tcell = prow.cell(col)
            if tcell is None:
                continue
            present = [
                (kr, kc)
                for kr, kc in ((kr, kr.cell(col)) for kr in krows if kr is not None)
                if kc is not None
            ]
            if not present or sums_equal(tcell.value, _shown_values([kc for _, kc in present])):
                continue
            breaks.append((lvl, parent, kids, prow, tcell, present, pcell, fixed))
        out.append((col, breaks))
    return out


def _tree_steps(ctx: RunContext, table: Table, columns: list[str]) -> list[tuple[str, list[_TreeStep]]]:
    """Per column, each parent row of :func:`tree_findings` that prints the column, with its
    children and their values as settled below (each child replaced by the sum of its own children
    where it disagrees with them). It does not depend on the levels reported, so the rules of one
    table that report different levels share it (once per run)."""
    rows = function_rows(table)
    if not rows:
        return []
    by_code: dict[str, Row] = {}
    for r in rows:
        by_code.setdefault(r.code or "", r)
    level = {id(r): r.level for r in by_code.values()}
    top = min(level[id(r)] or 9 for r in by_code.values())
    total_row = ctx.row(table, "total")
    plans: list[tuple[int, Row, list[Row]]] = []
    for lvl in (2, 1):
        # the rows of the level below, by each prefix a parent's code could be (every code of one
        # level has one length, so "starts with the parent's code" is "this prefix is the code")
        plen = {len(p.code or "") for p in by_code.values() if level[id(p)] == lvl}
        below: dict[str, list[Row]] = {}
        for k in by_code.values():
            if level[id(k)] == lvl + 1:
                kc = k.code or ""
                for n in plen:
                    if len(kc) >= n:
                        below.setdefault(kc[:n], []).append(k)
        for parent in by_code.values():
            if level[id(parent)] != lvl:
                continue
            kids = below.get(parent.code or "", [])
            if kids:
                plans.append((lvl, parent, kids))
    if total_row is not None:
        plans.append((0, total_row, [r for r in by_code.values() if level[id(r)] == top]))
    index = ctx.rows(table)
    # with the Rows ctx.ref(table, row.key, col, row.side) reads, found once
    found = [
        (lvl, parent, kids, index.row(parent.key, parent.side), [index.row(k.key, k.side) for k in kids])
        for lvl, parent, kids in plans
    ]
    dec = table.decimals
    out: list[tuple[str, list[_TreeStep]]] = []
    for col in columns:
        corrected: dict[str, Decimal | None] = {}
        steps: list[_TreeStep] = []
        for lvl, parent, kids, prow, krows in found:
            pcell = parent.cell(col)
            if pcell is None:
                continue
            fixed = [corrected.get(k.code or "", k.value(col)) for k in kids]
            corrected[parent.code or parent.key] = settled(pcell.value, fixed, dec)
            steps.append((lvl, parent, kids, prow, krows, pcell, fixed))
        out.append((col, steps))
    return out
