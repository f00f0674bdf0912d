"""Findings: what a rule reports, with every place it involves."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from .location import Location
from .table import TableKind


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Ref(BaseModel):
    """One place a finding involves: a cell, a row, a table, a sentence or a text line."""

    table: TableKind | None = None
    table_index: int | None = None  # index into Disclosure.tables
    table_title: str | None = None
    row: str | None = None  # row key
    row_label: str | None = None
    column: str | None = None  # column key
    column_label: str | None = None
    value: Decimal | None = None
    text: str | None = None  # the sentence or line quoted
    loc: Location | None = None

    def describe(self) -> str:
        parts: list[str] = []
        if self.table_title:
            parts.append(f"《{self.table_title}》")
        if self.row_label or self.row:
            parts.append(f"“{self.row_label or self.row}”")
        if self.column_label or self.column:
            parts.append(f"[{self.column_label or self.column}]")
        if self.text and not parts:
            parts.append(f"“{_quote(self.text)}”")
        where = self.loc.describe() if self.loc else ""
        return "".join(parts) + (f"（{where}）" if where else "")


QUOTE_CHARS = 120


def _quote(text: str) -> str:
    """A place's text as a report quotes it: a sentence whole, a long paragraph cut (the page
    and the finding's own message say where; a paragraph of a page is not a location)."""
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


class Finding(BaseModel):
    rule_id: str
    rule_title: str = ""
    severity: Severity
    message: str
    locations: list[Ref] = Field(default_factory=list)
    expected: str | None = None
    found: str | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    arithmetic: str | None = None
    # True when the finding rests on cells read by OCR.
    ocr: bool = False

    def sort_key(self) -> tuple[int, int, str]:
        page = 0
        for ref in self.locations:
            if ref.loc and (ref.loc.page or ref.loc.line):
                page = ref.loc.page or ref.loc.line or 0
                break
        return (-self.severity.rank, page, self.rule_id)


class Unchecked(BaseModel):
    """Something the checker did not judge, and why: a rule that does not apply to this kind of
    document, a table whose columns could not all be mapped, a sentence whose subject is not
    certain. Never a defect: reported apart from the findings so that a reviewer knows what is
    left to look at by hand."""

    rule_id: str | None = None  # the rule that did not judge it (None: several, see ``rules``)
    rules: list[str] = Field(default_factory=list)  # rules not run at all, for a whole-document reason
    what: str  # what was not checked (Chinese)
    reason: str  # why (Chinese)
    locations: list[Ref] = Field(default_factory=list)
