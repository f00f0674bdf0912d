"""Narrative benchmark: claim reading + binding (``attach_claims``) and the N rules, per document.

    .venv/bin/python bench/bench_narrative.py [--runs N] [--no-write]

For each seed text in ``../shared/seeds`` and each sample PDF in ``../shared/samples`` (read once;
reading is measured by the reader benchmarks), and for a composed disclosure: the median over N
runs of ``ingest.narrative.attach_claims`` (CPU time, this process) and of the N-* rules on the
document with its claims, with the number of numeric sentences, claims, bound claims and N findings.
Results go to ``docs/benchmarks.md`` (section ``## Narrative claims``) with machine and date.
"""

from __future__ import annotations

import argparse
import statistics
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
SHARED = ROOT.parent / "shared"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Narrative claims"


def _median_cpu(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up (regex and catalogue caches)
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def _machine() -> str:
    return _common_machine(load=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from juesuan.compose import synth
    from juesuan.compose.document import build_disclosure
    from juesuan.ingest import read
    from juesuan.ingest.narrative import attach_claims
    from juesuan.report.explain import explain_document
    from juesuan.rules import run_rules

    docs = []
    for p in sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "samples").glob("*.pdf")):
        docs.append((p.name, read(p)))
    tables, facts = synth(5)
    # the composed document's claims as a reader reads them (not the composer's own)
    docs.append(("composed (synth 5)", attach_claims(build_disclosure(tables, facts)[0])))

    rows = []
    for name, doc in docs:
        t_attach = _median_cpu(lambda doc=doc: attach_claims(doc), args.runs)
        t_rules = _median_cpu(lambda doc=doc: run_rules(doc, select=["N"]), args.runs)
        n = explain_document(doc).counts()
        findings = run_rules(doc, select=["N"])
        rows.append(
            (name, n["sentences"], n["claims"], n["bound"], len(findings), t_attach * 1000, t_rules * 1000)
        )
        print(f"{name:42} {n['sentences']:4} sentences {n['claims']:4} claims {n['bound']:4} bound "
              f"{len(findings):3} findings  attach {t_attach * 1000:6.1f} ms  N rules {t_rules * 1000:6.1f} ms")  # fmt: skip

    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_narrative.py --runs {args.runs}` — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {_machine()}.",
        "CPU time of this process (median of the runs after one warm-up), the document already read;",
        "`attach` = reading every numeric claim of the narrative and binding it to cells, `N rules` =",
        "all N-* rules on the document with its claims.",
        "",
        "| document | numeric sentences | claims | bound | N findings | attach (ms) | N rules (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s, c, b, f, ta, tr in rows:
        lines.append(f"| {name} | {s} | {c} | {b} | {f} | {ta:.1f} | {tr:.1f} |")
    section = "\n".join(lines) + "\n"
    if not args.no_write:
        _write(section)
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def _write(section: str) -> None:
    _common_write(SECTION, section)


if __name__ == "__main__":
    raise SystemExit(main())
