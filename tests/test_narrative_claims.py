"""Claim extraction and binding on short sentences (copied by hand from the seeds, or written in
their register) in the compact case form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.api import DocumentResult
from juesuan.ingest.narrative import attach_claims
from juesuan.model import BindingHow, ClaimKind, Disclosure, TableKind
from juesuan.report.explain import explain_document
from juesuan.report.text import unchecked_lines
from juesuan.rules import run_rules
from juesuan.rules.cases import build_disclosure
from juesuan.rules.context import RunContext
from juesuan.rules.engine import check_disclosure
from juesuan.rules.families.narrative.verdicts import claim_verdicts

T01 = {
    "kind": "T01",
    "rows": {
        "income:inc_general_budget": {"amount": "900.28"},
        "income:inc_total_year": {"amount": "900.28"},
        "income:inc_begin_balance": {"amount": "151.09"},
        "income:inc_grand_total": {"amount": "1,051.37"},
        "expense:exp_total_year": {"amount": "881.98"},
        "expense:exp_end_balance": {"amount": "169.39"},
        "expense:exp_grand_total": {"amount": "1,051.37"},
    },
}
T09 = {
    "kind": "T09",
    "rows": {
        "total": {"budget": "0.19", "actual": "0.18"},
        "abroad": {"budget": "", "actual": ""},
        "car": {"budget": "", "actual": ""},
        "reception": {"budget": "0.19", "actual": "0.18"},
    },
}


def doc_of(paragraphs: list[str], heading: str, tables: list[dict[str, Any]] | None = None) -> Disclosure:
    return build_disclosure({"tables": tables or [], "sections": [{"heading": heading, "paragraphs": paragraphs}]})


def kinds(doc: Disclosure) -> list[str]:
    return [c.kind.value for c in doc.claims]


def test_amount_change_and_percentage_of_one_sentence() -> None:
    doc = doc_of(
        ["本年收入合计 900.28 万元，其中：财政拨款收入 900.28 万元，比上年减少 16.22 万元，下降 1.8%。"],
        "二、收入决算情况说明",
        [T01],
    )
    attach_claims(doc)
    assert kinds(doc) == ["amount", "amount", "change"]
    total, fiscal, change = doc.claims
    assert total.quantity == "inc_total_year" and total.value == Decimal("900.28")
    assert total.bindings[0].table is TableKind.T01 and total.bindings[0].row == "inc_total_year"
    assert fiscal.quantity == "fiscal_income"
    assert change.quantity == "fiscal_income" and change.attrs["change_amount"] == Decimal("16.22")
    assert change.attrs["change_pct"] == Decimal("1.8") and change.attrs["direction"] == -1
    # spans point at the words of the sentence
    assert total.sentence[total.span[0] : total.span[1]] == "900.28 万元"


def test_change_in_the_next_sentence_names_its_subject() -> None:
    doc = doc_of(["2024 年度收入总计为 900.28 万元。与 2023 年度相比，收入总计减少 16.22 万元，下降 1.8%。"],
                 "一、收入支出决算总体情况说明", [T01])  # fmt: skip
    attach_claims(doc)
    change = [c for c in doc.claims if c.kind is ClaimKind.CHANGE][0]
    assert change.quantity == "inc_grand_total" and change.value == Decimal("900.28")


def test_list_shares_take_the_head_of_the_statement() -> None:
    doc = doc_of(
        ["2024年度“三公”经费支出决算中，因公出国（境）费用支出决算0万元，占0%；公务用车购置及运行维护费支出决算0万元，占0%；公务接待费支出决算0.18万元，占100%。"],
        "（二）“三公”经费支出具体执行情况说明。",
        [T09],
    )
    doc.sections[0].heading = "九、财政拨款“三公”经费支出决算情况说明"
    attach_claims(doc)
    shares = [c for c in doc.claims if c.kind is ClaimKind.SHARE]
    assert len(shares) == 3
    assert {s.attrs["share_of_key"] for s in shares} == {"sangong.total"}
    assert shares[2].attrs["part_key"] == "sangong.reception"
    assert not run_rules(doc, select=["N"])


def test_subject_path_standing_alone_names_the_next_statement() -> None:
    spec = {
        "tables": [
            {
                "kind": "T05",
                "rows": {
                    "total": {"total": "690.18"},
                    "208": {"label": "社会保障和就业支出", "total": "690.18"},
                    "20801": {"label": "人力资源和社会保障管理事务", "total": "690.18"},
                    "2080101": {"label": "行政运行", "total": "690.18"},
                },
            }
        ],
        "sections": [
            {
                "heading": "五、一般公共预算财政拨款支出决算情况说明",
                "paragraphs": [
                    "1. 社会保障和就业支出（类）",
                    "（1）人力资源和社会保障管理事务（款）行政运行（项）。年初预算为737.95万元，支出决算为690.18万元，完成年初预算的93.53%。决算数小于预算数的主要原因是严格按照工资标准执行，减少预算支出。",
                ],
            }
        ],
    }
    doc = build_disclosure(spec)
    attach_claims(doc)
    comp = [c for c in doc.claims if c.kind is ClaimKind.COMPLETION][0]
    assert comp.quantity == "func:2080101"
    assert comp.attrs["budget"] == Decimal("737.95") and comp.attrs["rate"] == Decimal("93.53")
    assert comp.attrs["reason"]
    direction = [c for c in doc.claims if c.kind is ClaimKind.DIRECTION][0]
    assert direction.attrs["direction"] == -1 and doc.claims[int(str(direction.attrs["completion"]))] is comp
    assert not run_rules(doc, select=["N"])


def test_last_year_numbers_are_not_bound_to_this_years_cells() -> None:
    spec_t = {"kind": "T09S", "rows": {"reception_batches": {"value": "2"}, "reception_persons": {"value": "26"}}}
    doc = doc_of(["公务接待费支出决算数比上年减少0.01万元，下降5.26%，主要原因是上年接待2批次，接待36人次；2024年接待2批次，接待26人次。"],
                 "九、财政拨款“三公”经费支出决算情况说明", [T09, spec_t])  # fmt: skip
    doc.metadata.year = 2024
    attach_claims(doc)
    counts = [c for c in doc.claims if c.kind is ClaimKind.COUNT]
    assert [(c.value, c.year, bool(c.bindings)) for c in counts] == [
        (Decimal(2), 2023, False),
        (Decimal(36), 2023, False),
        (Decimal(2), None, True),
        (Decimal(26), None, True),
    ]
    assert counts[1].unbound_reason and "上年" in counts[1].unbound_reason
    assert not [f for f in run_rules(doc, select=["N"]) if f.severity.value != "info"]


def test_empty_table_sentence_and_unbound_reasons() -> None:
    doc = doc_of(["2024年度，本部门没有发生政府性基金预算财政拨款收入支出相关情况，故本表无数据。", "职工人数 60 人，其他专项资金 3 万元。"],
                 "七、政府性基金预算财政拨款收入支出决算情况说明")  # fmt: skip
    attach_claims(doc)
    assert doc.claims[0].kind is ClaimKind.EMPTY_TABLE and doc.claims[0].attrs["table"] == "T07"
    # every claim is bound or says why not
    for c in doc.claims:
        assert c.bindings or c.unbound_reason or c.kind is ClaimKind.DIRECTION, c
    assert doc.claims[0].unbound_reason == "文档中没有该表"


def test_attach_claims_is_idempotent_and_round_trips() -> None:
    doc = doc_of(["2024 年度收入总计为 900.28 万元。与 2023 年度相比，收入总计减少 16.22 万元，下降 1.8%。"],
                 "一、收入支出决算总体情况说明", [T01])  # fmt: skip
    attach_claims(doc)
    first = doc.model_dump_json()
    attach_claims(doc)
    assert doc.model_dump_json() == first
    back = Disclosure.model_validate_json(first)
    assert back.claims == doc.claims


def test_wan_without_yuan_and_parenthetical_clause() -> None:
    doc = doc_of(["国内公务接待支出0.18万（含外宾接待支出0.00万元）。"], "九、财政拨款“三公”经费支出决算情况说明", [T09])
    attach_claims(doc)
    amounts = [c for c in doc.claims if c.kind is ClaimKind.AMOUNT]
    assert [(c.value, c.quantity) for c in amounts] == [(Decimal("0.18"), "sangong.reception"), (Decimal("0.00"), "")]
    assert not [f for f in run_rules(doc, select=["N"]) if f.severity.value != "info"]


def test_rate_in_the_next_statement_and_rate_against_the_09_budget() -> None:
    doc = doc_of(["年初预算为0.88万元，支出决算为0.88万元。完成年初预算的90.00%。决算数同预算数持平。"],
                 "五、一般公共预算财政拨款支出决算情况说明")  # fmt: skip
    attach_claims(doc)
    comp = [c for c in doc.claims if c.kind is ClaimKind.COMPLETION][0]
    assert comp.attrs["rate"] == Decimal("90.00")
    assert [f.rule_id for f in run_rules(doc, select=["N"])] == ["N-005"]
    assert not [c for c in doc.claims if c.kind is ClaimKind.CHANGE]  # 决算数同预算数持平 is not a change
    doc = doc_of(["公务接待费支出决算为0.18万元，完成预算的94.74%。"], "九、财政拨款“三公”经费支出决算情况说明", [T09])
    attach_claims(doc)
    comp = [c for c in doc.claims if c.kind is ClaimKind.COMPLETION][0]
    assert comp.attrs["budget"] == Decimal("0.19") and comp.attrs["budget_from_table"] == 1
    assert not [f for f in run_rules(doc, select=["N-001", "N-005", "N-006"])]


def test_a_wrong_amount_is_reported_once() -> None:
    """本年支出合计 written 912.15 (table 907.15) while the shares were computed from the table:
    one N-001, not a wrong share for every part."""
    spec_t03 = {"kind": "T03", "rows": {"total": {"total": "907.15", "basic": "613.58", "project": "293.57"}}}
    doc = doc_of(["2024年度本年支出合计912.15万元，其中：基本支出613.58万元，占67.64%；项目支出293.57万元，占32.36%。"],
                 "三、支出决算情况说明", [spec_t03])  # fmt: skip
    findings = run_rules(doc, select=["N"])
    assert [(f.rule_id, f.severity.value) for f in findings] == [("N-001", "error")]
    assert findings[0].expected == "907.15" and findings[0].found == "912.15"


def test_text_following_one_of_two_disagreeing_tables_is_not_reported() -> None:
    """06表 公用经费合计 46.03 but 05表 公用经费 45.03: the text's 45.03 follows 05表; the tables'
    disagreement is the cross-table rules' finding."""
    tables = [
        {"kind": "T05", "rows": {"total": {"total": "782.17", "basic": "782.17", "personnel": "737.14", "public": "45.03"}}},
        {"kind": "T06", "rows": {"personnel_total": {"amount": "737.14"}, "public_total": {"amount": "46.03"}}},
    ]
    doc = doc_of(["其中：人员经费737.14万元；公用经费45.03万元。"], "六、一般公共预算财政拨款基本支出决算情况说明", tables)
    assert not run_rules(doc, select=["N"])
    attach_claims(doc)
    public = [c for c in doc.claims if c.quantity == "public"][0]
    msgs = [ch.message for ch in claim_verdicts(RunContext(doc), public)]
    assert any("两表之差由表间规则报告" in m for m in msgs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["收入总计", "本年支出合计", "占", "比上年", "增加", "下降", "年初预算为", "支出决算为",
                                 "完成年初预算的", "决算数大于预算数", "（类）", "（款）", "（项）", "，", "。", "；", "：",
                                 "（", "）", "12.5", "0", "2, 106. 35", "万元", "%", "万", "人次", "辆", "上年", "本表无数据",
                                 "三公", "持平", "其中", "1."]), max_size=40))  # fmt: skip
def test_any_text_reads_without_error(parts: list[str]) -> None:
    doc = doc_of(["".join(parts)], "九、财政拨款“三公”经费支出决算情况说明", [T01, T09])
    attach_claims(doc)
    assert not [c for c in doc.claims if c.unbound_reason and "出错" in c.unbound_reason]
    assert not [f for f in run_rules(doc, select=["N"]) if "执行出错" in f.message]


def test_unnamed_change_in_the_next_statement_is_about_the_head_amount() -> None:
    spec_t03 = {"kind": "T03", "rows": {"total": {"total": "1,047.45", "basic": "781.53", "project": "265.92"}}}
    doc = doc_of(["本年支出合计1,047.45万元，其中：基本支出781.53万元；项目支出265.92万元。与上年相比，减少10.47万元，下降0.99%。"],
                 "三、支出决算情况说明", [spec_t03])  # fmt: skip
    attach_claims(doc)
    change = [c for c in doc.claims if c.kind is ClaimKind.CHANGE][0]
    assert change.quantity == "exp_total_year" and change.value == Decimal("1047.45")
    assert not run_rules(doc, select=["N"])


def test_a_wrong_amount_names_the_cell_it_was_probably_taken_from() -> None:
    tables = [
        {"kind": "T03", "rows": {"total": {"total": "9,759.38", "basic": "5,377.64", "project": "4,381.74"}}},
        {"kind": "T05", "rows": {"total": {"total": "9,746.50", "basic": "5,364.75", "project": "4,381.75"}}},
    ]
    doc = doc_of(["一般公共预算财政拨款基本支出5377.64万元。"], "六、一般公共预算财政拨款基本支出决算情况说明", tables)
    (f,) = run_rules(doc, select=["N-001"])
    assert f.severity.value == "error" and f.expected == "5,364.75"
    assert "支出决算表" in f.message and "基本支出" in f.message


def test_spans_stay_inside_their_sentence() -> None:
    doc = build_disclosure({"sections": [{"heading": "五、一般公共预算财政拨款支出决算情况说明", "paragraphs": [
        "年初预算为737.95万元；支出决算为690.18万元；完成年初预算的93.53%。决算数小于预算数的主要原因是人员减少。"]}]})  # fmt: skip
    attach_claims(doc)
    assert doc.claims
    for c in doc.claims:
        assert 0 <= c.span[0] <= c.span[1] <= len(c.sentence)


def test_no_spending_on_one_item_is_not_an_empty_table() -> None:
    doc = doc_of(["2024年度“三公”经费中，没有发生因公出国（境）费支出。"], "九、财政拨款“三公”经费支出决算情况说明", [T09])
    attach_claims(doc)
    assert not [c for c in doc.claims if c.kind is ClaimKind.EMPTY_TABLE]


def test_national_template_phrasing() -> None:
    """``一般公共服务（类）支出``, ``决算数大于年初预算数``, and a reason after a 三公 list with 其中."""
    t05 = {"kind": "T05", "rows": {"total": {"total": "500.00"}, "201": {"label": "一般公共服务支出", "total": "300.00"},
                                   "20101": {"label": "人大事务", "total": "300.00"},
                                   "2010101": {"label": "行政运行", "total": "300.00"},
                                   "208": {"label": "社会保障和就业支出", "total": "200.00"}}}  # fmt: skip
    t09 = {"kind": "T09", "rows": {"total": {"budget": "10.00", "actual": "8.00"}, "abroad": {"budget": "", "actual": ""},
                                   "car": {"budget": "6.00", "actual": "5.00"}, "reception": {"budget": "4.00", "actual": "3.00"}}}  # fmt: skip
    spec = {"tables": [t05, t09], "sections": [
        {"heading": "五、一般公共预算财政拨款支出决算情况说明", "paragraphs": [
            "一般公共预算财政拨款支出主要用于以下方面：一般公共服务（类）支出300.00万元，占60%；社会保障和就业（类）支出200.00万元，占40%。",
            "1.一般公共服务（类）人大事务（款）行政运行（项）。年初预算为280.00万元，支出决算为300.00万元，完成年初预算的107.1%。决算数大于年初预算数的主要原因是人员增加。"]},
        {"heading": "九、财政拨款“三公”经费支出决算情况说明", "paragraphs": [
            "2024年度“三公”经费财政拨款支出预算为10.00万元，支出决算为8.00万元，完成预算的80%。其中：因公出国（境）费支出预算为0万元，支出决算为0万元；公务用车购置及运行维护费支出预算为6.00万元，支出决算为5.00万元，完成预算的83.3%；公务接待费支出预算为4.00万元，支出决算为3.00万元，完成预算的75%。决算数小于预算数的主要原因是厉行节约。"]},
    ]}  # fmt: skip
    doc = build_disclosure(spec)
    attach_claims(doc)
    amounts = {c.quantity for c in doc.claims if c.kind is ClaimKind.AMOUNT}
    assert {"func:201", "func:208"} <= amounts
    assert len([c for c in doc.claims if c.kind is ClaimKind.COMPLETION]) == 5
    assert not run_rules(doc, select=["N"])


def test_general_budget_subject_is_not_checked_against_all_funds_when_05_is_missing() -> None:
    """Without the 一般公共预算 table, a 科目 amount of that section cannot be checked against the
    支出决算表 (which holds every source of funds): unbound with the reason, and no N finding."""
    t03 = {
        "kind": "T03",
        "rows": {
            "total": {"total": "900.00", "basic": "900.00"},
            "208": {"label": "社会保障和就业支出", "total": "900.00", "basic": "900.00"},
            "20801": {"label": "人力资源和社会保障管理事务", "total": "900.00", "basic": "900.00"},
            "2080101": {"label": "行政运行", "total": "900.00", "basic": "900.00"},
        },
    }
    paras = [
        "1. 社会保障和就业支出（类）",
        "（1）人力资源和社会保障管理事务（款）行政运行（项）。年初预算为737.95万元，支出决算为690.18万元，"
        "完成年初预算的93.53%。决算数小于预算数的主要原因是严格按照工资标准执行。",
    ]
    heading = "五、一般公共预算财政拨款支出决算情况说明"
    doc = doc_of(paras, heading, [t03])
    attach_claims(doc)
    comp = [c for c in doc.claims if c.kind is ClaimKind.COMPLETION][0]
    assert comp.quantity == "func:2080101" and not comp.bindings
    assert "一般公共预算财政拨款支出决算表缺失" in (comp.unbound_reason or "")
    assert not run_rules(doc, select=["N"])
    # with the 05表 present the same sentence is checked against it
    doc = doc_of(paras, heading, [t03, {**t03, "kind": "T05"}])
    assert [(f.rule_id, f.severity.value) for f in run_rules(doc, select=["N"])] == [("N-001", "error")]


def test_a_change_after_a_list_is_not_judged_but_recorded_as_not_checked() -> None:
    """The sentence before states three amounts: which one the change is of is not certain, so
    a rate that fits none of the readings is no error; the check is recorded, with its reason,
    as not made (JSON ``unchecked``, the text report's count, ``explain``)."""
    doc = doc_of(["本年支出合计1,047.45万元，其中：基本支出781.53万元；项目支出265.92万元。与上年相比，减少10.47万元，下降5%。"],
                 "三、支出决算情况说明")  # fmt: skip
    change = [c for c in doc.claims if c.kind is ClaimKind.CHANGE][0]
    assert change.how is BindingHow.PREVIOUS_SENTENCE and change.candidates == 3 and not change.certain
    result = check_disclosure(doc, select=["N"])
    assert not [f for f in result.findings if f.rule_id == "N-004"]
    skipped = [u for u in result.unchecked if u.rule_id == "N-004"]
    assert len(skipped) == 1 and "所述主体不确定（上一句有 3 个可能所指的金额）" in skipped[0].reason
    ex = explain_document(doc)
    views = [x for s in ex.sentences for c in s.claims for x in c.checks if x.rule == "N-004"]
    assert [v.mark for v in views] == ["○"] and views[0].unchecked == skipped[0].reason
    assert unchecked_lines(DocumentResult(path="x", findings=result.findings, unchecked=result.unchecked)) == [
        "另有 1 处因读取不确定未核对，见 explain"
    ]


def test_a_budget_change_of_the_amount_stated_in_the_sentence_before_is_judged() -> None:
    """江苏高院2018: the change belongs to the 基本支出 stated just before it, not to the 住房保障
    of the paragraph before; in a budget the text's own arithmetic is checked (N-004)."""
    paragraphs = [
        "3．住房保障（类）支出4716.51万元，主要用于提租补贴、住房公积金支出。与上年相比增加1727.37万元，增长57.79%。",
        "此外，基本支出预算数为 18570.82万元。与上年相比增加1447.63万元，增长{pct}。",
    ]
    for pct, n in (("8.45%", 0), ("9.45%", 1)):
        spec = {"metadata": {"kind": "部门预算", "year": 2018},
                "sections": [{"heading": "一、收支预算总体情况说明", "paragraphs": [p.format(pct=pct) for p in paragraphs]}]}  # fmt: skip
        doc = build_disclosure(spec)
        change = [c for c in doc.claims if c.kind is ClaimKind.CHANGE][-1]
        assert change.label == "基本支出" and change.value == Decimal("18570.82")
        assert change.how is BindingHow.PREVIOUS_SENTENCE and change.certain
        assert not change.bindings  # a budget's cells are not the 决算 tables' the lexicon names
        found = [f for f in run_rules(doc, select=["N"]) if f.rule_id == "N-004"]
        assert len(found) == n


def test_a_threshold_with_its_closed_note_leaves_the_next_label_whole() -> None:
    """``单价100万元（含）以上设备（不含车辆）2台（套）``: the （含） is no opening note, so the
    count's subject is not cut to a garbled ``）以上设备……`` (as explain printed it)."""
    doc = doc_of(["单价100万元（含）以上设备（不含车辆）2台（套）。"], "八、国有资产占有使用情况")
    attach_claims(doc)
    labels = [c.label for c in doc.claims]
    assert labels[-1] == "以上设备（不含车辆）"
    assert not any(lb.startswith(("）", ")")) for lb in labels)
