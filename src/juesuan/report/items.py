"""The checked documents the forwarded reports (HTML, XLSX, annotated PDF) are made of:
:class:`ReportItem` (a document's result, its typed disclosure and its original bytes),
:func:`collect` to read and check files into them, and the rule families the reports group by.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..api import DocumentResult, check_document
from ..ingest import InputError, read, sniff_format
from ..model import Disclosure, Severity
from ..rules import load_catalogue

__all__ = ["ReportItem", "collect", "family_of", "rule_families"]


@dataclass
class ReportItem:
    """One document for the forwarded reports."""

    result: DocumentResult
    doc: Disclosure | None = None
    data: bytes | None = None  # the original file, needed for PDF crops and the annotated PDF
    name: str | None = None  # the name to show (defaults to result.path)

    @property
    def display_name(self) -> str:
        return self.name or Path(self.result.path).name

    @property
    def title(self) -> str:
        """What the document is, as a reviewer names it: 江苏省人民检察院 2018 年度 部门预算 (the
        parts not read are left out; the file's name when none is read)."""
        md = self.result.metadata
        parts = [md.department or "", f"{md.year} 年度" if md.year else "", md.kind.value if md.kind else ""] if md else []
        return " ".join(p for p in parts if p) or self.display_name

    @property
    def is_pdf(self) -> bool:
        return self.data is not None and sniff_format(self.data) == "pdf"


def collect(
    paths: Iterable[str],
    *,
    select: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_severity: Severity = Severity.INFO,
) -> list[ReportItem]:
    """Read and check each file, keeping the disclosure and bytes for the reports."""
    sel = list(select) if select else None
    exc = list(exclude) if exclude else None
    items: list[ReportItem] = []
    for p in paths:
        try:
            doc = read(p)
        except InputError as e:
            items.append(ReportItem(result=DocumentResult(path=str(p), error=e.message, error_code=e.code)))
            continue
        findings = check_document(doc, select=sel, exclude=exc, min_severity=min_severity)
        try:
            data = Path(p).read_bytes()
        except OSError:
            data = None
        items.append(
            ReportItem(result=DocumentResult(path=str(p), metadata=doc.metadata, findings=findings), doc=doc, data=data)
        )
    return items


def rule_families() -> dict[str, str]:
    """Rule id → family, from the catalogue."""
    return {rid: cls.family for rid, cls in load_catalogue().items()}


def family_of(rule_id: str, families: dict[str, str]) -> str:
    return families.get(rule_id) or rule_id.split("-", 1)[0]
