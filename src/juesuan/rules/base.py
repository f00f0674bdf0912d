"""Rule base classes (of one document, of a pair of documents), the registry, and how a rule
builds a finding (:meth:`Rule.finding`, :meth:`Rule.sum_finding`). The comparisons behind the
findings are in ``compare.py``; the identities of the table families (row sums, the 类/款/项
hierarchy, balances) in ``identities.py``."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import ClassVar, TypeVar

from ..model import (
    ALL_KINDS,
    FINAL_ACCOUNTS,
    Disclosure,
    DisclosureKind,
    Finding,
    Ref,
    Severity,
    Table,
    TableKind,
)
from .arith import Verdict, compare, fmt, fmt_signed
from .compare import What, as_ref, as_refs, sum_arithmetic, sums_equal, what_text
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
    other = getattr(cls, "other_kinds", cls.kinds)
    if not cls.kinds or not cls.kinds <= ALL_KINDS or not other or not other <= ALL_KINDS:
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
    # the other levels a rule reports at besides ``severity`` (rounding notes aside), for the
    # catalogue to list: N-006 is an error, but a warning when both amounts are 0
    also: ClassVar[tuple[Severity, ...]] = ()
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

    def withheld(self, ctx: RunContext, f: Finding) -> bool:
        """Whether ``f`` is withheld because it rests on an uncertain reading (``ctx.doubt``): an
        error or a warning is reported only when every cell it rests on was read for certain;
        otherwise it is recorded as not checked, with the reason. Information (a rounding note)
        is never withheld, nor a finding of the reading rules (R), which are about the reading
        itself. The engine asks this of every finding of every rule of one document."""
        if f.severity is Severity.INFO or self.family == "R":
            return False
        reason = ctx.doubt(f.locations)
        if reason is None:
            return False
        ctx.not_checked(self.id, f.message, reason, f.locations)
        return True

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
    # the kinds of the other document of the pair (``kinds``: those of ``pair.doc``)
    other_kinds: ClassVar[frozenset[DisclosureKind]] = FINAL_ACCOUNTS

    @classmethod
    def applies_to_pair(cls, kind: str | None, other_kind: str | None) -> bool:
        """Whether the rule judges a pair of documents of these kinds (DisclosureKind values; a
        kind named nowhere is taken for final accounts, as :meth:`applies_to` takes it)."""
        return cls.applies_to(DisclosureKind(kind) if kind else None) and (
            DisclosureKind(other_kind) if other_kind else DisclosureKind.DEPARTMENT
        ) in cls.other_kinds

    def check(self, pair: DocPair) -> Iterator[Finding]:
        raise NotImplementedError


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
