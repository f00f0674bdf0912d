"""The quality benchmark on composed budgets (``bench/quality --config budget``): no error or
warning on a clean budget, recall per defect kind and precision per rule at or above the
recorded floors, and every defect kind visible in the printed budget."""

from __future__ import annotations

import json

import pytest
from bench.quality import budget
from bench.quality.__main__ import CONFIGS, FLOORS


@pytest.fixture(scope="module")
def budget_run() -> budget.BudgetRun:
    return budget.run(budget.SEEDS)


def test_clean_budgets_have_no_error_or_warning(budget_run: budget.BudgetRun) -> None:
    clean = [x for x in budget_run.results if x.kind is None]
    assert len(clean) == len(budget.SEEDS)
    assert all(x.tables == 12 for x in clean)
    assert budget.clean_errors(budget_run) == 0 and budget.clean_warnings(budget_run) == 0


def test_recall_and_precision_at_or_above_the_recorded_floors(budget_run: budget.BudgetRun) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["budget"]
    assert floors["seeds"] == CONFIGS["budget"]["seeds"] == budget.SEEDS
    assert set(floors["floors"]["txt"]["recall"]) == set(budget.KINDS)
    assert budget.breaches(budget_run, floors) == []


def test_every_defect_kind_changes_the_printed_budget() -> None:
    clean, _ = budget.document(1, None)
    for kind in budget.KINDS:
        text, targets = budget.document(1, kind)
        assert text != clean and targets, kind
        for t in targets:
            if t.what == "text":
                assert t.text and t.text in text and t.text not in clean, kind


def test_a_run_below_its_floor_is_reported() -> None:
    r = budget.BudgetRun(
        seeds=[1],
        results=[
            budget.Result(1, "narr_share", [], 12),
            budget.Result(1, None, [("B-001", "error", False)], 12),
        ],
    )
    floors = {
        "floors": {
            "txt": {"recall": {"narr_share": 0.95}, "precision": {"B-001": 0.95}, "clean_errors_max": 0}
        }
    }
    found = budget.breaches(r, floors)
    assert len(found) == 3 and any("narr_share" in b for b in found)
