"""Claim extraction: the numeric claims of the narrative's sentences, with their text spans.

A paragraph is read statement by statement (a statement ends at 。！？; the model's sentences also
end at ；, so one statement may hold several sentences) and each number with its unit becomes a
token. What a token says is decided by the words just before it inside its clause:

* ``占 X%`` → a share of the statement's head amount (or of the quantity named after 占);
* ``增加/减少 X 万元``, ``增长/下降 Y%``, ``持平`` → a change against last year of the subject;
* ``(年初)预算 A`` … ``决算 B`` … ``完成 C%`` → a completion against budget;
* ``决算数大于/小于/等于预算数 … 原因`` → a direction word with its reason clause;
* ``X 万元`` after a named quantity → an amount; ``N 辆/批次/人次/个`` → a count;
* ``本表无数据``, ``没有…收入支出`` → a statement that a table is empty.

The subject of a claim is carried the way a reader carries it: a 科目 path standing alone
(``（1）…（款）…（项）。``) names the subject of the next statement, a bare 类 line (``1. 社会保障和
就业支出（类）``) the 类 of the paths below it, and a change without a named subject is about the
amount just stated. Numbers whose role is not recognised become ``other`` claims, so ``explain``
can list them as not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ...model import BindingHow, Claim, ClaimKind, Disclosure, Paragraph, Section, TableKind
from ...tables.numbers import cn_to_int
from ..trusted import trusted
from . import quantities as q
from .numbers import CN_NUMBER, parse_number, places
from .sentences import make_paragraph

_UNIT = r"(?P<unit>万元|亿元|元|万(?![人户亩张件元])|%|％|辆|批次|人次|个|台[（(]套[）)]|台|套|人|分|项|次|家)"
# ``NUMBER`` + unit, written to start with its first digit (the look-behind checks the character
# before that digit), so that a search skips to the digits of a text instead of trying the
# look-behind at every character: the same matches, in half the time.
_TOKEN = re.compile(
    r"(?P<num>\d(?<![\d.A-Za-z]\d)(?:\d{0,2}(?:\s?[,，]\s?\d{3})+(?:\s?\.\s?\d+)?|\d*(?:\s?\.\s?\d+)?))"
    r"\s*" + _UNIT
)
_BARE_PCT = re.compile(r"(?:增长|下降|降低|上升|增幅为?|减幅为?|降幅为?|涨幅为?|占[^，。；\d]{0,20}?的?)\s*(?P<num>\d+(?:\.\d+)?)(?=\s*[。，；,;）)]|$)")
# a numeral is tried from its first character only (the lookbehind): tried from each character of
# a long run of numerals without a unit, the search was quadratic
_CN_TOKEN = re.compile(r"(?<![零〇一二两三四五六七八九十百千])(?P<cn>" + CN_NUMBER.pattern + r")\s*(?P<unit>辆|批次|人次|个)")
_DIGIT = re.compile(r"\d")
_CN_UNIT_CHARS = "辆批人个"  # the first character of each unit of _CN_TOKEN
_STATEMENT_END = re.compile(r"[。！？!?]+[”’」』）)]*")
_CLAUSE = re.compile(r"[，,；;：:]")
# an opening note (含……, 其中……) the words after it belong to; a closed ``（含）`` of a threshold is none
_PAREN_CLAUSE = re.compile(r"[（(](?:含|其中|包括)(?![）)])")
_CHANGE_WORD = re.compile(r"(增加|减少|增长|下降|降低|上升|节约|压减|压缩|减幅|增幅|降幅|涨幅|多支出|少支出)")
_COMPARE = re.compile(r"(比|较|与|同比|上年|上一年|去年|同期)")
_RATE_WORD = re.compile(r"(完成|执行率|支出进度|完成率|执行进度|预算执行)")
_BUDGET_WORD = re.compile(r"(年初预算|全年预算|预算数|调整预算|预算(为|是)?$)")
_ACTUAL_WORD = re.compile(r"(决算|执行数|执行|实际支出|支出)")
_DIRECTION = re.compile(
    r"决算(数)?(?P<word>大于|小于|等于|高于|低于|超过|少于|多于|超出)(年初|全年|调整后的|调整)?(预算)(数)?"
    r"|决算(数)?[与同和](年初|全年|调整后的|调整)?预算(数)?(?P<same>一致|相等|持平|相同|相符)"
)
# a statement's paragraph that ends by announcing its items (其中：), listed in the paragraphs below
_ITEMS_FOLLOW = re.compile(r"其中[：:]?")
_REASON = re.compile(r"原因(是|为|：|:|主要是|在于)?(?P<reason>[^。]*)")
_EMPTY = re.compile(
    r"(本表|该表|此表|公开\d+表)(为)?(空表|无数据|无内容|数据为空)|本表为空|"
    r"没有(发生)?(?P<what>[^，。；]*?)(收入|支出|收支|经费|数据)|"
    r"(年度|本部门|本单位|我部门|我单位)(无|未发生)(?P<what2>[^，。；]{0,30}?)(收入|支出|收支)"
)
_EMPTY_CHARS = "表没无未"  # every match of _EMPTY holds one of these
_YEAR_HEAD = re.compile(r"^(截至)?\d{4}年(度)?(\d{1,2}月\d{1,2}日)?(，|,)?")
_PCT_DOWN = re.compile(r"下降|降低|减少|减幅|降幅")
# a template's alternative left unresolved before the number (增加（减少）, 增加/减少, （增加）（减少）):
# which way the change goes is not written, so it is not read (D-009 names the wording)
_UNRESOLVED = re.compile(r"(增加|减少|增长|下降|上升|降低)）?[（(/／]\s*(增加|减少|增长|下降|上升|降低)")
UNRESOLVED_REASON = "增减方向是模板的待选表述，未选定，无法核对"
_AMOUNT_DOWN = re.compile(r"下降|降低|减少|节约|压减|压缩|少")
# the base a budget amount or a completion rate names; 年度预算 is the 全年预算 (调整后预算数 is
# said of the same base as 调整预算)
_BASE = re.compile(r"(年初|全年|年度|调整后?的?)预算")
_BASE_NAMES = {"年初": "年初预算", "全年": "全年预算", "年度": "全年预算"}


_BASIS_BUDGET = re.compile(r"(比|较|与|同)(上年|上一年|去年|\d{4}年)度?的?预算")
_BASIS_FINAL = re.compile(r"(比|较|与|同)(上年|上一年|去年|\d{4}年)度?的?决算")


_RATIO_BASE = re.compile(r"(年初|全年|调整后?的?|年度)预算|预算数|上年|上一年|去年|同期|计划|目标|标准")


def change_basis(text: str) -> str:
    """What a change compares with, from the words of its statement before it: 上年预算, 上年决算,
    同口径 (a scope made comparable, ``按与上年统计口径一致相比``) or "" (上年, unqualified)."""
    if "口径" in text:
        return "同口径"
    if _BASIS_BUDGET.search(text):
        return "上年预算"
    if _BASIS_FINAL.search(text):
        return "上年决算"
    return ""


def budget_base(clause: str) -> str:
    """The base a clause names for a budget amount or a completion rate ("" when none)."""
    m = _BASE.search(clause)
    if m is None:
        return ""
    return _BASE_NAMES.get(m.group(1), "调整预算")


_NOT_CHANGE = re.compile(r"年初预算|预算数|预算为|决算为|执行数")  # an amount after these is no change
_MONEY = ("万元", "元", "亿元")
# a statement that only announces the parts of the amount before it
_CONNECTOR = re.compile(r"(其中|包括|主要包括|具体包括|分别为|分别是)[：:，,]?")
_LIST_END = re.compile(r"(其中|包括|主要包括|具体包括)[：:]?$")  # ``……合计 X 万元，其中：``
_LIST_MARK = re.compile(r"(?:^|[，,；;：:])(?:其中|包括|主要用于以下(?:几个)?方面)[：:，,]?")
_LEADING_MARK = re.compile(r"^(其中|包括)[：:，,]?")  # ``……总额 X 万元。其中拟购买货物……``
_SHARE_ITEM = re.compile(r"占[^，。；;]*?\d")
_RESPECTIVELY = re.compile(r"分别(为|是)[：:]?")
_CHANGE_END = re.compile(r"(增加|减少|增长|下降|降低|节约|压减|压缩|多支出|少支出)了?$")  # ``基本支出增加 X 万元``
# ``单位价值 100 万元（含）以上设备``; one \s* per gap (two adjacent backtrack quadratically)
_THRESHOLD = re.compile(r"\s*(?:[（(]含[）)]\s*)?(?:及)?以上")
_REASON_HEAD = re.compile(r"(主要)?原因(是|为|：|:)|主要是")  # ``主要原因是基本支出增加……X 万元``
_EXECUTION = re.compile(r"决算|执行数|执行率|预算执行|完成(年初|全年|调整)?预算|实际支出")  # a budget's sentence about execution
# the comparison itself: 比上年预算数, 与上年数相比, 较2016年度
_COMPARISON = re.compile(r"(比|较|与|同)(上年|上一年|上一(?=度)|去年|\d{4}年)(度)?(的)?(预算数|预算|决算数|决算|支出数|数)?(同期)?(相比|比较)?")
# ``本年数小于上年预算数 29.65 万元``: a change said as a comparison
_LAST_STATED = re.compile(r"(比|较)(上年|上一年|去年|\d{4}年)(度)?(的)?(数)?(为)?(?P<num>\d[\d,，]*(\.\d+)?)(?=增加|减少|增长|下降|降低)")
_COMPARED = re.compile(r"(?P<word>小于|低于|少于|大于|高于|多于|超过)(上年|上一年|去年)(度)?(预算数|预算|决算数|支出数|数)?$")
_CHANGE_START = re.compile(r"^(增加|减少|压减|节约)")  # ``……，增加部门预算 1,464.3 万元``
# words that name nothing on their own: the subject is in the clause before the colon
_GENERIC_LABEL = re.compile(r"^(预算)?(支出|收入)(合计|总计)?$")
_BUDGET_SUFFIX = re.compile(r"(预算数|预算)$")
# ``与上年持平``, ``与上年数一致``, ``与上年预算数相等``, ``零增长``: a change of zero
_FLAT = re.compile(
    r"持平|零增长|未发生变化"
    r"|(?:与|和|同|较|比)(?:上年|上一年|去年|\d{4}年)(?:度)?(?:数|预算数|预算|同期)?(?:相比)?(?:保持|基本)?"
    r"(?:一致|相同|相等|没有变化|无变化)"
    r"|等于上年(?:预算)?数"
)
_ORDINAL_STYLES = [
    (re.compile(r"^\s*[（(]\s*\d+\s*[）)]"), "(N)"),
    (re.compile(r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]"), "(C)"),
    (re.compile(r"^\s*\d+\s*[.．、](?!\d)"), "N."),
    (re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]"), "C、"),
    (re.compile(r"^\s*[①-⑳]"), "①"),
]
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+[、是]|\d+[.、．]|[（(]\d+[）)]|[（(][一二三四五六七八九十]+[）)]|[①-⑩])")


@dataclass
class Token:
    start: int  # offsets in the paragraph text
    end: int
    value: Decimal
    unit: str
    text: str


@dataclass
class _Group:
    """A completion (预算 A, 决算 B, 完成 C%) being read."""

    start: int
    label: str
    key: str | None
    problem: str | None = None
    budget_from_cell: bool = False
    how: BindingHow = BindingHow.SAME_CLAUSE  # how its subject was found
    budget: Token | None = None
    actual: Token | None = None
    rate: Token | None = None
    # the budget amounts stated, by the base each names (年初预算, 全年预算, 调整预算; "" for a
    # bare 预算), in the order stated: ``年初预算为0万元，全年预算为321.02万元，支出决算为…``
    bases: dict[str, Token] = field(default_factory=dict)
    rate_base: str = ""  # the base the rate names: 完成年初预算的 → 年初预算; 完成预算的 → ""


@dataclass
class _State:
    """What a reader remembers while reading one section."""

    ctx: str
    heading: str
    funds: str = "all"  # the funds the section speaks of (``q.section_funds``)
    lei: str | None = None  # the 类 of the paths that follow
    pending_subject: str | None = None  # a 科目 path standing alone before its numbers
    last_amount: Claim | None = None
    amounts: dict[str, Claim] = field(default_factory=dict)
    last_completion: Claim | None = None
    open_completion: Claim | None = None  # a completion still waiting for its rate
    last_head: Claim | None = None  # the first amount of the last statement that had one
    last_head_style: str = ""  # the ordinal style of that statement
    # the amounts of the statement just read (the immediately preceding sentence of the next one;
    # a connector standing alone, ``其中：``, is no statement of its own)
    prev_amounts: list[Claim] = field(default_factory=list)
    section_amounts: list[Claim] = field(default_factory=list)  # every amount of the section, in order
    changed: set[int] = field(default_factory=set)  # ids of amounts a change was already said of
    list_head: Claim | None = None  # the amount a list announced with 其中：/包括： is the parts of
    list_style: str | None = None  # the ordinal style of the list's first item (``1.``, ``（1）``, "")
    list_head_style: str | None = None  # the ordinal style of the statement that announced it
    list_open: bool = False  # whether the statement just read announced the list (items follow)
    # the item paragraph just begun names its subject alone (``1. 教育支出（类）…（项）。``): the
    # first amount of a later statement of the paragraph (``年初预算为 A，支出决算为 B``) is the part
    item_pending: bool = False
    stmt_last_year: Claim | None = None  # an amount of last year the statement being read states


def _holds_any(text: str, chars: str) -> bool:
    """Whether ``text`` holds one of ``chars`` (a cheap test before a search that needs one)."""
    for ch in chars:
        if ch in text:
            return True
    return False


def tokens(text: str) -> list[Token]:
    out: list[Token] = []
    # cheap tests first: _TOKEN and _BARE_PCT match only where there is a digit (a _TOKEN match
    # starts with one: the search starts at the first; its look-behind still sees the text before),
    # _CN_TOKEN only where there is one of its units (many statements have none)
    digit = _DIGIT.search(text)
    if digit is None and not _holds_any(text, _CN_UNIT_CHARS):
        return out
    for m in _TOKEN.finditer(text, digit.start()) if digit else ():
        unit = m.group("unit")
        if unit == "％":
            unit = "%"
        elif unit == "万":  # ``0.39万（含…）``: 万元 with the 元 left out
            unit = "万元"
        elif unit == "元":
            u0 = m.start("unit")
            if text[u0 - 1 : u0] == "万":
                continue
        elif unit in ("人", "次"):
            e = m.end()
            if text[e : e + 1] in ("次", "民", "员"):
                continue
        v = _number(m.group("num"))
        if v is None:
            continue
        out.append(Token(m.start(), m.end(), v, unit, m.group(0)))
    merged = False  # whether tokens below were added (out is in text order until then)
    for m in _BARE_PCT.finditer(text) if digit else ():
        # ``增长13.95。``: a rate printed without its %
        v = parse_number(m.group("num"))
        if v is not None and not any(t.start <= m.start("num") < t.end for t in out):
            out.append(Token(m.start("num"), m.end("num"), v, "%", m.group("num") + "（未印%）"))
            merged = True
    for m in _CN_TOKEN.finditer(text) if _holds_any(text, _CN_UNIT_CHARS) else ():
        n = cn_to_int(m.group("cn"))
        if n is None or any(t.start <= m.start() < t.end for t in out):
            continue
        out.append(Token(m.start(), m.end(), Decimal(n), m.group("unit"), m.group(0)))
        merged = True
    if merged:
        out.sort(key=_start)
    return out


def _start(t: Token) -> int:
    return t.start


def _number(num: str) -> Decimal | None:
    """``parse_number(num)``: directly for digits with at most one point (most numbers), which
    have no spaces or commas to remove."""
    if num.replace(".", "", 1).isdecimal():
        return Decimal(num)
    return parse_number(num)


# a page number printed in the middle of a sentence that runs across a page break: ``- 12 -``
_PAGE_MARK = re.compile(r"[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页")


@lru_cache(maxsize=4096)
def clean_label(text: str) -> str:
    t = q.norm(_PAGE_MARK.sub("", text)).lstrip("、").strip()
    for _ in range(3):
        t0 = t
        t = re.sub(r"^(其中|主要包括|包括|分别为|分别是|具体情况如下|主要用于以下方面|主要用于|此外|另外)[：:]?", "", t)
        t = re.sub(r"^(主要原因(是|为)?|原因(是|为)|主要是(因为?|由于)?|[一二三四五]是)[：:]?", "", t)
        t = _ORDINAL.sub("", t)
        t = re.sub(r"^[（(][^（）()]{4,}[）)]", "", t)  # a note in brackets before the words (按……填写)
        t = re.sub(r"^[（(]含[）)]", "", t)  # the （含） of a threshold just before: 100万元（含）以上设备
        t = _YEAR_HEAD.sub("", t)
        t = re.sub(r"^(本部门|我部门|本单位|我单位|部门|全年|本年度|本年度的)(?!收入|支出)", "", t)
        t = re.sub(r"(为|是|共计|合计为|总额为|达到|达|约|共|的|了|：|:|。|，|；)$", "", t)
        t = re.sub(r"(主要用于|用于|主要包括|包括)(以下方面|以下几个方面)?$", "", t)
        if t == t0:
            break
    return t


@lru_cache(maxsize=1024)
def _change_subject(label: str) -> str:
    label = _PAGE_MARK.sub("", label)
    # the comparison itself (比上年预算, 与上年数相比) names no subject
    t = _COMPARISON.sub("", label)
    t = re.sub(r"^(数)?(为)?[\d,，.]+(?=增加|减少|增长|下降|降低)", "", t)  # ``较上年2.08减少``: last year's number
    t = re.sub(r"同比|各|分别|^(本年|本年度|今年)(数)?|^(增减)?相抵(后)?|(按)?(同|可比)口径", "", t)
    m = _CHANGE_WORD.search(t)
    if m is not None and clean_label(t[: m.start()]):
        t = t[: m.start()]  # ``基本支出增加机关事业单位养老保险等``: the subject stands before the word
    t = _CHANGE_WORD.sub("", t)
    t = re.sub(r"(决算数|决算)$", "", t)
    return clean_label(t)


def _statements(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _STATEMENT_END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


class Extractor:
    def __init__(self, doc: Disclosure, tables: q.TableLookup):
        self.doc = doc
        self.tables = tables  # the lookup of ``doc``'s tables (a 三公 预算 is read from 09表)
        self.names = q.coded_names(doc)
        self._names = q.name_index(self.names)  # the same names, for resolve_subject and class_key
        self.claims: list[Claim] = []
        self.year = doc.metadata.year
        # in a budget, ``基本支出预算数为 X 万元`` is an amount of the document, not a 预算 to compare
        # an execution with
        self.budget_doc = bool(doc.metadata.kind and doc.metadata.kind.is_budget)
        self._lists = 0  # lists announced so far (their ids)
        self._abs: dict[int, tuple[int, int]] = {}
        self._cur_stmt: tuple[int, int] = (0, 0)
        self._para_no = 0  # ordinal of the paragraph being read: a stable id for share lists
        self._stmt_of: dict[int, tuple[int, int]] = {}  # completion -> the statement stating it
        # claim -> the completion claim it gives the direction/reason of
        self.links: list[tuple[Claim, Claim]] = []
        self._econ: dict[str, str] | None = None  # 06表 names (``q.econ_index``), when first asked
        self._perf_names: list[tuple[int, str]] | None = None  # 绩效 项目名称 (``q.perf_names``)
        y = self.year
        last_pat = r"上年|上一年|去年" + (f"|{y - 1}年" if y else "")
        cur_pat = r"本年|当年|今年" + (f"|{y}年" if y else "")
        self._year_words = re.compile(f"(?P<last>{last_pat})|(?P<cur>{cur_pat})")  # for _last_year
        # key_for answers by (label, section context, 类 of the paths): the rest of what it reads
        # (the tables' names) is fixed for the reading
        self._keys: dict[tuple[str, str, str | None], tuple[str | None, str | None]] = {}

    def _last_year(self, before: str) -> bool:
        """True when the nearest year word before a number names last year (``上年接待2批次``);
        a comparison (``比上年``, ``与2023年度相比``) is not a year context."""
        if "年" not in before:
            return False  # every year word holds 年
        t = q.norm(before)  # (no whitespace left: a year word after 比 is one after its last character)
        best: tuple[int, bool] | None = None
        for m in self._year_words.finditer(t):
            if m.group("last") and m.start() > 0 and t[m.start() - 1] in "比较与同和":
                continue
            if m.group("last") and t.startswith(("结转", "结余"), m.end()):
                continue  # 上年结转资金: this year's money brought forward, not last year's amount
            best = (m.start(), bool(m.group("last")))
        return bool(best and best[1])

    # -- keys --------------------------------------------------------------------------------
    def key_for(self, label: str, st: _State, *, full: str = "") -> tuple[str | None, str | None]:
        """(quantity key, problem with a 科目 path) for a label."""
        memo = (label, st.ctx, st.lei)
        got = self._keys.get(memo)
        if got is None:
            got = self._keys[memo] = self._key_for(label, st)
        return got

    def _key_for(self, label: str, st: _State) -> tuple[str | None, str | None]:
        parts = q.subject_parts(label)
        if any(lv in ("款", "项") for lv, _ in parts):
            m = q.resolve_subject(parts, self.names, st.lei, self._names)
            return (f"func:{m.code}" if m.code else None), m.problem
        if parts and all(lv == "类" for lv, _ in parts):
            ck = q.class_key(label, self.names, self._names)
            if ck:
                return ck, None
        if st.ctx == "basic":
            ek = self._econ_key(label)
            if ek:
                return ek, None
        key = q.lookup(label, st.ctx)
        if key is not None:
            return key, None
        if parts or st.ctx in ("general", "expense", "income"):
            ck = q.class_key(label, self.names, self._names)
            if ck:
                return ck, None
        if parts and all(lv == "类" for lv, _ in parts):
            ck = q.class_key(label, self.names, self._names)
            if ck:
                return ck, None
        if st.ctx == "basic":
            ek = self._econ_key(label)
            if ek:
                return ek, None
        return None, None

    def _econ_key(self, label: str) -> str | None:
        """``q.econ_key``, with the 06表 names normalised once per reading."""
        if self._econ is None:
            self._econ = q.econ_index(self.doc)
        return self._econ.get(q.norm(label))

    def _perf_key(self, para: str, stmt: str, field_: str) -> str | None:
        if self._perf_names is None:
            self._perf_names = q.perf_names(self.doc)  # once per reading
        idx = q.perf_table_in(self._perf_names, stmt) if stmt else None
        if idx is None:
            idx = q.perf_table_in(self._perf_names, para)
        return f"perf:{idx}:{field_}" if idx is not None else None

    # -- reading -----------------------------------------------------------------------------
    def read(self) -> list[Claim]:
        for sec, chain in _walk(self.doc.sections, []):
            st = _State(ctx=q.section_context(chain), heading=sec.heading, funds=q.section_funds(chain))
            for para in sec.paragraphs:
                mark = len(self.claims)
                try:
                    self.paragraph(para, st)
                except Exception as exc:  # one odd paragraph must not stop the rules of the rest
                    del self.claims[mark:]
                    self._new(ClaimKind.OTHER, para, (0, 0), st, label=para.text[:20],
                              unbound_reason=f"读取本段数字时出错（{type(exc).__name__}），未核对，请报告此问题")  # fmt: skip
        return self.claims

    def _new(self, kind: ClaimKind, para: Paragraph, span: tuple[int, int], st: _State, **kw: object) -> Claim:
        sent = _sentence_at(para, span[0])
        s0 = sent.start if sent else 0
        attrs = dict(kw.pop("attrs", None) or {})  # type: ignore[call-overload]
        attrs["ctx"] = st.ctx
        attrs["funds"] = st.funds
        c = trusted(  # the fields below are of their declared types; attrs is this claim's own dict
            Claim,
            kind=kind,
            sentence=sent.text if sent else para.text,
            span=_clamp(span[0] - s0, span[1] - s0, len(sent.text) if sent else len(para.text)),
            loc=(sent.loc if sent else None) or para.loc,
            section=st.heading,
            attrs=attrs,
            **kw,  # type: ignore[arg-type]
        )
        self._abs[id(c)] = span
        self.claims.append(c)
        return c

    def paragraph(self, para: Paragraph, st: _State) -> None:
        self._para_no += 1
        if not para.sentences and para.text.strip():
            para = make_paragraph(para.text, para.loc)
        text = para.text
        for i, (s0, s1) in enumerate(_statements(text)):
            self.statement(para, text, s0, s1, st, first=(i == 0))

    def statement(self, para: Paragraph, text: str, s0: int, s1: int, st: _State, *, first: bool = True) -> None:
        stmt = text[s0:s1]
        if not stmt.lstrip().startswith("其中") or self._cur_stmt[0] != id(para):
            self._cur_stmt = (id(para), s0)  # ``…。其中：A…；B…。`` continues the statement before
        toks = tokens(stmt)
        for t in toks:
            t.start += s0
            t.end += s0
        st.stmt_last_year = None
        # a 科目 path or a 类 line standing alone sets the subject of what follows
        parts = q.subject_parts(stmt)
        if parts and not toks:
            if all(lv == "类" for lv, _ in parts):
                st.lei = parts[-1][1]
                st.pending_subject = None
            else:
                st.pending_subject = stmt
                lei = [n for lv, n in parts if lv == "类"]
                if lei:
                    st.lei = lei[-1]
        elif parts and any(lv == "类" for lv, _ in parts):
            st.lei = [n for lv, n in parts if lv == "类"][-1]
        self._direction(para, stmt, s0, st)
        self._empty(para, stmt, s0, toks, st)
        if not toks:
            self._flat(para, stmt, s0, st)
            if _CONNECTOR.fullmatch(q.norm(stmt)):
                # ``……总计 X 万元。包括：`` (or ``其中：`` after the reasons): the parts follow
                self._open_list(st.prev_amounts[0] if st.prev_amounts else st.last_head, st, st.last_head_style)
            elif stmt.strip():
                st.prev_amounts = []  # a sentence without amounts stands between
                self._list_role(stmt, first, False, st)
            return
        item = self._list_role(stmt, first, any(t.unit in _MONEY for t in toks), st)
        head_label = clean_label(_CLAUSE.split(text[s0 : toks[0].start])[0])
        stmt_amounts: list[Claim] = []
        group: _Group | None = None
        change: Claim | None = None
        change_seen = 0  # amounts of the statement when ``change`` was made (a % joins it only then)
        in_list = False  # past a ``其中：`` of this statement: the amounts after it are the parts
        list_items: list[Claim] = []
        list_nested = False
        nested = 0  # depth of parentheses at the token (an amount inside （…） is a detail)
        distribute = self._distributed_labels(stmt, s0, toks)
        if _LEADING_MARK.match(q.norm(stmt)) and st.prev_amounts and any(t.unit in _MONEY for t in toks):
            in_list = self._open_list(st.prev_amounts[0], st, st.last_head_style, inside=True)
        prev_end = s0
        for tok in toks:
            before = text[prev_end : tok.start]
            clause = _PAREN_CLAUSE.split(_CLAUSE.split(before)[-1])[-1]
            clause_n = q.norm(_PAGE_MARK.sub("", clause))
            nested += before.count("（") + before.count("(") - before.count("）") - before.count(")")
            if stmt_amounts and _LIST_MARK.search(q.norm(before)):
                if not in_list:
                    in_list = self._open_list(stmt_amounts[-1], st, _ordinal_style(stmt), inside=True)
                else:
                    list_nested = True  # a 其中 of a part: what follows details that part
            prev_end = tok.end
            span = (tok.start, tok.end)
            if tok.unit == "%":
                places_ = places(tok.value)
                if "占" in clause_n:
                    list_total = st.list_head if (in_list or (item and len(stmt_amounts) == 1)) else None
                    self._share(para, stmt, s0, tok, clause_n, stmt_amounts, head_label, st, list_total)
                elif _CHANGE_WORD.search(clause_n):
                    if change is None or "change_pct" in change.attrs or len(stmt_amounts) != change_seen:
                        change = self._change_claim(para, tok, clause_n, stmt_amounts, st, text[s0 : tok.start])
                        change_seen = len(stmt_amounts)
                    change.attrs["change_pct"] = tok.value
                    change.attrs["pct_places"] = places_
                    pdir = -1 if _PCT_DOWN.search(clause_n) else 1
                    change.attrs.setdefault("direction", pdir)
                    change.attrs["pct_direction"] = pdir
                    _unresolved(change, before)
                    change.span = (change.span[0], max(change.span[1], span[1] - (_sentence_start(para, change) or 0)))
                elif _RATE_WORD.search(clause_n):
                    if group is None:
                        group = self._implicit_group(para, stmt, tok, stmt_amounts, st)
                    if group is None:
                        group = self._cell_budget_group(tok, stmt_amounts, st)
                    for prev in stmt_amounts:
                        prev.attrs["seen_rate"] = 1
                    if group is not None:
                        group.rate = tok
                        group.rate_base = budget_base(clause_n)
                        self._close(para, group, st, stmt_amounts, stmt)
                        group = None
                    elif st.open_completion is not None and st.open_completion.sentence != _sentence_text(para, tok.start):
                        # ``年初预算为A，支出决算为B。完成年初预算的C%。``
                        oc = st.open_completion
                        oc.attrs["rate"] = tok.value
                        oc.attrs["pct_places"] = places_
                        oc.attrs["rate_text"] = _sentence_text(para, tok.start)
                        oc.attrs["rate_base"] = budget_base(clause_n)
                        oc.how = BindingHow.PREVIOUS_SENTENCE
                        st.open_completion = None
                    else:
                        self._new(ClaimKind.OTHER, para, span, st, value=tok.value, unit="%", label=clean_label(clause),
                                  unbound_reason="完成率前没有预算数和决算数，无法核对")  # fmt: skip
                else:
                    self._new(ClaimKind.OTHER, para, span, st, value=tok.value, unit="%", label=clean_label(clause),
                              unbound_reason="未识别该百分数所述的比率")  # fmt: skip
                continue
            if tok.unit in ("万元", "元", "亿元"):
                value = tok.value
                compared = _COMPARED.search(clause_n)
                if compared is not None:
                    change = self._change_claim(para, tok, clause_n[: compared.start()], stmt_amounts, st,
                                                text[s0 : tok.start])  # fmt: skip
                    change_seen = len(stmt_amounts)
                    change.attrs["change_amount"] = value
                    change.attrs["direction"] = -1 if compared.group("word") in ("小于", "低于", "少于") else 1
                    continue
                if (
                    _CHANGE_WORD.search(clause_n)
                    and (
                        _COMPARE.search(q.norm(stmt))
                        or _CHANGE_END.search(clause_n)
                        or _CHANGE_START.match(clause_n)
                        or _REASON_HEAD.match(q.norm(stmt))
                    )
                    and not _NOT_CHANGE.search(_COMPARISON.sub("", clause_n))
                ):
                    change = self._change_claim(para, tok, clause_n, stmt_amounts, st, text[s0 : tok.start])
                    change_seen = len(stmt_amounts)
                    change.attrs["change_amount"] = value
                    change.attrs["direction"] = -1 if _AMOUNT_DOWN.search(clause_n) else 1
                    _unresolved(change, before)
                    continue
                is_budget = bool(_BUDGET_WORD.search(clause_n)) and "决算" not in clause_n and "执行" not in clause_n
                if is_budget and self.budget_doc and not _EXECUTION.search(q.norm(stmt)):
                    is_budget = False  # a budget's own amounts: 基本支出预算数为 X 万元
                if is_budget and group is not None and group.budget is not None and group.actual is None:
                    base = budget_base(clause_n)
                    rest = re.sub(r"(年初|全年|年度|调整后?的?)?预算(数)?(为|是)?$", "", clause_n)
                    if base not in group.bases and not clean_label(rest):
                        # ``年初预算为 A 万元，全年预算为 B 万元，支出决算为 C 万元``: two bases of one
                        # completion, not a second completion with a subject of its own
                        group.bases[base] = tok
                        continue
                if is_budget:
                    if group is not None:
                        self._close(para, group, st, stmt_amounts, stmt)
                    label = re.sub(r"(年初预算|全年预算|调整预算|预算)(数)?(为|是)?$", "", clause_n)
                    label = re.sub(r"项目$", "", clean_label(label)) if st.ctx == "perf" else clean_label(label)
                    group = _Group(start=tok.start, label=label, key=None)
                    group.budget = tok
                    group.bases[budget_base(clause_n)] = tok
                    self._group_subject(group, para, stmt, st)
                    continue
                if group is not None and group.actual is None and _ACTUAL_WORD.search(clause_n):
                    group.actual = tok
                    continue
                if group is not None and group.actual is not None and group.rate is None and _ACTUAL_WORD.search(clause_n):
                    # 实际支出, 结转 … after the 执行数: other numbers of the same completion
                    self._new(ClaimKind.OTHER, para, span, st, value=value, unit=tok.unit, label=clean_label(clause),
                              unbound_reason="预算执行情况中的其他金额，未与表格核对")  # fmt: skip
                    continue
                if _THRESHOLD.match(text, tok.end):
                    self._new(ClaimKind.OTHER, para, span, st, value=value, unit=tok.unit, label=clean_label(clause),
                              unbound_reason="金额标准（……以上），不是所述的金额")  # fmt: skip
                    continue
                if self._last_year(text[s0 : tok.start]):
                    st.stmt_last_year = self._new(
                        ClaimKind.AMOUNT, para, span, st, value=value, unit=tok.unit, label=clean_label(clause),
                        year=(self.year - 1) if self.year else None, unbound_reason="上年数，决算表中没有")  # fmt: skip
                    continue
                label = clean_label(clause)
                if _GENERIC_LABEL.match(label) or not label:
                    # ``1.住房公积金(项):支出1,073.77万元``: the words before the colon name it
                    parts_ = re.split(r"[：:]", _PAREN_CLAUSE.split(re.split(r"[，,；;。]", before)[-1])[-1])
                    if len(parts_) >= 2 and clean_label("".join(parts_[-2:])):
                        label = clean_label("".join(parts_[-2:]))
                how = BindingHow.SAME_CLAUSE
                if id(tok) in distribute:
                    label = distribute[id(tok)]  # ``A、B分别为 x、y 万元``
                    how = BindingHow.EXPLICIT
                if not label and st.pending_subject:
                    label = clean_label(st.pending_subject)
                    how = BindingHow.PREVIOUS_SENTENCE
                if self.budget_doc:
                    label = _BUDGET_SUFFIX.sub("", label) or label
                if st.ctx == "perf":
                    # project funds of 绩效 sentences are not the accounts' cells
                    c = self._new(ClaimKind.AMOUNT, para, span, st, value=value, unit=tok.unit, label=label,
                                  unbound_reason="绩效评价中的资金数，不与决算表核对", how=how, candidates=1)  # fmt: skip
                    stmt_amounts.append(c)
                    st.last_amount = c
                    continue
                key, problem = self.key_for(label, st)
                c = self._new(ClaimKind.AMOUNT, para, span, st, value=value, unit=tok.unit, label=label,
                              quantity=key or "", how=how, candidates=1)  # fmt: skip
                if problem:
                    c.attrs["subject_problem"] = problem
                if nested > 0:
                    c.attrs["nested"] = 1
                stmt_amounts.append(c)
                st.section_amounts.append(c)
                if in_list and nested <= 0 and not list_nested:
                    list_items.append(c)
                if key:
                    st.amounts[key] = c
                st.last_amount = c
                continue
            # counts and other units
            if tok.unit in ("辆", "批次", "人次", "个") and self._last_year(text[s0 : tok.start]):
                self._new(ClaimKind.COUNT, para, span, st, value=tok.value, unit=tok.unit, label=clean_label(clause),
                          year=(self.year - 1) if self.year else None, unbound_reason="上年数，决算表中没有")  # fmt: skip
                continue
            self._count(para, tok, clause_n, st, text[s0 : tok.start])
        if group is not None:
            self._close(para, group, st, stmt_amounts, stmt)
        if _holds_any(stmt, "平致同等变零") and _FLAT.search(stmt) and not any(
            c.kind is ClaimKind.CHANGE and c.sentence == _sentence_text(para, s0) and c.attrs.get("change_amount") == 0
            for c in self.claims[-3:]
        ):
            self._flat(para, stmt, s0, st, stmt_amounts)
        amounts = stmt_amounts  # (a completion took its two amounts out)
        if in_list:
            gone = {id(c) for c in list_items} - {id(c) for c in amounts}
            for c in list_items:
                if id(c) not in gone:
                    self._add_part(c, st)
            if not list_items or list_nested:
                st.list_head = None  # 其中 with no amount after it: no list; a nested one: no more items
            st.list_style = ""  # the parts stood in this statement; more may follow, one a paragraph
            st.list_open = False
        elif item and amounts:
            self._add_part(amounts[0], st)
        if _LIST_END.search(q.norm(stmt)) and amounts and not in_list:
            self._open_list(amounts[0], st, _ordinal_style(stmt))  # ``……合计 X 万元，其中：``
        if amounts:
            st.last_head = amounts[0]
            st.last_head_style = _ordinal_style(stmt)
        st.prev_amounts = amounts
        st.pending_subject = None  # it named the subject of this statement's numbers

    # -- lists -------------------------------------------------------------------------------
    def _open_list(self, head: Claim | None, st: _State, style: str | None, *, inside: bool = False) -> bool:
        """``head`` announces its parts (``其中：``/``包括：``): the amounts that follow, one a
        list item, are its parts (see :meth:`_list_item`)."""
        if head is None or head.value is None or head.attrs.get("nested"):
            st.list_head = None
            return False
        self._lists += 1
        head.attrs["list_head"] = f"L{self._lists}"
        st.list_head = head
        st.list_style = "" if inside else None
        st.list_head_style = style
        st.list_open = not inside
        return True

    def _add_part(self, c: Claim, st: _State) -> None:
        head = st.list_head
        if head is None or c is head or c.value is None or c.year is not None:
            return
        c.attrs["list_part"] = str(head.attrs["list_head"])

    def _list_role(self, stmt: str, first: bool, has_amount: bool, st: _State) -> bool:
        """Whether the first amount of a statement read after a list's head is one of its parts
        (closing the list when the statement shows it is over). Items are the paragraphs of the
        first item's ordinal style (``1.``, ``（1）``); a paragraph of another style is a detail of
        an item (skipped); one of the head's style, one beginning 此外, or text without an ordinal
        ends the list. Without ordinals, only paragraphs stating a share (``项目支出 X 万元，占 Y%；``)
        are items."""
        if st.list_head is None:
            return False
        if st.list_open:
            st.list_open = False
            if not has_amount:
                style = _ordinal_style(stmt)
                if style and st.pending_subject == stmt:
                    st.list_style, st.item_pending = style, True  # ``1. 某（项）。`` and its numbers after
                    return False
                st.list_open = not stmt.strip()
                return False
            st.list_style = _ordinal_style(stmt)
            return True
        if not first:
            if st.item_pending and has_amount:
                st.item_pending = False
                return True
            return False  # the rest of an item's paragraph: its change, its reasons
        st.item_pending = False
        style = _ordinal_style(stmt)
        norm = q.norm(stmt)
        if norm.startswith("此外") or (style and style == st.list_head_style):
            st.list_head = None
            return False
        if not has_amount:
            if not style:
                st.list_head = None  # a paragraph of text: the list is over
            elif style == st.list_style and st.pending_subject == stmt:
                st.item_pending = True
            return False
        if st.list_style and style == st.list_style:
            return True
        if not st.list_style and not style and _SHARE_ITEM.search(norm):
            return True
        if style and st.list_style and style != st.list_style:
            return False  # a detail of the item before (``（1）…`` under ``1．…``)
        st.list_head = None
        return False

    def _distributed_labels(self, stmt: str, s0: int, toks: list[Token]) -> dict[int, str]:
        """``因公出国（境）费、公务用车购置及运行费、公务接待费分别为 0 万元、0 万元、0.18 万元``:
        the names before 分别为, one for each amount after it (by position)."""
        m = _RESPECTIVELY.search(stmt) if "分别" in stmt else None
        if m is None:
            return {}
        names_text = _CLAUSE.split(stmt[: m.start()])[-1]
        after = [t for t in toks if t.unit in _MONEY and t.start - s0 >= m.end()]
        names = [n for n in (clean_label(x) for x in names_text.split("、")) if n]
        if len(names) == len(after) - 1 and names:
            # ``A、B和C分别为``: the last two joined by 和/与
            last = re.split(r"[和与]", names[-1])  # (及 stays: 公务用车购置及运行费)
            names = names[:-1] + [n for n in (clean_label(x) for x in last) if n]
        if len(names) < 2 or len(after) != len(names):
            return {}
        return {id(t): n for t, n in zip(after, names, strict=True)}

    # -- claim builders ----------------------------------------------------------------------
    def _change_claim(self, para: Paragraph, tok: Token, clause: str, stmt_amounts: list[Claim], st: _State,
                      earlier: str = "") -> Claim:  # fmt: skip
        label = _change_subject(clause)
        key, _ = self.key_for(label, st) if label else (None, None)
        if key is None and not label and not stmt_amounts and earlier:
            # ``项目支出增加，较上年增加X万元``: the quantity named in an earlier clause
            for prev in reversed(_CLAUSE.split(earlier)[:-1]):
                cand = _change_subject(q.norm(prev))
                k2 = self.key_for(cand, st)[0] if cand else None
                if k2:
                    label, key = cand, k2
                    break
        subject, how, n = self._change_subject_of(label, key, stmt_amounts, st)
        last_stated = _LAST_STATED.search(clause)
        if subject is not None and not label:
            key, label = subject.quantity or None, subject.label
        elif subject is not None and not key:
            key = subject.quantity or None
        c = self._new(ClaimKind.CHANGE, para, (tok.start, tok.end), st, label=label, quantity=key or "", unit="万元",
                      value=subject.value if subject is not None else None, how=how, candidates=n,
                      attrs={"basis": change_basis(q.norm(earlier) + clause)})  # fmt: skip
        if subject is not None:
            c.attrs["current_from_text"] = 1
            st.changed.add(id(subject))
        if last_stated is not None:
            # ``较上年2.08减少0.03万元``: last year's amount, printed without its unit
            v = parse_number(last_stated.group("num"))
            if v is not None:
                c.attrs["last_year_amount"] = v
                if subject is None:
                    c.how, c.candidates = BindingHow.SAME_CLAUSE, 1
        elif st.stmt_last_year is not None and st.stmt_last_year.value is not None and not label:
            # ``与2016年度相比（2016年度……为 8,648.07 万元），增加 498.72 万元，增长 5.77%``: the
            # sentence states last year's amount instead of this year's
            c.attrs["last_year_amount"] = st.stmt_last_year.value
            c.how, c.candidates = BindingHow.SAME_CLAUSE, 1
        return c

    def _change_subject_of(
        self, label: str, key: str | None, stmt_amounts: list[Claim], st: _State
    ) -> tuple[Claim | None, BindingHow, int]:
        """The amount a change is said of, how it was found and how many amounts could be it.

        The amount stated just before the change in the same sentence, or (none there) the one
        amount of the immediately preceding sentence, whatever quantity it is; a change naming
        its subject (``与上年相比，支出总计减少…``) is of the amount of that name."""
        here = stmt_amounts
        if label:
            for pool in (here, st.prev_amounts):
                named = [c for c in reversed(pool) if self._same_subject(label, key, c)]
                if named:
                    return named[0], BindingHow.EXPLICIT, len({c.value for c in named})
            earlier = [c for c in reversed(st.section_amounts) if self._same_subject(label, key, c, strict=True)]
            if earlier:
                return earlier[0], BindingHow.EXPLICIT, 1
        if label:
            # named, and not as any amount stated before: its amount is not in the text (a 决算's
            # table may hold it)
            return None, BindingHow.EXPLICIT, 1
        if here:
            return here[-1], BindingHow.SAME_CLAUSE, 1
        if len(st.prev_amounts) == 1:
            prev = st.prev_amounts[0]
            return prev, BindingHow.PREVIOUS_SENTENCE, 2 if id(prev) in st.changed else 1
        head = st.list_head
        if head is not None and st.prev_amounts and all(
            c.attrs.get("list_part") == head.attrs.get("list_head") for c in st.prev_amounts
        ):
            # ``X 万元。其中：A、B、C。同口径比上年减少…``: the total the parts were listed of
            return head, BindingHow.INHERITED, 1
        if st.prev_amounts:
            # ``…其中：A…；B…。与上年相比，增加…``: the head of the statement before, most likely
            return st.prev_amounts[0], BindingHow.PREVIOUS_SENTENCE, len(st.prev_amounts)
        subject = st.last_head or st.last_amount
        return subject, BindingHow.INHERITED, 1 if subject is not None else 0

    def _same_subject(self, label: str, key: str | None, c: Claim, *, strict: bool = False) -> bool:
        """Whether a change's ``label`` names the quantity of the amount ``c``: the same key, or
        the same words once the department, the year and 预算/总计 words are set aside (one
        containing the other, unless ``strict``)."""
        if key and c.quantity:
            return key == c.quantity
        a, b = self._subject_words(label), self._subject_words(c.label)
        if not a or not b:
            return False
        if a == b:
            return True
        return not strict and min(len(a), len(b)) >= 2 and (a in b or b in a)

    def _subject_words(self, label: str) -> str:
        t = q.norm(label)
        dept = self.doc.metadata.department
        if dept:
            t = t.replace(q.norm(dept), "")
        return _subject_core(t)

    def _flat(self, para: Paragraph, stmt: str, s0: int, st: _State, stmt_amounts: list[Claim] | None = None) -> None:
        """``与上年持平`` / ``与上年数一致`` without numbers: a change of zero."""
        if not _holds_any(stmt, "平致同等变零"):
            return
        made = False
        for m in _FLAT.finditer(stmt):
            if made and m.group(0) in ("零增长", "未发生变化"):
                continue  # ``本年数与上年数持平，零增长``: one change of zero said twice
            made = True
            before = stmt[: m.start()]
            clause = _CLAUSE.split(before)[-1]
            if re.search(r"决算(数)?[与同和](年初|全年|调整)?预算", clause) or re.search(r"决算|执行", m.group(0)):
                continue
            label = _change_subject(re.sub(r"(与|和|同|较|比)(上年|上一年|去年|\d{4}年).*$", "", q.norm(clause)))
            label = re.sub(r"(本年数|本年)$", "", label)
            key, _ = self.key_for(label, st) if label else (None, None)
            # of an amount said before it: ``甲 1.93 万元，与上年持平；乙 0.62 万元，……`` is 甲's
            earlier = [c for c in stmt_amounts or [] if self._abs.get(id(c), (0, 0))[0] < s0 + m.start()]
            subject, how, n = self._change_subject_of(label, key, earlier, st)
            if subject is not None and not label:
                key, label = subject.quantity or None, subject.label
            self._new(ClaimKind.CHANGE, para, (s0 + m.start(), s0 + m.end()), st, label=label, quantity=key or "",
                      unit="万元", value=subject.value if subject else None, how=how, candidates=n,
                      attrs={"direction": 0, "change_amount": Decimal(0), "basis": change_basis(q.norm(clause))})  # fmt: skip

    def _share(self, para: Paragraph, stmt: str, s0: int, tok: Token, clause: str, stmt_amounts: list[Claim],
               head_label: str, st: _State, list_total: Claim | None = None) -> None:  # fmt: skip
        """``占 X%``: of the amount before it in the sentence (the part), of the quantity named
        after 占 or (none named) of the list the part belongs to (``list_total``), else of the
        sentence's head amount."""
        pre, after = clause.split("占", 1)
        after = re.sub(r"(的|比|比例|比重|为|是)+$", "", after).strip()
        part = stmt_amounts[-1] if stmt_amounts else None
        part_label = clean_label(re.sub(r"^(所|其|该项|该)|(所|约)$", "", pre))
        part_how = BindingHow.SAME_CLAUSE
        if part_label and part is not None and not self._same_subject(part_label, self.key_for(part_label, st)[0], part):
            part = None  # ``货物采购授予中小企业合同金额占货物支出金额的 0%``: a part named, its amount not stated
        elif part is None and not part_label and len(st.prev_amounts) == 1:
            # ``……支出 X 万元。与上年相比……，占本年支出合计的 100%``: the amount of the sentence before
            part, part_how = st.prev_amounts[0], BindingHow.PREVIOUS_SENTENCE
        total: Claim | None = None
        total_key: str | None = None
        total_label = after
        total_how = BindingHow.INHERITED
        list_id: str | None = None
        if after:
            total_key, _ = self.key_for(after, st)
            total_how = BindingHow.EXPLICIT
            named = [c for c in reversed(stmt_amounts) if c is not part and self._same_subject(after, total_key, c)]
            if not named:
                named = [c for c in reversed(st.prev_amounts) if self._same_subject(after, total_key, c)]
            if not named:
                named = [c for c in reversed(st.section_amounts)
                         if c is not part and self._same_subject(after, total_key, c, strict=True)]  # fmt: skip
            if named:
                total = named[0]
            elif total_key:
                total = st.amounts.get(total_key)
                if total is part:
                    total = None
        elif list_total is not None and list_total is not part:
            # the head a 其中：/包括： announced: ``……合计 X 万元，其中：`` ``基本支出 Y 万元，占 Z%；``
            total = list_total
            total_key, total_label = total.quantity or None, total.label
            total_how = BindingHow.SAME_CLAUSE if total in stmt_amounts else BindingHow.EXPLICIT
            list_id = str(total.attrs.get("list_head") or "") or None
        else:
            # the list head: the statement's first amount, unless that amount is itself the
            # first part of the list (``…决算中，A 0万元，占0%；B …``), then the words before it
            head = stmt_amounts[0] if stmt_amounts else None
            if head is not None and (head is part or head.attrs.get("share_part")):
                head = None
            if part is not None:
                part.attrs["share_part"] = 1
            if head is not None:
                total = head
                total_key, total_label = total.quantity or None, total.label
                total_how = BindingHow.SAME_CLAUSE
            else:
                # ``“三公”经费支出决算中，A…，占…``: the quantity the sentence opens with
                total_label = re.sub(r"(中|当中|之中)$", "", head_label)
                total_key, _ = self.key_for(total_label, st)
                if total_key:
                    total_how = BindingHow.EXPLICIT
                    total = st.amounts.get(total_key)
                    if total is part:
                        total = None
        how = (part_how if part_how is not BindingHow.SAME_CLAUSE else total_how) if part is not None else BindingHow.INHERITED
        attrs: dict[str, Decimal | str | int | None] = {
            "pct_places": places(tok.value),
            "part": part.value if part else None,
            "part_key": (part.quantity or None) if part else None,
            "part_unit": part.unit if part else None,
            "share_of": total.value if total else None,
            "share_of_key": total_key,
            "share_of_label": total_label,
            # 占年初预算的 118%, 占上年的 95%: a ratio to a base of comparison, not a part of a whole
            "ratio": 1 if total_label and _RATIO_BASE.search(q.norm(total_label)) else None,
            "total_how": total_how.value,
            "list": list_id or f"{self._para_no}:{s0}:{total_key or total_label}",
        }
        self._new(ClaimKind.SHARE, para, (tok.start, tok.end), st, value=tok.value, unit="%",
                  label=f"{part.label if part else part_label}占{total_label}", quantity=(part.quantity if part else ""),
                  attrs=attrs, how=how, candidates=1)  # fmt: skip

    def _group_subject(self, g: _Group, para: Paragraph, stmt: str, st: _State) -> None:
        label = g.label
        if not label and st.pending_subject:
            label = st.pending_subject
            g.how = BindingHow.PREVIOUS_SENTENCE
        if st.ctx == "perf":
            key = self._perf_key(para.text, stmt, "actual_year")
            name = ""
            if key:
                c = self.doc.tables[int(key.split(":")[1])].fields.get("project_name")
                name = c.raw if c else ""
            if not name:
                # from the first printed character: a paragraph opening with a long run of spaces
                # made the name (which may hold spaces) be tried after each of them
                head = re.match(r"(?:\d+[.、．]\s*)?(?P<name>[^：:，,。]{2,40}?)项目(?:绩效)?(?:自评|[：:])", para.text.lstrip())
                name = head.group("name") if head else ""
            g.key, g.label = key, name or clean_label(label) or "项目"
            return
        if not label:
            label = {"sangong": "“三公”经费", "general": "一般公共预算财政拨款支出"}.get(st.ctx, "")
            g.how = BindingHow.INHERITED  # the section's quantity
        key, problem = self.key_for(label, st)
        g.key, g.label, g.problem = key, clean_label(label), problem

    def _implicit_group(self, para: Paragraph, stmt: str, tok: Token, stmt_amounts: list[Claim], st: _State) -> _Group | None:
        """``A 万元，全年支出 B 万元，支出进度为 C%``: the two amounts before the rate."""
        if len(stmt_amounts) < 2:
            return None
        a, b = stmt_amounts[-2], stmt_amounts[-1]
        # only ``A（预算）…，全年支出/执行 B`` since the last rate of the statement
        if a.attrs.get("seen_rate") or b.attrs.get("seen_rate"):
            return None
        if "决算" in a.label or not re.search(r"支出|执行|使用", b.label):
            return None
        # they become the budget and actual of a completion, not amounts of their own
        gone = {id(a), id(b)}
        self.claims = [x for x in self.claims if id(x) not in gone]
        stmt_amounts[:] = [x for x in stmt_amounts if id(x) not in gone]
        st.section_amounts[:] = [x for x in st.section_amounts if id(x) not in gone]
        (a0, a1), (b0, b1) = self._abs[id(a)], self._abs[id(b)]
        g = _Group(start=a0, label=a.label, key=None)
        g.budget = Token(a0, a1, a.value or Decimal(0), a.unit, "")
        g.actual = Token(b0, b1, b.value or Decimal(0), b.unit, "")
        if st.ctx == "perf":
            g.key = None
        return g

    def _cell_budget_group(self, tok: Token, stmt_amounts: list[Claim], st: _State) -> _Group | None:
        """``因公出国（境）费决算为0.00万元，完成预算的0%``: the 决算 stated, the 预算 in 09表."""
        fresh = [c for c in stmt_amounts if not c.attrs.get("seen_rate")]
        if not fresh or not fresh[-1].quantity.startswith("sangong."):
            return None
        a = fresh[-1]
        b, _ = q.cells_for(self.tables, a.quantity, "budget", st.ctx)
        got = self.tables.bound(b) if b is not None else None
        if got is None:
            return None
        budget = got[1].value or Decimal(0)
        start, end = self._abs[id(a)]
        self.claims = [x for x in self.claims if x is not a]
        stmt_amounts[:] = [x for x in stmt_amounts if x is not a]
        st.section_amounts[:] = [x for x in st.section_amounts if x is not a]
        g = _Group(start=start, label=a.label, key=a.quantity)
        g.budget = Token(start, start, budget, "万元", "")
        g.actual = Token(start, end, a.value or Decimal(0), a.unit, "")
        g.budget_from_cell = True
        return g

    def _close(self, para: Paragraph, g: _Group, st: _State, stmt_amounts: list[Claim], stmt: str) -> None:
        end = max(t.end for t in (g.budget, g.actual, g.rate, *g.bases.values()) if t is not None)
        budget = g.budget
        if g.rate is not None and g.rate_base and g.rate_base in g.bases:
            budget = g.bases[g.rate_base]  # the rate is of the base it names, whichever was stated first
        attrs: dict[str, Decimal | str | int | None] = {
            "budget": budget.value if budget else None,
            "actual": g.actual.value if g.actual else None,
        }
        if budget is not None and not g.budget_from_cell:
            # the base of ``budget`` (``budget_base``), every base stated (``budget:年初预算`` …) and
            # the base the rate names (``rate_base``): N-006 and N-015 judge a rate by its own base
            attrs["budget_base"] = next((b for b, t in g.bases.items() if t is budget), "")
            if len(g.bases) > 1:
                for b, t in g.bases.items():
                    attrs[f"budget:{b or '预算'}"] = t.value
        if g.rate is not None:
            attrs["rate_base"] = g.rate_base
        if g.problem:
            attrs["subject_problem"] = g.problem
        if g.budget_from_cell:
            attrs["budget_from_table"] = 1
        if g.rate is not None:
            attrs["rate"] = g.rate.value
            attrs["pct_places"] = places(g.rate.value)
        c = self._new(ClaimKind.COMPLETION, para, (g.start, end), st, label=g.label, quantity=g.key or "",
                      value=g.actual.value if g.actual else None, unit="万元", attrs=attrs, how=g.how,
                      candidates=1)  # fmt: skip
        tail = para.text[end:]
        nxt = _STATEMENT_END.search(tail)
        own = tail[: nxt.start()] if nxt else tail
        if "原因" in own:
            attrs["reason"] = _REASON.search(own).group("reason") if _REASON.search(own) else ""  # type: ignore[union-attr]
        if nxt is not None and _ITEMS_FOLLOW.fullmatch(tail[nxt.end() :].strip()):
            c.attrs["items_follow"] = 1  # ``……完成年初预算的 118.7%。其中：`` and the items below
        self._stmt_of[id(c)] = self._cur_stmt
        if g.actual is not None:
            # what a change said after it is of: its 决算 (``……完成预算的 0%，与上年持平``)
            c.attrs["seen_rate"] = 1
            stmt_amounts.append(c)
            st.section_amounts.append(c)
        st.last_completion = c
        st.open_completion = c if g.rate is None and g.budget is not None and g.actual is not None else None
        if g.key and g.actual is not None:
            st.amounts[g.key] = c
            st.last_amount = c

    def _direction(self, para: Paragraph, stmt: str, s0: int, st: _State) -> None:
        m = _DIRECTION.search(stmt) if "决算" in stmt else None  # every match starts with 决算
        if not m:
            return
        if m.group("same"):
            direction = 0
        else:
            direction = 1 if m.group("word") in ("大于", "高于", "超过", "多于", "超出") else -1 if m.group("word") in ("小于", "低于", "少于") else 0
        r = _REASON.search(stmt, m.end())
        reason = r.group("reason").strip() if r else ""
        target = st.last_completion
        subject = clean_label(_CLAUSE.split(stmt[: m.start()])[-1])
        key = self.key_for(subject, st)[0] if subject else None
        if key:
            # ``“三公”经费支出决算数小于预算数``: the completion of that quantity, not the last one
            named = [c for c in self.claims if c.kind is ClaimKind.COMPLETION and c.quantity == key and c.section == st.heading]
            if named:
                target = named[-1]
        c = self._new(ClaimKind.DIRECTION, para, (s0 + m.start(), s0 + m.end()), st, label=m.group(0),
                      quantity=(target.quantity if target else ""), attrs={"direction": direction, "reason": reason})  # fmt: skip
        if target is not None:
            self.links.append((c, target))
            if reason or direction == 0:
                target.attrs["reason"] = reason or "一致"
                # the reason of a total also covers its items stated between them
                # (``“三公”经费…，其中：A…；B…。“三公”经费支出决算数小于预算数的主要原因：…``);
                # an unnamed reason covers the completions of the statement just before it
                same_stmt = self._stmt_of.get(id(target))
                for prev in reversed(self.claims[:-1]):
                    if prev is target and key:
                        break
                    if prev.section != st.heading or (prev.kind is ClaimKind.DIRECTION and prev is not c):
                        break
                    if prev.kind is not ClaimKind.COMPLETION or prev.attrs.get("reason"):
                        continue
                    if key or self._stmt_of.get(id(prev)) == same_stmt:
                        prev.attrs["reason"] = reason or "一致"

    def _empty(self, para: Paragraph, stmt: str, s0: int, toks: list[Token], st: _State) -> None:
        m = _EMPTY.search(stmt) if _holds_any(stmt, _EMPTY_CHARS) else None
        if not m or any(t.value != 0 for t in toks):
            return
        words = m.group(0)
        # ``没有发生因公出国（境）费支出`` is about one item, not the whole table
        if re.search(r"公务|出国|接待|用车|货物|工程|服务|项目", words):
            return
        about_table = bool(re.search(r"本表|该表|此表|公开\d+表", words))
        n = q.norm(stmt) if about_table else q.norm(words)
        kind: TableKind | None = None
        num = re.search(r"公开(\d+)表", n)
        if num:
            for t in self.doc.tables:
                if t.number == int(num.group(1)):
                    kind = t.kind
        if kind is None:
            for pat, k in ((r"政府性基金", TableKind.T07), (r"国有资本经营", TableKind.T08), (r"三公", TableKind.T09),
                           (r"政府采购", TableKind.T11), (r"机关运行经费", TableKind.T10)):  # fmt: skip
                if re.search(pat, n):
                    kind = k
                    break
        if kind is None:
            kind = {"fund": TableKind.T07, "capital": TableKind.T08, "procurement": TableKind.T11}.get(st.ctx)
        if kind is None:
            return
        scope = "expense" if "支出" in words and not re.search(r"收入|收支|数据|空表|本表|该表|此表|内容", words) else "table"
        self._new(ClaimKind.EMPTY_TABLE, para, (s0 + m.start(), s0 + m.end()), st, label=words,
                  attrs={"table": kind.value, "scope": scope})  # fmt: skip

    def _count(self, para: Paragraph, tok: Token, clause: str, st: _State, before: str) -> None:
        unit = tok.unit
        key: str | None = None
        before = q.norm(before)
        foreign = bool(re.search(r"外宾|国[（(]境[)）]外|外事", clause or before[-20:]))
        if unit == "辆":
            if "保有" in clause:
                key = "count.vehicles"
            elif "购置" in clause:
                key = "count.car_purchased"
        elif unit == "批次":
            key = "count.foreign_reception_batches" if foreign else "count.reception_batches"
        elif unit == "人次":
            last = max(("abroad", before.rfind("出国")), ("abroad", before.rfind("团组")),
                       ("reception", before.rfind("接待")), ("reception", before.rfind("来宾")), key=lambda x: x[1])  # fmt: skip
            if last[1] < 0:
                key = None
            elif last[0] == "abroad" and "来访" not in before[last[1] - 4 : last[1] + 2]:
                key = "count.abroad_persons"
            else:
                key = "count.foreign_reception_persons" if foreign else "count.reception_persons"
        elif unit == "个" and ("团组" in clause):
            key = "count.foreign_reception_batches" if ("来访" in clause and foreign) else "count.abroad_groups" if "出国" in clause or "来访" not in clause else None
        if unit in ("人", "分", "项", "次", "家") or (key is None and unit not in ("辆", "批次", "人次", "个", "台（套）", "台", "套")):
            self._new(ClaimKind.OTHER, para, (tok.start, tok.end), st, value=tok.value, unit=unit,
                      label=clean_label(clause), unbound_reason=f"以“{unit}”计的数字不对应决算表")  # fmt: skip
            return
        self._new(ClaimKind.COUNT, para, (tok.start, tok.end), st, value=tok.value, unit=unit,
                  label=clean_label(clause), quantity=key or "", how=BindingHow.SAME_CLAUSE, candidates=1)  # fmt: skip


def _ordinal_style(stmt: str) -> str:
    """The kind of ordinal a list item starts with (``1.`` and ``2．`` alike), "" for none."""
    for rx, style in _ORDINAL_STYLES:
        if rx.match(stmt):
            return style
    return ""


@lru_cache(maxsize=4096)
def _subject_core(t: str) -> str:
    """The words that name a quantity, without the year, the department's own words, 预算/决算
    and the spelling of 总计 (``收、支预算总计`` and ``收入、支出预算总计`` alike)."""
    # the department's name before the year (``江苏省政协办公厅2017年度财政拨款收、支预算``)
    t = re.sub(r"^[\u4e00-\u9fff（）]{2,20}?(办公厅|法院|检察院|厅|局|院|委|部|办|中心|会|所|处|室)(?=\d{4}年|本年|今年)", "", t)
    t = re.sub(r"\d{4}年(度)?", "", t)
    t = re.sub(r"本年(度)?|今年|本部门|我部门|本单位|本级", "", t)
    t = t.replace("收入、支出", "收、支").replace("收入和支出", "收、支").replace("收支", "收、支")
    t = re.sub(r"预算|决算|安排", "", t)
    # 总计 / 总预算 / 总额 / 合计 name the same total once the words before them agree (a key, when
    # both have one, tells 总计 from 合计)
    t = re.sub(r"总(?:额|数|计)?|合计", "", t)
    t = re.sub(r"^(的|各)+|各|(数|为|是|共计|约|的)+$", "", t)
    return t


def _clamp(a: int, b: int, n: int) -> tuple[int, int]:
    """A span inside a sentence of length ``n`` (a completion may run on into the next one)."""
    a = min(max(a, 0), n)
    return a, min(max(b, a), n)


def _walk(sections: list[Section], chain: list[Section]):  # type: ignore[no-untyped-def]
    for s in sections:
        c = [*chain, s]
        yield s, c
        yield from _walk(s.children, c)


def _sentence_at(para: Paragraph, offset: int):  # type: ignore[no-untyped-def]
    for s in para.sentences:
        start = s.start
        if start <= offset and (offset < s.end or offset == start):  # offset < max(end, start + 1)
            return s
    return para.sentences[-1] if para.sentences else None


def _sentence_text(para: Paragraph, offset: int) -> str:
    s = _sentence_at(para, offset)
    return s.text if s else para.text


def _unresolved(change: Claim, before: str) -> None:
    """A change whose words before its number are a template's unresolved alternative: its
    direction is not written, so it is no change that can be judged (kept, with the reason)."""
    m = _UNRESOLVED.search(q.norm(before))
    if m is not None and m.group(1) != m.group(2):
        change.kind = ClaimKind.OTHER
        change.unbound_reason = UNRESOLVED_REASON


def _sentence_start(para: Paragraph, c: Claim) -> int | None:
    for s in para.sentences:
        if s.text == c.sentence:
            return s.start
    return None


def _sentence_start_of(para: Paragraph, c: Claim) -> int:
    return _sentence_start(para, c) or 0


def extract(doc: Disclosure, tables: q.TableLookup | None = None) -> tuple[list[Claim], list[tuple[Claim, Claim]]]:
    """All claims of the narrative, in reading order, and the direction → completion links
    (``tables``: the lookup of ``doc``'s tables, when the caller keeps one)."""
    ex = Extractor(doc, q.TableLookup(doc) if tables is None else tables)
    claims = ex.read()
    for c in claims:
        for k in ("seen_rate", "share_part", "current_from_text", "nested"):
            c.attrs.pop(k, None)
    return claims, ex.links
