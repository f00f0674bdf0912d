"""The same batch on a Dask cluster (a LocalCluster with two workers) gives the same rows as the
local run, dataset by dataset, row for row."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.store import open_corpus, run_batch
from juesuan.store.records import SCHEMAS
from store_support import STANDIN, dataset_rows, make_inputs

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as c:
        yield c


def test_dask_run_equals_local_run_row_for_row(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inputs = tmp_path / "in"
    make_inputs(inputs, n=6, corrupt=True)
    local = run_batch([str(inputs)], tmp_path / "local", reader=STANDIN, in_process=True)
    remote = run_batch(
        [str(inputs)], tmp_path / "dask", reader=STANDIN, dask_address=cluster.scheduler_address, chunk=2
    )
    assert remote.processed == local.processed == 9
    assert sorted(remote.failed) == sorted(local.failed)
    assert remote.crossyear_findings == local.crossyear_findings > 0
    for ds in SCHEMAS:
        a, b = dataset_rows(tmp_path / "local", ds), dataset_rows(tmp_path / "dask", ds)
        assert a == b, ds
    for name in ("findings", "year_pairs"):
        q = f"SELECT * FROM {name} ORDER BY ALL"
        rows_local = open_corpus(tmp_path / "local").execute(q).fetchall()
        rows_dask = open_corpus(tmp_path / "dask").execute(q).fetchall()
        assert rows_local == rows_dask
    # and a rerun on the cluster finds everything done
    again = run_batch(
        [str(inputs)], tmp_path / "dask", reader=STANDIN, dask_address=cluster.scheduler_address
    )
    assert (again.processed, again.skipped) == (0, 9)


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.store import batch

    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT", "1s")
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(RuntimeError, match="无法连接 Dask 调度器"):
        run_batch([str(tmp_path / "a.txt")], tmp_path / "out", dask_address="tcp://127.0.0.1:9")
