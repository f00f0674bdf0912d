"""Reports and web benchmark on the real sample PDFs (the 30-page planning bureau, the 25-page
finance bureau with scanned images):

    .venv/bin/python bench/bench_reports.py [--runs N] [--no-write]

For each sample, CPU time of this process (median of N runs after one warm-up) of:

- ``check``: ``report.items.collect`` (read + rules), what ``juesuan check`` costs anyway;
- ``html``: the self-contained HTML report (pages rendered only where a finding has a place,
  each once; crops as 64-colour PNG);
- ``xlsx``: the workbook (问题清单, 全部单元格, a sheet per table);
- ``pdf``: the annotated PDF (pypdf, with the sentences narrowed by pdfium);
- ``web job``: ``web.worker.process_file`` (what the worker's child process does per upload);
- ``boxes``: the document view's boxes (``App.finding_boxes``: sentences narrowed);
- ``page``: one page image for the document view (render at 1.5 and PNG), median over pages.

Results go to ``docs/benchmarks.md`` (section ``## Reports and web``) with the machine and date.
Needs ``../shared/samples``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import machine as _common_machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Reports and web (`bench/bench_reports.py`)"
SAMPLES = ROOT.parent / "shared" / "samples"
FILES = ["shanghai-putuo-planning-2024.pdf", "shanghai-putuo-finance-2024.pdf"]


def cpu(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    out = fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return statistics.median(times) * 1000, out


def bench_one(path: Path, runs: int) -> dict[str, Any]:
    import pypdfium2 as pdfium

    from juesuan.report.crops import PageRenderer, SentenceLocator, finding_boxes
    from juesuan.report.html import render_html
    from juesuan.report.items import collect
    from juesuan.report.pdf_annotate import annotate_pdf
    from juesuan.report.xlsx import xlsx_bytes
    from juesuan.web.worker import process_file

    row: dict[str, Any] = {"file": path.name}
    t_check, items = cpu(lambda: collect([str(path)]), runs)
    it = items[0]
    assert it.data is not None
    findings = it.result.findings
    row["pages"] = it.doc.metadata.pages if it.doc else None
    row["findings"] = len(findings)
    row["with_box_pages"] = len({p for f in findings for p, bb in finding_boxes(f).items() if bb})
    row["check"] = t_check
    row["html"], html = cpu(lambda: render_html([it]), runs)
    row["html_kib"] = len(html.encode("utf-8")) / 1024
    row["xlsx"], _ = cpu(lambda: xlsx_bytes([it]), runs)
    row["pdf"], _ = cpu(lambda: annotate_pdf(it.data, findings), runs)
    row["web_job"], _ = cpu(lambda: process_file(str(path), path.name, 1000, lambda s, p: None), runs)

    def boxes() -> list[Any]:
        pdf = pdfium.PdfDocument(it.data)
        try:
            loc = SentenceLocator(pdf)
            return [finding_boxes(f, loc) for f in findings]
        finally:
            pdf.close()

    row["boxes"], _ = cpu(boxes, runs)

    def pages() -> list[float]:
        out = []
        r = PageRenderer(it.data, scale=1.5)
        try:
            for n in range(1, len(r) + 1):
                t = time.process_time()
                r.page_png(n)
                out.append(time.process_time() - t)
        finally:
            r.close()
        return out

    _, per_page = cpu(pages, 1)
    row["page"] = statistics.median(per_page) * 1000
    return row


def machine() -> str:
    return _common_machine(load=False)


def table(rows: list[dict[str, Any]], runs: int) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        SECTION,
        "",
        f"`.venv/bin/python bench/bench_reports.py --runs {runs}` — {when}, {machine()}.",
        "CPU time of this process in ms, median of the runs after a warm-up (wall time on a shared",
        "machine varies with the load; CPU time does not). `check` = read + rules (paid by every",
        "`juesuan check`); `html`/`xlsx`/`pdf` = the report alone from the checked document; `web job`",
        "= the worker's per-upload processing; `boxes` = the document view's boxes (sentences narrowed",
        "by pdfium); `page` = one page image of the document view (median over the pages). Pages are",
        "rendered for the HTML report only where a finding has a box, each once.",
        "",
        "| file | pages | findings | pages with boxes | check | html | html KiB | xlsx | pdf | web job | boxes | page |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        head.append(
            f"| {r['file']} | {r['pages']} | {r['findings']} | {r['with_box_pages']} | {r['check']:.0f} | {r['html']:.0f} "
            f"| {r['html_kib']:.0f} | {r['xlsx']:.0f} | {r['pdf']:.0f} | {r['web_job']:.0f} | {r['boxes']:.0f} | {r['page']:.0f} |"
        )
    return "\n".join(head) + "\n"


def write(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pat = re.compile(re.escape(SECTION) + r".*?(?=\n## |\Z)", re.S)
    if pat.search(text):
        text = pat.sub(lambda _: section.rstrip("\n") + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    if not SAMPLES.exists():
        print(f"{SAMPLES} is absent", file=sys.stderr)
        return 2
    rows = [bench_one(SAMPLES / f, args.runs) for f in FILES if (SAMPLES / f).exists()]
    out = table(rows, args.runs)
    print(out)
    if not args.no_write:
        write(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
