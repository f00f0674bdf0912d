"""The table and cross-table catalogue (families T01–T11, X) on whole disclosures.

* honest rounding never gives an error or a warning: disclosures are built from random 元 amounts
  rounded one by one to 万元, exactly as the 决算 software does, and every table rule runs on them;
* one wrong cell gives the findings a reviewer needs and no restatement of them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.model import Finding, Severity
from juesuan.rules import run_rules
from juesuan.rules.cases import build_disclosure

TABLE_RULES = ["T0", "T1", "X"]
# 项 codes that no soft 经济分类 ↔ 功能分类 check looks at
POOL = ["2010101", "2010102", "2010350", "2080101", "2080109", "2080799", "2130101", "2130104", "2240101"]


def wan(yuan: int) -> str:
    """元 → 万元 as printed: rounded half up to 2 places, thousands separators, blank for zero."""
    if yuan == 0:
        return ""
    return f"{(Decimal(yuan) / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def build(items: dict[str, tuple[int, int, int]], begin: int, extra_begin: int) -> dict[str, Any]:
    """A consistent disclosure from 项 amounts in 元: code → (personnel, public, project) of basic
    and project spending, all 一般公共预算 and spent from this year's income. ``begin`` is the
    fiscal 年初结转和结余 (carried to 年末 unchanged), ``extra_begin`` a non-fiscal one."""
    sums: dict[str, list[int]] = {}
    for code, (pers, pub, proj) in items.items():
        for key in ("total", code[:3], code[:5], code):
            acc = sums.setdefault(key, [0, 0, 0])
            acc[0] += pers
            acc[1] += pub
            acc[2] += proj
    def row(v: list[int]) -> tuple[int, int, int, int, int]:
        pers, pub, proj = v
        return pers + pub + proj, pers + pub, pers, pub, proj

    order = ["total"] + sorted(k for k in sums if k != "total")
    t02, t03, t05 = {}, {}, {}
    for k in order:
        tot, basic, pers, pub, proj = row(sums[k])
        t02[k] = {"total": wan(tot), "fiscal": wan(tot), "business": ""}
        t03[k] = {"total": wan(tot), "basic": wan(basic), "project": wan(proj), "operating": ""}
        t05[k] = {"total": wan(tot), "basic": wan(basic), "personnel": wan(pers), "public": wan(pub), "project": wan(proj)}
    tot, basic, pers, pub, proj = row(sums["total"])
    classes = sorted(k for k in sums if len(k) == 3)
    t01 = {
        "income:inc_general_budget": {"amount": wan(tot)},
        "income:inc_business": {"amount": ""},
        "income:inc_total_year": {"amount": wan(tot)},
        "income:inc_begin_balance": {"amount": wan(begin + extra_begin)},
        "income:inc_grand_total": {"amount": wan(tot + begin + extra_begin)},
        **{f"expense:{c}": {"amount": wan(row(sums[c])[0])} for c in classes},
        "expense:exp_total_year": {"amount": wan(tot)},
        "expense:exp_end_balance": {"amount": wan(begin + extra_begin)},
        "expense:exp_grand_total": {"amount": wan(tot + begin + extra_begin)},
    }
    t04 = {
        "income:inc_general_budget": {"amount": wan(tot)},
        "income:inc_gov_fund": {"amount": ""},
        "income:inc_total_year": {"amount": wan(tot)},
        "income:inc_begin_balance": {"amount": wan(begin)},
        "income:inc_begin_general": {"amount": wan(begin)},
        "income:inc_grand_total": {"amount": wan(tot + begin)},
        **{f"expense:{c}": {"total": wan(row(sums[c])[0]), "general": wan(row(sums[c])[0]), "fund": ""} for c in classes},
        "expense:exp_total_year": {"total": wan(tot), "general": wan(tot), "fund": ""},
        "expense:exp_end_balance": {"total": wan(begin), "general": wan(begin), "fund": ""},
        "expense:exp_grand_total": {"total": wan(tot + begin), "general": wan(tot + begin), "fund": ""},
    }
    # 06: 人员经费 split over 30101/30102 and 303, 公用经费 over 30201/30299 and 310
    p1, p2 = pers // 2, pers // 3
    p3 = pers - p1 - p2
    q1 = pub // 3
    q2 = pub - q1 - pub // 5
    q3 = pub // 5
    t06 = {
        "personnel:301": {"amount": wan(p1 + p2)},
        "personnel:30101": {"amount": wan(p1)},
        "personnel:30102": {"amount": wan(p2)},
        "personnel:303": {"amount": wan(p3)},
        "personnel:30302": {"amount": wan(p3)},
        "public:302": {"amount": wan(q1 + q2)},
        "public:30201": {"amount": wan(q1)},
        "public:30299": {"amount": wan(q2)},
        "public:310": {"amount": wan(q3)},
        "public:31002": {"amount": wan(q3)},
        "personnel_total": {"amount": wan(pers)},
        "public_total": {"amount": wan(pub)},
    }
    blank7 = {"total": {"begin_balance": "", "income": "", "exp_total": "", "basic": "", "project": "", "end_balance": ""}}
    return {
        "tables": [
            {"kind": "T01", "rows": t01},
            {"kind": "T02", "rows": t02},
            {"kind": "T03", "rows": t03},
            {"kind": "T04", "rows": t04},
            {"kind": "T05", "rows": t05},
            {"kind": "T06", "rows": t06},
            {"kind": "T07", "rows": blank7},
            {"kind": "T08", "rows": {"total": {"exp_total": "", "basic": "", "project": ""}}},
            {"kind": "T10", "rows": {"total": {"amount": wan(pub)}, "302": {"amount": wan(q1 + q2)}, "310": {"amount": wan(q3)}}},
        ]
    }


amount = st.integers(min_value=0, max_value=30_000_000)  # up to 3,000 万元 in 元


@settings(max_examples=60, deadline=None)
@given(
    items=st.dictionaries(st.sampled_from(POOL), st.tuples(amount, amount, amount), min_size=1, max_size=9),
    begin=amount,
    extra=amount,
)
def test_honest_rounding_is_never_an_error(items: dict[str, tuple[int, int, int]], begin: int, extra: int) -> None:
    doc = build_disclosure(build(items, begin, extra))
    bad = [f for f in run_rules(doc, select=TABLE_RULES) if f.severity is not Severity.INFO]
    assert not bad, "\n".join(f"{f.rule_id} {f.message} | {f.arithmetic}" for f in bad)


SAMPLE = {
    "2080101": (3_104_449, 1_203_357, 0),
    "2080109": (0, 0, 1_761_249),
    "2130101": (2_000_051, 499_949, 12_345_678),
    "2130104": (1_000_001, 0, 33),
}


def _errors(spec: dict[str, Any]) -> list[Finding]:
    return [
        f for f in run_rules(build_disclosure(spec), select=TABLE_RULES) if f.severity is not Severity.INFO
    ]


def _table(spec: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(t["rows"] for t in spec["tables"] if t["kind"] == kind)


def test_sample_is_clean() -> None:
    assert _errors(build(SAMPLE, 1_483_300, 27_600)) == []


def test_wrong_item_cell_is_reported_at_its_row_and_its_kuan_only() -> None:
    spec = build(SAMPLE, 0, 0)
    rows = _table(spec, "T03")
    rows["2130104"]["total"] = "110.00"  # printed 100.00
    found = _errors(spec)
    assert sorted(f.rule_id for f in found) == ["T03-001", "T03-002"], [f.message for f in found]
    row_f = next(f for f in found if f.rule_id == "T03-001")
    assert row_f.expected == "100.00" and row_f.found == "110.00"
    tree_f = next(f for f in found if f.rule_id == "T03-002")
    assert tree_f.locations[0].row == "21301"  # the 款, not the 类 213 nor 合计
    assert tree_f.difference == Decimal("-10.00")
    # both findings name the wrong cell itself
    for f in found:
        assert any(r.row == "2130104" and r.column == "total" and r.loc is not None for r in f.locations)


def test_wrong_class_in_t01_is_reported_once_and_named() -> None:
    spec = build(SAMPLE, 0, 0)
    rows = _table(spec, "T01")
    printed = Decimal(rows["expense:213"]["amount"].replace(",", ""))
    rows["expense:213"]["amount"] = f"{printed + 100:,.2f}"
    found = _errors(spec)
    assert [f.rule_id for f in found] == ["T01-002"], [f.message for f in found]
    assert "与《支出决算表》不一致的类：“213" in found[0].message
    assert found[0].difference == Decimal("-100.00")


def test_wrong_t05_total_personnel_is_not_restated_across_tables() -> None:
    spec = build(SAMPLE, 0, 0)
    rows = _table(spec, "T05")
    printed = Decimal(rows["total"]["personnel"].replace(",", ""))
    rows["total"]["personnel"] = f"{printed + 10:,.2f}"
    found = _errors(spec)
    # 基本支出 ≠ 人员经费 + 公用经费 on the 合计 row, and 合计 ≠ Σ 类 in the 人员经费 column; the
    # difference with table 06 is the same break and is not reported again.
    assert sorted(f.rule_id for f in found) == ["T05-002", "T05-004"], [f.message for f in found]


def test_cross_table_class_difference_without_in_table_break() -> None:
    spec = build(SAMPLE, 0, 0)
    t05 = _table(spec, "T05")
    t04 = _table(spec, "T04")
    # 05 and 04 disagree on 208 while each table adds up on its own: shift 10 万元 between 类 in 04
    for key, delta in (("expense:208", 10), ("expense:213", -10)):
        for col in ("total", "general"):
            v = Decimal(t04[key][col].replace(",", ""))
            t04[key][col] = f"{v + delta:,.2f}"
    found = _errors(spec)
    ids = sorted(f.rule_id for f in found)
    # 04 vs 05 (X-005) on both 类, 04 vs 01 (X-004: 208 of 04 now exceeds 01's 208)
    assert ids == ["X-004", "X-005", "X-005"], [f.message for f in found]
    assert {f.locations[0].row for f in found if f.rule_id == "X-005"} == {"208", "213"}
    assert t05  # 05 untouched


def test_findings_carry_places_and_arithmetic() -> None:
    spec = build(SAMPLE, 0, 0)
    _table(spec, "T06")["personnel_total"]["amount"] = "1.00"
    found = _errors(spec)
    assert found
    for f in found:
        assert f.expected and f.found and f.arithmetic and f.difference is not None
        assert all(r.table is not None and r.loc is not None for r in f.locations)
