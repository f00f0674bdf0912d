"""Budget tables (部门预算公开) of the real Jiangsu samples: every table recognised as its budget
kind, and a set of cells per sample read as the rendered pages print them (each value below was
read off ``pdftoppm -r 80`` renderings of the page named in the comment, not off the tool).

The samples are read from ``../shared/samples/jiangsu-budget`` and the tests skip where absent.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from conftest import SAMPLES
from juesuan.compose.budget import BudgetTable, budget_tables, narrative, render_budget_txt, synth_budget
from juesuan.ingest import read
from juesuan.ingest.pdf import read_pdf_raw
from juesuan.ingest.raw import RawCell, RawGrid
from juesuan.model import Disclosure, Severity, Table, TableKind
from juesuan.rules import run_rules
from juesuan.tables import recognize as rz
from juesuan.tables.budget import BUDGET_TABLE_KINDS, budget_kind_from_title, split_title_cell
from juesuan.tables.recognize import kind_from_columns, kind_from_title

JIANGSU = SAMPLES / "jiangsu-budget"
K = TableKind

# the national order of the Jiangsu tables, and the two orders the departments print them in
_ORDER_A = [K.B01, K.B02, K.B03, K.B04, K.B05F, K.B06F, K.B07, K.B05, K.B06, K.B10, K.B09, K.B11]
_ORDER_B = [K.B01, K.B02, K.B03, K.B04, K.B05F, K.B06F, K.B05, K.B06, K.B09, K.B07, K.B10, K.B11]
KINDS: dict[str, list[TableKind]] = {
    "jiangsu-cppcc-office-2017-budget-tables.pdf": _ORDER_A,
    "jiangsu-cppcc-office-2018-budget-tables.pdf": _ORDER_B,
    "jiangsu-high-court-2017-budget.pdf": _ORDER_A,
    "jiangsu-high-court-2018-budget.pdf": _ORDER_B,
    # page 11 runs on below its bottom edge (a copy of the 财政拨款基本支出 and 政府性基金 tables no
    # viewer shows): not read
    "jiangsu-npc-office-2017-budget.pdf": [
        K.B01, K.B02, K.B03, K.B05F, K.B04, K.B06F, K.B07, K.B05, K.B06, K.B10, K.B09, K.B11,
    ],  # fmt: skip
    "jiangsu-npc-office-2018-budget.pdf": _ORDER_B,
    "jiangsu-party-office-2017-budget-tables.pdf": _ORDER_A,
    "jiangsu-party-office-2018-budget-tables.pdf": _ORDER_B,
    "jiangsu-procuratorate-2017-budget.pdf": _ORDER_A,
    "jiangsu-procuratorate-2018-budget.pdf": _ORDER_B,
}
NARRATIVES = [
    "jiangsu-cppcc-office-2017-budget-narrative.pdf",
    "jiangsu-cppcc-office-2018-budget-narrative.pdf",
    "jiangsu-party-office-2017-budget-narrative.pdf",
    "jiangsu-party-office-2018-budget-narrative.pdf",
]

# (kind, row key, side, column) -> the value the page prints
Cell = tuple[TableKind, str, str | None, str]
_SANGONG = ("grand_total", "total", "abroad", "car", "car_run", "reception", "meeting", "training")


def _sangong(*values: str) -> dict[Cell, str]:
    return {(K.B09, key, None, "amount"): v for key, v in zip(_SANGONG, values, strict=True)}


CELLS: dict[str, dict[Cell, str]] = {
    # pages 9, 10, 12, 14
    "jiangsu-high-court-2018-budget.pdf": {
        (K.B01, "inc_fiscal", "income", "amount"): "33172.15",
        (K.B01, "204", "expense", "amount"): "26200.88",
        (K.B01, "221", "expense", "amount"): "4716.51",
        (K.B01, "exp_basic", "expense", "amount"): "18570.82",
        (K.B01, "exp_reserve", "expense", "amount"): "3258.06",
        (K.B01, "exp_grand_total", "expense", "amount"): "33172.15",
        (K.B02, "total", None, "amount"): "33172.15",
        (K.B03, "total", None, "reserve"): "3258.06",
        (K.B06F, "30108", "personnel", "total"): "1326.81",
        (K.B06F, "302", "public", "total"): "3407.38",
        (K.B05, "total", None, "total"): "33172.15",
        (K.B05, "2040501", None, "total"): "14857.61",
        (K.B10, "total", None, "total"): "3407.38",
        (K.B10, "30201", "public", "total"): "350.00",
        **_sangong("2558.26", "620.75", "170.00", "266.80", "266.80", "183.95", "271.26", "1666.25"),
    },
    # pages 1, 3 (表三), 9, 12
    "jiangsu-cppcc-office-2018-budget-tables.pdf": {
        (K.B01, "inc_general", "income", "amount"): "10070.48",
        (K.B01, "inc_other_funds", "income", "amount"): "80.00",
        (K.B01, "inc_year_total", "income", "amount"): "10150.48",
        (K.B01, "201", "expense", "amount"): "7827.46",
        (K.B01, "208", "expense", "amount"): "823.76",
        (K.B01, "exp_project", "expense", "amount"): "3314.68",
        (K.B01, "exp_year_total", "expense", "amount"): "10150.48",
        (K.B11, "total", None, "amount"): "1281.76",
        (K.B11, "goods", None, "amount"): "355.67",
        (K.B11, "services", None, "amount"): "926.09",
        **_sangong("1656.86", "675.10", "106.00", "156.60", "156.60", "412.50", "884.16", "97.60"),
    },
    # page 3
    "jiangsu-cppcc-office-2017-budget-tables.pdf": {
        (K.B03, "total", None, "total"): "9146.79",
        (K.B03, "total", None, "basic"): "5916.27",
        (K.B03, "total", None, "project"): "3123.68",
        (K.B03, "total", None, "reserve"): "106.84",
    },
    # pages 10, 16
    "jiangsu-procuratorate-2017-budget.pdf": {
        (K.B01, "inc_fiscal", "income", "amount"): "17981.68",
        (K.B01, "inc_other_funds", "income", "amount"): "15.00",
        (K.B01, "inc_grand_total", "income", "amount"): "17996.68",
        (K.B01, "204", "expense", "amount"): "13656.34",
        (K.B01, "208", "expense", "amount"): "2021.18",
        (K.B01, "221", "expense", "amount"): "2319.16",
        (K.B01, "exp_basic", "expense", "amount"): "12323.48",
        (K.B01, "exp_reserve", "expense", "amount"): "140.20",
        (K.B11, "total", None, "amount"): "2889.80",
        (K.B11, "goods", None, "amount"): "334.00",
        (K.B09, "car_purchase", None, "amount"): "50.00",
        **_sangong("1452.35", "584.35", "110.00", "317.80", "267.80", "156.55", "168.00", "700.00"),
    },
    # pages 13 (labels and values on staggered lines), 15, 19
    "jiangsu-procuratorate-2018-budget.pdf": {
        (K.B01, "inc_fiscal", "income", "amount"): "21940.96",
        (K.B01, "inc_general", "income", "amount"): "21940.96",
        (K.B01, "204", "expense", "amount"): "16458.75",
        (K.B01, "exp_basic", "expense", "amount"): "13994.31",
        (K.B01, "exp_reserve", "expense", "amount"): "2388.04",
        (K.B03, "total", None, "total"): "21955.35",
        (K.B03, "total", None, "reserve"): "2388.04",
        (K.B04, "inc_general", "income", "amount"): "21940.96",
        (K.B04, "exp_basic", "expense", "amount"): "13979.92",
        (K.B04, "exp_grand_total", "expense", "amount"): "21940.96",
        (K.B05F, "total", None, "total"): "21940.96",
        (K.B05F, "204", None, "total"): "16444.36",
        (K.B05F, "2040401", None, "total"): "10883.36",
        **_sangong("1384.74", "484.30", "100.00", "267.80", "267.80", "116.50", "200.44", "700.00"),
    },
    # pages 3, 11 (numbers printed with spaces: 24, 458. 43)
    "jiangsu-party-office-2018-budget-tables.pdf": {
        (K.B01, "inc_fiscal", "income", "amount"): "24458.43",
        (K.B01, "201", "expense", "amount"): "20153.75",
        (K.B01, "exp_basic", "expense", "amount"): "10403.11",
        (K.B01, "exp_project", "expense", "amount"): "12081.46",
        (K.B01, "exp_reserve", "expense", "amount"): "1973.86",
        (K.B01, "221", "expense", "amount"): "3015.16",
        **_sangong("1471.70", "508.20", "70.00", "411.20", "411.20", "27.00", "933.50", "30.00"),
    },
    # pages 7, 8 (a label wrapped across the page break), 20
    "jiangsu-npc-office-2017-budget.pdf": {
        (K.B01, "inc_fiscal", "income", "amount"): "13649.07",
        (K.B01, "201", "expense", "amount"): "10528.33",
        (K.B01, "221", "expense", "amount"): "1512.23",
        (K.B01, "exp_basic", "expense", "amount"): "7666.68",
        (K.B01, "exp_project", "expense", "amount"): "5853.96",
        (K.B01, "exp_reserve", "expense", "amount"): "128.43",
        (K.B09, "car_purchase", None, "amount"): "0",
        (K.B11, "total", None, "amount"): "2247.85",
        (K.B11, "goods", None, "amount"): "59.00",
        **_sangong("2542.60", "833.60", "222.50", "183.60", "183.60", "427.50", "1305.25", "403.75"),
    },
    # page 15 (the 政府性基金 table's title printed in the 三公 table's caption line)
    "jiangsu-npc-office-2018-budget.pdf": {
        **_sangong("2542.60", "833.60", "222.50", "183.60", "183.60", "427.50", "1305.25", "403.75"),
    },
}


@cache
def _doc(name: str) -> Disclosure:
    path = JIANGSU / name
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared documents are absent)")
    return read(path)


def _table(doc: Disclosure, kind: TableKind) -> Table:
    tables = doc.tables_of(kind)
    assert tables, kind
    return tables[0]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_table_is_recognised_as_its_budget_kind(name: str) -> None:
    doc = _doc(name)
    assert [t.kind for t in doc.tables if t.rows] == KINDS[name]
    for t in doc.tables:
        if t.rows:
            assert t.columns, f"{t.title}: no column mapped"


@pytest.mark.parametrize("name", NARRATIVES)
def test_a_narrative_file_has_no_tables(name: str) -> None:
    doc = _doc(name)
    assert not [t for t in doc.tables if t.rows]
    assert doc.metadata.kind is not None and doc.metadata.kind.is_budget


@pytest.mark.parametrize("name", sorted(CELLS))
def test_cells_read_as_printed(name: str) -> None:
    doc = _doc(name)
    for (kind, key, side, column), value in CELLS[name].items():
        got = _table(doc, kind).value(key, column, side)
        assert got == Decimal(value), (kind, key, side, column, got, value)


def test_blank_cells_stay_blank() -> None:
    doc = _doc("jiangsu-high-court-2018-budget.pdf")
    # page 14: 公务用车购置费 printed blank; page 9: 政府性基金预算 and 外交支出 blank
    assert _table(doc, K.B09).cell("car_purchase", "amount").blank  # type: ignore[union-attr]
    assert _table(doc, K.B01).value("inc_fund", "amount", "income") is None
    assert _table(doc, K.B01).value("202", "amount", "expense") is None


def test_budget_titles_name_budget_kinds_and_decision_titles_do_not() -> None:
    assert kind_from_title("2018年度江苏省高级人民法院收支预算总表") is K.B01
    assert kind_from_title("财政拨款收支预算总表") is K.B04
    assert kind_from_title("“三公”经费、会议费、培训费支出预算表") is K.B09
    assert kind_from_title("一般公共预算机关运行经费支出预算表") is K.B10
    assert kind_from_title("政府性基金预算财政拨款支出预算表") is K.B07
    assert kind_from_title("2018年政府采购预算表") is K.B11
    assert kind_from_title("项目支出绩效目标表") is K.B13
    assert kind_from_title("收入支出决算总表") is K.T01
    assert kind_from_title("一般公共预算财政拨款基本支出决算表") is K.T06
    assert budget_kind_from_title("本表反映部门年度总体收支预算情况，根据收支预算总表填列。") is None


def test_a_title_run_together_with_its_caption_is_split_off() -> None:
    title, dept, unit = split_title_cell("第二部分2018年度部门预算表公开01表收支预算总表部门名称：江苏省人大单位:万元")
    assert title == "收支预算总表" and dept == "江苏省人大" and unit == "万元"
    assert split_title_cell("公开05表财政拨款支出预算表（功能科目）11")[0] == "财政拨款支出预算表（功能科目）"


# --- the budget rules on the real tables ----------------------------------------------------------
_BUDGET_RULES = ["B-", "T05-", "T11-001"]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_budget_identities_hold_on_the_real_tables(name: str) -> None:
    """The Jiangsu budgets' tables are consistent (checked on the rendered pages for the totals
    above): the budget rules report nothing above 尾数误差 on them."""
    doc = _doc(name)
    findings = run_rules(doc, select=_BUDGET_RULES, min_severity=Severity.WARNING)
    assert not findings, [f.message for f in findings]


@pytest.mark.parametrize(
    ("kind", "key", "side", "column", "rule"),
    [
        (K.B03, "total", None, "basic", "B-009"),
        (K.B03, "total", None, "basic", "B-006"),
        (K.B09, "reception", None, "amount", "B-008"),
        (K.B06F, "30101", "personnel", "total", "B-007"),
        (K.B04, "exp_basic", "expense", "amount", "B-010"),
        (K.B01, "208", "expense", "amount", "B-003"),
        (K.B05, "2010201", None, "total", "T05-003"),
        (K.B11, "goods", None, "amount", "T11-001"),
    ],
)
def test_a_wrong_cell_in_the_real_tables_is_found(
    kind: TableKind, key: str, side: str | None, column: str, rule: str
) -> None:
    doc = _doc("jiangsu-cppcc-office-2018-budget-tables.pdf").model_copy(deep=True)
    cell = _table(doc, kind).cell(key, column, side)
    assert cell is not None and cell.value is not None
    cell.value += Decimal("10.00")
    findings = run_rules(doc, select=[rule], min_severity=Severity.WARNING)
    assert findings and all(f.severity is Severity.ERROR for f in findings), [f.message for f in findings]


# --- tables told by their columns (no title, or one that names no table) ------------------------
def _labels(rows: list[list[RawCell]]) -> list[str]:
    """What the assembler reads a table's kind from when its title names none: the texts of its
    first twelve lines (``ingest.assemble.tables._kind``)."""
    return [c.text for r in rows[:12] for c in r if c.text.strip()]


def _composed_with_untitled_tables() -> str:
    d = synth_budget(1)
    tables = budget_tables(d)
    tables += [
        BudgetTable(
            "公开13表",
            "附表1",  # a title that names no table
            [["项目名称", "项目单位", "合计", "一般公共预算", "事业收入"]],
            [
                ["合计", "", "330.00", "300.00", "30.00"],
                ["信息化建设", "示例市社会保险事业管理局", "100.00", "100.00", ""],
                ["社保卡发放", "示例市社会保险事业管理局", "230.00", "200.00", "30.00"],
            ],
        ),
        BudgetTable(
            "公开14表",
            "",
            [["项目名称", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值"]],
            [
                ["信息化建设", "完成系统升级", "产出指标", "数量指标", "升级系统数", "≥2个"],
                ["", "", "效益指标", "社会效益指标", "办事时间缩短", "≥20%"],
            ],
        ),
        BudgetTable(
            "公开15表",
            "表十五",
            [["采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"]],
            [
                ["合计", "", "", "", "", "59.00"],
                ["一、货物A", "", "", "", "", "59.00"],
                ["", "办公设备购置费", "办公设备购置", "台式计算机", "分散自行组织", "59.00"],
            ],
        ),
    ]
    return render_budget_txt(d, tables, narrative(d))


def test_project_target_and_procurement_tables_are_recognised_by_their_columns(tmp_path: Path) -> None:
    path = tmp_path / "预算.txt"
    path.write_text(_composed_with_untitled_tables(), encoding="utf-8")
    doc = read(path)
    b12, b13, b11 = doc.tables[-3:]
    assert (b12.kind, b13.kind, b11.kind) == (K.B12, K.B13, K.B11)
    # the 项目 list: its 合计 line and one row per 项目, the amounts by source of funds
    assert b12.value("total", "total") == Decimal("330.00")
    assert [r.label for r in b12.rows] == ["合计", "信息化建设", "社保卡发放"]
    assert b12.value("project:2", "general") == Decimal("200.00")
    assert b12.value("project:2", "business") == Decimal("30.00")
    assert b12.reading.layout == "projects" and set(b12.reading.by_header) == {"total", "general", "business"}
    # the targets: indicator rows as the 绩效 forms are read, never a 绩效自评表
    assert [r.cells["target"].raw for r in b13.rows] == ["≥2个", "≥20%"]
    assert b11.value("total", "amount") == Decimal("59.00") and b11.value("goods", "amount") == Decimal("59.00")
    assert not [f for f in run_rules(doc, min_severity=Severity.WARNING)]


@pytest.mark.parametrize(
    ("labels", "kind"),
    [
        (["项目名称", "项目单位", "合计", "财政拨款", "其他资金", "信息化建设", "100.00"], K.B12),
        (["科目编码", "科目名称", "项目名称", "金额", "2010102", "一般行政管理事务", "会议保障", "80.00"], K.B12),
        (["项目名称", "绩效目标", "一级指标", "二级指标", "三级指标", "指标值", "产出指标"], K.B13),
        (["采购项目", "采购品目", "预算金额", "货物", "20.00"], K.B11),
        # a 收支预算总表 (项目名称 | 金额, 功能分类 and 支出用途) is none of these
        (["收入", "支出", "项目名称", "金额", "功能分类", "支出用途", "当年收入小计"], None),
        # final accounts: a 绩效自评表, a 政府采购 table, a 项目 table of 决算数
        (["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"], None),
        (["采购项目", "货物", "工程", "服务", "授予中小企业合同金额"], None),
        (["项目名称", "年初预算数", "决算数", "合计"], None),
    ],
)
def test_budget_kinds_from_columns(labels: list[str], kind: TableKind | None) -> None:
    assert kind_from_columns(labels) is kind or (kind is None and kind_from_columns(labels) not in BUDGET_TABLE_KINDS)


@pytest.mark.parametrize("name", [n for n, ks in KINDS.items() if K.B11 in ks])
def test_the_real_procurement_tables_are_recognised_without_their_titles(name: str) -> None:
    """Each Jiangsu 政府采购预算表, its title lines left out, is still a 政府采购预算表 by its columns
    and lines (采购品目大类 … 一、货物)."""
    path = JIANGSU / name
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared documents are absent)")
    raw = read_pdf_raw(name, path.read_bytes())
    # the printed tables: a grid cut at each line holding a table's title (one grid may run two
    # tables of a page together), the title lines left out
    tables: list[list[list[RawCell]]] = []
    for g in (b for b in raw.blocks if isinstance(b, RawGrid)):
        tables.append([])
        for r in g.rows:
            if any(budget_kind_from_title(split_title_cell(rz.norm(c.text))[0]) for c in r):
                tables.append([])
            else:
                tables[-1].append(r)
    procurement = [t for t in tables if any("采购品目" in rz.norm(c.text) for r in t[:6] for c in r)]
    assert procurement and all(kind_from_columns(_labels(t)) is K.B11 for t in procurement)
    # and no other table of the budget is taken for a 项目, 绩效目标 or 政府采购 table by its columns
    others = [kind_from_columns(_labels(t)) for t in tables if t and t not in procurement]
    assert not [k for k in others if k in (K.B11, K.B12, K.B13)]


def test_no_final_accounts_table_is_taken_for_a_budget_table() -> None:
    for path in sorted(SAMPLES.glob("*.pdf")) + sorted((SAMPLES.parent / "seeds").glob("*.txt")):
        doc = read(path)
        assert not [t.kind for t in doc.tables if t.kind in BUDGET_TABLE_KINDS], path.name
