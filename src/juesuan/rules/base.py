"""Rule base class, registry, and helpers shared by every rule family."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import ClassVar

from ..model import Disclosure, Finding, Ref, Severity, Table, TableKind
from ..tables.schema import column_label, row_label
from .arith import Comparison, Verdict, compare, fmt, fmt_signed

REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator adding a rule to the catalogue."""
    if cls.id in REGISTRY and REGISTRY[cls.id] is not cls:
        raise ValueError(f"duplicate rule id {cls.id}")
    doc = inspect.getdoc(cls) or ""
    if "Wrong:" not in doc or "Right:" not in doc:
        raise ValueError(f"rule {cls.id} needs a docstring with 'Wrong:' and 'Right:' examples")
    REGISTRY[cls.id] = cls
    return cls


class Rule:
    """Base of every rule. Subclasses set ``id``, ``title``, ``family``, ``severity`` and
    implement :meth:`check`. The class docstring holds a summary, then ``Wrong:`` and ``Right:``
    examples; it is rendered into ``docs/rules.md``."""

    id: ClassVar[str]
    title: ClassVar[str]
    family: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR

    def check(self, doc: Disclosure) -> Iterator[Finding]:
        raise NotImplementedError

    # -- building findings ---------------------------------------------------------------------
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

    def sum_finding(
        self,
        what: str,
        total: Ref,
        parts: list[Ref],
        *,
        decimals: int = 2,
        op_labels: list[str] | None = None,
    ) -> Finding | None:
        """Compare ``total`` with the sum of ``parts`` (blank = zero) and report.

        Returns None when equal, an ``info`` finding inside the rounding interval, and a finding
        of the rule's severity outside it. ``what`` names the identity in Chinese.
        """
        cmp = compare(total.value, [p.value for p in parts], decimals=decimals)
        if cmp.verdict is Verdict.EQUAL:
            return None
        arithmetic = sum_arithmetic(total, parts, cmp, decimals, op_labels)
        if cmp.verdict is Verdict.ROUNDING:
            return self.finding(
                f"{what}：相差 {fmt_signed(cmp.difference, decimals)}，在尾数误差范围内",
                [total, *parts],
                severity=Severity.INFO,
                expected=fmt(cmp.expected, decimals),
                found=fmt(cmp.found, decimals),
                difference=cmp.difference,
                tolerance=cmp.tolerance,
                arithmetic=arithmetic,
            )
        return self.finding(
            f"{what}：应为 {fmt(cmp.expected, decimals)}，实为 {fmt(cmp.found, decimals)}，"
            f"相差 {fmt_signed(cmp.difference, decimals)}",
            [total, *parts],
            expected=fmt(cmp.expected, decimals),
            found=fmt(cmp.found, decimals),
            difference=cmp.difference,
            tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )


def sum_arithmetic(
    total: Ref, parts: list[Ref], cmp: Comparison, decimals: int, op_labels: list[str] | None = None
) -> str:
    """``881.98 ≠ 771.45 + 110.54 = 881.99；差 −0.01，容差 ±0.015（3 个舍入项 × 0.005）``."""
    terms: list[str] = []
    for i, p in enumerate(parts):
        v = fmt(p.value, decimals) if p.value is not None else "0（空）"
        op = op_labels[i] if op_labels else ("+" if i else "")
        terms.append(f"{op} {v}".strip() if i or op_labels else v)
    rhs = " ".join(terms) if terms else "0"
    rel = "=" if cmp.verdict is Verdict.EQUAL else "≠"
    unit = fmt(Decimal(5).scaleb(-(decimals + 1)), decimals + 1)
    return (
        f"{fmt(cmp.found, decimals)} {rel} {rhs} = {fmt(cmp.expected, decimals)}；"
        f"差 {fmt_signed(cmp.difference, decimals)}，容差 ±{cmp.tolerance.normalize():f}"
        f"（{cmp.terms} 个舍入项 × {unit}）"
    )


def cell_ref(
    doc: Disclosure, table: Table, row: str, column: str, side: str | None = None
) -> Ref | None:
    """A Ref to a cell, or None when the row or column is missing."""
    r = table.row(row, side)
    if r is None:
        return None
    c = r.cell(column)
    if c is None:
        return None
    return Ref(
        table=table.kind,
        table_index=doc.table_index(table),
        table_title=table.name,
        row=r.key,
        row_label=(f"{r.code} {r.label}".strip() if r.code else (r.label or row_label(table.kind, r.key))),
        column=column,
        column_label=table.column_label(column) if table.column(column) else column_label(table.kind, column),
        value=c.value,
        text=c.raw or None,
        loc=c.loc or r.loc,
    )


def table_ref(doc: Disclosure, table: Table) -> Ref:
    return Ref(
        table=table.kind,
        table_index=doc.table_index(table),
        table_title=table.name,
        loc=table.loc,
    )


def first_line(doc: str) -> str:
    return doc.strip().splitlines()[0] if doc.strip() else ""


def rule_docs(cls: type[Rule]) -> tuple[str, str, str]:
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
