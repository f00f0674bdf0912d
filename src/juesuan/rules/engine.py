"""Run the rule catalogue over a disclosure."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable

from ..model import Disclosure, Finding, Severity
from ..model.table import rows_fixed
from ..runtime.gcpause import gc_paused
from .base import REGISTRY, Rule
from .run import rule_run

_loaded = False


def load_catalogue() -> dict[str, type[Rule]]:
    """Import every family module under ``juesuan.rules.families`` (each registers its rules)."""
    global _loaded
    if not _loaded:
        from . import families

        for mod in sorted(pkgutil.iter_modules(families.__path__), key=lambda m: m.name):
            importlib.import_module(f"{families.__name__}.{mod.name}")
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


def run_rules(
    doc: Disclosure,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
    prepared: bool = False,
) -> list[Finding]:
    """All findings of the selected rules at or above ``min_severity``, most severe first."""
    # claims, references and findings: many objects, no cycles (gcpause.py); binding and rules only
    # read the tables, so their rows are looked up through an index (model/table.py)
    with gc_paused(), rows_fixed():
        return _run_rules(doc, select, exclude, min_severity, prepared)


def _run_rules(
    doc: Disclosure,
    select: Iterable[str] | None,
    exclude: Iterable[str] | None,
    min_severity: Severity,
    prepared: bool,
) -> list[Finding]:
    if not prepared:
        prepare(doc)
    findings: list[Finding] = []
    with rule_run(doc):  # what the rules derive from the document, derived once (rules/run.py)
        for rule in select_rules(select, exclude):
            try:
                found = list(rule.check(doc))
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
    return findings


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
                else doc.tables_of(ref.table) if ref.table is not None else []
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
