"""Text reader and assembler benchmark.

    .venv/bin/python bench/bench_text.py [--runs N] [--no-write]

For each seed text in ``../shared/seeds``, the built-in example and a composed TXT: the median CPU
time (this process, after a warm-up) of the text layer (decode + lines and grids) and of
``assemble`` (the whole typed model). For each sample PDF in ``../shared/samples``: the raw layer is
built once by the PDF reader and only ``assemble`` is timed (the PDF layer is measured by
``bench/bench_pdf.py``). Results go to ``docs/benchmarks.md`` (section ``## Text reader and
assembler``) with machine and date.
"""

from __future__ import annotations

import argparse
import os
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
SECTION = "## Text reader and assembler"


def _median_cpu(fn: Callable[[], object], runs: int) -> float:
    fn()
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
    from juesuan.api import example_path
    from juesuan.compose import compose, synth
    from juesuan.compose.render_txt import render_txt
    from juesuan.ingest.assemble import assemble
    from juesuan.ingest.raw import RawDocument, RawGrid
    from juesuan.ingest.text import decode, raw_from_text

    texts: list[tuple[str, bytes]] = [
        (p.name, p.read_bytes()) for p in sorted((SHARED / "seeds").glob("*.txt"))
    ]
    texts.append(("example.txt (built-in)", example_path().read_bytes()))
    tables, facts = synth(5)
    texts.append(("composed TXT (synth 5)", render_txt(compose(tables, facts).disclosure).encode("utf-8")))

    def size(raw: RawDocument) -> tuple[int, int]:
        grids = [b for b in raw.blocks if isinstance(b, RawGrid)]
        return len(raw.blocks), sum(len(r) for g in grids for r in g.rows)

    rows = []
    for name, data in texts:
        raw = raw_from_text(name, decode(name, data))
        doc = assemble(raw)
        t_raw = _median_cpu(lambda name=name, data=data: raw_from_text(name, decode(name, data)), args.runs)
        t_asm = _median_cpu(lambda raw=raw: assemble(raw), args.runs)
        blocks, cells = size(raw)
        rows.append(
            (name, len(data.splitlines()), None, blocks, cells, len(doc.tables), t_raw * 1000, t_asm * 1000)
        )
    try:
        from juesuan.ingest.pdf import read_pdf_raw
    except ImportError:  # the PDF reader is not in this checkout
        read_pdf_raw = None
    if read_pdf_raw is not None:
        for p in sorted((SHARED / "samples").glob("*.pdf")):
            raw = read_pdf_raw(p.name, p.read_bytes())
            doc = assemble(raw)
            t_asm = _median_cpu(lambda raw=raw: assemble(raw), args.runs)
            blocks, cells = size(raw)
            rows.append((p.name, None, raw.pages, blocks, cells, len(doc.tables), None, t_asm * 1000))
    models = _model_costs()
    for label, us in models:
        print(f"{label:48} {us:6.2f} µs")
    for r in rows:
        print(f"{r[0]:42} blocks {r[3]:5} cells {r[4]:6} tables {r[5]:3}  text layer "
              f"{'-' if r[6] is None else f'{r[6]:6.1f} ms'}  assemble {r[7]:6.1f} ms")  # fmt: skip

    lines = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_text.py --runs {args.runs}` — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {_machine()},",
        f"load average {os.getloadavg()[0]:.1f} while measuring (other jobs on the machine inflate even CPU time).",
        "CPU time of this process (median of the runs after one warm-up). `text layer` = decoding and",
        "cutting a text file into lines and grids (`ingest.text.raw_from_text`); `assemble` = the raw",
        "document to the typed model (metadata, 目录, headings, every table with canonical keys). For the",
        "sample PDFs the raw layer comes from the PDF reader (timed in its own benchmark).",
        "",
        "| document | lines / pages | blocks | grid cells | tables | text layer (ms) | assemble (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, nlines, pages, blocks, cells, ntables, t_raw, t_asm in rows:
        size_s = f"{nlines} lines" if nlines is not None else f"{pages} pages"
        raw_s = "—" if t_raw is None else f"{t_raw:.1f}"
        lines.append(f"| {name} | {size_s} | {blocks} | {cells} | {ntables} | {raw_s} | {t_asm:.1f} |")
    lines += [
        "",
        "Cost of building one model object (µs, best of 7 × 20 000), which decides how the hot paths",
        "build cells and sentences: with this pydantic, `model_construct` (no validation) is slower",
        "than the validating constructor, so the assembler keeps the plain constructors.",
        "",
        "| object | µs |",
        "|---|---:|",
        *[f"| {label} | {us:.2f} |" for label, us in models],
    ]
    section = "\n".join(lines) + "\n"
    if not args.no_write:
        _write(section)
        print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


def _model_costs() -> list[tuple[str, float]]:
    """µs per object for the model classes the assembler creates most (a table cell, a sentence),
    through the validating constructor and through ``model_construct``."""
    import timeit
    from decimal import Decimal

    import pydantic

    from juesuan.model import Cell, Location, Sentence

    loc = Location(page=1, bbox=(1.0, 2.0, 3.0, 4.0))
    value = Decimal("1.23")
    cases: list[tuple[str, Callable[[], object]]] = [
        ("Cell(...)", lambda: Cell(raw="1.23", value=value, loc=loc, confidence=None)),
        (
            "Cell.model_construct(...)",
            lambda: Cell.model_construct(raw="1.23", value=value, loc=loc, confidence=None),
        ),
        ("Sentence(...)", lambda: Sentence(text="句子。", loc=loc, start=0, end=3)),
        (
            "Sentence.model_construct(...)",
            lambda: Sentence.model_construct(text="句子。", loc=loc, start=0, end=3),
        ),
    ]
    n = 20000
    out = [
        (f"{label} (pydantic {pydantic.VERSION})", min(timeit.repeat(fn, number=n, repeat=7)) / n * 1e6)
        for label, fn in cases
    ]
    return out


def _write(section: str) -> None:
    _common_write(SECTION, section)


if __name__ == "__main__":
    raise SystemExit(main())
