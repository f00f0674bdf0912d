"""Run the rule catalogue over a disclosure."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..gcpause import gc_paused
from ..model import Disclosure, DisclosureKind, Finding, Severity, Unchecked
from . import families
from .base import REGISTRY, Rule
from .context import RunContext

_loaded = False


def load_catalogue() -> dict[str, type[Rule]]:
    """Import every rule module under ``juesuan.rules.families`` (each registers its rules)."""
    global _loaded
    if not _loaded:
        for mod in sorted(
            pkgutil.walk_packages(families.__path__, f"{families.__name__}."), key=lambda m: m.name
        ):
            importlib.import_module(mod.name)
        _loaded = True
    return dict(sorted(REGISTRY.items()))


def select_rules(select: Iterable[str] | None = None, exclude: Iterable[str] | None = None) -> list[Rule]:
    """Rules whose id equals or starts with one of ``select`` (all when None), minus ``exclude``."""
    cat = load_catalogue()
    sel = [s.upper() for s in select] if select else None
    exc = [s.upper() for s in exclude] if exclude else []
    out: list[Rule] = []
    for rid, cls in cat.items():
        if sel is not None and not any(rid == s or rid.startswith(s) for s in sel):
            continue
        if any(rid == e or rid.startswith(e) for e in exc):
            continue
        out.append(cls())
    return out


def prepare(doc: Disclosure) -> Disclosure:
    """Derive what rules read but readers do not produce (narrative claims and bindings)."""
    from ..narrative.bind import attach_claims

    attach_claims(doc)
    return doc


@dataclass
class CheckResult:
    """What checking one disclosure gives: the findings (most severe first) and what was not
    checked, with the reason."""

    findings: list[Finding] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)


def run_rules(
    doc: Disclosure,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
    prepared: bool = False,
) -> list[Finding]:
    """All findings of the selected rules at or above ``min_severity``, most severe first."""
    return check_disclosure(
        doc, select=select, exclude=exclude, min_severity=min_severity, prepared=prepared
    ).findings


def check_disclosure(
    doc: Disclosure,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
    prepared: bool = False,
) -> CheckResult:
    """The findings of the selected rules that apply to the document's kind, and what was not
    checked (the rules that do not apply, and what the rules that ran could not judge)."""
    # claims, references and findings: many objects, no cycles (gcpause.py)
    with gc_paused():
        return _check(doc, select, exclude, min_severity, prepared)


def _check(
    doc: Disclosure,
    select: Iterable[str] | None,
    exclude: Iterable[str] | None,
    min_severity: Severity,
    prepared: bool,
) -> CheckResult:
    if not prepared:
        prepare(doc)
    findings: list[Finding] = []
    ctx = RunContext(doc)
    kind = doc.metadata.kind
    not_applicable: list[str] = []
    for rule in select_rules(select, exclude):
        if not rule.applies_to(kind):
            not_applicable.append(rule.id)
            continue
        try:
            found = list(rule.check(ctx))
        except Exception as exc:  # a broken rule must not hide the others' findings
            found = [
                Finding(
                    rule_id=rule.id,
                    rule_title=rule.title,
                    severity=Severity.WARNING,
                    message=f"规则 {rule.id} 执行出错（{type(exc).__name__}: {exc}），其结论缺失，请报告此问题",
                )
            ]
        findings.extend(f for f in found if f.severity.rank >= min_severity.rank)
    findings.sort(key=Finding.sort_key)
    mark_ocr(doc, findings)
    unchecked = list(ctx.unchecked)
    if not_applicable:
        unchecked.insert(0, _not_applicable(kind, not_applicable))
    return CheckResult(findings, unchecked)


def _not_applicable(kind: DisclosureKind | None, rule_ids: list[str]) -> Unchecked:
    if kind is not None and kind.is_budget:
        reason = f"预算公开文件：决算规则不适用（{len(rule_ids)} 条规则未运行）"
    else:
        reason = f"这些规则不适用于{kind.value if kind else '此类'}文件（{len(rule_ids)} 条规则未运行）"
    return Unchecked(rules=rule_ids, what="不适用的规则", reason=reason)


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
