"""Narrative sentences: numbers computed from cells, rounding, traceability."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from juesuan.compose import compose, synth
from juesuan.compose.layout import fmt_amount
from juesuan.compose.narrative import fmt_pct, pct
from juesuan.model import TableKind


def test_pct_rounds_half_up_to_nearest() -> None:
    assert pct(Decimal(1), Decimal(8), 0) == Decimal(13)  # 12.5 -> 13, not banker's 12
    assert pct(Decimal("16.22"), Decimal("916.50"), 1) == Decimal("1.8")
    assert pct(Decimal("2"), Decimal("3"), 2) == Decimal("66.67")  # not truncated to 66.66
    assert fmt_pct(Decimal("100.00")) == "100%"
    assert fmt_pct(Decimal("29.20")) == "29.2%"


@pytest.fixture(scope="module")
def result():
    tables, facts = synth(5)
    return compose(tables, facts)


def _sentences(res, heading_part: str) -> list[str]:
    return [t.sentence for t in res.trace if heading_part in t.section]


def test_every_amount_in_a_sentence_is_traceable(result) -> None:
    doc = result.disclosure
    for tr in result.trace:
        for b in tr.cells:
            t = doc.tables[b.table_index]
            assert t.kind is b.table
            assert t.cell(b.row, b.column, b.side) is not None or b.row == "fields"
    # every cell bound by a sentence is printed in it (or is a denominator of a share)
    amounts = [(tr, doc.tables[b.table_index].cell(b.row, b.column, b.side)) for tr in result.trace for b in tr.cells if b.row != "fields"]
    shown = sum(1 for tr, c in amounts if c is not None and c.value and fmt_amount(c.value) in tr.sentence)
    assert shown >= 0.8 * len([1 for _, c in amounts if c is not None and c.value])


def test_income_shares_add_to_100(result) -> None:
    s = _sentences(result, "收入决算情况说明")[0]
    shares = [Decimal(x) for x in re.findall(r"占(\d+(?:\.\d+)?)%", s)]
    assert len(shares) >= 2
    assert abs(sum(shares) - 100) <= Decimal("0.02")


def test_year_on_year_change_matches_facts(result) -> None:
    doc = result.disclosure
    facts_last = synth(5)[1].last_year.grand_total
    cur = doc.table(TableKind.T01).value("inc_grand_total", "amount", "income")
    s = _sentences(result, "收入支出决算总体情况说明")[0]
    d = cur - facts_last
    word = "增加" if d > 0 else "减少"
    assert f"{word}{fmt_amount(abs(d))}万元" in s
    assert fmt_pct(pct(abs(d), facts_last, 2)) in s


def test_completion_rate_and_zero_budget(result) -> None:
    lines = _sentences(result, "一般公共预算财政拨款支出决算具体情况")
    zero = [s for s in lines if "年初预算为0万元" in s]
    assert zero, "the generator gives one 项 a zero 年初预算"
    assert all("完成年初预算" not in s for s in zero)
    assert all("决算数大于预算数的主要原因是" in s for s in zero)
    facts = synth(5)[1]
    t05 = result.disclosure.table(TableKind.T05)
    for code, item in facts.budget_items.items():
        actual = t05.value(code, "total") or Decimal(0)
        if item.budget == 0:
            continue
        rate = fmt_pct(pct(actual, item.budget, 2))
        assert any(f"完成年初预算的{rate}" in s and fmt_amount(actual) in s for s in lines), code


def test_basic_expenditure_matches_table_06(result) -> None:
    doc = result.disclosure
    s = _sentences(result, "基本支出决算情况说明")[0]
    t06 = doc.table(TableKind.T06)
    assert f"人员经费{fmt_amount(t06.value('personnel_total', 'amount'))}万元" in s
    assert f"公用经费{fmt_amount(t06.value('public_total', 'amount'))}万元" in s


def test_empty_tables_have_notes_and_sentences(result) -> None:
    doc = result.disclosure
    for kind in (TableKind.T07, TableKind.T08):
        t = doc.table(kind)
        assert t.is_empty and any("本表无数据" in n.text for n in t.notes)
    assert any("故公开07表无数据" in tr.sentence for tr in result.trace)


def test_claims_are_bound(result) -> None:
    claims = result.disclosure.claims
    assert len(claims) > 40
    assert all(c.sentence for c in claims)
    assert sum(1 for c in claims if c.bindings) > 0.8 * len(claims)


def test_pct_places_option() -> None:
    tables, facts = synth(5)
    res = compose(tables, facts, pct_places=1)
    s = [t.sentence for t in res.trace if t.section[2:] == "支出决算情况说明"][0]
    assert all(len(x.split(".")[1]) <= 1 for x in re.findall(r"占(\d+\.\d+)%", s))
