"""The typed disclosure: metadata, tables, narrative, claims, and what the reader met."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel, Field

from .claims import Claim
from .location import Location
from .narrative import Paragraph, Section, TocEntry
from .perf import PerfStatements
from .table import AmountUnit, Table, TableKind


class DisclosureKind(StrEnum):
    """What a disclosure is: the final accounts (决算) or the budget (预算) of a department or of
    one budget unit. Rules declare the kinds they apply to."""

    DEPARTMENT = "部门决算"
    UNIT = "单位决算"
    BUDGET_DEPARTMENT = "部门预算"
    BUDGET_UNIT = "单位预算"

    @property
    def is_budget(self) -> bool:
        return self in (DisclosureKind.BUDGET_DEPARTMENT, DisclosureKind.BUDGET_UNIT)

    @property
    def is_final_accounts(self) -> bool:
        return self in (DisclosureKind.DEPARTMENT, DisclosureKind.UNIT)


FINAL_ACCOUNTS = frozenset({DisclosureKind.DEPARTMENT, DisclosureKind.UNIT})
BUDGETS = frozenset({DisclosureKind.BUDGET_DEPARTMENT, DisclosureKind.BUDGET_UNIT})
ALL_KINDS = FINAL_ACCOUNTS | BUDGETS


class Metadata(BaseModel):
    department: str | None = None
    year: int | None = None
    unit: AmountUnit | None = None
    kind: DisclosureKind | None = None
    title: str | None = None
    publish_date: str | None = None
    source_path: str | None = None
    source_format: str | None = None  # txt, md, pdf, docx, xlsx, xls, html
    pages: int | None = None
    sha256: str | None = None
    # A blank template, not a disclosure (set by the reader, ingest/document_parts.py), and why the
    # reader took it for one (部门名称为“上海市XX局”); no reason for a file that came marked as one.
    is_template: bool = False
    template_reason: str | None = None


class ReadIssue(BaseModel):
    """A problem the reader met but could read past (a number it could not parse, a page it
    could not structure). Readers never judge the content; a rule reports these."""

    code: str  # unreadable_number, unstructured_page, extra_column, missing_column …
    message: str  # Chinese, for the user
    loc: Location | None = None


class TextLine(BaseModel):
    """Any line of text with its place (cover, headers, notes …) for document-wide rules."""

    text: str
    role: str  # cover, toc, heading, paragraph, table_title, table_header, table_note, cell
    loc: Location | None = None
    table_index: int | None = None


class Disclosure(BaseModel):
    metadata: Metadata = Field(default_factory=Metadata)
    cover: list[Paragraph] = Field(default_factory=list)
    toc: list[TocEntry] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    # what the 绩效 sections of the narrative state, read by the reader
    perf_statements: PerfStatements = Field(default_factory=PerfStatements)
    read_issues: list[ReadIssue] = Field(default_factory=list)

    # -- lookups -------------------------------------------------------------------------------
    def table(self, kind: TableKind) -> Table | None:
        for t in self.tables:
            if t.kind == kind:
                return t
        return None

    def tables_of(self, kind: TableKind) -> list[Table]:
        return [t for t in self.tables if t.kind == kind]

    def table_index(self, table: Table) -> int:
        for i, t in enumerate(self.tables):
            if t is table:
                return i
        raise ValueError("table not in this disclosure")

    def walk_sections(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()

    def paragraphs(self) -> Iterator[tuple[Section | None, Paragraph]]:
        for p in self.cover:
            yield None, p
        for s in self.walk_sections():
            for p in s.paragraphs:
                yield s, p

    def text_lines(self) -> Iterator[TextLine]:
        """Every piece of text with its role and place, in document order where known."""
        for p in self.cover:
            yield TextLine(text=p.text, role="cover", loc=p.loc)
        for e in self.toc:
            yield TextLine(text=e.text, role="toc", loc=e.loc)
        for s in self.walk_sections():
            yield TextLine(text=s.heading, role="heading", loc=s.loc)
            for p in s.paragraphs:
                yield TextLine(text=p.text, role="paragraph", loc=p.loc)
        for i, t in enumerate(self.tables):
            if t.title:
                yield TextLine(text=t.title, role="table_title", loc=t.loc, table_index=i)
            for h in t.header_texts:
                yield TextLine(text=h.text, role="table_header", loc=h.loc, table_index=i)
            for n in t.notes:
                yield TextLine(text=n.text, role="table_note", loc=n.loc, table_index=i)
            for r in t.rows:
                for c in r.cells.values():
                    if c.raw and c.value is None:
                        yield TextLine(text=c.raw, role="cell", loc=c.loc, table_index=i)
            for c in t.fields.values():
                if c.raw and c.value is None:
                    yield TextLine(text=c.raw, role="cell", loc=c.loc, table_index=i)
