"""The quality benchmark on composed budgets (``bench/quality --config budget``): no error or
warning on a clean budget in any layout of the 收支预算总表, recall per defect kind and precision per
rule at or above the floors recorded for each layout (0.95 for every kind, as for the 决算 kinds),
and every defect kind visible in the printed budget."""

from __future__ import annotations

import json

import pytest
from bench.quality import budget
from bench.quality.__main__ import CONFIGS, FLOORS

from juesuan.compose.budget import SUMMARY_LAYOUTS


@pytest.fixture(scope="module")
def budget_run() -> budget.BudgetRun:
    return budget.run(budget.SEEDS)


def test_clean_budgets_have_no_error_or_warning(budget_run: budget.BudgetRun) -> None:
    clean = [x for x in budget_run.results if x.kind is None]
    assert len(clean) == len(budget.SEEDS) * len(budget.LAYOUTS)
    assert {x.layout for x in clean} == set(SUMMARY_LAYOUTS)
    assert all(x.tables == 12 for x in clean)
    assert budget.clean_errors(budget_run) == 0 and budget.clean_warnings(budget_run) == 0


def test_recall_and_precision_at_or_above_the_recorded_floors(budget_run: budget.BudgetRun) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["budget"]
    assert floors["seeds"] == CONFIGS["budget"]["seeds"] == budget.SEEDS
    assert floors["layouts"] == budget.LAYOUTS
    for layout in budget.LAYOUTS:
        recall = floors["floors"][layout]["txt"]["recall"]
        # every defect kind has its floor in every layout, at the floor of the 决算 kinds
        assert set(recall) == set(budget.KINDS), layout
        assert min(recall.values()) >= 0.95, layout
    assert budget.breaches(budget_run, floors) == []


def test_every_defect_kind_changes_the_printed_budget() -> None:
    for layout in budget.LAYOUTS:
        clean, _ = budget.document(1, None, layout)
        for kind in budget.KINDS:
            text, targets = budget.document(1, kind, layout)
            assert text != clean and targets, (layout, kind)
            for t in targets:
                if t.what == "text":
                    assert t.text and t.text in text and t.text not in clean, (layout, kind)


def test_the_summary_table_is_printed_in_each_layout() -> None:
    """The Jiangsu layout prints 功能分类 and 支出用途 side by side under their group headings, with
    every 类 of the chart; the national one 功能分类 only."""

    def summary(layout: str) -> str:
        text, _ = budget.document(1, None, layout)
        return text[text.index("\n收支预算总表\n") : text.index("\n收入预算总表\n")]

    jiangsu, national = summary("jiangsu"), summary("national")
    assert "\t".join(["项目名称", "金额", "功能分类", "", "支出用途", ""]) in jiangsu
    assert "二、外交支出" in jiangsu and "三、单位预留机动经费" in jiangsu
    assert "支出用途" not in national and "项目（按支出用途）" not in national
    assert "本年收入合计" in national and "收入总计" in national


def test_a_run_below_its_floor_is_reported() -> None:
    r = budget.BudgetRun(
        seeds=[1],
        results=[
            budget.Result(1, "narr_share", [], 12, "jiangsu"),
            budget.Result(1, None, [("B-001", "error", False)], 12, "jiangsu"),
        ],
        layouts=["jiangsu"],
    )
    floors = {
        "floors": {
            "jiangsu": {
                "txt": {"recall": {"narr_share": 0.95}, "precision": {"B-001": 0.95}, "clean_errors_max": 0}
            },
            "national": {"txt": {"recall": {}, "precision": {}, "clean_errors_max": 0}},
        }
    }
    found = budget.breaches(r, floors)
    assert len(found) == 4 and any("narr_share" in b for b in found) and any("national" in b for b in found)
