"""How completely each table was read (``Table.reading``), and what comes of it: an error or a
warning resting on a cell that was not read for certain is withheld and listed as not checked,
with the reason, in every report and in ``explain``.

The readings of the real documents were checked against their pages: the Shanghai 决算 tables
print a header over every amount column; seed 000's 一般公共预算财政拨款支出决算表 prints a
flattened header (合计 | 小计 | 本年支出基本支出 | 项目支出 over five amount columns), so only 合计 is
named by its header; the Jiangsu procuratorate's 2018 一般公共预算支出预算表 prints its amount headers
where the reader cannot place them, and two of its lines carry amounts without a code or a name.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from rich.console import Console

from conftest import SAMPLES, SEEDS, sample, seed
from juesuan.api import DocumentResult, check_path
from juesuan.ingest import read
from juesuan.ingest.assemble.budget_bodies import _amount_named
from juesuan.ingest.raw import RawCell
from juesuan.model import Disclosure, Severity, Table, TableKind, TableReading
from juesuan.report.explain import explain_document, render_text
from juesuan.report.html import render_html
from juesuan.report.items import ReportItem
from juesuan.report.jsonout import results_to_obj
from juesuan.report.text import print_results
from juesuan.report.xlsx import build_workbook
from juesuan.rules import check_disclosure
from juesuan.rules.cases import build_disclosure
from juesuan.tables.budget import BUDGET_TABLE_KINDS

JIANGSU = "jiangsu-budget"
SHANGHAI = [
    "shanghai-putuo-finance-2024.pdf",
    "shanghai-putuo-planning-2024.pdf",
    "shanghai-putuo-social-work-2024.pdf",
    "shanghai-template-2024.pdf",
]
SEED_000 = "000_28fcffc144f7be8d.txt"


@cache
def _read(path: Path) -> Disclosure:
    return read(path)


def _only(doc: Disclosure, kind: TableKind) -> Table:
    tables = doc.tables_of(kind)
    assert len(tables) == 1, [t.name for t in tables]
    return tables[0]


# --- what the readers record ---------------------------------------------------------------------
@pytest.mark.parametrize("name", SHANGHAI)
def test_shanghai_tables_are_read_by_their_headers(name: str) -> None:
    doc = _read(sample(name))
    known = [t for t in doc.tables if t.kind is not TableKind.OTHER]
    assert len(known) == 9
    for t in known:
        r = t.reading
        assert r.layout, t.name
        assert r.by_header and not r.by_position, (t.name, r)
        assert r.complete, (t.name, r)
        # every column the table has was named by its header
        assert {c.key for c in t.columns} <= set(r.by_header), t.name
    assert _only(doc, TableKind.T02).reading.by_header == [
        "total", "fiscal", "superior", "business", "operating", "affiliated", "other",
    ]  # fmt: skip
    # the 部门决算单位构成 list (序号 | 单位名称 | 备注) is no known table: kept as printed
    others = [t for t in doc.tables if t.kind is TableKind.OTHER]
    assert [t.reading.layout for t in others] == ["other"]


def test_seed_000_general_budget_columns_are_taken_by_position() -> None:
    t = _only(_read(seed(SEED_000)), TableKind.T05)
    assert t.reading.layout == "coded"
    assert t.reading.by_header == ["total"]
    assert t.reading.by_position == ["basic", "personnel", "public", "project"]
    assert not t.reading.complete
    # a column taken by position is named by its standard label, not by the misplaced header
    assert t.column_label("basic") == "基本支出"
    assert t.value("total", "project") == Decimal("110.54")


def test_jiangsu_budget_tables_say_what_was_not_read() -> None:
    # the procuratorate's budget tables are all of a known budget kind, their coded tables read
    # by their 合计 header, none forced into a 决算 kind
    doc = _read(sample(f"{JIANGSU}/jiangsu-procuratorate-2018-budget.pdf"))
    assert doc.tables and all(t.kind in BUDGET_TABLE_KINDS for t in doc.tables)
    coded = [t for t in doc.tables if t.reading.layout == "coded"]
    assert len(coded) >= 5 and all("total" in t.reading.by_header for t in coded)
    # every budget table says how it was read: its amounts named by their headers
    for t in doc.tables:
        assert t.reading.layout and t.reading.by_header and not t.reading.by_position, (t.kind, t.reading)
    # the NPC office's 2017 收支总表 lost lines in the PDF's text layer: the sums are listed as not
    # checked, with the reason; its part heading, once gridded like a table inside the page frame
    # (an unrecognised table), is a heading since the frame is read through
    result = check_path(sample(f"{JIANGSU}/jiangsu-npc-office-2017-budget.pdf"))
    reasons = [u.reason for u in result.unchecked]
    assert any("未能识别" in r and "无法确定各项之和" in r for r in reasons), reasons
    assert not any(r.startswith("未识别的表格，未核对") for r in reasons), reasons
    npc = _read(sample(f"{JIANGSU}/jiangsu-npc-office-2017-budget.pdf"))
    assert "第二部分 江苏省人大常委会办公厅2017年度部门预算表" in [sec.heading for sec in npc.sections]


def test_reading_is_serialised_with_the_table() -> None:
    t = Table(
        kind=TableKind.T05, reading=TableReading(layout="coded", by_header=["total"], by_position=["basic"])
    )
    data = t.model_dump(mode="json")
    assert data["reading"]["by_position"] == ["basic"]
    assert Table.model_validate(data).reading == t.reading
    # a table built by hand records nothing: read by its headers, complete
    assert Table(kind=TableKind.T05).reading.complete


# --- what the rules do with it -------------------------------------------------------------------
def _t05(reading: dict[str, object], rows: dict[str, dict[str, str]]) -> Disclosure:
    return build_disclosure({"tables": [{"kind": "T05", "reading": reading, "rows": rows}]})


WRONG_ROW = {"2080109": {"total": "621.58", "basic": "603.97", "project": "7.61"}}


def test_an_error_on_a_position_read_column_is_withheld() -> None:
    doc = _t05({"by_header": ["total", "basic"], "by_position": ["project"]}, WRONG_ROW)
    checked = check_disclosure(doc, select=["T05-001"])
    assert checked.findings == []
    [u] = checked.unchecked
    assert u.rule_id == "T05-001"
    assert u.reason == "栏目按位置推定，未核对：《一般公共预算财政拨款支出决算表》[项目支出]"
    assert "621.58" in u.what and {r.column for r in u.locations} == {"total", "basic", "project"}


def test_the_same_error_on_header_read_columns_is_reported() -> None:
    doc = _t05({"by_header": ["total", "basic", "project"], "by_position": ["public"]}, WRONG_ROW)
    checked = check_disclosure(doc, select=["T05-001"])
    assert [f.severity for f in checked.findings] == [Severity.ERROR]
    assert checked.unchecked == []


def test_a_rounding_note_is_not_withheld() -> None:
    rows = {"total": {"total": "881.98", "basic": "771.45", "project": "110.54"}}
    checked = check_disclosure(_t05({"by_header": ["total"], "by_position": ["basic", "project"]}, rows))
    assert [(f.rule_id, f.severity) for f in checked.findings if f.rule_id == "T05-001"] == [
        ("T05-001", Severity.INFO)
    ]


def test_a_total_of_a_table_with_unread_rows_is_not_judged() -> None:
    rows = {
        "total": {"total": "100.00", "basic": "60.00", "project": "40.00"},
        "208": {"total": "70.00", "basic": "40.00", "project": "30.00"},
        "20801": {"total": "70.00", "basic": "40.00", "project": "30.00"},
        "2080101": {"total": "70.00", "basic": "40.00", "project": "30.00"},
    }
    read_all = check_disclosure(_t05({"by_header": ["total", "basic", "project"]}, rows), select=["T05-004"])
    assert [f.severity for f in read_all.findings if f.severity is Severity.ERROR]
    some_unread = _t05({"by_header": ["total", "basic", "project"], "rows_unlabelled": 1}, rows)
    checked = check_disclosure(some_unread, select=["T05-004"])
    assert not [f for f in checked.findings if f.severity is Severity.ERROR]
    assert checked.unchecked and all(
        u.reason.startswith("表中有未读取的行，合计未核对") for u in checked.unchecked
    )


def test_unknown_tables_are_listed_as_not_checked() -> None:
    doc = build_disclosure(
        {
            "tables": [
                {"kind": "OTHER", "title": "部门收支预算总表", "reading": {"layout": "other"}, "rows": {}}
            ]
        }
    )
    left = [u for u in check_disclosure(doc).unchecked if u.rule_id == "R-005"]
    assert [u.reason for u in left] == ["未识别的表格，未核对：《部门收支预算总表》"]


# --- what the reports say ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_000() -> tuple[Disclosure, DocumentResult]:
    path = seed(SEED_000)
    return _read(path), check_path(path)


def test_every_report_says_what_was_not_checked(seed_000: tuple[Disclosure, DocumentResult]) -> None:
    doc, result = seed_000
    places = [u for u in result.unchecked if not u.rules]
    assert {u.rule_id for u in places} == {"N-002", "X-014", "R-005"}
    line = f"另有 {len(places)} 处因读取不确定未核对，见 explain"

    out = io.StringIO()
    print_results([result], Console(file=out, width=200, highlight=False))
    assert line in out.getvalue()

    obj = results_to_obj([result])["documents"][0]
    assert {u["rule_id"] for u in obj["unchecked"]} == {"N-002", "X-014", "R-005"}

    item = ReportItem(result=result, doc=doc)
    html = render_html([item], with_images=False)
    assert line in html and "栏目按位置推定，未核对：《一般公共预算财政拨款支出决算表》[基本支出]" in html

    ws = build_workbook([item])["未核对"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == ["N-002", "R-005", "X-014"]
    assert all(r[3] and r[4] and r[5] for r in rows)  # place, what and reason


def test_explain_lists_the_tables_and_columns_not_read_for_certain(
    seed_000: tuple[Disclosure, DocumentResult],
) -> None:
    doc, _ = seed_000
    ex = explain_document(doc)
    [t05] = [t for t in ex.tables if not t.complete]
    assert t05.by_position == ["基本支出", "人员经费", "公用经费", "项目支出"]
    out = io.StringIO()
    render_text(ex, Console(file=out, width=400, highlight=False))
    text = out.getvalue()
    assert "按表头读取 合计；按位置推定 基本支出、人员经费、公用经费、项目支出" in text
    assert "未核对（3 处）" in text
    # the narrative check on the position-read 项目支出 cell is not judged there either
    n002 = [x for s in ex.sentences for c in s.claims for x in c.checks if x.rule == "N-002" and x.unchecked]
    assert n002 and all(x.mark == "○" for x in n002)


def _real_documents() -> list[Path]:
    return sorted([*SAMPLES.glob("*.pdf"), *(SAMPLES / JIANGSU).glob("*.pdf"), *SEEDS.glob("*.txt")])


@pytest.mark.parametrize("path", _real_documents(), ids=lambda p: p.name)
def test_every_real_explain_says_what_was_not_checked_and_why(path: Path) -> None:
    doc = _read(path)
    ex = explain_document(doc, str(path))
    out = io.StringIO()
    render_text(ex, Console(file=out, width=400, highlight=False))
    text = out.getvalue()
    for t in ex.tables:
        if not t.complete:
            assert f"《{t.title}》" in text, t.title
    places = [u for u in ex.unchecked if not u.rules]
    if places:
        assert f"未核对（{len(places)} 处）" in text
        assert all(u.reason for u in places)
    else:
        assert "没有因读取不确定而未核对的内容" in text
    # every table of no known kind is one not-checked item, never forced into a known kind
    others = sum(1 for t in doc.tables if t.kind is TableKind.OTHER)
    if doc.tables:
        assert sum(1 for u in places if u.reason.startswith("未识别的表格，未核对")) == others


def test_a_combined_table_names_its_amount_column_above_its_first_line(tmp_path: Path) -> None:
    # Inner Mongolia's 机构运行经费/国有资产/政府采购 table prints its 机构运行经费 amount right
    # under the 金额（数量） header: the column is still named by that header, so a wrong 政府采购
    # cell is judged, not withheld
    text = "\n".join(
        [
            "机构运行经费支出、国有资产占用情况及政府采购支出信息表",
            "部门：示例局",
            "金额单位：万元",
            "项目\t金额（数量）",
            "一、机构运行经费支出\t44.29",
            "二、政府采购支出信息\t",
            "（一）政府采购支出合计\t15.83",
            "1. 政府采购货物支出\t13.74",
            "3. 政府采购服务支出\t2.09",
            "（二）政府采购授予中小企业合同金额\t19.17",
            "其中：授予小微企业合同金额\t11.44",
        ]
    )
    path = tmp_path / "t11.txt"
    path.write_text(text, encoding="utf-8")
    t11 = _only(read(path), TableKind.T11)
    assert t11.reading.by_header == ["amount"] and not t11.reading.by_position


def test_a_budget_amount_taken_for_being_right_of_its_label_is_by_position() -> None:
    # 收支预算总表 read one amount per label: the amount column counts as named only when its
    # header says 金额/预算数, never under a 上年 header (a region printing 上年预算数 first)
    def grid(*lines: list[str]) -> list[list[RawCell]]:
        return [[RawCell(text=t) for t in line] for line in lines]

    this_year = grid(["项目", "本年预算数"], ["一般公共预算拨款", "100.00"])
    last_year = grid(["项目", "上年预算数"], ["一般公共预算拨款", "90.00"])
    no_header = grid(["一般公共预算拨款", "100.00"])
    assert _amount_named(this_year, [1], 1)
    assert not _amount_named(last_year, [1], 1)
    assert not _amount_named(no_header, [1], 0)
