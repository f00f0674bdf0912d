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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import ROOT, machine, write_section  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from abuse_inputs import CASES, run_check, write_case  # noqa: E402

SECONDS = 30.0
PEAK_MB = 1024.0


@dataclass
class Measured:
    """One input checked by the command: how it ended, how long it took, its peak memory."""

    name: str
    size_kb: float
    code: int | None
    seconds: float
    peak_mb: float
    said: str  # the answer's last line

    @property
    def crashed(self) -> bool:
        return self.code not in (0, 1, 2, None) or "Traceback" in self.said

    @property
    def hung(self) -> bool:
        return self.code is None or self.seconds > SECONDS

    def row(self) -> str:
        return f"| {self.name} | {self.size_kb:,.0f} | {self.code} | {self.seconds:.1f} | {self.peak_mb:,.0f} | {self.said} |"


def measure(path: Path, name: str) -> Measured:
    """Run ``juesuan check`` on ``path`` in its own process and measure it."""
    o = run_check(path, timeout=SECONDS + 30)
    answer = [ln.strip() for ln in o.output.splitlines() if ln.strip()]
    said = answer[-1].replace(str(path), path.name) if answer else ""
    said = said if len(said) <= 90 else said[:89] + "…"
    if "Traceback" in o.output:
        said = "Traceback: " + said
    return Measured(name, path.stat().st_size / 1024, o.code, o.seconds, o.peak_mb, said)


def measure_all(size: str, *, echo: bool = True) -> list[Measured]:
    """Every input of ``tests/abuse_inputs.py`` at ``size``, measured."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in CASES:
            out.append(measure(write_case(name, Path(tmp), size), name))
            if echo:
                print(out[-1].row(), flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", choices=("full", "small"), default="full")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    runs = measure_all(args.size)
    crashes = sum(m.crashed for m in runs)
    hangs = sum(m.hung for m in runs)
    over = sum(m.peak_mb > PEAK_MB for m in runs)
    worst_mb = max(m.peak_mb for m in runs)
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
            *[m.row() for m in runs],
        ]
    )
    if not args.no_write:
        write_section("## Hostile inputs", text)
    print(text)
    return 1 if crashes or hangs or over else 0


if __name__ == "__main__":
    raise SystemExit(main())
