"""Cells and locations built without pydantic validation are the objects validation makes."""

from __future__ import annotations

from decimal import Decimal

from juesuan.ingest.assemble.grid import Ctx
from juesuan.ingest.pdf.layout import _loc
from juesuan.ingest.raw import RawCell
from juesuan.ingest.trusted import trusted
from juesuan.model import Location, Table, TableKind
from juesuan.model.table import Cell


def _same(a: object, b: object) -> None:
    assert a == b
    assert type(a) is type(b)
    assert a.model_fields_set == b.model_fields_set  # type: ignore[attr-defined]
    assert list(a.__dict__) == list(b.__dict__)
    assert a.model_dump_json() == b.model_dump_json()  # type: ignore[attr-defined]
    assert repr(a) == repr(b)


def test_fast_cells_equal_validated_cells() -> None:
    loc = Location(page=3, bbox=(1.0, 2.0, 3.0, 4.0))
    _same(trusted(Cell, raw="项目", loc=loc, confidence=None), Cell(raw="项目", loc=loc, confidence=None))
    _same(trusted(Cell, raw="", loc=None, confidence=0.9), Cell(raw="", loc=None, confidence=0.9))
    _same(
        trusted(Cell, raw="1,051.37", value=Decimal("1051.37"), loc=loc, confidence=None),
        Cell(raw="1,051.37", value=Decimal("1051.37"), loc=loc, confidence=None),
    )
    _same(trusted(Cell, raw="x", value=None, loc=None, confidence=0.5), Cell(raw="x", value=None, loc=None, confidence=0.5))


def test_ctx_cell_falls_back_to_validation_for_other_types() -> None:
    ctx = Ctx(kind=TableKind.T02, rows=[], table=Table(kind=TableKind.T02))
    # an int confidence is converted by validation, as before
    cell = ctx.cell(RawCell("12.50", None, confidence=1))  # type: ignore[arg-type]
    _same(cell, Cell(raw="12.50", value=Decimal("12.50"), loc=None, confidence=1))
    assert cell.confidence == 1.0 and type(cell.confidence) is float
    _same(ctx.cell(RawCell(" 合计 ", None), text=True), Cell(raw="合计", loc=None, confidence=None))


def test_layout_location_equals_validated_location() -> None:
    bbox = (10.5, 20.25, 30.0, 40.75)
    _same(_loc(2, bbox), Location(page=2, bbox=bbox))
    a, b = _loc(1, bbox), _loc(1, bbox)
    assert a.__dict__ is not b.__dict__  # every location has its own fields


def test_fast_rows_equal_validated_rows() -> None:
    from juesuan.ingest.assemble.grid import new_row
    from juesuan.model.table import Row

    loc = Location(page=1, bbox=(1.0, 2.0, 3.0, 4.0))
    cells = {"amount": Cell(raw="1.00", value=Decimal("1.00"))}
    for kw in (
        {"key": "201", "label": "一般公共服务支出", "code": "201", "loc": loc},
        {"key": "total", "label": "合计", "code": None, "loc": None},
        {"key": "inc_fiscal", "label": "财政拨款收入", "side": "income", "cells": cells, "loc": loc},
        {"key": "r1", "label": ""},
    ):
        fast, slow = new_row(**kw), Row(**kw)  # type: ignore[arg-type]
        _same(fast, slow)
        if "cells" in kw:
            assert fast.cells is not kw["cells"]  # copied, as validation copies it
    # parts of other types go through validation
    _same(new_row(key="x", label="y", cells={"a": {"raw": "1"}}), Row(key="x", label="y", cells={"a": {"raw": "1"}}))  # type: ignore[dict-item]
