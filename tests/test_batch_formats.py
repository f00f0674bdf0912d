"""The whole corpus path with the real readers: the four sample PDFs, the two seeds, composed
disclosures (TXT, two years of the same departments) and corrupt files; locally and on Dask; then
the ready questions and plots on the result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES, SEEDS
from juesuan.store import open_corpus, run_batch
from juesuan.store.plot import PLOTS, plot
from juesuan.store.queries import QUESTIONS, run_question
from juesuan.store.records import SCHEMAS
from store_support import composed, dataset_rows

pytest.importorskip("juesuan.ingest.text", reason="the text reader has not landed")
pytest.importorskip("juesuan.ingest.pdf", reason="the PDF reader has not landed")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from juesuan.compose.render_txt import render_txt

    if not SAMPLES.exists() or not SEEDS.exists():
        pytest.skip("the shared samples and seeds are absent")
    d = tmp_path_factory.mktemp("corpus-in")
    for f in sorted(SAMPLES.glob("*.pdf")):
        shutil.copy(f, d / f.name)
    for f in sorted(SEEDS.glob("*.txt")):
        shutil.copy(f, d / f"seed-{f.name}")
    for i, (dept, year) in enumerate(
        [("示例市统计局", 2023), ("示例市统计局", 2024), ("示例市档案馆", 2023), ("示例市档案馆", 2024)]
    ):
        (d / f"composed-{i}.txt").write_text(render_txt(composed(200 + i, dept, year)), encoding="utf-8")
    pdf = (SAMPLES / "shanghai-putuo-social-work-2024.pdf").read_bytes()
    (d / "bad-truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (d / "bad-header-only.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (d / "bad-zip.docx").write_bytes(b"PK\x03\x04" + b"word/" + bytes(200))
    (d / "bad-empty.txt").write_bytes(b"")
    return d


@pytest.fixture(scope="module")
def local(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus-local")
    s = run_batch([str(inputs)], out, workers=2, timeout=120)
    assert s.processed == 14
    return out


def test_corpus_of_real_documents(local: Path) -> None:
    con = open_corpus(local)
    rows = dict(con.execute("SELECT regexp_extract(path, '[^/]+$'), status FROM documents").fetchall())
    assert {n for n, st in rows.items() if st != "ok"} == {
        "bad-truncated.pdf",
        "bad-header-only.pdf",
        "bad-zip.docx",
        "bad-empty.txt",
    }
    assert all(st == "ok" for n, st in rows.items() if not n.startswith("bad-"))
    depts = {r[0] for r in con.execute("SELECT department FROM documents WHERE status = 'ok'").fetchall()}
    assert {"上海市普陀区财政局", "示例市统计局", "示例市档案馆"} <= depts
    # every ok document has cells with places
    n = con.execute(
        "SELECT count(*) FROM documents d WHERE status = 'ok' AND NOT EXISTS (SELECT 1 FROM facts f WHERE f.doc_id = d.doc_id AND (f.page IS NOT NULL OR f.line IS NOT NULL))"
    ).fetchone()
    assert n == (0,)
    # the composed departments are paired across years and their carry-over disagrees
    pairs = con.execute("SELECT department, year FROM year_pairs ORDER BY ALL").fetchall()
    assert pairs == [("示例市档案馆", 2024), ("示例市统计局", 2024)]
    assert con.execute("SELECT count(*) FROM findings WHERE rule_id = 'Y-001'").fetchone() == (2,)


def test_questions_and_plots_on_real_documents(local: Path, tmp_path: Path) -> None:
    con = open_corpus(local)
    for name in QUESTIONS:
        run_question(con, name)
    _cols, rows = run_question(con, "sangong")
    assert any(r[0] == "上海市普陀区财政局" for r in rows)
    # the template (上海市XX局) is no department: not in the statistics nor the charts
    assert not any("XX" in (r[0] or "") for r in rows)
    _cols, rows = run_question(con, "findings-by-department")
    assert not any("XX" in (r[0] or "") for r in rows)
    cols, rows = run_question(con, "documents")
    assert any(r[cols.index("模板")] == "是" and "template" in r[0] for r in rows)
    for name in PLOTS:
        assert plot(con, name, tmp_path / f"{name}.png").stat().st_size > 5000


def test_same_rows_on_dask(inputs: Path, local: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        s = run_batch([str(inputs)], tmp_path, dask_address=cluster.scheduler_address, timeout=120)
    assert s.processed == 14
    for ds in SCHEMAS:
        a, b = dataset_rows(tmp_path, ds), dataset_rows(local, ds)
        assert a == b, (ds, _diff(a, b))


def _diff(a: list[tuple], b: list[tuple]) -> str:
    keys = (
        "path",
        "rule_id",
        "severity",
        "message",
        "row_key",
        "column",
        "sentence",
        "n_warning",
        "n_info",
        "status",
        "attrs",
        "bindings",
        "claim_index",
        "quantity",
        "label",
    )
    only_a = [{k: v for k, v in r if k in keys} for r in sorted(set(a) - set(b), key=repr)[:4]]
    only_b = [{k: v for k, v in r if k in keys} for r in sorted(set(b) - set(a), key=repr)[:4]]
    return f"dask only: {only_a}\nlocal only: {only_b}"
