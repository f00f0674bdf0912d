"""Kill a running ``juesuan batch`` for real (SIGKILL to the whole process group, workers too),
run it again, and check that nothing is lost or duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from juesuan.store import open_corpus
from juesuan.store.records import content_hash
from store_support import make_inputs

TESTS = Path(__file__).resolve().parent


def _cmd(inputs: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "juesuan",
        "batch",
        str(inputs),
        "--out",
        str(out),
        "--workers",
        "1",
        "--reader",
        "store_support:read",
    ]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    return env


def _committed(out: Path) -> int:
    return (
        sum(pq.read_metadata(f).num_rows for f in (out / "documents").glob("chunk-*.parquet"))
        if (out / "documents").is_dir()
        else 0
    )


@pytest.mark.slow
def test_killed_batch_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    files = make_inputs(tmp_path / "in", n=12, corrupt=True)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        _cmd(tmp_path / "in", out),
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while _committed(out) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, (
            "the batch ended before it could be killed: " + proc.stderr.read().decode()[-2000:]
        )
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    partial = _committed(out)
    assert 0 < partial < len(files), partial

    again = subprocess.run(
        _cmd(tmp_path / "in", out), env=_env(), capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 2, again.stderr  # 2: some inputs are corrupt (and reported)
    assert f"已在语料库中跳过 {partial} 个" in again.stderr
    assert "失败" in again.stderr and "跨文件核对" in again.stderr

    con = open_corpus(out)
    ids = Counter(r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall())
    assert set(ids) == {content_hash(f.read_bytes()) for f in files}
    assert max(ids.values()) == 1, "a document was written twice"
    failed = dict(
        con.execute(
            "SELECT regexp_extract(path, '[^/]+$'), error_code FROM documents WHERE status <> 'ok'"
        ).fetchall()
    )
    assert failed == {"truncated.json": "bad_json", "empty.txt": "empty", "binary.dat": "not_a_document"}
    # within every document, rows are complete: indices run 0..n-1 and the counts agree
    for ds, idx in (("findings", "finding_index"), ("claims", "claim_index")):
        bad = con.execute(
            f"SELECT doc_id FROM {ds} WHERE related_doc_id IS NULL GROUP BY doc_id HAVING count(*) <> max({idx}) + 1 OR count(DISTINCT {idx}) <> count(*)"
            if ds == "findings"
            else f"SELECT doc_id FROM {ds} GROUP BY doc_id HAVING count(*) <> max({idx}) + 1 OR count(DISTINCT {idx}) <> count(*)"
        ).fetchall()
        assert not bad, ds
    mismatch = con.execute(
        "SELECT d.path FROM documents d LEFT JOIN (SELECT doc_id, count(*) n FROM findings WHERE related_doc_id IS NULL GROUP BY doc_id) f "
        "USING (doc_id) WHERE d.n_error + d.n_warning + d.n_info <> coalesce(f.n, 0)"
    ).fetchall()
    assert not mismatch
    dup_facts = con.execute(
        'SELECT count(*) FROM (SELECT doc_id, table_index, side, row_key, "column", count(*) c FROM facts GROUP BY ALL HAVING c > 1)'
    ).fetchone()
    assert dup_facts == (0,)
    assert not list(out.rglob("*.tmp"))
