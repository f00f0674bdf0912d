"""The raw layer every reader produces: text lines and grids of cell strings, in reading order,
each with its location. The assembler (:mod:`juesuan.ingest.assemble`) turns this into the typed
model; readers do not interpret content beyond layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Location


@dataclass(slots=True)
class RawLine:
    """A line (or paragraph) of running text."""

    text: str
    loc: Location | None = None
    # Layout hints a reader may know (font size, bold, centred); the assembler may use them.
    size: float | None = None
    bold: bool = False
    centered: bool = False


@dataclass(slots=True)
class RawCell:
    text: str
    loc: Location | None = None
    colspan: int = 1
    rowspan: int = 1
    confidence: float | None = None
    # why the reader is not sure what this cell prints (digits run across its border: which cell
    # they belong to is not certain); None when it is. Said to the reviewer as a reason.
    doubt: str | None = None


@dataclass
class RawGrid:
    """A table as printed: rows of cells (merged cells repeated or spanned), in reading order.

    A grid continued on the next page is given as one grid (readers join continuations) or as
    consecutive grids; the assembler joins grids that continue a table with no new title.
    """

    rows: list[list[RawCell]]
    loc: Location | None = None


@dataclass
class RawDocument:
    path: str
    format: str  # txt, md, pdf, docx, xlsx, xls, html
    blocks: list[RawLine | RawGrid] = field(default_factory=list)
    pages: int | None = None
    # Problems met while reading (unstructured page …): (code, Chinese message, location).
    issues: list[tuple[str, str, Location | None]] = field(default_factory=list)
