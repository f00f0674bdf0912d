"""A load test of a real ``juesuan serve`` on loopback, stopped in the middle (issue 19): many
clients upload at once while the server is stopped now with SIGTERM (a graceful stop) and now with
SIGKILL (a crash) and started again; afterwards every upload must be accounted for: exactly one
document per upload, each done or failed with a reason, none lost, none duplicated. Shared by
tests/test_web_restart.py and bench/bench_web.py.

The uploads are small texts (most read as a disclosure in a few milliseconds, some the packaged
example with its 43 findings, a tenth binary junk refused at upload), so what is tested is the
web layer: uploads, the job queue, the worker processes, the stop and the start. Every upload's
bytes are unique, so the server's documents are matched to the uploads by their SHA-256.

A client whose upload is cut off by a stop does not know whether the server stored it; as a
careful client would, it asks the restarted server for a document of that SHA-256 before sending
it again (the server keeps every copy of a file it is sent, so a blind retry would duplicate).
Half the SIGTERM stops give running jobs their grace time to finish, half almost none, so both
ways a graceful stop ends a job (finished, or queued again) are taken.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx

SRC = Path(__file__).resolve().parent.parent / "src"
EXAMPLE = SRC / "juesuan" / "examples" / "example.txt"
EXAMPLE_COUNTS = {"error": 5, "warning": 1, "info": 37}  # `juesuan check` of the example


def content(i: int) -> tuple[str, str, bytes]:
    """Upload ``i``: its kind (tiny, example, binary), file name and unique bytes."""
    k = i % 10
    if k <= 5:
        return "tiny", f"tiny-{i}.txt", f"2024年度示例局部门决算\n上传编号 {i}\n".encode()
    if k <= 8:
        return "example", f"example-{i}.txt", EXAMPLE.read_bytes() + f"\n\n上传编号 {i}\n".encode()
    return "binary", f"junk-{i}.txt", bytes(range(256)) * 4 + i.to_bytes(4, "big")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """``juesuan serve`` in its own session, started again on the same port and data folder."""

    def __init__(self, data: Path, port: int):
        self.data = data
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.groups: list[int] = []  # every process group started, for the final clean-up
        self.log = data.parent / "serve.log"
        data.parent.mkdir(parents=True, exist_ok=True)

    def start(self, grace: float | None = None, env_extra: dict[str, str] | None = None) -> float:
        """Start the server (``grace``: its JUESUAN_STOP_GRACE_SECONDS; ``env_extra``: more
        variables, a token among them); returns the seconds until it answered."""
        env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        env.pop("JUESUAN_TOKEN", None)
        env.update(env_extra or {})
        if grace is not None:
            env["JUESUAN_STOP_GRACE_SECONDS"] = str(grace)
        t0 = time.monotonic()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "juesuan.cli", "serve", "--port", str(self.port), "--data-dir", str(self.data), "--workers", "2"],
                stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            )  # fmt: skip
        self.groups.append(self.proc.pid)
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"juesuan serve exited with {self.proc.returncode}; see {self.log}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return time.monotonic() - t0
            except httpx.TransportError:
                pass
            if time.monotonic() - t0 > 90:
                raise RuntimeError(f"juesuan serve did not answer within 90 s; see {self.log}")
            time.sleep(0.1)

    def term(self) -> tuple[int, float]:
        """SIGTERM and wait for the graceful stop: its exit code and how long it took."""
        assert self.proc is not None
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        return code, time.monotonic() - t0

    def kill(self) -> None:
        """SIGKILL the server process alone, as a crash would end it (its fork server and children
        are left to notice)."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()

    def clean_up(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.term()
        for g in self.groups:  # whatever of a killed server's group is still there
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(g, signal.SIGKILL)


@dataclass
class LoadResult:
    uploads: int
    clients: int
    documents: int = 0  # documents on the server at the end
    done: int = 0
    failed: int = 0
    lost: int = 0  # uploads with no document, or whose document never finished
    duplicated: int = 0  # uploads with more than one document
    sigterms: int = 0
    sigkills: int = 0
    retried: int = 0  # uploads cut off by a stop and sent again (not found on the server)
    adopted: int = 0  # uploads cut off by a stop that the server had stored all the same
    running_at_term: int = 0  # jobs running when a SIGTERM was sent (all of the stops)
    finished_in_grace: int = 0  # of those, finished (done or failed) before the server stopped
    requeued_at_term: int = 0  # of those, queued again by the stop
    max_stop_seconds: float = 0.0  # the longest graceful stop
    slow_stops: list[str] = field(default_factory=list)  # stops over 10 s: what was running at the signal
    max_start_seconds: float = 0.0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _statuses(db: Path) -> dict[str, str]:
    """Each document's status in the store of a stopped server."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {i: s for i, s in con.execute("SELECT id, status FROM documents").fetchall()}
    finally:
        con.close()


def _documents(base: str) -> list[dict[str, Any]] | None:
    try:
        r = httpx.get(base + "/api/documents", timeout=30)
    except httpx.TransportError:
        return None
    if r.status_code != 200:
        return None
    docs: list[dict[str, Any]] = r.json()["documents"]
    return docs


def run_load(
    tmp: Path,
    *,
    uploads: int = 200,
    clients: int = 20,
    sigterms: int = 10,
    sigkills: int = 10,
    pace: float = 1.0,
    deadline: float = 900.0,
) -> LoadResult:
    """Run the load test in ``tmp`` (see the module docstring); stops are spread evenly over the
    uploads, SIGTERM and SIGKILL in turn; each client waits ``pace`` seconds between uploads."""
    res = LoadResult(uploads=uploads, clients=clients)
    server = Server(tmp / "data", free_port())
    t_start = time.monotonic()
    accepted: dict[int, str] = {}  # upload -> document id
    shas = {i: hashlib.sha256(content(i)[2]).hexdigest() for i in range(uploads)}
    lock = threading.Lock()
    progress = threading.Condition(lock)
    errors: list[str] = []
    stop_clients = threading.Event()

    def upload(http: httpx.Client, i: int) -> None:
        _, name, data = content(i)
        cut_off = resent = False
        while not stop_clients.is_set():
            if cut_off:  # did the server store it before the stop? ask before sending it again
                docs = _documents(server.base)
                if docs is None:
                    time.sleep(0.2)
                    continue
                mine = [d["id"] for d in docs if d["sha256"] == shas[i]]
                if mine:
                    with progress:
                        accepted[i] = mine[0]
                        res.adopted += 1
                        progress.notify_all()
                    return
                if not resent:
                    resent = True
                    with lock:
                        res.retried += 1
            try:
                r = http.post(server.base + "/api/documents", files={"file": (name, data)})
            except httpx.TransportError:
                cut_off = True
                time.sleep(0.2)
                continue
            if r.status_code == 201:
                with progress:
                    accepted[i] = r.json()["id"]
                    progress.notify_all()
                return
            if r.status_code == 503:  # the server's connection limit: again later
                time.sleep(0.2)
                continue
            errors.append(f"upload {i}: HTTP {r.status_code} {r.text[:200]}")
            return

    def client(k: int) -> None:
        with httpx.Client(timeout=60) as http:
            for i in range(k, uploads, clients):
                upload(http, i)
                time.sleep(pace)  # a user's pace: the uploads span the stops instead of racing them

    # SIGTERMs and SIGKILLs in turn while both last, then the rest of the more numerous kind
    order = [s for pair in zip(["term"] * sigterms, ["kill"] * sigkills, strict=False) for s in pair]
    stops = order + ["term"] * (sigterms - min(sigterms, sigkills)) + ["kill"] * (sigkills - min(sigterms, sigkills))
    try:
        res.max_start_seconds = server.start()
        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
        for t in threads:
            t.start()
        for j, how in enumerate(stops):
            at = (j + 1) * uploads // (len(stops) + 1)  # spread over the uploads
            with progress:
                while len(accepted) < at and time.monotonic() - t_start < deadline:
                    progress.wait(1)
            if how == "term":
                listed = _documents(server.base) or []
                running = [d["id"] for d in listed if d["status"] == "running"]
                code, took = server.term()
                if took > 10:
                    what = [f"{d['filename']} {d['stage']}" for d in listed if d["status"] == "running"]
                    res.slow_stops.append(f"{took:.1f} s: {what}")
                res.sigterms += 1
                res.max_stop_seconds = max(res.max_stop_seconds, took)
                if code not in (0, -signal.SIGTERM):  # uvicorn ends by raising the signal it stopped for
                    res.problems.append(f"SIGTERM {res.sigterms}: exit code {code}")
                # the stopped server's store: no job left running, each finished or queued again
                states = _statuses(server.data / "juesuan.duckdb")
                if "running" in states.values():
                    res.problems.append(f"SIGTERM {res.sigterms}: jobs left running {[k for k, v in states.items() if v == 'running']}")
                res.running_at_term += len(running)
                res.finished_in_grace += sum(states.get(i) in ("done", "failed") for i in running)
                res.requeued_at_term += sum(states.get(i) == "queued" for i in running)
            else:
                server.kill()
                res.sigkills += 1
            # every other graceful stop gives running jobs almost no grace: they are queued again
            grace = 0.05 if how == "term" and res.sigterms % 2 == 0 else None
            res.max_start_seconds = max(res.max_start_seconds, server.start(grace=grace))
        for t in threads:
            t.join(max(1.0, deadline - (time.monotonic() - t_start)))
        stop_clients.set()
        # every job to its end
        docs: list[dict[str, Any]] = []
        while time.monotonic() - t_start < deadline:
            docs = _documents(server.base) or []
            if docs and all(d["status"] in ("done", "failed") for d in docs):
                break
            time.sleep(0.5)
    finally:
        stop_clients.set()
        server.clean_up()
    res.seconds = time.monotonic() - t_start
    res.problems += errors
    by_sha: dict[str, list[dict[str, Any]]] = {}
    for d in docs:
        by_sha.setdefault(d["sha256"], []).append(d)
    res.documents = len(docs)
    for i in range(uploads):
        kind, name, _ = content(i)
        mine = by_sha.get(shas[i], [])
        if len(mine) > 1:
            res.duplicated += 1
            res.problems.append(f"upload {i} ({name}): {len(mine)} documents")
        if not mine or i not in accepted:
            res.lost += 1
            res.problems.append(f"upload {i} ({name}): {'never accepted' if i not in accepted else 'no document'}")
            continue
        d = mine[0]
        if d["status"] not in ("done", "failed"):
            res.lost += 1
            res.problems.append(f"upload {i} ({name}): left {d['status']}/{d['stage']}")
            continue
        res.done += d["status"] == "done"
        res.failed += d["status"] == "failed"
        want = "failed" if kind == "binary" else "done"
        if d["status"] != want or (d["status"] == "failed" and not d["error"]):
            res.problems.append(f"upload {i} ({name}): {d['status']} {d['error']}")
        elif kind == "example" and d["summary"] != EXAMPLE_COUNTS:
            res.problems.append(f"upload {i} ({name}): findings {d['summary']}, expected {EXAMPLE_COUNTS}")
    known = set(shas.values())
    strays = [d["filename"] for d in docs if d["sha256"] not in known]
    if strays:
        res.problems.append(f"documents that match no upload: {strays[:5]}")
    return res


__all__ = ["LoadResult", "Server", "content", "run_load"]
