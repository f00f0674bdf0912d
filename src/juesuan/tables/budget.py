"""Budget tables (部门预算公开): which budget table a title names, and the canonical row and
column keys of each budget table kind.

Kept apart from the 决算 kinds of :mod:`.schema` and :mod:`.recognize`: a budget's tables have other
rows (财政专户管理资金, 单位预留机动经费, 上年结转) and other columns (上年预算数, 增减), and a rule of
one never addresses the other's cells. Functions here receive already-normalised text (no spaces,
full-width brackets); :mod:`.recognize` normalises and asks them.
"""

from __future__ import annotations

import re

from ..model.table import TableKind

BUDGET_TABLE_KINDS = frozenset(
    {
        TableKind.B01,
        TableKind.B02,
        TableKind.B03,
        TableKind.B04,
        TableKind.B05F,
        TableKind.B05,
        TableKind.B06F,
        TableKind.B06,
        TableKind.B07,
        TableKind.B08,
        TableKind.B09,
        TableKind.B10,
        TableKind.B11,
        TableKind.B12,
        TableKind.B13,
    }
)

# 科目-coded budget tables: by 功能分类 (amounts 合计 | 基本支出 | 项目支出) and by 经济分类
CODED_EXPENSE_KINDS = (TableKind.B05, TableKind.B05F, TableKind.B07, TableKind.B08, TableKind.B12)
CODED_ECONOMIC_KINDS = (TableKind.B06, TableKind.B06F, TableKind.B10)

# -- titles --------------------------------------------------------------------------------------
# A budget table's title names itself a budget table: 收支预算总表, 政府采购预算表, 三公经费…支出预算表.
# Words that merely contain 预算 (一般公共预算财政拨款支出决算表, 部门预算调整追加项目支出绩效自评表)
# never do, so a 决算 document's tables keep their kinds.
_BUDGET_TABLE = re.compile(r"预算(?:总|明细|情况|安排)?表|绩效目标(?:申报)?表")
_NOT_BUDGET = ("决算", "自评", "评价")
# First match wins; the more specific names come first (基本支出 before 支出, 财政拨款收支 before 收支).
_TITLE_RULES: list[tuple[TableKind, tuple[str, ...]]] = [
    (TableKind.B13, ("绩效目标",)),
    (TableKind.B09, ("三公",)),
    (TableKind.B10, ("机关运行经费",)),
    (TableKind.B11, ("政府采购",)),
    (TableKind.B07, ("政府性基金",)),
    (TableKind.B08, ("国有资本经营",)),
    (TableKind.B06, ("一般公共预算", "基本支出")),
    (TableKind.B06F, ("基本支出",)),
    (TableKind.B12, ("项目支出",)),
    (TableKind.B04, ("财政拨款收支",)),
    (TableKind.B04, ("财政拨款收入支出",)),
    (TableKind.B01, ("收支",)),
    (TableKind.B01, ("收入支出",)),
    (TableKind.B02, ("收入预算",)),
    (TableKind.B05, ("一般公共预算", "支出")),
    (TableKind.B05F, ("财政拨款支出",)),
    (TableKind.B03, ("支出预算",)),
]


def budget_kind_from_title(t: str) -> TableKind | None:
    """The budget table kind a normalised title names, None when it names no budget table."""
    if len(t) > 60 or "。" in t or "，" in t:
        return None  # a sentence that speaks of a table, not its title
    if not _BUDGET_TABLE.search(t) or any(w in t for w in _NOT_BUDGET):
        return None
    for kind, need in _TITLE_RULES:
        if all(w in t for w in need):
            return kind
    return None


# A title printed in a table's first cell together with its header line
# (``收支预算总表部门：江苏省政协办公厅单位：万元``): the title is what precedes 部门/单位.
_CELL_TAIL = re.compile(r"(?:部门(?:名称)?|单位(?:名称)?|编制单位|预算单位|注|说明)[:：].*$")
_CELL_DEPT = re.compile(r"(?:部门(?:名称)?|编制单位|预算单位)[:：](.+?)(?:单位[:：]|金额单位|$)")
_CELL_NUMBER = re.compile(r"^.*?(?:公开\d{1,2}表|表[一二三四五六七八九十]+|公开表[一二三四五六七八九十]+)(?=.)")
_CELL_UNIT = re.compile(r"单位[:：](万元|元)$")


def split_title_cell(text: str) -> tuple[str, str | None, str | None]:
    """(title, department, unit word) of a normalised first cell that prints the title and the
    header line together; department and unit None where not printed."""
    title = _CELL_TAIL.sub("", text)
    # what precedes the title in the cell: a part heading and the table's number
    # (第二部分2018年度部门预算表公开01表收支预算总表), and a page number after it
    title = _CELL_NUMBER.sub("", title)
    title = re.sub(r"(?<=[表）)])\d{1,3}$", "", title)
    dept = _CELL_DEPT.search(text)
    unit = _CELL_UNIT.search(text)
    return title, dept.group(1) if dept else None, unit.group(1) if unit else None


# -- columns ---------------------------------------------------------------------------------------
# Budget tables told by their columns where the title is missing or names no table (附表8, 表十五):
# words only a budget's 项目, 绩效目标 or 政府采购 table prints together. A table speaking of outcomes
# (决算, 执行, 得分, 完成值, 合同, 中小企业) is a final account's, never one of these.
_NOT_BUDGET_COLUMNS = ("决算", "执行", "自评", "得分", "评分", "完成值", "实际", "偏差", "合同", "中小企业")
_PROCUREMENT_COLUMNS = ("采购品目", "采购物品", "采购项目", "采购组织形式", "采购方式")
_PROCUREMENT_LINES = ("货物", "工程", "服务")
_TARGET_COLUMNS = ("绩效目标", "指标值", "目标值")
_PROJECT_AMOUNTS = ("合计", "小计", "总计", "金额", "预算数", "本年预算", "财政拨款", "一般公共预算")
# a summary table's words (收支预算总表 prints 项目名称 | 金额 too)
_NOT_PROJECT_LIST = (
    "收入合计", "支出合计", "收入总计", "支出总计", "本年收入", "当年收入", "本年支出", "当年支出",
    "行次", "功能分类", "支出用途", "经济分类",
)  # fmt: skip


def budget_kind_from_columns(text: str) -> TableKind | None:
    """The budget table kind the header labels and first lines of a table point to (``text``:
    their normalised texts joined by ``|``), None when they point to none: a 项目绩效目标表 (a
    项目's targets by 一级/二级/三级指标, no outcome), a 政府采购预算表 (采购品目/采购项目 with 货物,
    工程 or 服务 lines) or a 项目支出预算表 (项目名称 with budget amount columns)."""
    if any(w in text for w in _NOT_BUDGET_COLUMNS):
        return None
    if "一级指标" in text and any(w in text for w in _TARGET_COLUMNS):
        return TableKind.B13
    if any(w in text for w in _PROCUREMENT_COLUMNS) and any(w in text for w in _PROCUREMENT_LINES):
        return TableKind.B11
    if (
        "项目名称" in text
        and any(w in text for w in _PROJECT_AMOUNTS)
        and "指标" not in text
        and not any(w in text for w in _NOT_PROJECT_LIST)
    ):
        return TableKind.B12
    return None


def budget_titles_in(text: str) -> list[str]:
    """The budget table titles a normalised caption names, in order: one caption may run two
    tables' captions together (公开03表支出预算总表部门名称：…公开04表财政拨款收支预算总表…)."""
    out = []
    for piece in re.split(r"(?=公开\d{1,2}表)", text):
        title = split_title_cell(piece)[0]
        if title and budget_kind_from_title(title) is not None:
            out.append(title)
    return out


# -- rows and columns ----------------------------------------------------------------------------
# B01 收支预算总表 and B04 财政拨款收支预算总表: two-sided. Income rows (side "income"):
B01_INCOME: list[tuple[str, tuple[str, ...]]] = [
    ("inc_general", ("一般公共预算",)),
    ("inc_fund", ("政府性基金",)),
    ("inc_capital", ("国有资本经营",)),
    ("inc_fiscal", ("财政拨款",)),
    ("inc_special", ("财政专户",)),
    ("inc_business", ("事业收入",)),
    ("inc_operating", ("事业单位经营收入", "经营收入")),
    ("inc_other_funds", ("其他资金",)),
    ("inc_other", ("其他收入",)),
    ("inc_year_total", ("当年收入小计", "本年收入合计", "本年收入小计", "收入小计")),
    ("inc_carry", ("上年结转",)),
    ("inc_grand_total", ("收入合计", "收入总计")),
]
# Expense rows (side "expense") besides the 功能分类 类 rows keyed by their code:
B01_EXPENSE: list[tuple[str, tuple[str, ...]]] = [
    ("exp_basic", ("基本支出",)),
    ("exp_project", ("项目支出",)),
    ("exp_reserve", ("预留机动经费", "机动经费")),
    ("exp_to_superior", ("上缴上级",)),
    ("exp_operating", ("经营支出",)),
    ("exp_to_affiliated", ("对附属单位补助",)),
    ("exp_year_total", ("当年支出小计", "本年支出合计", "本年支出小计", "支出小计")),
    ("exp_carry", ("结转下年",)),
    ("exp_grand_total", ("支出合计", "支出总计")),
]
B01_ROWS: dict[str, str] = {
    "inc_fiscal": "财政拨款",
    "inc_general": "一般公共预算",
    "inc_fund": "政府性基金预算",
    "inc_capital": "国有资本经营预算",
    "inc_special": "财政专户管理资金",
    "inc_business": "事业收入",
    "inc_operating": "事业单位经营收入",
    "inc_other_funds": "其他资金",
    "inc_other": "其他收入",
    "inc_year_total": "当年收入小计",
    "inc_carry": "上年结转资金",
    "inc_grand_total": "收入合计",
    "exp_basic": "基本支出",
    "exp_project": "项目支出",
    "exp_reserve": "单位预留机动经费",
    "exp_to_superior": "上缴上级支出",
    "exp_operating": "事业单位经营支出",
    "exp_to_affiliated": "对附属单位补助支出",
    "exp_year_total": "当年支出小计",
    "exp_carry": "结转下年资金",
    "exp_grand_total": "支出合计",
}
# The 支出用途 rows whose sum is the expense total (the 功能分类 类 rows are the other sum).
B01_USES = ["exp_basic", "exp_project", "exp_reserve", "exp_to_superior", "exp_operating", "exp_to_affiliated"]
# 财政拨款 income parts of B04 (B01 prints 财政拨款 = 一般公共预算 + 政府性基金 [+ 国有资本经营]).
B04_INCOME_PARTS = ["inc_general", "inc_fund", "inc_capital"]
B01_COLUMNS = {"amount": "金额", "last_year": "上年预算数", "change": "增减"}

# 功能分类 类 names of the years before the 2019 科目 reform, as the 2017/2018 budgets print them
# (the current names are in schema.FUNCTION_CLASSES).
OLD_FUNCTION_CLASSES: dict[str, str] = {
    "文化体育与传媒支出": "207",
    "医疗卫生与计划生育支出": "210",
    "医疗卫生支出": "210",
    "资源勘探信息等支出": "215",
    "资源勘探电力信息等支出": "215",
    "国土海洋气象等支出": "220",
    "国土资源气象等支出": "220",
    "粮油物资储备支出": "222",
    "粮油物资储备管理等支出": "222",
}

# B02 收入预算总表 in its grouped layout: a source group (一般公共预算资金, 财政专户管理资金, 其他资金,
# 上年结转和结余资金) printed over its 小计 and item lines. Group keys, then "group.item" keys.
B02_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("general", ("一般公共预算",)),
    ("fund", ("政府性基金",)),
    ("capital", ("国有资本经营",)),
    ("special", ("财政专户", "专户管理资金")),
    ("other", ("其他资金",)),
    ("carry", ("上年结转",)),
]
B02_ITEMS: list[tuple[str, tuple[str, ...]]] = [
    ("grant", ("财政拨款（补助）", "财政拨款(补助)", "公共财政拨款", "财政拨款")),
    ("special_income", ("专项收入",)),
    ("edu_fee", ("教育收费",)),
    ("nontax", ("非税收入",)),
    ("business", ("事业收入",)),
    ("operating", ("经营收入",)),
    ("other", ("其他收入",)),
    ("debt", ("债务",)),
    ("used", ("动用上年结转",)),
]
B02_COLUMNS = {"amount": "金额"}
# The columns layout (national template): 合计 | 一般公共预算 | 政府性基金 | … per 科目 line.
B02_COLUMN_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("last_year", ("上年",)),
    ("general", ("一般公共预算",)),
    ("fund", ("政府性基金",)),
    ("capital", ("国有资本经营",)),
    ("special", ("财政专户", "专户管理资金")),
    ("business", ("事业收入",)),
    ("operating", ("经营收入",)),
    ("other", ("其他收入", "其他资金")),
    ("carry", ("上年结转", "结转")),
    ("total", ("合计", "小计", "总计", "本年预算")),
]

# B03 支出预算总表 and the coded expense tables (B05, B05F, B07, B08, B12): columns.
B03_COLUMN_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("last_year", ("上年",)),
    ("change", ("增减", "增长", "比上年")),
    ("personnel", ("人员经费", "人员支出")),
    ("public", ("公用经费", "公用支出")),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("reserve", ("预留机动",)),
    ("to_superior", ("上缴上级",)),
    ("operating", ("经营支出",)),
    ("to_affiliated", ("对附属单位",)),
    ("carry_next", ("结转下年",)),
    ("total", ("合计", "小计", "总计", "金额", "本年预算", "预算数")),
]
B03_COLUMNS = {
    "total": "合计",
    "basic": "基本支出",
    "project": "项目支出",
    "reserve": "单位预留机动经费",
    "to_superior": "上缴上级支出",
    "operating": "事业单位经营支出",
    "to_affiliated": "对附属单位补助支出",
    "carry_next": "结转下年资金",
    "personnel": "人员经费",
    "public": "公用经费",
    "last_year": "上年预算数",
    "change": "增减",
}
# The 支出用途 parts whose sum is B03's 合计 (结转下年资金 is outside the year's expense).
B03_PARTS = ["basic", "project", "reserve", "to_superior", "operating", "to_affiliated"]

# B12 项目支出预算表 listed by 项目 (no 科目 code): the amount columns by source of funds.
B12_PROJECT_COLUMN_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("last_year", ("上年",)),
    ("change", ("增减", "比上年")),
    ("general", ("一般公共预算",)),
    ("fund", ("政府性基金",)),
    ("capital", ("国有资本经营",)),
    ("special", ("财政专户", "专户管理资金")),
    ("business", ("事业收入",)),
    ("operating", ("经营收入",)),
    ("carry", ("上年结转", "结转")),
    ("other", ("其他收入", "其他资金", "单位资金")),
    ("fiscal", ("财政拨款",)),
    ("total", ("合计", "小计", "总计", "金额", "本年预算", "预算数")),
]
B12_COLUMNS = {
    **B03_COLUMNS,
    "fiscal": "财政拨款",
    "general": "一般公共预算",
    "fund": "政府性基金预算",
    "capital": "国有资本经营预算",
    "special": "财政专户管理资金",
    "business": "事业收入",
    "operating": "事业单位经营收入",
    "carry": "上年结转",
    "other": "其他资金",
}

# B06/B06F 基本支出预算表 (经济分类 rows) and B10 机关运行经费 (经济分类 rows): columns.
B06_COLUMN_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("last_year", ("上年",)),
    ("change", ("增减", "比上年")),
    ("personnel", ("人员经费", "人员支出")),
    ("public", ("公用经费", "公用支出")),
    ("total", ("合计", "小计", "总计", "金额", "本年预算", "预算数", "机关运行经费", "支出数")),
]
B06_COLUMNS = {"total": "合计", "personnel": "人员经费", "public": "公用经费", "last_year": "上年预算数", "change": "增减"}
# 经济分类 类 of 人员经费 (the rest of a 基本支出 table is 公用经费).
B06_PERSONNEL_CLASSES = ("301", "303")

# B09 “三公”经费 (会议费, 培训费 where printed): items as rows, whatever the printed layout.
B09_ROWS: dict[str, str] = {
    "grand_total": "合计",
    "total": "“三公”经费小计",
    "abroad": "因公出国（境）费",
    "car": "公务用车购置及运行维护费",
    "car_purchase": "公务用车购置费",
    "car_run": "公务用车运行维护费",
    "reception": "公务接待费",
    "meeting": "会议费",
    "training": "培训费",
}
B09_COLUMNS = {"amount": "预算数", "last_year": "上年预算数", "change": "增减"}

# B11 政府采购预算表: the 采购品目大类 lines.
B11_ROWS: list[tuple[str, tuple[str, ...]]] = [
    ("goods", ("货物",)),
    ("works", ("工程",)),
    ("services", ("服务",)),
    ("total", ("合计", "总计")),
]
B11_COLUMNS = {"amount": "金额"}

BUDGET_COLUMNS: dict[TableKind, dict[str, str]] = {
    TableKind.B01: B01_COLUMNS,
    TableKind.B02: B02_COLUMNS,
    TableKind.B03: B03_COLUMNS,
    TableKind.B04: B01_COLUMNS,
    TableKind.B05: B03_COLUMNS,
    TableKind.B05F: B03_COLUMNS,
    TableKind.B06: B06_COLUMNS,
    TableKind.B06F: B06_COLUMNS,
    TableKind.B07: B03_COLUMNS,
    TableKind.B08: B03_COLUMNS,
    TableKind.B09: B09_COLUMNS,
    TableKind.B10: B06_COLUMNS,
    TableKind.B11: B11_COLUMNS,
    TableKind.B12: B12_COLUMNS,
}
BUDGET_COLUMN_RULES: dict[TableKind, list[tuple[str, tuple[str, ...]]]] = {
    TableKind.B02: B02_COLUMN_RULES,
    TableKind.B03: B03_COLUMN_RULES,
    TableKind.B05: B03_COLUMN_RULES,
    TableKind.B05F: B03_COLUMN_RULES,
    TableKind.B07: B03_COLUMN_RULES,
    TableKind.B08: B03_COLUMN_RULES,
    TableKind.B12: B03_COLUMN_RULES,
    TableKind.B06: B06_COLUMN_RULES,
    TableKind.B06F: B06_COLUMN_RULES,
    TableKind.B10: B06_COLUMN_RULES,
}
BUDGET_ROW_LABELS: dict[TableKind, dict[str, str]] = {
    TableKind.B01: B01_ROWS,
    TableKind.B04: B01_ROWS,
    TableKind.B09: B09_ROWS,
}


def first_match(label: str, rules: list[tuple[str, tuple[str, ...]]]) -> str | None:
    for key, words in rules:
        if any(w in label for w in words):
            return key
    return None


def b09_item(label: str, path: str = "") -> str | None:
    """The 三公 item a (normalised) column header names; ``path`` is the headers above it."""
    if label in ("小计",):
        if "公务用车" in path:
            return "car"
        if "三公" in path:
            return "total"
        return None
    if "会议费" in label:
        return "meeting"
    if "培训费" in label:
        return "training"
    if "购置费" in label and "运行" not in label:
        return "car_purchase"
    if "运行" in label and "购置" not in label and "公务用车" in (label + path):
        return "car_run"
    if "购置及运行" in label or "购置和运行" in label:
        return "car"
    if "出国" in label:
        return "abroad"
    if "接待" in label:
        return "reception"
    if label in ("合计", "总计"):
        return "grand_total"
    if "三公" in label and "会议" not in label:
        return "total"
    return None
