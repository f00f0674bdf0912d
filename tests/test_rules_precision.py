"""Table and cross-table rules compare at the printed precision of each table (``Table.decimals``):
tables printed in 元 (whole 元, or 元 with 分), 元 workbooks converted to 万元 by the Excel reader,
and tables of different precision compared with each other."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.ingest import read
from juesuan.model import Disclosure, Finding, Severity, TableKind
from juesuan.rules import load_catalogue, run_rules
from juesuan.rules.arith import Verdict, compare, tolerance
from juesuan.rules.base import Rule
from juesuan.rules.cases import build_disclosure
from juesuan.rules.context import RunContext

CATALOGUE = load_catalogue()


def _findings(doc: Disclosure, rule_id: str) -> list[Finding]:
    rule: Rule = CATALOGUE[rule_id]()
    return list(rule.check(RunContext(doc)))


def _top(fs: list[Finding]) -> Severity | None:
    return max((f.severity for f in fs), key=lambda s: s.rank, default=None)


def _t11(total: str, goods: str, works: str, services: str, *, decimals: int, unit: str = "元") -> Disclosure:
    rows = {
        "total": {"amount": total},
        "goods": {"amount": goods},
        "works": {"amount": works},
        "services": {"amount": services},
    }
    return build_disclosure({"tables": [{"kind": "T11", "unit": unit, "decimals": decimals, "rows": rows}]})


# -- tables printed in 元 ----------------------------------------------------------------------
def test_yuan_with_fen_one_yuan_off_is_an_error() -> None:
    doc = _t11("1,234,568.00", "1,000,000.00", "200,000.00", "34,567.00", decimals=2)
    (f,) = _findings(doc, "T11-001")
    assert f.severity is Severity.ERROR
    assert f.difference == Decimal(1) and f.tolerance == Decimal("0.020")
    assert "应为 1,234,567.00，实为 1,234,568.00，相差 +1.00" in f.message


def test_yuan_with_fen_rounding_is_info_and_exact_is_silent() -> None:
    (f,) = _findings(_t11("1,234,567.01", "1,000,000.00", "200,000.00", "34,567.00", decimals=2), "T11-001")
    assert f.severity is Severity.INFO
    assert _findings(_t11("1,234,567.00", "1,000,000.00", "200,000.00", "34,567.00", decimals=2), "T11-001") == []


def test_whole_yuan_tolerance_is_half_a_yuan_per_term() -> None:
    """Printed in whole 元, each of the 4 values carries up to 0.5 元 of rounding: 2 元 in all."""
    (info,) = _findings(_t11("1,234,569", "1,000,000", "200,000", "34,567", decimals=0), "T11-001")
    assert info.severity is Severity.INFO and info.tolerance == Decimal("2.0")
    assert info.arithmetic is not None and "（4 个舍入项 × 0.5）" in info.arithmetic
    assert "1,234,569 ≠ 1,000,000 + 200,000 + 34,567 = 1,234,567；差 +2" in info.arithmetic
    (err,) = _findings(_t11("1,234,570", "1,000,000", "200,000", "34,567", decimals=0), "T11-001")
    assert err.severity is Severity.ERROR and err.difference == Decimal(3)


def test_same_values_at_two_places_would_be_errors() -> None:
    """The precision comes from the table, not a fixed 2: at decimals 2 the 2-元 gap above would
    be an error, at 0 it is rounding."""
    doc = _t11("1,234,569", "1,000,000", "200,000", "34,567", decimals=2)
    assert _top(_findings(doc, "T11-001")) is Severity.ERROR


def test_hierarchy_rule_uses_the_table_precision() -> None:
    """tree_findings (T03-003) in a whole-元 table: 1 元 over 4 terms is rounding, 4 元 is not."""
    rows: dict[str, Any] = {
        "total": {"total": "21,063,501", "basic": "9,444,501", "project": "11,619,000"},
        "208": {"total": "20,024,900", "basic": "8,405,900", "project": "11,619,000"},
        "210": {"total": "522,200", "basic": "522,200", "project": ""},
        "221": {"total": "516,400", "basic": "516,400", "project": ""},
    }
    spec = {"tables": [{"kind": "T03", "unit": "元", "decimals": 0, "rows": rows}]}
    assert {f.severity for f in _findings(build_disclosure(spec), "T03-003")} == {Severity.INFO}
    rows["total"]["basic"] = "9,444,504"
    assert _top(_findings(build_disclosure(spec), "T03-003")) is Severity.ERROR


def test_balance_rule_uses_the_table_precision() -> None:
    """balance_finding (T07-001: 年初 + 本年收入 − 本年支出 = 年末) in a whole-元 table."""

    def doc(end: str) -> Disclosure:
        row = {"begin_balance": "100", "income": "2,000", "exp_total": "1,500", "end_balance": end}
        return build_disclosure({"tables": [{"kind": "T07", "decimals": 0, "rows": {"total": row}}]})

    assert _findings(doc("600"), "T07-001") == []
    (f,) = _findings(doc("601"), "T07-001")
    assert f.severity is Severity.INFO and f.tolerance == Decimal("2.0")
    (g,) = _findings(doc("603"), "T07-001")
    assert g.severity is Severity.ERROR
    assert g.arithmetic == "603 ≠ 100 + 2,000 − 1,500 = 600；差 +3，容差 ±2（4 个舍入项 × 0.5）"


# -- tables of different precision compared ---------------------------------------------------
def _t05_t06(personnel_06: str, decimals_06: int) -> Disclosure:
    return build_disclosure({"tables": [
        {"kind": "T05", "rows": {"total": {"total": "881.98", "basic": "771.45", "personnel": "678.44",
                                           "public": "93.00", "project": "110.54"}}},
        {"kind": "T06", "decimals": decimals_06,
         "rows": {"personnel_total": {"amount": personnel_06}, "public_total": {"amount": "93.00"}}},
    ]})  # fmt: skip


def test_cross_table_interval_is_each_sides_own_half_unit() -> None:
    """05表 at 2 places (±0.005) against 06表 converted from 元 at 6 places (±0.0000005): the
    interval is their sum, between the finer (±0.000001) and the coarser (±0.01) uniform ones."""
    (f,) = _findings(_t05_t06("678.443210", 6), "X-009")
    assert f.severity is Severity.INFO and f.tolerance == Decimal("0.0050005")
    assert f.arithmetic is not None and "1 个舍入项 × 0.005 + 1 个舍入项 × 0.0000005" in f.arithmetic
    (g,) = _findings(_t05_t06("678.446200", 6), "X-009")
    assert g.severity is Severity.ERROR  # 0.0062 is beyond 0.0050005 (the coarser 0.01 would miss it)
    assert "相差 −0.006200" in g.message
    (h,) = _findings(_t05_t06("678.45", 2), "X-009")
    assert h.severity is Severity.INFO and h.tolerance == Decimal("0.010")  # both at 2 places, as before


# -- a workbook in 元 read by the Excel reader ---------------------------------------------------
def _workbook(path: Path, values: list[tuple[str, float | int]], number_format: str) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "公开11表"
    ws["A1"] = "政府采购支出情况表"
    ws["A2"] = "部门：示例市测试局"
    ws["B2"] = "金额单位：元"
    ws["A3"] = "项目"
    ws["B3"] = "金额"
    for i, (label, v) in enumerate(values):
        ws.cell(row=4 + i, column=1, value=label)
        ws.cell(row=4 + i, column=2, value=v).number_format = number_format
    wb.save(path)
    return path


def _t11_rows(total: float | int, *, fen: bool) -> list[tuple[str, float | int]]:
    parts: list[float | int] = [1000000.25, 200000.5, 34567.25] if fen else [1000000, 200000, 34567]
    return [("政府采购支出合计", total), ("货物", parts[0]), ("工程", parts[1]), ("服务", parts[2])]


def test_workbook_in_yuan_with_fen_one_yuan_error(tmp_path: Path) -> None:
    ok = read(_workbook(tmp_path / "ok.xlsx", _t11_rows(1234568, fen=True), "#,##0.00"))
    (t,) = ok.tables
    assert t.kind is TableKind.T11 and t.decimals == 6  # 元 with 分, converted to 万元
    assert [f for f in run_rules(ok, select=["T11"])] == []
    bad = read(_workbook(tmp_path / "bad.xlsx", _t11_rows(1234569, fen=True), "#,##0.00"))
    found = run_rules(bad, select=["T11"])
    assert [f.severity for f in found] == [Severity.ERROR]  # 1 元 = 0.0001 万元, beyond 4 × 0.0000005
    assert found[0].difference == Decimal("0.0001")
    assert "相差 +0.000100" in found[0].message


def test_workbook_in_whole_yuan(tmp_path: Path) -> None:
    one = read(_workbook(tmp_path / "one.xlsx", _t11_rows(1234568, fen=False), "#,##0"))
    assert one.tables[0].decimals == 4
    assert [f.severity for f in run_rules(one, select=["T11"])] == [Severity.INFO]  # 1 元 ≤ 4 × 0.5 元
    ten = read(_workbook(tmp_path / "ten.xlsx", _t11_rows(1234577, fen=False), "#,##0"))
    found = run_rules(ten, select=["T11"])
    assert [f.severity for f in found] == [Severity.ERROR]  # 10 元 > 2 元 (it was info at 2 places of 万元)
    assert found[0].tolerance == Decimal("0.00020")


# -- property: honest rounding is never an error ------------------------------------------------
def _rounded(v: Decimal, places: int) -> str:
    q = v.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}"


_amounts = st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=8)
_places = st.sampled_from([0, 2, 6])


@settings(max_examples=60, deadline=None)
@given(_amounts, _places)
def test_honest_rounding_in_a_table_is_never_an_error(cents: list[int], places: int) -> None:
    """True amounts (to 10⁻⁸) of 3 parts and their exact total, printed each rounded at the
    table's precision: the sum rule reports at most information."""
    true = [Decimal(c).scaleb(-8) for c in (cents + [0, 0, 0])[:3]]
    doc = _t11(
        _rounded(sum(true, Decimal(0)), places), *(_rounded(v, places) for v in true), decimals=places, unit="万元"
    )
    assert _top(_findings(doc, "T11-001")) in (None, Severity.INFO)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**13), _places, _places)
def test_honest_rounding_across_tables_is_never_an_error(amount: int, p05: int, p06: int) -> None:
    """One true amount printed in two tables at two precisions: the cross-table rule reports at
    most information."""
    true = Decimal(amount).scaleb(-8)
    doc = build_disclosure({"tables": [
        {"kind": "T05", "decimals": p05, "rows": {"total": {"personnel": _rounded(true, p05)}}},
        {"kind": "T06", "decimals": p06, "rows": {"personnel_total": {"amount": _rounded(true, p06)}}},
    ]})  # fmt: skip
    assert _top(_findings(doc, "X-009")) in (None, Severity.INFO)


@given(st.lists(st.tuples(st.integers(min_value=0, max_value=10**12), _places), min_size=1, max_size=10), _places)
def test_mixed_precision_compare_bounds_honest_rounding(terms: list[tuple[int, int]], found_places: int) -> None:
    """compare() with one precision per term: rounding every term at its own precision never gives
    a mismatch, and the interval lies between the uniform ones at the finest and coarsest."""
    true = [Decimal(a).scaleb(-8) for a, _ in terms]
    parts = [v.quantize(Decimal(1).scaleb(-p), rounding=ROUND_HALF_UP) for v, (_, p) in zip(true, terms, strict=True)]
    total = sum(true, Decimal(0)).quantize(Decimal(1).scaleb(-found_places), rounding=ROUND_HALF_UP)
    pds: list[int | None] = [p for _, p in terms]
    cmp = compare(total, list(parts), found_decimals=found_places, part_decimals=pds)
    assert cmp.verdict is not Verdict.MISMATCH
    places = [found_places, *(p for _, p in terms)]
    assert tolerance(len(places), max(places)) <= cmp.tolerance <= tolerance(len(places), min(places))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=4), _places)
def test_honest_rounding_in_a_hierarchy_is_never_an_error(amounts: list[int], places: int) -> None:
    """合计 and 类 rows of 支出决算表, each rounded from its true amount at the table's precision:
    the hierarchy rules (T03-002, T03-003) report at most information."""
    true = [Decimal(a).scaleb(-8) for a in amounts]
    codes = ["201", "208", "210", "221"][: len(true)]
    rows: dict[str, Any] = {"total": {"total": _rounded(sum(true, Decimal(0)), places)}}
    for code, v in zip(codes, true, strict=False):
        # each 类 has one 款 holding half of it and another holding the rest
        a, b = (v / 2).quantize(Decimal("1E-8")), v - (v / 2).quantize(Decimal("1E-8"))
        rows[code] = {"total": _rounded(v, places)}
        rows[code + "01"] = {"total": _rounded(a, places)}
        rows[code + "02"] = {"total": _rounded(b, places)}
    doc = build_disclosure({"tables": [{"kind": "T03", "decimals": places, "rows": rows}]})
    assert _top(_findings(doc, "T03-002") + _findings(doc, "T03-003")) in (None, Severity.INFO)


def test_one_rule_instance_checking_two_documents_in_turns() -> None:
    """The precision is looked up in the disclosure each check was called with, even when two
    checks of one rule instance are consumed in turns."""
    rule = CATALOGUE["T11-001"]()
    whole = _t11("1,234,569", "1,000,000", "200,000", "34,567", decimals=0)
    cents = _t11("1,234,569", "1,000,000", "200,000", "34,567", decimals=2)
    a, b = rule.check(RunContext(whole)), rule.check(RunContext(cents))
    fb, fa = next(iter(b)), next(iter(a))
    assert (fa.severity, fb.severity) == (Severity.INFO, Severity.ERROR)
