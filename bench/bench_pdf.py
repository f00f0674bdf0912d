"""PDF reader benchmark: per sample PDF, parse + check against raw text extraction.

    .venv/bin/python bench/bench_pdf.py [--runs N] [--no-write]

For each PDF in ``../shared/samples`` (median of N runs in this process, after one warm-up):

- ``raw``: pypdfium2 text extraction of every page (open, text page, ``get_text_range``) — the
  floor any text-layer reader pays;
- ``prim`` / ``layout`` / ``assemble`` / ``rules``: the stages of ``juesuan.ingest.read`` +
  ``juesuan.rules.run_rules``, and ``check`` = their sum measured as one call;
- ``plumber``: pdfplumber ``extract_tables()`` on every page (the table oracle used in tests);

and as whole commands: ``juesuan check FILE`` in a fresh process (median of N, with interpreter
start and imports) and its peak RSS. Results are written to ``docs/benchmarks.md`` (the section
``## PDF reader``) with the machine and the date.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import machine as _common_machine  # noqa: E402
from bench.common import write_section as _common_write  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## PDF reader (`bench/bench_pdf.py`)"


def _median(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = clock()
        fn()
        times.append(clock() - t)
    return statistics.median(times)


def _paired(raw: Callable[[], object], check: Callable[[], object], runs: int) -> dict[str, float]:
    """Raw extraction and check timed in turns (raw, check, raw, check, ...), wall and CPU time of
    each: a slow spell of the shared machine falls on both, so the ratio of each pair is steadier
    than the ratio of two separately taken medians. Medians, the per-pair ratio's median, and the
    fastest check."""
    raw()
    check()  # warm-up
    cpu = time.process_time
    rw, rc, cw, cc = [], [], [], []
    for _ in range(runs):
        t, c = time.perf_counter(), cpu()
        raw()
        rw.append(time.perf_counter() - t)
        rc.append(cpu() - c)
        t, c = time.perf_counter(), cpu()
        check()
        cw.append(time.perf_counter() - t)
        cc.append(cpu() - c)
    med = statistics.median
    return {
        "raw": med(rw),
        "raw_cpu": med(rc),
        "check": med(cw),
        "check_cpu": med(cc),
        "ratio": med(b / a for a, b in zip(rw, cw, strict=True)),
        "ratio_cpu": med(b / a for a, b in zip(rc, cc, strict=True)),
        "check_min": min(cw),
    }


def _raw_text(data: bytes) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        tp.get_text_range()
        tp.close()
        page.close()
    pdf.close()


def _raw_boxes(data: bytes) -> None:
    """Text and a box per character, with pypdfium2's own helpers (what "extraction with
    character boxes" costs before any layout work)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        tp.get_text_range()
        for k in range(tp.count_chars()):
            tp.get_charbox(k)
        tp.close()
        page.close()
    pdf.close()


def _plumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def _stages(path: Path, data: bytes, runs: int) -> dict[str, float]:
    import pypdfium2 as pdfium

    from juesuan.ingest import read
    from juesuan.ingest.assemble import assemble
    from juesuan.ingest.narrative import attach_claims
    from juesuan.ingest.pdf.layout import reconstruct
    from juesuan.ingest.pdf.primitives import page_contents
    from juesuan.rules import run_rules

    def prim() -> object:
        pdf = pdfium.PdfDocument(data)
        try:
            return page_contents(pdf)
        finally:
            pdf.close()

    pages = prim()
    cpu = time.process_time
    # the stages in CPU time (stable on a shared machine); each later stage is measured with
    # the earlier ones and the difference taken
    out = {
        "prim": _median(prim, runs, cpu),
        "layout": _median(lambda: reconstruct(pages, path=str(path)), runs, cpu),  # type: ignore[arg-type]
        "layout+assemble": _median(lambda: assemble(reconstruct(pages, path=str(path))), runs, cpu),  # type: ignore[arg-type]
        # rules include reading the claims (attach_claims, the reader's last step), on a freshly
        # assembled document
        "rules": _median(lambda: run_rules(attach_claims(assemble(reconstruct(pages, path=str(path))))), runs, cpu),  # type: ignore[arg-type]
    }
    out.update(_paired(lambda: _raw_text(data), lambda: run_rules(read(path)), runs))
    out["rules"] = max(0.0, out["rules"] - out["layout+assemble"])
    out["assemble"] = max(0.0, out.pop("layout+assemble") - out["layout"])
    return out


def _command(path: Path, runs: int) -> tuple[float, float]:
    """Median wall time of ``juesuan check FILE`` in a fresh process, and its peak RSS (MB)."""
    exe = [sys.executable, "-m", "juesuan", "check", str(path)]
    times: list[float] = []
    rss = 0.0
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.Popen(exe, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - t)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"juesuan check {path.name} exited with {proc.returncode}")
        rss = max(rss, usage.ru_maxrss / 1024)
    return statistics.median(times), rss


def _machine() -> str:
    return _common_machine(load=False)


def _pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    n = len(pdf)
    pdf.close()
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="repetitions per measurement (median)")
    ap.add_argument("--command-runs", type=int, default=3, help="repetitions of the whole command")
    ap.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = ap.parse_args(argv)
    if not SAMPLES.is_dir():
        print(f"{SAMPLES} is absent: nothing to measure", file=sys.stderr)
        return 2
    load = os.getloadavg()
    rows = []
    for path in sorted(SAMPLES.glob("*.pdf")):
        data = path.read_bytes()
        boxes = _median(lambda data=data: _raw_boxes(data), args.runs)  # type: ignore[misc]
        st = _stages(path, data, args.runs)
        plumber = _median(lambda path=path: _plumber(path), max(1, args.runs // 3))  # type: ignore[misc]
        cmd, rss = _command(path, args.command_runs)
        raw, raw_cpu = st["raw"], st["raw_cpu"]
        rows.append((path.name, _pages(data), raw, st, plumber, cmd, rss, raw_cpu, boxes))
        print(
            f"{path.name}: raw {raw * 1000:.0f} ms, check {st['check'] * 1000:.0f} ms "
            f"({st['ratio']:.1f}×), pdfplumber {plumber * 1000:.0f} ms, command {cmd * 1000:.0f} ms, {rss:.0f} MB",
            file=sys.stderr,
        )
    table = [
        "| PDF | pages | raw text (a) | text + char boxes (a′) | **check (b)** | **b / a** | b fastest | b / a′ | "
        "pdfplumber tables (c) | c / b | `juesuan check` command | peak RSS | CPU: raw text | CPU: primitives | "
        "CPU: layout | CPU: assemble | CPU: rules | **CPU: check** | CPU: b / a |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, pages, raw, st, plumber, cmd, rss, raw_cpu, boxes in rows:
        ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
        table.append(
            f"| {name} | {pages} | {ms(raw)} | {ms(boxes)} | **{ms(st['check'])}** | **{st['ratio']:.1f}×** | "
            f"{ms(st['check_min'])} | "
            f"{st['check'] / boxes:.1f}× | {ms(plumber)} | {plumber / st['check']:.1f}× | {ms(cmd)} | {rss:.0f} MB | "
            f"{ms(raw_cpu)} | {ms(st['prim'])} | {ms(st['layout'])} | {ms(st['assemble'])} | {ms(st['rules'])} | "
            f"**{ms(st['check_cpu'])}** | {st['ratio_cpu']:.1f}× |"
        )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join(
        [
            SECTION,
            "",
            f"Measured {now} on {_machine()}; `{' '.join(['.venv/bin/python', 'bench/bench_pdf.py'] + (argv or sys.argv[1:]))}`; "
            f"load average at the start {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}.",
            f"In-process figures are medians of {args.runs} runs after a warm-up; (a) and (b) are timed in "
            "turns, and b / a is the median of the ratios of those pairs (steadier on a shared machine than "
            "the ratio of two medians); *b fastest* is the fastest of the check runs; the command is the median of "
            f"{args.command_runs} fresh `juesuan check` processes (interpreter start and imports included), "
            "peak RSS from `wait4`. (a) pypdfium2 text extraction of every page; (a′) the same plus "
            "`get_charbox` for every character (pypdfium2's helpers); (b) `juesuan.ingest.read` + "
            "`juesuan.rules.run_rules` (primitives + layout + assemble + rules, measured as one call; the "
            "CPU stage columns are measured separately, in CPU time); (c) pdfplumber `extract_tables()` on every page, for "
            "comparison. The machine is shared by other jobs: absolute wall times vary between runs, the "
            "ratios within one run and the CPU-time ratio (`time.process_time`, insensitive to other "
            "processes) are the comparable figures.",
            "",
            *table,
            "",
        ]
    )
    print(text)
    if not args.no_write:
        _write(text)
    return 0


def _write(section: str) -> None:
    _common_write(SECTION, section)


if __name__ == "__main__":
    raise SystemExit(main())
