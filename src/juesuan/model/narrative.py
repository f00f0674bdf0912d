"""The narrative: a heading tree of sections, paragraphs and sentences."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .location import Location


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

    def walk(self) -> list[Section]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


class TocEntry(BaseModel):
    """One line of the 目录."""

    text: str
    level: int = 1
    loc: Location | None = None
