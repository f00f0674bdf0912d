"""Canonical row and column keys for every table kind.

Readers and the table recogniser map printed headers and labels onto these keys; rules address
cells only through them. Row keys of coded rows are the 科目 codes themselves ("208", "20801",
"2080109" for 功能分类; "301", "30101" for 经济分类).
"""

from __future__ import annotations

from ..model.table import TableKind
from . import regions
from .budget import BUDGET_COLUMNS, BUDGET_ROW_LABELS

# --- T01 收入支出决算总表 / T04 财政拨款收入支出决算总表 ------------------------------------------
# Two-sided tables: each printed line holds an income row (side="income") and an expense row
# (side="expense"). Expense 类 rows are keyed by the 3-digit 功能分类 code.
T01_INCOME_ROWS: dict[str, str] = {
    "inc_general_budget": "一般公共预算财政拨款收入",
    "inc_gov_fund": "政府性基金预算财政拨款收入",
    "inc_state_capital": "国有资本经营预算财政拨款收入",
    "inc_superior": "上级补助收入",
    "inc_business": "事业收入",
    "inc_operating": "经营收入",
    "inc_affiliated": "附属单位上缴收入",
    "inc_other": "其他收入",
    "inc_total_year": "本年收入合计",
    "inc_use_balance": "使用非财政拨款结余",
    "inc_begin_balance": "年初结转和结余",
    "inc_grand_total": "总计",
}
T01_INCOME_PARTS = [
    "inc_general_budget",
    "inc_gov_fund",
    "inc_state_capital",
    "inc_superior",
    "inc_business",
    "inc_operating",
    "inc_affiliated",
    "inc_other",
]
T01_EXPENSE_ROWS: dict[str, str] = {
    "exp_total_year": "本年支出合计",
    "exp_distribution": "结余分配",
    "exp_end_balance": "年末结转和结余",
    "exp_grand_total": "总计",
}
T01_COLUMNS = {"amount": "金额"}

T04_INCOME_ROWS: dict[str, str] = {
    "inc_general_budget": "一般公共预算财政拨款",
    "inc_gov_fund": "政府性基金预算财政拨款",
    "inc_state_capital": "国有资本经营预算财政拨款",
    "inc_total_year": "本年收入合计",
    "inc_begin_balance": "年初财政拨款结转和结余",
    "inc_begin_general": "年初一般公共预算财政拨款结转和结余",
    "inc_begin_fund": "年初政府性基金预算财政拨款结转和结余",
    "inc_begin_capital": "年初国有资本经营预算财政拨款结转和结余",
    "inc_grand_total": "总计",
}
T04_INCOME_PARTS = ["inc_general_budget", "inc_gov_fund", "inc_state_capital"]
T04_EXPENSE_ROWS: dict[str, str] = {
    "exp_total_year": "本年支出合计",
    "exp_end_balance": "年末财政拨款结转和结余",
    "exp_grand_total": "总计",
}
# Income side has one amount column; expense side has the 4-way split.
T04_COLUMNS = {
    "amount": "金额",
    "total": "合计",
    "general": "一般公共预算财政拨款",
    "fund": "政府性基金预算财政拨款",
    "capital": "国有资本经营预算财政拨款",
}

# --- T02 收入决算表 ---------------------------------------------------------------------------
T02_COLUMNS = {
    "total": "本年收入合计",
    "fiscal": "财政拨款收入",
    "superior": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
}
T02_PARTS = ["fiscal", "superior", "business", "operating", "affiliated", "other"]
# T02 column -> T01 income row it must equal on the 合计 row ("fiscal" is the sum of the three
# 财政拨款 income rows of T01).
T02_TO_T01 = {
    "total": ["inc_total_year"],
    "fiscal": ["inc_general_budget", "inc_gov_fund", "inc_state_capital"],
    "superior": ["inc_superior"],
    "business": ["inc_business"],
    "operating": ["inc_operating"],
    "affiliated": ["inc_affiliated"],
    "other": ["inc_other"],
}

# --- T03 支出决算表 ---------------------------------------------------------------------------
T03_COLUMNS = {
    "total": "本年支出合计",
    "basic": "基本支出",
    "project": "项目支出",
    "to_superior": "上缴上级支出",
    "operating": "经营支出",
    "to_affiliated": "对附属单位补助支出",
}
T03_PARTS = ["basic", "project", "to_superior", "operating", "to_affiliated"]

# --- T05 一般公共预算财政拨款支出决算表 -----------------------------------------------------------
T05_COLUMNS = {
    "total": "合计",
    "basic": "基本支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "project": "项目支出",
}

# --- T06 一般公共预算财政拨款基本支出决算(明细)表 ----------------------------------------------------
# Rows keyed by 经济分类 code, side "personnel" or "public"; totals below.
T06_TOTAL_ROWS = {"personnel_total": "人员经费合计", "public_total": "公用经费合计"}
T06_COLUMNS = {"amount": "决算数", "personnel": "人员经费", "public": "公用经费"}
T06_PERSONNEL_CLASSES = ["301", "303"]
T06_PUBLIC_CLASSES = ["302", "307", "309", "310", "312", "399"]

# --- T07 政府性基金 / T08 国有资本经营 ---------------------------------------------------------------
T07_COLUMNS = {
    "begin_balance": "年初结转和结余",
    "income": "本年收入",
    "exp_total": "本年支出合计",
    "basic": "基本支出",
    "project": "项目支出",
    "end_balance": "年末结转和结余",
}
T08_COLUMNS = dict(T07_COLUMNS)

# --- T09 三公 -------------------------------------------------------------------------------
# Canonical orientation: items as rows, 预算数/决算数 as columns, whatever the printed layout.
T09_ROWS = {
    "total": "合计",
    "abroad": "因公出国（境）费",
    "car": "公务用车购置及运行费",
    "car_purchase": "公务用车购置费",
    "car_run": "公务用车运行费",
    "reception": "公务接待费",
}
T09_COLUMNS = {"budget": "预算数", "actual": "决算数"}

# --- T09S 三公相关统计数 ------------------------------------------------------------------------
T09S_ROWS = {
    "abroad_groups": "因公出国（境）团组数",
    "abroad_persons": "因公出国（境）人次",
    "car_purchased": "公务用车购置数",
    "vehicles": "公务用车保有量",
    "reception_batches": "国内公务接待批次",
    "reception_persons": "国内公务接待人次",
    "foreign_reception_batches": "外事接待批次",
    "foreign_reception_persons": "外事接待人次",
}
T09S_COLUMNS = {"budget": "预算数", "actual": "决算数", "value": "数量"}

# --- T10 机关运行经费 ---------------------------------------------------------------------------
T10_COLUMNS = {"amount": "金额", "last_year": "上年数"}
T10_TOTAL_ROW = "total"

# --- T11 政府采购 -------------------------------------------------------------------------------
T11_ROWS = {
    "total": "政府采购支出合计",
    "goods": "货物",
    "works": "工程",
    "services": "服务",
    "sme": "授予中小企业合同金额",
    "small_micro": "授予小微企业合同金额",
}
T11_COLUMNS = {"amount": "金额"}

# --- 绩效自评表 ---------------------------------------------------------------------------------
PERF_FIELDS = {
    "project_name": "项目名称",
    "department": "主管部门",
    "unit": "实施单位",
    "budget_begin": "年初预算数",
    "budget_year": "全年预算数",
    "actual_year": "全年执行数",
    "exec_rate": "执行率",
    "exec_weight": "分值",
    "exec_score": "得分",
    "total_weight": "总分值",
    "total_score": "总分",
    "goal": "年度总体目标",
    "result": "实际完成情况",
}
# Indicator rows: key "ind:N"; columns below.
PERF_COLUMNS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "reason": "偏差原因分析及改进措施",
}

COLUMNS: dict[TableKind, dict[str, str]] = {
    TableKind.T01: T01_COLUMNS,
    TableKind.T02: T02_COLUMNS,
    TableKind.T03: T03_COLUMNS,
    TableKind.T04: T04_COLUMNS,
    TableKind.T05: T05_COLUMNS,
    TableKind.T06: T06_COLUMNS,
    TableKind.T07: T07_COLUMNS,
    TableKind.T08: T08_COLUMNS,
    TableKind.T09: T09_COLUMNS,
    TableKind.T09S: T09S_COLUMNS,
    TableKind.T10: T10_COLUMNS,
    TableKind.T11: T11_COLUMNS,
    TableKind.PERF_PROJECT: PERF_COLUMNS,
    TableKind.PERF_DEPT: PERF_COLUMNS,
    **BUDGET_COLUMNS,
}


# 决算 tables of regional layouts (see juesuan.tables.regions)
COLUMNS.update(regions.COLUMNS)
COLUMNS.update({kind: COLUMNS[same] for kind, same in regions.SAME_COLUMNS.items()})


def column_label(kind: TableKind, key: str) -> str:
    return COLUMNS.get(kind, {}).get(key, key)


ROW_LABELS: dict[TableKind, dict[str, str]] = {
    TableKind.T01: {**T01_INCOME_ROWS, **T01_EXPENSE_ROWS},
    TableKind.T04: {**T04_INCOME_ROWS, **T04_EXPENSE_ROWS},
    TableKind.T06: T06_TOTAL_ROWS,
    TableKind.T09: {**T09_ROWS, **regions.T09_EXTRA_ROWS},
    TableKind.T09S: T09S_ROWS,
    TableKind.T11: T11_ROWS,
    **BUDGET_ROW_LABELS,
}


def row_label(kind: TableKind, key: str) -> str:
    if key == "total":
        return "合计"
    return ROW_LABELS.get(kind, {}).get(key, key)


# --- 支出功能分类 类 (used to key the expense rows of T01/T04 by code) ------------------------------
# The full 科目 dictionaries (类/款/项, 经济分类) live in juesuan.tables.subjects; this short list is
# what table recognition needs to turn "八、社会保障和就业支出" into row key "208".
FUNCTION_CLASSES: dict[str, str] = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "209": "社会保险基金支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}
