"""Synthetic data, workbook template round trip, facts file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from juesuan.compose import compose, synth, write_template
from juesuan.compose.facts import FACTS_TEMPLATE, Facts, dump_facts, load_facts
from juesuan.compose.layout import NUMBERED_KINDS
from juesuan.compose.workbook import read_workbook, write_workbook
from juesuan.ingest.errors import InputError
from juesuan.model import Severity, Table, TableKind


def cells(tables: list[Table]) -> dict[tuple[str, str, str | None, str], Decimal | None]:
    out = {}
    for t in tables:
        if t.kind not in NUMBERED_KINDS:
            continue
        for r in t.rows:
            for c, cell in r.cells.items():
                out[(t.kind.value, r.key, r.side, c)] = cell.value
    return out


def nonblank(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


@pytest.mark.parametrize("seed", [1, 2, 3, 7])
def test_synthetic_data_passes_every_rule(seed: int) -> None:
    tables, facts = synth(seed)
    res = compose(tables, facts)
    bad = [f"{f.rule_id} {f.message}" for f in res.findings if f.severity is not Severity.INFO]
    assert bad == []


def test_synthetic_data_has_honest_rounding() -> None:
    """Amounts are rounded one by one from 元: some printed sums differ from printed totals by
    a cent, and the check reports it as rounding (info), not as an error."""
    tables, facts = synth(1)
    t02 = next(t for t in tables if t.kind is TableKind.T02)
    diffs = []
    for r in t02.rows:
        if r.code and len(r.code) == 5:
            kids = [k for k in t02.rows if k.code and len(k.code) == 7 and k.code.startswith(r.code)]
            s = sum((k.cells["total"].amount for k in kids), Decimal(0))
            diffs.append(s - r.cells["total"].amount)
    assert any(d != 0 for d in diffs)
    assert all(abs(d) <= Decimal("0.05") for d in diffs)
    res = compose(tables, facts)
    assert any(f.severity is Severity.INFO for f in res.findings)


def test_synthetic_tables_agree_across_tables() -> None:
    tables, _ = synth(4)
    by = {t.kind: t for t in tables}
    assert by[TableKind.T01].value("inc_total_year", "amount", "income") == by[TableKind.T02].value("total", "total")
    assert by[TableKind.T01].value("exp_total_year", "amount", "expense") == by[TableKind.T03].value("total", "total")
    assert by[TableKind.T04].value("exp_total_year", "general", "expense") == by[TableKind.T05].value("total", "total")
    assert by[TableKind.T10].value("total", "amount") == by[TableKind.T06].value("public_total", "amount")
    t06 = by[TableKind.T06]
    assert t06.value("30108", "amount", "personnel") == by[TableKind.T05].value("2080505", "total")


def test_filled_workbook_round_trip(tmp_path: Path) -> None:
    tables, facts = synth(2)
    p = write_workbook(tmp_path / "决算报表.xlsx", tables, facts.department, facts.year)
    back = read_workbook(p)
    assert [t.kind for t in back] == NUMBERED_KINDS
    assert nonblank(cells(back)) == nonblank(cells(tables))
    t02 = next(t for t in back if t.kind is TableKind.T02)
    assert t02.department == facts.department and t02.printed_number == "公开02表"
    r = t02.row("2080109")
    assert r is not None and r.label == "社会保险经办机构" and r.cells["total"].loc is not None
    assert r.cells["total"].loc.ref and r.cells["total"].loc.ref.startswith("公开02表!C")


def test_blank_template(tmp_path: Path) -> None:
    files = write_template(tmp_path / "tpl", department="测试局", year=2024)
    assert [f.name for f in files] == ["决算报表.xlsx", "facts.yaml"]
    from openpyxl import load_workbook

    wb = load_workbook(files[0])
    assert wb.sheetnames == [f"公开{i:02d}表" for i in range(1, 12)]
    ws = wb["公开01表"]
    assert ws["A1"].value == "收入支出决算总表"
    assert ws["A2"].value == "部门：测试局"
    assert ws["F2"].value == "公开01表" and ws["F3"].value == "金额单位：万元"
    assert any(ws.cell(row=r, column=1).value == "栏次" for r in range(4, 8))
    back = read_workbook(files[0])
    assert all(c.value is None for t in back for r in t.rows for c in r.cells.values())
    facts = load_facts(files[1])
    assert facts.department == "测试局" and facts.budget_items == {}  # the department given, in both files


def test_workbook_refuses_bad_amount_with_place(tmp_path: Path) -> None:
    tables, facts = synth(1)
    p = write_workbook(tmp_path / "w.xlsx", tables, facts.department, facts.year)
    from openpyxl import load_workbook

    wb = load_workbook(p)
    ws = wb["公开03表"]
    ws.cell(row=8, column=3, value="约12万")
    wb.save(p)
    with pytest.raises(InputError) as ei:
        read_workbook(p)
    assert "公开03表!C8" in ei.value.message and "不是金额" in ei.value.message


def test_compose_refuses_broken_identity(tmp_path: Path) -> None:
    from juesuan.compose import ComposeRefused

    tables, facts = synth(1)
    p = write_workbook(tmp_path / "w.xlsx", tables, facts.department, facts.year)
    from openpyxl import load_workbook

    wb = load_workbook(p)
    ws = wb["公开09表"]
    # the 决算数 合计 of the 三公 table (first data row, column G) no longer equals its parts
    ws.cell(row=8, column=7, value=99.99)
    wb.save(p)
    with pytest.raises(ComposeRefused) as ei:
        compose(p, facts)
    assert "勾稽关系错误" in str(ei.value) and "T09-001" in str(ei.value)
    forced = compose(p, facts, force=True)
    assert forced.errors


def test_facts_template_and_dump_round_trip(tmp_path: Path) -> None:
    f = Facts.model_validate(yaml.safe_load(FACTS_TEMPLATE))
    assert f.year == 2024 and f.last_year.grand_total is None
    _, facts = synth(3)
    p = tmp_path / "facts.yaml"
    p.write_text(dump_facts(facts), encoding="utf-8")
    again = load_facts(p)
    assert again == facts


def test_dumped_facts_say_what_each_key_means() -> None:
    _, facts = synth(3)
    lines = dump_facts(facts).splitlines()
    commented = {ln.split(":", 1)[0].strip() for ln in lines if "  # " in ln and not ln.startswith("#")}
    # every top-level key and every amount of last year carries its Chinese comment, or stands
    # under a comment line of its own
    for key in ("department", "year", "duties", "units", "sangong", "assets", "org_running"):
        if any(ln.startswith(f"{key}:") for ln in lines):
            assert key in commented, key
    for key in facts.last_year.model_dump(exclude_none=True):
        assert key in commented, f"last_year.{key}"
    assert any(ln.startswith("# 上年决算数") for ln in lines)
    assert all(ord(ch) < 128 for ln in lines if not ln.startswith((" ", "-", "#")) for ch in ln.split(":", 1)[0])


def test_bad_facts_message(tmp_path: Path) -> None:
    p = tmp_path / "facts.yaml"
    p.write_text("department: 某局\nyear: 二〇二四\nlast_year: {grand_total: 很多}\n", encoding="utf-8")
    with pytest.raises(InputError) as ei:
        load_facts(p)
    assert "year" in ei.value.message and "grand_total" in ei.value.message
    p.write_text("department: [\n", encoding="utf-8")
    with pytest.raises(InputError) as ei:
        load_facts(p)
    assert "YAML 格式错误" in ei.value.message
