"""The checked documents the forwarded reports (HTML, XLSX, annotated PDF) are made of:
:class:`ReportItem` (a document's result, its typed disclosure and its original bytes),
:func:`collect` to read and check files into them, and the rule families the reports group by.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..api import DocumentResult, check_file
from ..ingest import sniff_format
from ..model import Disclosure, Severity
from ..rules import load_catalogue

__all__ = ["FAMILY_NAMES", "ReportItem", "collect", "family_name", "family_of", "rule_families"]


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
    timeout: float | None = None,
) -> list[ReportItem]:
    """Read and check each file (as ``check_file``: a failure is the file's result, the next file
    is read), keeping the disclosure and bytes for the reports."""
    sel = list(select) if select else None
    exc = list(exclude) if exclude else None
    items: list[ReportItem] = []
    for p in paths:
        result, doc = check_file(p, select=sel, exclude=exc, min_severity=min_severity, timeout=timeout)
        if doc is None:
            items.append(ReportItem(result=result))
            continue
        try:
            data = Path(p).read_bytes()
        except OSError:
            data = None
        items.append(ReportItem(result=result, doc=doc, data=data))
    return items


def rule_families() -> dict[str, str]:
    """Rule id → the Chinese name of its family, from the catalogue."""
    return {rid: family_name(cls.family) for rid, cls in load_catalogue().items()}


def family_of(rule_id: str, families: dict[str, str]) -> str:
    """The family name of a rule (of its id's prefix for a rule the catalogue does not hold)."""
    return families.get(rule_id) or family_name(rule_id.split("-", 1)[0])


# What a reviewer calls each family of rules (the narrative families already carry their name).
# The table families are named without 决算/预算: their rules judge both kinds of document.
FAMILY_NAMES = {
    "T01": "收入支出总表",
    "T02": "收入表",
    "T03": "支出表",
    "T04": "财政拨款收入支出总表",
    "T05": "一般公共预算财政拨款支出表",
    "T06": "一般公共预算财政拨款基本支出表",
    "T07": "政府性基金预算财政拨款表",
    "T08": "国有资本经营预算财政拨款表",
    "T09": "“三公”经费表",
    "T10": "机关运行经费",
    "T11": "政府采购",
    "X": "表间勾稽",
    "D": "文件完整性与一致性",
    "P": "绩效自评表",
    "K": "科目名称",
    "R": "读取",
    "Y": "跨年度核对",
    "N": "情况说明",
}


def family_name(family: str) -> str:
    """The Chinese name of a family code (``T04`` → ``财政拨款收入支出总表``); a family that is
    already a name is returned as it is."""
    return FAMILY_NAMES.get(family, family)
