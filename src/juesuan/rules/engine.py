"""Run the rule catalogue over a disclosure (its rules of one document) or over a pair of
documents (its rules of a pair)."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from ..model import BUDGETS, Disclosure, DisclosureKind, Finding, Severity, TableKind, Unchecked
from ..runtime.gcpause import gc_paused
from . import families
from .base import REGISTRY, PairRule, Rule, RuleBase
from .context import RunContext
from .pair import DocPair

_loaded = False
_S = TypeVar("_S")  # what a rule checks: a RunContext or a DocPair


def load_catalogue() -> dict[str, type[RuleBase]]:
    """Every rule, of one document or of a pair, by id (importing every rule module under
    ``juesuan.rules.families`` registers its rules)."""
    global _loaded
    if not _loaded:
        for mod in sorted(
            pkgutil.walk_packages(families.__path__, f"{families.__name__}."), key=lambda m: m.name
        ):
            importlib.import_module(mod.name)
        _loaded = True
    return dict(sorted(REGISTRY.items()))


def document_rules() -> dict[str, type[Rule]]:
    """The catalogue's rules of one document (what :func:`run_rules` runs)."""
    return {rid: cls for rid, cls in load_catalogue().items() if issubclass(cls, Rule)}


def pair_rules() -> dict[str, type[PairRule]]:
    """The catalogue's rules comparing two documents (what :func:`run_pair_rules` runs)."""
    return {rid: cls for rid, cls in load_catalogue().items() if issubclass(cls, PairRule)}


def _chosen(rid: str, select: list[str] | None, exclude: list[str]) -> bool:
    """Whether ``rid`` equals or starts with one of ``select`` (any when None) and none of
    ``exclude`` (both upper case)."""
    if select is not None and not any(rid.startswith(s) for s in select):
        return False
    return not any(rid.startswith(e) for e in exclude)


def _upper(ids: Iterable[str] | None) -> list[str] | None:
    return [s.upper() for s in ids] if ids else None


def select_rules(select: Iterable[str] | None = None, exclude: Iterable[str] | None = None) -> list[Rule]:
    """Rules of one document whose id equals or starts with one of ``select`` (all when None),
    minus ``exclude``."""
    sel, exc = _upper(select), _upper(exclude) or []
    return [cls() for rid, cls in document_rules().items() if _chosen(rid, sel, exc)]


def select_pair_rules(
    select: Iterable[str] | None = None, exclude: Iterable[str] | None = None, relation: str | None = None
) -> list[PairRule]:
    """Rules of a pair, chosen as :func:`select_rules` chooses, of one ``relation`` when given."""
    sel, exc = _upper(select), _upper(exclude) or []
    return [
        cls()
        for rid, cls in pair_rules().items()
        if (relation is None or cls.relation == relation) and _chosen(rid, sel, exc)
    ]


@dataclass
class CheckResult:
    """What checking one disclosure gives: the findings (most severe first) and what was not
    checked, with the reason."""

    findings: list[Finding] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)


def unknown_rule_selectors(names: Iterable[str]) -> dict[str, list[str]]:
    """The names that are neither a rule id nor the prefix of one (``T05``, ``N-00``), each with
    the closest ids (a mistyped ``T5-001`` → ``T05-001``)."""
    ids = list(load_catalogue())
    out: dict[str, list[str]] = {}
    for name in names:
        n = name.strip().upper()
        if not any(rid == n or rid.startswith(n) for rid in ids):
            out[name] = difflib.get_close_matches(n, ids, n=5, cutoff=0.5)
    return out


def run_rules(
    doc: Disclosure,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
) -> list[Finding]:
    """All findings of the selected rules at or above ``min_severity``, most severe first."""
    return check_disclosure(doc, select=select, exclude=exclude, min_severity=min_severity).findings


def check_disclosure(
    doc: Disclosure,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
) -> CheckResult:
    """The findings of the selected rules that apply to the document's kind, and what was not
    checked (the rules that do not apply, and what the rules that ran could not judge). The
    rules judge ``doc`` as the reader gave it, its claims already read and bound (a disclosure
    built by hand gets them from ``ingest.narrative.attach_claims``)."""
    # references and findings: many objects, no cycles (runtime/gcpause.py)
    with gc_paused():
        return _check(doc, select, exclude, min_severity)


def _check(
    doc: Disclosure,
    select: Iterable[str] | None,
    exclude: Iterable[str] | None,
    min_severity: Severity,
) -> CheckResult:
    ctx = RunContext(doc)
    kind = doc.metadata.kind
    not_applicable: list[str] = []
    findings: list[Finding] = []
    ran: list[RuleBase] = []
    for rule in select_rules(select, exclude):
        if not rule.applies_to(kind):
            # a budget's own rules (family B) say nothing of final accounts: not worth a line in
            # every 决算 report, as the 决算 rules not run on a budget are
            if not (rule.kinds <= BUDGETS and not (kind is not None and kind.is_budget)):
                not_applicable.append(rule.id)
            continue
        ran.append(rule)
        found = _guarded(rule, rule.check, ctx, min_severity)
        if ctx.uncertain:  # an error needs a certain reading: the rest is recorded as not checked
            found = [f for f in found if not rule.withheld(ctx, f)]
        findings += found
    findings.sort(key=Finding.sort_key)
    mark_ocr(doc, findings)
    unchecked = list(ctx.unchecked)
    part = _one_part_only(doc, ran)
    if part is not None:
        unchecked.insert(0, part)
    if not_applicable:
        unchecked.insert(0, _not_applicable(kind, not_applicable))
    return CheckResult(findings, unchecked)


# a narrative shorter than this (a few captions, 表一…表十二 lines) is no 情况说明
_MIN_NARRATIVE_CHARS = 200


def parts_held(doc: Disclosure) -> tuple[bool, bool]:
    """Whether the document holds a disclosure's tables (one of its kinds, with rows) and whether
    it holds a 情况说明 (claims read, or more text than a few captions): a file with only one of
    the two is one part of a disclosure published as several files (the web app and ``batch``
    pair such files by department, year and kind)."""
    tables = any(t.rows and t.kind is not TableKind.OTHER for t in doc.tables)
    text = sum(len(p.text) for _, p in doc.paragraphs())
    return tables, bool(doc.claims) or text >= _MIN_NARRATIVE_CHARS


def _one_part_only(doc: Disclosure, ran: list[RuleBase]) -> Unchecked | None:
    """What a file holding only one part of a disclosure could not have checked: the tables
    without their 情况说明 (published as two files), or the 情况说明 without its tables. None for
    a document with both, or with neither (nothing to say about parts), or when none of the rules
    run would have judged the missing part."""
    tables, narrative = parts_held(doc)
    if tables == narrative:
        return None
    if tables:
        rules = [r.id for r in ran if r.family.startswith("情况说明")]
        if not rules:
            return None  # none of the rules run judges a 情况说明: nothing left undone
        return Unchecked(
            rules=rules,
            what="情况说明与表格的核对",
            reason="本文件只有表格，没有情况说明：说明中的金额、增减、占比与表格的核对未进行"
            "（情况说明若在另一个文件中，可用 --as-one 与本文件一起检查）",
        )
    rules = [r.id for r in ran if r.family.startswith("T") or r.family in ("X", "B")]
    if not rules:
        return None  # none of the rules run judges a table
    return Unchecked(
        rules=rules,
        what="表格的核对",
        reason="本文件只有情况说明，没有表格：表内、表间的勾稽关系和说明与表格的核对未进行"
        "（表格若在另一个文件中，可用 --as-one 与本文件一起检查）",
    )


def _not_applicable(kind: DisclosureKind | None, rule_ids: list[str]) -> Unchecked:
    if kind is not None and kind.is_budget:
        reason = f"预算公开文件：决算规则不适用（{len(rule_ids)} 条规则未运行）"
    else:
        reason = f"这些规则不适用于{kind.value if kind else '此类'}文件（{len(rule_ids)} 条规则未运行）"
    return Unchecked(rules=rule_ids, what="不适用的规则", reason=reason)


def run_pair_rules(
    pair: DocPair,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
) -> list[Finding]:
    """All findings of the selected rules of ``pair.relation`` on the pair (attached to
    ``pair.doc``) at or above ``min_severity``, most severe first."""
    findings: list[Finding] = []
    for rule in select_pair_rules(select, exclude, pair.relation):
        if not rule.applies_to_pair(pair.doc.kind, pair.other.kind):
            continue  # a 决算 identity across years means nothing for two budgets
        findings += _guarded(rule, rule.check, pair, min_severity)
    findings.sort(key=Finding.sort_key)
    return findings


def _guarded(
    rule: RuleBase, check: Callable[[_S], Iterable[Finding]], subject: _S, min_severity: Severity
) -> list[Finding]:
    """``check(subject)``'s findings at or above ``min_severity``; a rule that fails gives one
    finding saying so (a broken rule must not hide the others' findings)."""
    try:
        found = list(check(subject))
    except Exception as exc:
        found = [
            Finding(
                rule_id=rule.id,
                rule_title=rule.title,
                severity=Severity.WARNING,
                message=f"规则 {rule.id} 执行出错（{type(exc).__name__}: {exc}），其结论缺失，请报告此问题",
            )
        ]
    return [f for f in found if f.severity.rank >= min_severity.rank]


def mark_ocr(doc: Disclosure, findings: list[Finding]) -> None:
    """Set ``Finding.ocr`` on findings that refer to a cell read by OCR (one with a
    confidence). Costs nothing for documents without OCR cells."""
    if not any(c.confidence is not None for t in doc.tables for r in t.rows for c in r.cells.values()):
        return
    for f in findings:
        for ref in f.locations:
            if ref.row is None:
                continue
            tables = (
                [doc.tables[ref.table_index]]
                if ref.table_index is not None and 0 <= ref.table_index < len(doc.tables)
                else doc.tables_of(ref.table)
                if ref.table is not None
                else []
            )
            cells = [
                c
                for t in tables
                for r in t.rows
                if r.key == ref.row
                for k, c in r.cells.items()
                if ref.column is None or k == ref.column
            ]
            if any(c.confidence is not None for c in cells):
                f.ocr = True
                break


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
