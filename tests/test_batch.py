"""``juesuan batch``: datasets, failures recorded, reruns, crash and hang isolation, retries.

The reading step is the model-JSON stand-in of ``store_support`` (composed disclosures), so these
tests exercise the batch machinery whatever the format readers can do; the real readers are
exercised on TXT and PDF in ``test_batch_formats.py``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from juesuan.rules import DocPair
from juesuan.store import batch as batch_mod
from juesuan.store import open_corpus, run_batch
from juesuan.store.records import SCHEMAS, fact_rows
from store_support import STANDIN, composed, dataset_rows, make_inputs, write_json


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    make_inputs(folder, n=6)
    return folder


@pytest.fixture(scope="module")
def corpus(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    s = run_batch([str(inputs), str(inputs / "missing.json")], out, reader=STANDIN, in_process=True)
    assert s.inputs == 10 and s.processed == 10
    return out


def test_every_document_has_one_row_and_failures_are_recorded(corpus: Path) -> None:
    con = open_corpus(corpus)
    rows = con.execute("SELECT path, status, error_code, error FROM documents ORDER BY path").fetchall()
    by_name = {Path(p).name: (st, code, err) for p, st, code, err in rows}
    assert len(rows) == 10
    assert {n for n, v in by_name.items() if v[0] == "ok"} == {f"doc{i:03d}.json" for i in range(6)}
    assert by_name["empty.txt"][1] == "empty"
    assert by_name["binary.dat"][1] == "not_a_document"
    assert by_name["truncated.json"][1] == "bad_json"
    assert by_name["missing.json"][1] == "not_found" and "文件不存在" in by_name["missing.json"][2]  # as check says it
    for name, (st, _code, err) in by_name.items():
        if st != "ok":
            assert name in err, "the error names the file"


def test_facts_are_every_cell_in_long_form(corpus: Path, inputs: Path) -> None:
    from juesuan.store.records import content_hash

    data = (inputs / "doc000.json").read_bytes()
    doc = composed(seed=100, department="示例市社会保险事业管理局", year=2023)
    expected = fact_rows(content_hash(data), doc)
    con = open_corpus(corpus)
    n = con.execute("SELECT count(*) FROM facts WHERE doc_id = ?", [content_hash(data)]).fetchone()
    assert n == (len(expected),)
    row = con.execute(
        "SELECT table_kind, side, row_label, value, line FROM facts WHERE doc_id = ? AND row_key = 'inc_total_year' AND table_kind = 'T01'",
        [content_hash(data)],
    ).fetchone()
    assert row[0] == "T01" and row[1] == "income" and row[2] == "本年收入合计" and row[3] > 0


def test_schemas_and_views(corpus: Path) -> None:
    for ds, schema in SCHEMAS.items():
        for f in (corpus / ds).glob("*.parquet"):
            assert pq.read_schema(f).names == schema.names
    con = open_corpus(corpus)
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"documents", "facts", "claims", "findings", "year_pairs"} <= views
    assert con.execute("SELECT count(*) FROM year_pairs").fetchone() == (3,)
    assert con.execute("SELECT count(*) FROM claims").fetchone()[0] > 0


def test_cross_year_findings_join_the_findings(corpus: Path) -> None:
    con = open_corpus(corpus)
    rows = con.execute(
        "SELECT f.rule_id, d.year, p.year FROM findings f JOIN documents d USING (doc_id) "
        "JOIN documents p ON p.doc_id = f.related_doc_id"
    ).fetchall()
    assert rows, "independently drawn years disagree on the carry-over"
    assert {r[0] for r in rows} >= {"Y-001"}
    assert all(cur == prev + 1 for _r, cur, prev in rows)


def test_rerun_skips_everything_and_adds_nothing(corpus: Path, inputs: Path) -> None:
    before = {ds: dataset_rows(corpus, ds) for ds in SCHEMAS}
    s = run_batch([str(inputs), str(inputs / "missing.json")], corpus, reader=STANDIN, in_process=True)
    assert s.processed == 0 and s.skipped == 10
    # the verdict is the corpus's, for this run's inputs, whether processed now or before
    con = open_corpus(corpus)
    try:
        want = dict(con.execute("SELECT severity, count(*) FROM findings GROUP BY severity").fetchall())
        bad = con.execute("SELECT count(*) FROM documents WHERE status <> 'ok'").fetchone()
    finally:
        con.close()
    assert s.severity == want and sum(s.severity.values()) > 0
    # binary.dat, no document at all, is skipped rather than failed
    assert [Path(p).name for p, _ in s.not_disclosures] == ["binary.dat"]
    assert bad is not None and len(s.failed_before) == bad[0] - 1 > 0 and not s.failed
    assert s.exit_code == 2
    for ds in SCHEMAS:
        assert dataset_rows(corpus, ds) == before[ds]


def test_same_content_twice_is_one_document(tmp_path: Path) -> None:
    a = write_json(composed(1, "甲局", 2024), tmp_path / "in" / "a.json")
    b = tmp_path / "in" / "copy-of-a.json"
    b.write_bytes(a.read_bytes())
    s = run_batch([str(tmp_path / "in" / "*.json")], tmp_path / "out", reader=STANDIN, in_process=True)
    assert (s.processed, s.duplicates) == (1, 1)


def test_process_pool_gives_the_same_rows(corpus: Path, inputs: Path, tmp_path: Path) -> None:
    s = run_batch([str(inputs), str(inputs / "missing.json")], tmp_path, reader=STANDIN, workers=2, chunk=2)
    assert s.chunks == 5
    for ds in SCHEMAS:
        assert dataset_rows(tmp_path, ds) == dataset_rows(corpus, ds), ds


@pytest.mark.slow
def test_a_crashing_document_does_not_take_others_with_it(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in", n=4, corrupt=False)
    (tmp_path / "in" / "crash.txt").write_bytes(b"#CRASH this reader dies")
    s = run_batch([str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, workers=2, chunk=5)
    con = open_corpus(tmp_path / "out")
    status = dict(con.execute("SELECT regexp_extract(path, '[^/]+$'), error_code FROM documents").fetchall())
    assert status == {
        "doc000.json": None,
        "doc001.json": None,
        "doc002.json": None,
        "doc003.json": None,
        "crash.txt": "crashed",
    }
    assert [Path(p).name for p, _ in s.failed] == ["crash.txt"]


@pytest.mark.slow
def test_time_limit_in_python_and_in_native_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_mod, "HARD_GRACE", 1.0)
    make_inputs(tmp_path / "in", n=2, corrupt=False)
    (tmp_path / "in" / "hang-py.txt").write_bytes(b"#HANG-PY loops in Python")
    (tmp_path / "in" / "hang-c.txt").write_bytes(b"#HANG-C blocks in native code")
    s = run_batch([str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, workers=2, chunk=2, timeout=1.0)
    con = open_corpus(tmp_path / "out")
    status = dict(con.execute("SELECT regexp_extract(path, '[^/]+$'), status FROM documents").fetchall())
    assert status == {
        "doc000.json": "ok",
        "doc001.json": "ok",
        "hang-py.txt": "timeout",
        "hang-c.txt": "timeout",
    }
    assert all("时限" in msg for _p, msg in s.failed)


def test_retry_failed_processes_failed_documents_again(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in", n=2, corrupt=False)
    late = tmp_path / "in" / "late.json"
    late.write_text("{broken", encoding="utf-8")
    run_batch([str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, in_process=True)
    s = run_batch(
        [str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, in_process=True, retry_failed=True
    )
    assert (s.retried, s.processed, s.skipped) == (1, 1, 2)
    statuses = Counter(
        r[0] for r in open_corpus(tmp_path / "out").execute("SELECT status FROM documents").fetchall()
    )
    assert statuses == {"ok": 2, "error": 1}


def test_half_written_chunk_is_discarded(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in", n=2, corrupt=False)
    run_batch([str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, in_process=True)
    # a chunk whose facts were renamed into place but whose documents file never was
    orphan = tmp_path / "out" / "facts" / "chunk-deadbeefdeadbeef.parquet"
    orphan.write_bytes((next((tmp_path / "out" / "facts").glob("chunk-*.parquet"))).read_bytes())
    (tmp_path / "out" / "claims" / "chunk-0123.parquet.tmp").write_bytes(b"partial")
    s = run_batch([str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, in_process=True)
    assert s.processed == 0 and not orphan.exists()
    assert not list((tmp_path / "out").rglob("*.tmp"))


def test_bad_reader_and_bad_output_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="无法加载读取器"):
        run_batch([], tmp_path / "o", reader="no_such_module:read")
    (tmp_path / "file").write_text("x")
    with pytest.raises(RuntimeError, match="不是文件夹"):
        run_batch([], tmp_path / "file")


def test_expand_inputs_files_folders_globs(tmp_path: Path) -> None:
    from juesuan.store.batch import expand_inputs

    (tmp_path / "a" / "b").mkdir(parents=True)
    for p in ("a/1.pdf", "a/b/2.txt", "a/.hidden", "3.pdf"):
        (tmp_path / p).write_text("x")
    got = expand_inputs(
        [str(tmp_path / "a"), str(tmp_path / "*.pdf"), str(tmp_path / "3.pdf"), str(tmp_path / "nope.pdf")]
    )
    assert [Path(g).name for g in got] == ["1.pdf", "2.txt", "3.pdf", "nope.pdf"]


def test_one_batch_at_a_time_per_folder(tmp_path: Path) -> None:
    import fcntl

    (tmp_path / "out").mkdir()
    with open(tmp_path / "out" / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(RuntimeError, match="另一个 juesuan batch 正在写入"):
            run_batch([], tmp_path / "out", in_process=True)
    assert run_batch([], tmp_path / "out", in_process=True).processed == 0


def test_corpus_open_elsewhere_does_not_fail_the_batch(corpus: Path, inputs: Path) -> None:
    import subprocess
    import sys

    # another program holds corpus.duckdb open for writing
    code = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(corpus / "corpus.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        s = run_batch([str(inputs)], corpus, reader=STANDIN, in_process=True)
    finally:
        holder.kill()
        holder.wait()
    assert s.skipped == 9
    assert s.warnings and "查询时会重建视图" in s.warnings[0]
    assert open_corpus(corpus).execute("SELECT count(*) FROM documents").fetchone() == (10,)


def test_default_chunks_shrink_towards_the_end_and_keep_every_document_once() -> None:
    from juesuan.store.batch import _chunks, chunk_size

    items = [f"f{i}" for i in range(500)]
    chunks = _chunks(items, 2)
    assert [x for c in chunks for x in c] == items
    sizes = [len(c) for c in chunks]
    assert sizes[0] == chunk_size(500, 2) == 25
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] == 1
    assert len(chunks) < 60  # still few tasks
    assert [len(c) for c in _chunks(items[:7], 2, size=3)] == [3, 3, 1]  # an explicit size is kept
    assert _chunks([], 2) == []


def test_cross_year_pass_checks_only_new_pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding documents to a corpus checks the pairs they make, keeps the findings of the pairs
    checked before, and ends with the rows a single pass over everything gives; changed rules
    (another fingerprint) or a lost findings file mean a full pass."""
    import pyarrow as pa

    from juesuan.store import crossyear

    inputs = [str(p) for p in make_inputs(tmp_path / "in", n=6, corrupt=False)]  # 3 departments x 2 years
    checked: list[str] = []
    real = crossyear.run_pair_rules

    def counting(pair: DocPair, **kw: object) -> list:
        checked.append(pair.doc.doc_id)
        return real(pair)

    monkeypatch.setattr(crossyear, "run_pair_rules", counting)

    def findings(out: Path) -> pa.Table:
        return pq.read_table(out / "crossyear" / "findings.parquet").replace_schema_metadata(None)

    grown = tmp_path / "grown"
    first = run_batch(inputs[:4], grown, reader=STANDIN, in_process=True)  # one department has both years
    assert first.crossyear_pairs == 1 and len(checked) == 1
    checked.clear()
    second = run_batch(inputs, grown, reader=STANDIN, in_process=True)
    assert second.crossyear_pairs == 3 and len(checked) == 2  # the two new pairs only
    checked.clear()
    at_once = tmp_path / "at-once"
    run_batch(inputs, at_once, reader=STANDIN, in_process=True)
    assert len(checked) == 3
    assert findings(grown).num_rows > 0 and findings(grown).equals(findings(at_once))

    checked.clear()
    monkeypatch.setattr(crossyear, "_fingerprint", lambda: b"other rules")
    crossyear.refresh_crossyear(grown)
    assert len(checked) == 3 and findings(grown).equals(findings(at_once))
    checked.clear()
    (grown / "crossyear" / "findings.parquet").unlink()  # killed between the two files
    crossyear.refresh_crossyear(grown)
    assert len(checked) == 3 and findings(grown).equals(findings(at_once))


def test_a_file_that_is_no_disclosure_inside_a_folder_is_skipped_not_failed(tmp_path: Path) -> None:
    """A README or a picture met in a folder is listed as skipped and leaves the exit code alone,
    now and on a rerun; named on the command line it is still an input error."""
    make_inputs(tmp_path / "in", n=2, corrupt=False)
    (tmp_path / "in" / "picture.dat").write_bytes(b"\x00\x01\x02 not a document")
    s = run_batch([str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, in_process=True)
    assert [Path(p).name for p, _ in s.not_disclosures] == ["picture.dat"]
    assert not s.failed and s.exit_code != 2
    again = run_batch([str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, in_process=True)
    assert [Path(p).name for p, _ in again.not_disclosures] == ["picture.dat"]
    assert not again.failed_before and again.exit_code != 2
    named = run_batch([str(tmp_path / "in" / "picture.dat")], tmp_path / "out2", reader=STANDIN, in_process=True)
    assert [Path(p).name for p, _ in named.failed] == ["picture.dat"] and named.exit_code == 2


def test_a_bug_on_one_file_is_logged_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_LOG_DIR", str(tmp_path / "logs"))
    make_inputs(tmp_path / "in", n=2, corrupt=False)
    (tmp_path / "in" / "bug.txt").write_bytes(b"#RAISE a reader bug")
    s = run_batch([str(tmp_path / "in")], tmp_path / "out", reader=STANDIN, in_process=True)
    assert s.processed == 3 and [Path(p).name for p, _ in s.failed] == ["bug.txt"]
    msg = s.failed[0][1]
    (log,) = (tmp_path / "logs").iterdir()
    assert "bug.txt：内部错误（ZeroDivisionError）" in msg and str(log) in msg and "Traceback" not in msg
    assert "ZeroDivisionError: a bug in the reader" in log.read_text(encoding="utf-8")
