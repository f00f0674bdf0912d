"""Page images and reports, rendered in a child process with a memory and a time limit and
cached on disk (one file per document, page and format).

Rendering is where one hostile or unlucky PDF costs the most: a page of 14,400 points a side, a
report with hundreds of page crops. The budgets of ``runtime/limits.py`` stop what they can
foresee (a page over the area budget is not rendered, a large one is rendered at fewer pixels);
what they cannot must still not reach the server, which holds every other user's requests. So
nothing is rendered in the server's process: each render runs in a child of the fork server whose
address space is capped (``RLIMIT_AS``: what the child holds when it starts plus
``JUESUAN_MAX_RENDER_MB``) and which is killed at ``JUESUAN_RENDER_SECONDS``. Its outcome is the
output file, written by the child, or a Chinese message the route answers as JSON with the
request id (422 for a page or report over a limit, 504 for a render out of time, 503 when every
render slot stays busy, 500 with a log for a bug).

A refusal that follows from the file and the limits in force is cached beside the output
(``<output>.error.json``, with those limits), so a page that cannot be rendered costs one child,
not one per request; a change of the limits retries it.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from fastapi import HTTPException

from ..api import DocumentResult
from ..ingest import InputError
from ..model import Disclosure, Finding, Metadata, Unchecked
from ..report.crops import PageRenderer, page_errors
from ..report.html import render_html
from ..report.items import ReportItem
from ..report.pdf_annotate import annotate_pdf
from ..report.xlsx import xlsx_bytes
from ..runtime.crashlog import write_crash_log
from ..runtime.limits import LIMITS, Limit
from ..runtime.orphan import die_with
from .grouping import group_pdf
from .worker import adopt_env, limits_env, process_context

PAGE_SCALE = 1.5  # pixels per point of a page image (108 dpi): sharp on a screen, a few hundred KB
SLOTS = 2  # renders at a time: the server's two cores
LOCKS = 64


@dataclass(frozen=True)
class Job:
    """What a child renders (picklable: it crosses to the fork server). ``kind`` is ``page`` (a
    PNG of ``page``) or ``report`` (``fmt``: html, xlsx or pdf, from the stored findings)."""

    kind: str
    source: str  # the stored upload
    target: str  # where the output is written
    name: str  # the file's display name, for messages and the report
    page: int = 0
    fmt: str = ""
    findings: str = "[]"  # JSON list of findings
    disclosure: str | None = None  # JSON Disclosure, when the document was read
    metadata: str | None = None  # JSON Metadata, when known
    unchecked: str = "[]"  # JSON list of the places not checked
    # a disclosure checked from several files: (name as its locations give it, stored path) each;
    # ``source`` is then empty
    parts: tuple[tuple[str, str], ...] = ()


def _limits_in_force() -> dict[str, float]:
    """The limits a render's outcome depends on: a cached refusal stands while they do."""
    return {
        "render_mb": LIMITS.render_mb.value(),
        "render_seconds": LIMITS.render_seconds.value(),
        "page_a4": LIMITS.page_area_a4.value(),
        "render_mpx": LIMITS.render_mpx.value(),
    }


def _over(limit: Limit) -> str:
    """What a render over ``limit`` is told (the amount it would have needed is not known)."""
    return f"{limit.what}超出上限（上限 {limit.value():,g} {limit.unit}；可用环境变量 {limit.env} 调整）"


# -- the child ------------------------------------------------------------------------------------
def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), the base the memory cap is added to."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return None


def _cap_memory(extra_mb: float) -> None:
    base = _address_space()
    if base is None:  # no /proc: the time limit still holds
        return
    cap = base + int(extra_mb * 1024 * 1024)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _render(job: Job) -> bytes:
    data = Path(job.source).read_bytes() if job.source else None
    if job.kind == "page":
        assert data is not None
        r = PageRenderer(data, scale=PAGE_SCALE, name=job.name)
        try:
            if not 1 <= job.page <= len(r):
                raise LookupError
            return r.page_png(job.page)
        finally:
            r.close()
    doc = Disclosure.model_validate_json(job.disclosure) if job.disclosure else None
    md = doc.metadata if doc else (Metadata.model_validate_json(job.metadata) if job.metadata else None)
    findings = [Finding.model_validate(f) for f in json.loads(job.findings)]
    unchecked = [Unchecked.model_validate(u) for u in json.loads(job.unchecked)]
    result = DocumentResult(path=job.name, metadata=md, findings=findings, unchecked=unchecked)
    # a group has no file of its own: its HTML and XLSX reports show the tables and sentences involved
    item = ReportItem(result=result, doc=doc, data=None if job.parts else data, name=job.name)
    if job.fmt == "html":
        return render_html([item]).encode("utf-8")
    if job.fmt == "xlsx":
        return xlsx_bytes([item])
    if job.parts:
        return group_pdf([(name, Path(path).read_bytes()) for name, path in job.parts], findings, md)
    assert data is not None
    return annotate_pdf(data, findings, name=job.name, metadata=md)


def _child(conn: Connection, job: Job, server_pid: int, env: dict[str, str]) -> None:
    # The server decides when a render ends (its time limit, its own stop); a SIGTERM or Ctrl-C
    # sent to the whole process group does not cut a render short, and a render whose server
    # is gone (SIGKILL) ends with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with(server_pid)
    adopt_env(env)  # the budgets in force in the server now
    _cap_memory(LIMITS.render_mb.value())  # after the watchdog thread: its stack counts before the cap
    try:
        out = _render(job)
        target = Path(job.target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(out)
        tmp.replace(target)
        conn.send(("done",))
    except LookupError:
        conn.send(("refused", 404, "没有这一页", False))
    except MemoryError:
        conn.send(("refused", 422, f"{job.name}：{_over(LIMITS.render_mb)}", True))
    except InputError as exc:  # a page over the area budget, named with the budget
        conn.send(("refused", 422, exc.message, True))
    except page_errors():
        conn.send(("refused", 422, f"{job.name}（第 {job.page} 页）：无法读取（文件可能已损坏）", True))
    except Exception as exc:
        log = write_crash_log(f"渲染 {job.name}（{job.kind} {job.page or job.fmt}）", exc)
        conn.send(("crashed", f"{type(exc).__name__}", str(log) if log else None))
    finally:
        conn.close()


# -- the server side ------------------------------------------------------------------------------
class Renderer:
    """Renders in children, at most ``slots`` at a time; one render per output file even when many
    requests ask for it at once (the others wait for it and read the cache)."""

    def __init__(self, slots: int = SLOTS):
        self._slots = threading.BoundedSemaphore(slots)
        # one lock per output file would grow with every page ever asked for: a fixed set of
        # locks, each shared by the files whose names hash to it (two of them wait for each other
        # now and then, which costs a render's time, never a second render of one file)
        self._locks = [threading.Lock() for _ in range(LOCKS)]
        self._ctx = process_context()

    def _lock(self, key: str) -> threading.Lock:
        return self._locks[hash(key) % LOCKS]

    def page_png(self, row: dict[str, Any], source: Path, target: Path, page: int) -> bytes:
        """The PNG of ``page`` of a stored PDF, rendered once."""
        sizes = json.loads(row["page_sizes"]) if row.get("page_sizes") else None
        if page < 1 or (sizes and page > len(sizes)):  # known from the reading: no child needed
            raise HTTPException(404, "没有这一页")
        return self.get(target, lambda: Job("page", str(source), str(target), row["filename"], page=page))

    def get(self, target: Path, build: Callable[[], Job]) -> bytes:
        """The output at ``target``: from the cache, else rendered by the job ``build`` makes
        (called only on a miss: a report's job carries the document's findings and facts)."""
        if target.exists():
            return target.read_bytes()
        self._refused_before(target)
        with self._lock(str(target)):
            if target.exists():  # rendered by a request that held the lock before this one
                return target.read_bytes()
            self._refused_before(target)
            seconds = LIMITS.render_seconds.value()
            if not self._slots.acquire(timeout=seconds):
                raise HTTPException(503, "渲染任务繁忙，请稍后再试")
            try:
                outcome = self._run(build(), seconds)
            finally:
                self._slots.release()
        if outcome[0] == "done":
            self._error_file(target).unlink(missing_ok=True)  # refused under other limits before
            return target.read_bytes()
        if outcome[0] == "refused":
            _, status, message, lasting = outcome
            if lasting:
                self._remember(target, status, message)
            raise HTTPException(status, message)
        if outcome[0] == "timeout":
            message = f"{outcome[1]}：{_over(LIMITS.render_seconds)}，已停止"
            self._remember(target, 504, message)
            raise HTTPException(504, message)
        if outcome[0] == "died":  # killed from outside, or native code that failed under the cap
            message = f"{outcome[1]}：渲染进程意外退出（退出码 {outcome[2]}；可能超出渲染内存上限 " \
                      f"{LIMITS.render_mb.value():,.0f} MB，可用环境变量 {LIMITS.render_mb.env} 调整）"  # fmt: skip
            raise HTTPException(500, message)
        where = f"，详细信息已写入 {outcome[2]}" if outcome[2] else ""
        raise HTTPException(500, f"渲染时内部错误（{outcome[1]}）{where}，请报告此问题")

    def _run(self, job: Job, seconds: float) -> tuple[Any, ...]:
        parent, child = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_child, args=(child, job, os.getpid(), limits_env()), daemon=True)
        proc.start()
        child.close()
        try:
            if parent.poll(seconds):
                try:
                    msg: tuple[Any, ...] = parent.recv()
                    return msg
                except (EOFError, OSError):
                    pass  # died before it could answer
            elif proc.is_alive():
                return ("timeout", job.name)
            proc.join(5)
            return ("died", job.name, proc.exitcode)
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join(5)
            parent.close()

    # -- refusals that stand while the limits do ----------------------------------------------------
    @staticmethod
    def _error_file(target: Path) -> Path:
        return target.with_name(target.name + ".error.json")

    def _refused_before(self, target: Path) -> None:
        path = self._error_file(target)
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if saved.get("limits") == _limits_in_force():
            raise HTTPException(int(saved["status"]), str(saved["detail"]))

    def _remember(self, target: Path, status: int, message: str) -> None:
        path = self._error_file(target)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
            tmp.write_text(json.dumps({"status": status, "detail": message, "limits": _limits_in_force(),
                                       "at": time.time()}, ensure_ascii=False), encoding="utf-8")  # fmt: skip
            tmp.replace(path)


__all__ = ["Job", "Renderer"]
