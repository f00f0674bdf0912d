"""Cross-document pairs in the corpus, on generated pairs: a composed 决算 with a budget of the same
department and year (made from a real Jiangsu budget, its department, year and figures altered to
agree with the 决算), and a real budget with an altered copy of it as next year's budget printing
a 上年预算数 column. ``batch`` links them (决算↔同年预算, 预算↔上年预算) and the C rules find each
injected difference and nothing else; the ready questions list the pairs per department and year.

Skipped when the shared Jiangsu budgets are absent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.ingest import read
from juesuan.ingest.narrative import attach_claims
from juesuan.model import Disclosure, DisclosureKind, TableKind
from juesuan.store import open_corpus, run_batch
from juesuan.store.queries import run_question
from store_support import STANDIN, composed, write_json

SHARED = Path(__file__).resolve().parents[2] / "shared"
BUDGET = SHARED / "samples" / "jiangsu-budget" / "jiangsu-procuratorate-2017-budget.pdf"
DEPT = "示例市统计局"


@pytest.fixture(scope="module")
def real_budget() -> Disclosure:
    if not BUDGET.exists():
        pytest.skip(f"{BUDGET} is not here (the shared documents are absent)")
    return read(BUDGET)


def _set(doc: Disclosure, kind: TableKind, row: str, column: str, value: Decimal) -> None:
    t = doc.table(kind)
    assert t is not None
    r = next(r for r in t.rows if r.key == row)
    raw = f"{value:,.2f}"
    if column in r.cells:
        r.cells[column] = r.cells[column].model_copy(update={"raw": raw, "value": value})
    else:
        r.cells[column] = next(iter(r.cells.values())).model_copy(update={"raw": raw, "value": value})


def _as(doc: Disclosure, department: str, year: int) -> Disclosure:
    out = doc.model_copy(deep=True)
    out.metadata.department, out.metadata.year = department, year
    out.metadata.kind = DisclosureKind.BUDGET_DEPARTMENT
    return out


def _budget_for(final: Disclosure, real: Disclosure, *, reception: Decimal | None = None) -> Disclosure:
    """The real budget as the budget of the 决算's department and year, its 三公 预算数 those the
    决算's 三公 table prints (``reception`` altered when given) and its 一般公共预算支出 合计 and
    科目 the 年初预算 the 决算's narrative states."""
    budget = _as(real, DEPT, final.metadata.year or 0)
    t09 = final.table(TableKind.T09)
    assert t09 is not None
    for r in t09.rows:
        c = r.cells.get("budget")
        if c is not None:  # a blank cell is zero
            _set(budget, TableKind.B09, r.key, "amount", c.value or Decimal(0))
    if reception is not None:
        _set(budget, TableKind.B09, "reception", "amount", reception)
    b05 = budget.table(TableKind.B05)
    assert b05 is not None
    rows = {r.key for r in b05.rows}
    for c in final.claims:
        if c.kind.value != "completion" or "budget" not in c.attrs:
            continue
        row = next((b.row for b in c.bindings if b.table is TableKind.T05), None)
        if row in rows:  # the 合计 and the 科目 the budget prints
            _set(budget, TableKind.B05, row, "total", Decimal(str(c.attrs["budget"])))
    return budget


def _batch(tmp: Path, docs: dict[str, Disclosure]) -> tuple[Path, list[tuple[object, ...]]]:
    inputs = [str(write_json(d, tmp / "in" / f"{name}.json")) for name, d in docs.items()]
    out = tmp / "corpus"
    run_batch(inputs, out, reader=STANDIN, in_process=True)
    con = open_corpus(out)
    try:
        rows = con.execute(
            "SELECT f.rule_id, f.severity, f.expected, f.found, d.path, p.path FROM findings f "
            "JOIN documents d USING (doc_id) JOIN documents p ON p.doc_id = f.related_doc_id "
            "WHERE f.severity <> 'info' ORDER BY f.rule_id"
        ).fetchall()
    finally:
        con.close()
    return out, rows


def test_a_final_account_is_checked_against_the_same_years_budget(tmp_path: Path, real_budget: Disclosure) -> None:
    final = attach_claims(composed(3, DEPT, 2024))
    out, rows = _batch(tmp_path / "ok", {"final": final, "budget": _budget_for(final, real_budget)})
    assert [r for r in rows if str(r[0]).startswith("C-")] == []
    con = open_corpus(out)
    try:
        cols, pairs = run_question(con, "pairs")
        cols2, years = run_question(con, "department-years")
    finally:
        con.close()
    rel = [dict(zip(cols, p, strict=True))["关联"] for p in pairs]
    assert rel == ["决算↔同年预算"]
    row = dict(zip(cols2, years[0], strict=True))
    assert row["预算文件"] and row["决算文件"] and row["已关联同年预算"] == "是"

    # the budget's 公务接待费 changed: C-003 names it, with a place in each document
    out, rows = _batch(tmp_path / "bad", {"final": final, "budget": _budget_for(final, real_budget, reception=Decimal("9.99"))})
    c = [r for r in rows if str(r[0]).startswith("C-")]
    assert [(r[0], r[1], r[2]) for r in c] == [("C-003", "warning", "9.99")]
    assert c[0][4].endswith("final.json") and c[0][5].endswith("budget.json")


def test_a_budgets_last_year_column_is_checked_against_last_years_budget(
    tmp_path: Path, real_budget: Disclosure
) -> None:
    before = _as(real_budget, DEPT, 2023)
    after = _as(real_budget, DEPT, 2024)
    b09 = before.table(TableKind.B09)
    assert b09 is not None
    for r in b09.rows:
        c = r.cells.get("amount")
        if c is not None and c.value is not None:
            wrong = c.value + Decimal("1.00") if r.key == "reception" else c.value
            _set(after, TableKind.B09, r.key, "last_year", wrong)
    # the copy's narrative compares with the real year before (2016): only its tables are kept
    after.sections = []
    # last year's budget is read from the same department under another spelling of its name
    before.metadata.department = f"{DEPT} "
    _, rows = _batch(tmp_path, {"2023": before, "2024": after})
    c = [r for r in rows if str(r[0]).startswith(("C-", "Y-"))]
    assert [(r[0], r[1]) for r in c] == [("C-001", "warning")]
    assert c[0][4].endswith("2024.json") and c[0][5].endswith("2023.json")


def test_documents_not_matched_with_certainty_are_not_paired(tmp_path: Path, real_budget: Disclosure) -> None:
    """A budget whose department was not read, and one of another department, are in no pair."""
    final = attach_claims(composed(3, DEPT, 2024))
    unnamed = _budget_for(final, real_budget, reception=Decimal("9.99"))
    unnamed.metadata.department = None
    for t in unnamed.tables:
        t.department = None
    other = _budget_for(final, real_budget, reception=Decimal("9.99"))
    other.metadata.department = "示例市档案馆"
    out, rows = _batch(tmp_path, {"final": final, "unnamed": unnamed, "other": other})
    assert [r for r in rows if str(r[0]).startswith("C-")] == []
    con = open_corpus(out)
    try:
        assert con.execute("SELECT count(*) FROM year_pairs").fetchone() == (0,)
    finally:
        con.close()
