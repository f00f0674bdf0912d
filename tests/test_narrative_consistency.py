"""The narrative against itself (N-015..N-018, and N-005/N-006 by the base a rate names): what the
reader gives these rules, and that a disagreement resting on an uncertain subject is listed as
not checked with its reason, never reported."""

from __future__ import annotations

from decimal import Decimal

from juesuan.model import ClaimKind, Severity
from juesuan.rules.cases import build_disclosure
from juesuan.rules.engine import check_disclosure


def _doc(*sections: tuple[str, list[str]], kind: str | None = None):  # type: ignore[no-untyped-def]
    meta: dict[str, object] = {"year": 2018 if kind else 2024}
    if kind:
        meta["kind"] = kind
    return build_disclosure(
        {"metadata": meta, "sections": [{"heading": h, "paragraphs": ps} for h, ps in sections]}
    )


def test_a_completion_keeps_every_base_and_judges_the_rate_by_the_one_it_names() -> None:
    doc = _doc(("五、一般公共预算财政拨款支出决算情况说明", [
        "一般公共预算财政拨款支出年初预算为300.00万元，调整预算为350.00万元，支出决算为315.00万元，完成调整预算的90.00%。"]))  # fmt: skip
    (c,) = [c for c in doc.claims if c.kind is ClaimKind.COMPLETION]
    assert c.attrs["budget"] == Decimal("350.00") and c.attrs["rate_base"] == "调整预算"
    assert c.attrs["budget:年初预算"] == Decimal("300.00") and c.attrs["budget:调整预算"] == Decimal("350.00")
    assert not [f for f in check_disclosure(doc).findings if f.severity is Severity.ERROR]


def test_a_rate_of_a_zero_base_is_an_error_though_another_base_fits() -> None:
    doc = _doc(("五、一般公共预算财政拨款支出决算情况说明", [
        "一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%。"
        "决算数小于预算数的主要原因：人员经费支出数小于预算数。"]))  # fmt: skip
    errors = [f for f in check_disclosure(doc).findings if f.severity is Severity.ERROR]
    # N-006 says the base is wrong; the 小于 agrees with the 全年预算 and is not reported (N-007)
    assert [(f.rule_id, f.found) for f in errors] == [("N-006", "95.89%")]
    assert "全年预算 321.02" in errors[0].message


def test_budget_sections_on_other_funds_are_other_quantities() -> None:
    doc = _doc(("三、支出预算情况说明", ["基本支出 13994.31万元。"]),
               ("五、财政拨款支出预算表情况说明", ["基本支出 13801.26万元。"]), kind="部门预算")  # fmt: skip
    funds = [c.attrs["funds"] for c in doc.claims if c.kind is ClaimKind.AMOUNT]
    assert funds == ["all", "fiscal"]
    assert not [f for f in check_disclosure(doc).findings if f.rule_id == "N-015"]


def test_a_contradiction_with_an_uncertain_subject_is_not_checked() -> None:
    # the second change is of "the amount before", two of which the sentence before states
    doc = _doc(("一、收支预算总体情况说明", [
        "主要原因是基本支出增加1447.63万元、项目支出安排减少200万元。",
        "基本支出预算数为18570.82万元，项目支出预算数为11343.27万元。与上年相比增加1500.00万元。"]), kind="部门预算")  # fmt: skip
    result = check_disclosure(doc)
    assert not [f for f in result.findings if f.rule_id == "N-016"]
    (u,) = [u for u in result.unchecked if u.rule_id == "N-016"]
    assert "未核对" in u.reason and "基本支出" in u.what


def test_a_list_of_all_parts_adds_up_in_its_budget_column_too() -> None:
    head = "2024年度一般公共预算财政拨款支出年初预算为700.00万元，支出决算为680.00万元，完成年初预算的97.1%。其中："
    items = [
        "1. 教育支出（类）教育管理事务（款）行政运行（项）。年初预算为400.00万元，支出决算为380.00万元，完成年初预算的95.0%。",
        "2. 住房保障支出（类）住房改革支出（款）住房公积金（项）。年初预算为250.00万元，支出决算为300.00万元，完成年初预算的120.0%。",
    ]
    doc = _doc(("（三）一般公共预算财政拨款支出决算具体情况", [head, *items]))
    parts = [c for c in doc.claims if c.kind is ClaimKind.COMPLETION and c.attrs.get("list_part")]
    assert len(parts) == 2  # an item naming its subject alone, its numbers in the next sentence
    (f,) = [f for f in check_disclosure(doc).findings if f.rule_id == "N-017"]
    assert f.expected == "700.00" and f.found == "650.00"
