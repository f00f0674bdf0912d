"""Hostile and unlucky inputs (issue #19): the goals measured.

    .venv/bin/python bench/bench_abuse.py [--size full|small] [--no-write]

Runs ``juesuan check`` once on every input of ``tests/abuse_inputs.py`` (huge pages, truncated
and encrypted files, deep and broken web pages, a million lines, big sheets, zip bombs), each in
its own process, and records its exit code, wall time and peak RSS (the kernel's accounting of
that process alone). The goals: 0 crashes (exit 3 or a traceback), 0 hangs (an input not answered
in 30 s), peak RSS at most 1 GB for any input. Results go to ``docs/benchmarks.md`` (section
``## Hostile inputs``) with machine and date; exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import ROOT, machine, write_section  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from abuse_inputs import CASES, run_check, write_case  # noqa: E402

SECONDS = 30.0
PEAK_MB = 1024.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", choices=("full", "small"), default="full")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    rows = []
    crashes = hangs = over = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in CASES:
            path = write_case(name, Path(tmp), args.size)
            size_kb = path.stat().st_size / 1024
            o = run_check(path, timeout=SECONDS + 30)
            crashed = o.code not in (0, 1, 2, None) or "Traceback" in o.output
            hung = o.code is None or o.seconds > SECONDS
            crashes += crashed
            hangs += hung
            over += o.peak_mb > PEAK_MB
            answer = [ln.strip() for ln in o.output.splitlines() if ln.strip()]
            said = answer[-1].replace(str(path), path.name) if answer else ""
            said = said if len(said) <= 90 else said[:89] + "…"
            rows.append(f"| {name} | {size_kb:,.0f} | {o.code} | {o.seconds:.1f} | {o.peak_mb:,.0f} | {said} |")
            print(rows[-1], flush=True)
    worst_mb = max(float(r.split("|")[5].replace(",", "")) for r in rows)
    text = "\n".join(
        [
            "## Hostile inputs",
            "",
            f"`.venv/bin/python bench/bench_abuse.py --size {args.size}` — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
            f"{machine(load=True)}. Each input of `tests/abuse_inputs.py` checked by `juesuan check` in its own "
            "process with the default budgets (`src/juesuan/runtime/limits.py`); exit 0/1 = read and checked, "
            "2 = refused with a Chinese message naming the file (and the budget and its variable when a budget "
            "stopped it), 3 or a traceback = a crash.",
            "",
            f"Goals: 0 crashes (measured {crashes}), 0 hangs over {SECONDS:.0f} s (measured {hangs}), peak RSS "
            f"≤ {PEAK_MB:.0f} MB for every input (inputs over: {over}; largest {worst_mb:,.0f} MB).",
            "",
            "| input | size (KB) | exit | seconds | peak RSS (MB) | answer (last line) |",
            "|---|---:|---:|---:|---:|---|",
            *rows,
        ]
    )
    if not args.no_write:
        write_section("## Hostile inputs", text)
    print(text)
    return 1 if crashes or hangs or over else 0


if __name__ == "__main__":
    raise SystemExit(main())
