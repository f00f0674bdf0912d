"""Atomic, resumable writing of the corpus datasets.

Layout of an output folder::

    OUT/documents/chunk-<id>.parquet   one row per input document (the commit marker)
    OUT/facts/chunk-<id>.parquet       every cell in long form
    OUT/claims/chunk-<id>.parquet      narrative claims
    OUT/findings/chunk-<id>.parquet    findings
    OUT/corpus.duckdb                  views over the four datasets

A chunk is written as temporary files renamed into place, the ``documents`` file last: a chunk
whose documents file exists is complete. After a kill, files of chunks without a documents file
are removed and their documents processed again, so nothing is lost or duplicated.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .records import SCHEMAS

DATASETS = ("documents", "facts", "claims", "findings")


def prepare_out(out: Path) -> None:
    """Create the folders and remove what an interrupted run left half-written."""
    for ds in DATASETS:
        (out / ds).mkdir(parents=True, exist_ok=True)
        for tmp in (out / ds).glob("*.tmp"):
            tmp.unlink()
    committed = {p.stem for p in (out / "documents").glob("chunk-*.parquet")}
    for ds in DATASETS[1:]:
        for p in (out / ds).glob("chunk-*.parquet"):
            if p.stem not in committed:
                p.unlink()


def done_documents(out: Path) -> dict[str, str]:
    """doc_id -> status of every document already in the corpus."""
    files = sorted((out / "documents").glob("chunk-*.parquet"))
    done: dict[str, str] = {}
    for f in files:
        t = pq.read_table(f, columns=["doc_id", "status"])
        for doc_id, status in zip(
            t.column("doc_id").to_pylist(), t.column("status").to_pylist(), strict=True
        ):
            done[doc_id] = status
    return done


def write_chunk(out: Path, rows: Mapping[str, pa.Table | list[dict[str, Any]]]) -> str:
    """Write one chunk atomically (Arrow tables or lists of row dicts); returns its id."""
    cid = f"chunk-{uuid.uuid4().hex[:16]}"
    staged: list[tuple[Path, Path]] = []
    for ds in DATASETS:
        data = rows.get(ds, [])
        table = data if isinstance(data, pa.Table) else pa.Table.from_pylist(data, schema=SCHEMAS[ds])
        if table.schema != SCHEMAS[ds]:
            table = table.select(SCHEMAS[ds].names).cast(SCHEMAS[ds])
        final = out / ds / f"{cid}.parquet"
        tmp = out / ds / f"{cid}.parquet.tmp"
        pq.write_table(table, tmp, compression="zstd")
        staged.append((tmp, final))
    # documents last: its presence commits the chunk
    for tmp, final in staged[1:] + staged[:1]:
        os.replace(tmp, final)
    return cid


def forget_failed(out: Path) -> int:
    """Drop the rows of documents that failed (error/timeout) so a rerun processes them again.

    A failed document has rows only in ``documents``; each chunk file holding some is rewritten
    (temporary file, then rename). Killed half-way, a rerun simply finds fewer failed rows."""
    n = 0
    for f in sorted((out / "documents").glob("chunk-*.parquet")):
        t = pq.read_table(f)
        ok = pc.equal(t.column("status"), "ok")
        kept = t.filter(ok)
        if kept.num_rows == t.num_rows:
            continue
        n += t.num_rows - kept.num_rows
        tmp = f.with_suffix(".parquet.tmp")
        pq.write_table(kept, tmp, compression="zstd")
        os.replace(tmp, f)
    return n


def ensure_nonempty(out: Path) -> None:
    """Give every dataset at least one (possibly empty) file so views can be created."""
    for ds in DATASETS:
        if not any((out / ds).glob("*.parquet")):
            pq.write_table(pa.Table.from_pylist([], schema=SCHEMAS[ds]), out / ds / "empty.parquet")
