"""Office reader benchmark: DOCX, HTML, XLSX and XLS of one composed disclosure.

    .venv/bin/python bench/bench_office.py [--runs N] [--no-write]

The disclosure is composed from synthetic data (``compose.synth(5)``, 14 tables, the whole
narrative) and written as DOCX and HTML; its tables as the 决算 software's workbook (XLSX, and
the same workbook as a legacy XLS written with xlwt). For each file, CPU time of this process
(median of N runs after one warm-up):

- ``floor``: what the underlying library alone costs to open the file and touch its content
  (python-docx ``Document`` + every paragraph's and cell's text; lxml ``document_fromstring`` +
  ``text_content``; openpyxl ``load_workbook`` + every cell value; xlrd ``open_workbook``);
- ``layout``: our reader up to the ``RawDocument`` (``read_*_raw``);
- ``read``: ``juesuan.ingest.read`` on the file (layout + assemble + 元 conversion).

Results go to ``docs/benchmarks.md`` (section ``## Office readers``) with the machine and date.
"""

from __future__ import annotations

import argparse
import functools
import io
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from juesuan.ingest.raw import RawDocument

if not __package__:  # run as a script: make the ``bench`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import machine as _common_machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Office readers (`bench/bench_office.py`)"


def _median(fn: Callable[[], object], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def _machine() -> str:
    return _common_machine(load=False)


def _files(tmp: Path) -> dict[str, Path]:
    from juesuan.compose import compose, synth, write_output
    from juesuan.compose.workbook import write_workbook

    tables, facts = synth(5)
    res = compose(tables, facts)
    out = {
        "docx": write_output(res, tmp / "决算.docx"),
        "html": write_output(res, tmp / "决算.html"),
        "xlsx": write_workbook(tmp / "决算报表.xlsx", tables, facts.department, facts.year),
    }
    try:
        sys.path.insert(0, str(ROOT / "tests"))
        from test_ingest_xlsx import xls_from_xlsx

        p = tmp / "决算报表.xls"
        p.write_bytes(xls_from_xlsx(out["xlsx"]))
        out["xls"] = p
    except ImportError:  # xlwt (a test dependency) missing
        pass
    return out


def _floor(kind: str, data: bytes) -> Callable[[], object]:
    if kind == "docx":

        def f() -> object:
            import docx

            d = docx.Document(io.BytesIO(data))
            n = sum(len(p.text) for p in d.paragraphs)
            for t in d.tables:
                for r in t.rows:
                    n += sum(len(c.text) for c in r.cells)
            return n

        return f
    if kind == "html":

        def g() -> object:
            import lxml.html

            return len(lxml.html.document_fromstring(data.decode("utf-8")).text_content())

        return g
    if kind == "xlsx":

        def h() -> object:
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(data), data_only=True)
            return sum(
                1
                for ws in wb.worksheets
                for row in ws.iter_rows(values_only=True)
                for v in row
                if v is not None
            )

        return h

    def x() -> object:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
        return sum(sh.nrows for sh in book.sheets())

    return x


def _layout(kind: str, data: bytes) -> Callable[[], RawDocument]:
    from juesuan.ingest.office import raw_office_bytes

    return lambda: raw_office_bytes(f"f.{kind}", data)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    from juesuan.ingest import read
    from juesuan.ingest.raw import RawGrid

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, path in _files(Path(tmp)).items():
            data = path.read_bytes()
            raw = _layout(kind, data)()
            grids = sum(1 for b in raw.blocks if isinstance(b, RawGrid))
            doc = read(path)
            floor = _median(_floor(kind, data), args.runs)
            layout = _median(_layout(kind, data), args.runs)
            total = _median(functools.partial(read, path), args.runs)
            rows.append(
                (kind, len(data) // 1024, len(raw.blocks), grids, len(doc.tables), floor, layout, total)
            )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        SECTION,
        "",
        f"`{' '.join(['.venv/bin/python', 'bench/bench_office.py'] + (argv if argv is not None else sys.argv[1:]))}` — {now}, {_machine()}.",
        "One composed disclosure (`synth(5)`: 14 tables with the whole narrative for DOCX/HTML; the 11",
        "公开表 of the 决算 workbook for XLSX/XLS). CPU time of this process, median of the runs after a",
        "warm-up. `floor` = the library alone opening the file and touching every text/cell;",
        "`layout` = our reader to the `RawDocument`; `read` = `juesuan.ingest.read` (layout + assemble).",
        "",
        "| file | KiB | blocks | grids | tables | floor (ms) | layout (ms) | read (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, kib, blocks, grids, tables, floor, layout, total in rows:
        lines.append(
            f"| {kind} | {kib} | {blocks} | {grids} | {tables} | {floor * 1000:.1f} | {layout * 1000:.1f} | {total * 1000:.1f} |"
        )
    lines.append("")
    section = "\n".join(lines) + "\n"
    print(section)
    if not args.no_write:
        text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
        pattern = re.compile(re.escape(SECTION) + r".*?(?=^## |\Z)", re.S | re.M)
        text = (
            pattern.sub(lambda _m: section, text)
            if pattern.search(text)
            else text.rstrip("\n") + "\n\n" + section
        )
        DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
