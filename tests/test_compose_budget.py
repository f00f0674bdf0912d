"""The composed budget (部门预算公开): synthetic data consistent by construction, printed as the
budget readers read it. Reading the composed text or HTML back gives the budget kind, every table
recognised as its budget kind, and no error or warning; a defect put into it is found."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.compose.budget import budget_tables, render_budget_html, render_budget_txt, synth_budget
from juesuan.ingest import read
from juesuan.model import DisclosureKind, Finding, Severity, TableKind
from juesuan.rules import run_rules

K = TableKind
KINDS = [K.B01, K.B02, K.B03, K.B04, K.B05F, K.B06F, K.B05, K.B06, K.B07, K.B09, K.B10, K.B11]


def _serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]


def _read(tmp_path: Path, text: str, ext: str = "txt") -> tuple[object, list[Finding]]:
    p = tmp_path / f"budget.{ext}"
    p.write_text(text, encoding="utf-8")
    doc = read(p)
    return doc, run_rules(doc)


@pytest.mark.parametrize(("seed", "ext"), [(1, "txt"), (2, "txt"), (3, "html")])
def test_a_composed_budget_reads_back_clean(tmp_path: Path, seed: int, ext: str) -> None:
    d = synth_budget(seed)
    text = render_budget_txt(d) if ext == "txt" else render_budget_html(d)
    doc, findings = _read(tmp_path, text, ext)
    assert doc.metadata.kind is DisclosureKind.BUDGET_DEPARTMENT  # type: ignore[attr-defined]
    assert doc.metadata.year == d.year  # type: ignore[attr-defined]
    assert [t.kind for t in doc.tables] == KINDS  # type: ignore[attr-defined]
    assert _serious(findings) == [], [f.message for f in _serious(findings)]


def test_the_data_is_consistent_by_construction() -> None:
    d = synth_budget(5)
    assert d.total == d.fiscal_income + d.business_total + d.carry
    assert d.basic == d.personnel + d.public
    assert d.general() == d.basic + d.project - d.business_total
    s = d.sangong
    assert (
        s["grand_total"]
        == s["abroad"] + s["car_purchase"] + s["car_run"] + s["reception"] + s["meeting"] + s["training"]
    )
    assert all(v == v.quantize(Decimal("0.01")) for v in d.econ.values())
    titles = [t.title for t in budget_tables(d)]
    assert titles[0] == "收支预算总表" and "政府采购预算表" in titles


def test_a_row_off_in_a_table_is_found(tmp_path: Path) -> None:
    d = synth_budget(1)
    text = render_budget_txt(d)
    basic = f"{d.basic:,.2f}"
    wrong = f"{d.basic + Decimal('10'):,.2f}"
    # the 基本支出 of the 收支预算总表 (its first printing) ten 万元 too large
    assert f"一、基本支出\t{basic}" in text
    text = text.replace(f"一、基本支出\t{basic}", f"一、基本支出\t{wrong}", 1)
    _, findings = _read(tmp_path, text)
    assert any(f.rule_id.startswith("B-") and f.severity is Severity.ERROR for f in findings)


def test_a_wrong_share_in_the_narrative_is_found(tmp_path: Path) -> None:
    d = synth_budget(1)
    text = render_budget_txt(d)
    line = next(x for x in text.splitlines() if "支出预算合计" in x and "基本支出" in x)
    share = line.split("基本支出")[1].split("占")[1].split("%")[0]
    bad = f"{Decimal(share) + Decimal('3'):.2f}"
    _, findings = _read(tmp_path, text.replace(line, line.replace(f"占{share}%", f"占{bad}%", 1)))
    assert any(f.rule_id.startswith("N-") and f.severity is Severity.ERROR for f in findings)


def _cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from juesuan.cli import app

    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.output


def test_template_and_compose_a_budget_from_the_cli(tmp_path: Path) -> None:
    code, out = _cli("template", str(tmp_path / "t"), "--kind", "budget", "--example")
    assert code == 0, out
    wb, facts = tmp_path / "t" / "预算数据.xlsx", tmp_path / "t" / "facts.yaml"
    assert "# 部门名称" in facts.read_text(encoding="utf-8")
    for ext in ("txt", "html", "docx", "pdf"):
        target = tmp_path / f"预算.{ext}"
        code, out = _cli("compose", str(wb), str(facts), "-o", str(target))
        if ext == "pdf" and code != 0 and "WeasyPrint" in out:
            continue  # no PDF writer on this machine
        assert code == 0, out
        assert "已生成" in out
        doc = read(target)
        assert doc.metadata.kind is DisclosureKind.BUDGET_DEPARTMENT, ext
        assert [t.kind for t in doc.tables] == KINDS, ext
        assert _serious(run_rules(doc)) == [], ext
    # the example workbook gives the example budget, to the cent
    assert (tmp_path / "预算.txt").read_text(encoding="utf-8") == render_budget_txt(synth_budget(1))


def test_a_blank_budget_template_and_bad_input_get_chinese_messages(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    code, out = _cli("template", str(tmp_path / "b"), "--kind", "budget", "-d", "测试局", "--year", "2026")
    assert code == 0, out
    facts = tmp_path / "b" / "facts.yaml"
    assert "department: 测试局" in facts.read_text(encoding="utf-8")
    wb = tmp_path / "b" / "预算数据.xlsx"
    code, out = _cli("compose", str(wb), str(facts), "-o", str(tmp_path / "x.txt"))
    assert code == 2 and "没有填写任何科目" in out
    # 经济分类 not adding up to 功能分类: refused
    code, out = _cli("template", str(tmp_path / "e"), "--kind", "budget", "--example")
    book = load_workbook(tmp_path / "e" / "预算数据.xlsx")
    ws = book["基本支出经济分类"]
    ws.cell(row=3, column=3, value="999.00")
    book.save(tmp_path / "e" / "预算数据.xlsx")
    code, out = _cli(
        "compose",
        str(tmp_path / "e" / "预算数据.xlsx"),
        str(tmp_path / "e" / "facts.yaml"),
        "-o",
        str(tmp_path / "y.txt"),
    )
    assert code == 2 and "人员经费" in out and not (tmp_path / "y.txt").exists()
    code, out = _cli("template", str(tmp_path / "k"), "--kind", "nope")
    assert code == 2 and "--kind" in out
