"""The run context: what every rule of one check of one disclosure reads.

A rule judges a complete, frozen :class:`~juesuan.model.Disclosure`; it never reads or changes
anything else. The engine makes one :class:`RunContext` per check and hands it to each rule's
``check(ctx)``. The context owns every index and cache of the run (row lookups by key, the
position of each table, the Refs of cells several rules name, anything a rule family derives
once and shares through :meth:`RunContext.once`). The model itself stays plain data: nothing in
it changes behaviour depending on who asks.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from ..model import Cell, Disclosure, Ref, Row, Table, Unchecked
from ..tables.schema import column_label, row_label

_T = TypeVar("_T")


class RowIndex:
    """The rows of one table by key, and by key and side: the first row of each, exactly as a
    search of ``Table.rows`` from the top finds it."""

    __slots__ = ("by_key", "by_side")

    def __init__(self, table: Table) -> None:
        self.by_key: dict[str, Row] = {}
        self.by_side: dict[tuple[str, str | None], Row] = {}
        for r in table.rows:
            self.by_key.setdefault(r.key, r)
            self.by_side.setdefault((r.key, r.side), r)

    def row(self, key: str, side: str | None = None) -> Row | None:
        return self.by_key.get(key) if side is None else self.by_side.get((key, side))


class CellAt:
    """A cell a rule compares: its ``value`` at once, its :class:`Ref` only when :meth:`ref` is
    called (a Ref names the table, row, column and place, so it is built only for a comparison
    that gives a finding)."""

    __slots__ = ("ctx", "table", "key", "column", "side", "value")

    def __init__(
        self, ctx: RunContext, table: Table, key: str, column: str, side: str | None, value: Decimal | None
    ) -> None:
        self.ctx = ctx
        self.table = table
        self.key = key
        self.column = column
        self.side = side
        self.value = value

    def ref(self) -> Ref:
        r = self.ctx.ref(self.table, self.key, self.column, self.side)
        assert r is not None  # the cell was found when this was made
        return r


class RunContext:
    """One check of one disclosure (see the module docstring)."""

    def __init__(self, doc: Disclosure) -> None:
        self.doc = doc
        # what rules derive from the document and share, by (what, id(object)); each entry keeps
        # its object so that an id is never taken for another object's
        self.memo: dict[Hashable, Any] = {}
        # what the rules could not judge, with the reason (never a defect; see Unchecked)
        self.unchecked: list[Unchecked] = []
        self._rows: dict[int, RowIndex] = {}
        self._positions = {id(t): i for i, t in enumerate(doc.tables)}
        # the tables whose reading leaves some cells uncertain, by position (see :meth:`doubt`)
        self.uncertain: dict[int, Table] = {
            i: t
            for i, t in enumerate(doc.tables)
            if t.reading.by_position
            or t.reading.missing
            or t.reading.rows_unread
            or t.reading.rows_unlabelled
            or t.reading.cells_uncertain
        }

    # -- derived once ----------------------------------------------------------------------------
    def once(self, what: Hashable, obj: object, compute: Callable[[], _T]) -> _T:
        """``compute()`` for ``(what, obj)``, computed once in this run."""
        key = (what, id(obj))
        got = self.memo.get(key)
        if got is None or got[0] is not obj:
            got = self.memo[key] = (obj, compute())
        value: _T = got[1]
        return value

    def not_checked(self, rule_id: str, what: str, reason: str, refs: list[Ref] | None = None) -> None:
        """Record that ``rule_id`` did not judge ``what`` because ``reason`` (a reading that is
        not certain is reported this way, never as a defect)."""
        self.unchecked.append(Unchecked(rule_id=rule_id, what=what, reason=reason, locations=refs or []))

    def doubt(self, refs: Iterable[Ref]) -> str | None:
        """Why a verdict resting on ``refs`` would rest on an uncertain reading (None: it would
        not): a cell whose printed digits the reader could not place for certain (they run across
        a cell border; a row's code or name so read makes the whole row uncertain) and a total or
        a 类/款 row of a table with such a cell in its column, a cell of a
        column taken by its position only (the header did not name it), a total
        or a 类/款 row of a table some of whose rows were not read (its parts may be missing), or
        two cells of one row of a table that lacks a standard column (the row's identity may miss
        that part: a rule leaves a part that is not there out of the sum). A rule reports no error
        or warning on such cells (see ``Rule.withheld``)."""
        if not self.uncertain:
            return None
        refs = list(refs)
        for r in refs:  # a place itself not read for certain is the reason first
            t = self.uncertain.get(r.table_index) if r.table_index is not None and r.row is not None else None
            if t is not None and t.reading.cells_uncertain:
                u = t.reading.uncertain(r.row, r.column)  # type: ignore[arg-type]  # row checked above
                if u is not None:
                    col = f"[{r.column_label or r.column}]" if r.column is not None else ""
                    return f"{u.reason}，未核对：《{t.name}》“{r.row_label or r.row}”{col}"
        rows: set[tuple[int, str]] = set()
        for r in refs:
            if r.table_index is None or r.row is None:
                continue
            t = self.uncertain.get(r.table_index)
            if t is None:
                continue
            reading = t.reading
            if reading.cells_uncertain:
                if _has_parts(r.row) and any(
                    u.column is None or u.column == r.column for u in reading.cells_uncertain
                ):
                    # a total sums cells some of which were not read for certain (a rule's sum
                    # may not name a part it read as blank)
                    return f"表中有读数不确定的单元格，合计未核对：《{t.name}》“{r.row_label or r.row}”"
            if r.column is not None and r.column in reading.by_position:
                return f"栏目按位置推定，未核对：《{t.name}》[{r.column_label or r.column}]"
            if (reading.rows_unread or reading.rows_unlabelled) and _has_parts(r.row):
                return f"表中有未读取的行，合计未核对：《{t.name}》“{r.row_label or r.row}”"
            if reading.missing and r.column is not None:
                if (r.table_index, r.row) in rows:
                    missing = "、".join(column_label(t.kind, k) for k in reading.missing)
                    return f"表中未找到标准列（{missing}），本行未核对：《{t.name}》“{r.row_label or r.row}”"
                rows.add((r.table_index, r.row))
        return None

    # -- tables, rows and cells ------------------------------------------------------------------
    def table_index(self, table: Table) -> int:
        """The position of ``table`` in ``doc.tables`` (what a Ref names it by)."""
        i = self._positions.get(id(table))
        if i is None:
            raise ValueError("table not in this disclosure")
        return i

    def rows(self, table: Table) -> RowIndex:
        """The row index of ``table`` (built once per run)."""
        idx = self._rows.get(id(table))
        if idx is None:
            self.table_index(table)  # only tables of this document: their ids stay theirs
            idx = self._rows[id(table)] = RowIndex(table)
        return idx

    def row(self, table: Table, key: str, side: str | None = None) -> Row | None:
        return self.rows(table).row(key, side)

    def cell_of(self, table: Table, key: str, column: str, side: str | None = None) -> Cell | None:
        """The model's cell at ``key`` × ``column`` (None when the row or column is missing)."""
        r = self.rows(table).row(key, side)
        return None if r is None else r.cells.get(column)

    def value(self, table: Table, key: str, column: str, side: str | None = None) -> Decimal | None:
        c = self.cell_of(table, key, column, side)
        return None if c is None else c.value

    def cell(self, table: Table, key: str, column: str, side: str | None = None) -> CellAt | None:
        """The cell a rule compares (None when the row or column is missing), its Ref not built."""
        c = self.cell_of(table, key, column, side)
        return None if c is None else CellAt(self, table, key, column, side, c.value)

    def decimals_of(self, ref: Ref | CellAt) -> int:
        """Printed decimal places of the table ``ref`` points into (2 when unknown)."""
        if isinstance(ref, CellAt):
            return ref.table.decimals
        i = ref.table_index
        tables = self.doc.tables
        if i is not None and 0 <= i < len(tables):
            t = tables[i]
            if ref.table is None or t.kind is ref.table:
                return t.decimals
        return 2

    # -- references ------------------------------------------------------------------------------
    def ref(self, table: Table, key: str, column: str, side: str | None = None) -> Ref | None:
        """A Ref to a cell, or None when the row or column is missing (built once per run: the
        rules of a table and the cross-table rules name the same cells)."""
        return self.once(("ref", key, column, side), table, lambda: self._ref(table, key, column, side))

    def _ref(self, table: Table, key: str, column: str, side: str | None) -> Ref | None:
        r = self.row(table, key, side)
        if r is None:
            return None
        c = r.cells.get(column)
        if c is None:
            return None
        return self.row_ref(table, r, column, c)

    def row_ref(self, table: Table, r: Row, column: str, c: Cell) -> Ref:
        """The Ref of a row's cell already found."""
        col = table.column(column)
        return Ref(
            table=table.kind,
            table_index=self.table_index(table),
            table_title=table.name,
            row=r.key,
            row_label=(
                f"{r.code} {r.label}".strip() if r.code else (r.label or row_label(table.kind, r.key))
            ),
            column=column,
            column_label=(col.label or column) if col is not None else column_label(table.kind, column),
            value=c.value,
            text=c.raw or None,
            loc=c.loc or r.loc,
        )

    def table_ref(self, table: Table) -> Ref:
        """A Ref to a whole table."""
        return Ref(
            table=table.kind, table_index=self.table_index(table), table_title=table.name, loc=table.loc
        )

    def missing_ref(self, table: Table, key: str, column: str) -> Ref:
        """A Ref naming a cell the table does not print (read as zero)."""
        return Ref(
            table=table.kind,
            table_index=self.table_index(table),
            table_title=table.name,
            row=key,
            row_label=row_label(table.kind, key) + "（未列示）",
            column=column,
            column_label=column_label(table.kind, column),
            value=None,
            loc=table.loc,
        )


def _has_parts(row_key: str) -> bool:
    """Whether a row is the sum of other rows: a total line, a 类 or a 款 (a 3- or 5-digit code)."""
    return "total" in row_key or row_key.isdigit() and len(row_key) in (3, 5)
