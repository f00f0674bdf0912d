"""Document kind: the reader names a budget or final accounts from the words the document names
itself by, and no final-accounts rule ever judges a budget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from juesuan.api import check_path
from juesuan.ingest.kind import recognise_kind
from juesuan.model import Disclosure, DisclosureKind, Metadata, Paragraph, Section, Table, TableKind
from juesuan.report.jsonout import results_to_json
from juesuan.rules import check_disclosure, load_catalogue

SHARED = Path(__file__).resolve().parents[2] / "shared"
JIANGSU = SHARED / "samples" / "jiangsu-budget"


def _doc(
    cover: list[str] | None = None, headings: list[str] | None = None, titles: list[str] | None = None
) -> Disclosure:
    return Disclosure(
        cover=[Paragraph(text=t) for t in cover or []],
        sections=[Section(heading=h) for h in headings or []],
        tables=[Table(kind=TableKind.OTHER, title=t) for t in titles or []],
    )


@pytest.mark.parametrize(
    ("doc", "kind"),
    [
        (_doc(cover=["江苏省政协办公厅2017年度部门预算"]), DisclosureKind.BUDGET_DEPARTMENT),
        (
            _doc(cover=["2018年度江苏省高级人民法院预算公开", "2018年2月24日"]),
            DisclosureKind.BUDGET_DEPARTMENT,
        ),
        (_doc(cover=["上海市普陀区财政局", "2024年度部门决算"]), DisclosureKind.DEPARTMENT),
        (_doc(cover=["某某中心2024年度单位决算"]), DisclosureKind.UNIT),
        (_doc(cover=["某某中心2025年度单位预算"]), DisclosureKind.BUDGET_UNIT),
        (_doc(headings=["第二部分 2018年度部门预算表"]), DisclosureKind.BUDGET_DEPARTMENT),
        # table titles alone: by what they end in
        (
            _doc(titles=["收支预算总表", "收入预算总表", "一般公共预算支出预算表"]),
            DisclosureKind.BUDGET_DEPARTMENT,
        ),
        (_doc(titles=["收入支出决算总表", "一般公共预算财政拨款支出决算表"]), DisclosureKind.DEPARTMENT),
        # a final-accounts disclosure speaks of budgets without naming itself one
        (
            _doc(
                cover=["某某局2024年度部门决算"],
                headings=["（一）一般公共预算财政拨款支出决算情况", "年初预算执行情况"],
                titles=["2024年度部门预算调整追加项目支出绩效自评表", "收入支出决算总表"],
            ),
            DisclosureKind.DEPARTMENT,
        ),
        # words that only contain 预算 do not name a budget
        (_doc(headings=["一般公共预算", "年初预算"]), None),
        (_doc(cover=["关于某某工作的说明"]), None),
    ],
)
def test_kind_from_the_words_a_document_names_itself_by(doc: Disclosure, kind: DisclosureKind | None) -> None:
    assert recognise_kind(doc) is kind


def test_a_budget_is_not_judged_by_final_accounts_rules() -> None:
    doc = _doc(cover=["某某局2025年度部门预算"], titles=["收入支出决算总表"])
    doc.metadata = Metadata(kind=DisclosureKind.BUDGET_DEPARTMENT, year=2025)
    doc.tables[0].kind = TableKind.T01
    result = check_disclosure(doc)
    catalogue = load_catalogue()
    ran = {f.rule_id for f in result.findings}
    assert all(catalogue[r].applies_to(DisclosureKind.BUDGET_DEPARTMENT) for r in ran)
    summary = result.unchecked[0]
    assert summary.reason.startswith("预算公开文件：决算规则不适用")
    assert "T01-001" in summary.rules and "D-006" in summary.rules
    # a final-accounts document runs every rule: nothing is listed as not applicable
    doc.metadata.kind = DisclosureKind.DEPARTMENT
    assert not [u for u in check_disclosure(doc).unchecked if u.rules]


@pytest.mark.skipif(not JIANGSU.exists(), reason="the Jiangsu budgets are not in ../shared")
@pytest.mark.parametrize("name", sorted(p.name for p in JIANGSU.glob("*.pdf")) if JIANGSU.exists() else [])
def test_every_jiangsu_file_is_a_budget_and_says_so(name: str) -> None:
    result = check_path(JIANGSU / name)
    assert result.metadata is not None and result.metadata.kind is DisclosureKind.BUDGET_DEPARTMENT
    data = json.loads(results_to_json([result]))["documents"][0]
    assert data["metadata"]["kind"] == "部门预算"
    assert any(u["reason"].startswith("预算公开文件：决算规则不适用") for u in data["unchecked"])
    assert not [f for f in result.findings if f.severity.value == "error" and f.rule_id == "D-006"]


@pytest.mark.skipif(not (SHARED / "samples").exists(), reason="the samples are not in ../shared")
@pytest.mark.parametrize("name", ["shanghai-putuo-finance-2024.pdf", "shanghai-template-2024.pdf"])
def test_shanghai_final_accounts_stay_final_accounts(name: str) -> None:
    path = SHARED / "samples" / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    result = check_path(path)
    assert result.metadata is not None and result.metadata.kind is DisclosureKind.DEPARTMENT
    assert not [u for u in result.unchecked if u.rules]


def test_rules_listing_names_the_kinds_each_rule_judges() -> None:
    from typer.testing import CliRunner

    from juesuan.cli import app

    listed = {r["id"]: set(r["kinds"]) for r in json.loads(CliRunner().invoke(app, ["rules", "-f", "json"]).stdout)}
    assert listed["T01-001"] == {"部门决算", "单位决算"}
    assert listed["D-009"] == {"部门决算", "单位决算", "部门预算", "单位预算"}
    text = CliRunner().invoke(app, ["rules"]).stdout
    assert any(line.startswith("D-009") and "决算和预算" in line for line in text.splitlines())
    assert any(line.startswith("T01-001") and "决算和预算" not in line for line in text.splitlines())
    md = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "Applies to: 单位决算、单位预算、部门决算、部门预算" in md
