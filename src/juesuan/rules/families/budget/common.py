"""Helpers of the budget rules: the cells of a budget table as CellAt, present or not."""

from __future__ import annotations

from ....model import Table, TableKind
from ...context import CellAt, RunContext


def cells(ctx: RunContext, t: Table, keys: list[str], column: str, side: str | None = None) -> list[CellAt]:
    """The cells of rows ``keys`` in ``column`` that the table prints (a row left out of the
    table is no part)."""
    return [c for c in (ctx.cell(t, k, column, side) for k in keys) if c is not None]


def first_cell(ctx: RunContext, t: Table, keys: list[str], column: str, side: str | None = None) -> CellAt | None:
    """The first of ``keys`` the table prints in ``column``."""
    for k in keys:
        c = ctx.cell(t, k, column, side)
        if c is not None:
            return c
    return None


def unnamed_rows(t: Table, side: str) -> list[str]:
    """Labels of the rows of ``side`` that print an amount under a label the reader could not
    name (keys ``?…``): while there is one, no sum of that side can be told."""
    return [r.label for r in t.rows if r.side == side and r.key.startswith("?") and any(c.value is not None for c in r.cells.values())]


def the_table(ctx: RunContext, kind: TableKind) -> Table | None:
    """The one table of ``kind`` (None when absent or printed more than once: which to hold the
    other against is not certain)."""
    ts = ctx.doc.tables_of(kind)
    return ts[0] if len(ts) == 1 else None
