"""``juesuan batch``: many documents -> the corpus, on one machine or on a Dask cluster."""

from __future__ import annotations

import glob
import math
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .db import refresh_views
from .records import content_hash, process_chunk
from .writer import done_documents, prepare_out, write_chunk

Progress = Callable[[int, int], None]


@dataclass
class BatchSummary:
    out: Path
    inputs: int = 0
    skipped: int = 0  # already in the corpus (same content)
    duplicates: int = 0  # same content given twice in this run
    processed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, error)
    chunks: int = 0

    @property
    def ok(self) -> int:
        return self.processed - len(self.failed)


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files, folders (recursively) and globs -> sorted unique file paths."""
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.rglob("*")) if f.is_file() and not f.name.startswith("."))
        elif p.exists():
            out.append(str(p))
        else:
            matches = sorted(glob.glob(item, recursive=True))
            out.extend(m for m in matches if Path(m).is_file())
            if not matches:
                out.append(item)  # reported as unreadable by the worker
    seen: set[str] = set()
    uniq = []
    for f in out:
        if f not in seen:
            seen.add(f)
            uniq.append(f)
    return uniq


def _plan(files: list[str], out: Path, summary: BatchSummary) -> list[str]:
    done = done_documents(out)
    todo: list[str] = []
    seen: set[str] = set()
    for f in files:
        try:
            with open(f, "rb") as fh:
                h = content_hash(fh.read())
        except OSError:
            todo.append(f)  # the worker records the error
            continue
        if h in done:
            summary.skipped += 1
        elif h in seen:
            summary.duplicates += 1
        else:
            seen.add(h)
            todo.append(f)
    return todo


def _chunks(items: list[str], workers: int) -> list[list[str]]:
    if not items:
        return []
    size = max(1, min(25, math.ceil(len(items) / (workers * 4))))
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_batch(
    inputs: Iterable[str],
    out: Path | str,
    *,
    workers: int | None = None,
    dask_address: str | None = None,
    timeout: float | None = 120.0,
    progress: Progress | None = None,
) -> BatchSummary:
    """Process every input into ``out``; resumable; a failing document is recorded, not fatal."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    prepare_out(out)
    files = expand_inputs(inputs)
    summary = BatchSummary(out=out, inputs=len(files))
    todo = _plan(files, out, summary)
    total = len(todo)
    if progress:
        progress(0, total)
    n_workers = workers or os.cpu_count() or 1
    chunks = _chunks(todo, n_workers)
    results: Iterator[dict[str, list[dict[str, Any]]]]
    if dask_address:
        results = _run_dask(chunks, dask_address, timeout)
    elif n_workers <= 1:
        results = (process_chunk(c, timeout) for c in chunks)
    else:
        results = _run_pool(chunks, n_workers, timeout)
    done = 0
    for rows in results:
        write_chunk(out, rows)
        summary.chunks += 1
        for d in rows["documents"]:
            summary.processed += 1
            if d["status"] != "ok":
                summary.failed.append((d["path"], d["error"] or d["status"]))
        done += len(rows["documents"])
        if progress:
            progress(done, total)
    refresh_views(out)
    return summary


def _run_pool(chunks: list[list[str]], workers: int, timeout: float | None) -> Iterator[dict[str, list[dict[str, Any]]]]:
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver" if os.name != "nt" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: set[Future[dict[str, list[dict[str, Any]]]]] = set()
        it = iter(chunks)
        for c in it:
            pending.add(pool.submit(process_chunk, c, timeout))
            if len(pending) >= workers * 2:
                break
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                yield fut.result()
            for c in it:
                pending.add(pool.submit(process_chunk, c, timeout))
                if len(pending) >= workers * 2:
                    break


def _run_dask(chunks: list[list[str]], address: str, timeout: float | None) -> Iterator[dict[str, list[dict[str, Any]]]]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("使用 --dask 需要安装 dask 分布式组件：pip install 'juesuan[cluster]'") from exc
    with Client(address) as client:
        futures = [client.submit(process_chunk, c, timeout, pure=False) for c in chunks]
        for fut in as_completed(futures):
            yield fut.result()
            fut.release()
