"""``juesuan batch``: many documents -> the corpus, on one machine or on a Dask cluster.

The parent process plans (hashes every input, skips what the corpus already holds), hands out
chunks of files, and is the only writer: each finished chunk is written atomically
(:mod:`.writer`), so a killed batch loses at most the chunks in flight and a rerun picks up
there. Workers are reused for the whole batch (a process pool whose workers import the readers
and the rule catalogue once, or the workers of a Dask cluster) and send back Arrow tables.

A worker that dies (a reader crashing in native code, or killed by the watchdog when native code
ignores the time limit) breaks the pool; the documents of the chunks then in flight are run
again one at a time in a fresh single-worker pool, so the culprit is found and recorded as
failed while every other document is processed normally.
"""

from __future__ import annotations

import glob
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from .records import content_hash, crashed_row, process_chunk, resolve_reader, to_tables, warm_up
from .writer import done_documents, forget_failed, prepare_out, write_chunk

Progress = Callable[[int, int], None]
Chunk = list[str]
Result = dict[str, pa.Table]

HARD_GRACE = 10.0  # seconds past the time limit before the watchdog ends a stuck worker
DASK_CONNECT_TIMEOUT = "20s"


@dataclass
class BatchSummary:
    out: Path
    inputs: int = 0
    skipped: int = 0  # already in the corpus (same content)
    duplicates: int = 0  # same content given twice in this run
    retried: int = 0  # failed documents of earlier runs processed again (retry_failed)
    processed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, error)
    chunks: int = 0
    crossyear_pairs: int = 0
    crossyear_findings: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # Chinese, for the user
    # the corpus's verdict on every input of this run, processed now or skipped as done before
    # (what a linter run over the same files reports): findings by severity, the inputs with an
    # error-level finding, and the inputs that failed in an earlier run and were skipped now
    severity: dict[str, int] = field(default_factory=dict)
    docs_with_errors: int = 0
    failed_before: list[tuple[str, str]] = field(default_factory=list)  # (path, error)
    doc_ids: dict[str, str] = field(default_factory=dict, repr=False)  # id -> path, every input

    @property
    def exit_code(self) -> int:
        """Linter convention: 2 when an input could not be read, 1 for error-level findings."""
        if self.failed or self.failed_before:
            return 2
        return 1 if self.severity.get("error") else 0

    @property
    def ok(self) -> int:
        return self.processed - len(self.failed)


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files, folders (recursively) and globs -> unique file paths, in the order given."""
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(
                str(f)
                for f in sorted(p.rglob("*"))
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
        elif p.exists():
            out.append(str(p))
        else:
            matches = sorted(glob.glob(item, recursive=True))
            out.extend(m for m in matches if Path(m).is_file())
            if not matches:
                out.append(item)  # recorded as 文件不存在 by the worker
    seen: set[str] = set()
    uniq = []
    for f in out:
        if f not in seen:
            seen.add(f)
            uniq.append(f)
    return uniq


def _hash_file(path: str) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _plan(files: list[str], done: dict[str, str], summary: BatchSummary) -> list[str]:
    """The files to process: each content once, none the corpus (``done``) already holds."""
    todo: list[str] = []
    seen: set[str] = set()
    for f in files:
        try:
            h = _hash_file(f)
        except OSError:
            h = content_hash(f.encode("utf-8"))  # the id process_file gives an unreadable path
            summary.doc_ids.setdefault(h, f)
            if h in done or h in seen:
                summary.skipped += h in done
                continue
            seen.add(h)
            todo.append(f)
            continue
        summary.doc_ids.setdefault(h, f)
        if h in done:
            summary.skipped += 1
        elif h in seen:
            summary.duplicates += 1
        else:
            seen.add(h)
            todo.append(f)
    return todo


def chunk_size(n: int, workers: int) -> int:
    """Small enough to keep every worker busy to the end and lose little on a kill, large
    enough that per-chunk costs (a task, four small Parquet files) stay negligible."""
    return max(1, min(25, math.ceil(n / (workers * 4))))


def _chunks(items: list[str], workers: int, size: int | None = None) -> list[Chunk]:
    """The documents cut into tasks: ``size`` each when given; else guided, each chunk sized for
    the documents still left (``chunk_size`` of the remainder), so chunks shrink to single
    documents towards the end and no worker waits long for the last full chunk of another (with
    fixed 25-document chunks of PDFs, ~6 s each, the tail cost a 2-worker batch of 500 PDFs ~4 %)."""
    if not items:
        return []
    if size:
        return [items[i : i + size] for i in range(0, len(items), size)]
    out: list[Chunk] = []
    i = 0
    while i < len(items):
        k = chunk_size(len(items) - i, workers)
        out.append(items[i : i + k])
        i += k
    return out


def run_batch(
    inputs: Iterable[str],
    out: Path | str,
    *,
    workers: int | None = None,
    dask_address: str | None = None,
    timeout: float | None = 120.0,
    progress: Progress | None = None,
    reader: str | None = None,
    retry_failed: bool = False,
    in_process: bool = False,
    chunk: int | None = None,
    crossyear: bool = True,
) -> BatchSummary:
    """Process every input into ``out``; resumable; a failing document is recorded, not fatal.

    ``workers``: worker processes (default: CPU count); ``dask_address``: run on that Dask
    scheduler instead; ``timeout``: per-document limit in seconds (None: no limit); ``reader``:
    ``"module:function"`` reading a path into a Disclosure (default :func:`juesuan.ingest.read`);
    ``retry_failed``: process documents that failed in an earlier run again; ``in_process``: no
    worker processes (debugging, tests); ``chunk``: documents per chunk (default: automatic).
    Raises ``RuntimeError`` (Chinese message) for a bad reader or an unreachable cluster."""
    t0 = time.perf_counter()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise RuntimeError(f"{out}：已存在同名文件，不是文件夹")
    out.mkdir(parents=True, exist_ok=True)
    try:
        resolve_reader(reader)
    except (ImportError, AttributeError, ValueError) as exc:
        raise RuntimeError(f"无法加载读取器“{reader}”：{exc}") from exc
    with _exclusive(out):
        summary = _run_locked(
            inputs,
            out,
            workers,
            dask_address,
            timeout,
            progress,
            reader,
            retry_failed,
            in_process,
            chunk,
            crossyear,
        )
    summary.seconds = time.perf_counter() - t0
    return summary


def _run_locked(
    inputs: Iterable[str],
    out: Path,
    workers: int | None,
    dask_address: str | None,
    timeout: float | None,
    progress: Progress | None,
    reader: str | None,
    retry_failed: bool,
    in_process: bool,
    chunk: int | None,
    crossyear: bool,
) -> BatchSummary:
    prepare_out(out)
    files = expand_inputs(inputs)
    summary = BatchSummary(out=out, inputs=len(files))
    if retry_failed:
        summary.retried = forget_failed(out)
    done_before = done_documents(out)
    if not in_process and not dask_address and len(files) > len(done_before):
        _start_fork_server()  # it loads the pipeline while the files are hashed below
    todo = _plan(files, done_before, summary)
    total = len(todo)
    if progress:
        progress(0, total)
    n_workers = max(1, workers or os.cpu_count() or 1)
    chunks = _chunks(todo, n_workers, chunk)
    results: Iterator[Result]
    if not chunks:
        results = iter(())
    elif dask_address:
        results = _run_dask(chunks, dask_address, timeout, reader)
    elif in_process:
        results = (process_chunk(c, timeout, reader) for c in chunks)
    else:
        results = _run_pool(chunks, n_workers, timeout, reader)
    done = 0
    for tables in results:
        write_chunk(out, tables)
        summary.chunks += 1
        docs = tables["documents"]
        for path, status, error in zip(
            docs.column("path").to_pylist(),
            docs.column("status").to_pylist(),
            docs.column("error").to_pylist(),
            strict=True,
        ):
            summary.processed += 1
            if status != "ok":
                summary.failed.append((path, error or status))
        done += docs.num_rows
        if progress:
            progress(done, total)
    if crossyear:
        from .crossyear import refresh_crossyear

        summary.crossyear_pairs, summary.crossyear_findings = refresh_crossyear(out)
    import duckdb  # here, not at import: the pool's workers import this module

    from .db import refresh_views

    try:
        refresh_views(out)
    except duckdb.Error as exc:  # another program holds corpus.duckdb; queries rebuild the views
        summary.warnings.append(f"未能更新 {out / 'corpus.duckdb'}（{exc}）；数据已写入，查询时会重建视图")
    _tally(out, summary)
    return summary


def _tally(out: Path, summary: BatchSummary) -> None:
    """Fill the summary's verdict from the corpus, for this run's inputs only."""
    import duckdb

    if not summary.doc_ids:
        return
    ids = pa.table({"doc_id": list(summary.doc_ids)})
    now_failed = {p for p, _ in summary.failed}
    con = duckdb.connect()
    try:
        con.register("inputs", ids)
        root = out.resolve()

        def scan(ds: str) -> str:
            glob = (root / ds / "*.parquet").as_posix().replace("'", "''")
            return f"read_parquet('{glob}', union_by_name = true)"

        sources = [scan("findings")] if any((root / "findings").glob("*.parquet")) else []
        if (root / "crossyear" / "findings.parquet").exists():
            sources.append(scan("crossyear").replace("*.parquet", "findings.parquet"))
        if sources:
            union = " UNION ALL ".join(f"SELECT doc_id, severity FROM {s}" for s in sources)
            rows = con.execute(
                f"SELECT severity, count(*), count(DISTINCT doc_id) FROM ({union}) f "
                "JOIN inputs USING (doc_id) GROUP BY severity"
            ).fetchall()
            for severity, n, docs in rows:
                summary.severity[str(severity)] = int(n)
                if severity == "error":
                    summary.docs_with_errors = int(docs)
        if any((root / "documents").glob("*.parquet")):
            failed = con.execute(
                f"SELECT doc_id, any_value(coalesce(error, status)) FROM {scan('documents')} d "
                "JOIN inputs USING (doc_id) WHERE status <> 'ok' GROUP BY doc_id"
            ).fetchall()
            for doc_id, error in failed:
                path = summary.doc_ids[doc_id]
                if path not in now_failed:
                    summary.failed_before.append((path, str(error)))
    except duckdb.Error as exc:
        summary.warnings.append(f"未能统计本次输入的核对结论（{exc}）")
    finally:
        con.close()


@contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """One batch at a time per output folder (a second one would remove the first one's chunks
    in flight as half-written)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    with open(out / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise RuntimeError(f"{out}：另一个 juesuan batch 正在写入此文件夹，请等它结束") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --- local process pool ---------------------------------------------------------------------------


# A worker whose batch is gone (killed, crashed) ends itself within this many seconds: its queue
# keeps it waiting forever otherwise, as the fork server it was started from outlives the batch.
PARENT_POLL = 1.0
PARENT_GONE_EXIT = 71


def _worker_init(reader: str | None, timeout: float | None, grace: float, parent: int | None = None) -> None:
    if parent:
        watch_parent(parent)
    warm_up(reader)
    if timeout:
        from .timeout import enable_hard_deadline

        enable_hard_deadline(grace)


def watch_parent(parent: int, poll: float = PARENT_POLL) -> threading.Thread:
    """Start a daemon thread that ends this process (``os._exit``) once ``parent`` is gone."""

    def watch() -> None:
        while True:
            time.sleep(poll)
            if not process_alive(parent):
                os._exit(PARENT_GONE_EXIT)

    t = threading.Thread(target=watch, name="juesuan-parent-watch", daemon=True)
    t.start()
    return t


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead and not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc: the signal test is all there is
    return state not in ("Z", "X")


def _context() -> Any:
    import multiprocessing

    if os.name == "nt":  # pragma: no cover - not our platform
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # the fork server imports these once; every worker is forked from it with them loaded
    ctx.set_forkserver_preload(["juesuan.store.preload"])
    return ctx


def _start_fork_server() -> None:
    """Start the fork server now (it imports and warms the pipeline in its own process, about a
    second) rather than at the first task; a no-op when it runs already or on Windows."""
    if os.name == "nt":  # pragma: no cover - not our platform
        return
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def _new_pool(workers: int, timeout: float | None, reader: str | None) -> ProcessPoolExecutor:
    ctx = _context()
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(reader, timeout, HARD_GRACE, os.getpid())
    )


def _run_pool(
    chunks: list[Chunk], workers: int, timeout: float | None, reader: str | None
) -> Iterator[Result]:
    queue: deque[Chunk] = deque(chunks)
    suspects: list[str] = []
    pool = _new_pool(workers, timeout, reader)
    try:
        pending: dict[Future[Result], Chunk] = {}
        while queue or pending:
            while queue and len(pending) < workers * 2:
                c = queue.popleft()
                pending[pool.submit(process_chunk, c, timeout, reader)] = c
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in finished:
                c = pending.pop(fut)
                try:
                    res = fut.result()
                except BrokenProcessPool:
                    suspects.extend(c)
                    broken = True
                    continue
                except Exception:  # e.g. a result that could not be sent back: find the document
                    suspects.extend(c)
                    continue
                yield res
            if broken:
                # every chunk still in flight died with the pool: its documents become suspects
                for fut, c in pending.items():
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        yield fut.result()
                    else:
                        suspects.extend(c)
                pending = {}
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _new_pool(workers, timeout, reader)
            if suspects and (broken or not pending):
                yield from _run_isolated(suspects, timeout, reader)
                suspects = []
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _run_isolated(paths: list[str], timeout: float | None, reader: str | None) -> Iterator[Result]:
    """One document at a time in a single-worker pool: a death now names its document."""
    pool = _new_pool(1, timeout, reader)
    try:
        for p in paths:
            t0 = time.perf_counter()
            fut = pool.submit(process_chunk, [p], timeout, reader)
            try:
                res = fut.result()
            except Exception as exc:
                yield to_tables({"documents": [crashed_row(p, time.perf_counter() - t0, timeout)]})
                if isinstance(exc, BrokenProcessPool):
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _new_pool(1, timeout, reader)
                continue
            yield res
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


# --- Dask distributed -------------------------------------------------------------------------------


def _run_dask(
    chunks: list[Chunk], address: Any, timeout: float | None, reader: str | None
) -> Iterator[Result]:
    """The same chunks as tasks on a Dask cluster; results come back as Arrow tables."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("使用 --dask 需要安装 Dask 分布式组件：pip install 'juesuan[cluster]'") from exc
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except Exception as exc:  # refused, timed out, or not an address at all
        raise RuntimeError(f"无法连接 Dask 调度器 {address}：{exc}") from exc
    try:
        client.run(warm_up, reader)
        owner: dict[Any, Chunk] = {}
        futures = []
        for c in chunks:
            fut = client.submit(process_chunk, c, timeout, reader, pure=False)
            owner[fut.key] = c
            futures.append(fut)
        ac = as_completed(futures)
        for fut in ac:
            c = owner.pop(fut.key)
            try:
                res = fut.result()
            except Exception:  # a worker died on this chunk (KilledWorker …): isolate its documents
                if len(c) > 1:
                    for p in c:
                        nf = client.submit(process_chunk, [p], timeout, reader, pure=False)
                        owner[nf.key] = [p]
                        ac.add(nf)
                else:
                    yield to_tables({"documents": [crashed_row(c[0], 0.0, timeout)]})
                continue
            finally:
                fut.release()
            yield res
    finally:
        client.close()
