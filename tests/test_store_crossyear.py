"""Cross-year rules (Y-*): their case files, department matching, and the docs listing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from juesuan.model import Severity
from juesuan.store.crossyear import CASES_DIR, CROSS_YEAR_RULES, DocFacts, case_pair, run_cross_year
from juesuan.store.records import normalise_department


def _params() -> list[object]:
    out = []
    for path in sorted(CASES_DIR.glob("Y-*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            out.append(pytest.param(data["rule"], case, id=f"{data['rule']}[{i}]{case.get('name', '')}"))
    return out


@pytest.mark.parametrize(("rule_id", "case"), _params())
def test_case(rule_id: str, case: dict) -> None:
    assert rule_id in CROSS_YEAR_RULES
    prev, cur = case_pair(case)
    findings = run_cross_year(
        DocFacts.from_disclosure(cur, "cur", "本年.pdf"),
        DocFacts.from_disclosure(prev, "prev", "上年.pdf"),
        [rule_id],
    )
    shown = "\n".join(f"{f.severity}: {f.message} | {f.arithmetic}" for f in findings)
    top = max((f.severity.rank for f in findings), default=0)
    if case["expect"] == "pass":
        assert not findings, shown
    else:
        assert top == Severity(case["expect"]).rank, shown or "nothing"
        for f in findings:
            assert len(f.locations) == 2, "a cross-year finding names the place in each year"
            assert f.arithmetic
    if "count" in case:
        assert len(findings) == case["count"], shown
    if "message_contains" in case:
        assert any(case["message_contains"] in f.message for f in findings), shown


@pytest.mark.parametrize("rule_id", sorted(CROSS_YEAR_RULES))
def test_rule_has_docs_and_cases(rule_id: str) -> None:
    from juesuan.rules.base import rule_docs

    summary, wrong, right = rule_docs(CROSS_YEAR_RULES[rule_id])  # type: ignore[arg-type]
    assert summary and wrong and right
    cases = yaml.safe_load((CASES_DIR / f"{rule_id}.yaml").read_text(encoding="utf-8"))["cases"]
    assert any(c["expect"] == "pass" for c in cases) and any(c["expect"] != "pass" for c in cases)


def test_rules_md_lists_cross_year_rules() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs/rules.md").read_text(encoding="utf-8")
    for rid in CROSS_YEAR_RULES:
        assert f"### {rid} " in text


def test_previous_year_location_is_labelled() -> None:
    data = yaml.safe_load((CASES_DIR / "Y-001.yaml").read_text(encoding="utf-8"))
    prev, cur = case_pair(data["cases"][1])
    (f,) = run_cross_year(
        DocFacts.from_disclosure(cur, "c", "2024.pdf"), DocFacts.from_disclosure(prev, "p", "2023.pdf")
    )
    now, before = f.locations
    assert now.row == "inc_begin_balance" and now.loc is not None
    assert before.table_title is not None and before.table_title.startswith("2023年度")
    assert before.text == "上年文件：2023.pdf"
    assert "2023.pdf" in f.message


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("上海市普陀区财政局", "上海市普陀区财政局 "),
        ("中共上海市普陀区委社会工作部", "中共上海市普陀区委 社会工作部"),
        ("某某市（本级）", "某某市(本级)"),
        ("“某某”局", "某某局"),
        ("ＡＢ市统计局", "AB市统计局"),
    ],
)
def test_department_names_match_across_years(a: str, b: str) -> None:
    assert normalise_department(a) == normalise_department(b)


def test_different_departments_do_not_match() -> None:
    assert normalise_department("上海市普陀区财政局") != normalise_department("上海市普陀区审计局")
    assert normalise_department("  ") is None
