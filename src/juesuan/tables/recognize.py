"""Recognising printed tables: the kind from the title and the columns, canonical column keys from
printed header labels, canonical row keys from printed row labels, and 科目 code normalisation
(``208 | 01 | 09`` and omitted 类 digits).

Everything here works on already-extracted strings; nothing knows about formats or locations.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import TableKind
from . import budget, regions, schema

_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_ORDINAL = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、]|其中[：:])\s*"
)
_BRACKETS = str.maketrans({"(": "（", ")": "）", "“": "", "”": "", '"': "", "*": ""})


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Text without any whitespace (PDF conversions split words: ``公务用车购 置费``)."""
    return _SPACE.sub("", text)


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Comparable form of a label: no spaces, full-width brackets, no quotes or markdown stars."""
    return squash(text).translate(_BRACKETS)


def strip_ordinal(label: str) -> str:
    """``八、社会保障和就业支出`` -> ``社会保障和就业支出``; ``（一）政府采购支出合计`` -> ``政府采购支出合计``."""
    s = norm(label)
    prev = None
    while prev != s:
        prev = s
        s = _ORDINAL.sub("", s)
    return s


# -- table kinds ---------------------------------------------------------------------------------
# Which table a title names. One list of rules serves two readings that have always differed: the
# reader recognising a printed table by its title (the default), and a 目录 line naming a table
# (``contents=True``, which the reader also uses for a table it could not recognise, to tell
# which 目录 line answers for it). The 目录 reading wants the fuller names the national 决算 template
# prints (一般公共预算财政拨款基本支出, 财政拨款收入支出…总表), takes any 绩效…表 for a 绩效 table,
# knows 收入支出总表 but no 相关统计数 table (a 目录 lists it with 三公), and ignores only spaces; the
# table reading also takes the 预算 wording (一般公共预算支出预算表, 基本支出预算表, 收支决算总表) and
# ignores quotes and stars as well. Each rule says which reading it belongs to; first match wins.
_TABLE, _CONTENTS, _BOTH = "table", "contents", "both"
_TITLE_RULES: list[tuple[TableKind, tuple[str, ...], str]] = [
    *((kind, need, _BOTH) for kind, need in regions.FIRST_TITLE_RULES),  # regional layouts
    (TableKind.PERF_DEPT, ("整体支出", "绩效"), _TABLE),
    (TableKind.PERF_PROJECT, ("绩效", "自评"), _TABLE),
    (TableKind.PERF_PROJECT, ("绩效", "评价表"), _TABLE),
    (TableKind.PERF_DEPT, ("绩效", "表", "整体"), _CONTENTS),
    (TableKind.PERF_PROJECT, ("绩效", "表"), _CONTENTS),
    (TableKind.T09S, ("三公", "统计"), _TABLE),
    (TableKind.T09S, ("相关统计数",), _TABLE),
    (TableKind.T09, ("三公",), _BOTH),
    (TableKind.T10, ("机关运行经费",), _BOTH),
    (TableKind.T11, ("政府采购",), _BOTH),
    (TableKind.T06, ("基本支出",), _TABLE),
    (TableKind.T07, ("政府性基金",), _BOTH),
    (TableKind.T08, ("国有资本经营",), _BOTH),
    (TableKind.T06, ("一般公共预算财政拨款基本支出",), _CONTENTS),
    (TableKind.T05, ("一般公共预算", "支出"), _TABLE),
    (TableKind.T05, ("一般公共预算财政拨款支出",), _CONTENTS),
    (TableKind.T04, ("财政拨款收入支出",), _TABLE),
    (TableKind.T04, ("财政拨款收入支出", "总表"), _CONTENTS),
    *((kind, need, _BOTH) for kind, need in regions.BEFORE_T01_TITLE_RULES),  # regional layouts
    (TableKind.T01, ("收入支出决算总表",), _BOTH),
    (TableKind.T01, ("收支决算总表",), _TABLE),
    (TableKind.T01, ("收入支出总表",), _CONTENTS),
    (TableKind.T02, ("收入决算表",), _BOTH),
    (TableKind.T03, ("支出决算表",), _BOTH),
]
_READING_RULES = {
    reading: [(kind, need) for kind, need, where in _TITLE_RULES if where in (reading, _BOTH)]
    for reading in (_TABLE, _CONTENTS)
}


def kind_from_title(title: str, *, contents: bool = False) -> TableKind | None:
    """The table kind a title names, None when it names none.

    ``contents``: read it as a 目录 line names a table (see the rules above): the 目录 check
    (D-005, D-004) and a table the reader left as OTHER use this reading, the reader's table
    recognition the default one. ``tests/test_table_titles.py`` holds both to the answers of the
    two classifiers they replaced, on the real documents and the rule cases."""
    # a budget table's name (收支预算总表, 政府采购预算表) names a budget kind in either reading
    bk = budget.budget_kind_from_title(norm(title))
    if bk is not None:
        return bk
    if contents:
        t = squash(title)
        rules = _READING_RULES[_CONTENTS]
    else:
        t = norm(title)
        if not t:
            return None
        rules = _READING_RULES[_TABLE]
    for kind, need in rules:
        if all(w in t for w in need):
            return kind
    return None


def kind_from_columns(labels: list[str]) -> TableKind | None:
    """The kind a set of header labels points to, when the title does not say."""
    text = "|".join(norm(x) for x in labels)
    bk = budget.budget_kind_from_columns(text)
    if bk is not None:
        return bk
    if "一级指标" in text or "绩效指标" in text:
        return TableKind.PERF_PROJECT
    if "因公出国" in text and "公务接待" in text:
        return TableKind.T09
    if "机关运行经费" in text:
        return TableKind.T10
    if "政府采购支出" in text:
        return TableKind.T11
    if "人员经费" in text and "公用经费" in text and "科目代码" in text and "基本支出" not in text:
        return TableKind.T06
    if "财政拨款收入" in text and "上级补助收入" in text and "本年收入合计" in text:
        return TableKind.T02
    if "本年支出合计" in text and "上缴上级支出" in text:
        return TableKind.T03
    if "收入" in text and "支出" in text and "行次" in text:
        if "一般公共预算财政拨款" in text and "政府性基金预算财政拨款" in text:
            return TableKind.T04
        return TableKind.T01
    return None


_TITLE_YEAR = re.compile(r"[（(]\d{4}年度?[）)]$")
# the qualifier printed after a table's name: Zhejiang's （分单位）, （分科目） after 收入/支出决算表, the
# Jiangsu NPC office's （功能科目）, （经济科目） after its budget tables' names (printed as text lines
# above the table since its page frame is read through)
_TITLE_QUALIFIER = re.compile(r"表[（(](?:分(?:单位|科目)|功能科目|经济科目)[）)]$")


def looks_like_title(text: str) -> bool:
    """A line that names a table (``收入决算表``, ``项目支出绩效自评表``, ``相关统计数：``)."""
    t = _TITLE_YEAR.sub("", norm(text).rstrip("：:"))
    t = _TITLE_QUALIFIER.sub("表", t)
    if not t or len(t) > 60:
        return False
    if re.fullmatch(r"公开\d+表", t):
        return False
    return bool(t.endswith(("表", "统计数")) and "。" not in t and "，" not in t)


# -- columns ------------------------------------------------------------------------------------
def _first(
    label: str, rules: list[tuple[str, tuple[str, ...]]] | tuple[tuple[str, tuple[str, ...]], ...]
) -> str | None:
    for key, words in rules:
        if any(w in label for w in words):
            return key
    return None


_COLUMN_RULES: dict[TableKind, list[tuple[str, tuple[str, ...]]]] = {
    TableKind.T02: [
        ("fiscal", ("财政拨款",)),
        ("superior", ("上级补助",)),
        ("business", ("事业收入",)),
        ("operating", ("经营收入",)),
        ("affiliated", ("附属单位",)),
        ("other", ("其他收入",)),
        ("total", ("合计", "小计", "总计")),
    ],
    TableKind.T03: [
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
        ("to_superior", ("上缴上级",)),
        ("operating", ("经营支出",)),
        ("to_affiliated", ("附属单位",)),
        ("total", ("合计", "小计", "总计")),
    ],
    TableKind.T05: [
        ("personnel", ("人员经费",)),
        ("public", ("公用经费",)),
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
        ("total", ("合计", "小计", "总计", "本年支出")),
    ],
    TableKind.T07: [
        ("begin_balance", ("年初",)),
        ("end_balance", ("年末",)),
        ("income", ("本年收入",)),
        ("basic", ("基本支出",)),
        ("project", ("项目支出",)),
        ("exp_total", ("小计", "合计", "本年支出")),
    ],
    TableKind.T10: [
        ("last_year", ("上年",)),
        ("amount", ("决算数", "金额", "机关运行经费", "支出数", "合计")),
    ],
    TableKind.T11: [("amount", ("金额", "决算数"))],
    TableKind.T06: [
        ("personnel", ("人员经费",)),
        ("public", ("公用经费",)),
        ("amount", ("决算数", "金额", "合计", "小计")),
    ],
}
_COLUMN_RULES[TableKind.T08] = _COLUMN_RULES[TableKind.T07]
# budget kinds (juesuan.tables.budget): their own column words (上年预算数, 增减, 单位预留机动经费)
_COLUMN_RULES.update(budget.BUDGET_COLUMN_RULES)
# 决算 tables of regional layouts
_COLUMN_RULES.update(regions.COLUMN_RULES)
_COLUMN_RULES.update({kind: _COLUMN_RULES[same] for kind, same in regions.SAME_COLUMNS.items()})

# Canonical printed order of the amount columns, for layouts whose headers do not line up with
# the data (PDF conversions shift header cells).
CANONICAL_ORDER: dict[TableKind, list[list[str]]] = {
    TableKind.T02: [list(schema.T02_COLUMNS)],
    TableKind.T03: [list(schema.T03_COLUMNS)],
    TableKind.T05: [["total", "basic", "personnel", "public", "project"], ["total", "basic", "project"]],
    TableKind.T07: [list(schema.T07_COLUMNS), ["exp_total", "basic", "project"]],
    TableKind.T08: [list(schema.T08_COLUMNS), ["exp_total", "basic", "project"]],
    TableKind.T10: [["amount"]],
    # budget kinds: one amount column (the Jiangsu layout) only; wider layouts are read by their
    # headers, never by position
    **{k: [["total"]] for k in (*budget.CODED_EXPENSE_KINDS, *budget.CODED_ECONOMIC_KINDS)},
}
CANONICAL_ORDER.update(regions.CANONICAL_ORDER)
CANONICAL_ORDER.update({kind: CANONICAL_ORDER[same] for kind, same in regions.SAME_COLUMNS.items()})


def column_key(kind: TableKind, leaf: str, path: str) -> str | None:
    """Canonical key of a column from its leaf header label and its full header path."""
    rules = _COLUMN_RULES.get(kind)
    if not rules:
        return None
    leaf_n, path_n = norm(leaf), norm(path)
    if not path_n or path_n == "栏次" or "行次" in leaf_n:
        return None
    return _first(leaf_n, rules) or _first(path_n, rules)


def t09_item(label: str) -> str | None:
    p = norm(label)
    extra = regions.t09_extra_item(p)  # 会议费, 培训费 printed beside the three (Jiangsu)
    if extra:
        return extra
    if "小计" in p and "公务用车" in p:
        return "car"
    if "购置及运行" in p or "购置和运行" in p:
        return "car"
    if "购置费" in p or p.endswith("购置"):
        return "car_purchase"
    if "运行" in p and "公务用车" in p:
        return "car_run"
    if "出国" in p:
        return "abroad"
    if "接待" in p:
        return "reception"
    if "合计" in p or "总计" in p:
        return "total"
    return None


def t09_leaf_item(leaf: str, path: str) -> str | None:
    """The 三公 item of a column: the leaf label decides (小计 under 公务用车… is ``car``)."""
    lf = norm(leaf)
    if lf in ("小计",):
        return "car" if "公务用车" in norm(path) else None
    if "购置费" in lf and "运行" not in lf:
        return "car_purchase"
    if ("运行费" in lf or "运行维护费" in lf) and "购置" not in lf:
        return "car_run"
    return t09_item(lf) or t09_item(path)


_T09S_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("abroad_groups", ("团组",)),
    ("car_purchased", ("购置数", "购置量")),
    ("vehicles", ("保有量",)),
    ("foreign_reception_batches", ("外事接待批次", "外宾接待批次")),
    ("foreign_reception_persons", ("外事接待人次", "外宾接待人次")),
    ("reception_batches", ("接待批次",)),
    ("reception_persons", ("接待人次",)),
    ("abroad_persons", ("出国",)),
]


def t09s_key(label: str) -> str | None:
    lab = norm(label)
    if "出国" in lab and "人" in lab and "团组" not in lab:
        return "abroad_persons"
    return _first(lab, _T09S_RULES)


_T11_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("small_micro", ("小微企业",)),
    ("sme", ("中小企业",)),
    ("goods", ("货物",)),
    ("works", ("工程",)),
    ("services", ("服务",)),
    ("total", ("合计", "总计", "总额")),
]


def t11_key(label: str) -> str | None:
    return _first(norm(label), _T11_RULES)


PERF_FIELD_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("project_name", ("项目名称", "（项目）名称")),
    ("department", ("主管部门", "部门名称")),
    ("unit", ("实施单位", "资金使用单位")),
)
PERF_AMOUNT_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("budget_begin", ("年初预算数",)),
    ("budget_year", ("全年预算数",)),
    ("actual_year", ("全年执行数",)),
    ("exec_rate", ("执行率",)),
    ("exec_weight", ("分值",)),
    ("exec_score", ("得分",)),
)
# The printed name of every value a 绩效 form holds outside its rows (Table.fields), for
# messages and exports
PERF_FIELD_NAMES: dict[str, str] = {
    **{key: labels[0] for key, labels in PERF_FIELD_LABELS},
    **{key: labels[0] for key, labels in PERF_AMOUNT_LABELS},
    "total_weight": "总分值",
    "total_score": "总分",
}
PERF_COLUMN_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标",)),
    ("reason", ("偏差原因", "未完成原因", "改进措施")),
    ("actual", ("实际完成值", "实际指标值", "完成值", "实际值")),
    ("target", ("指标值", "目标值")),
    ("weight", ("分值", "权重")),
    ("score", ("得分", "评分")),
)


@lru_cache(maxsize=4096)
def perf_key(label: str, rules: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    lab = norm(label)
    if not lab or len(lab) > 20:
        return None
    return _first(lab, rules)


# -- rows ---------------------------------------------------------------------------------------
_CLASS_BY_NAME = {name: code for code, name in schema.FUNCTION_CLASSES.items()}


def function_class(label: str) -> str | None:
    """3-digit 功能分类 code of a 类 line printed by name (``八、社会保障和就业支出`` -> ``208``)."""
    lab = strip_ordinal(label)
    code = _CLASS_BY_NAME.get(lab)
    if code is None and not lab.endswith("支出"):
        code = _CLASS_BY_NAME.get(lab + "支出")
    return code


def is_total_label(label: str) -> bool:
    return strip_ordinal(label) in ("合计", "总计", "本年合计", "合计数")


_T01_INCOME = [
    ("inc_use_balance", ("使用非财政拨款结余",)),
    ("inc_begin_balance", ("年初结转和结余", "年初结余")),
    ("inc_total_year", ("本年收入合计",)),
    ("inc_general_budget", ("一般公共预算财政拨款",)),
    ("inc_gov_fund", ("政府性基金预算财政拨款",)),
    ("inc_state_capital", ("国有资本经营预算财政拨款",)),
    ("inc_superior", ("上级补助收入",)),
    ("inc_business", ("事业收入",)),
    ("inc_operating", ("经营收入",)),
    ("inc_affiliated", ("附属单位上缴收入",)),
    ("inc_other", ("其他收入",)),
]
_T01_EXPENSE = [
    ("exp_total_year", ("本年支出合计",)),
    ("exp_distribution", ("结余分配",)),
    ("exp_end_balance", ("年末结转和结余", "年末结余")),
]
_T04_INCOME = [
    ("inc_begin_balance", ("年初财政拨款结转和结余", "年初结转和结余")),
    ("inc_total_year", ("本年收入合计",)),
    ("inc_general_budget", ("一般公共预算财政拨款",)),
    ("inc_gov_fund", ("政府性基金预算财政拨款",)),
    ("inc_state_capital", ("国有资本经营预算财政拨款",)),
]
_T04_BEGIN = {
    "inc_general_budget": "inc_begin_general",
    "inc_gov_fund": "inc_begin_fund",
    "inc_state_capital": "inc_begin_capital",
}
_T04_EXPENSE = [
    ("exp_total_year", ("本年支出合计",)),
    ("exp_end_balance", ("年末财政拨款结转和结余", "年末结转和结余")),
]


def two_sided_key(kind: TableKind, side: str, label: str, after_begin: bool = False) -> str | None:
    """Row key of a label on one side of T01/T04; ``after_begin`` marks the 年初 split lines."""
    lab = strip_ordinal(label)
    if not lab:
        return None
    if lab in ("总计", "合计"):
        return "inc_grand_total" if side == "income" else "exp_grand_total"
    if side == "income":
        key = _first(lab, _T04_INCOME if kind is TableKind.T04 else _T01_INCOME)
        if kind is TableKind.T04 and after_begin and key in _T04_BEGIN:
            return _T04_BEGIN[key]
        return key
    code = function_class(lab)
    if code:
        return code
    return _first(lab, _T04_EXPENSE if kind is TableKind.T04 else _T01_EXPENSE)


# -- 科目 codes ----------------------------------------------------------------------------------
_DIGITS = re.compile(r"^\d{1,7}$")


def is_code_part(text: str) -> bool:
    return bool(_DIGITS.match(squash(text)))


class CodeContext:
    """Normalises 科目 codes printed as one cell (``2080109``), as 类|款|项 parts (``208 | 01 |
    09``) or with the 类 digits omitted on 款/项 lines (``01`` under 208, ``0109``)."""

    def __init__(self) -> None:
        self.cls: str | None = None
        self.kuan: str | None = None

    def full(self, parts: list[str]) -> str | None:
        parts = [squash(p) for p in parts if squash(p)]
        if not parts or not all(p.isdigit() for p in parts):
            return None
        if len(parts) == 1:
            return self._one(parts[0])
        joined = "".join(parts)
        if len(parts[0]) == 3 and len(joined) in (5, 7):
            return self._remember(joined)
        if all(len(p) == 2 for p in parts) and self.cls and len(parts) == 2:
            return self._remember(self.cls + "".join(parts))
        return self._one(joined)

    def _one(self, p: str) -> str | None:
        if len(p) in (3, 5, 7):
            return self._remember(p)
        if len(p) in (2, 4) and self.cls:
            return self._remember(self.cls + p)
        return None

    def _remember(self, code: str) -> str:
        if len(code) == 3:
            self.cls, self.kuan = code, None
        elif len(code) == 5:
            self.cls, self.kuan = code[:3], code
        elif len(code) == 7:
            self.cls, self.kuan = code[:3], code[:5]
        return code

    def split(self, kuan_part: str, xiang_part: str) -> str | None:
        """Code from separate 款 and 项 cells under the current 类 (``| 01 | 09 |``)."""
        k, x = squash(kuan_part), squash(xiang_part)
        if self.cls is None:
            return None
        if k and x:
            return self._remember(self.cls + k + x)
        if k:
            return self._remember(self.cls + k)
        if x and self.kuan:
            return self._remember(self.kuan + x)
        return None
