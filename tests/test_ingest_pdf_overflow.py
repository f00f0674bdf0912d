"""Digits printed across a ruled cell border (long 元 amounts that do not fit their column).

The reader places such a number in its cell when the page makes that certain (the grid's decimal
places divide glued digits, its paddings and alignments say which cell the amount is aligned in)
and otherwise marks every cell the digits may belong to as uncertain: findings resting on them
are withheld and listed as not checked. Before, the run of characters was cut at the border, which
put some digits in the neighbouring cell: two wrong amounts, read as certain, and false errors.

Three kinds of pages: hand-made pages (each geometry alone), disclosures in 元 composed and printed
by WeasyPrint with a table font too large for the columns (start-aligned overflow to the right, as
browsers print; and right-aligned overflow to the left, as spreadsheets print), and the real
samples, where no digits run across a border (their readings stay certain).
"""

from __future__ import annotations

import io
import logging
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SAMPLES
from juesuan.ingest import read
from juesuan.ingest.assemble import assemble
from juesuan.ingest.pdf.layout import page_blocks
from juesuan.ingest.pdf.overflow import DOUBT
from juesuan.ingest.pdf.primitives import PageContent, Segment, Word
from juesuan.ingest.raw import RawCell, RawDocument, RawGrid, RawLine
from juesuan.model import Disclosure, Location, Severity, TableKind
from juesuan.rules import check_disclosure
from juesuan.rules.cases import build_disclosure

# -- hand-made pages ------------------------------------------------------------------------------
SIZE = 10.0
WIDTH = {",": 2.5, ".": 2.5}  # digits 5 pt, separators 2.5 pt, CJK one em


def _word(text: str, x0: float, top: float) -> Word:
    """A word as the text layer gives it: its characters' left edges included."""
    lefts = []
    x = x0
    for ch in text:
        lefts.append(x)
        x += WIDTH.get(ch, 5.0 if ch.isascii() else SIZE)
    return Word(text, x0, top + 2, x, top + 12, SIZE, None, False, lefts)


def _ending(text: str, x1: float, top: float) -> Word:
    """A word right-aligned to end at ``x1``."""
    return _word(text, x1 - sum(WIDTH.get(ch, 5.0 if ch.isascii() else SIZE) for ch in text), top)


def _ruled(xs: list[float], ys: list[float]) -> tuple[list[Segment], list[Segment]]:
    hs = [Segment(xs[0], y - 0.25, xs[-1], y + 0.25) for y in ys]
    vs = [Segment(x - 0.25, ys[0], x + 0.25, ys[-1]) for x in xs]
    return hs, vs


PAD = 3.0  # every cell's padding
# 项目 | 行次 | 本年 | 上年 | 代码
XS = [50.0, 150.0, 180.0, 240.0, 300.0, 340.0]
YS = [100.0, 120.0, 140.0, 160.0, 180.0, 200.0]
ROWS = [  # label, 行次, 本年, 上年, 代码 (the last row is the one each test prints)
    ("工资福利支出", "1", "1,234.56", "1,100.00", "301"),
    ("商品和服务支出", "2", "2,345.67", "2,200.00", "302"),
    ("对个人和家庭的补助", "3", "345.60", "300.00", "303"),
]


def _page(last: list[Word]) -> PageContent:
    words = [_word("项目", XS[0] + PAD, YS[0]), _word("行次", XS[1] + PAD, YS[0]), _word("本年", XS[2] + PAD, YS[0]),
             _word("上年", XS[3] + PAD, YS[0]), _word("代码", XS[4] + PAD, YS[0])]  # fmt: skip
    for i, (label, line, now, before, code) in enumerate(ROWS, start=1):
        top = YS[i]
        words += [_word(label, XS[0] + PAD, top), _word(line, XS[1] + 12, top), _ending(now, XS[3] - PAD, top),
                  _ending(before, XS[4] - PAD, top), _word(code, XS[4] + PAD, top)]  # fmt: skip
    hs, vs = _ruled(XS, YS)
    return PageContent(1, 595.0, 842.0, words + last, hs, vs)


def _last_row(page: PageContent) -> list[RawCell]:
    [(_, grid)] = page_blocks(page).items
    assert isinstance(grid, RawGrid)
    return grid.rows[-1]


def _texts(row: list[RawCell]) -> list[str]:
    return [c.text for c in row]


def _doubts(row: list[RawCell]) -> list[bool]:
    return [c.doubt is not None for c in row]


TOP = YS[4]


def test_an_amount_started_at_its_cell_edge_and_run_into_the_next_cell_stays_in_its_own() -> None:
    # printed as a browser prints a cell too narrow for its amount: from the left padding on
    amount = _word("12,345,678,901.00", XS[2] + PAD, TOP)
    assert amount.x1 > XS[3] + 10  # printed across the border into 上年
    row = _last_row(_page([_word("合计", XS[0] + PAD, TOP), amount]))
    assert _texts(row) == ["合计", "", "12,345,678,901.00", "", ""]
    assert _doubts(row) == [False] * 5


def test_an_amount_glued_to_the_next_cells_code_is_divided_after_its_decimals() -> None:
    # 上年 runs into the 代码 column and the code is printed right after its last digit
    row = _last_row(_page([_word("其他", XS[0] + PAD, TOP), _ending("4.00", XS[3] - PAD, TOP),
                           _word("123,456,789.00309", XS[3] + PAD, TOP)]))  # fmt: skip
    assert _texts(row) == ["其他", "", "4.00", "123,456,789.00", "309"]
    assert _doubts(row) == [False] * 5


def test_a_right_aligned_amount_run_into_an_empty_cell_on_its_left_stays_in_its_own() -> None:
    # printed as a spreadsheet prints it: right-aligned, running on to the left over 本年
    amount = _ending("12,345,678,901.00", XS[4] - PAD, TOP)
    assert amount.x0 < XS[3] - 10  # printed across the border into 本年
    row = _last_row(_page([_word("其他", XS[0] + PAD, TOP), amount]))
    assert _texts(row) == ["其他", "", "", "12,345,678,901.00", ""]
    assert _doubts(row) == [False] * 5


def test_an_amount_run_onto_the_line_number_before_it_is_not_certain() -> None:
    # 行次 4 and the amount 23,456,789.00 printed over it read as one run "423,456,789.00", a
    # well-formed amount aligned in 本年: whose digits are whose cannot be told (the 行次 column
    # prints whole numbers), so both cells are uncertain, never a confident wrong amount
    row = _last_row(_page([_word("其他", XS[0] + PAD, TOP), _ending("423,456,789.00", XS[3] - PAD, TOP)]))
    assert _doubts(row) == [False, True, True, False, False]
    assert row[1].doubt == DOUBT


def test_an_amount_without_evidence_of_decimal_places_is_not_certain() -> None:
    page = _page([_word("其他", XS[0] + PAD, TOP), _word("123,456,789.00", XS[2] + PAD, TOP)])
    # the other amounts of the grid print no decimals: where 123,456,789.00 ends is not certain
    page.words = [Word(w.text.replace(".", "")[:-2] if re.fullmatch(r"[\d,]+\.\d\d", w.text) else w.text, w.x0,
                       w.top, w.x1, w.bottom, w.size, None, False, None) for w in page.words[:-1]] + page.words[-1:]  # fmt: skip
    row = _last_row(page)
    assert _doubts(row) == [False, False, True, True, False]
    assert "".join(_texts(row)[2:4]) == "123,456,789.00"  # the digits are kept, cut at the border


def test_a_label_keeps_its_text_when_digits_of_an_uncertain_amount_run_into_it() -> None:
    # right-aligned into the label's cell; the label cell keeps the label, the digits stay
    # together in the amount's cell, which is marked uncertain (no decimal evidence here)
    page = _page([_word("其他", XS[0] + PAD, TOP), _ending("987,654,321,000", XS[2] - PAD, TOP)])
    page.words = [w for w in page.words if w.top < TOP] + [page.words[-2], page.words[-1]]
    row = _last_row(page)
    assert row[0].text == "其他" and row[0].doubt is None


def test_text_run_across_a_border_is_still_cut_there() -> None:
    row = _last_row(_page([_word("其他支出1,000.00", XS[2] - 40, TOP)]))
    assert "1,000.00" not in row[0].text and _doubts(row) == [False] * 5


# -- from the reader to the rules -----------------------------------------------------------------
def test_an_uncertain_cell_is_recorded_with_its_row_and_column() -> None:
    loc = Location(page=3, bbox=(1.0, 2.0, 3.0, 4.0))
    rows = [
        [RawCell("项目"), RawCell("金额")],
        [RawCell("合计"), RawCell("21.37")],
        [RawCell("货物"), RawCell("20.37")],
        [RawCell("服务"), RawCell("1,000.", loc=loc, doubt=DOUBT)],
    ]
    raw = RawDocument(path="t.pdf", format="pdf", blocks=[RawLine("政府采购支出情况表"), RawGrid(rows)])
    doc = assemble(raw)
    [t] = doc.tables_of(TableKind.T11)
    [u] = t.reading.cells_uncertain
    assert (u.row, u.column, u.reason) == ("services", "amount", DOUBT)
    assert not t.reading.complete
    assert not any(i.code == "unreadable_number" for i in doc.read_issues)  # listed as uncertain instead


def _t11(uncertain: list[dict[str, object]]) -> Disclosure:
    rows = {"total": {"amount": "22.37"}, "goods": {"amount": "21.37"}, "services": {"amount": "9.00"}}
    table = {"kind": "T11", "title": "政府采购支出情况表", "reading": {"cells_uncertain": uncertain}, "rows": rows}
    return build_disclosure({"tables": [table]})


def test_an_error_resting_on_an_uncertain_cell_is_withheld() -> None:
    reported = check_disclosure(_t11([]), select=["T11-001"])
    assert [f.severity for f in reported.findings] == [Severity.ERROR]
    doubt = {"row": "services", "row_label": "服务", "column": "amount", "column_label": "金额", "reason": DOUBT}
    checked = check_disclosure(_t11([doubt]), select=["T11-001"])
    assert checked.findings == []
    [u] = checked.unchecked
    assert u.reason == f"{DOUBT}，未核对：《政府采购支出情况表》“服务”[金额]"


def test_a_total_whose_column_holds_an_uncertain_cell_is_not_judged() -> None:
    # the uncertain cell read as no number: the sum leaves it out of its places, so the total is
    # what must not be judged
    doubt = {"row": "goods", "column": "amount", "reason": DOUBT}
    doc = _t11([doubt])
    doc.tables[0].rows[1].cells["amount"].value = None
    checked = check_disclosure(doc, select=["T11-001"])
    assert checked.findings == []
    assert checked.unchecked[0].reason.startswith("表中有读数不确定的单元格，合计未核对")


def test_r005_lists_every_uncertain_place() -> None:
    doubt = {"row": "services", "row_label": "服务", "column": "amount", "column_label": "金额", "reason": DOUBT}
    left = [u for u in check_disclosure(_t11([doubt])).unchecked if u.rule_id == "R-005"]
    assert [u.what for u in left] == ["《政府采购支出情况表》的“服务”[金额]"]
    assert left[0].reason.startswith(DOUBT)


# -- disclosures in 元 printed by WeasyPrint with amounts too wide for their columns -------------
def _print(doc: Disclosure, font: str, num_css: str = "") -> bytes:
    pytest.importorskip("weasyprint")
    from weasyprint import HTML

    from juesuan.compose.render_html import render_html

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_html(doc).replace("font-size: 8.5pt; line-height: 1.2; table-layout: fixed;",
                                    f"font-size: {font}; line-height: 1.2; table-layout: fixed;")  # fmt: skip
    html = html.replace("td.num { text-align: right; white-space: nowrap; }",
                        "td.num { text-align: right; white-space: nowrap; " + num_css + " }")  # fmt: skip
    buf = io.BytesIO()
    try:
        HTML(string=html).write_pdf(buf)
    except OSError as exc:  # WeasyPrint's system libraries missing
        pytest.skip(str(exc))
    return buf.getvalue()


@pytest.fixture(scope="module")
def yuan() -> Disclosure:
    from bench.quality.generate import generate

    return generate(0, "yuan").disclosure


Key = tuple[str, str, str | None, str]


def _amounts(doc: Disclosure) -> dict[Key, Decimal | None]:
    return {
        (t.kind.value, r.key, r.side, k): c.value
        for t in doc.tables
        if t.kind not in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)
        for r in t.rows
        for k, c in r.cells.items()
    }


def _glued_words(data: bytes, model: Disclosure) -> int:
    """Words of the text layer holding one of the model's amounts glued to other characters
    (what a border cuts: the amount ran across it into its neighbour's text)."""
    import pypdfium2 as pdfium

    from juesuan.ingest.pdf.primitives import page_contents

    printed = {f"{v:,.2f}" for v in _amounts(model).values() if v is not None and abs(v) >= 100000}
    pdf = pdfium.PdfDocument(data)
    try:
        words = [w.text for p in page_contents(pdf) for w in p.words]
    finally:
        pdf.close()
    return sum(1 for w in words for a in printed if a in w and w != a)


def _read(data: bytes, tmp_path: Path, name: str) -> Disclosure:
    path = tmp_path / name
    path.write_bytes(data)
    return read(path)


def test_amounts_run_into_the_next_cell_are_read_in_their_own(yuan: Disclosure, tmp_path: Path) -> None:
    data = _print(yuan, "11pt")
    assert _glued_words(data, yuan) >= 5  # the page does print digits across borders
    doc = _read(data, tmp_path, "overflow.pdf")
    assert _amounts(doc) == _amounts(yuan)
    assert not any(t.reading.cells_uncertain for t in doc.tables)
    assert [f for f in check_disclosure(doc).findings if f.severity is not Severity.INFO] == []


def test_amounts_run_into_the_cell_on_their_left_are_placed_or_left_unchecked(
    yuan: Disclosure, tmp_path: Path
) -> None:
    data = _print(yuan, "12pt", "direction: rtl;")  # right-aligned, running on to the left
    assert _glued_words(data, yuan) >= 5
    doc = _read(data, tmp_path, "overflow-left.pdf")
    want, got = _amounts(yuan), _amounts(doc)
    uncertain = {
        (t.kind.value, r.key, r.side, k)
        for t in doc.tables
        for r in t.rows
        for k in r.cells
        if t.reading.uncertain(r.key, k) is not None
    }
    wrong = {k for k, v in got.items() if k in want and v != want[k]}
    assert wrong and wrong <= uncertain  # every amount read wrong is marked uncertain
    assert len(uncertain) < len(got) // 4
    checked = check_disclosure(doc)
    assert [f for f in checked.findings if f.severity is not Severity.INFO] == []
    listed = [u for u in checked.unchecked if u.rule_id == "R-005" and u.reason.startswith(DOUBT)]
    assert len(listed) >= len({(k[0], k[1], k[3]) for k in wrong})


# -- the real samples -----------------------------------------------------------------------------
REAL = sorted(SAMPLES.glob("*.pdf")) + sorted((SAMPLES / "jiangsu-budget").glob("*.pdf"))


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_no_real_page_prints_digits_across_a_border(path: Path) -> None:
    # looked at on the rendered pages: every amount of these tables fits its cell (the widest,
    # 28,849.38 in the high court's 2017 收支预算总表, leaves half a point each side)
    doc = read(path)
    assert [t.name for t in doc.tables if t.reading.cells_uncertain] == []
