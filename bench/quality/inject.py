"""Labelled defects injected into a valid composed disclosure.

Each defect kind is a function that edits a deep copy of the typed disclosure the composer built
(the writers print exactly what the model holds, so the defect reaches every format as a user
would see it: a changed number string, a dropped row, a renumbered 公开NN表, a removed note, a
changed percentage in a sentence). What the model cannot express per table (the 部门 line or the
unit line of one table header) is also given as a :class:`TextEdit` on the written document.

Every defect is labelled with the places it touches (:class:`Target`): a cell (table kind, row
key, column key), a row, a table, or a text (the sentence or line as it reads after injection).
``families`` are the rule id prefixes expected to catch it; a kind none of whose families has a
rule in the catalogue yet is reported as "no rule yet", not as a recall failure.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from juesuan.compose.layout import TITLES, fmt_amount
from juesuan.compose.narrative import fmt_pct
from juesuan.compose.subjects import FUNCTION_SUBJECTS, cn_num
from juesuan.ingest.narrative.sentences import make_paragraph
from juesuan.ingest.perf_statements import reread_perf
from juesuan.model import (
    TABLE_NAMES,
    AmountUnit,
    Cell,
    Disclosure,
    Paragraph,
    Section,
    Table,
    TableKind,
    TextItem,
)

from .generate import DEPARTMENTS, TextEdit

CENT = Decimal("0.01")
NUMBERED = [TableKind(f"T{i:02d}") for i in range(1, 12)]
# Every amount cell of tables 01–11 takes part in an identity (changing it alone breaks a sum or
# a cross-table equality) except 授予中小企业/小微企业, which only take part in inequalities.
UNCHECKED = {(TableKind.T11, "sme"), (TableKind.T11, "small_micro")}
MIN_DELTA = Decimal("0.30")  # every injected amount error exceeds any rounding interval here


@dataclass(frozen=True)
class Target:
    """One place a defect touches.

    ``what``: ``cell`` (table + row + column), ``row`` (table + row, any column; ``table`` None
    = the row in any table), ``table`` (the table as a whole), ``field`` (a 绩效表 field, key in
    ``column``), ``text`` (a sentence or line, as it reads after injection), ``message`` (for a
    place that is an absence, e.g. a deleted table: a finding whose message names ``text``).
    """

    what: str
    table: TableKind | None = None
    row: str | None = None
    column: str | None = None
    text: str | None = None
    label: str | None = None  # the printed row label, as a second way to name the row

    def describe(self) -> str:
        if self.what in ("text", "message"):
            return f"{self.what} “{self.text}”"
        parts = [self.what, self.table.value if self.table else "any-table"]
        if self.row:
            parts.append(self.row)
        if self.column:
            parts.append(self.column)
        return " ".join(parts)


@dataclass
class Defect:
    kind: str
    families: tuple[str, ...]
    description: str
    targets: list[Target] = field(default_factory=list)
    edits: list[TextEdit] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    name: str
    families: tuple[str, ...]
    title: str  # Chinese, for the report table
    fn: Callable[[Disclosure, random.Random], Defect | None]


KINDS: dict[str, Kind] = {}


def kind(
    name: str, families: tuple[str, ...], title: str
) -> Callable[
    [Callable[[Disclosure, random.Random], Defect | None]],
    Callable[[Disclosure, random.Random], Defect | None],
]:
    def deco(
        fn: Callable[[Disclosure, random.Random], Defect | None],
    ) -> Callable[[Disclosure, random.Random], Defect | None]:
        KINDS[name] = Kind(name, families, title, fn)
        return fn

    return deco


def inject(doc: Disclosure, kind_name: str, rng: random.Random) -> tuple[Disclosure, Defect] | None:
    """A deep copy of ``doc`` with one defect of ``kind_name``; None when the kind does not
    apply to this document (e.g. no empty table to remove the note from)."""
    k = KINDS[kind_name]
    d = doc.model_copy(deep=True)
    d.claims = []  # claims are re-extracted from the text, as for any document read back
    defect = k.fn(d, rng)
    if defect is None:
        return None
    reread_perf(d)  # the 绩效 numbers and statements are read again from the edited text too
    defect.kind = k.name
    defect.families = k.families
    return d, defect


# -- helpers ------------------------------------------------------------------------------------
def _set(cell: Cell, v: Decimal) -> None:
    cell.value = v.quantize(CENT)
    cell.raw = fmt_amount(cell.value)


def _amount_cells(
    doc: Disclosure, kinds: list[TableKind] | None = None
) -> list[tuple[Table, str, str, Cell]]:
    out = []
    for t in doc.tables:
        if t.kind not in (kinds or NUMBERED):
            continue
        for r in t.rows:
            for col, c in r.cells.items():
                if c.value is not None and c.value != 0 and (t.kind, r.key) not in UNCHECKED:
                    out.append((t, r.key, col, c))
    return out


def _delta(rng: random.Random, v: Decimal) -> Decimal:
    hi = max(Decimal(1), abs(v) * Decimal("0.2"))
    d = (MIN_DELTA + (hi - MIN_DELTA) * Decimal(rng.random())).quantize(CENT)
    return d if rng.random() < 0.5 or v - d < 0 else -d


def _cell_target(t: Table, row: str, col: str) -> Target:
    r = t.row(row)
    return Target("cell", t.kind, row, col, label=r.label if r else None)


def _part3(doc: Disclosure) -> Section:
    return doc.sections[2]


def _paragraph_sites(
    doc: Disclosure, pattern: str, *, part: int = 2, skip: tuple[str, ...] = (), only: tuple[str, ...] = ()
) -> list[tuple[Section, int, re.Match[str]]]:
    out = []
    for s in doc.sections[part].walk():
        if skip and any(x in s.heading for x in skip):
            continue
        if only and not any(x in s.heading for x in only):
            continue
        for i, p in enumerate(s.paragraphs):
            for m in re.finditer(pattern, p.text):
                out.append((s, i, m))
    return out


def _sentence_at(p: Paragraph, pos: int) -> str:
    for s in p.sentences:
        if s.start <= pos < s.end:
            return s.text
    return p.text


def _replace_span(sec: Section, i: int, start: int, end: int, new: str) -> Target:
    p = sec.paragraphs[i]
    text = p.text[:start] + new + p.text[end:]
    sec.paragraphs[i] = make_paragraph(text, p.loc)
    return Target("text", text=_sentence_at(sec.paragraphs[i], start))


def _edit_group(
    sites: list[tuple[Section, int, re.Match[str]]],
    rng: random.Random,
    group: int,
    make: Callable[[str], str | None],
) -> Target | None:
    rng.shuffle(sites)
    for sec, i, m in sites:
        new = make(m.group(group))
        if new is not None and new != m.group(group):
            return _replace_span(sec, i, m.start(group), m.end(group), new)
    return None


def _num(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _same_style(old: str, new: Decimal) -> str:
    """``new`` written like ``old``: without thousands separators when ``old`` (≥ 1000) has none."""
    s = fmt_amount(new)
    return s.replace(",", "") if "," not in old and _num(old) >= 1000 else s


def _new_amount(rng: random.Random, old: str) -> str | None:
    v = _num(old)
    if v == 0:
        return None
    return _same_style(old, v + _delta(rng, v))


def _new_pct(rng: random.Random, old: str, lo: float = 0.5, hi: float = 6) -> str | None:
    v = _num(old)
    places = len(old.split(".")[1]) if "." in old else 0
    q = Decimal(1).scaleb(-max(places, 1))
    d = Decimal(str(round(lo + (hi - lo) * rng.random(), 2))).quantize(q, rounding=ROUND_HALF_UP)
    new = v + d if rng.random() < 0.5 or v - d < 0 else v - d
    if v <= 100 < new and v > 90:
        new = v - d
    return fmt_pct(new)[:-1]


def _perf_tables(doc: Disclosure) -> list[Table]:
    return [t for t in doc.tables if t.kind is TableKind.PERF_PROJECT]


def _drop_table(doc: Disclosure, idx: int) -> None:
    del doc.tables[idx]
    for s in doc.walk_sections():
        s.table_indices = [j if j < idx else j - 1 for j in s.table_indices if j != idx]


# -- table cells (T, X) -------------------------------------------------------------------------
@kind("cell_changed", ("T", "X"), "表中一个金额被改动")
def cell_changed(doc: Disclosure, rng: random.Random) -> Defect | None:
    cells = _amount_cells(doc)
    # a table first, then a cell in it: every table is hit about equally often
    kinds = sorted({t.kind for t, *_ in cells})
    k = rng.choice(kinds)
    t, row, col, c = rng.choice([x for x in cells if x[0].kind is k])
    old = c.value or Decimal(0)
    _set(c, old + _delta(rng, old))
    return Defect("", (), f"{t.kind.value} {row}/{col}: {old} -> {c.value}", [_cell_target(t, row, col)])


@kind("digits_transposed", ("T", "X"), "金额中相邻两位数字颠倒")
def digits_transposed(doc: Disclosure, rng: random.Random) -> Defect | None:
    cells = _amount_cells(doc)
    rng.shuffle(cells)
    for t, row, col, c in cells:
        old = c.value or Decimal(0)
        digits = f"{old:.2f}".replace(".", "")
        options = []
        for i in range(len(digits) - 1):
            if digits[i] != digits[i + 1]:
                s = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
                new = Decimal(int(s)).scaleb(-2)
                if abs(new - old) >= MIN_DELTA:
                    options.append(new)
        if options:
            new = rng.choice(options)
            _set(c, new)
            return Defect("", (), f"{t.kind.value} {row}/{col}: {old} -> {new}", [_cell_target(t, row, col)])
    return None


@kind("row_dropped", ("T", "X"), "表中漏列一行（项级科目）")
def row_dropped(doc: Disclosure, rng: random.Random) -> Defect | None:
    options = []
    for t in doc.tables:
        if t.kind not in (TableKind.T02, TableKind.T03, TableKind.T05):
            continue
        items = [r for r in t.rows if r.code and len(r.code) == 7 and not t.is_empty]
        for r in items:
            siblings = [x for x in items if x.code and r.code and x.code[:5] == r.code[:5]]
            if len(siblings) >= 2 and any(c.value for c in r.cells.values()):
                options.append((t, r))
    if not options:
        return None
    t, r = rng.choice(options)
    assert r.code is not None
    t.rows.remove(r)
    parent = t.row(r.code[:5])
    return Defect("", (), f"{t.kind.value} row {r.code} dropped", [
        Target("row", t.kind, r.code[:5], label=parent.label if parent else None),
        Target("row", None, r.code, label=r.label),
    ])  # fmt: skip


@kind("procurement_over_total", ("T11",), "授予中小企业合同金额超过政府采购支出合计")
def procurement_over_total(doc: Disclosure, rng: random.Random) -> Defect | None:
    t = doc.table(TableKind.T11)
    if t is None or t.is_empty:
        return None
    total = t.cell("total", "amount")
    sme = t.cell("sme", "amount")
    if total is None or sme is None or total.value is None:
        return None
    _set(sme, total.value + Decimal(rng.randint(100, 900)) / 100)
    return Defect("", (), f"T11 sme {sme.value} > total {total.value}", [_cell_target(t, "sme", "amount")])


# -- tables as a whole (D) ----------------------------------------------------------------------
@kind("table_deleted", ("D",), "目录所列的表在正文中缺失")
def table_deleted(doc: Disclosure, rng: random.Random) -> Defect | None:
    printed = {j for s in doc.walk_sections() for j in s.table_indices}  # not a table kept only in the model
    options = [
        i
        for i, t in enumerate(doc.tables)
        if t.kind in (TableKind.T05, TableKind.T06, TableKind.T09, TableKind.T10, TableKind.T11) and i in printed
    ]
    i = rng.choice(options)
    k = doc.tables[i].kind
    number = doc.tables[i].printed_number
    n = doc.tables[i].number  # 公开表五 (Jiangsu) is named 公开05表 by the rules
    title = doc.tables[i].title
    _drop_table(doc, i)
    # The place of a missing table is its absence: a finding that names it in its message counts.
    # the printed title (a regional layout's own), the template's and the model's canonical name
    names = {TITLES[k], TABLE_NAMES[k], *([title] if title else [])}
    targets = [Target("table", k)] + [Target(w, text=n) for n in sorted(names) for w in ("text", "message")]
    if number:
        targets.append(Target("message", text=number))
    if n is not None and number != f"公开{n:02d}表":
        targets.append(Target("message", text=f"公开{n:02d}表"))
    return Defect("", (), f"{k.value} deleted", targets)


@kind("table_renumbered", ("D",), "表号跳号或错排（公开NN表）")
def table_renumbered(doc: Disclosure, rng: random.Random) -> Defect | None:
    options = [t for t in doc.tables[1:] if t.printed_number]
    if not options:
        return None  # a layout that prints no numbers (Jiangsu, some years)
    t = rng.choice(options)
    used = {x.number for x in doc.tables if x.number}
    n = rng.choice([x for x in range(12, 19) if x not in used])
    old = t.printed_number
    # in the document's own style: 公开NN表, or 公开表N in Chinese numerals (Jiangsu)
    t.printed_number = f"公开表{cn_num(n)}" if old and old.startswith("公开表") else f"公开{n:02d}表"
    return Defect(
        "",
        (),
        f"{t.kind.value} {old} -> {t.printed_number}",
        [Target("table", t.kind), Target("text", text=t.printed_number)],
    )


@kind("table_number_duplicated", ("D",), "两张表使用同一表号")
def table_number_duplicated(doc: Disclosure, rng: random.Random) -> Defect | None:
    numbered = [t for t in doc.tables if t.printed_number]
    if len(numbered) < 2:
        return None  # a layout that prints no numbers
    j = rng.randrange(1, len(numbered))
    prev, t = numbered[j - 1], numbered[j]
    old = t.printed_number
    t.printed_number = prev.printed_number
    return Defect(
        "",
        (),
        f"{t.kind.value} {old} -> {t.printed_number} (same as {prev.kind.value})",
        [Target("table", t.kind), Target("table", prev.kind)],
    )


def _department_in_header(doc: Disclosure, rng: random.Random, other: str) -> Defect:
    dept = doc.metadata.department or ""
    # every printed table prints its 部门 line, in the order the sections print them (a table a
    # regional layout keeps only in the model, split out of a combined table, prints none)
    printed = [j for s in doc.walk_sections() for j in s.table_indices]
    n = rng.choice([p for p, j in enumerate(printed) if doc.tables[j].kind in NUMBERED])
    t = doc.tables[printed[n]]
    t.department = other
    return Defect("", (), f"{t.kind.value} header names {other}", [Target("table", t.kind), Target("text", text=other)],
                  [TextEdit(f"部门：{dept}", f"部门：{other}", n)])  # fmt: skip


@kind("other_department_in_header", ("D",), "表头部门名称为另一个部门（换了单位）")
def other_department_in_header(doc: Disclosure, rng: random.Random) -> Defect | None:
    dept = doc.metadata.department or ""
    _, body = _place_split(dept)
    others = [d for d in DEPARTMENTS if _place_split(d)[1] != body and dept not in d and d not in dept]
    return _department_in_header(doc, rng, rng.choice(others))


OTHER_PLACES = ["长河县", "青山市", "白云区", "平川县"]


def _place_split(name: str) -> tuple[str, str]:
    m = re.match(r"^(示例[市县区])", name)
    return (m.group(1), name[m.end() :]) if m else ("", name)


@kind("other_region_in_header", ("D",), "表头部门名称为外地同类部门（换了地名）")
def other_region_in_header(doc: Disclosure, rng: random.Random) -> Defect | None:
    dept = doc.metadata.department or ""
    place, body = _place_split(dept)
    if not place:
        return None
    return _department_in_header(doc, rng, rng.choice(OTHER_PLACES) + body)


@kind("unit_changed", ("D",), "一张表的金额单位与其他表不一致")
def unit_changed(doc: Disclosure, rng: random.Random) -> Defect | None:
    printed = {j for s in doc.walk_sections() for j in s.table_indices}  # not a table kept only in the model
    with_unit = [t for i, t in enumerate(doc.tables) if t.kind in NUMBERED and i in printed]  # they print 金额单位
    n = rng.randrange(len(with_unit))
    t = with_unit[n]
    # the odd one out: 元 among tables in 万元, 万元 among tables in 元 (the composer prints the
    # table's own unit, so the model change is the whole edit)
    t.unit = AmountUnit.WAN_YUAN if t.unit is AmountUnit.YUAN else AmountUnit.YUAN
    return Defect("", (), f"{t.kind.value} unit line says {t.unit.value}", [Target("table", t.kind),
                  Target("text", text=f"金额单位：{t.unit.value}")])  # fmt: skip


@kind("empty_note_removed", ("D",), "空表缺少“本表无数据”说明")
def empty_note_removed(doc: Disclosure, rng: random.Random) -> Defect | None:
    options = [t for t in doc.tables if t.is_empty and any("无数据" in n.text for n in t.notes)]
    if not options:
        return None
    t = rng.choice(options)
    t.notes = [n for n in t.notes if "无数据" not in n.text]
    return Defect("", (), f"{t.kind.value} empty-table note removed", [Target("table", t.kind)])


@kind("empty_note_on_data", ("D",), "有数据的表却注明“本表无数据”")
def empty_note_on_data(doc: Disclosure, rng: random.Random) -> Defect | None:
    printed = {j for s in doc.walk_sections() for j in s.table_indices}  # not a table kept only in the model
    options = [
        t
        for i, t in enumerate(doc.tables)
        if t.kind in (TableKind.T09, TableKind.T10, TableKind.T11) and not t.is_empty and i in printed
    ]
    if not options:
        return None
    t = rng.choice(options)
    text = f"注：{doc.metadata.year}年度，本部门没有发生{TITLES[t.kind].removesuffix('情况表').removesuffix('决算表')}，故本表无数据。"
    t.notes.insert(0, TextItem(text=text))
    return Defect(
        "",
        (),
        f"{t.kind.value} has data but a no-data note",
        [Target("table", t.kind), Target("text", text=text)],
    )


@kind("toc_entry_missing", ("D",), "目录漏列一个标题")
def toc_entry_missing(doc: Disclosure, rng: random.Random) -> Defect | None:
    options = [i for i, e in enumerate(doc.toc) if e.level == 2]
    i = rng.choice(options)
    e = doc.toc.pop(i)
    targets = [Target("text", text=e.text)]
    # an entry of 第二部分 names a table: a finding on that table points at the same place
    targets += [
        Target("table", t.kind) for t in doc.tables if t.kind in NUMBERED and e.text.endswith(TITLES[t.kind])
    ]
    return Defect("", (), f"TOC entry {e.text!r} removed", targets)


# -- text (D) -----------------------------------------------------------------------------------
@kind("stale_year_heading", ("D",), "标题中的年度为上一年")
def stale_year_heading(doc: Disclosure, rng: random.Random) -> Defect | None:
    y = doc.metadata.year
    options = [s for s in doc.walk_sections() if f"{y}年" in s.heading]
    s = rng.choice(options)
    s.heading = s.heading.replace(f"{y}年", f"{(y or 0) - 1}年")
    return Defect("", (), f"heading {s.heading!r}", [Target("text", text=s.heading)])


@kind("stale_year_text", ("D", "P"), "表注或绩效表标题中的年度为上一年")
def stale_year_text(doc: Disclosure, rng: random.Random) -> Defect | None:
    y = doc.metadata.year or 0
    options: list[tuple[Table, int | None]] = []
    for t in doc.tables:
        if t.kind is TableKind.PERF_PROJECT and f"{y}年" in t.title:
            options.append((t, None))
        for j, n in enumerate(t.notes):
            if f"{y}年" in n.text:
                options.append((t, j))
    if not options:
        return None
    t, at = rng.choice(options)
    if at is None:
        t.title = t.title.replace(f"{y}年", f"{y - 1}年")
        text = t.title
    else:
        t.notes[at] = TextItem(text=t.notes[at].text.replace(f"{y}年", f"{y - 1}年"))
        text = t.notes[at].text
    return Defect("", (), f"{t.kind.value} text {text!r}", [Target("text", text=text)])


@kind("stale_period_end", ("D",), "期末日期为上一年年末")
def stale_period_end(doc: Disclosure, rng: random.Random) -> Defect | None:
    y = doc.metadata.year or 0
    sites = _paragraph_sites(doc, rf"截至({y})年12月31日")
    t = _edit_group(sites, rng, 1, lambda s: str(y - 1))
    return Defect("", (), "period end of the year before", [t]) if t else None


PLACEHOLDERS = ["XX", "××", "某某", "XXX"]


@kind("placeholder_left", ("D",), "留有占位符（XX、××、某某）")
def placeholder_left(doc: Disclosure, rng: random.Random) -> Defect | None:
    token = rng.choice(PLACEHOLDERS)
    sites = []
    for part in (0, 2):
        sites += [(s, i, m) for s, i, m in _paragraph_sites(doc, r"主要原因是([^。，；]+)", part=part)]
        sites += [(s, i, m) for s, i, m in _paragraph_sites(doc, r"内设(.+?)(?:\d+个)?科室", part=part)]
        sites += [(s, i, m) for s, i, m in _paragraph_sites(doc, r"本部门(无)其他", part=part)]
    if not sites:
        return None
    s, i, m = rng.choice(sites)
    new = token if m.group(1) != "无" else f"{token}事项"
    t = _replace_span(s, i, m.start(1), m.end(1), new)
    return Defect("", (), f"placeholder {token!r}", [t])


INSTRUCTIONS = [
    ("部门职责", "（请根据本部门“三定”方案填写部门主要职责）"),
    ("其他重要事项", "（如无其他重要事项，请填写“本部门无其他需要说明的重要事项”）"),
    ("国有资产占用", "（此处填写车辆及单价100万元以上设备情况，无则删除本段）"),
]


@kind("template_instruction_left", ("D",), "留有模板填写说明")
def template_instruction_left(doc: Disclosure, rng: random.Random) -> Defect | None:
    where, text = rng.choice(INSTRUCTIONS)
    for s in doc.walk_sections():
        if where in s.heading and s.paragraphs:
            p = s.paragraphs[-1]
            s.paragraphs[-1] = make_paragraph(p.text + text, p.loc)
            return Defect("", (), f"instruction under {s.heading}", [Target("text", text=text)])
    return None


# -- 科目 (K) -----------------------------------------------------------------------------------
@kind("subject_names_swapped", ("K",), "两个项级科目名称互换")
def subject_names_swapped(doc: Disclosure, rng: random.Random) -> Defect | None:
    options = [t for t in doc.tables if t.kind in (TableKind.T02, TableKind.T03, TableKind.T05)]
    t = rng.choice(options)
    items = [r for r in t.rows if r.code and len(r.code) == 7]
    a, b = rng.sample(items, 2)
    a.label, b.label = b.label, a.label
    return Defect("", (), f"{t.kind.value} names of {a.code} and {b.code} swapped", [
        Target("row", t.kind, a.key, label=a.label), Target("row", t.kind, b.key, label=b.label)])  # fmt: skip


@kind("subject_code_changed", ("K",), "项级科目编码与名称不符")
def subject_code_changed(doc: Disclosure, rng: random.Random) -> Defect | None:
    options = [t for t in doc.tables if t.kind in (TableKind.T02, TableKind.T03, TableKind.T05)]
    rng.shuffle(options)
    for t in options:
        present = {r.key for r in t.rows}
        items = [r for r in t.rows if r.code and len(r.code) == 7]
        rng.shuffle(items)
        for r in items:
            assert r.code is not None
            alts = [c for c in FUNCTION_SUBJECTS if len(c) == 7 and c[:5] == r.code[:5] and c not in present]
            if alts:
                old = r.code
                new = rng.choice(sorted(alts))
                r.code = r.key = new
                return Defect("", (), f"{t.kind.value} code {old} -> {new} ({r.label})", [
                    Target("row", t.kind, new, label=r.label), Target("row", None, old)])  # fmt: skip
    return None


# -- narrative (N) ------------------------------------------------------------------------------
_AMOUNT = r"(?<![\d,增减少加为])(\d{1,3}(?:,\d{3})*\.\d{2}|\d+\.\d{2})万元"


@kind("narr_amount", ("N",), "说明中的金额与表不符")
def narr_amount(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, _AMOUNT, skip=("绩效",))
    t = _edit_group(sites, rng, 1, lambda s: _new_amount(rng, s))
    return Defect("", (), "amount in a sentence changed", [t]) if t else None


@kind("narr_term_confusion", ("N",), "说明把本年收入合计当作收入总计")
def narr_term_confusion(doc: Disclosure, rng: random.Random) -> Defect | None:
    t01 = doc.table(TableKind.T01)
    v = t01.value("inc_total_year", "amount", "income") if t01 else None
    if v is None:
        return None
    sites = _paragraph_sites(doc, r"年度收入、支出总计(\d[\d,]*\.\d{2})万元")
    t = _edit_group(sites, rng, 1, lambda s: _same_style(s, v))
    return Defect("", (), "收入总计 stated as 本年收入合计", [t]) if t else None


@kind("narr_share", ("N",), "说明中的占比计算错误")
def narr_share(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, r"占(?:[^，。；%]{0,24}的)?(\d+(?:\.\d+)?)%", skip=("绩效",))
    sites = [x for x in sites if _num(x[2].group(1)) != 0]
    t = _edit_group(sites, rng, 1, lambda s: _new_pct(rng, s))
    return Defect("", (), "share changed", [t]) if t else None


@kind("narr_change_amount", ("N",), "说明中的增减额错误")
def narr_change_amount(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, r"(?:增加|减少)(\d[\d,]*\.\d{2})万元")
    t = _edit_group(sites, rng, 1, lambda s: _new_amount(rng, s))
    return Defect("", (), "change amount changed", [t]) if t else None


@kind("narr_change_pct", ("N",), "说明中的增减百分比错误")
def narr_change_pct(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, r"(?:增长|下降)(\d+(?:\.\d+)?)%")
    t = _edit_group(sites, rng, 1, lambda s: _new_pct(rng, s, 1, 8))
    return Defect("", (), "change percentage changed", [t]) if t else None


@kind("narr_direction", ("N",), "说明中的增减方向词错误")
def narr_direction(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, r"(增加|减少)\d[\d,]*\.\d{2}万元，(?:增长|下降)")
    t = _edit_group(sites, rng, 1, lambda s: "减少" if s == "增加" else "增加")
    return Defect("", (), "direction word flipped", [t]) if t else None


@kind("narr_budget_direction", ("N",), "说明中决算数与预算数的大小关系写反")
def narr_budget_direction(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, r"决算数(大于|小于)预算数")
    rng.shuffle(sites)
    for sec, i, m in sites:
        p = sec.paragraphs[i]
        before = _sentence_at(p, max(m.start() - 2, 0))  # the sentence stating 预算/决算
        t = _replace_span(sec, i, m.start(1), m.end(1), "小于" if m.group(1) == "大于" else "大于")
        return Defect("", (), "budget direction flipped", [t, Target("text", text=before)])
    return None


@kind("narr_completion_rate", ("N",), "说明中的预算完成率错误")
def narr_completion_rate(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, r"完成(?:年初)?预算的(\d+(?:\.\d+)?)%")
    t = _edit_group(sites, rng, 1, lambda s: _new_pct(rng, s, 1, 9))
    return Defect("", (), "completion rate changed", [t]) if t else None


@kind("completion_zero_budget", ("N",), "年初预算为0却写了完成率")
def completion_zero_budget(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, r"年初预算为0万元，支出决算为\d[\d,]*\.\d{2}万元()")
    t = _edit_group(sites, rng, 1, lambda s: "，完成年初预算的100%")
    return Defect("", (), "completion rate for a zero budget", [t]) if t else None


@kind("narr_change_contradicted", ("N",), "同一数量的增减在另一处写成持平或相反方向")
def narr_change_contradicted(doc: Disclosure, rng: random.Random) -> Defect | None:
    # the 一般公共预算财政拨款支出 change of 五(一), contradicted by a sentence added to 五(二)
    y = doc.metadata.year or 0
    said = _paragraph_sites(doc, r"一般公共预算财政拨款支出[\d,.]+万元，占本年支出合计的[\d.]+%。与\d{4}年度相比，(增加|减少)(\d[\d,]*\.\d{2})万元")
    where = _paragraph_sites(doc, r"一般公共预算财政拨款支出[\d,.]+万元，主要用于以下方面：[^\n]*$")
    if not said or not where:
        return None
    word, amount = said[0][2].group(1), said[0][2].group(2)
    other = "减少" if word == "增加" else "增加"
    added = rng.choice([f"一般公共预算财政拨款支出与{y - 1}年度持平。", f"一般公共预算财政拨款支出比{y - 1}年度{other}{amount}万元。"])
    sec, i, m = where[0]
    t = _replace_span(sec, i, m.end(), m.end(), added)
    first = Target("text", text=_sentence_at(said[0][0].paragraphs[said[0][1]], said[0][2].start()))
    return Defect("", (), f"change of 一般公共预算财政拨款支出 restated as {added!r}", [t, first])


@kind("list_budget_column", ("N",), "列全的明细其年初预算之和与总数不符")
def list_budget_column(doc: Disclosure, rng: random.Random) -> Defect | None:
    # the 年初预算 of the total before the list of 项 (the 决算 still add up), its rate recomputed
    # so that only the column of 年初预算 is wrong
    sites = _paragraph_sites(doc, r"一般公共预算财政拨款支出年初预算为(\d[\d,]*\.\d{2})万元，支出决算为(\d[\d,]*\.\d{2})万元，完成年初预算的(\d+(?:\.\d+)?)%")
    if not sites:
        return None
    sec, i, m = sites[0]
    budget, actual, rate = _num(m.group(1)), _num(m.group(2)), m.group(3)
    d = abs(_delta(rng, budget))
    new_budget = budget + d if actual <= budget else budget - d
    if new_budget <= actual / 2:
        return None
    q = Decimal(1).scaleb(-(len(rate.split(".")[1]) if "." in rate else 0))
    new_rate = (actual / new_budget * 100).quantize(q, rounding=ROUND_HALF_UP)
    new = f"一般公共预算财政拨款支出年初预算为{_same_style(m.group(1), new_budget)}万元，支出决算为{m.group(2)}万元，完成年初预算的{new_rate}%"
    t = _replace_span(sec, i, m.start(), m.end(), new)
    return Defect("", (), f"年初预算 of the listed total {budget} -> {new_budget}", [t])


@kind("narr_count", ("N",), "说明中的批次、人次或车辆数与统计表不符")
def narr_count(doc: Disclosure, rng: random.Random) -> Defect | None:
    sites = _paragraph_sites(doc, r"(\d+)(?:批次|人次|辆|个)", only=("三公",))
    t = _edit_group(sites, rng, 1, lambda s: str(int(s) + rng.randint(1, 5)))
    return Defect("", (), "count changed", [t]) if t else None


# -- 绩效 (P) -----------------------------------------------------------------------------------
def _perf(doc: Disclosure, rng: random.Random) -> Table | None:
    ts = _perf_tables(doc)
    return rng.choice(ts) if ts else None


@kind("perf_rate_changed", ("P",), "绩效自评表执行率与执行数/预算数不符")
def perf_rate_changed(doc: Disclosure, rng: random.Random) -> Defect | None:
    t = _perf(doc, rng)
    c = t.fields.get("exec_rate") if t else None
    if t is None or c is None or c.value is None:
        return None
    new = _new_pct(rng, f"{c.value}", 1, 9)
    assert new is not None
    c.value = Decimal(new)
    c.raw = f"{new}%"
    return Defect(
        "", (), f"exec_rate -> {c.raw}", [Target("field", TableKind.PERF_PROJECT, column="exec_rate")]
    )


@kind("perf_score_changed", ("P",), "绩效指标得分改动后总分不等于各项得分之和")
def perf_score_changed(doc: Disclosure, rng: random.Random) -> Defect | None:
    t = _perf(doc, rng)
    if t is None or not t.rows:
        return None
    r = rng.choice(t.rows)
    c = r.cells["score"]
    old = c.value or Decimal(0)
    new = old - rng.randint(1, 5) if old >= 5 else old + 1
    c.value, c.raw = new, f"{new:f}"
    return Defect("", (), f"{r.key} score {old} -> {new}", [
        Target("cell", TableKind.PERF_PROJECT, r.key, "score", label=r.label),
        Target("field", TableKind.PERF_PROJECT, column="total_score")])  # fmt: skip


@kind("perf_score_over_weight", ("P",), "绩效指标得分超过分值")
def perf_score_over_weight(doc: Disclosure, rng: random.Random) -> Defect | None:
    t = _perf(doc, rng)
    if t is None or not t.rows:
        return None
    r = rng.choice(t.rows)
    w = r.cells["weight"].value or Decimal(0)
    old = r.cells["score"].value or Decimal(0)
    new = w + rng.randint(1, 5)
    r.cells["score"] = Cell(raw=f"{new:f}", value=new)
    tot = t.fields["total_score"]
    tv = (tot.value or Decimal(0)) + new - old
    t.fields["total_score"] = Cell(raw=f"{tv:f}", value=tv)
    return Defect("", (), f"{r.key} score {new} > weight {w}", [Target("cell", TableKind.PERF_PROJECT, r.key, "score", label=r.label),
                  Target("field", TableKind.PERF_PROJECT, column="total_score")])  # fmt: skip


@kind("perf_actual_changed", ("P", "N"), "绩效自评表执行数与说明、执行率不符")
def perf_actual_changed(doc: Disclosure, rng: random.Random) -> Defect | None:
    t = _perf(doc, rng)
    c = t.fields.get("actual_year") if t else None
    if c is None or c.value is None:
        return None
    _set(c, c.value + _delta(rng, c.value))
    return Defect(
        "", (), f"actual_year -> {c.value}", [Target("field", TableKind.PERF_PROJECT, column="actual_year")]
    )
