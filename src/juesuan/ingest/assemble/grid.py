"""Grids as the assembler reads them: rectangular rows of printed cell strings, header paths,
amount detection, and the context a table body parser works in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ...model import Cell, Location, ReadIssue, Row, Table, TableKind, UncertainCell
from ...tables import recognize as rz
from ...tables.numbers import parse_percent, try_amount
from ..raw import RawCell
from ..trusted import trusted

# digits, separators and spaces with at least one digit (the lookahead): written as two runs around
# a digit, the pattern tried every digit of a long cell as the one, quadratic
_AMOUNTISH = re.compile(r"^[-+（(]?(?=[\d,，.\s]*\d)[\d,，.\s]+[)）]?$")

Grid = list[list[RawCell]]

# -- cells and rows without pydantic validation ----------------------------------------------------
# A document has thousands of cells, all built here from already-typed parts: ``raw`` a str, the
# value a finite Decimal (``try_amount`` / ``parse_percent``) or None, the location a Location or
# None, the confidence a float or None (anything else goes through ``Cell(...)``). ``trusted``
# makes the objects ``Cell(...)`` / ``Row(...)`` make with the same keywords.


def new_row(**fields: Any) -> Row:
    """``Row(**fields)`` without pydantic validation when every part already has its type (the
    cells dict is copied, as validation does); else through ``Row(...)``."""
    key = fields["key"]
    label = fields.get("label", "")
    code = fields.get("code")
    side = fields.get("side")
    cells = fields.get("cells")
    loc = fields.get("loc")
    if not (
        type(key) is str
        and type(label) is str
        and (code is None or type(code) is str)
        and (side is None or type(side) is str)
        and (loc is None or isinstance(loc, Location))
        and (cells is None or type(cells) is dict and all(type(c) is Cell for c in cells.values()))
    ):
        return Row(**fields)
    if cells is not None:
        fields["cells"] = dict(cells)
    return trusted(Row, **fields)


@dataclass
class Ctx:
    """What a body parser works with and produces."""

    kind: TableKind
    rows: Grid
    table: Table
    issues: list[ReadIssue] = field(default_factory=list)

    def cell(self, rc: RawCell | None, *, text: bool = False) -> Cell:
        """A model cell: ``raw`` as printed; for amount cells the exact ``value`` (a percentage
        only in 绩效 tables; anything else unreadable is a read issue)."""
        if rc is None:
            return Cell(raw="", value=None)
        raw = rc.text.strip()
        loc, conf = rc.loc, rc.confidence
        typed = (loc is None or isinstance(loc, Location)) and (conf is None or type(conf) is float)
        if text or not raw:
            if typed:
                return trusted(Cell, raw=raw, loc=loc, confidence=conf)
            return Cell(raw=raw, loc=loc, confidence=conf)
        v, ok = amount_of(raw)
        if not ok:
            perf = self.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)
            pct = parse_percent(raw) if perf else None
            # a cell the reader was not sure of is listed as such, not as unreadable
            if pct is None and raw not in ("--", "—", "-", "/", "×", "x", "X") and rc.doubt is None:
                where = rc.loc.describe() if rc.loc else ""
                self.issues.append(
                    ReadIssue(
                        code="unreadable_number",
                        message=f"{self.table.name}{where}的数字“{raw}”无法识别",
                        loc=rc.loc,
                    )
                )
            v = pct
        if typed:
            return trusted(Cell, raw=raw, value=v, loc=loc, confidence=conf)
        return Cell(raw=raw, value=v, loc=loc, confidence=conf)

    # -- how completely the table was read (Table.reading): recorded, never judged --------------
    def read_columns(self, layout: str, by_header: dict[str, bool]) -> None:
        """The body layout that read the table and, for each canonical column key read, whether its
        printed header named it (True) or it was taken by its position only (False)."""
        reading = self.table.reading
        reading.layout = layout
        for key, named in by_header.items():
            (reading.by_header if named else reading.by_position).append(key)

    def column_unread(self, header: str) -> None:
        self.table.reading.unmapped.append(header)

    def row_unread(self, label: str | None) -> None:
        """A printed row with amounts that was not read: by its label, or without one."""
        if label:
            self.table.reading.rows_unread.append(label)
        else:
            self.table.reading.rows_unlabelled += 1

    def issue(self, code: str, message: str, loc: Location | None = None) -> None:
        self.issues.append(
            ReadIssue(code=code, message=f"{self.table.name}：{message}", loc=loc or self.table.loc)
        )


# -- grid helpers ------------------------------------------------------------------------------
def expand(rows: Grid) -> Grid:
    """A rectangular grid: colspan/rowspan expanded (covered places get empty cells), cell text
    joined across line breaks, trailing empty columns dropped. Cells are reused when nothing
    needs changing (the common case: text readers give plain cells)."""
    out: Grid = []
    carry: dict[tuple[int, int], RawCell] = {}
    for r, row in enumerate(rows):
        if not carry:
            for x in row:
                if x.colspan > 1 or x.rowspan > 1 or "\n" in x.text:
                    break
            else:  # a plain row: kept as it is
                out.append(row)
                continue
        line: list[RawCell] = []
        c = 0
        for cell in row:
            while (r, c) in carry:
                line.append(carry.pop((r, c)))
                c += 1
            text = cell.text.replace("\r", "").replace("\n", "")
            line.append(RawCell(text=text.strip(), loc=cell.loc, confidence=cell.confidence, doubt=cell.doubt))
            for _ in range(1, max(cell.colspan, 1)):
                line.append(RawCell(text="", loc=cell.loc))
            for dr in range(1, max(cell.rowspan, 1)):
                for dc in range(max(cell.colspan, 1)):
                    carry[(r + dr, c + dc)] = RawCell(text="", loc=cell.loc)
            c += max(cell.colspan, 1)
        while (r, c) in carry:
            line.append(carry.pop((r, c)))
            c += 1
        out.append(line)
    width = max((len(r) for r in out), default=0)
    while width and all(len(r) < width or not r[width - 1].text.strip() for r in out):
        width -= 1
    empty = RawCell(text="")
    return [r[:width] if len(r) >= width else r + [empty] * (width - len(r)) for r in out]


def record_doubts(table: Table, rows: Grid) -> None:
    """The cells of ``table`` read from grid cells the reader was not sure of (``RawCell.doubt``),
    into ``table.reading.cells_uncertain``: a model cell printed there by its row and column; a
    row whose uncertain text is its code or name (no amount cell was read from it) as a whole."""
    doubted: dict[Location, str] = {}
    for r in rows:
        for c in r:
            if c.doubt and c.loc is not None:
                doubted[c.loc] = c.doubt
    if not doubted:
        return
    uncertain = table.reading.cells_uncertain
    used: set[Location] = set()
    for row in table.rows:
        for key, cell in row.cells.items():
            why = doubted.get(cell.loc) if cell.loc is not None else None
            if why is not None:
                used.add(cell.loc)  # type: ignore[arg-type]  # not None: found in doubted
                uncertain.append(
                    UncertainCell(
                        row=row.key,
                        row_label=_row_label(row),
                        side=row.side,
                        column=key,
                        column_label=table.column_label(key),
                        reason=why,
                    )
                )
    for r in rows:
        whys = [doubted[c.loc] for c in r if c.loc is not None and c.loc in doubted and c.loc not in used]
        if not whys:
            continue
        locs = {c.loc for c in r if c.loc is not None}
        for row in table.rows:
            if row.loc in locs:
                uncertain.append(UncertainCell(row=row.key, row_label=_row_label(row), side=row.side, reason=whys[0]))


def _row_label(row: Row) -> str:
    return f"{row.code} {row.label}".strip() if row.code else row.label


def txt(row: list[RawCell], j: int) -> str:
    return row[j].text if 0 <= j < len(row) else ""


@lru_cache(maxsize=8192)
def amount_of(raw: str) -> tuple[Decimal | None, bool]:
    """``try_amount`` remembered: the same printed strings recur all over a document."""
    return try_amount(raw)


@lru_cache(maxsize=8192)
def is_amount(text: str) -> bool:
    t = text.strip()
    return bool(t) and bool(_AMOUNTISH.match(t)) and amount_of(t)[1]


def is_column_numbers(row: list[RawCell]) -> bool:
    """A 栏次 row: ``栏次 | | 1 | 2 | 3`` or a bare ``1 | 2 | … | n``."""
    for c in row:
        first = c.text.strip()
        if first:
            break
    else:
        return False
    if not (first[0].isdigit() or "次" in first):
        return False  # the common case, decided on the first printed cell
    squash = rz.squash
    for c in row:
        if "次" in c.text:  # 栏次/行次 may be printed (squash only drops whitespace)
            texts = [squash(x.text) for x in row if x.text.strip()]
            if ("栏次" in texts or "行次" in texts) and all(
                t.isdigit() or t in ("栏次", "行次", "—", "-") or not is_amount(t) and len(t) < 4 for t in texts
            ):
                return True
            break
    # a bare run of column numbers: every printed cell a number, consecutive from the first;
    # decided at the first printed cell that is not a number (a body row starting with a code:
    # its second printed cell)
    digits: list[str] = []
    for c in row:
        if c.text.strip():
            t = squash(c.text)
            if not t.isdigit():
                return False
            digits.append(t)
    if len(digits) < 3:
        return False
    nums = [int(x) for x in digits]
    return nums == list(range(nums[0], nums[0] + len(nums)))


def header_parts(header: Grid, width: int, fill_from: int = 2) -> list[list[str]]:
    """The header labels above every column, top-down. A group cell of an upper row (a merged
    cell printed once) fills the blank cells to its right, up to the next column where some
    row above starts a new group; the last header row (the leaves) is never filled."""
    filled: list[list[str]] = []
    bounds: set[int] = set()
    for i, row in enumerate(header):
        texts = [rz.squash(txt(row, j)) for j in range(width)]
        orig = list(texts)
        if i < len(header) - 1:
            last = ""
            for j in range(width):
                if orig[j]:
                    last = orig[j]
                elif j in bounds:
                    last = ""
                elif last and j >= fill_from:
                    texts[j] = last
        bounds |= {j for j in range(width) if orig[j]}
        filled.append(texts)
    out: list[list[str]] = []
    for j in range(width):
        parts: list[str] = []
        for frow in filled:
            if frow[j] and (not parts or parts[-1] != frow[j]):
                parts.append(frow[j])
        out.append(parts)
    return out


def header_paths(header: Grid, width: int, fill_from: int = 2) -> tuple[list[str], list[str]]:
    """(leaf label, full path) of every column."""
    leaves, paths = [], []
    for j, parts in enumerate(header_parts(header, width, fill_from)):
        paths.append("|".join(parts))
        leaf = ""
        for row in reversed(header):
            if rz.squash(txt(row, j)):
                leaf = rz.squash(txt(row, j))
                break
        leaves.append(leaf)
    return leaves, paths


def loc_of(row: list[RawCell]) -> Location | None:
    for c in row:
        if c.loc is not None:
            return c.loc
    return None


def body_like(row: list[RawCell]) -> bool:
    texts = [c.text.strip() for c in row if c.text.strip()]
    if not texts:
        return False
    if is_column_numbers(row):
        return False
    first = texts[0]
    if rz.is_code_part(first) or rz.is_total_label(first):
        return True
    return any(is_amount(t) and ("." in t or "," in t) for t in texts)


def split_header(rows: Grid, is_body: Callable[[list[RawCell]], bool]) -> tuple[Grid, Grid]:
    for i, row in enumerate(rows):
        if is_body(row):
            header = [r for r in rows[:i] if not is_column_numbers(r)]
            body = [r for r in rows[i:] if not is_column_numbers(r)]
            return header, body
    return [r for r in rows if not is_column_numbers(r)], []
