"""A rectangle drawn round a page or a paragraph, with nothing ruled inside it, is a frame, not
a one-cell table: its words are the page's text. The Jiangsu NPC office budgets draw such a frame on every narrative page; read
as a table, their whole narrative vanished into one cell (no sections, no sentences checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.ingest import read
from juesuan.ingest.pdf.layout import page_blocks
from juesuan.ingest.pdf.primitives import PageContent, Segment, Word

JIANGSU = Path(__file__).resolve().parents[2] / "shared" / "samples" / "jiangsu-budget"


def _word(text: str, x0: float, top: float) -> Word:
    return Word(text, x0, top, x0 + 12 * len(text), top + 12, 12.0, None, False)


def test_a_framed_page_is_read_as_text() -> None:
    frame_h = [Segment(50, 50, 550, 50.5), Segment(50, 790, 550, 790.5)]
    frame_v = [Segment(50, 50, 50.5, 790), Segment(550, 50, 550.5, 790)]
    words = [_word("第一部分部门概况", 200, 100), _word("一、主要职能", 80, 140), _word("省人大常委会是常设机构。", 80, 170)]
    page = PageContent(1, 595.0, 842.0, words, frame_h, frame_v)
    blocks = page_blocks(page)
    texts = [getattr(item, "text", None) for _, item in blocks.items]
    assert texts == ["第一部分部门概况", "一、主要职能", "省人大常委会是常设机构。"]


def test_a_two_row_ruled_table_is_still_a_table() -> None:
    hs = [Segment(50, 100, 550, 100.5), Segment(50, 130, 550, 130.5), Segment(50, 160, 550, 160.5)]
    vs = [Segment(50, 100, 50.5, 160), Segment(300, 100, 300.5, 160), Segment(550, 100, 550.5, 160)]
    words = [_word("项目", 60, 108), _word("金额", 310, 108), _word("合计", 60, 138), _word("10.00", 310, 138)]
    blocks = page_blocks(PageContent(1, 595.0, 842.0, words, hs, vs))
    assert [type(item).__name__ for _, item in blocks.items] == ["RawGrid"]


@pytest.mark.parametrize("year", [2017, 2018])
def test_the_framed_jiangsu_narrative_is_read_into_sections(year: int) -> None:
    path = JIANGSU / f"jiangsu-npc-office-{year}-budget.pdf"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    doc = read(path)
    assert doc.sections and len(doc.claims) > 50
    assert all(len(p.text) < 1000 for p in doc.cover)
