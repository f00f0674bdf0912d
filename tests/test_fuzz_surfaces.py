"""Fuzzing the whole path a user takes: damaged copies of a real PDF and of a seed text, and
hostile files (a pipe, a device, a folder, a symlink loop, binary junk), through ``check`` and the
forwarded reports. Every input ends as findings or a clear input error: exit 0, 1 or 2, never an
internal error (exit 3) or a traceback, each within a few seconds.

The fast run takes a few examples per strategy; ``JUESUAN_FUZZ_EXAMPLES`` or the slow test runs
more (``pytest -m slow tests/test_fuzz_surfaces.py``)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import sample, seed
from juesuan.api import INTERNAL
from juesuan.cli import app
from juesuan.report.forwarded import write_forwarded
from juesuan.report.items import collect

N = int(os.environ.get("JUESUAN_FUZZ_EXAMPLES", "6"))
# the same examples every run (a test suite must not fail at random); the long runs draw new ones
FUZZ = settings(
    max_examples=N, deadline=timedelta(seconds=30), suppress_health_check=list(HealthCheck), database=None,
    derandomize="JUESUAN_FUZZ_EXAMPLES" not in os.environ,
)  # fmt: skip
PER_INPUT = 20.0  # seconds; the budget of one damaged input through check and the reports


def _pdf() -> bytes:
    return sample("shanghai-putuo-social-work-2024.pdf").read_bytes()


def _text() -> bytes:
    return seed("000_28fcffc144f7be8d.txt").read_bytes()


def mutate(data: bytes, flips: list[tuple[int, int]], cut: float | None, insert: bytes) -> bytes:
    """Bytes replaced at relative positions, an optional truncation and a block inserted."""
    b = bytearray(data)
    for pos, val in flips:
        b[pos % len(b)] = val
    if cut is not None:
        b = b[: max(1, int(len(b) * cut))]
    if insert:
        at = len(b) // 2
        b[at:at] = insert
    return bytes(b)


damage = st.tuples(
    st.lists(st.tuples(st.integers(0, 1 << 30), st.integers(0, 255)), max_size=40),
    st.one_of(st.none(), st.floats(0.01, 0.99)),
    st.binary(max_size=200),
)


def _through_everything(path: Path, tmp: Path) -> None:
    t0 = time.monotonic()
    items = collect([str(path)], timeout=PER_INPUT)  # what check does, keeping the document
    r = items[0].result
    assert r.error_code not in INTERNAL, r.error
    if r.error:
        assert str(path) in r.error and "Traceback" not in r.error
    if items[0].result.ok:
        write_forwarded(items, "html", tmp / "r.html")
        write_forwarded(items, "xlsx", tmp / "r.xlsx")
        if items[0].is_pdf:
            write_forwarded(items, "pdf", tmp / "r.pdf")
            assert (tmp / "r.pdf").read_bytes().startswith(b"%PDF")
    assert time.monotonic() - t0 < 3 * PER_INPUT


@FUZZ
@given(d=damage)
@example(d=([(384, 0)], None, b""))  # a page pdfium cannot load: the HTML report's crop of it failed
@example(d=([(41866, 128)], None, b""))  # a stray surrogate in the page's text: no UTF-8 writer took it
@example(d=([(948, 0)], None, b"\x00"))  # a /CropBox that is no rectangle: the annotated PDF failed
def test_damaged_pdf(d: tuple[list[tuple[int, int]], float | None, bytes], tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("pdf")
    p = tmp / "damaged.pdf"
    p.write_bytes(mutate(_pdf(), *d))
    _through_everything(p, tmp)


@FUZZ
@given(d=damage)
def test_damaged_text(d: tuple[list[tuple[int, int]], float | None, bytes], tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("txt")
    p = tmp / "damaged.txt"
    p.write_bytes(mutate(_text(), *d))
    _through_everything(p, tmp)


@pytest.mark.slow
def test_damaged_inputs_long_run(tmp_path: Path) -> None:
    """The same strategies, many more examples (minutes)."""
    long = settings(FUZZ, max_examples=200, derandomize=False)
    long(given(d=damage)(lambda d: _one(d, tmp_path)))()


def _one(d: tuple[list[tuple[int, int]], float | None, bytes], tmp: Path) -> None:
    for name, data in (("damaged.pdf", _pdf()), ("damaged.txt", _text())):
        p = tmp / name
        p.write_bytes(mutate(data, *d))
        _through_everything(p, tmp)


def _hostile(tmp: Path) -> list[str]:
    fifo = tmp / "pipe.pdf"
    os.mkfifo(fifo)
    loop = tmp / "loop"
    loop.symlink_to(loop)
    (tmp / "folder.pdf").mkdir()
    (tmp / "junk.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(5000))
    (tmp / "zeros.docx").write_bytes(b"PK\x03\x04" + bytes(4000))
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "nul.txt").write_bytes(b"\x00" * 1000)
    (tmp / "deep.html").write_text("<div>" * 5000 + "本年收入合计 1.00 万元" + "</div>" * 5000, encoding="utf-8")
    (tmp / "style.html").write_text("<style>" + "a" * 200_000, encoding="utf-8")
    return [str(fifo), str(loop), str(tmp / "folder.pdf"), "/dev/zero", *(str(tmp / n) for n in ("junk.pdf", "zeros.docx", "empty.txt", "nul.txt", "deep.html", "style.html"))]


@pytest.mark.parametrize("fmt", ["text", "json", "html", "xlsx"])
def test_hostile_files_through_the_command_line(fmt: str, tmp_path: Path) -> None:
    inputs = _hostile(tmp_path / "in")
    args = ["check", *inputs, "-f", fmt, "--timeout", "20"]
    if fmt in ("html", "xlsx"):
        args += ["-o", str(tmp_path / f"r.{fmt}")]
    t0 = time.monotonic()
    res = CliRunner().invoke(app, args)
    assert time.monotonic() - t0 < 60
    assert res.exit_code in (0, 1, 2), res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output and "内部错误" not in res.output


@pytest.fixture(autouse=True)
def _hostile_dir(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
