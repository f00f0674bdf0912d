"""Gaps of the assembler reported by other engineers: blank 部门： captions, headings told only by
their layout, the tables' part without a 第二部分 heading, notes under tables, a 相关统计数 block
inside the 三公 grid, and the real inputs where these were seen."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from conftest import sample, seed
from juesuan.ingest import read
from juesuan.ingest.assemble import assemble
from juesuan.ingest.raw import RawCell, RawDocument, RawGrid, RawLine
from juesuan.model import Disclosure, Location, Severity, TableKind
from juesuan.rules import run_rules

D = Decimal


def _grid(rows: list[list[str]], page: int = 1) -> RawGrid:
    return RawGrid(
        rows=[[RawCell(text=t, loc=Location(page=page)) for t in r] for r in rows], loc=Location(page=page)
    )


def _line(text: str, size: float = 12.0, bold: bool = False, centered: bool = False) -> RawLine:
    return RawLine(text=text, loc=Location(page=1), size=size, bold=bold, centered=centered)


def _doc(*blocks: RawLine | RawGrid | str, fmt: str = "pdf") -> Disclosure:
    raw = RawDocument(path=f"测试.{fmt}", format=fmt)
    for b in blocks:
        raw.blocks.append(_line(b) if isinstance(b, str) else b)
    return assemble(raw)


_BODY = "本部门2024年度收入合计100.00万元，比上年增加10.00万元，主要原因是人员增加。"
_T02_HEAD = ["项目", "本年收入合计", "财政拨款收入", "其他收入"]


# -- 1. a blank 部门： ----------------------------------------------------------------------------
def test_blank_department_caption_row_keeps_the_table_whole() -> None:
    doc = _doc(
        "第二部分 部门决算表",
        _grid(
            [
                ["收入决算表"],
                ["部门：", "", "", "公开02表"],
                ["", "", "", "金额单位：万元"],
                _T02_HEAD,
                ["合计", "100.00", "90.00", "10.00"],
            ]
        ),
    )
    assert [t.kind for t in doc.tables] == [TableKind.T02]
    t = doc.tables[0]
    assert t.printed_number == "公开02表" and t.department is None
    assert t.row("total") is not None and t.row("total").cells["fiscal"].value == D("90.00")  # type: ignore[union-attr]


def test_blank_department_in_a_pdf_caption_line() -> None:
    doc = _doc(
        "第二部分 部门决算表",
        "收入决算表",
        "部门：  公开02表  金额单位：万元",
        _grid([_T02_HEAD, ["合计", "100.00", "90.00", "10.00"]]),
    )
    t = doc.table(TableKind.T02)
    assert t is not None and t.printed_number == "公开02表" and t.department is None
    assert t.unit is not None


def test_blank_template_workbook_reads_every_table(tmp_path: Path) -> None:
    from juesuan.compose.output import write_template

    write_template(tmp_path, "", None)
    (book,) = tmp_path.glob("*.xlsx")
    doc = read(book)
    kinds = [t.kind for t in doc.tables]
    assert kinds == [
        TableKind.T01, TableKind.T02, TableKind.T03, TableKind.T04, TableKind.T05, TableKind.T06,
        TableKind.T07, TableKind.T08, TableKind.T09, TableKind.T10, TableKind.T11,
    ]  # fmt: skip
    assert all(t.printed_number for t in doc.tables)
    assert not [i for i in doc.read_issues if i.code in ("unrecognised_layout", "missing_column")]


# -- 2. headings told by layout -------------------------------------------------------------------
def test_unnumbered_headings_by_size_and_weight() -> None:
    doc = _doc(
        _line("第一部分 部门概况", 16, bold=True, centered=True),
        _line("主要职能", 14, bold=True),
        _BODY,
        _line("机构设置", 14, bold=True),
        _BODY,
        _line("下属单位", 12, bold=True),
        _BODY,
        _line("本部门的重点工作", 12, bold=True),  # short but a sentence would need punctuation
        _BODY,
        _line("收入合计100.00万元", 14, bold=True),  # an amount: body text, not a heading
        _BODY,
    )
    (part,) = doc.sections
    assert [c.heading for c in part.children] == ["主要职能", "机构设置"]
    assert [c.level for c in part.children] == [2, 2]
    sub = part.children[1].children
    assert [c.heading for c in sub] == ["下属单位", "本部门的重点工作"]
    assert all(c.level == 3 and c.number is None for c in sub)
    texts = [p.text for p in sub[-1].paragraphs]
    assert any("收入合计100.00万元" in t for t in texts)


def test_bold_body_sentences_are_not_headings() -> None:
    doc = _doc(
        _line("第一部分 部门概况", 16, bold=True),
        _BODY,
        _line("本部门全年严格执行预算，未发生超支。", 12, bold=True),
        _line("全面落实过紧日子要求", 12),  # not bold, not larger
        _BODY,
    )
    (part,) = doc.sections
    assert part.children == []
    assert any("严格执行预算" in p.text for p in part.paragraphs)


def test_bold_everywhere_is_no_hint() -> None:
    doc = _doc(
        _line("第一部分 部门概况", 12, bold=True),
        *[_line(_BODY, 12, bold=True) for _ in range(4)],
        _line("主要职能", 12, bold=True),
        _line(_BODY, 12, bold=True),
    )
    assert doc.sections[0].children == []


def test_word_heading_styles_without_numbers() -> None:
    import io

    from docx import Document

    from juesuan.ingest.office.docx import read_docx_bytes

    d = Document()
    d.add_heading("部门概况", level=1)
    d.add_paragraph(_BODY)
    d.add_heading("主要职能", level=2)
    d.add_paragraph(_BODY)
    d.add_heading("机构设置", level=2)
    d.add_paragraph(_BODY)
    buf = io.BytesIO()
    d.save(buf)
    doc = read_docx_bytes("测试.docx", buf.getvalue())
    heads = [(s.level, s.heading) for s in doc.walk_sections()]
    assert heads == [(1, "部门概况"), (2, "主要职能"), (2, "机构设置")]


def test_html_heading_tags_without_numbers() -> None:
    from juesuan.ingest.office.html import read_html_bytes

    body = "".join(f"<p>{_BODY}</p>" for _ in range(3))
    page = (
        "<html><body><h1>XX局2024年度部门决算</h1><h2>第一部分 部门概况</h2>"
        f"<h3>主要职能</h3>{body}<h3>机构设置</h3>{body}<p><b>本部门严格执行预算。</b></p></body></html>"
    )
    doc = read_html_bytes("测试.html", page.encode("utf-8"))
    assert [(s.level, s.heading) for s in doc.walk_sections()] == [
        (1, "第一部分 部门概况"),
        (2, "主要职能"),
        (2, "机构设置"),
    ]


# -- 5. the tables' part without 第二部分 ----------------------------------------------------------
def test_banner_stands_for_the_missing_part_heading() -> None:
    doc = _doc(
        _line("第一部分 XX局概况", 15, bold=True, centered=True),
        _line("一、主要职能", 15),
        *[_line(_BODY, 15) for _ in range(3)],
        _line("二、部门决算单位构成", 15),
        _line("纳入XX局2024年度部门决算编制范围的单位包括：", 15),
        _grid([["序号", "单位名称"], ["1", "XX局本级"]]),
        _line("XX局2024年度部门决算表", 15, bold=True, centered=True),
        _line("收入决算表", 10.5, centered=True),
        _line("单位：万元", 10.5),
        _grid([_T02_HEAD, ["合计", "100.00", "90.00", "10.00"]]),
        _line("第三部分 XX局2024年度部门决算情况说明", 15, bold=True, centered=True),
    )
    heads = [(s.level, s.heading, s.table_indices) for s in doc.walk_sections()]
    assert heads == [
        (1, "第一部分 XX局概况", []),
        (2, "一、主要职能", []),
        (2, "二、部门决算单位构成", [0]),
        (1, "XX局2024年度部门决算表", [1]),
        (1, "第三部分 XX局2024年度部门决算情况说明", []),
    ]
    assert doc.tables[1].kind is TableKind.T02 and doc.tables[1].title == "收入决算表"


def test_banner_inside_the_tables_part_stays_a_caption() -> None:
    doc = _doc(
        _line("第二部分 XX局2024年度部门决算表", 15, bold=True),
        _line("XX局2024年度部门决算表", 15, bold=True, centered=True),
        _line("收入决算表", 10.5),
        _grid([_T02_HEAD, ["合计", "100.00", "90.00", "10.00"]]),
    )
    assert [s.heading for s in doc.walk_sections()] == ["第二部分 XX局2024年度部门决算表"]
    assert doc.sections[0].table_indices == [0]


def test_shanghai_samples_without_part_two_attach_tables_to_the_banner() -> None:
    for name in ("shanghai-putuo-planning-2024.pdf", "shanghai-putuo-social-work-2024.pdf"):
        doc = read(sample(name))
        tops = {s.heading: s.table_indices for s in doc.sections}
        banner = next(h for h in tops if h.endswith("部门决算表"))
        kinds = [doc.tables[i].kind for i in tops[banner]]
        assert kinds[0] is TableKind.T01 and TableKind.T09 in kinds and len(kinds) == 9, name
        unit = next(s for s in doc.walk_sections() if "单位构成" in s.heading)
        assert [doc.tables[i].kind for i in unit.table_indices] == [TableKind.OTHER], name


# -- 6. notes under tables ------------------------------------------------------------------------
def test_notes_after_an_instruction_line_stay_with_the_table() -> None:
    doc = read(sample("shanghai-putuo-social-work-2024.pdf"))
    t07 = doc.table(TableKind.T07)
    assert t07 is not None and any("本表无数据" in n.text for n in t07.notes)
    paras = [p.text for s in doc.walk_sections() for p in s.paragraphs]
    assert not any("本表无数据" in p for p in paras)
    assert doc.tables[1].kind is TableKind.T01


def test_finance_t06_split_code_columns() -> None:
    doc = read(sample("shanghai-putuo-finance-2024.pdf"))
    t06 = doc.table(TableKind.T06)
    assert t06 is not None
    r = t06.row("30101")
    assert r is not None and r.label == "基本工资" and r.cells["amount"].value == D("262.33")
    r = t06.row("30202")
    assert r is not None and r.label == "印刷费" and r.cells["amount"].value == D("7.61")


# -- 3. seed 000's 三公 table ----------------------------------------------------------------------
def test_seed000_sangong_table_prints_no_data_row() -> None:
    # verified: the seed prints the 三公 header and 栏次 only, no data row; the table is found with
    # its columns and note, and the empty table is reported by the rules
    doc = read(seed("000_28fcffc144f7be8d.txt"))
    t = doc.table(TableKind.T09)
    assert t is not None and t.rows == [] and [c.key for c in t.columns] == ["budget", "actual"]
    assert t.notes and "三公" in t.notes[0].text
    assert not [i for i in doc.read_issues if "三公" in i.message]
    findings = run_rules(doc)
    assert any("三公" in f.message and "空表" in f.message for f in findings)


# -- 4. 相关统计数 inside the 三公 grid --------------------------------------------------------------
_T09_ROWS = [
    ["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""],
    ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"] * 2,
    ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""] * 2,
    ["1.00", "0.00", "0.50", "0.00", "0.50", "0.50", "0.90", "0.00", "0.45", "0.00", "0.45", "0.45"],
]
_STATS = [
    ["项目", "统计数", "项目", "统计数"],
    ["因公出国（境）团组数（个）", "0", "因公出国（境）人次（人）", "0"],
    ["公务用车购置数（辆）", "0", "公务用车保有量（辆）", "3"],
    ["国内公务接待批次（个）", "2", "国内公务接待人次（人）", "26"],
]


def _t09_doc(*grids: list[list[str]]) -> Disclosure:
    return _doc(
        "第二部分 部门决算表",
        "财政拨款“三公”经费支出决算表",
        "公开09表",
        "金额单位：万元",
        *[_grid(g) for g in grids],
        "注：本表反映部门本年度“三公”经费支出预决算情况。",
    )


def test_statistics_rows_in_the_sangong_grid_become_t09s() -> None:
    for doc in (_t09_doc(_T09_ROWS + [r + [""] * 8 for r in _STATS]), _t09_doc(_T09_ROWS, _STATS)):
        t09 = doc.table(TableKind.T09)
        t09s = doc.table(TableKind.T09S)
        assert t09 is not None and t09s is not None
        assert t09.row("total").cells["actual"].value == D("0.90")  # type: ignore[union-attr]
        assert t09.notes and t09.printed_number == "公开09表"
        assert t09s.row("vehicles").cells["value"].value == D("3")  # type: ignore[union-attr]
        assert t09s.row("reception_persons").cells["value"].value == D("26")  # type: ignore[union-attr]
        assert doc.sections[0].table_indices == [0, 1]
        assert not [
            f for f in run_rules(doc) if f.rule_id.startswith("R-") and f.severity is not Severity.INFO
        ]


def test_sangong_without_statistics_is_one_table() -> None:
    doc = _t09_doc(_T09_ROWS)
    assert [t.kind for t in doc.tables] == [TableKind.T09]


# -- a budget table's captions printed as lines above it (the Jiangsu NPC office's framed pages) ----
def _at(text: str, page: int, box: tuple[float, float, float, float], size: float = 10.0) -> RawLine:
    return RawLine(text=text, loc=Location(page=page, bbox=box), size=size)


_B04_BODY = [
    ["收入", "", "支出", ""],
    ["项目名称", "金额", "项目名称", "金额"],
    ["一、一般公共预算", "100.00", "一、基本支出", "100.00"],
    ["收入合计", "100.00", "支出合计", "100.00"],
]


def test_a_department_name_wrapped_under_its_caption_stays_a_caption() -> None:
    # 部门名称：江苏省人大 / 常委会办公厅, the 单位 line printed on the right between the two lines
    doc = _doc(
        "第二部分 部门预算表",
        _at("公开04表", 1, (80, 140, 133, 154)),
        _at("财政拨款收支预算总表", 1, (260, 170, 400, 190), size=18),
        _at("部门名称：江苏省人大", 1, (80, 203.7, 178.8, 213.0)),
        _at("单位:万元", 1, (508, 211.5, 550, 220.7)),
        _at("常委会办公厅", 1, (80.1, 219.3, 138.9, 228.8)),
        _grid(_B04_BODY),
    )
    [t] = doc.tables
    assert t.kind is TableKind.B04 and t.department == "江苏省人大常委会办公厅"
    assert not any(p.text == "常委会办公厅" for _, p in doc.paragraphs())


def test_a_title_left_at_a_page_foot_does_not_take_the_next_pages_table() -> None:
    # page 1 ends with the next table's title (its body is on page 3); page 2 prints another
    # table with its own title: that table is its own
    b05f = [
        ["财政拨款支出预算表", "", ""],
        ["功能科目代码", "功能科目名称", "金额"],
        ["", "合计", "100.00"],
        ["201", "一般公共服务支出", "100.00"],
        ["", "财政拨款基本支出预算表", ""],
        ["", "", ""],
    ]
    doc = _doc(
        "第二部分 部门预算表",
        _grid(b05f, page=1),
        _grid([["财政拨款收支预算总表"], ["部门：", "江苏省人大常委会办公厅", "单位：万元"], *_B04_BODY], page=2),
    )
    assert [t.kind for t in doc.tables] == [TableKind.B05F, TableKind.B06F, TableKind.B04]
    assert doc.tables[2].row("inc_general", "income") is not None
