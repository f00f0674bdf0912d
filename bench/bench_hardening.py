"""The goals of issue 19 measured in one run (hostile input and load):

    .venv/bin/python bench/bench_hardening.py [--quick] [--skip-abuse] [--no-write]

1. **Hostile inputs**: every input of ``tests/abuse_inputs.py`` (full size) and ``--mutants``
   damaged copies of four of them (bytes overwritten, cut, spliced; a fixed seed), each checked by
   ``juesuan check`` in its own process: crashes, hangs, the longest time and the largest peak
   RSS of any single input (the per-input table is ``bench/bench_abuse.py``'s section, written
   by this run too). Goals: 0 crashes, 0 hangs, every input ≤ 30 s and ≤ 1 GB.
2. **Jobs lost across restarts**: ``tests/load_support.py`` — 200 uploads from 20 clients to a
   real ``juesuan serve`` stopped 10 times with SIGTERM and 10 times with SIGKILL in the middle
   (``--quick``: 30 uploads, 6 clients, one of each). Goal: 0 lost, 0 duplicated.
3. **Bytes read before a refusal**: an unauthenticated upload announcing 400 MB and sending its
   body as fast as loopback allows, against the app with a token served as ``juesuan serve``
   serves it (uvicorn with ``web/serving.py``'s options and protocol), in this process so that
   the bytes the server reads from the connection can be counted (``tests/serving_support.py``;
   the kernel's socket buffers take more, which the server never reads). Goal: ≤ 64 KB.
4. **The server while rendering huge pages**: the PDFs of the abuse inputs (pages of 10⁷ pt,
   200,000 pt and 14,400 pt a side, a scan just inside the area budget) and a real sample are
   uploaded; their page images and reports are asked for; then the server is started again with
   the area and pixel budgets opened so that the 14,400 pt page is really rendered, and the
   render's memory cap stops it. Measured: the answers, the server's peak RSS (``VmHWM``), and the
   largest RSS of any of its child processes (the renders and jobs), sampled every 50 ms.

Results go to ``docs/benchmarks.md`` (section ``## Hardening goals``) with the machine and date;
exits 1 when a goal is missed. Loopback only; every process it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import ROOT, machine, write_section  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))  # the app served in this process is this checkout's, as the servers started
from abuse_inputs import CASES  # noqa: E402
from bench.bench_abuse import PEAK_MB, SECONDS, Measured, measure, measure_all  # noqa: E402
from load_support import Server, free_port, run_load  # noqa: E402
from serving_support import refused_upload, served  # noqa: E402

SECTION = "## Hardening goals (`bench/bench_hardening.py`)"
READ_GOAL = 64 * 1024
MUTANT_BASES = ("damaged_seed_txt", "deep_html_300", "truncated_docx", "huge_mediabox_pdf")
SAMPLE = ROOT.parent / "shared" / "samples" / "shanghai-putuo-finance-2024.pdf"


# -- 1. hostile inputs ------------------------------------------------------------------------------
def mutants(n: int, folder: Path) -> list[tuple[str, Path]]:
    """``n`` damaged copies of the bases (as tests/test_fuzz_abuse.py makes them), seeded."""
    rnd = random.Random(19)
    out = []
    for k in range(n):
        base = MUTANT_BASES[k % len(MUTANT_BASES)]
        suffix, gen = CASES[base]
        data = bytearray(gen("small"))
        for _ in range(rnd.randint(1, 4)):
            i = rnd.randrange(len(data) + 1)
            piece = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 8)))
            data[i : i + len(piece)] = piece
        path = folder / f"mutant-{k:02d}-{base}{suffix}"
        path.write_bytes(bytes(data))
        out.append((f"{base} mutant {k}", path))
    return out


# -- 4. the server while rendering --------------------------------------------------------------------
def _tree(root: int) -> list[int]:
    """``root`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler:
    """The largest RSS of any child of the server, sampled every 50 ms."""

    def __init__(self, pid: int):
        self.pid = pid
        self.child_mb = 0.0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for p in _tree(self.pid)[1:]:
                self.child_mb = max(self.child_mb, _status_kb(p, "VmRSS") / 1024)
            time.sleep(0.05)

    def stop(self) -> float:
        self._stop.set()
        self._t.join()
        return self.child_mb


@dataclass
class RenderRun:
    rows: list[str] = field(default_factory=list)
    server_peak_mb: float = 0.0
    server_start_mb: float = 0.0
    child_peak_mb: float = 0.0  # any child while the uploads were processed and rendered (jobs, OCR, renders)
    capped_child_mb: float = 0.0  # the render of the opened 14,400 pt page, stopped by its memory cap
    failures: list[str] = field(default_factory=list)  # answers that are not JSON with a request id


def _ask(base: str, url: str, what: str, run: RenderRun) -> None:
    t0 = time.monotonic()
    try:
        r = httpx.get(base + url, timeout=300)
    except httpx.TransportError as exc:
        run.failures.append(f"{what}: {type(exc).__name__}")
        run.rows.append(f"| {what} | — | {time.monotonic() - t0:.1f} | no answer ({type(exc).__name__}) |")
        return
    took = time.monotonic() - t0
    if r.status_code == 200:
        said = f"{len(r.content) / 1024:,.0f} KB"
    else:
        try:
            body = r.json()
            said = body["detail"]
            if not body.get("request_id"):
                run.failures.append(f"{what}: no request id")
        except ValueError:
            said = r.text[:80]
            run.failures.append(f"{what}: not JSON")
        if r.status_code >= 500 and r.status_code != 504:
            run.failures.append(f"{what}: {r.status_code}")
        said = said if len(said) <= 100 else said[:99] + "…"
    run.rows.append(f"| {what} | {r.status_code} | {took:.1f} | {said} |")


def _wait_all(base: str, ids: list[str], seconds: float = 300) -> dict[str, dict[str, Any]]:
    end = time.monotonic() + seconds
    while True:
        docs = {d["id"]: d for d in httpx.get(base + "/api/documents", timeout=30).json()["documents"]}
        if all(docs[i]["status"] in ("done", "failed") for i in ids) or time.monotonic() > end:
            return docs
        time.sleep(0.5)


def render_run(tmp: Path) -> RenderRun:
    run = RenderRun()
    server = Server(tmp / "render" / "data", free_port())
    pdfs = [n for n in CASES if n.endswith("_pdf") and ("huge" in n or "scan" in n)]
    try:
        server.start()
        assert server.proc is not None
        pid = server.proc.pid
        run.server_start_mb = _status_kb(pid, "VmRSS") / 1024
        sampler = Sampler(pid)
        ids: dict[str, str] = {}
        for name in pdfs:
            _, gen = CASES[name]
            r = httpx.post(server.base + "/api/documents", files={"file": (f"{name}.pdf", gen("full"))}, timeout=60)
            ids[name] = r.json()["id"]
        if SAMPLE.is_file():
            r = httpx.post(server.base + "/api/documents", files={"file": (SAMPLE.name, SAMPLE.read_bytes())}, timeout=60)
            ids[SAMPLE.stem] = r.json()["id"]
        docs = _wait_all(server.base, list(ids.values()))
        for name, i in ids.items():
            d = docs[i]
            run.rows.append(f"| {name}: job | {d['status']} | — | {(d['error'] or '')[:100]} |")
            _ask(server.base, f"/api/documents/{i}/pages/1.png", f"{name}: page 1 image", run)
            if d["status"] == "done":
                for fmt in ("html", "xlsx", "pdf"):
                    _ask(server.base, f"/api/documents/{i}/report.{fmt}", f"{name}: report.{fmt}", run)
        # the budgets opened: the 14,400 pt page really rendered, and stopped by the memory cap
        run.server_peak_mb = _status_kb(pid, "VmHWM") / 1024
        run.child_peak_mb = sampler.stop()
        server.term()
        server.start(env_extra={"JUESUAN_MAX_PAGE_A4": "100000", "JUESUAN_MAX_RENDER_MPX": "3000"})
        pid = server.proc.pid
        sampler = Sampler(pid)
        _ask(
            server.base, f"/api/documents/{ids['big_scan_pdf']}/pages/1.png",
            "big_scan_pdf: page 1 image, area and pixel budgets opened (470 Mpx)", run,
        )  # fmt: skip
        run.server_peak_mb = max(run.server_peak_mb, _status_kb(pid, "VmHWM") / 1024)
        run.capped_child_mb = sampler.stop()
    finally:
        server.clean_up()
    return run


# -- the run -------------------------------------------------------------------------------------------
def _machine() -> str:
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    u = platform.uname()
    return f"{machine(load=True)}{mem}; `uname -srm`: {u.system} {u.release} {u.machine}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a short load test (30 uploads, one stop of each kind)")
    ap.add_argument("--skip-abuse", action="store_true", help="the web goals only")
    ap.add_argument("--mutants", type=int, default=24)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    started = datetime.now(UTC)
    where = _machine()
    lines: list[str] = []
    missed: list[str] = []

    def goal(what: str, target: str, measured: str, ok: bool) -> None:
        lines.append(f"| {what} | {target} | {measured} | {'yes' if ok else '**no**'} |")
        if not ok:
            missed.append(what)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_abuse:
            print("hostile inputs …", flush=True)
            runs: list[Measured] = measure_all("full")
            folder = tmp / "mutants"
            folder.mkdir()
            for name, path in mutants(args.mutants, folder):
                runs.append(measure(path, name))
                print(runs[-1].row(), flush=True)
            worst_t = max(runs, key=lambda m: m.seconds)
            worst_m = max(runs, key=lambda m: m.peak_mb)
            n = len(runs)
            goal(f"crashes (exit 3 or a traceback), {n} inputs", "0", str(sum(m.crashed for m in runs)), not any(m.crashed for m in runs))
            goal("hangs (no answer within 30 s)", "0", str(sum(m.hung for m in runs)), not any(m.hung for m in runs))
            goal("longest time of one input", f"≤ {SECONDS:.0f} s", f"{worst_t.seconds:.1f} s ({worst_t.name})", worst_t.seconds <= SECONDS)
            goal("largest peak RSS of one input", f"≤ {PEAK_MB:.0f} MB", f"{worst_m.peak_mb:,.0f} MB ({worst_m.name})", worst_m.peak_mb <= PEAK_MB)
            if not args.no_write:  # the per-input table, as bench_abuse.py writes it
                write_section(
                    "## Hostile inputs",
                    "\n".join(
                        [
                            "## Hostile inputs",
                            "",
                            f"`.venv/bin/python bench/bench_hardening.py` (or `bench/bench_abuse.py --size full`) — "
                            f"{started:%Y-%m-%d %H:%M} UTC, {where}. Each input of `tests/abuse_inputs.py` checked by "
                            "`juesuan check` in its own process with the default budgets (`src/juesuan/runtime/limits.py`), "
                            f"then {args.mutants} damaged copies of {', '.join(MUTANT_BASES)} (seeded); exit 0/1 = read and "
                            "checked, 2 = refused with a Chinese message naming the file (and the budget and its variable "
                            "when a budget stopped it), 3 or a traceback = a crash. Measured against the goals in the "
                            "section “Hardening goals” below.",
                            "",
                            "| input | size (KB) | exit | seconds | peak RSS (MB) | answer (last line) |",
                            "|---|---:|---:|---:|---:|---|",
                            *[m.row() for m in runs],
                        ]
                    ),
                )
        print("load test …", flush=True)
        if args.quick:
            lr = run_load(tmp / "load", uploads=30, clients=6, sigterms=1, sigkills=1, pace=0.5)
        else:
            lr = run_load(tmp / "load", uploads=200, clients=20, sigterms=10, sigkills=10, pace=1.0)
        print(lr, flush=True)
        goal(
            f"jobs lost across {lr.sigterms} SIGTERM and {lr.sigkills} SIGKILL restarts ({lr.uploads} uploads, {lr.clients} clients)",
            "0",
            f"{lr.lost} lost, {lr.duplicated} duplicated, {lr.done} done, {lr.failed} failed with a reason"
            + (f"; problems: {'; '.join(lr.problems[:3])}" if lr.problems else ""),
            lr.lost == 0 and lr.duplicated == 0 and not lr.problems,
        )
        print("refused upload …", flush=True)
        with served(tmp / "token") as port:
            tries = [refused_upload(port) for _ in range(5)]
        most = max(t[3] for t in tries)
        goal(
            "bytes the server read of an unauthenticated 400 MB upload (worst of 5)",
            f"≤ {READ_GOAL // 1024} KB",
            f"{most:,} bytes (answer {tries[0][0]}; the client got at most {max(t[2] for t in tries) / 1024:,.0f} KB "
            "into the socket before the server closed it)",
            most <= READ_GOAL and all(t[0] == 401 for t in tries),
        )
        print("rendering …", flush=True)
        rr = render_run(tmp)
        goal(
            "server peak RSS while rendering the huge pages and reports",
            "≤ 1,024 MB, no crash",
            f"{rr.server_peak_mb:,.0f} MB (at start {rr.server_start_mb:,.0f} MB); its children: at most "
            f"{rr.child_peak_mb:,.0f} MB while processing and rendering the uploads (jobs with OCR included), "
            f"{rr.capped_child_mb:,.0f} MB for the 470 Mpx render its memory cap stopped",
            rr.server_peak_mb <= PEAK_MB and not rr.failures,
        )
    text = "\n".join(
        [
            SECTION,
            "",
            f"`.venv/bin/python bench/bench_hardening.py{' --quick' if args.quick else ''}` — {started:%Y-%m-%d %H:%M} UTC, {where}.",
            "The goals of issue 19; how each is measured is in the command's docstring. Everything on loopback, "
            "the web goals against real `juesuan serve` processes with the default budgets.",
            "",
            "| goal | target | measured | met |",
            "|---|---|---|---|",
            *lines,
            "",
            f"Load test: {lr.retried} uploads cut off by a stop were sent again, {lr.adopted} cut off had been stored "
            f"(found by their SHA-256 and not sent again); {lr.running_at_term} jobs were running at a SIGTERM: "
            f"{lr.finished_in_grace} finished within the grace time, {lr.requeued_at_term} were queued again and done "
            f"after the restart; longest graceful stop {lr.max_stop_seconds:.1f} s, longest start "
            f"{lr.max_start_seconds:.1f} s; {lr.seconds:.0f} s in all."
            + (f" Stops over 10 s (what was running at the signal): {'; '.join(lr.slow_stops)}." if lr.slow_stops else ""),
            "",
            "Page images and reports of the huge pages (each answer a PNG/report, or JSON with a request id and a "
            "Chinese message naming the limit):",
            "",
            "| request | status | seconds | answer |",
            "|---|---:|---:|---|",
            *rr.rows,
        ]
    )
    if not args.no_write:
        write_section(SECTION, text)
    print(text)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
