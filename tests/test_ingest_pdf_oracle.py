"""pdfplumber (MIT, tests only) as an independent oracle for the PDF reader's tables: on every
page of the four samples, pdfplumber's ``extract_tables()`` and our grids must hold the same
non-blank cells, row by row, in the same order."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from conftest import sample
from juesuan.ingest.pdf import read_pdf_raw
from juesuan.ingest.raw import RawGrid

SAMPLES = [
    "shanghai-putuo-finance-2024",
    "shanghai-putuo-planning-2024",
    "shanghai-putuo-social-work-2024",
    "shanghai-template-2024",
]


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _rows(rows: list[list[str]]) -> list[list[str]]:
    """Non-blank cells of each row that has any."""
    out = [[c for c in r if c] for r in rows]
    return [r for r in out if r]


@pytest.mark.slow  # pdfplumber takes 1-2 s per sample on an idle machine
@pytest.mark.parametrize("name", SAMPLES)
def test_grids_agree_with_pdfplumber(name: str) -> None:
    path = sample(f"{name}.pdf")
    raw = read_pdf_raw(path.name, path.read_bytes())
    ours: dict[int, list[RawGrid]] = {}
    for b in raw.blocks:
        if isinstance(b, RawGrid) and b.loc and b.loc.page:
            ours.setdefault(b.loc.page, []).append(b)
    compared = 0
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            theirs = [t for t in page.extract_tables() if any(_norm(c) for r in t for c in r)]
            mine = ours.get(number, [])
            assert len(mine) == len(theirs), f"page {number}: table count"
            for t, g in zip(theirs, mine, strict=True):
                expected = _rows([[_norm(c) for c in r] for r in t])
                got = _rows([[_norm(c.text) for c in r] for r in g.rows])
                assert got == expected, f"page {number}"
                compared += sum(len(r) for r in expected)
    assert compared > 100
