"""The format-independent assembler: hand-made raw documents (spans, split tables, layout
variants) and the real Shanghai PDFs turned into grids by pdfplumber (a stand-in for the PDF
reader: its ``extract_tables()`` cells and the page text outside the tables)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import sample
from juesuan.ingest.assemble import assemble, heading_of, split_caption
from juesuan.ingest.raw import RawCell, RawDocument, RawGrid, RawLine
from juesuan.model import Disclosure, Location, Severity, TableKind
from juesuan.rules import run_rules
from juesuan.tables.recognize import CodeContext, kind_from_title

D = Decimal


def _grid(rows: list[list[str]], page: int = 1) -> RawGrid:
    return RawGrid(
        rows=[[RawCell(text=t, loc=Location(page=page)) for t in r] for r in rows], loc=Location(page=page)
    )


def _doc(*blocks: RawLine | RawGrid | str) -> Disclosure:
    raw = RawDocument(path="测试.pdf", format="pdf")
    for b in blocks:
        raw.blocks.append(RawLine(text=b, loc=Location(page=1)) if isinstance(b, str) else b)
    return assemble(raw)


# -- pieces ---------------------------------------------------------------------------------------
def test_kinds_from_titles_never_from_numbers() -> None:
    assert kind_from_title("财政拨款收入支出决算总表") is TableKind.T04
    assert kind_from_title("收入支出决算总表") is TableKind.T01
    assert kind_from_title("一般公共预算财政拨款基本支出决算明细表") is TableKind.T06
    assert kind_from_title("国有资本经营预算财政拨款支出决算表") is TableKind.T08
    assert kind_from_title("2024年度部门预算调整追加项目支出绩效自评表") is TableKind.PERF_PROJECT
    assert kind_from_title("部门整体支出绩效自评表") is TableKind.PERF_DEPT
    assert kind_from_title("“三公”经费相关统计数") is TableKind.T09S
    assert kind_from_title("公开08表") is None


def test_code_normalisation() -> None:
    c = CodeContext()
    assert c.full(["208"]) == "208"
    assert c.full(["01"]) == "20801"  # 类 digits omitted
    assert c.full(["0109"]) == "2080109"
    assert c.full(["208", "05", "05"]) == "2080505"  # 类 | 款 | 项 columns
    assert c.split("", "06") == "2080506"  # only the 项 printed under its 款
    assert c.full(["合计"]) is None


def test_headings_and_caption_lines() -> None:
    assert heading_of("第三部分 2024年度部门决算情况说明") == (1, "第三部分")
    assert heading_of("(二) 一般公共预算财政拨款支出决算结构情况") == (3, "（二）")
    assert heading_of("1. 因公出国（境）费用支出0万元。全年使用财政拨款安排因公出国（境）团组0个。") is None
    assert split_caption("收入决算表部门：某某局 公开02表 金额单位：万元") == [
        "收入决算表",
        "部门：某某局",
        "公开02表",
        "金额单位：万元",
    ]
    assert split_caption("本年收入合计900.28万元。") == ["本年收入合计900.28万元。"]


# -- hand-made grids -------------------------------------------------------------------------------
T03_HEAD = [
    "科目代码",
    "科目名称",
    "本年支出合计",
    "基本支出",
    "项目支出",
    "上缴上级支出",
    "经营支出",
    "对附属单位补助支出",
]


def test_split_table_is_joined_and_repeated_header_dropped() -> None:
    doc = _doc(
        "支出决算表",
        "公开03表",
        _grid(
            [
                T03_HEAD,
                ["合计", "", "30.00", "30.00", "", "", "", ""],
                ["208", "社会保障和就业支出", "20.00", "20.00", "", "", "", ""],
            ]
        ),
        _grid([T03_HEAD, ["210", "卫生健康支出", "10.00", "10.00", "", "", "", ""]], page=2),
    )
    assert len(doc.tables) == 1
    t = doc.tables[0]
    assert [r.key for r in t.rows] == ["total", "208", "210"]
    c = t.cell("210", "total")
    assert c is not None and c.value == D("10.00") and c.loc is not None and c.loc.page == 2


def test_colspan_and_rowspan_headers() -> None:
    head1 = [RawCell(text="项目", colspan=2), RawCell(text="本年支出", colspan=3)]
    head2 = [
        RawCell(text="功能分类科目编码"),
        RawCell(text="科目名称"),
        RawCell(text="小计"),
        RawCell(text="基本支出"),
        RawCell(text="项目支出"),
    ]
    body = [RawCell(text=t) for t in ["合计", "", "5.00", "3.00", "2.00"]]
    doc = _doc("一般公共预算财政拨款支出决算表", RawGrid(rows=[head1, head2, body]))
    t = doc.table(TableKind.T05)
    assert t is not None and [c.key for c in t.columns] == ["total", "basic", "project"]
    assert t.value("total", "project") == D("2.00")


def test_t06_split_column_layout() -> None:
    doc = _doc(
        "一般公共预算财政拨款基本支出决算表",
        _grid(
            [
                ["科目代码", "科目名称", "合计", "人员经费", "公用经费"],
                ["合计", "", "10.00", "8.00", "2.00"],
                ["301", "工资福利支出", "8.00", "8.00", ""],
                ["30201", "办公费", "2.00", "", "2.00"],
            ]
        ),
    )
    t = doc.table(TableKind.T06)
    assert t is not None and {c.key for c in t.columns} == {"amount", "personnel", "public"}
    r = t.row("30201")
    assert r is not None and r.side == "public" and r.value("public") == D("2.00")
    assert t.row("301").side == "personnel"  # type: ignore[union-attr]


def test_t09_rows_layout_and_unknown_table_kept() -> None:
    doc = _doc(
        "财政拨款“三公”经费支出决算表",
        _grid(
            [
                ["项目", "预算数", "决算数"],
                ["合计", "3.00", "2.50"],
                ["因公出国（境）费", "", ""],
                ["公务用车购置及运行费", "2.00", "2.00"],
                ["其中：公务用车购置费", "", ""],
                ["公务用车运行费", "2.00", "2.00"],
                ["公务接待费", "1.00", "0.50"],
            ]
        ),
        "部门决算单位构成",
        _grid([["序号", "单位名称"], ["1", "某某局本级"]]),
    )
    t09 = doc.table(TableKind.T09)
    assert t09 is not None
    assert t09.value("total", "actual") == D("2.50") and t09.value("car_run", "budget") == D("2.00")
    assert t09.value("reception", "actual") == D("0.50")
    assert doc.tables[-1].kind is TableKind.OTHER and doc.tables[-1].rows[1].cells["c2"].raw == "某某局本级"


def test_not_a_disclosure_raises() -> None:
    from juesuan.ingest import InputError

    with pytest.raises(InputError):
        _doc("今天天气很好。", "我们去公园散步。")


# -- the real Shanghai PDFs through pdfplumber --------------------------------------------------------
def _raw_from_pdf(path: Path, pages: list[int] | None = None) -> RawDocument:
    pdfplumber = pytest.importorskip("pdfplumber")
    raw = RawDocument(path=str(path), format="pdf")
    with pdfplumber.open(str(path)) as pdf:
        raw.pages = len(pdf.pages)
        for pno, page in enumerate(pdf.pages, 1):
            if pages is not None and pno not in pages:
                continue
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]

            def outside(obj: dict, boxes: list = boxes) -> bool:
                x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

            items: list[tuple[float, RawLine | RawGrid]] = []
            for ln in page.filter(outside).extract_text_lines():
                bbox = (ln["x0"], ln["top"], ln["x1"], ln["bottom"])
                items.append((ln["top"], RawLine(text=ln["text"], loc=Location(page=pno, bbox=bbox))))
            for t in tables:
                rows = [[RawCell(text=c or "", loc=Location(page=pno)) for c in r] for r in t.extract()]
                items.append((t.bbox[1], RawGrid(rows=rows, loc=Location(page=pno, bbox=t.bbox))))
            items.sort(key=lambda x: x[0])
            raw.blocks.extend(b for _, b in items)
    return raw


STANDARD = [
    TableKind.T01,
    TableKind.T02,
    TableKind.T03,
    TableKind.T04,
    TableKind.T05,
    TableKind.T06,
    TableKind.T07,
    TableKind.T08,
    TableKind.T09,
]


@pytest.fixture(scope="module")
def finance() -> Disclosure:
    # the cover and the table pages (5-20) keep the test fast
    return assemble(_raw_from_pdf(sample("shanghai-putuo-finance-2024.pdf"), [1, *range(5, 21)]))


def test_shanghai_finance_every_standard_table(finance: Disclosure) -> None:
    assert finance.metadata.department == "上海市普陀区财政局" and finance.metadata.year == 2024
    kinds = [t.kind for t in finance.tables]
    assert all(k in kinds for k in STANDARD), kinds
    v = finance.table(TableKind.T01).value  # type: ignore[union-attr]
    assert v("inc_general_budget", "amount", "income") == D("2940.05")
    assert finance.table(TableKind.T04).value("inc_begin_balance", "amount", "income") == D("21.63")  # type: ignore[union-attr]
    t02 = finance.table(TableKind.T02)
    assert t02 is not None
    assert t02.value("total", "total") == D("2946.25")  # 合计 printed on the 类|款|项 label line
    assert t02.value("2010601", "other") == D("0.01")  # 201 | 06 | 01 columns
    assert t02.column_label("total") == "本年收入合计"  # wrapped header cell joined
    assert finance.table(TableKind.T03).value("total", "basic") == D("2336.91")  # type: ignore[union-attr]
    t05 = finance.table(TableKind.T05)
    assert t05 is not None and t05.value("total", "project") == D("603.14")  # 合计 printed last
    t06 = finance.table(TableKind.T06)
    assert t06 is not None
    assert t06.value("30102", "amount") == D("1238.58")  # 301 | 02 columns
    assert t06.value("personnel_total", "amount") == D("2152.26")
    assert t06.value("public_total", "amount") == D("184.65")  # split over two pages, joined
    t09 = finance.table(TableKind.T09)
    assert t09 is not None  # three-level header, 预算数 | 决算数 under every item
    assert t09.value("total", "budget") == D("0.95") and t09.value("reception", "budget") == D("0.95")
    assert t09.cell("total", "actual") is not None and t09.value("total", "actual") is None


def test_shanghai_finance_has_no_table_errors(finance: Disclosure) -> None:
    bad = [
        f"{f.rule_id} {f.message}"
        for f in run_rules(finance, select=["T0", "T1", "X"])
        if f.severity is not Severity.INFO
    ]
    assert bad == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "department", "t09_total_actual"),
    [
        ("shanghai-putuo-planning-2024.pdf", "上海市普陀区规划和自然资源局", D("0.39")),
        ("shanghai-putuo-social-work-2024.pdf", "中共上海市普陀区委社会工作部", None),
    ],
)
def test_shanghai_other_samples(name: str, department: str, t09_total_actual: Decimal | None) -> None:
    doc = assemble(_raw_from_pdf(sample(name)))
    assert doc.metadata.department == department
    kinds = [t.kind for t in doc.tables]
    assert all(k in kinds for k in STANDARD), kinds
    assert doc.table(TableKind.T09).value("total", "actual") == t09_total_actual  # type: ignore[union-attr]
    t07 = doc.table(TableKind.T07)
    assert t07 is not None and [c.key for c in t07.columns] == [
        "begin_balance",
        "income",
        "exp_total",
        "basic",
        "project",
        "end_balance",
    ]
    bad = [
        f"{f.rule_id} {f.message}"
        for f in run_rules(doc, select=["T0", "T1", "X"])
        if f.severity is not Severity.INFO
    ]
    assert bad == []


def test_heading_printed_in_the_table_row_is_kept() -> None:
    doc = _doc(
        "单位名称：某某局",
        "第二部分 2024年度部门决算表",
        _grid(
            [
                ["二、收入决算表", "", ""],
                ["科目代码", "科目名称", "本年收入合计", "财政拨款收入"],
                ["合计", "", "5.00", "5.00"],
            ]
        ),
    )
    assert doc.metadata.department == "某某局"
    part2 = doc.sections[0]
    assert part2.children[0].heading == "二、收入决算表" and part2.children[0].table_indices == [0]
    t = doc.tables[0]
    assert t.kind is TableKind.T02 and t.title == "收入决算表"
    assert [h.text for h in t.header_texts] == ["科目代码 科目名称 本年收入合计 财政拨款收入"]


def test_page_number_between_parts_of_a_split_table() -> None:
    doc = _doc(
        "支出决算表",
        _grid([T03_HEAD, ["208", "社会保障和就业支出", "20.00", "20.00", "", "", "", ""]]),
        "- 7 -",
        _grid([["210", "卫生健康支出", "10.00", "10.00", "", "", "", ""]], page=2),
    )
    assert len(doc.tables) == 1 and [r.key for r in doc.tables[0].rows] == ["208", "210"]


def test_t11_items_as_columns() -> None:
    doc = _doc(
        "政府采购支出情况表",
        _grid(
            [
                [
                    "政府采购支出合计",
                    "货物",
                    "工程",
                    "服务",
                    "授予中小企业合同金额",
                    "其中：授予小微企业合同金额",
                ],
                ["21.37", "21.37", "", "", "10.00", "5.00"],
            ]
        ),
    )
    t = doc.table(TableKind.T11)
    assert t is not None
    assert t.value("total", "amount") == D("21.37") and t.value("small_micro", "amount") == D("5.00")
    assert t.cell("works", "amount") is not None and t.value("works", "amount") is None


def test_a_parser_failure_keeps_the_table_as_other(monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.ingest.assemble import bodies

    def boom(ctx: object) -> None:
        raise IndexError("unforeseen layout")

    monkeypatch.setitem(bodies.PARSERS, TableKind.T03, boom)
    doc = _doc(
        "支出决算表", _grid([T03_HEAD, ["208", "社会保障和就业支出", "20.00", "20.00", "", "", "", ""]])
    )
    t = doc.tables[0]
    assert t.kind is TableKind.OTHER and t.rows[1].cells["c3"].value == D("20.00")
    assert [i.code for i in doc.read_issues] == ["unrecognised_layout"]
    assert "T03" in doc.read_issues[0].message


def test_t01_in_one_column() -> None:
    doc = _doc(
        "收入支出决算总表",
        _grid(
            [
                ["项目", "行次", "金额"],
                ["一、一般公共预算财政拨款收入", "1", "100.00"],
                ["本年收入合计", "2", "100.00"],
                ["总计", "3", "100.00"],
                ["八、社会保障和就业支出", "4", "90.00"],
                ["九、卫生健康支出", "5", "10.00"],
                ["本年支出合计", "6", "100.00"],
                ["总计", "7", "100.00"],
            ]
        ),
    )
    t = doc.table(TableKind.T01)
    assert t is not None
    assert t.value("inc_general_budget", "amount", "income") == D("100.00")
    assert t.value("208", "amount", "expense") == D("90.00")
    assert t.value("inc_grand_total", "amount", "income") == D("100.00")
    assert t.value("exp_grand_total", "amount", "expense") == D("100.00")
    assert t.row("exp_total_year", "expense") is not None


def test_printed_precision_is_the_tables_decimals() -> None:
    head = ["科目代码", "科目名称", "本年收入合计", "财政拨款收入"]
    whole = _doc(
        "收入决算表",
        _grid([head, ["合计", "", "1051", "1051"], ["208", "社会保障和就业支出", "1051", "1051"]]),
    )
    assert whole.tables[0].decimals == 0  # amounts printed in whole 元
    cents = _doc("收入决算表", _grid([head, ["合计", "", "1,051.37", "1,051.37"]]))
    assert cents.tables[0].decimals == 2
