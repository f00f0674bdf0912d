"""The Python API behind every CLI command."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from .ingest import InputError, read, read_as_one
from .model import Disclosure, Finding, Metadata, Severity, Unchecked
from .rules import check_disclosure, run_rules

# the input error codes of a file that is no disclosure (as opposed to a damaged one)
NOT_A_DISCLOSURE = frozenset({"not_a_disclosure", "not_a_document"})


class DocumentResult(BaseModel):
    """One document's outcome, as in ``check --format json``."""

    path: str
    metadata: Metadata | None = None
    findings: list[Finding] = Field(default_factory=list)
    # what was not checked, and why (rules that do not apply to the document's kind, readings
    # not certain enough to accuse on)
    unchecked: list[Unchecked] = Field(default_factory=list)
    error: str | None = None  # set when the file could not be read
    error_code: str | None = None
    # a file met inside a folder that is no disclosure at all (a README, a picture): listed as
    # skipped, not counted as an unreadable input
    skipped: bool = False

    @property
    def not_a_disclosure(self) -> bool:
        return self.error_code in NOT_A_DISCLOSURE

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
    checked = check_disclosure(doc, select=select, exclude=exclude, min_severity=min_severity)
    return DocumentResult(
        path=str(path), metadata=doc.metadata, findings=checked.findings, unchecked=checked.unchecked
    )


def check_as_one(
    paths: Iterable[str | Path],
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
) -> DocumentResult:
    """Read and check several files as the parts of one disclosure (its narrative in one file,
    its tables in another): one result, whose locations name their file. A part that cannot be
    read gives a result with ``error`` set."""
    names = [str(p) for p in paths]
    try:
        doc = read_as_one(names)
    except InputError as exc:
        return DocumentResult(path=" + ".join(names), error=exc.message, error_code=exc.code)
    checked = check_disclosure(doc, select=select, exclude=exclude, min_severity=min_severity)
    return DocumentResult(
        path=" + ".join(names), metadata=doc.metadata, findings=checked.findings, unchecked=checked.unchecked
    )


def example_path() -> Path:
    """The built-in example disclosure (a composed document with a few documented defects)."""
    return Path(__file__).parent / "examples" / "example.txt"

