"""One disclosure in several files (``check --as-one``, ``juesuan.api.check_as_one``), and what a
file holding one part checked alone says it could not check."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES
from juesuan.api import check_as_one, check_path
from juesuan.cli import app
from juesuan.ingest import read_as_one
from juesuan.model import Disclosure, Location, TableKind

JIANGSU = SAMPLES / "jiangsu-budget"
NARRATIVE = "jiangsu-cppcc-office-2018-budget-narrative.pdf"
TABLES = "jiangsu-cppcc-office-2018-budget-tables.pdf"


def _path(name: str) -> Path:
    p = JIANGSU / name
    if not p.exists():
        pytest.skip(f"{p} is not here (the shared documents are absent)")
    return p


@cache
def _joined() -> Disclosure:
    return read_as_one([_path(NARRATIVE), _path(TABLES)])


def test_the_parts_are_read_as_one_disclosure() -> None:
    doc = _joined()
    assert doc.metadata.department == "江苏省政协办公厅" and doc.metadata.year == 2018
    assert doc.metadata.kind is not None and doc.metadata.kind.is_budget
    assert [t.kind for t in doc.tables][:3] == [TableKind.B01, TableKind.B02, TableKind.B03]
    assert doc.claims, "the narrative's claims are read"
    assert NARRATIVE in (doc.metadata.source_path or "") and TABLES in (doc.metadata.source_path or "")


def test_every_location_keeps_its_file() -> None:
    doc = _joined()
    for t in doc.tables:
        assert t.loc is not None and t.loc.file == TABLES
        for r in t.rows:
            for c in r.cells.values():
                assert c.loc is None or c.loc.file == TABLES
    paragraphs = [p for _, p in doc.paragraphs() if p.loc is not None]
    assert paragraphs and all(p.loc.file == NARRATIVE for p in paragraphs if p.loc)
    assert all(c.loc is None or c.loc.file == NARRATIVE for c in doc.claims)


def test_a_location_names_its_file() -> None:
    assert Location(page=3, file="说明.pdf").describe() == "《说明.pdf》第3页"
    assert Location(page=3).describe() == "第3页"


def test_sections_keep_pointing_at_their_tables() -> None:
    doc = _joined()
    for s in doc.walk_sections():
        for i in s.table_indices:
            assert 0 <= i < len(doc.tables)


def test_api_and_cli_check_the_parts_as_one() -> None:
    result = check_as_one([_path(NARRATIVE), _path(TABLES)])
    assert result.error is None
    assert " + " in result.path
    assert not any(u.what == "情况说明与表格的核对" for u in result.unchecked)
    assert all(
        ref.loc.file in (NARRATIVE, TABLES) for f in result.findings for ref in f.locations if ref.loc is not None
    )
    run = CliRunner().invoke(app, ["check", str(_path(NARRATIVE)), str(_path(TABLES)), "--as-one"])
    assert run.exit_code in (0, 1), run.output
    assert run.output.count("== ") == 1, "one disclosure, one report"
    assert f"《{NARRATIVE}》" in run.output or "共 0 条" in run.output


def test_as_one_needs_two_files() -> None:
    run = CliRunner().invoke(app, ["check", str(_path(TABLES)), "--as-one"])
    assert run.exit_code == 2
    assert "至少两个文件" in run.output


def test_a_part_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    result = check_as_one([_path(TABLES), empty])
    assert result.error is not None and "空.pdf" in result.error and "文件为空" in result.error


def test_one_part_checked_alone_says_what_it_could_not_check() -> None:
    tables = check_path(_path(TABLES))
    [u] = [u for u in tables.unchecked if u.what == "情况说明与表格的核对"]
    assert "只有表格" in u.reason and "--as-one" in u.reason
    narrative = check_path(_path(NARRATIVE))
    [u] = [u for u in narrative.unchecked if u.what == "表格的核对"]
    assert "只有情况说明" in u.reason and "--as-one" in u.reason
    # a disclosure in one file has both parts
    whole = check_path(_path("jiangsu-high-court-2018-budget.pdf"))
    assert not [u for u in whole.unchecked if u.what in ("情况说明与表格的核对", "表格的核对")]
