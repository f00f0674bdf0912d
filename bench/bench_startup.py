"""Whole-command time of ``juesuan``: start-up (imports) plus the work, as a user pays it.

    .venv/bin/python bench/bench_startup.py [--runs 9] [--compare SRC] [--write]

Each command runs as a fresh process (``.venv/bin/juesuan`` or ``python -m juesuan``), output
discarded; reported: the median wall time of ``--runs`` runs after one warm-up, and the import
time of ``juesuan.cli`` (``python -X importtime``). ``--compare SRC`` also runs every command with
``PYTHONPATH=SRC`` (another checkout's ``src``, e.g. the code before a change), interleaved run by
run with the current tree so both see the same machine load. ``--write`` puts the table into
``docs/benchmarks.md`` (section ``## Command start-up``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import machine as _common_machine  # noqa: E402
from bench.common import write_section as _common_write  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SECTION = "## Command start-up"


def commands() -> list[tuple[str, list[str]]]:
    seed = SHARED / "seeds" / "000_28fcffc144f7be8d.txt"
    small = SHARED / "samples" / "shanghai-template-2024.pdf"
    large = SHARED / "samples" / "shanghai-putuo-finance-2024.pdf"
    out = [("juesuan --help", ["--help"]), ("juesuan --version", ["--version"]), ("juesuan rules", ["rules"])]
    out.append(("juesuan check --example", ["check", "--example"]))
    if seed.exists():
        out.append((f"juesuan check {seed.name}", ["check", str(seed)]))
    if small.exists():
        out.append((f"juesuan check {small.name}", ["check", str(small)]))
    if large.exists():
        out.append((f"juesuan check {large.name} -f json", ["check", str(large), "-f", "json"]))
    return out


def _argv(args: list[str]) -> list[str]:
    exe = Path(sys.executable).with_name("juesuan")
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "juesuan", *args]


def _env(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = src or ""
    return env


def _once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run; CPU = user + system time of the child process, which other
    jobs on the machine disturb far less than the wall time."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(_argv(args), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def import_ms(src: str | None) -> float:
    """Cumulative import time of ``juesuan.cli`` in ms (``-X importtime``, one fresh process)."""
    p = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import juesuan.cli"],
        env=_env(src),
        capture_output=True,
        text=True,
    )
    for line in p.stderr.splitlines():
        if line.rstrip().endswith("| juesuan.cli"):
            return int(line.split("|")[1]) / 1000
    return float("nan")


Row = tuple[str, tuple[float, float], tuple[float, float] | None]  # label, (wall, CPU) ms now, before


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs) * 1000, statistics.median(c for _, c in runs) * 1000


def measure(runs: int, compare: str | None) -> list[Row]:
    trees: list[str | None] = [None] + ([compare] if compare else [])
    rows: list[Row] = []
    for label, args in commands():
        times: dict[str | None, list[tuple[float, float]]] = {t: [] for t in trees}
        for t in trees:
            _once(args, _env(t))  # warm-up (file cache)
        for _ in range(runs):
            for t in trees:
                times[t].append(_once(args, _env(t)))
        now = _medians(times[None])
        before = _medians(times[compare]) if compare else None
        rows.append((label, now, before))
        print(
            f"{label:60} wall {now[0]:6.0f} ms  CPU {now[1]:6.0f} ms"
            + (f"   compare: wall {before[0]:6.0f} ms  CPU {before[1]:6.0f} ms" if before else ""),
            flush=True,
        )
    return rows


def machine() -> str:
    return _common_machine(load=True)


def render_md(
    rows: list[Row], imports: tuple[float, float | None], args: argparse.Namespace, started: str, mach: str
) -> str:
    cmp = args.compare is not None
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_startup.py --runs {args.runs}"
        + (" --compare SRC" if cmp else "")
        + f"` — {started}, {mach}.",
        "Whole command in a fresh process (output discarded), median of the runs after a warm-up: wall time",
        "and CPU time (user + system of the process, less disturbed by other jobs on the machine)"
        + ("; “before” = the same commands with `PYTHONPATH=SRC`, interleaved run by run." if cmp else "."),
        "",
    ]
    if cmp:
        lines += [
            "| command | wall before (ms) | wall now (ms) | CPU before (ms) | CPU now (ms) | CPU saved |",
            "|---|---:|---:|---:|---:|---:|",
        ]
    else:
        lines += ["| command | wall (ms) | CPU (ms) |", "|---|---:|---:|"]
    for label, now, before in rows:
        if before is not None:
            lines.append(
                f"| `{label}` | {before[0]:.0f} | {now[0]:.0f} | {before[1]:.0f} | {now[1]:.0f} | "
                f"{before[1] - now[1]:.0f} ms ({(before[1] - now[1]) / before[1]:.0%}) |"
            )
        else:
            lines.append(f"| `{label}` | {now[0]:.0f} | {now[1]:.0f} |")
    imp_now, imp_before = imports
    label = '`python -X importtime -c "import juesuan.cli"` (cumulative)'
    if cmp and imp_before is not None:
        lines.append(f"| {label} | {imp_before:.0f} | {imp_now:.0f} | | | |")
    else:
        lines.append(f"| {label} | {imp_now:.0f} | |")
    return "\n".join(lines) + "\n"


def write_section(md: str) -> None:
    _common_write(SECTION, md)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--runs", type=int, default=9, help="runs per command (median reported)")
    ap.add_argument("--compare", default=None, help="another tree's src folder, run interleaved as “before”")
    ap.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = ap.parse_args(argv)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    mach = machine()
    rows = measure(args.runs, args.compare)
    imports = (
        statistics.median(import_ms(None) for _ in range(5)),
        statistics.median(import_ms(args.compare) for _ in range(5)) if args.compare else None,
    )
    md = render_md(rows, imports, args, started, mach)
    print()
    print(md)
    if args.write:
        write_section(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
