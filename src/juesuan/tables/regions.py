"""决算 tables of regional layouts: their titles, canonical columns and the extra 三公 items.

The national template prints 9 tables; provinces add or split some (titles and headers read on
public disclosure pages of each region, paraphrased here as the words a title must hold):

* Sichuan (13): 财政拨款支出决算明细表 and 一般公共预算财政拨款支出决算明细表 (经济分类 rows, 合计 /
  基本支出 / 项目支出 columns), 一般公共预算财政拨款项目支出决算表, and a second 国有资本经营预算财政拨款
  支出决算表 (合计 / 基本支出 / 项目支出, read as T08 with its short column set);
* Yunnan (11–14): 收入支出决算表 without 总 (the 总表), 一般公共预算财政拨款项目支出决算表, 项目支出
  决算表 (one row per project), a combined “三公”经费、机关运行经费 table (split by the reader), 绩效
  自评表 inside the tables part;
* Inner Mongolia (12): 项目收入支出决算表 (one row per project: 年初结转和结余, 本年收入, 本年支出,
  年末结转和结余), 一般公共预算财政拨款项目支出决算明细表, and one table for 机构运行经费支出, 国有资产
  占用 and 政府采购支出 (split by the reader);
* Zhejiang: 收入决算表 and 支出决算表 printed twice, 分单位 (one row per 单位) and 分科目 (the usual
  功能分类 rows);
* Jiangsu: the 三公 table with 会议费 and 培训费 beside the three items (not part of the 三公 合计),
  numbers printed as 公开表一 after the title, or none.

This module only says what a title or a header names; :mod:`.recognize` stays the one classifier
and places these rules where they must win over the national ones.
"""

from __future__ import annotations

from ..model.table import TableKind

# -- titles -------------------------------------------------------------------------------------
# (kind, words all in the title). FIRST rules go before every national rule: their titles also hold
# the words of a national kind (一般公共预算财政拨款项目支出… holds 一般公共预算…支出; 收入决算表（分单位）
# holds 收入决算表). BEFORE_T01 rules go just before the 总表 rules: 项目收入支出决算表 and Yunnan's
# 收入支出决算表 (no 总) would otherwise be read as 支出决算表, while 财政拨款/政府性基金/一般公共预算
# …收入支出决算表 keep their national kinds, matched earlier.
FIRST_TITLE_RULES: list[tuple[TableKind, tuple[str, ...]]] = [
    (TableKind.T02U, ("收入决算表", "分单位")),
    (TableKind.T03U, ("支出决算表", "分单位")),
    (TableKind.T05P, ("一般公共预算财政拨款项目支出",)),
    # Yunnan's name of the T05 table; the 目录 reading would otherwise take it for 支出决算表
    (TableKind.T05, ("一般公共预算财政拨款收入支出决算表",)),
    (TableKind.T05GD, ("一般公共预算财政拨款支出决算明细表",)),
    (TableKind.T05D, ("财政拨款支出决算明细表",)),
]
BEFORE_T01_TITLE_RULES: list[tuple[TableKind, tuple[str, ...]]] = [
    # Yunnan's 财政拨款收入支出决算表 (no 总): the 目录 reading wants 总表 for T04
    (TableKind.T04, ("财政拨款收入支出决算表",)),
    (TableKind.PROJ, ("项目收入支出决算表",)),
    (TableKind.PROJ, ("项目支出决算表",)),
    (TableKind.T01, ("收入支出决算表",)),
]

# -- columns ------------------------------------------------------------------------------------
T05D_COLUMNS = {"total": "合计", "basic": "基本支出", "personnel": "人员经费", "public": "公用经费", "project": "项目支出"}
T05P_COLUMNS = {"amount": "项目支出"}
PROJ_COLUMNS = {
    "begin_balance": "年初结转和结余",
    "income": "本年收入",
    "expense": "本年支出",
    "end_balance": "年末结转和结余",
}

COLUMN_RULES: dict[TableKind, list[tuple[str, tuple[str, ...]]]] = {
    TableKind.T05D: [
        ("personnel", ("人员经费",)),
        ("public", ("公用经费",)),
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
        ("total", ("合计", "小计", "总计", "本年支出")),
    ],
    TableKind.T05P: [("amount", ("项目支出", "决算数", "金额", "合计"))],
    TableKind.PROJ: [
        ("begin_balance", ("年初",)),
        ("end_balance", ("年末",)),
        ("income", ("本年收入", "收入")),
        ("expense", ("本年支出", "支出")),
    ],
}
COLUMN_RULES[TableKind.T05GD] = COLUMN_RULES[TableKind.T05D]

CANONICAL_ORDER: dict[TableKind, list[list[str]]] = {
    TableKind.T05D: [["total", "basic", "project"], ["total", "basic", "personnel", "public", "project"]],
    TableKind.T05GD: [["total", "basic", "project"], ["total", "basic", "personnel", "public", "project"]],
    TableKind.T05P: [["amount"]],
    TableKind.PROJ: [list(PROJ_COLUMNS)],
}
# Columns a table of the kind cannot be checked without (the reader says which are missing).
REQUIRED: dict[TableKind, list[str]] = {
    TableKind.T05D: ["total", "basic", "project"],
    TableKind.T05GD: ["total", "basic", "project"],
    TableKind.T05P: ["amount"],
    TableKind.PROJ: ["expense"],
}

# Kinds whose columns are another kind's (the 分单位 tables print the T02/T03 columns).
SAME_COLUMNS: dict[TableKind, TableKind] = {TableKind.T02U: TableKind.T02, TableKind.T03U: TableKind.T03}

COLUMNS: dict[TableKind, dict[str, str]] = {
    TableKind.T05D: T05D_COLUMNS,
    TableKind.T05GD: T05D_COLUMNS,
    TableKind.T05P: T05P_COLUMNS,
    TableKind.PROJ: PROJ_COLUMNS,
}

# Kinds read by the coded-table parser: 科目-coded rows (经济分类 codes for the 明细表) or, for the
# 分单位 and project tables, one row per 单位/项目 keyed by its name, with the 合计 row first.
CODED_KINDS = (TableKind.T02U, TableKind.T03U, TableKind.T05D, TableKind.T05GD, TableKind.T05P, TableKind.PROJ)

# -- 三公 items printed beside the three (Jiangsu): not part of the 三公 合计 -----------------------
T09_EXTRA_ROWS = {"meeting": "会议费", "training": "培训费"}


def t09_extra_item(label: str) -> str | None:
    """``meeting`` / ``training`` for a 会议费 / 培训费 label (spaces already removed)."""
    if "会议费" in label:
        return "meeting"
    if "培训费" in label:
        return "training"
    return None


# -- combined tables --------------------------------------------------------------------------------
# Labels of the 机关运行经费 line inside a combined table (Yunnan prints 机关运行经费 under the 三公
# items, Inner Mongolia 机构运行经费支出 above its 政府采购 lines).
ADMIN_COST_WORDS = ("机关运行经费", "机构运行经费")
ADMIN_COST_TITLE = "机关运行经费支出情况"


def combined(title: str) -> bool:
    """A 三公 or 政府采购 table whose title names a 机关运行经费 line too (the reader reads that line as
    a T10 table of its own, so this table alone does not say whether the printed table is empty)."""
    return any(w in title for w in ADMIN_COST_WORDS)


def split_part(title: str, number: str | None) -> bool:
    """A table the reader split out of a combined table (its 机关运行经费 line): the 目录 lists it
    through the combined table."""
    return number is None and title == ADMIN_COST_TITLE
