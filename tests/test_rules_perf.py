"""绩效自评表 rules (P-*): composed tables are clean, honest rounding never gives an error, one wrong
cell gives exactly its finding, and the seeds give the 绩效 defects they contain.

Checked by hand against the seeds:

* 000: the 补充工伤保险补贴 table says 全年执行数 74.72 (97.04%) while the narrative says 执行数为
  74.92 万元 (and 2083099 in 公开03表 is 74.92); a blank 2024年度年初预算项目支出绩效自评表 form is
  published between the filled ones. The narrative's 13 projects / 42678.16 万元 agree with the 13
  tables' 全年执行数.
* 003: 企业职工养老保险 gives full scores to two indicators that missed ≥95% (13.33% and 90%); the
  narrative gives that project (全区企业职工基本养老保险补助资金) a budget of 368.55 万元 spent at 100%,
  while its table has 全年预算数 2,765.05 and 执行数 368.55 (13.33%). 执行率, 得分 ≤ 分值 and 总分
  (95 = 5 + 90, 100 = 10 + 90) all hold.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import seed
from juesuan.compose import compose, synth
from juesuan.ingest.assemble.perf_form import parse_target, parse_value, read_quantities
from juesuan.ingest.narrative import attach_claims
from juesuan.model import Cell, Disclosure, Finding, Severity, Table, TableKind
from juesuan.rules import run_rules
from juesuan.rules.families.performance.targets import target_met


def _show(fs: list[Finding]) -> str:
    return "\n".join(f"{f.severity} {f.rule_id} {f.message} | {f.arithmetic}" for f in fs)


def _serious(fs: list[Finding]) -> list[Finding]:
    return [f for f in fs if f.severity is not Severity.INFO]


def _composed(seed_no: int = 3) -> Disclosure:
    tables, facts = synth(seed_no)
    return compose(tables, facts, check=False).disclosure


def _perf(doc: Disclosure) -> Table:
    return doc.tables_of(TableKind.PERF_PROJECT)[0]


def test_composed_perf_tables_are_clean() -> None:
    for n in (1, 2, 3, 4, 6):
        doc = _composed(n)
        assert doc.tables_of(TableKind.PERF_PROJECT)
        fs = _serious(run_rules(attach_claims(doc), select=["P"]))
        assert fs == [], _show(fs)


def test_one_wrong_rate_gives_one_finding() -> None:
    doc = _composed()
    t = _perf(doc)
    rate = t.fields["exec_rate"].value
    assert rate is not None
    t.fields["exec_rate"] = Cell(raw=f"{rate + 1}%", value=rate + 1)
    fs = _serious(run_rules(attach_claims(doc), select=["P"]))
    assert [(f.rule_id, f.severity.value) for f in fs] == [("P-001", "error")], _show(fs)
    assert fs[0].arithmetic and "÷" in fs[0].arithmetic


def test_score_above_weight_and_total() -> None:
    doc = _composed()
    t = _perf(doc)
    row = t.rows[0]
    w = row.cells["weight"].value
    assert w is not None
    row.cells["score"] = Cell(raw=f"{w + 2}", value=w + 2)
    fs = _serious(run_rules(attach_claims(doc), select=["P"]))
    # the score is above its weight, and the 总分 no longer equals the sum of the scores
    assert sorted(f.rule_id for f in fs) == ["P-002", "P-003"], _show(fs)


def test_narrative_actual_differs_from_the_table() -> None:
    doc = _composed()
    t = _perf(doc)
    actual = t.fields["actual_year"].value
    assert actual is not None
    t.fields["actual_year"] = Cell(raw=f"{actual - 1:.2f}", value=actual - 1)
    # the table's 执行率 still matches the new 执行数 so only the narrative disagrees
    budget = t.fields["budget_year"].value
    assert budget
    rate = ((actual - 1) / budget * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    t.fields["exec_rate"] = Cell(raw=f"{rate}%", value=rate)
    doc.claims = []  # no claims: here the words of the section speak
    fs = _serious(run_rules(doc, select=["P"]))
    assert [f.rule_id for f in fs] == ["P-006"], _show(fs)


@settings(max_examples=300, deadline=None)
@given(
    budget_fen=st.integers(min_value=1_000, max_value=10**10),
    share=st.integers(min_value=0, max_value=12_000),
    places=st.sampled_from([0, 1, 2]),
)
def test_honest_rates_are_never_errors(budget_fen: int, share: int, places: int) -> None:
    """执行率 computed from exact 元 amounts and rounded half-up, with the amounts printed in 万元
    rounded one by one: never an error."""
    actual_fen = budget_fen * share // 10_000
    q2 = Decimal("0.01")
    b = (Decimal(budget_fen) / 1_000_000).quantize(q2, rounding=ROUND_HALF_UP)
    a = (Decimal(actual_fen) / 1_000_000).quantize(q2, rounding=ROUND_HALF_UP)
    if b == 0:
        return
    rate = (Decimal(actual_fen) / Decimal(budget_fen) * 100).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
    t = Table(
        kind=TableKind.PERF_PROJECT,
        fields={
            "project_name": Cell(raw="项目"),
            "budget_year": Cell(raw=f"{b}", value=b),
            "actual_year": Cell(raw=f"{a}", value=a),
            "exec_rate": Cell(raw=f"{rate}%"),
        },
    )
    read_quantities(t)  # the rate as the reader reads it from “{rate}%”
    fs = run_rules(Disclosure(tables=[t]), select=["P-001"])
    assert not [f for f in fs if f.severity is Severity.ERROR], _show(fs)


@pytest.mark.parametrize(
    ("target", "actual", "met"),
    [
        ("≥95%", "13.33%", False),
        (">=6", "11", True),
        ("=100%", "98%", False),
        ("≤3天", "2天", True),
        ("不低于90%", "92%", True),
    ],
)
def test_targets(target: str, actual: str, met: bool) -> None:
    t, a = parse_target(target), parse_value(actual)
    assert t is not None and a is not None and t.unit == a.unit
    assert t.op is not None and target_met(t.op, t.value, a.value) is met


def test_targets_without_a_comparison_are_not_judged() -> None:
    for text in ("长期", "早于12月末", "按时足额", "16.95万人", "是"):
        assert parse_target(text) is None


# --- seeds --------------------------------------------------------------------------------------


def _seed_findings(name: str) -> list[Finding]:
    pytest.importorskip("juesuan.ingest.text")
    from juesuan.ingest import read

    return run_rules(read(seed(name)), select=["P"])


def test_seed_000_perf_defects() -> None:
    fs = _serious(_seed_findings("000_28fcffc144f7be8d.txt"))
    assert sorted((f.rule_id, f.severity.value) for f in fs) == [("P-005", "error"), ("P-006", "error")], (
        _show(fs)
    )
    narrative = next(f for f in fs if f.rule_id == "P-006")
    assert narrative.expected == "74.72" and narrative.found == "74.92"
    assert "补充工伤保险补贴" in narrative.message
    blank = next(f for f in fs if f.rule_id == "P-005")
    assert "年初预算项目支出绩效自评表" in blank.message


def test_seed_003_perf_defects() -> None:
    fs = _serious(_seed_findings("003_837dc0ef3549c6c2.txt"))
    assert sorted((f.rule_id, f.severity.value, f.found) for f in fs) == [
        ("P-004", "warning", "15"),
        ("P-004", "warning", "20"),
        ("P-006", "error", "368.55"),
    ], _show(fs)
    assert all("企业职工养老保险" in f.message for f in fs)
    assert next(f for f in fs if f.rule_id == "P-006").expected == "2,765.05"
