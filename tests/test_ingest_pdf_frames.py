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


# -- a frame round a ruled table and text -----------------------------------------------------------
def _table(x0: float, top: float, cols: int, rows: int, w: float = 100.0, h: float = 20.0) -> tuple[list[Segment], list[Segment]]:
    hs = [Segment(x0, top + i * h, x0 + cols * w, top + i * h + 0.5) for i in range(rows + 1)]
    vs = [Segment(x0 + j * w, top, x0 + j * w + 0.5, top + rows * h) for j in range(cols + 1)]
    return hs, vs


PAGE_FRAME_H = [Segment(0, 0, 595, 0.5), Segment(0, 841.5, 595, 842)]
PAGE_FRAME_V = [Segment(0, 0, 0.5, 842), Segment(594.5, 0, 595, 842)]


def _kinds(blocks: object) -> list[str]:
    return [type(item).__name__ for _, item in blocks.items]  # type: ignore[attr-defined]


def test_text_round_a_table_inside_a_page_frame_is_read_as_text() -> None:
    # the Jiangsu NPC office 2017 budget, page 23: the page border round the end of a table and
    # the start of the next part (its heading was lost in one huge cell of the frame's "table")
    hs, vs = _table(40, 70, 3, 3)
    words = [_word("印刷服务", 45, 75), _word("30.00", 245, 75), _word("立法费", 45, 95), _word("120.00", 245, 95),
             _word("合计", 45, 115), _word("150.00", 245, 115),
             _word("第三部分部门预算情况说明", 150, 300), _word("一、收支预算总表情况说明", 60, 340),
             _word("收支预算总计13649.07万元。", 60, 370)]  # fmt: skip
    blocks = page_blocks(PageContent(1, 595.0, 842.0, words, PAGE_FRAME_H + hs, PAGE_FRAME_V + vs))
    assert _kinds(blocks) == ["RawGrid", "_TextLine", "_TextLine", "_TextLine"]
    grid = blocks.items[0][1]
    assert [[c.text for c in r] for r in grid.rows] == [["印刷服务", "", "30.00"], ["立法费", "", "120.00"], ["合计", "", "150.00"]]
    assert [item.text for _, item in blocks.items[1:]] == [
        "第三部分部门预算情况说明",
        "一、收支预算总表情况说明",
        "收支预算总计13649.07万元。",
    ]


def test_a_table_whose_rules_stop_short_of_its_border_keeps_the_border() -> None:
    # inner rules that end well inside the outer border (farther than rules that touch): the
    # border is the table's, its header row (above where the column rules start) is cells, not text
    outer_h = [Segment(50, 100, 350, 100.5), Segment(50, 170, 350, 170.5)]
    outer_v = [Segment(50, 100, 50.5, 170), Segment(350, 100, 350.5, 170)]
    inner_h = [Segment(60, 125, 340, 125.5), Segment(60, 145, 340, 145.5)]
    inner_v = [Segment(150, 112, 150.5, 158), Segment(250, 112, 250.5, 158)]
    words = [_word("项目", 60, 103), _word("本年", 160, 103), _word("上年", 260, 103),
             _word("合计", 60, 128), _word("10.00", 160, 128), _word("9.00", 260, 128),
             _word("其他", 60, 148), _word("1.00", 160, 148), _word("2.00", 260, 148)]  # fmt: skip
    blocks = page_blocks(PageContent(1, 595.0, 842.0, words, outer_h + inner_h, outer_v + inner_v))
    assert _kinds(blocks) == ["RawGrid"]
    rows = [[c.text for c in r] for r in blocks.items[0][1].rows]  # type: ignore[union-attr]
    assert rows == [["项目", "本年", "上年"], ["合计", "10.00", "9.00"], ["其他", "1.00", "2.00"]]


def test_a_table_with_a_double_border_is_one_table() -> None:
    # a frame drawn a few points outside a table closed by its own rules: the same cells
    hs, vs = _table(60, 110, 3, 2)
    frame_h = [Segment(54, 104, 366, 104.5), Segment(54, 155.5, 366, 156)]
    frame_v = [Segment(54, 104, 54.5, 156), Segment(365.5, 104, 366, 156)]
    words = [_word("合计", 65, 114), _word("10.00", 265, 114), _word("其他", 65, 134), _word("1.00", 265, 134)]
    blocks = page_blocks(PageContent(1, 595.0, 842.0, words, frame_h + hs, frame_v + vs))
    assert _kinds(blocks) == ["RawGrid"]
    rows = [[c.text for c in r] for r in blocks.items[0][1].rows]  # type: ignore[union-attr]
    assert rows == [["合计", "", "10.00"], ["其他", "", "1.00"]]


def test_the_third_part_of_the_framed_jiangsu_npc_2017_budget_is_read() -> None:
    path = JIANGSU / "jiangsu-npc-office-2017-budget.pdf"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    doc = read(path)
    headings = [s.heading for s in doc.sections]
    assert "第三部分 江苏省人大常委会办公厅2017年度部门预算情况说明" in headings
    third = doc.sections[headings.index("第三部分 江苏省人大常委会办公厅2017年度部门预算情况说明")]
    [first] = [c for c in third.children if c.heading == "一、收支预算总表情况说明"]
    assert first.paragraphs[0].text.startswith("本表反映部门年度总体收支预算情况")
    # the page's sentences are claims again (75 before: the part's first page was one cell), and
    # the tables framed on every page are the same 13 (no heading taken for a table)
    assert len(doc.claims) == 82
    assert [t.kind.value for t in doc.tables] == [
        "B01", "B02", "B03", "B05F", "B06F", "B04", "B06F", "B07", "B05", "B06", "B10", "B09", "B11"
    ]  # fmt: skip


def test_the_second_part_heading_of_the_framed_jiangsu_npc_2018_budget_is_read() -> None:
    path = JIANGSU / "jiangsu-npc-office-2018-budget.pdf"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    doc = read(path)
    assert [s.heading for s in doc.sections][:2] == ["第一部分 部门概况", "第二部分 2018年度部门预算表"]
    assert [t.kind.value for t in doc.tables].count("OTHER") == 0
