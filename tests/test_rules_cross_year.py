"""Cross-year rules (Y-*) as rules of a pair: one catalogue with two views, the engine's pair run,
and what a finding names. Their pass/fail cases run in ``test_rule_cases.py``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from juesuan.cli import app
from juesuan.rules import PairRule, Rule, load_catalogue, run_pair_rules, select_pair_rules, select_rules
from juesuan.rules.cases import build_pair, case_file, load_cases
from juesuan.rules.engine import document_rules, pair_rules

ROOT = Path(__file__).resolve().parents[1]
Y_RULES = [f"Y-00{i}" for i in range(1, 6)]


def _case(rule_id: str, i: int) -> dict:
    path = case_file(rule_id)
    assert path is not None
    case: dict = load_cases(path)["cases"][i]
    return case


def test_one_catalogue_two_views() -> None:
    cat = load_catalogue()
    c_rules = ["C-001", "C-002", "C-003", "C-004"]
    assert set(Y_RULES) <= set(cat)
    assert set(pair_rules()) == set(Y_RULES) | set(c_rules)
    assert set(document_rules()) | set(pair_rules()) == set(cat)
    assert not set(document_rules()) & set(pair_rules())
    assert all(isinstance(r, Rule) for r in select_rules())
    assert not [r for r in select_rules() if r.id.startswith(("Y", "C-"))]
    assert select_rules(["Y"]) == []
    assert [r.id for r in select_pair_rules()] == c_rules + Y_RULES
    assert select_pair_rules(["T01"]) == []
    assert [r.id for r in select_pair_rules(["Y-00"], exclude=["Y-005"])] == Y_RULES[:4]
    assert [r.id for r in select_pair_rules(relation="previous_year")] == ["C-001", "C-002", *Y_RULES]
    assert [r.id for r in select_pair_rules(relation="same_year_budget")] == ["C-003", "C-004"]
    assert select_pair_rules(relation="budget") == []
    for rid in Y_RULES:
        cls = cat[rid]
        assert issubclass(cls, PairRule) and cls.family == "Y" and cls.relation == "previous_year"
        assert case_file(rid) == ROOT / f"src/juesuan/rules/families/cross_year/cases/{rid}.yaml"
        # a 决算 rule across years: two budgets are no pair of its
        assert cls.applies_to_pair("部门决算", "部门决算") and not cls.applies_to_pair("部门预算", "部门预算")
    for rid in c_rules:
        cls = cat[rid]
        assert issubclass(cls, PairRule) and cls.family == "C"
        assert case_file(rid) == ROOT / f"src/juesuan/rules/families/cross_doc/cases/{rid}.yaml"
    assert cat["C-001"].applies_to_pair("部门预算", "部门预算") and not cat["C-001"].applies_to_pair("部门决算", "部门预算")
    assert cat["C-003"].applies_to_pair("部门决算", "部门预算") and not cat["C-003"].applies_to_pair("部门预算", "部门预算")


def test_rule_modules_do_not_import_the_store() -> None:
    imports_store = re.compile(r"^\s*(from|import)\s+(\.+|juesuan\.)store\b", re.M)
    for path in (ROOT / "src/juesuan/rules").rglob("*.py"):
        assert not imports_store.search(path.read_text(encoding="utf-8")), path


def test_pair_rules_run_only_on_their_relation() -> None:
    pair = build_pair(_case("Y-001", 1))
    assert [f.rule_id for f in run_pair_rules(pair)] == ["Y-001"]
    pair.relation = "budget"
    assert run_pair_rules(pair) == []


def test_rules_md_lists_cross_year_rules() -> None:
    text = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    for rid in pair_rules():
        assert f"### {rid} " in text
    assert "## Y — 跨年度核对" in text


def test_cli_lists_cross_year_rules_with_their_family() -> None:
    out = CliRunner().invoke(app, ["rules", "--format", "json"])
    assert out.exit_code == 0, out.output
    listed = {r["id"]: r["family"] for r in json.loads(out.stdout)}
    assert {rid: listed.get(rid) for rid in Y_RULES} == dict.fromkeys(Y_RULES, "Y")
    text = CliRunner().invoke(app, ["rules"]).stdout
    assert all(rid in text for rid in Y_RULES)


def test_previous_year_location_is_labelled() -> None:
    pair = build_pair(_case("Y-001", 1))
    pair.doc.path, pair.other.path = "2024.pdf", "2023.pdf"
    (f,) = run_pair_rules(pair)
    now, before = f.locations
    assert now.row == "inc_begin_balance" and now.loc is not None
    assert before.table_title is not None and before.table_title.startswith("2023年度")
    assert before.text == "上年文件：2023.pdf"
    assert "2023.pdf" in f.message
