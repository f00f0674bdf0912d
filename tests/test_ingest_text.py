"""The text reader and assembler on the two real seed disclosures, Markdown, and bad input."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import seed
from juesuan.cli import app
from juesuan.ingest import InputError, read
from juesuan.ingest.text import read_text_bytes
from juesuan.model import AmountUnit, Disclosure, DisclosureKind, TableKind
from juesuan.rules import run_rules

SEED_000 = "000_28fcffc144f7be8d.txt"
SEED_003 = "003_837dc0ef3549c6c2.txt"
D = Decimal


@pytest.fixture(scope="module")
def d000() -> Disclosure:
    return read(seed(SEED_000))


@pytest.fixture(scope="module")
def d003() -> Disclosure:
    return read(seed(SEED_003))


def _v(doc: Disclosure, kind: TableKind, row: str, col: str, side: str | None = None) -> Decimal | None:
    t = doc.table(kind)
    assert t is not None, f"no table {kind}"
    return t.value(row, col, side)


# -- seed 000 (Jilin) ------------------------------------------------------------------------------
def test_000_metadata(d000: Disclosure) -> None:
    md = d000.metadata
    assert md.department == "蛟河市社会保险事业管理局"
    assert md.year == 2024
    assert md.unit is AmountUnit.WAN_YUAN
    assert md.kind is DisclosureKind.DEPARTMENT
    assert md.source_format == "txt"
    assert md.publish_date == "2025 年 8 月 25 日"
    assert md.is_template is False


def test_000_toc_and_headings(d000: Disclosure) -> None:
    toc = [(e.text, e.level) for e in d000.toc]
    assert toc[0] == ("第一部分部门概况", 1)
    assert ("十、部门预算项目支出绩效自评表", 2) in toc
    assert toc[-1] == ("第四部分名词解释", 1)
    assert len(toc) == 27
    assert d000.toc[0].loc is not None and d000.toc[0].loc.line == 13
    parts = [s.heading for s in d000.sections]
    assert parts == [
        "第一部分部门概况",
        "第二部分 2024 年度部门决算表",
        "第三部分 2024 年度部门决算情况说明",
        "第四部分名词解释",
    ]
    assert [s.number for s in d000.sections] == ["第一部分", "第二部分", "第三部分", "第四部分"]
    part3 = d000.sections[2]
    five = part3.children[4]
    assert five.heading == "五、一般公共预算财政拨款支出决算情况说明" and five.number == "五"
    assert [c.number for c in five.children] == ["（一）", "（二）", "（三）"]
    assert five.children[1].loc is not None and five.children[1].loc.line == 713
    # tables hang under their headings in part 2
    part2 = d000.sections[1]
    assert part2.children[0].heading == "一、收入支出决算总表" and part2.children[0].table_indices == [0]
    assert len(part2.children[-1].table_indices) == 15  # 十、 holds every 绩效自评表


def test_000_paragraphs_and_sentences(d000: Disclosure) -> None:
    two = d000.sections[2].children[1]
    p = two.paragraphs[0]
    assert p.text.startswith("本年收入合计 900.28 万元")
    assert p.text.endswith("导致收入减少。")  # joined across the page break (lines 680 + 683)
    assert p.loc is not None and p.loc.line == 680
    assert len(p.sentences) == 1 and p.sentences[0].loc is not None and p.sentences[0].loc.line == 680
    assert d000.cover[0].text == "附件 1:"


def test_000_tables_kinds_and_captions(d000: Disclosure) -> None:
    kinds = [t.kind for t in d000.tables]
    assert kinds[:9] == [
        TableKind.T01, TableKind.T02, TableKind.T03, TableKind.T04, TableKind.T05,
        TableKind.T06, TableKind.T07, TableKind.T08, TableKind.T09,
    ]  # fmt: skip
    assert kinds[9] is TableKind.PERF_DEPT
    assert kinds[10:] == [TableKind.PERF_PROJECT] * 14
    numbers = [t.printed_number for t in d000.tables[:9]]
    # 06表 is printed as 公开08表 in the seed: kept exactly as printed, never used for the kind
    assert numbers == [
        "公开01表",
        "公开02表",
        "公开03表",
        "公开04表",
        "公开05表",
        "公开08表",
        "公开07表",
        "公开08表",
        "公开09表",
    ]
    t06 = d000.tables[5]
    assert t06.department == "鹤壁市社会保险事业管理局"  # another department's name, as printed
    assert d000.tables[0].department == "蛟河市社会保险事业管理局"
    assert all(t.unit is AmountUnit.WAN_YUAN for t in d000.tables[:9])
    t01 = d000.tables[0]
    assert t01.title == "收入支出决算总表"
    assert t01.loc is not None and t01.loc.line == 81
    assert [n.text for n in t01.notes] == [
        "注：1. 本表反映部门本年度的总收支和年末结转结余情况。",
        "2. 本套报表金额单位转换时可能存在尾数误差。",
    ]
    assert any(h.text == "金额单位：万元" for h in t01.header_texts)


def test_000_t01(d000: Disclosure) -> None:
    t = d000.table(TableKind.T01)
    assert t is not None
    assert _v(d000, TableKind.T01, "inc_general_budget", "amount", "income") == D("900.28")
    assert _v(d000, TableKind.T01, "inc_begin_balance", "amount", "income") == D("151.09")
    assert _v(d000, TableKind.T01, "inc_grand_total", "amount", "income") == D("1051.37")
    assert _v(d000, TableKind.T01, "208", "amount", "expense") == D("793.87")
    assert _v(d000, TableKind.T01, "221", "amount", "expense") == D("54.26")
    assert _v(d000, TableKind.T01, "exp_total_year", "amount", "expense") == D("881.98")
    assert _v(d000, TableKind.T01, "exp_end_balance", "amount", "expense") == D("169.39")
    blank = t.cell("inc_gov_fund", "amount", "income")
    assert blank is not None and blank.raw == "" and blank.value is None  # blank, not missing
    assert blank.loc is not None and (blank.loc.line, blank.loc.col) == (
        88,
        len("二、政府性基金预算财政拨款收入\t2\t") + 1,
    )
    c = t.cell("inc_grand_total", "amount", "income")
    assert c is not None and c.raw == "1,051.37" and c.loc is not None and (c.loc.line, c.loc.col) == (116, 7)
    assert len([r for r in t.rows if r.side == "expense" and r.code]) == 26
    assert len(t.rows) == 12 + 26 + 4


def test_000_t02_t03(d000: Disclosure) -> None:
    t02 = d000.table(TableKind.T02)
    assert t02 is not None and len(t02.rows) == 18
    assert [c.key for c in t02.columns] == [
        "total",
        "fiscal",
        "superior",
        "business",
        "operating",
        "affiliated",
        "other",
    ]
    assert _v(d000, TableKind.T02, "total", "total") == D("900.28")
    assert _v(d000, TableKind.T02, "2080109", "fiscal") == D("639.88")
    assert _v(d000, TableKind.T02, "2101199", "total") == D("0.60")
    r = t02.row("20801")
    assert r is not None and r.code == "20801" and r.label == "人力资源和社会保障管理事务" and r.level == 2
    assert r.loc is not None and r.loc.line == 130
    t03 = d000.table(TableKind.T03)
    assert t03 is not None and len(t03.rows) == 18
    assert _v(d000, TableKind.T03, "total", "basic") == D("771.45")
    assert _v(d000, TableKind.T03, "2080109", "project") == D("17.61")
    assert _v(d000, TableKind.T03, "20830", "basic") is None


def test_000_t04_t05(d000: Disclosure) -> None:
    assert _v(d000, TableKind.T04, "inc_begin_balance", "amount", "income") == D("148.33")
    assert _v(d000, TableKind.T04, "inc_begin_general", "amount", "income") == D("148.33")
    assert _v(d000, TableKind.T04, "inc_general_budget", "amount", "income") == D("900.28")
    assert _v(d000, TableKind.T04, "208", "general", "expense") == D("793.87")
    assert _v(d000, TableKind.T04, "exp_end_balance", "total", "expense") == D("166.63")
    assert _v(d000, TableKind.T04, "exp_grand_total", "general", "expense") == D("1048.61")
    # 05表: its header is shifted against the data; the columns are read in the standard order
    t05 = d000.table(TableKind.T05)
    assert t05 is not None and [c.key for c in t05.columns] == [
        "total",
        "basic",
        "personnel",
        "public",
        "project",
    ]
    assert _v(d000, TableKind.T05, "total", "basic") == D("771.45")
    assert _v(d000, TableKind.T05, "total", "personnel") == D("678.44")
    assert _v(d000, TableKind.T05, "total", "public") == D("93.00")
    assert _v(d000, TableKind.T05, "total", "project") == D("110.54")
    assert _v(d000, TableKind.T05, "2083099", "project") == D("74.92")
    assert any(i.code == "column_layout" for i in d000.read_issues)


def test_000_t06(d000: Disclosure) -> None:
    t = d000.table(TableKind.T06)
    assert t is not None
    r = t.row("30109")
    assert r is not None and r.side == "personnel" and r.value("amount") == D("26.17")
    assert _v(d000, TableKind.T06, "302", "amount") == D("93.00")
    assert t.row("302") is not None and t.row("302").side == "public"  # type: ignore[union-attr]
    assert _v(d000, TableKind.T06, "30239", "amount") == D("38.26")
    assert _v(d000, TableKind.T06, "30299", "amount") == D("8.19")
    assert _v(d000, TableKind.T06, "personnel_total", "amount") == D("678.44")
    assert _v(d000, TableKind.T06, "public_total", "amount") == D("93.00")
    assert len([r for r in t.rows if r.code]) == 27 + 28 + 26


def test_000_t07_t08_t09(d000: Disclosure) -> None:
    t07 = d000.table(TableKind.T07)
    assert t07 is not None and [c.key for c in t07.columns] == [
        "begin_balance",
        "income",
        "exp_total",
        "basic",
        "project",
        "end_balance",
    ]
    assert t07.is_empty and [r.key for r in t07.rows] == ["total"]
    t08 = d000.table(TableKind.T08)
    assert t08 is not None and [c.key for c in t08.columns] == ["exp_total", "basic", "project"]
    assert t08.printed_number == "公开08表" and t08.is_empty
    t09 = d000.table(TableKind.T09)
    assert t09 is not None and t09.rows == [] and t09.notes  # printed without a data row


def test_000_perf_tables(d000: Disclosure) -> None:
    dept = d000.table(TableKind.PERF_DEPT)
    assert dept is not None
    assert dept.fields["department"].raw == "蛟河市社会保险事业管理局"
    assert dept.fields["goal"].raw.startswith("1、完成各险种全年征缴任务")
    assert [r.cells["level3"].raw for r in dept.rows] == [
        "宣传次数",
        "发放率",
        "完成代缴工作时间",
        "各项待遇按时足额发放",
    ]
    projects = d000.tables_of(TableKind.PERF_PROJECT)
    p = projects[1]
    assert p.fields["project_name"].raw == "补充工伤保险补贴"
    assert p.fields["budget_year"].value == D("77.00")
    assert p.fields["actual_year"].value == D("74.72")
    assert p.fields["exec_rate"].raw == "97.04%" and p.fields["exec_rate"].value == D("97.04")
    ind = p.row("ind:1")
    assert ind is not None and ind.cells["target"].raw == "77万元" and ind.cells["actual"].raw == "74.92万元"
    assert ind.cells["level1"].raw == "产出指标" and ind.cells["reason"].raw == "无"
    assert projects[0].fields == {} or "project_name" not in projects[0].fields  # the blank template
    assert projects[-1].title == "2024年城乡居民养老保险区域(项目)绩效自评表"


# -- seed 003 (Qinghai) ----------------------------------------------------------------------------
def test_003_metadata_toc_sections(d003: Disclosure) -> None:
    md = d003.metadata
    assert (md.department, md.year, md.unit, md.kind) == (
        "西宁市湟中区社会保险服务局",
        2024,
        AmountUnit.WAN_YUAN,
        DisclosureKind.DEPARTMENT,
    )
    assert md.title == "西宁市湟中区社会保险服务局2024年度部门决算"
    assert len(d003.toc) == 30 and d003.toc[3].text == "第二部分 2024年度部门决算公开报表"
    assert d003.toc[19].text == "四、财政拨款收入支出决算总体情况说明"  # printed without "- "
    assert [s.heading for s in d003.sections][0] == "第一部分 部门概况"
    part2 = d003.sections[1]
    assert part2.table_indices == list(range(12))  # tables printed directly under 第二部分
    seven = d003.sections[2].children[4].children[2]
    assert [c.heading for c in seven.children] == [
        "1. 社会保障和就业支出（类）",
        "2. 卫生健康支出（类）",
        "3. 住房保障支出（类）",
    ]
    assert all(c.level == 4 for c in seven.children)


def test_003_every_table(d003: Disclosure) -> None:
    kinds = [t.kind for t in d003.tables]
    assert kinds == [
        TableKind.T01, TableKind.T02, TableKind.T03, TableKind.T04, TableKind.T05, TableKind.T06,
        TableKind.T07, TableKind.T08, TableKind.T09, TableKind.T09S, TableKind.T10, TableKind.T11,
        TableKind.PERF_PROJECT, TableKind.PERF_PROJECT,
    ]  # fmt: skip
    assert _v(d003, TableKind.T01, "inc_general_budget", "amount", "income") == D("2106.35")
    assert _v(d003, TableKind.T01, "210", "amount", "expense") == D("52.22")
    # numbers with spaces from PDF conversion
    c = d003.table(TableKind.T02).cell("total", "total")  # type: ignore[union-attr]
    assert c is not None and c.raw == "2, 106. 35" and c.value == D("2106.35")
    assert _v(d003, TableKind.T02, "2089999", "fiscal") == D("320.95")
    assert _v(d003, TableKind.T03, "20899", "basic") == D("0.37")
    assert _v(d003, TableKind.T04, "exp_total_year", "general", "expense") == D("2106.35")
    t05 = d003.table(TableKind.T05)
    assert t05 is not None and [c.key for c in t05.columns] == ["total", "basic", "project"]
    assert _v(d003, TableKind.T05, "total", "project") == D("1161.90")
    assert _v(d003, TableKind.T06, "303", "amount") == D("57.51")
    assert _v(d003, TableKind.T06, "31002", "amount") == D("0.87")
    assert _v(d003, TableKind.T06, "personnel_total", "amount") == D("915.20")
    assert _v(d003, TableKind.T06, "public_total", "amount") == D("29.24")
    t07 = d003.table(TableKind.T07)
    assert (
        t07 is not None
        and t07.is_empty
        and t07.notes[0].text.startswith("注：2024年度，本部门没有发生政府性基金")
    )
    assert _v(d003, TableKind.T09, "total", "budget") == D("0.19")
    assert _v(d003, TableKind.T09, "reception", "actual") == D("0.18")
    assert _v(d003, TableKind.T09, "car", "actual") is None
    assert _v(d003, TableKind.T09S, "reception_batches", "value") == D("2")
    assert _v(d003, TableKind.T09S, "reception_persons", "value") == D("26")
    t10 = d003.table(TableKind.T10)
    assert t10 is not None and len(t10.rows) == 1 + 32  # the continuation grid is joined
    assert _v(d003, TableKind.T10, "total", "amount") == D("29.24")
    assert _v(d003, TableKind.T10, "30239", "amount") == D("0.18")
    assert _v(d003, TableKind.T10, "310", "amount") == D("0.87")
    assert _v(d003, TableKind.T11, "total", "amount") == D("21.37")
    assert _v(d003, TableKind.T11, "goods", "amount") == D("21.37")
    assert _v(d003, TableKind.T11, "small_micro", "amount") is None
    p = d003.tables_of(TableKind.PERF_PROJECT)[1]
    assert p.fields["project_name"].raw == "企业职工养老保险"
    assert p.fields["actual_year"].value == D("368.55")
    assert p.fields["exec_score"].value == D("5")
    assert p.fields["total_score"].value == D("95") and p.fields["total_weight"].value == D("100")
    assert len(p.rows) == 7 and p.rows[0].cells["weight"].value == D("20")
    assert d003.read_issues == []


def test_003_locations(d003: Disclosure) -> None:
    t02 = d003.table(TableKind.T02)
    assert t02 is not None and t02.loc is not None and t02.loc.line == 112
    r = t02.row("2080101")
    assert r is not None and r.loc is not None and r.loc.line == 124
    c = r.cell("fiscal")
    assert (
        c is not None
        and c.loc is not None
        and c.loc.line == 124
        and c.loc.col == len("2080101\t行政运行\t690. 18\t") + 1
    )


# -- Markdown ----------------------------------------------------------------------------------------
MD = """# 示例局2024年度部门决算

## 第二部分 2024年度部门决算表

### 一、收入决算表

收入决算表

公开02表

金额单位：万元

| 科目代码 | 科目名称 | 本年收入合计 | 财政拨款收入 | 上级补助收入 | 事业收入 | 经营收入 | 附属单位上缴收入 | 其他收入 |
|---|---|---|---|---|---|---|---|---|
| 合计 | | 100.00 | 100.00 | | | | | |
| 208 | 社会保障和就业支出 | 100.00 | 100.00 | | | | | |
| 01 | 人力资源和社会保障管理事务 | 100.00 | 100.00 | | | | | |
| 0109 | 社会保险经办机构 | 100.00 | 100.00 | | | | | |

注：本表反映部门本年度取得的各项收入情况。

## 第三部分 情况说明

- 本年收入合计100.00万元。
"""


def test_markdown_pipe_tables_and_omitted_class_digits() -> None:
    doc = read_text_bytes("示例.md", MD.encode("utf-8"))
    assert doc.metadata.source_format == "md" and doc.metadata.year == 2024
    t = doc.table(TableKind.T02)
    assert t is not None and t.printed_number == "公开02表"
    assert [r.key for r in t.rows] == ["total", "208", "20801", "2080109"]
    assert t.value("2080109", "fiscal") == D("100.00")
    c = t.cell("208", "total")
    assert c is not None and c.loc is not None and c.loc.line == 16
    assert doc.sections[0].heading == "第二部分 2024年度部门决算表"
    assert doc.sections[0].children[0].table_indices == [0]
    assert doc.sections[1].paragraphs[0].text == "本年收入合计100.00万元。"


def test_three_column_code_layout() -> None:
    text = "\n".join(
        [
            "支出决算表",
            "公开03表",
            "\t".join(
                [
                    "类",
                    "款",
                    "项",
                    "科目名称",
                    "本年支出合计",
                    "基本支出",
                    "项目支出",
                    "上缴上级支出",
                    "经营支出",
                    "对附属单位补助支出",
                ]
            ),
            "\t".join(["", "", "", "合计", "10.00", "10.00", "", "", "", ""]),
            "\t".join(["208", "", "", "社会保障和就业支出", "10.00", "10.00", "", "", "", ""]),
            "\t".join(["208", "01", "", "人力资源和社会保障管理事务", "10.00", "10.00", "", "", "", ""]),
            "\t".join(["", "", "09", "社会保险经办机构", "10.00", "10.00", "", "", "", ""]),
            "",
        ]
    )
    doc = read_text_bytes("x.txt", text.encode("gb18030"))
    t = doc.table(TableKind.T03)
    assert t is not None
    assert [r.key for r in t.rows] == ["total", "208", "20801", "2080109"]
    assert t.value("2080109", "basic") == D("10.00")


# -- bad input -------------------------------------------------------------------------------------
def test_empty_binary_and_not_a_disclosure(tmp_path: Path) -> None:
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(InputError) as e:
        read(empty)
    assert "文件为空" in str(e.value) and "空.txt" in str(e.value)
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(1, 32)) * 200)
    with pytest.raises(InputError) as e:
        read(junk)
    assert "不是文本文件" in str(e.value)
    novel = tmp_path / "novel.txt"
    novel.write_text("从前有座山，山里有座庙。\n庙里有个老和尚。\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read(novel)
    assert "不是部门决算公开文件" in str(e.value) and "novel.txt" in str(e.value)


def test_a_note_that_mentions_juesuan_is_not_a_disclosure(tmp_path: Path) -> None:
    """A README-like note: 决算 in passing and a table of no disclosure kind, no department or
    year of its own; and the same note named .pdf (the format comes from the content)."""
    note = (
        "# 样例说明\n\n这里存放几份公开的部门决算文件，供测试使用。\n\n"
        "| 文件 | 内容 |\n|---|---|\n| a.pdf | 某区财政局 2024 年度部门决算（25页） |\n"
        "| b.pdf | 某区规划局 2024 年度部门决算（30页） |\n"
    )
    for name in ("README.md", "看似PDF.pdf"):
        f = tmp_path / name
        f.write_text(note, encoding="utf-8")
        with pytest.raises(InputError) as e:
            read(f)
        assert e.value.code == "not_a_disclosure" and name in str(e.value)
        assert "识别不出部门和年度" in str(e.value)
    # the same wording with a title that names the department and the year is a disclosure
    titled = tmp_path / "titled.txt"
    titled.write_text("某区财政局2024年度部门决算\n\n" + note, encoding="utf-8")
    doc = read(titled)
    assert doc.metadata.year == 2024


def _t02_text(rows: list[list[str]], header: list[str] | None = None) -> str:
    header = header or [
        "科目代码",
        "科目名称",
        "本年收入合计",
        "财政拨款收入",
        "上级补助收入",
        "事业收入",
        "经营收入",
        "附属单位上缴收入",
        "其他收入",
    ]
    lines = ["2024年度部门决算", "", "收入决算表", "公开02表", "\t".join(header)]
    lines += ["\t".join(r) for r in rows]
    return "\n".join(lines) + "\n"


def test_unreadable_number_is_a_read_issue_and_a_finding() -> None:
    text = _t02_text(
        [
            ["合计", "", "1O0.00", "100.00", "", "", "", "", ""],
            ["208", "社会保障和就业支出", "100.00", "100.00", "", "", "", "", ""],
        ]
    )
    doc = read_text_bytes("x.txt", text.encode())
    c = doc.table(TableKind.T02).cell("total", "total")  # type: ignore[union-attr]
    assert c is not None and c.raw == "1O0.00" and c.value is None
    assert [i.code for i in doc.read_issues] == ["unreadable_number"]
    assert doc.read_issues[0].loc is not None and doc.read_issues[0].loc.line == 6
    fs = run_rules(doc, select=["R"])
    assert [f.rule_id for f in fs] == ["R-001"] and "1O0.00" in fs[0].message


def test_missing_and_extra_columns_are_read_issues() -> None:
    header = ["科目代码", "科目名称", "本年收入合计", "上级补助收入", "备注"]
    doc = read_text_bytes(
        "x.txt", _t02_text([["208", "社会保障和就业支出", "100.00", "", "9.99"]], header).encode()
    )
    codes = sorted(i.code for i in doc.read_issues)
    assert codes == ["extra_column", "missing_column"]
    assert any("财政拨款收入" in i.message for i in doc.read_issues)
    fs = run_rules(doc, select=["R-002"])
    assert len(fs) == 2 and all(f.severity.value == "warning" for f in fs)


def test_cli_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "坏文件.txt"
    bad.write_bytes(b"")
    res = runner.invoke(app, ["check", str(bad)])
    assert res.exit_code == 2
    assert "坏文件.txt" in res.output and "Traceback" not in res.output
    junk = tmp_path / "乱码.bin"
    junk.write_bytes(b"\x00\x01\x02garbage\xff\xfe" * 100)
    res = runner.invoke(app, ["check", str(junk)])
    assert res.exit_code == 2 and "乱码.bin" in res.output and "Traceback" not in res.output
    prose = tmp_path / "散文.txt"
    prose.write_text("春天来了，花开了。\n", encoding="utf-8")
    res = runner.invoke(app, ["check", str(prose)])
    assert res.exit_code == 2 and "不是部门决算公开文件" in res.output
    good = seed(SEED_003)
    res = runner.invoke(app, ["check", str(good), "--rule", "T0"])
    assert res.exit_code in (0, 1) and "Traceback" not in res.output


def test_tabs_in_running_text_are_not_a_table() -> None:
    text = "2024年度部门决算\n\n一、部门职责\t\n\n负责本市社会保险经办工作。\t\n"
    doc = read_text_bytes("x.txt", text.encode())
    assert doc.tables == []
    assert doc.sections[0].heading == "一、部门职责"
    assert doc.sections[0].paragraphs[0].text == "负责本市社会保险经办工作。"


def test_composed_perf_tables_read_back() -> None:
    from juesuan.compose import compose, synth
    from juesuan.compose.render_txt import render_txt

    tables, facts = synth(3)
    model = compose(tables, facts).disclosure
    doc = read_text_bytes("composed.txt", render_txt(model).encode("utf-8"))
    want = model.tables_of(TableKind.PERF_PROJECT)
    got = doc.tables_of(TableKind.PERF_PROJECT)
    assert len(got) == len(want) > 0
    for w, g in zip(want, got, strict=True):
        assert g.title == w.title  # 项目支出绩效自评表（2024年度）: the year in brackets is part of it
        # (total_score is left out: the composer prints it with 0 decimals, 98.5 as "99")
        for key in ("project_name", "budget_year", "actual_year", "exec_rate", "total_weight"):
            assert g.fields[key].raw == w.fields[key].raw or g.fields[key].value == w.fields[key].value, key
        assert [r.key for r in g.rows] == [r.key for r in w.rows]
        for wr, gr in zip(w.rows, g.rows, strict=True):
            assert gr.value("score") == wr.value("score") and gr.cells["target"].raw == wr.cells["target"].raw


def test_toc_ends_where_the_first_part_is_printed_again_in_other_words() -> None:
    text = "\n".join(
        [
            "某某局2024年度部门决算",
            "目录",
            "第一部分 部门概况",
            "第二部分 决算表",
            "第一部分 2024年度部门概况",
            "一、部门职责",
            "负责全市社会保险经办。",
        ]
    )
    doc = read_text_bytes("x.txt", text.encode())
    assert [e.text for e in doc.toc] == ["第一部分 部门概况", "第二部分 决算表"]
    assert doc.sections[0].heading == "第一部分 2024年度部门概况"
    assert doc.sections[0].children[0].paragraphs[0].text == "负责全市社会保险经办。"


def test_a_sentence_like_list_item_is_not_a_heading() -> None:
    text = "\n".join(
        [
            "2024年度部门决算",
            "一、主要职能",
            "（一）贯彻执行国家财政、税收方针政策，拟订本区财政发展规划，并组织实施和监督检查；负责预算管理。",
            "（二）完成区委、区政府交办的其他任务。",
            "二、机构设置",
            "（一）绩效评价工作开展情况。",
            "（二）项目绩效自评结果。",
        ]
    )
    doc = read_text_bytes("x.txt", text.encode())
    one, two = doc.sections
    assert one.children == [] and len(one.paragraphs) == 2  # （二） does not follow a （一） heading
    assert [c.heading for c in two.children] == ["（一）绩效评价工作开展情况。", "（二）项目绩效自评结果。"]


def test_encodings_give_the_same_document(d003: Disclosure) -> None:
    text = seed(SEED_003).read_text(encoding="utf-8")
    for data in (
        text.encode("gb18030"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.replace("\n", "\r\n").encode(),
    ):
        doc = read_text_bytes("x.txt", data)
        assert [t.kind for t in doc.tables] == [t.kind for t in d003.tables]
        assert doc.table(TableKind.T02).value("total", "total") == D("2106.35")  # type: ignore[union-attr]
        assert doc.metadata.department == d003.metadata.department


def test_markdown_headings_without_numbers() -> None:
    md = "# 某某局2024年度部门决算\n\n## 第一部分 部门概况\n\n### 部门职责\n\n负责全市社会保险经办。\n\n### 机构设置\n\n内设5个科室。\n"
    doc = read_text_bytes("x.md", md.encode())
    part = doc.sections[0]
    assert part.heading == "第一部分 部门概况" and part.level == 1
    assert [(c.heading, c.level) for c in part.children] == [("部门职责", 2), ("机构设置", 2)]
    assert part.children[1].paragraphs[0].text == "内设5个科室。"
    assert doc.cover[0].text == "某某局2024年度部门决算"


def test_markdown_without_numbered_parts() -> None:
    doc = read_text_bytes(
        "x.md", "# 某某局2024年度部门决算\n\n## 部门概况\n\n负责全市社会保险经办。\n".encode()
    )
    assert [(s.heading, s.level) for s in doc.sections] == [("部门概况", 1)]
    assert doc.sections[0].paragraphs[0].text == "负责全市社会保险经办。"


def test_a_few_undecodable_bytes_are_marked_and_the_rest_is_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from juesuan.api import example_path
    from juesuan.ingest import read
    from juesuan.rules import run_rules

    data = example_path().read_bytes()
    good = read(example_path())
    i = data.index("二、".encode()) + 30  # inside the narrative, in a multi-byte character
    bad = tmp_path / "damaged.txt"
    bad.write_bytes(data[:i] + b"\xff" + data[i + 1 :])
    doc = read(bad)  # not refused whole
    issues = [r for r in doc.read_issues if r.code == "undecodable"]
    assert len(issues) == 1 and issues[0].loc is not None and issues[0].loc.line is not None
    assert len(doc.tables) == len(good.tables)
    assert any(f.rule_id == "R-003" and "无法解码" in f.message for f in run_rules(doc))
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(128, 256)) * 40)  # not text in any known encoding
    import pytest

    from juesuan.ingest import InputError

    with pytest.raises(InputError):
        read(garbage)
