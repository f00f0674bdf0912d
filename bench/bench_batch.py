"""Corpus throughput: ``juesuan batch`` over ≥ 500 documents with 1 and 2 worker processes.

    .venv/bin/python bench/bench_batch.py [--docs 500] [--pdf-share 0.6] [--workers 1 2] [--write]

The inputs are built once in ``--work`` (default a temporary folder):

* PDFs: the four sample PDFs and ``--composed-pdfs`` composed disclosures rendered by WeasyPrint,
  each copied as many times as needed with a unique comment appended after ``%%EOF`` (pdfium
  ignores it, the content hash differs, so every copy is read and checked on its own);
* TXT: composed synthetic disclosures (``compose.synth`` with a different seed each, written by
  the TXT writer), read by the text reader.

Each run is a fresh ``run_batch`` into an empty output folder (reading, every rule, the Parquet
chunks, the cross-year pass and the DuckDB views: everything ``juesuan batch`` does). A sampler
thread records the resident memory of every worker process (``psutil``) every 0.2 s. Reported:
documents and PDFs per hour (wall clock), the 1 → 2 worker speed-up and the peak RSS per worker.
``--write`` puts the table into ``docs/benchmarks.md`` (section ``## Corpus batch``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import machine as _common_machine  # noqa: E402
from bench.common import write_section as _common_write  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
SECTION = "## Corpus batch"


def build_inputs(
    work: Path, n_docs: int, pdf_share: float, composed_pdfs: int
) -> tuple[list[Path], list[Path]]:
    from juesuan.compose import build_disclosure, render, synth

    work.mkdir(parents=True, exist_ok=True)
    n_pdf = round(n_docs * pdf_share)
    n_txt = n_docs - n_pdf
    bases: list[tuple[str, bytes]] = [(p.stem, p.read_bytes()) for p in sorted(SAMPLES.glob("*.pdf"))]
    cache = work / "_composed"
    cache.mkdir(exist_ok=True)
    for i in range(composed_pdfs):
        f = cache / f"composed-{i}.pdf"
        if not f.exists():
            tables, facts = synth(seed=1000 + i, department=f"基准市第{i + 1}局", year=2024)
            doc, _ = build_disclosure(tables, facts)
            f.write_bytes(render(doc, "pdf"))
        bases.append((f.stem, f.read_bytes()))
    pdfs = []
    for k in range(n_pdf):
        name, data = bases[k % len(bases)]
        p = work / "pdf" / f"{k:05d}-{name}.pdf"
        if not p.exists():
            p.parent.mkdir(exist_ok=True)
            p.write_bytes(data + f"\n%copy {k}\n".encode())
        pdfs.append(p)
    from juesuan.compose.render_txt import render_txt

    txts = []
    for k in range(n_txt):
        p = work / "txt" / f"{k:05d}.txt"
        if not p.exists():
            p.parent.mkdir(exist_ok=True)
            dept = f"基准市第{k % 50 + 1}局"
            tables, facts = synth(seed=5000 + k, department=dept, year=2023 + (k // 50) % 2)
            doc, _ = build_disclosure(tables, facts)
            p.write_text(render_txt(doc), encoding="utf-8")
        txts.append(p)
    return pdfs, txts


class RssSampler:
    """Peak RSS of every descendant process of this one (the pool workers)."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.peak: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                for ch in self.me.children(recursive=True):
                    try:
                        rss = ch.memory_info().rss
                        self.peak[ch.pid] = max(self.peak.get(ch.pid, 0), rss)
                        t = ch.cpu_times()
                        self.cpu[ch.pid] = t.user + t.system
                    except psutil.Error:
                        continue
            except psutil.Error:
                pass
            time.sleep(0.2)

    def __enter__(self) -> RssSampler:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()

    def worker_peaks(self) -> list[int]:
        # the fork server itself does no work and stays small; workers are the larger ones
        return sorted(self.peak.values(), reverse=True)


@dataclass
class Run:
    label: str
    workers: int
    docs: int
    ok: int
    failed: int
    seconds: float
    rss_mb: float
    cpu_seconds: float  # workers (last sample before they ended) + this process

    @property
    def cpu_per_doc(self) -> float:
        return self.cpu_seconds / self.docs if self.docs else 0.0

    @property
    def per_hour(self) -> float:
        return self.docs / self.seconds * 3600


def run_once(label: str, files: list[Path], workers: int, out: Path) -> Run:
    from juesuan.store import run_batch

    shutil.rmtree(out, ignore_errors=True)
    with RssSampler() as s:
        t0 = time.perf_counter()
        c0 = time.process_time()
        summary = run_batch([str(f) for f in files], out, workers=workers, timeout=120)
        seconds = time.perf_counter() - t0
        own_cpu = time.process_time() - c0
    peaks = s.worker_peaks()[:workers]
    cpu = own_cpu + sum(s.cpu.values())
    rss = max(peaks, default=0) / 2**20
    run = Run(label, workers, summary.processed, summary.ok, len(summary.failed), seconds, rss, cpu)
    print(
        f"{label:10} workers={workers} docs={run.docs} ok={run.ok} failed={run.failed} "
        f"{seconds:7.1f} s  {run.per_hour:9,.0f}/h  CPU {run.cpu_per_doc:.3f} s/doc  peak worker RSS {run.rss_mb:6.0f} MB",
        flush=True,
    )
    return run


def machine() -> str:
    return _common_machine(load=True)


def render_md(runs: list[Run], args: argparse.Namespace, started: str, mach: str) -> str:
    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_batch.py --docs {args.docs} --pdf-share {args.pdf_share} --workers "
        f"{' '.join(map(str, args.workers))}{' --pdf-only' if args.pdf_only else ''}` — {started}, {mach}.",
        "Wall clock of `run_batch` (read, all rules, Parquet chunks, cross-year pass, DuckDB views) into an",
        "empty folder; RSS = peak resident memory of the busiest worker process (psutil, sampled every 0.2 s).",
        "",
        "| inputs | workers | documents | ok | failed | seconds | documents / hour | speed-up | CPU s / document | peak RSS per worker (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base: dict[str, float] = {}
    for r in runs:
        if r.workers == 1:
            base[r.label] = r.per_hour
        sp = f"{r.per_hour / base[r.label]:.2f}×" if r.label in base and r.workers != 1 else "—"
        lines.append(
            f"| {r.label} | {r.workers} | {r.docs} | {r.ok} | {r.failed} | {r.seconds:.1f} | {r.per_hour:,.0f} | {sp} | {r.cpu_per_doc:.3f} | {r.rss_mb:.0f} |"
        )
    return "\n".join(lines) + "\n"


def write_section(md: str) -> None:
    _common_write(SECTION, md)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--docs", type=int, default=500, help="documents in the mixed batch")
    ap.add_argument("--pdf-share", type=float, default=0.6, help="share of PDFs in the mixed batch")
    ap.add_argument("--composed-pdfs", type=int, default=6, help="composed disclosures rendered to PDF")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--work", type=Path, default=None, help="folder for inputs and outputs (kept)")
    ap.add_argument("--pdf-only", action="store_true", help="also time the PDFs of the batch alone")
    ap.add_argument("--write", action="store_true", help="write the table into docs/benchmarks.md")
    args = ap.parse_args(argv)
    if not SAMPLES.exists():
        print(f"{SAMPLES} is absent: the benchmark needs the sample PDFs", file=sys.stderr)
        return 2
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    mach = machine()
    work = args.work or Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    t0 = time.perf_counter()
    pdfs, txts = build_inputs(work / "in", args.docs, args.pdf_share, args.composed_pdfs)
    print(
        f"inputs: {len(pdfs)} PDF + {len(txts)} TXT in {work / 'in'} ({time.perf_counter() - t0:.0f} s to build)",
        flush=True,
    )
    runs: list[Run] = []
    for w in args.workers:
        runs.append(run_once("PDF + TXT", pdfs + txts, w, work / f"out-mixed-{w}"))
    if args.pdf_only:
        for w in args.workers:
            runs.append(run_once("PDF only", pdfs, w, work / f"out-pdf-{w}"))
    md = render_md(runs, args, started, mach)
    print()
    print(md)
    if args.write:
        write_section(md)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
