"""Ruling segments grouped into regions: ``layout._regions`` (a page's first region followed with
its box in locals while it is the only one) must give exactly the regions of the plain
algorithm (every segment tested against every region with ``_Region.touches``), on every page
of the samples and of a composed disclosure, and on random segment sets."""

from __future__ import annotations

import random

import pypdfium2 as pdfium
import pytest

from conftest import sample
from juesuan.ingest.pdf.layout import _Region, _regions
from juesuan.ingest.pdf.primitives import PageContent, Segment, page_contents

SAMPLES = [
    "shanghai-putuo-finance-2024",
    "shanghai-putuo-planning-2024",
    "shanghai-putuo-social-work-2024",
    "shanghai-template-2024",
]


def reference_regions(page: PageContent) -> list[_Region]:
    nh = len(page.hlines)
    order = sorted((s.top, s.x0, k, s) for k, s in enumerate(page.hlines + page.vlines))
    regions: list[_Region] = []
    for _, _, k, s in order:
        touched = [r for r in regions if r.touches(s)]
        if not touched:
            r = _Region(s.x0, s.top, s.x1, s.bottom)
            r.add(s, k < nh)
            regions.append(r)
            continue
        first = touched[0]
        first.add(s, k < nh)
        for other in touched[1:]:
            for x in other.h:
                first.add(x, True)
            for x in other.v:
                first.add(x, False)
            regions.remove(other)
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(regions):
            for b in regions[i + 1 :]:
                box = Segment(b.x0, b.top, b.x1, b.bottom)
                if a.touches(box):
                    for x in b.h:
                        a.add(x, True)
                    for x in b.v:
                        a.add(x, False)
                    regions.remove(b)
                    merged = True
                    break
            if merged:
                break
    return regions


def _same(pages: list[PageContent]) -> int:
    n = 0
    for p in pages:
        got = _regions(p)
        assert repr(got) == repr(reference_regions(p)), f"page {p.number}"
        n += len(got)
    return n


@pytest.mark.parametrize("name", SAMPLES)
def test_regions_of_every_sample_page_equal_the_reference(name: str) -> None:
    pdf = pdfium.PdfDocument(sample(f"{name}.pdf").read_bytes())
    try:
        assert _same(page_contents(pdf)) >= 10
    finally:
        pdf.close()


def test_regions_of_a_composed_disclosure_equal_the_reference() -> None:
    pytest.importorskip("weasyprint")
    from juesuan.compose import build_disclosure, render, synth

    tables, facts = synth(seed=11, department="测试市第二局", year=2024)
    doc, _ = build_disclosure(tables, facts)
    try:
        data = render(doc, "pdf")
    except RuntimeError as exc:  # WeasyPrint's system libraries missing
        pytest.skip(str(exc))
    pdf = pdfium.PdfDocument(data)
    try:
        assert _same(page_contents(pdf)) >= 10
    finally:
        pdf.close()


def _ragged_table(rnd: random.Random) -> tuple[list[Segment], list[Segment]]:
    """A table drawn one piece per cell border, each piece shortened by a random gap (often
    none, sometimes just under or over the distance at which segments touch) and a few stray
    segments: one region that may break into several and join again."""
    xs = [50.0]
    for _ in range(rnd.randint(1, 6)):
        xs.append(xs[-1] + rnd.choice([4.0, 7.0, rnd.uniform(2, 80)]))
    ys = [50.0]
    for _ in range(rnd.randint(1, 8)):
        ys.append(ys[-1] + rnd.choice([4.0, 7.0, rnd.uniform(2, 40)]))

    def gap() -> float:
        return rnd.choice([0.0, 0.0, 0.0, rnd.uniform(0, 8), 2.9, 3.1, 5.9, 6.1])

    hl = [
        Segment(a + gap(), y, b - gap(), y + rnd.choice([0.0, 0.5]))
        for y in ys
        for a, b in zip(xs, xs[1:], strict=False)
        if rnd.random() < 0.9
    ]
    vl = [
        Segment(x, a + gap(), x + rnd.choice([0.0, 0.5]), b - gap())
        for x in xs
        for a, b in zip(ys, ys[1:], strict=False)
        if rnd.random() < 0.9
    ]
    for _ in range(rnd.randint(0, 3)):
        x, y = rnd.uniform(0, 400), rnd.uniform(0, 400)
        hl.append(Segment(x, y, x + rnd.uniform(1, 100), y))
    return [s for s in hl if s.x1 > s.x0], [s for s in vl if s.bottom > s.top]


def test_regions_of_random_segments_equal_the_reference() -> None:
    """Many regions, regions joined by a later segment, regions joined after growing."""
    rnd = random.Random(5)
    total = 0
    for n in range(1500):
        hl, vl = _ragged_table(rnd)
        total += _same([PageContent(n + 1, 600.0, 800.0, [], hl, vl)])
    assert total > 3000
