"""Background processing: a few threads, each running one document at a time in a child process
(forkserver, modules preloaded) that it kills when the per-document time limit passes. A crash or
a hang of a reader never takes the server down; every outcome becomes a job state in the store.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .. import __version__, rules
from ..ingest import InputError, read, sniff_format
from ..model import Disclosure
from ..report.extract import long_rows
from ..rules import check_disclosure, parts_held
from ..runtime.crashlog import write_crash_log
from ..runtime.orphan import die_with
from .store import Store

Processor = Callable[[str, str, int, Callable[[str, int], None]], dict[str, Any]]
# the parts of one disclosure: (stored path, display name) each, the group's name, max pages
GroupProcessor = Callable[[list[tuple[str, str]], str, int, Callable[[str, int], None]], dict[str, Any]]

STAGES_ZH = {
    "queued": "排队中",
    "starting": "准备中",
    "reading": "读取中",
    "checking": "核对中",
    "saving": "保存中",
    "done": "完成",
    "failed": "失败",
}


@functools.cache
def rules_version() -> str:
    """The package version and a digest of the rules' sources: a result records what judged it,
    so a reviewer sees which documents were checked before the rules changed."""
    root = Path(rules.__file__).parent
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".yaml") and p.is_file():
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"


class ProcessError(Exception):
    """A document-level failure with a Chinese message for the user."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def process_file(path: str, filename: str, max_pages: int, stage: Callable[[str, int], None]) -> dict[str, Any]:
    """Read and check one stored upload. Runs in the child process."""
    with open(path, "rb") as fh:
        data = fh.read()
    fmt = sniff_format(data)
    page_sizes: list[list[float]] | None = None
    if fmt == "pdf":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(data)
        except Exception as exc:
            raise ProcessError(f"{filename}：PDF 文件已损坏或加密，无法打开", "bad_pdf") from exc
        n = len(pdf)
        if n > max_pages:
            raise ProcessError(f"{filename}：共 {n} 页，超过上限 {max_pages} 页", "too_many_pages")
        page_sizes = [[round(float(v), 2) for v in pdf[i].get_size()] for i in range(n)]
        pdf.close()
    stage("reading", 20)
    try:
        doc = read(path)
    except InputError as exc:
        raise ProcessError(exc.message.replace(path, filename), exc.code) from None
    doc.metadata.source_path = filename
    if page_sizes is not None and doc.metadata.pages is None:
        doc.metadata.pages = len(page_sizes)
    stage("checking", 60)
    checked = check_disclosure(doc)
    stage("saving", 90)
    return {
        "metadata": doc.metadata.model_dump(mode="json"),
        "findings": [f.model_dump(mode="json") for f in checked.findings],
        "unchecked": [u.model_dump(mode="json") for u in checked.unchecked],
        "part": part_role(doc),
        "disclosure": doc.model_dump_json(),
        "cells": long_rows(doc),
        "pages": len(page_sizes) if page_sizes is not None else doc.metadata.pages,
        "page_sizes": page_sizes,
    }


def part_role(doc: Disclosure) -> str | None:
    """Which part of a disclosure a file holds (the engine's judgement): what grouping pairs."""
    tables, narrative = parts_held(doc)
    return "both" if tables and narrative else "tables" if tables else "narrative" if narrative else None


def limits_env() -> dict[str, str]:
    """The server's ``JUESUAN_*`` variables (the budgets of runtime/limits.py among them), handed
    to each child: a child of the fork server inherits the environment of the moment the fork
    server started, and a budget changed in the server since must hold in its children too."""
    return {k: v for k, v in os.environ.items() if k.startswith("JUESUAN_")}


def adopt_env(env: dict[str, str]) -> None:
    """In a child: the server's ``JUESUAN_*`` variables, exactly (see :func:`limits_env`)."""
    for k in [k for k in os.environ if k.startswith("JUESUAN_") and k not in env]:
        del os.environ[k]
    os.environ.update(env)


def _child(
    conn: Connection, processor: Callable[..., dict[str, Any]], path: Any, filename: str, max_pages: int, server_pid: int, env: dict[str, str]
) -> None:
    # The server ends a job (its time limit, its graceful stop); a SIGTERM or Ctrl-C sent to the
    # whole process group (systemd, a terminal) does not kill a job the stop would let finish,
    # and a job whose server is gone (SIGKILL) ends with it instead of running on for nobody.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with(server_pid)
    adopt_env(env)

    def stage(name: str, progress: int) -> None:
        conn.send(("stage", name, progress))

    try:
        payload = processor(path, filename, max_pages, stage)
    except ProcessError as exc:
        conn.send(("failed", exc.message, exc.code))
    except MemoryError:
        conn.send(("failed", f"{filename}：处理时内存不足", "out_of_memory"))
    except Exception as exc:  # a reader's bug: report it as the document's failure
        conn.send(("failed", f"{filename}：处理时出错（{type(exc).__name__}: {exc}）", "internal_error"))
    else:
        conn.send(("done", payload))
    finally:
        conn.close()


def process_context() -> Any:
    """The fork server (readers, rules and report writers preloaded) that job and render
    children start from."""
    try:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["juesuan.web.preload"])  # readers and rules, warmed once
        return ctx
    except ValueError:  # no forkserver on this platform
        return mp.get_context("spawn")


class WorkerPool:
    """``workers`` threads taking document ids from a queue."""

    def __init__(
        self,
        store: Store,
        paths: Callable[[str], str],
        *,
        workers: int = 2,
        timeout: float = 300.0,
        max_pages: int = 1000,
        processor: Processor = process_file,
        parts: Callable[[dict[str, Any]], list[tuple[str, str]] | None] | None = None,
        group_processor: GroupProcessor | None = None,
        after: Callable[[str], None] | None = None,
    ):
        self.store = store
        self.paths = paths
        # a group row (a disclosure in several files) is read by ``group_processor`` from the
        # files ``parts`` names; ``after`` is told of every job that ended
        self.parts = parts
        self.group_processor = group_processor
        self.after = after
        self.timeout = timeout
        self.max_pages = max_pages
        self.processor = processor
        self._q: queue.Queue[str | None] = queue.Queue()
        self._threads = [threading.Thread(target=self._loop, name=f"juesuan-worker-{i}", daemon=True) for i in range(workers)]
        self._ctx = process_context()
        self._stopping = threading.Event()
        self._killing = threading.Event()
        self._procs: set[Any] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def submit(self, doc_id: str) -> None:
        self._q.put(doc_id)

    def stop(self, grace: float = 0.0) -> None:
        """Stop taking jobs; let the running ones finish for up to ``grace`` seconds, then stop
        them. A job stopped this way, and every job not started, stays in the store (queued again
        by the app's stop, or at the next start) and runs at the next start: a stop never loses a
        job nor fails it."""
        self._stopping.set()
        for _ in self._threads:
            self._q.put(None)
        end = time.monotonic() + grace
        # Wait while a job's child is at work. A job whose child is not started yet (its thread
        # waits for the fork server, which takes seconds to start on a busy machine) has not
        # begun: nothing to wait for.
        while time.monotonic() < end and self._procs and any(t.is_alive() for t in self._threads):
            time.sleep(0.05)
        self._killing.set()  # a child started after this sweep ends itself (``_run``)
        for proc in list(self._procs):
            proc.kill()
        for t in self._threads:
            t.join(timeout=2)

    def _loop(self) -> None:
        while True:
            doc_id = self._q.get()
            if doc_id is None or self._stopping.is_set():
                return
            try:
                self._run(doc_id)
            except Exception as exc:  # never lose a job silently
                if self._stopping.is_set():
                    return  # stopping: the job stays queued/running and is taken up at the next start
                with contextlib.suppress(Exception):
                    self.store.fail(doc_id, f"处理时出错（{type(exc).__name__}: {exc}）", "internal_error")
            if self.after is not None and not self._stopping.is_set():
                try:
                    self.after(doc_id)
                except Exception as exc:  # a failing follow-up never stops the worker: logged
                    write_crash_log(f"文件 {doc_id} 核对后的合并分组", exc)

    def _run(self, doc_id: str) -> None:
        row = self.store.get(doc_id)
        if row is None or row["status"] not in ("queued", "running"):
            return
        filename = row["filename"]
        self.store.set_stage(doc_id, "starting", 5)
        group = self.parts(row) if self.parts is not None and self.group_processor is not None else None
        job = (self.processor, self.paths(row["stored"])) if group is None else (self.group_processor, group)
        parent, child = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(
            target=_child, args=(child, *job, filename, self.max_pages, os.getpid(), limits_env()), daemon=True
        )
        with self._lock:
            # checked and started under the lock of the set of running children; a stop that began
            # meanwhile is seen here or (its sweep over) below
            if self._stopping.is_set():
                child.close()
                parent.close()
                return  # left queued: picked up again at the next start
            proc.start()
            self._procs.add(proc)
            if self._killing.is_set():  # the stop's sweep passed while this child was starting
                proc.kill()
        child.close()
        deadline = time.monotonic() + self.timeout
        outcome: tuple[Any, ...] | None = None
        try:
            while outcome is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                if not parent.poll(min(left, 0.5)):
                    if not proc.is_alive() and not parent.poll(0):
                        break
                    continue
                try:
                    msg = parent.recv()
                except (EOFError, OSError):  # the child died, maybe in the middle of a message
                    break
                if msg[0] == "stage":
                    self.store.set_stage(doc_id, msg[1], msg[2])
                else:
                    outcome = msg
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            parent.close()
            with self._lock:
                self._procs.discard(proc)
        if self._stopping.is_set() and outcome is None:
            return  # left queued/running: picked up again at the next start
        if outcome is None:
            if time.monotonic() >= deadline:
                self.store.fail(doc_id, f"{filename}：处理超时（超过 {self.timeout:g} 秒），已停止", "timeout")
            else:
                self.store.fail(doc_id, f"{filename}：处理进程意外退出（退出码 {proc.exitcode}）", "crashed")
        elif outcome[0] == "failed":
            self.store.fail(doc_id, outcome[1], outcome[2])
        else:
            self.store.finish(doc_id, outcome[1], rules_version())
