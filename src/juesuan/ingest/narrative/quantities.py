"""The lexicon of named quantities: words of the narrative → canonical keys → the cells they
restate (through the keys of ``tables/schema.py``).

A quantity key is a string: a fixed name (``inc_total_year``, ``sangong.car``), a 功能分类 code
(``func:2080109``), a 经济分类 row of 06表 (``econ:30101``) or a 绩效 field (``perf:3:budget_year``,
the number being the table index). :func:`cells_for` turns a key and a role (value, budget,
actual) into candidate cells, most specific first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...model import Binding, Cell, Disclosure, Row, Section, Table, TableKind
from ...model.table import TABLE_NAMES
from ...tables.schema import FUNCTION_CLASSES
from ..trusted import trusted

_WS = re.compile(r"\s+")

# --- section context --------------------------------------------------------------------------
# The heading of the innermost section decides what bare words mean (基本支出 in the 支出决算
# section is 03表's, in the 基本支出 section it is 05表's).
_CONTEXTS: list[tuple[str, str]] = [
    (r"财政拨款收入支出决算总体", "fiscal"),
    (r"收入支出决算总体", "total"),
    (r"基本支出", "basic"),
    (r"一般公共预算", "general"),
    (r"政府性基金", "fund"),
    (r"国有资本经营", "capital"),
    (r"三公", "sangong"),
    (r"机关运行经费", "org"),
    (r"政府采购", "procurement"),
    (r"国有资产|资产占用", "assets"),
    (r"绩效", "perf"),
    (r"收入决算", "income"),
    (r"支出决算", "expense"),
]


def section_context(chain: list[Section]) -> str:
    """Context of a section given its heading chain (outermost first)."""
    for sec in reversed(chain):
        ctx = _heading_context(sec.heading)
        if ctx:
            return ctx
    return "other"


# Which funds a section speaks of: a bare 基本支出 or 社会保障和就业（类）支出 in the 财政拨款
# sections of a budget (no 决算 heading names them there) is not the same quantity as in the
# sections on all funds. The innermost heading naming funds decides; none: all funds.
_FUNDS: list[tuple[str, str]] = [
    (r"一般公共预算", "general"),
    (r"政府性基金", "fund"),
    (r"国有资本经营", "capital"),
    (r"财政拨款", "fiscal"),
]


def section_funds(chain: list[Section]) -> str:
    """The funds a section's amounts are of, given its heading chain (outermost first): general,
    fund, capital, fiscal, or all."""
    for sec in reversed(chain):
        h = _WS.sub("", sec.heading)
        for pat, funds in _FUNDS:
            if re.search(pat, h):
                return funds
    return "all"


@lru_cache(maxsize=1024)
def _heading_context(heading: str) -> str | None:
    h = _WS.sub("", heading)
    for pat, ctx in _CONTEXTS:
        if re.search(pat, h):
            return ctx
    return None


# --- lexicon ----------------------------------------------------------------------------------
_FUND_WORDS = [
    (r"年初(财政拨款)?结转和结余", "begin_balance"),
    (r"年末(财政拨款)?结转和结余", "end_balance"),
    (r"本年收入(?!合计)", "income"),
    (r"本年支出(?!合计)|支出(?!总计|合计)", "exp_total"),
]

# (pattern, contexts (None = any), key). First match wins: specific before general.
LEXICON: list[tuple[str, frozenset[str] | None, str]] = [
    (r"财政拨款收入[、和及与]?支出总计", None, "fiscal_grand_total"),
    (r"财政拨款收入总计", None, "fiscal_inc_grand_total"),
    (r"财政拨款支出总计", None, "fiscal_exp_grand_total"),
    (r"收入[、和及与]?支出总计", None, "grand_total"),
    (r"收入总计", None, "inc_grand_total"),
    (r"支出总计", None, "exp_grand_total"),
    (r"本年收入合计|收入合计", None, "inc_total_year"),
    (r"本年支出合计|支出合计", None, "exp_total_year"),
    (r"(授予)?小微企业(的)?合同金额", None, "proc.small_micro"),
    (r"(授予)?中小企业(的)?合同金额", None, "proc.sme"),
    # 货物类政府采购支出 (the budgets' wording): the category, not the whole
    (r"货物类(政府)?采购", None, "proc.goods"),
    (r"工程类(政府)?采购", None, "proc.works"),
    (r"服务类(政府)?采购", None, "proc.services"),
    (r"政府采购货物支出|采购货物支出|货物采购支出", None, "proc.goods"),
    (r"政府采购工程支出|采购工程支出|工程采购支出", None, "proc.works"),
    (r"政府采购服务支出|采购服务支出|服务采购支出", None, "proc.services"),
    (r"^货物(采购)?支出", frozenset({"procurement"}), "proc.goods"),
    (r"^工程(采购)?支出", frozenset({"procurement"}), "proc.works"),
    (r"^服务(采购)?支出", frozenset({"procurement"}), "proc.services"),
    (r"^货物采购金额|采购货物金额", None, "proc.goods"),
    (r"^工程采购金额|采购工程金额", None, "proc.works"),
    (r"^服务采购金额|采购服务金额", None, "proc.services"),
    # 货物类政府采购支出预算 259.32 万元 is the goods part, not the total the words end with
    (r"货物类政府采购", None, "proc.goods"),
    (r"工程类政府采购", None, "proc.works"),
    (r"服务类政府采购", None, "proc.services"),
    (r"政府采购支出(总额|合计)?|政府采购(总额|金额)", None, "proc.total"),
    (r"机关运行经费", None, "org_running"),
    (r"一般公共预算财政拨款基本支出|一般公共预算基本支出", None, "general_basic"),
    (r"一般公共预算(财政拨款)?项目支出", None, "general_project"),
    (r"一般公共预算财政拨款收入", None, "general_income"),
    (r"一般公共预算(财政拨款)?支出", None, "general_expense"),
    (r"因公出国[（(]境[)）]费", frozenset({"sangong"}), "sangong.abroad"),
    (r"公务用车购置及运行(维护)?费", frozenset({"sangong"}), "sangong.car"),
    (r"公务用车购置(费|支出)", frozenset({"sangong"}), "sangong.car_purchase"),
    (r"公务用车运行(维护)?(费|支出)", frozenset({"sangong"}), "sangong.car_run"),
    (r"公务接待费|国内公务接待", frozenset({"sangong"}), "sangong.reception"),
    (r"[“\"]?三公[”\"]?经费", None, "sangong.total"),
    (r"人员经费", None, "personnel"),
    (r"公用经费", None, "public"),
    (r"基本支出", frozenset({"basic", "general"}), "general_basic"),
    (r"项目支出", frozenset({"general"}), "general_project"),
    (r"基本支出", None, "basic"),
    (r"项目支出", None, "project"),
    (r"上缴上级支出", None, "to_superior"),
    (r"经营支出", None, "exp_operating"),
    (r"对附属单位补助支出", None, "to_affiliated"),
    (r"财政拨款收入", frozenset({"income", "total", "other"}), "fiscal_income"),
    (r"上级补助收入", None, "inc_superior"),
    (r"事业收入", None, "inc_business"),
    (r"经营收入", None, "inc_operating"),
    (r"附属单位上缴收入", None, "inc_affiliated"),
    (r"其他收入", None, "inc_other"),
]
_COMPILED = [(re.compile(p), c, k) for p, c, k in LEXICON]

# Fixed cells of each key: (table, row, column, side). Column "*" = by role (budget/actual).
FIXED: dict[str, list[tuple[TableKind, str, str, str | None]]] = {
    "inc_grand_total": [(TableKind.T01, "inc_grand_total", "amount", "income")],
    "exp_grand_total": [(TableKind.T01, "exp_grand_total", "amount", "expense")],
    "grand_total": [(TableKind.T01, "inc_grand_total", "amount", "income")],
    "inc_total_year": [(TableKind.T01, "inc_total_year", "amount", "income"), (TableKind.T02, "total", "total", None)],
    "exp_total_year": [(TableKind.T01, "exp_total_year", "amount", "expense"), (TableKind.T03, "total", "total", None)],
    "fiscal_income": [(TableKind.T02, "total", "fiscal", None)],
    "inc_superior": [(TableKind.T02, "total", "superior", None), (TableKind.T01, "inc_superior", "amount", "income")],
    "inc_business": [(TableKind.T02, "total", "business", None), (TableKind.T01, "inc_business", "amount", "income")],
    "inc_operating": [(TableKind.T02, "total", "operating", None), (TableKind.T01, "inc_operating", "amount", "income")],
    "inc_affiliated": [(TableKind.T02, "total", "affiliated", None), (TableKind.T01, "inc_affiliated", "amount", "income")],
    "inc_other": [(TableKind.T02, "total", "other", None), (TableKind.T01, "inc_other", "amount", "income")],
    "basic": [(TableKind.T03, "total", "basic", None)],
    "project": [(TableKind.T03, "total", "project", None)],
    "to_superior": [(TableKind.T03, "total", "to_superior", None)],
    "exp_operating": [(TableKind.T03, "total", "operating", None)],
    "to_affiliated": [(TableKind.T03, "total", "to_affiliated", None)],
    "fiscal_grand_total": [(TableKind.T04, "inc_grand_total", "amount", "income")],
    "fiscal_inc_grand_total": [(TableKind.T04, "inc_grand_total", "amount", "income")],
    "fiscal_exp_grand_total": [(TableKind.T04, "exp_grand_total", "total", "expense")],
    "general_income": [(TableKind.T04, "inc_general_budget", "amount", "income")],
    "general_expense": [(TableKind.T05, "total", "total", None), (TableKind.T04, "exp_total_year", "general", "expense")],
    "general_basic": [(TableKind.T05, "total", "basic", None)],
    "general_project": [(TableKind.T05, "total", "project", None)],
    "personnel": [(TableKind.T06, "personnel_total", "amount", None), (TableKind.T05, "total", "personnel", None)],
    "public": [(TableKind.T06, "public_total", "amount", None), (TableKind.T05, "total", "public", None)],
    "org_running": [(TableKind.T10, "total", "amount", None)],
    "sangong.total": [(TableKind.T09, "total", "*", None)],
    "sangong.abroad": [(TableKind.T09, "abroad", "*", None)],
    "sangong.car": [(TableKind.T09, "car", "*", None)],
    "sangong.car_purchase": [(TableKind.T09, "car_purchase", "*", None)],
    "sangong.car_run": [(TableKind.T09, "car_run", "*", None)],
    "sangong.reception": [(TableKind.T09, "reception", "*", None)],
    **{
        f"proc.{k}": [(TableKind.T11, k, "amount", None)]
        for k in ("total", "goods", "works", "services", "sme", "small_micro")
    },
    **{
        f"count.{k}": [(TableKind.T09S, k, "value", None), (TableKind.T09S, k, "actual", None)]
        for k in (
            "abroad_groups",
            "abroad_persons",
            "car_purchased",
            "vehicles",
            "reception_batches",
            "reception_persons",
            "foreign_reception_batches",
            "foreign_reception_persons",
        )
    },
    **{f"fund.{c}": [(TableKind.T07, "total", c, None)] for _, c in _FUND_WORDS},
    **{f"capital.{c}": [(TableKind.T08, "total", c, None)] for _, c in _FUND_WORDS},
}

# The cells of a budget's tables (部门预算公开) that hold a quantity the text names for certain: the
# totals of the 收支/收入/支出/财政拨款收支 预算总表, the 一般公共预算支出预算表's 合计, 机关运行经费,
# “三公”经费 and 政府采购. 功能分类 and 经济分类 lines are left out: a budget's text names them without
# saying whether it means all funds (收支总表) or 一般公共预算 (支出预算表).
BUDGET_FIXED: dict[str, list[tuple[TableKind, str, str, str | None]]] = {
    "inc_grand_total": [(TableKind.B01, "inc_grand_total", "amount", "income"), (TableKind.B02, "total", "amount", None)],
    "exp_grand_total": [(TableKind.B01, "exp_grand_total", "amount", "expense")],
    "grand_total": [(TableKind.B01, "inc_grand_total", "amount", "income")],
    "basic": [(TableKind.B03, "total", "basic", None), (TableKind.B01, "exp_basic", "amount", "expense")],
    "project": [(TableKind.B03, "total", "project", None), (TableKind.B01, "exp_project", "amount", "expense")],
    "fiscal_grand_total": [(TableKind.B04, "inc_grand_total", "amount", "income")],
    "fiscal_inc_grand_total": [(TableKind.B04, "inc_grand_total", "amount", "income")],
    "fiscal_exp_grand_total": [(TableKind.B04, "exp_grand_total", "amount", "expense")],
    "general_expense": [(TableKind.B05, "total", "total", None)],
    "general_basic": [(TableKind.B05, "total", "basic", None)],
    "general_project": [(TableKind.B05, "total", "project", None)],
    "org_running": [(TableKind.B10, "total", "total", None)],
    "sangong.total": [(TableKind.B09, "total", "amount", None)],
    "sangong.abroad": [(TableKind.B09, "abroad", "amount", None)],
    "sangong.car": [(TableKind.B09, "car", "amount", None)],
    "sangong.car_purchase": [(TableKind.B09, "car_purchase", "amount", None)],
    "sangong.car_run": [(TableKind.B09, "car_run", "amount", None)],
    "sangong.reception": [(TableKind.B09, "reception", "amount", None)],
    **{f"proc.{k}": [(TableKind.B11, k, "amount", None)] for k in ("total", "goods", "works", "services")},
}


def budget_candidate_cells(tables: TableLookup, key: str, role: str) -> tuple[list[Binding], str | None]:
    """:func:`candidate_cells` for a budget: the cells of :data:`BUDGET_FIXED` the document
    prints, most specific first, or ([], reason)."""
    cands = BUDGET_FIXED.get(key)
    if not cands:
        return [], "预算公开文件：该数量在预算表中没有确定的对应单元格（只按说明中的数字核对）"
    if role not in ("value", "actual"):
        return [], "预算公开文件：该数不是预算表所列的数"
    found: list[Binding] = []
    for kind, row, col, cside in cands:
        ti, tab = tables.first(kind)
        if tab is None or tables.cell(tab, row, col, cside) is None:
            continue
        found.append(trusted(Binding, table=kind, table_index=ti, row=row, column=col, side=cside, role=role))
    if found:
        return found, None
    return [], "文档中没有" + "、".join(f"《{TABLE_NAMES[k]}》" for k, *_ in cands) + "的对应单元格"


# Keys naming a whole-table quantity, by the words that define them (for the terms rule).
NAMES: dict[str, str] = {
    "inc_grand_total": "收入总计",
    "exp_grand_total": "支出总计",
    "grand_total": "收入、支出总计",
    "inc_total_year": "本年收入合计",
    "exp_total_year": "本年支出合计",
    "fiscal_grand_total": "财政拨款收入、支出总计",
    "fiscal_inc_grand_total": "财政拨款收入总计",
    "fiscal_exp_grand_total": "财政拨款支出总计",
}


@lru_cache(maxsize=4096)
def norm(label: str) -> str:
    t = _WS.sub("", label)
    return t.replace('"', "“").replace("(", "（").replace(")", "）")


@lru_cache(maxsize=4096)
def lookup(label: str, ctx: str) -> str | None:
    """The quantity key a label names in a section context, or None."""
    t = norm(label)
    if not t:
        return None
    if ctx in ("fund", "capital") and not re.search(r"一般公共预算|三公", t):
        for pat, col in _FUND_WORDS:
            if re.search(pat, t):
                return f"{ctx}.{col}"
    if re.search(r"预算(总额|总数|数)|年初预算|全年预算", t) and ctx != "sangong":
        return None  # a budget figure: the 决算 tables have no cell for it
    other_fund = re.search(r"政府性基金|国有资本经营", t)
    for rx, ctxs, key in _COMPILED:
        if ctxs is not None and ctx not in ctxs:
            continue
        if other_fund and not key.startswith(("fund.", "capital.", "sangong.")):
            continue  # 政府性基金预算项目支出 is not 一般公共预算's 项目支出
        if rx.search(t.replace("（", "(").replace("）", ")")) or rx.search(t):
            return key
    return None


# --- 科目 names -------------------------------------------------------------------------------
# a name is tried from its first character only (the lookbehind), not again from each of its
# characters: a long run of name characters without a level mark was quadratic
_SUBJECT_PATH = re.compile(r"(?<![^（(）)，,。；;：:\d\s、.])(?P<name>[^（(）)，,。；;：:\d\s、.]+)\s*[（(](?P<level>类|款|项)[）)]")
_HAS_LEVEL = re.compile(r"[（(](类|款|项)[）)]")


def subject_parts(text: str) -> list[tuple[str, str]]:
    """``社会保障和就业（类）…（款）…（项）`` → [("类", "社会保障和就业"), ("款", …), ("项", …)]."""
    if ("类" not in text and "款" not in text and "项" not in text) or not _HAS_LEVEL.search(text):
        return []  # (every match holds one of the three: the substring tests are the cheaper)
    return [(m.group("level"), m.group("name")) for m in _SUBJECT_PATH.finditer(norm(text))]


# a 科目 named with its level word, perhaps right after its code (住房改革支出（类）, 2010101行政运行（项）);
# a code is 3, 5 or 7 digits starting with 2 (功能分类) or 3 (经济分类), not the tail of a longer number
_SUBJECT_MARK = re.compile(
    r"(?:(?<!\d)(?P<code>[23]\d{2}(?:\d{2}){0,2})(?!\d))?"
    r"(?<![^（），。；：\d、.．])(?P<name>[^（），。；：\d、.．]+)（(?P<level>类|款|项)）"
)


@dataclass(frozen=True)
class SubjectMark:
    """A 科目 the text names with a level word: its name, the level word, the code printed right
    before the name (None where none is) and the text as printed."""

    name: str
    level: str
    code: str | None
    text: str


def subject_marks(text: str) -> list[SubjectMark]:
    """Every ``名称（类|款|项）`` of a line, with the code printed before the name, in order."""
    if not _HAS_LEVEL.search(text):
        return []
    return [
        SubjectMark(m.group("name"), m.group("level"), m.group("code"), m.group(0))
        for m in _SUBJECT_MARK.finditer(norm(text).replace(",", "，").replace(":", "：").replace(";", "；"))
    ]


_ZHICHU_END = re.compile(r"支出$")
_LEI_MARK = re.compile(r"[（(]类[）)]")


@lru_cache(maxsize=8192)
def _same_name(a: str, b: str) -> bool:
    """Names equal after :func:`norm`, or equal but for a final 支出 (社会保障和就业 vs
    社会保障和就业支出). Cached: compared for every 科目 of the tables, for every path of a text."""
    a, b = norm(a), norm(b)
    if a == b:
        return True
    return _ZHICHU_END.sub("", a) == _ZHICHU_END.sub("", b)


def coded_names(doc: Disclosure) -> dict[str, str]:
    """科目 code → name as printed in the document's own coded tables (05, 03, 02)."""
    out: dict[str, str] = {}
    for kind in (TableKind.T05, TableKind.T03, TableKind.T02):
        for t in doc.tables_of(kind):
            for r in t.rows:
                if r.code and r.label and len(r.code) in (3, 5, 7):
                    out.setdefault(r.code, norm(r.label))
    for code, name in FUNCTION_CLASSES.items():
        out.setdefault(code, name)
    return out


def _name_key(name: str) -> str:
    """What :func:`_same_name` compares: ``_same_name(a, b)`` is ``_name_key(a) == _name_key(b)``
    (names equal after :func:`norm` are also equal without their final 支出)."""
    return _ZHICHU_END.sub("", norm(name))


@dataclass(frozen=True)
class NameIndex:
    """The names of :func:`coded_names` arranged for :func:`resolve_subject` and
    :func:`class_key`, for a reader that asks many times (each then compares one key instead of
    every name)."""

    # code length -> _name_key -> the codes of that length and name, in the names' order
    by_length: dict[int, dict[str, list[str]]]
    # (code, name, _name_key of it, name without its final 支出) of the 类 (3-digit codes), in order
    classes: list[tuple[str, str, str, str]]


def name_index(names: dict[str, str]) -> NameIndex:
    by_length: dict[int, dict[str, list[str]]] = {}
    classes: list[tuple[str, str, str, str]] = []
    for code, n in names.items():
        by_length.setdefault(len(code), {}).setdefault(_name_key(n), []).append(code)
        if len(code) == 3:
            classes.append((code, n, _name_key(n), _ZHICHU_END.sub("", n)))
    return NameIndex(by_length, classes)


PARENTS_DIFFER = "与说明中的上级科目名称不符"  # the problem of a path whose upper names are not the tables'


@dataclass
class SubjectMatch:
    code: str | None
    problem: str | None = None  # why the path does not match the tables' names


def resolve_subject(
    parts: list[tuple[str, str]], names: dict[str, str], lei_hint: str | None = None, index: NameIndex | None = None
) -> SubjectMatch:
    """The 功能分类 code a 类/款/项 name path names, by the tables' own names (``index``: their
    :func:`name_index`, when the caller keeps one)."""
    by_level: dict[str, str] = dict(parts)
    if "类" not in by_level and lei_hint:
        by_level["类"] = lei_hint
    leaf_level = "项" if "项" in by_level else "款" if "款" in by_level else "类"
    length = {"类": 3, "款": 5, "项": 7}
    leaf = by_level[leaf_level]
    if index is not None:
        cands = list(index.by_length.get(length[leaf_level], {}).get(_name_key(leaf), ()))
    else:
        cands = [c for c, n in names.items() if len(c) == length[leaf_level] and _same_name(n, leaf)]
    if not cands:
        return SubjectMatch(None, f"表中没有名为“{leaf}”的{leaf_level}级科目")

    def fits(code: str) -> bool:
        for lvl, n in by_level.items():
            if lvl == leaf_level or length[lvl] > len(code):
                continue
            parent = names.get(code[: length[lvl]])
            if parent is not None and not _same_name(parent, n):
                return False
        return True

    good = [c for c in cands if fits(c)]
    if len(good) >= 1:
        return SubjectMatch(sorted(good)[0])
    c = sorted(cands)[0]
    path = "".join(f"{names.get(c[: length[lv]], '?')}（{lv}）" for lv in ("类", "款", "项") if length[lv] <= len(c))
    return SubjectMatch(c, f"表中“{leaf}”的科目路径为{path}，{PARENTS_DIFFER}")


def class_key(label: str, names: dict[str, str], index: NameIndex | None = None) -> str | None:
    """A bare 类 name (``社会保障和就业支出``, ``卫生健康支出（类）``) → ``func:208`` (``index``: the
    names' :func:`name_index`, when the caller keeps one)."""
    t = norm(label)
    t = _LEI_MARK.sub("", t)  # 卫生健康支出（类）, 一般公共服务（类）支出
    if index is not None:
        tk = _name_key(t)
        long_ = len(t) >= 4
        for code, n, nk, n_short in index.classes:
            if t.endswith(n) or nk == tk or (long_ and t.endswith(n_short)):
                return f"func:{code}"
        return None
    for code, n in names.items():
        if len(code) == 3 and (t.endswith(n) or (_same_name(n, t)) or (len(t) >= 4 and t.endswith(_ZHICHU_END.sub("", n)))):
            return f"func:{code}"
    return None


def econ_key(label: str, doc: Disclosure) -> str | None:
    """A 06表 item name (``基本工资``) → ``econ:30101``."""
    return econ_index(doc).get(norm(label))


def econ_index(doc: Disclosure) -> dict[str, str]:
    """:func:`econ_key` of every 06表 item name (normalised; the first row of a name), for a
    reader that asks many times."""
    t = doc.table(TableKind.T06)
    out: dict[str, str] = {}
    for r in t.rows if t is not None else []:
        if r.code and r.label:
            out.setdefault(norm(r.label), f"econ:{r.side or ''}:{r.code}")
    return out


def perf_table_for(doc: Disclosure, text: str) -> int | None:
    """Index of the 项目支出绩效自评表 whose 项目名称 appears in ``text``."""
    return perf_table_in(perf_names(doc), text)


def perf_names(doc: Disclosure) -> list[tuple[int, str]]:
    """(table index, normalised 项目名称) of each 项目支出绩效自评表 that prints one."""
    out: list[tuple[int, str]] = []
    for i, tab in enumerate(doc.tables):
        if tab.kind is not TableKind.PERF_PROJECT:
            continue
        c = tab.fields.get("project_name")
        name = norm(c.raw) if c else ""
        if name:
            out.append((i, name))
    return out


def perf_table_in(names: list[tuple[int, str]], text: str) -> int | None:
    """:func:`perf_table_for` with the names of :func:`perf_names`: the longest one in ``text``
    (the first of equal length)."""
    best: tuple[int, int] | None = None
    t = norm(text)
    for i, name in names:
        if name in t and (best is None or len(name) > best[0]):
            best = (len(name), i)
    return best[1] if best else None


# --- cells ------------------------------------------------------------------------------------
class TableLookup:
    """The tables of one disclosure as binding asks for them: the first table of each kind with
    its position (what ``Disclosure.table`` and ``Disclosure.table_index`` give) and each table's
    rows by key, and by key and side (the first row of each, what ``Table.row`` finds by searching
    from the top). Built when first asked; one lookup serves one reading, while the tables stay
    as they are."""

    __slots__ = ("doc", "_first", "_rows")

    def __init__(self, doc: Disclosure) -> None:
        self.doc = doc
        self._first: dict[TableKind, tuple[int, Table | None]] | None = None
        # id(table) -> (the table, its rows by key, its rows by key and side); each entry keeps
        # its table so that an id is never taken for another table's
        self._rows: dict[int, tuple[Table, dict[str, Row], dict[tuple[str, str | None], Row]]] = {}

    def first(self, kind: TableKind) -> tuple[int, Table | None]:
        """(position, table) of the first table of ``kind``; (-1, None) when there is none."""
        if self._first is None:
            first: dict[TableKind, tuple[int, Table | None]] = {}
            for i, t in enumerate(self.doc.tables):
                first.setdefault(t.kind, (i, t))
            self._first = first
        return self._first.get(kind, (-1, None))

    def row(self, table: Table, key: str, side: str | None = None) -> Row | None:
        entry = self._rows.get(id(table))
        if entry is None or entry[0] is not table:
            by_key: dict[str, Row] = {}
            by_side: dict[tuple[str, str | None], Row] = {}
            for r in table.rows:
                by_key.setdefault(r.key, r)
                by_side.setdefault((r.key, r.side), r)
            entry = self._rows[id(table)] = (table, by_key, by_side)
        return entry[1].get(key) if side is None else entry[2].get((key, side))

    def cell(self, table: Table, key: str, column: str, side: str | None = None) -> Cell | None:
        """``table.cell(key, column, side)``."""
        r = self.row(table, key, side)
        return None if r is None else r.cells.get(column)

    def bound(self, b: Binding) -> tuple[Table, Cell] | None:
        """(table, cell) of a binding, or None when the cell is not there."""
        if b.table_index >= len(self.doc.tables):
            return None
        tab = self.doc.tables[b.table_index]
        c = tab.fields.get(b.column) if b.row == "fields" else self.cell(tab, b.row, b.column, b.side)
        return (tab, c) if c is not None else None


def _role_column(col: str, role: str) -> str:
    if col != "*":
        return col
    return "budget" if role == "budget" else "actual"


def cells_for(tables: TableLookup, key: str, role: str, ctx: str) -> tuple[Binding | None, str | None]:
    """The cell a quantity restates, or (None, reason)."""
    found, reason = candidate_cells(tables, key, role, ctx, first=True)
    return (found[0], None) if found else (None, reason)


def candidate_cells(
    tables: TableLookup, key: str, role: str, ctx: str, *, first: bool = False
) -> tuple[list[Binding], str | None]:
    """Every cell that holds the quantity (01表 and 02表 both print 本年收入合计), most specific
    first, or ([], reason). ``first``: only the most specific one (the others are not looked for)."""
    doc = tables.doc
    cands: list[tuple[TableKind, str, str, str | None]] = []
    if key.startswith("func:"):
        code: str = key[5:]
        order = [TableKind.T05, TableKind.T03, TableKind.T02] if ctx in ("general", "basic") else [TableKind.T03, TableKind.T05, TableKind.T02]
        if ctx == "income":
            order = [TableKind.T02, TableKind.T03, TableKind.T05]
        if role == "budget":
            return [], "年初预算数不在决算表中（由说明自述）"
        if ctx in ("general", "basic") and tables.first(TableKind.T05)[1] is None:
            # 03表/02表 hold every source of funds: they cannot stand in for the 一般公共预算 amount
            return [], "一般公共预算财政拨款支出决算表缺失，无法核对"
        cands = [(k, code, "total", None) for k in order]
    elif key.startswith("econ:"):
        _, eside, code = key.split(":", 2)
        cands = [(TableKind.T06, code, c, eside or None) for c in ("amount", "personnel", "public")]
    elif key.startswith("perf:"):
        _, idx, field = key.split(":", 2)
        i = int(idx)
        fcol = {"budget": "budget_year", "actual": "actual_year"}.get(role, field)
        ptab = doc.tables[i]
        if fcol not in ptab.fields:
            return [], f"绩效自评表中没有“{fcol}”栏"
        return [Binding(table=ptab.kind, table_index=i, row="fields", column=fcol, role=role)], None
    else:
        cands = FIXED.get(key, [])
        if role == "budget" and not any(c[2] == "*" for c in cands):
            return [], "年初预算数不在决算表中（由说明自述）"
    if not cands:
        return [], "该数量没有对应的表格单元格"
    missing_tables: list[TableKind] = []
    found: list[Binding] = []
    for kind, row, col, cside in cands:
        ti, tab = tables.first(kind)
        if tab is None:
            missing_tables.append(kind)
            continue
        column = _role_column(col, role)
        if tables.cell(tab, row, column, cside) is None:
            continue
        found.append(
            trusted(Binding, table=kind, table_index=ti, row=row, column=column, side=cside, role=role)
        )
        if first:
            break
    if found:
        return found, None
    if missing_tables and len(missing_tables) == len(cands):
        return [], "文档中没有" + "、".join(f"《{TABLE_NAMES[k]}》" for k in dict.fromkeys(missing_tables))
    return [], "表中没有对应的单元格"
