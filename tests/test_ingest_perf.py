"""What the reader reads out of the 绩效 parts of a disclosure: the numbers of the 绩效自评表 cells
(``Cell.quantity``) and the statements of the 绩效 sections (``Disclosure.perf_statements``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import seed
from juesuan.ingest.assemble.perf_form import number_in, parse_target, parse_value
from juesuan.ingest.perf_statements import read_perf_statements, reread_perf
from juesuan.model import Cell, Comparator, Disclosure, Quantity, TableKind
from juesuan.rules.cases import build_disclosure


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("≥95%", Quantity(value=Decimal(95), unit="%", op=Comparator.GE)),
        (">=6", Quantity(value=Decimal(6), op=Comparator.GE)),
        ("=100％", Quantity(value=Decimal(100), unit="%", op=Comparator.EQ)),
        ("≤3天", Quantity(value=Decimal(3), unit="天", op=Comparator.LE)),
        ("不低于90%", Quantity(value=Decimal(90), unit="%", op=Comparator.GE)),
        ("95%以上", Quantity(value=Decimal(95), unit="%", op=Comparator.GE)),
        ("＜1.5小时", Quantity(value=Decimal("1.5"), places=1, unit="小时", op=Comparator.LT)),
    ],
)
def test_targets_with_a_comparison(text: str, want: Quantity) -> None:
    assert parse_target(text) == want


def test_values() -> None:
    assert parse_value("13.33%") == Quantity(value=Decimal("13.33"), places=2, unit="%")
    assert parse_value("16.88万人") == Quantity(value=Decimal("16.88"), places=2, unit="万人")
    assert parse_value("1,200") == Quantity(value=Decimal(1200))
    for text in ("≥95%", "按时完成", "12月31日前", ""):
        assert parse_value(text) is None


def test_numbers_of_amount_rate_and_score_cells() -> None:
    # the value when the cell has one; its printed places all the same
    assert number_in(Cell(raw="97.04%", value=Decimal("97.04"))) == Quantity(value=Decimal("97.04"), places=2)
    assert number_in(Cell(raw="10分")) == Quantity(value=Decimal(10))
    assert number_in(Cell(raw="约 97.5%（含结转）")) == Quantity(value=Decimal("97.5"), places=1)
    assert number_in(Cell(raw="—")) is None


def _read(name: str) -> Disclosure:
    pytest.importorskip("juesuan.ingest.text")
    from juesuan.ingest import read

    return read(seed(name))


def test_seed_003_cells() -> None:
    doc = _read("003_837dc0ef3549c6c2.txt")
    t = next(
        t for t in doc.tables_of(TableKind.PERF_PROJECT) if "企业职工养老保险" in t.fields["project_name"].raw
    )
    rate = t.fields["exec_rate"]
    assert rate.raw == "13.33%" and rate.quantity == Quantity(value=Decimal("13.33"), places=2)
    row = t.rows[0]
    assert row.cells["target"].raw == "≥95%"
    assert row.cells["target"].quantity == Quantity(value=Decimal(95), unit="%", op=Comparator.GE)
    assert row.cells["actual"].quantity == Quantity(value=Decimal("13.33"), places=2, unit="%")
    score = row.cells["score"]
    assert score.quantity is not None and score.quantity.value == score.value


def test_seed_000_statements() -> None:
    doc = _read("000_28fcffc144f7be8d.txt")
    ps = doc.perf_statements
    assert "十、关于 2024 年度绩效评价情况说明" in ps.headings
    pair = ps.budget_actual[0]
    assert (pair.budget, pair.actual) == (Decimal(77), Decimal("74.92"))
    assert pair.sentence.startswith("项目全年预算数为 77 万元") and pair.loc is not None
    assert len(ps.budget_actual) == 13
    count = ps.project_counts[0]
    assert count.count == 13 and count.total == Decimal("42678.16") and "42678.16" in count.total_sentence


def _doc(paragraphs: list[str], heading: str = "十、绩效评价情况说明") -> Disclosure:
    return build_disclosure(
        {
            "sections": [
                {
                    "heading": "九、其他重要事项的情况说明",
                    "paragraphs": ["全年预算数为10万元，执行数为9万元。"],
                },
                {
                    "heading": heading,
                    "children": [{"heading": "（一）项目自评结果", "paragraphs": paragraphs}],
                },
            ]
        }
    )


def test_statements_are_read_from_the_perf_sections_only() -> None:
    doc = _doc(
        [
            "组织对两个项目支出开展了绩效自评，共涉及资金92.69万元。",
            "甲项目全年预算数为77.00万元，执行数为74.72万元；乙项目预算数15.5万元，执行数15.19万元。",
        ]
    )
    ps = doc.perf_statements
    assert ps.headings == ["十、绩效评价情况说明"]  # the child's heading does not name 绩效
    assert [(s.budget, s.actual) for s in ps.budget_actual] == [
        (Decimal("77.00"), Decimal("74.72")),
        (Decimal("15.5"), Decimal("15.19")),
    ]
    assert ps.budget_actual[1].sentence == "乙项目预算数15.5万元，执行数15.19万元。"
    assert [(c.count, c.total) for c in ps.project_counts] == [(2, Decimal("92.69"))]


def test_a_count_without_a_total_and_a_zero_count() -> None:
    ps = _doc(["对0个项目开展了绩效自评。", "对3个项目开展了绩效自评。", "共涉及资金5万元。"]).perf_statements
    # the zero count is no statement; the total of another paragraph is not the count's
    assert [(c.count, c.total, c.total_sentence) for c in ps.project_counts] == [(3, None, "")]
    assert _doc(["对3个项目开展了绩效自评。"], heading="十、其他说明").perf_statements.project_counts == []


def test_reread_after_an_edit() -> None:
    doc = _doc(["对3个项目开展了绩效自评。"])
    p = doc.sections[1].children[0].paragraphs[0]
    p.text = p.text.replace("3", "4")
    assert read_perf_statements(doc).project_counts[0].count == 4
    assert doc.perf_statements.project_counts[0].count == 3  # read once; the edit needs a new reading
    reread_perf(doc)
    assert doc.perf_statements.project_counts[0].count == 4
