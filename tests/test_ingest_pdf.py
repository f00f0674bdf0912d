"""The PDF reader: primitives, layout reconstruction, the four sample PDFs cell by cell, the
narrative's order, and clear errors for bad PDFs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, StreamObject

from conftest import sample
from juesuan.ingest.errors import InputError
from juesuan.ingest.pdf import read_pdf_raw
from juesuan.ingest.pdf.layout import reconstruct
from juesuan.ingest.pdf.primitives import page_contents
from juesuan.ingest.raw import RawDocument, RawGrid, RawLine


# -- small PDFs written here (Helvetica text and ruling lines): no sample is copied -------------
@dataclass
class PageSpec:
    width: float = 595.0
    height: float = 842.0
    rotate: int = 0
    ops: list[str] = field(default_factory=list)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float = 10.0,
        matrix: tuple[float, float, float, float] | None = None,
    ) -> PageSpec:
        """Text at user-space (x, y) (baseline, origin bottom-left of the media box)."""
        a, b, c, d = matrix or (1.0, 0.0, 0.0, 1.0)
        esc = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        self.ops.append(f"BT /F1 {size} Tf {a} {b} {c} {d} {x} {y} Tm ({esc}) Tj ET")
        return self

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5) -> PageSpec:
        self.ops.append(f"{width} w {x0} {y0} m {x1} {y1} l S")
        return self

    def rect(self, x: float, y: float, w: float, h: float, fill: bool = False) -> PageSpec:
        self.ops.append(f"{x} {y} {w} {h} re {'f' if fill else 'S'}")
        return self


def make_pdf(pages: list[PageSpec], *, password: str | None = None) -> bytes:
    w = PdfWriter()
    font = w._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for spec in pages:
        page = w.add_blank_page(spec.width, spec.height)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        stream = StreamObject()
        stream.set_data("\n".join(spec.ops).encode("latin-1"))
        page[NameObject("/Contents")] = w._add_object(stream)
        if spec.rotate:
            page[NameObject("/Rotate")] = NumberObject(spec.rotate)
    if password is not None:
        w.encrypt(password, algorithm="AES-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def grid_page(
    cols: list[float],
    rows: list[float],
    texts: dict[tuple[int, int], str],
    *,
    skip_v: set[tuple[int, int]] = frozenset(),
) -> PageSpec:  # type: ignore[assignment]
    """A ruled table: ``cols`` x positions, ``rows`` y positions (top to bottom, user space),
    text per (row, col) atom; ``skip_v`` leaves out the vertical rule right of atom (row, col)
    (a cell merged across columns)."""
    p = PageSpec()
    for y in rows:
        p.line(cols[0], y, cols[-1], y)
    for i in range(len(rows) - 1):
        for j, x in enumerate(cols):
            if (i, j - 1) in skip_v:
                continue
            p.line(x, rows[i], x, rows[i + 1])
    for (i, j), s in texts.items():
        p.text(cols[j] + 3, rows[i + 1] + 4, s)
    return p


EXPECTED = Path(__file__).parent / "data" / "pdf_expected"
SAMPLES = [
    "shanghai-putuo-finance-2024",
    "shanghai-putuo-planning-2024",
    "shanghai-putuo-social-work-2024",
    "shanghai-template-2024",
]

_RAW: dict[str, RawDocument] = {}


def raw_of(name: str) -> RawDocument:
    if name not in _RAW:
        path = sample(f"{name}.pdf")
        _RAW[name] = read_pdf_raw(path.name, path.read_bytes())
    return _RAW[name]


def contents_of(data: bytes):  # type: ignore[no-untyped-def]
    pdf = pdfium.PdfDocument(data)
    try:
        return page_contents(pdf)
    finally:
        pdf.close()


def printed(grid: RawGrid) -> list[list[object]]:
    return [
        [c.text if c.colspan == c.rowspan == 1 else [c.text, c.colspan, c.rowspan] for c in row]
        for row in grid.rows
    ]


# -- the samples, cell by cell ------------------------------------------------------------------
@pytest.mark.parametrize("name", SAMPLES)
def test_every_cell_of_every_table_matches_the_page_images(name: str) -> None:
    expected = yaml.safe_load((EXPECTED / f"{name}.yaml").read_text(encoding="utf-8"))
    grids = [b for b in raw_of(name).blocks if isinstance(b, RawGrid)]
    assert [g.loc.page for g in grids if g.loc] == [e["page"] for e in expected["grids"]]
    for grid, exp in zip(grids, expected["grids"], strict=True):
        got = printed(grid)
        assert len(got) == len(exp["rows"]), f"page {exp['page']}: row count"
        for i, (g, e) in enumerate(zip(got, exp["rows"], strict=True)):
            assert g == e, f"page {exp['page']} row {i + 1}"


@pytest.mark.parametrize("name", SAMPLES)
def test_every_cell_and_line_has_a_page_and_a_box(name: str) -> None:
    raw = raw_of(name)
    assert raw.pages and raw.pages > 20
    for b in raw.blocks:
        assert b.loc is not None and b.loc.page is not None and b.loc.bbox is not None
        if isinstance(b, RawGrid):
            for row in b.rows:
                for c in row:
                    assert c.loc is not None and c.loc.page == b.loc.page and c.loc.bbox is not None
                    x0, top, x1, bottom = c.loc.bbox
                    assert x0 < x1 and top < bottom


def test_tables_continued_on_the_next_page_are_consecutive_grids_and_blank_overflow_pages_are_skipped() -> (
    None
):
    raw = raw_of("shanghai-putuo-finance-2024")
    pages = [b.loc.page for b in raw.blocks if isinstance(b, RawGrid) and b.loc]
    # 01表 6→7, 02表 8→9, 03表 10→11, 04表 12→13 (page 14 is a blank ruled overflow page), 06表 16→17
    assert pages == [5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 20]
    i = next(k for k, b in enumerate(raw.blocks) if isinstance(b, RawGrid) and b.loc and b.loc.page == 8)
    assert isinstance(raw.blocks[i + 1], RawGrid)  # no line between a table and its continuation


def test_landscape_pages_without_rotation_flag_are_read_upright() -> None:
    raw = raw_of("shanghai-putuo-finance-2024")
    g = next(b for b in raw.blocks if isinstance(b, RawGrid) and b.loc and b.loc.page == 18)
    assert g.loc and g.loc.bbox and g.loc.bbox[2] > 600  # wider than a portrait page
    assert printed(g)[-1][0] == "0.95"


def test_narrative_in_reading_order_with_wrapped_lines_merged() -> None:
    raw = raw_of("shanghai-putuo-finance-2024")
    lines = [b.text for b in raw.blocks if isinstance(b, RawLine)]
    title = "第三部分上海市普陀区财政局2024年度部门决算情况说明"
    start = len(lines) - 1 - lines[::-1].index(title)  # the body's, not the 目录's
    part3 = lines[start : lines.index("第四部分 名词解释")]
    headings = [
        t
        for t in part3
        if t[:2] in ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、")
        or t.startswith("十一、")
    ]
    assert [h.split("、")[0] for h in headings] == [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
    ]
    # a paragraph printed on two lines is one line of the raw document
    assert (
        "本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；项目支出603.14万元，占20.51%；"
        in part3
    )
    # a paragraph running over the page break is joined: 1、… starts on page 22 and wraps
    first = next(t for t in part3 if t.startswith("1、一般公共服务支出（类）财政事务（款）行政运行（项）"))
    assert first.endswith("减少人员经费开支。")
    # the cover and the 目录 come first, in printed order
    assert lines[:3] == ["上海市普陀区财政局", "2024年度部门决算", "目 录"]  # printed letter-spaced


def test_heading_printed_inside_a_table_title_stays_before_the_table() -> None:
    raw = raw_of("shanghai-putuo-finance-2024")
    i = next(k for k, b in enumerate(raw.blocks) if isinstance(b, RawGrid) and b.loc and b.loc.page == 6)
    before = [b.text for b in raw.blocks[i - 3 : i] if isinstance(b, RawLine)]
    assert before == ["第二部分 上海市普陀区财政局2024年度部门决算表", "收入支出决算总表", "单位：万元"]


# -- the typed model (assembler) and the rules on PDFs ------------------------------------------
STANDARD = {"T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09"}


@pytest.mark.parametrize("name", SAMPLES)
def test_every_standard_table_is_recognised_and_every_rule_runs(name: str) -> None:
    from juesuan.ingest import read
    from juesuan.rules import run_rules

    doc = read(sample(f"{name}.pdf"))
    kinds = [t.kind.value for t in doc.tables if t.kind.value != "OTHER"]
    assert sorted(kinds) == sorted(STANDARD)  # each once: continuations joined
    findings = run_rules(doc)
    assert not [f for f in findings if "执行出错" in f.message]


def test_typed_values_from_the_finance_pdf() -> None:
    """类|款|项 code columns, 06表 with 类|款 columns over two pages, the 三公 three-level header."""
    from juesuan.ingest import read
    from juesuan.model import TableKind

    doc = read(sample("shanghai-putuo-finance-2024.pdf"))

    def value(kind: TableKind, row: str, col: str) -> str:
        t = doc.table(kind)
        assert t is not None
        return str(t.value(row, col))

    assert value(TableKind.T01, "inc_total_year", "amount") == "2946.25"
    assert value(TableKind.T01, "exp_grand_total", "amount") == "2995.39"  # on the continuation page
    assert value(TableKind.T02, "2010601", "total") == "1511.90"
    assert value(TableKind.T03, "total", "total") == "2940.05"
    assert value(TableKind.T03, "2210203", "basic") == "258.50"  # continuation page
    assert value(TableKind.T05, "2010601", "project") == "8.37"
    assert value(TableKind.T06, "30101", "amount") == "262.33"
    assert value(TableKind.T06, "30229", "amount") == "42.77"  # second page of 06表
    assert value(TableKind.T06, "personnel_total", "amount") == "2152.26"
    assert value(TableKind.T09, "total", "budget") == "0.95"
    assert value(TableKind.T09, "reception", "budget") == "0.95"
    t09 = doc.table(TableKind.T09)
    assert t09 is not None and t09.value("car", "budget") is None  # blank, not zero


def test_typed_model_from_a_pdf() -> None:
    from juesuan.ingest import read
    from juesuan.model import TableKind

    doc = read(sample("shanghai-putuo-social-work-2024.pdf"))
    t05 = doc.table(TableKind.T05)
    assert t05 is not None
    assert str(t05.value("2013999", "total")) == "202.24"
    assert str(t05.value("2080505", "basic")) == "6.18"
    cell = t05.cell("2013999", "total")
    assert cell is not None and cell.loc is not None and cell.loc.page == 12 and cell.loc.bbox is not None
    t02 = doc.table(TableKind.T02)
    assert t02 is not None and str(t02.value("2210203", "total")) == "11.72"  # row on the continuation page


# -- primitives and layout on PDFs written here ------------------------------------------------
def test_words_and_lines_of_a_simple_page() -> None:
    page = PageSpec().text(72, 770, "Hello world", 12).line(72, 760, 300, 760).line(100, 700, 100, 600, 1.0)
    (pc,) = contents_of(make_pdf([page]))
    assert (pc.width, pc.height) == (595.0, 842.0)
    (w,) = pc.words
    assert w.text == "Hello world" and w.size == pytest.approx(12)
    assert w.x0 == pytest.approx(72, abs=1) and w.bottom == pytest.approx(842 - 770, abs=3)
    (h,) = pc.hlines
    assert (h.x0, h.x1) == (pytest.approx(72, abs=0.5), pytest.approx(300, abs=0.5))
    assert (h.top + h.bottom) / 2 == pytest.approx(82, abs=0.3)
    (v,) = pc.vlines
    assert (v.top, v.bottom) == (pytest.approx(142, abs=1.1), pytest.approx(242, abs=1.1))


def test_font_size_includes_the_text_matrix_and_comma_stays_in_its_number() -> None:
    # one sample sets a 209 pt font in a 0.05 text matrix; a comma's glyph hangs below the digits
    page = PageSpec().text(72, 700, "2,940.05", 200, matrix=(0.05, 0, 0, 0.05))
    (pc,) = contents_of(make_pdf([page]))
    (w,) = pc.words
    assert w.text == "2,940.05" and w.size == pytest.approx(10, abs=0.01)


def test_rotated_page_is_given_as_displayed() -> None:
    # A portrait media box shown rotated by 90°, its content drawn sideways so it reads upright:
    # text advancing along +y, its up direction along -x.
    page = PageSpec(rotate=90).text(100, 200, "Upright", 12, matrix=(0, 1, -1, 0)).line(150, 100, 150, 400)
    (pc,) = contents_of(make_pdf([page]))
    assert (pc.width, pc.height) == (842.0, 595.0)
    (w,) = pc.words
    assert w.text == "Upright"
    assert w.x0 == pytest.approx(200, abs=1)  # displayed x = user y
    assert w.bottom == pytest.approx(100, abs=3)  # baseline at displayed y = user x
    assert w.x1 - w.x0 > w.bottom - w.top  # upright: wider than tall
    (h,) = pc.hlines  # a vertical user-space rule is horizontal when displayed
    assert (h.x0, h.x1) == (pytest.approx(100, abs=0.5), pytest.approx(400, abs=0.5))


def test_reading_order_does_not_follow_stream_order() -> None:
    page = PageSpec()
    page.text(72, 600, "third line")
    page.text(72, 700, "first line")
    page.text(72, 650, "second line")
    raw = reconstruct(contents_of(make_pdf([page])))
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)] == [
        "first line",
        "second line",
        "third line",
    ]


def test_ruled_grid_with_a_merged_cell_and_wrapped_text() -> None:
    cols = [72.0, 172.0, 272.0, 372.0]
    rows = [700.0, 670.0, 640.0, 610.0]
    texts = {
        (0, 0): "Item",
        (0, 1): "Total",
        (1, 0): "a",
        (1, 1): "234.56",
        (1, 2): "0.00",
        (2, 0): "b",
        (2, 2): "7",
    }
    page = grid_page(cols, rows, texts, skip_v={(0, 1)})  # "Total" spans columns 2 and 3
    page.text(175, 656, "1 ")  # the first printed line of row 2, column 2 (the amount wraps)
    raw = reconstruct(contents_of(make_pdf([page])))
    (grid,) = [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert printed(grid) == [["Item", ["Total", 2, 1]], ["a", "1234.56", "0.00"], ["b", "", "7"]]
    c = grid.rows[1][1]
    assert c.loc and c.loc.bbox == (172.0, 172.0, 272.0, 202.0)  # 842 - 670, 842 - 640


def test_table_with_horizontal_rules_only_is_reported_and_read_as_text() -> None:
    page = PageSpec()
    for y in (700, 680, 660, 640):
        page.line(72, y, 400, y)
    page.text(75, 685, "Item").text(300, 685, "Amount").text(75, 665, "a").text(300, 665, "1.00")
    raw = reconstruct(contents_of(make_pdf([page])))
    assert not [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)] == ["Item Amount", "a 1.00"]
    assert [(code, loc.page if loc else None) for code, _, loc in raw.issues] == [("pdf_unstructured", 1)]


def test_a_drawing_with_very_many_rules_is_not_taken_for_tables() -> None:
    from juesuan.ingest.pdf.layout import MAX_SEGMENTS
    from juesuan.ingest.pdf.primitives import PageContent, Segment, Word

    hl = [Segment(10.0, 10.0 + k * 0.01, 20.0, 10.5 + k * 0.01) for k in range(MAX_SEGMENTS + 1)]
    page = PageContent(1, 595.0, 842.0, [Word("label", 100, 100, 130, 110, 10.0)], hl, [])
    raw = reconstruct([page])
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)] == ["label"]
    assert raw.issues and raw.issues[0][0] == "pdf_unstructured"


def test_words_above_the_first_rule_of_a_region_are_kept_as_text() -> None:
    cols = [72.0, 172.0, 272.0]
    rows = [700.0, 670.0, 640.0]
    page = grid_page(cols, rows, {(0, 0): "a", (0, 1): "b", (1, 0): "c", (1, 1): "d"})
    page.text(200, 700.6, "x")  # its centre is inside the region's box but above its first rule
    raw = reconstruct(contents_of(make_pdf([page])))
    (grid,) = [b for b in raw.blocks if isinstance(b, RawGrid)]
    assert printed(grid) == [["a", "b"], ["c", "d"]]
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)] == ["x"]


def test_page_numbers_in_the_margin_are_dropped() -> None:
    page = PageSpec().text(72, 700, "Body text").text(290, 30, "- 3 -")
    raw = reconstruct(contents_of(make_pdf([page])))
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)] == ["Body text"]


# -- bad input ----------------------------------------------------------------------------------
def _code(data: bytes, name: str = "bad.pdf") -> tuple[str, str]:
    with pytest.raises(InputError) as err:
        read_pdf_raw(name, data)
    assert name in str(err.value)
    return err.value.code, err.value.problem


def test_not_a_pdf() -> None:
    code, problem = _code(b"hello, this is not a pdf" * 10)
    assert code == "not_a_pdf" and "不是 PDF" in problem


def test_garbage_after_a_pdf_header() -> None:
    code, problem = _code(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    assert code == "corrupt" and "损坏" in problem


def test_truncated_pdf() -> None:
    data = make_pdf([PageSpec().text(72, 700, "x")] * 3)
    code, problem = _code(data[: len(data) // 2])
    assert code == "corrupt" and "截断" in problem


def test_truncated_sample() -> None:
    data = sample("shanghai-putuo-social-work-2024.pdf").read_bytes()
    code, _ = _code(data[: len(data) * 2 // 3])
    assert code == "corrupt"


def test_encrypted_pdf() -> None:
    code, problem = _code(make_pdf([PageSpec().text(72, 700, "secret")], password="pw"))
    assert code == "encrypted" and "加密" in problem


def test_pdf_without_text_layer() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buf, "PDF")
    code, problem = _code(buf.getvalue(), "scan.pdf")
    assert code == "no_text_layer" and "扫描件，没有文字层" in problem


def test_pdf_without_pages() -> None:
    data = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    code, _ = _code(data)
    assert code in ("no_pages", "corrupt")


def test_image_only_page_among_text_pages_is_reported_and_the_rest_read() -> None:
    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    buf = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buf, "PDF")
    text = make_pdf([PageSpec().text(72, 700, "Readable page")])
    w = PdfWriter()
    w.add_page(PdfReader(io.BytesIO(text)).pages[0])
    w.add_page(PdfReader(io.BytesIO(buf.getvalue())).pages[0])
    out = io.BytesIO()
    w.write(out)
    raw = read_pdf_raw("mixed.pdf", out.getvalue())
    assert [b.text for b in raw.blocks if isinstance(b, RawLine)] == ["Readable page"]
    assert [(code, loc.page if loc else None) for code, _, loc in raw.issues] == [("pdf_no_text_layer", 2)]


def test_read_gives_a_clear_error_for_a_bad_pdf_file(tmp_path: Path) -> None:
    from juesuan.ingest import read

    p = tmp_path / "坏文件.pdf"
    data = make_pdf([PageSpec().text(72, 700, "x")])
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        read(p)
    assert "坏文件.pdf" in str(err.value) and err.value.code == "corrupt"
