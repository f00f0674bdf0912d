"""The quality benchmark's small CI configuration (``bench/quality``): recall per defect kind and
precision per rule at or above the recorded floors, and no error-level finding on a clean
synthetic document (honest rounding included). Plus the pieces the measurement rests on: every
defect kind applies and is visible in the written document, and the matching of findings to
injected places."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest
from bench.quality.__main__ import CONFIGS, FLOORS, check_floors, floor_of
from bench.quality.generate import TextEdit, generate, write
from bench.quality.inject import KINDS, Target, inject
from bench.quality.score import Run, finding_matches, ref_matches, run, summarise

from juesuan.model import Finding, Ref, Severity, TableKind


@pytest.fixture(scope="module")
def ci_run() -> Run:
    cfg = CONFIGS["ci"]
    return run(cfg["seeds"], cfg["formats"])  # type: ignore[arg-type]


def test_clean_documents_have_no_error_findings(ci_run: Run) -> None:
    sums = summarise(ci_run)
    assert "model" in sums
    for fmt, s in sums.items():
        bad = [(x.seed, rid) for x in ci_run.results if x.fmt == fmt and x.kind is None for rid, sev, _ in x.findings if sev == "error"]
        assert s.clean_docs == len(ci_run.seeds)
        assert s.clean_errors == 0, f"{fmt}: error findings on clean documents: {bad}"


def test_recall_and_precision_at_or_above_the_recorded_floors(ci_run: Run) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["ci"]
    assert floors["seeds"] == CONFIGS["ci"]["seeds"]
    breaches = check_floors(summarise(ci_run), floors)
    assert not breaches, "\n".join(breaches)


def test_table_defects_are_found_on_the_model_of_another_tree_shape() -> None:
    # Rules of the T and X families are in the catalogue: these kinds must be found on every seed.
    r = run([5], ["model"], ["cell_changed", "digits_transposed", "row_dropped"])
    s = summarise(r)["model"]
    assert s.clean_docs == 1 and s.clean_errors == 0  # the forestry profile is clean too
    for k in ("cell_changed", "digits_transposed", "row_dropped"):
        assert s.kinds[k].n == 1 and s.kinds[k].detected == 1, k


def test_every_kind_applies_and_changes_the_written_document() -> None:
    clean = generate(0)
    base = write(clean.disclosure, "txt").decode()
    applied = set()
    for seed in (0, 1):
        c = clean if seed == 0 else generate(seed)
        text0 = base if seed == 0 else write(c.disclosure, "txt").decode()
        for name in KINDS:
            got = inject(c.disclosure, name, random.Random(f"{seed}-{name}"))
            if got is None:
                continue
            doc, defect = got
            assert defect.kind == name and defect.targets, name
            text = write(doc, "txt", defect.edits).decode()
            assert text != text0, f"{name} left the written document unchanged"
            for t in defect.targets:
                if t.what == "text" and t.text and name not in ("table_deleted", "toc_entry_missing", "row_dropped"):
                    assert "".join(t.text.split()) in "".join(text.split()), (name, t.text)
            applied.add(name)
    assert applied == set(KINDS)
    assert len(KINDS) >= 25


def test_honest_rounding_appears_in_the_synthetic_documents() -> None:
    # Sums of printed parts differ from printed totals by a cent somewhere (rounded one by one).
    doc = generate(0).disclosure
    t03 = doc.table(TableKind.T03)
    assert t03 is not None
    diffs = []
    for r in t03.rows:
        parts = [r.cells[c].amount for c in ("basic", "project")]
        diffs.append(r.cells["total"].amount - sum(parts, Decimal(0)))
    t06 = doc.table(TableKind.T06)
    assert t06 is not None
    items = [r.cells["amount"].amount for r in t06.rows if r.code and len(r.code) == 5 and r.code.startswith("301")]
    diffs.append((t06.value("301", "amount") or Decimal(0)) - sum(items, Decimal(0)))
    assert any(d != 0 for d in diffs)


def test_text_edits_fail_loudly_when_they_do_not_apply() -> None:
    from bench.quality.generate import EditNotApplied

    doc = generate(0).disclosure
    with pytest.raises(EditNotApplied):
        write(doc, "txt", [TextEdit("不存在的文字", "x")])


def test_matching_of_refs_and_targets() -> None:
    cell = Target("cell", TableKind.T03, "2080101", "basic", label="行政运行")
    assert ref_matches(Ref(table=TableKind.T03, row="2080101", column="basic"), cell)
    assert ref_matches(Ref(table=TableKind.T03, row="2080101"), cell)  # a row-level ref
    assert not ref_matches(Ref(table=TableKind.T03, row="2080101", column="project"), cell)
    assert not ref_matches(Ref(table=TableKind.T05, row="2080101", column="basic"), cell)
    assert ref_matches(Ref(table=TableKind.T03, row="x", row_label="行政运行", column="basic"), cell)
    anyrow = Target("row", None, "2080107")
    assert ref_matches(Ref(table=TableKind.T05, row="2080107", column="total"), anyrow)
    table = Target("table", TableKind.T10)
    assert ref_matches(Ref(table=TableKind.T10), table)
    assert ref_matches(Ref(text="目录列出“十、机关运行经费支出情况表”，正文中没有"), table)
    assert not ref_matches(Ref(table=TableKind.T11), table)
    sentence = "2024年度本年收入合计1,098.59万元，其中：财政拨款收入1,074.67万元，占98.63%；"
    text = Target("text", text=sentence)
    assert ref_matches(Ref(text=sentence), text)
    assert ref_matches(Ref(text="本年收入合计1,098.59 万元"), text)  # a quoted clause, spaces from PDF
    assert not ref_matches(Ref(text="万元"), text)  # too short to point anywhere
    assert not ref_matches(Ref(text="2024年度本年支出合计1,085.50万元"), text)
    field = Target("field", TableKind.PERF_PROJECT, column="exec_rate")
    assert ref_matches(Ref(table=TableKind.PERF_PROJECT, column="exec_rate"), field)
    f = Finding(rule_id="X", severity=Severity.ERROR, message="", locations=[Ref(table=TableKind.T01), Ref(text=sentence)])
    assert finding_matches(f, [text]) and not finding_matches(f, [cell])


def test_floor_is_a_little_below_the_measurement() -> None:
    assert floor_of(1.0) == 0.95
    assert floor_of(2 / 3) == 0.6
    assert floor_of(0.0) == 0.0


# -- regional layouts ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def layouts_run() -> Run:
    cfg = CONFIGS["layouts"]
    return run(cfg["seeds"], cfg["formats"], layouts=cfg["layouts"])  # type: ignore[arg-type]


def test_every_regional_layout_is_measured_at_or_above_its_floors(layouts_run: Run) -> None:
    from bench.quality.__main__ import check_layout_floors
    from bench.quality.layouts import LAYOUTS
    from bench.quality.score import summarise_layouts

    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["layouts"]
    assert floors["seeds"] == CONFIGS["layouts"]["seeds"]
    assert set(floors["floors"]) == set(LAYOUTS) == set(layouts_run.layouts)
    per = summarise_layouts(layouts_run)
    for lay, sums in per.items():
        for fmt, s in sums.items():
            assert s.clean_docs == len(layouts_run.seeds), (lay, fmt)
            assert s.clean_errors == 0, (lay, fmt)
            # each layout has defects injected into it and found: recall is measured, not vacuous
            assert sum(ks.n for ks in s.kinds.values() if ks.has_rule) >= 40, (lay, fmt)
    breaches = check_layout_floors(layouts_run, floors)
    assert not breaches, "\n".join(breaches)


def test_a_missed_layout_defect_breaches_its_floor(layouts_run: Run) -> None:
    # the per-layout check fails when one layout loses a detection (not only the total)
    from bench.quality.__main__ import check_layout_floors

    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["layouts"]
    import copy

    worse = copy.deepcopy(layouts_run)
    hit = next(x for x in worse.results if x.layout == "sichuan" and x.fmt == "txt" and x.kind == "cell_changed" and x.detected)
    hit.detected = False
    breaches = check_layout_floors(worse, floors)
    assert any(b.startswith("sichuan txt") and "cell_changed" in b for b in breaches), breaches
