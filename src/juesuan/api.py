"""The Python API behind every CLI command."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from .ingest import NOT_A_DISCLOSURE, InputError, read, read_as_one
from .model import Disclosure, Finding, Metadata, Severity, Unchecked
from .rules import check_disclosure, run_rules
from .runtime.crashlog import internal_message, is_timeout
from .runtime.timeout import time_limit

# the error codes of a file the program failed on (exit 3), as opposed to a file it could not read
INTERNAL = frozenset({"internal"})


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


def check_file(
    path: str | Path,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
    timeout: float | None = None,
) -> tuple[DocumentResult, Disclosure | None]:
    """Read and check one file within ``timeout`` seconds (None: no limit); never raises for the
    file's sake. A file that cannot be read, that runs out of time or memory, or on which the
    program fails gives a result with ``error`` and ``error_code`` set (``timeout``, ``memory``,
    ``internal``: the traceback goes to a log file the message names), and no disclosure."""
    started = time.monotonic()
    try:
        with time_limit(timeout):
            doc = read(path)
            checked = check_disclosure(doc, select=select, exclude=exclude, min_severity=min_severity)
    except InputError as exc:
        return DocumentResult(path=str(path), error=exc.message, error_code=exc.code), None
    except MemoryError:
        msg = f"{path}：处理时内存不足，已跳过（文件可能过大或页面尺寸异常）"
        return DocumentResult(path=str(path), error=msg, error_code="memory"), None
    except RecursionError:
        return DocumentResult(path=str(path), error=f"{path}：文档结构嵌套过深，无法处理", error_code="too_deep"), None
    except Exception as exc:  # a bug must not end the run: named, logged, and the next file read
        if is_timeout(exc, started, timeout):
            msg = f"{path}：处理超过时限 {timeout:g} 秒，已跳过（可用 --timeout 调整）"
            return DocumentResult(path=str(path), error=msg, error_code="timeout"), None
        return DocumentResult(path=str(path), error=internal_message(str(path), exc), error_code="internal"), None
    result = DocumentResult(
        path=str(path), metadata=doc.metadata, findings=checked.findings, unchecked=checked.unchecked
    )
    return result, doc


def check_path(
    path: str | Path,
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
    timeout: float | None = None,
) -> DocumentResult:
    """Read and check one file; see :func:`check_file`."""
    return check_file(path, select=select, exclude=exclude, min_severity=min_severity, timeout=timeout)[0]


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

