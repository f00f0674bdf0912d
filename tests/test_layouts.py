"""Regional 决算 layouts (issue #17 item 4): the table sets, titles, numbering, column layouts and
units of the national template, Shanghai, Sichuan, Yunnan, Inner Mongolia, Zhejiang and Jiangsu
are recognised, with every column mapped, on documents the quality generator writes in each
layout and format; a table of no known kind stays OTHER."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from bench.quality.generate import generate, write
from bench.quality.layouts import LAYOUTS

from juesuan.ingest import read
from juesuan.model import AmountUnit, Disclosure, Table, TableKind
from juesuan.tables import regions, schema
from juesuan.tables.recognize import kind_from_title

# Titles as regions print them (read on public disclosure pages, 2022–2024) -> kind.
REGIONAL_TITLES = {
    # Sichuan
    "财政拨款支出决算明细表": TableKind.T05D,
    "一般公共预算财政拨款支出决算明细表": TableKind.T05GD,
    "一般公共预算财政拨款项目支出决算表": TableKind.T05P,
    "国有资本经营预算财政拨款支出决算表": TableKind.T08,
    "国有资本经营预算财政拨款收入支出决算表": TableKind.T08,
    # Yunnan
    "收入支出决算表": TableKind.T01,
    "财政拨款收入支出决算表": TableKind.T04,
    "一般公共预算财政拨款收入支出决算表": TableKind.T05,
    "项目支出决算表": TableKind.PROJ,
    "财政拨款“三公”经费、行政参公单位机关运行经费情况表": TableKind.T09,
    "一般公共预算财政拨款“三公”经费情况表": TableKind.T09,
    # Inner Mongolia
    "项目收入支出决算表": TableKind.PROJ,
    "一般公共预算财政拨款项目支出决算明细表": TableKind.T05P,
    "一般公共预算财政拨款基本支出决算明细表": TableKind.T06,
    "机构运行经费支出、国有资产占用情况及政府采购支出信息表": TableKind.T11,
    # Zhejiang
    "收入决算表（分单位）": TableKind.T02U,
    "收入决算表（分科目）": TableKind.T02,
    "支出决算表（分单位）": TableKind.T03U,
    "支出决算表（分科目）": TableKind.T03,
    # national
    "收入支出决算总表": TableKind.T01,
    "政府性基金预算财政拨款收入支出决算表": TableKind.T07,
    "财政拨款“三公”经费支出决算表": TableKind.T09,
}


@pytest.mark.parametrize("title,kind", REGIONAL_TITLES.items())
def test_regional_titles_name_their_kind_in_both_readings(title: str, kind: TableKind) -> None:
    assert kind_from_title(title) is kind
    assert kind_from_title(title, contents=True) is kind


@pytest.mark.parametrize("title", ["机构运行信息表", "部门基本情况表", "国有资产占用情况表", "单位构成表"])
def test_a_table_of_no_known_kind_is_not_forced_into_one(title: str) -> None:
    assert kind_from_title(title) is None
    assert kind_from_title(title, contents=True) is None


def _printed(doc: Disclosure) -> list[Table]:
    return [doc.tables[i] for s in doc.walk_sections() for i in s.table_indices]


def _read(doc: Disclosure, fmt: str) -> Disclosure:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / f"doc.{fmt}"
        p.write_bytes(write(doc, fmt))
        return read(p)


# The table set each layout prints (kinds in print order, 相关统计数 and 绩效 forms left out).
EXPECTED_SETS = {
    "national": ["T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09"],
    "shanghai": ["T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "T11"],
    "sichuan": ["T01", "T02", "T03", "T04", "T05D", "T05", "T05GD", "T06", "T05P", "T07", "T08", "T08", "T09"],
    "yunnan": ["T01", "T02", "T03", "T04", "T05", "T06", "T05P", "PROJ", "T07", "T08", "T09"],
    "inner_mongolia": ["T01", "T02", "T03", "T04", "PROJ", "T05", "T06", "T05P", "T07", "T08", "T09", "T11"],
    "zhejiang": ["T01", "T02U", "T02", "T03U", "T03", "T04", "T05", "T06", "T07", "T08", "T09"],
    "jiangsu": ["T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "T11"],
    "yuan": ["T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09", "T10", "T11"],
}
_AUX = (TableKind.T09S, TableKind.PERF_PROJECT, TableKind.PERF_DEPT)


def _check_layout(layout: str, fmt: str, seed: int = 0) -> None:
    clean = generate(seed, layout)
    model = clean.disclosure
    want = [t for t in _printed(model) if t.kind not in _AUX]
    assert [t.kind.value for t in want] == EXPECTED_SETS[layout]
    got_doc = _read(model, fmt)
    got = [t for t in got_doc.tables if t.kind not in _AUX and not regions.split_part(t.title, t.printed_number)]
    assert [t.kind for t in got] == [t.kind for t in want], layout
    assert not any(t.kind is TableKind.OTHER for t in got_doc.tables)
    for m, g in zip(want, got, strict=True):
        # every column the layout prints is mapped to its canonical key, in the printed order
        if m.columns:
            assert [c.key for c in g.columns] == [c.key for c in m.columns], (layout, m.kind, m.title)
        else:  # an empty table of the composer (no columns in the model): the printed ones, all mapped
            assert g.columns and {c.key for c in g.columns} <= set(schema.COLUMNS[m.kind]), (layout, m.kind)
        assert g.number == m.number, (layout, m.title)
        if m.kind in regions.CODED_KINDS:
            # each row under 合计 (a 科目, a 单位, a project) read with its amounts
            assert len(g.rows) == len(m.rows), (layout, m.kind)
            for mr, gr in zip(m.rows, g.rows, strict=True):
                assert {k: c.value for k, c in gr.cells.items()} == {k: c.value for k, c in mr.cells.items()}, (m.kind, mr.key)
    if layout in ("yunnan", "inner_mongolia"):
        # the 机关运行经费 line of the combined table is read as a T10 table of its own
        parts = [t for t in got_doc.tables if t.kind is TableKind.T10]
        assert len(parts) == 1 and regions.split_part(parts[0].title, parts[0].printed_number)
        hidden = model.tables_of(TableKind.T10)[0]
        assert parts[0].value("total", "amount") == hidden.value("total", "amount") is not None
    if layout == "jiangsu":
        t09 = got_doc.table(TableKind.T09)
        assert t09 is not None and t09.row("meeting") is not None and t09.row("training") is not None
        numbers = [t.printed_number for t in got if t.printed_number]
        assert numbers == [] if seed % 2 else numbers[0] == "公开表一"
    if layout == "yuan":
        assert {t.unit for t in got} == {AmountUnit.YUAN}
        t01 = got_doc.table(TableKind.T01)
        assert t01 is not None and (t01.value("inc_grand_total", "amount", "income") or Decimal(0)) > 100000


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_each_layout_is_read_back_with_its_tables_and_columns(layout: str, fmt: str) -> None:
    _check_layout(layout, fmt)


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_each_layout_is_read_back_from_docx_and_pdf(layout: str, fmt: str) -> None:
    _check_layout(layout, fmt)


def test_jiangsu_without_numbers_and_the_model_format() -> None:
    _check_layout("jiangsu", "txt", seed=1)
    doc = generate(1, "jiangsu").disclosure
    assert all(not t.printed_number for t in doc.tables)
