"""The Python API behind every CLI command."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from .ingest import InputError, read
from .model import Disclosure, Finding, Metadata, Severity
from .rules import run_rules

if TYPE_CHECKING:
    from .narrative.explain import Explanation  # imported by explain_path, not by checking


class DocumentResult(BaseModel):
    """One document's outcome, as in ``check --format json``."""

    path: str
    metadata: Metadata | None = None
    findings: list[Finding] = Field(default_factory=list)
    error: str | None = None  # set when the file could not be read
    error_code: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out


def check_document(
    doc: Disclosure,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
) -> list[Finding]:
    return run_rules(doc, select=select, exclude=exclude, min_severity=min_severity)


def check_path(
    path: str | Path,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
) -> DocumentResult:
    """Read and check one file; a file that cannot be read gives a result with ``error`` set."""
    try:
        doc = read(path)
    except InputError as exc:
        return DocumentResult(path=str(path), error=exc.message, error_code=exc.code)
    findings = check_document(doc, select=select, exclude=exclude, min_severity=min_severity)
    return DocumentResult(path=str(path), metadata=doc.metadata, findings=findings)


def example_path() -> Path:
    """The built-in example disclosure (a composed document with a few documented defects)."""
    return Path(__file__).parent / "examples" / "example.txt"


def explain_path(path: str | Path) -> Explanation:
    """Every numeric sentence of a file's narrative with its claims, bindings and verdicts
    (``juesuan explain``). Raises :class:`InputError` for a file that cannot be read."""
    from .narrative.explain import explain_path as _explain  # start-up: only `explain` loads it

    return _explain(path)
