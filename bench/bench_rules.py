"""Rule engine benchmark: reading the claims (``attach_claims``) and ``run_rules`` per document.

    .venv/bin/python bench/bench_rules.py [--runs N] [--against DIR] [--no-write]

For each sample PDF in ``../shared/samples`` and seed text in ``../shared/seeds`` (read once;
reading is measured by the reader benchmarks): the median CPU time (this process) of
``ingest.narrative.attach_claims`` (the reader's last step: the narrative's claims read and bound)
and of ``rules.run_rules`` (every rule on the document with its claims) over N runs.

``--against DIR``: a ``src`` directory of another checkout (e.g. ``git archive <commit> src |
tar -x -C /tmp/old``, then ``--against /tmp/old/src``). Its ``juesuan`` package is imported under
another name in this same process and both are timed in turns, run by run, so that the load of a
shared machine falls on both alike; the table then shows both and the ratio of their sums (an
older checkout that still reads the claims inside ``run_rules``, from ``narrative.bind``, is asked
for its rules alone with ``prepared=True``, so the columns mean the same). Results go to
``docs/benchmarks.md`` (section ``## Rule engine``) with machine and date.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import machine as _common_machine  # noqa: E402
from bench.common import write_section as _common_write  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Rule engine"


def _machine() -> str:
    return _common_machine(load=False)


def _package(name: str) -> tuple[ModuleType, Callable[[Any], object], Callable[[Any], object]]:
    """(the readers, attach_claims, the rules alone) of the package ``name``."""
    ingest = importlib.import_module(f"{name}.ingest")
    rules = importlib.import_module(f"{name}.rules")
    try:
        attach = importlib.import_module(f"{name}.ingest.narrative").attach_claims
    except ImportError:  # an older checkout: the claims read by ``run_rules`` itself
        attach = importlib.import_module(f"{name}.narrative.bind").attach_claims
        return ingest, attach, lambda doc: rules.run_rules(doc, prepared=True)
    return ingest, attach, rules.run_rules


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--against", type=Path, help="src directory of another checkout to compare with")
    ap.add_argument(
        "--stat",
        choices=("median", "min"),
        default="median",
        help="median of the runs, or the fastest (on a loaded machine others' work only adds time)",
    )
    ap.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    packages = {"juesuan": _package("juesuan")}
    tmp = None
    if args.against is not None:
        # the other checkout's package under another name (its imports are relative)
        tmp = tempfile.mkdtemp(prefix="bench_rules_")
        shutil.copytree(args.against / "juesuan", Path(tmp) / "juesuan_against")
        sys.path.insert(0, tmp)
        packages = {"juesuan_against": _package("juesuan_against"), **packages}
    paths = sorted((SHARED / "samples").glob("*.pdf")) + sorted((SHARED / "seeds").glob("*.txt"))
    rows: list[tuple[str, dict[str, tuple[float, float]], int]] = []
    try:
        for p in paths:
            docs = {n: pk[0].read(p) for n, pk in packages.items()}
            times: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in packages}
            n_findings = len(packages["juesuan"][2](docs["juesuan"]))  # type: ignore[arg-type]
            for n, pk in packages.items():
                pk[2](docs[n])  # warm-up (patterns, catalogue)
            for _ in range(args.runs):
                for n, (_, attach, run_rules) in packages.items():
                    t = time.process_time()
                    attach(docs[n])
                    times[n][0].append(time.process_time() - t)
                    t = time.process_time()
                    run_rules(docs[n])
                    times[n][1].append(time.process_time() - t)
            stat = statistics.median if args.stat == "median" else min
            med = {n: (stat(a) * 1000, stat(r) * 1000) for n, (a, r) in times.items()}
            rows.append((p.name, med, n_findings))
            shown = "  ".join(f"{n}: attach {a:6.1f} ms, run_rules {r:6.1f} ms" for n, (a, r) in med.items())
            print(f"{p.name:40} {n_findings:3} findings  {shown}")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    against = args.against is not None
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_rules.py --runs {args.runs}"
        + (f" --against {args.against}" if against else "")
        + (" --stat min" if args.stat == "min" else "")
        + f"` — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {_machine()}.",
        f"CPU time of this process ({'median' if args.stat == 'median' else 'fastest'} of the runs after one warm-up), "
        "the document already read;",
        "`attach` = reading and binding the narrative's claims (the reader's last step), `run_rules` = every rule.",
    ]
    if against:
        lines += [
            f"“before” is the package of `{args.against}`, timed in turns with this checkout in the same process.",
            "",
            "| document | findings | attach before (ms) | attach (ms) | run_rules before (ms) | run_rules (ms) | ratio of the sums |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        tab = tan = trb = trn = 0.0
        for name, med, nf in rows:
            (ab, rb), (an, rn) = med["juesuan_against"], med["juesuan"]
            tab, tan, trb, trn = tab + ab, tan + an, trb + rb, trn + rn
            lines.append(f"| {name} | {nf} | {ab:.1f} | {an:.1f} | {rb:.1f} | {rn:.1f} | {(an + rn) / (ab + rb):.2f} |")
        lines.append(f"| total | | {tab:.1f} | {tan:.1f} | {trb:.1f} | {trn:.1f} | {(tan + trn) / (tab + trb):.2f} |")
    else:
        lines += ["", "| document | findings | attach (ms) | run_rules (ms) |", "|---|---:|---:|---:|"]
        for name, med, nf in rows:
            a, r = med["juesuan"]
            lines.append(f"| {name} | {nf} | {a:.1f} | {r:.1f} |")
    section = "\n".join(lines) + "\n"
    if not args.no_write:
        _write(section)
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def _write(section: str) -> None:
    _common_write(SECTION, section)


if __name__ == "__main__":
    raise SystemExit(main())
