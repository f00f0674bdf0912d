"""Every rule's pass/fail cases (the YAML files beside each rule family) and the catalogue's own invariants."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.model import Severity
from juesuan.rules import check_disclosure, load_catalogue, run_pair_rules
from juesuan.rules.base import PairRule, rule_docs
from juesuan.rules.cases import all_case_files, build_disclosure, build_pair, case_file, load_cases, pair_key
from juesuan.rules.docs import render

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue()


def _params() -> list[object]:
    out = []
    for path in all_case_files():
        data = load_cases(path)
        for i, case in enumerate(data["cases"]):
            out.append(pytest.param(data["rule"], case, id=f"{data['rule']}[{i}]{case.get('name', '')}"))
    return out


@pytest.mark.parametrize(("rule_id", "case"), _params())
def test_case(rule_id: str, case: dict) -> None:
    assert rule_id in CATALOGUE, f"case file names unknown rule {rule_id}"
    of_pair = pair_key(case) is not None
    assert of_pair == issubclass(CATALOGUE[rule_id], PairRule), (
        "a rule of a pair has cases of a pair, and only it"
    )
    unchecked = []
    if of_pair:
        findings = run_pair_rules(build_pair(case), select=[rule_id])
    else:
        checked = check_disclosure(build_disclosure(case["doc"]), select=[rule_id])
        findings = checked.findings
        unchecked = [u for u in checked.unchecked if u.rule_id == rule_id]
    findings = [f for f in findings if f.rule_id == rule_id]
    expect = case["expect"]
    top = max((f.severity.rank for f in findings), default=0)
    shown = "\n".join(f"{f.severity}: {f.message} | {f.arithmetic}" for f in findings)
    if expect == "pass":
        assert not findings, shown
    else:
        assert top == Severity(expect).rank, f"expected {expect}, got:\n{shown or 'nothing'}"
        for f in findings:
            assert f.locations, "a finding must name its places"
            if of_pair:
                assert len(f.locations) == 2, "a finding of a pair names the place in each document"
                assert f.arithmetic
    if "count" in case:
        assert len(findings) == case["count"], shown
    if "message_contains" in case:
        assert any(case["message_contains"] in f.message for f in findings), shown
    reasons = "\n".join(f"{u.what}：{u.reason}" for u in unchecked)
    if "unchecked" in case:
        assert len(unchecked) == case["unchecked"], reasons or "nothing unchecked"
    if "unchecked_contains" in case:
        assert any(case["unchecked_contains"] in f"{u.what}：{u.reason}" for u in unchecked), reasons


@pytest.mark.parametrize("rule_id", sorted(CATALOGUE))
def test_rule_has_docs_and_cases(rule_id: str) -> None:
    cls = CATALOGUE[rule_id]
    summary, wrong, right = rule_docs(cls)
    assert summary and wrong and right, f"{rule_id}: docstring needs a summary, Wrong: and Right:"
    assert cls.title and cls.family
    path = case_file(rule_id)
    assert path is not None, f"{rule_id}: no case file {rule_id}.yaml"
    cases = load_cases(path)["cases"]
    assert any(c["expect"] == "pass" for c in cases), f"{rule_id}: needs a passing case"
    # a rule that only records what it could not check fails a case by recording it
    assert any(c["expect"] != "pass" or c.get("unchecked") for c in cases), f"{rule_id}: needs a failing case"


def test_rules_md_is_current() -> None:
    current = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    assert current == render(), "docs/rules.md is stale: run `python -m juesuan.rules.docs`"
