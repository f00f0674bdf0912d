"""The narrative: a heading tree of sections, paragraphs and sentences."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .location import Location
from .table import TableKind


class Sentence(BaseModel):
    text: str
    loc: Location | None = None
    # Character offsets of the sentence inside its paragraph's text.
    start: int = 0
    end: int = 0


class Paragraph(BaseModel):
    text: str
    sentences: list[Sentence] = Field(default_factory=list)
    loc: Location | None = None


class Section(BaseModel):
    """A heading with its paragraphs and sub-sections.

    ``level`` 1 = 第X部分, 2 = 一、, 3 = （一）, 4 = 1. ; ``number`` is the printed ordinal
    (``一``, ``（二）``, ``3``) when there is one.
    """

    heading: str
    level: int = 1
    number: str | None = None
    loc: Location | None = None
    paragraphs: list[Paragraph] = Field(default_factory=list)
    children: list[Section] = Field(default_factory=list)
    # Indices into Disclosure.tables of the tables printed under this heading.
    table_indices: list[int] = Field(default_factory=list)
    # The heading's outline mark, read alike on headings and 目录 lines so that the two can be
    # matched (ingest/document_parts.py): 第X部分 → part X, 一、 → item 1 (a heading within a
    # part), and the words after the mark.
    part: int | None = None
    item: int | None = None
    name: str = ""

    def walk(self) -> list[Section]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


class TocEntry(BaseModel):
    """One line of the 目录, with what the reader reads from it (ingest/document_parts.py): its
    title and page, its outline mark (as on a :class:`Section`), and the table it lists."""

    text: str
    level: int = 1
    loc: Location | None = None
    title: str = ""  # the line without its page number: 一、部门职责 for 一、部门职责……1
    page: int | None = None  # the page number printed at its end
    part: int | None = None  # 第X部分: X
    item: int | None = None  # 一、 (a heading within a part): 1
    name: str = ""  # the title without its mark: 部门职责
    ordinal: int | None = None  # the list number it starts with, after any bullet: 一、, 1., （一）
    # the table the line lists (it ends in 表 before its page number, or prints 公开NN表), and the
    # 公开NN表 number it prints
    table: TableKind | None = None
    table_number: int | None = None
    # the table whose subject the line names, listed or not (七、政府采购情况说明 → T11)
    named_table: TableKind | None = None
