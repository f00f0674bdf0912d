"""Building one :class:`Table` from its captions and grid rows.

A draft is what the document walk collected for one printed table: caption lines (title,
公开NN表, 部门, 金额单位), one or more grids (a table split across pages is several grids) and the
note lines under it. The kind is recognised from the title, else from the header labels; each kind
has a body parser (:mod:`.bodies`) that produces rows keyed as :mod:`juesuan.tables.schema` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import AmountUnit, Column, Location, ReadIssue, Section, Table, TableKind, TextItem
from ...tables import budget as bt
from ...tables import recognize as rz
from ...tables import regions
from ..raw import RawCell
from .bodies import PARSERS, parse_other
from .budget_bodies import BUDGET_PARSERS
from .grid import Ctx, Grid, body_like, expand, is_amount, loc_of, new_row, record_doubts
from .lines import DEPT, NUMBER, UNIT, is_note


@dataclass
class Draft:
    captions: list[tuple[str, Location | None]]
    grids: list[Grid]
    section: Section | None = None
    notes: list[tuple[str, Location | None]] = field(default_factory=list)
    heading_title: tuple[str, Location | None] | None = None


# -- captions --------------------------------------------------------------------------------------
def _captions(d: Draft, table: Table) -> None:
    title_loc: Location | None = None
    for text, loc in d.captions:
        t = text.strip()
        table.header_texts.append(TextItem(text=t, loc=loc))
        m = NUMBER.search(t)
        if m and table.printed_number is None:
            table.printed_number = m.group(0)
        dm = DEPT.match(t)
        if dm and table.department is None and rz.squash(dm.group(1)):
            table.department = rz.squash(dm.group(1))
        um = UNIT.search(t)
        if um and table.unit is None:
            table.unit = (
                AmountUnit.YUAN
                if um.group(1) == "元"
                else AmountUnit.WAN_YUAN
                if um.group(1) == "万元"
                else None
            )
        rest = NUMBER.sub("", t).strip()
        if not dm and not um and rz.looks_like_title(rest):
            # several title-like lines (a document banner, then the table's own name): the one
            # that names a known table wins, else the last
            known = table.title and rz.kind_from_title(table.title) is not None
            if not known:
                table.title = rz.squash(rest).rstrip("：:")
                title_loc = loc
    if not table.title and d.heading_title is not None:
        table.title, title_loc = d.heading_title
    first = d.grids[0][0] if d.grids and d.grids[0] else []
    last_grid = d.grids[-1] if d.grids else []
    start = title_loc or (d.captions[0][1] if d.captions else None) or loc_of(first)
    end = loc_of(last_grid[-1]) if last_grid else None
    if start is not None:
        upd: dict[str, object] = {}
        if end is not None and end.line is not None and start.line is not None:
            upd["end_line"] = end.line
        table.loc = start.model_copy(update=upd) if upd else start
    for text, loc in d.notes:
        table.notes.append(TextItem(text=text, loc=loc))


def _title_in_cells(table: Table, rows: Grid) -> None:
    """A budget table whose title the walk did not find, printed in its first cell with the
    header line (``收支预算总表部门：江苏省政协办公厅单位：万元``) or in a caption line that holds
    the part heading, number, title and header line run together: title, department and unit
    from that text. Only a budget table's title is taken so (the 决算 readings stay as they were)."""
    cands = [h.text for h in table.header_texts]
    for r in rows[:2]:
        texts = [c.text for c in r if c.text.strip()]
        if len(texts) == 1:
            cands.append(texts[0])
    for text in cands:
        title, dept, unit = bt.split_title_cell(rz.norm(text))
        if bt.budget_kind_from_title(title) is None:
            continue
        table.title = title
        if dept and table.department is None:
            table.department = dept
        if unit and table.unit is None:
            table.unit = AmountUnit.YUAN if unit == "元" else AmountUnit.WAN_YUAN
        return


# a line holding only the table's printed number (公开01表, 表三) or a page number
# (a run of digits or numerals tried from its start only: linear when searched, as the regex
# safety suite does)
_NUMBER_ONLY = re.compile(
    r"(?:公开)?(?:(?<!\d)\d+|(?<![一二三四五六七八九十])[一二三四五六七八九十]+)表"
    r"|(?:公开)?表(?:\d+|[一二三四五六七八九十]+)|(?<!\d)\d{1,3}"
)


def budget_title_in_grid(rows: Grid) -> str | None:
    """The budget table's title a grid prints in its first line, alone in its cell with the
    header line (``支出预算总表部门：…``), else None. Such a grid is a table of its own, never the
    continuation of the table before it, unless that table printed the same title (a table
    repeating its title on the next page)."""
    for r in rows[:2]:
        texts = [c.text for c in r if c.text.strip()]
        if not texts:
            continue
        if len(texts) == 1:
            title, _, _ = bt.split_title_cell(rz.norm(texts[0]))
            if bt.budget_kind_from_title(title) is not None:
                return title
        if not _NUMBER_ONLY.fullmatch(rz.norm(texts[0])):
            return None
    return None


def title_row(row: list[RawCell]) -> bool:
    """A line holding only a budget table's title, its printed number or a page number."""
    texts = [c.text for c in row if c.text.strip()]
    if len(texts) != 1:
        return False
    t = rz.norm(texts[0])
    return bool(_NUMBER_ONLY.fullmatch(t)) or bt.budget_kind_from_title(bt.split_title_cell(t)[0]) is not None


def _kind(title: str, rows: Grid) -> TableKind:
    k = rz.kind_from_title(title)
    if k is not None:
        return k
    labels = [c.text for r in rows[:12] for c in r if c.text.strip()]
    return rz.kind_from_columns(labels) or TableKind.OTHER


def _join_grids(grids: list[Grid], dropped: list[list[RawCell]] | None = None) -> Grid:
    """Grids of one table split across pages: a continuation's repeated header rows are dropped
    (into ``dropped`` when given)."""
    rows: Grid = list(grids[0]) if grids else []
    for g in grids[1:]:
        i = 0
        # a table whose page held no body yet (only its title and 部门 lines) has its header on
        # the next page: nothing there is repeated
        while i < len(g) and not body_like(g[i]) and any(body_like(r) for r in rows):
            if dropped is not None:
                dropped.append(g[i])
            i += 1
        rows.extend(g[i:])
    return rows


def _dropped_notes(dropped: list[list[RawCell]]) -> list[TextItem]:
    """Lines of one text dropped with a continuation's header that are notes, not headers: a
    budget page whose text layer puts the note of the table below first (（无政府性基金支出）)."""
    out = []
    for r in dropped:
        texts = [c for c in r if c.text.strip()]
        if len(texts) == 1 and (is_note(texts[0].text) or re.fullmatch(r"[（(].+[)）]", texts[0].text.strip())):
            out.append(TextItem(text=texts[0].text.strip(), loc=texts[0].loc))
    return out


def build_table(d: Draft) -> tuple[Table, list[ReadIssue]]:
    table = Table(kind=TableKind.OTHER)
    _captions(d, table)
    dropped: list[list[RawCell]] = []
    rows = expand(_join_grids(d.grids, dropped))
    if rz.kind_from_title(table.title) is None:
        _title_in_cells(table, rows)
    table.kind = _kind(table.title, rows)
    if table.kind in bt.BUDGET_TABLE_KINDS:
        table.title = table.title.lstrip("：:")  # 公开01表：收支预算总表 less its number
        table.notes.extend(_dropped_notes(dropped))
        # the title (and number) line read into the grid is no row of the table
        while rows and title_row(rows[0]):
            rows = rows[1:]
        # columns no line prints anything in (left of a body joined to its title line's grid)
        lead = 0
        while rows and all(lead < len(r) and not r[lead].text.strip() for r in rows):
            lead += 1
        rows = [r[lead:] for r in rows]
    for r in (
        rows[:8] if table.kind not in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT, TableKind.OTHER) else []
    ):
        if body_like(r):
            break
        text = " ".join(c.text.strip() for c in r if c.text.strip())
        if text:
            table.header_texts.append(TextItem(text=text, loc=loc_of(r)))
    ctx = Ctx(kind=table.kind, rows=rows, table=table)
    parser = PARSERS.get(table.kind) or BUDGET_PARSERS.get(table.kind, parse_other)
    try:
        parser(ctx)
    except Exception as exc:  # noqa: BLE001 - a layout no parser foresaw must not stop the reading
        # keep the table (as printed, kind OTHER) and say why, rather than lose the document
        kind = table.kind
        table.kind, table.rows, table.columns, table.fields = TableKind.OTHER, [], [], {}
        ctx.issues = [i for i in ctx.issues if i.code == "unreadable_number"]
        parse_other(ctx)
        ctx.issue(
            "unrecognised_layout", f"无法按{kind.value}表的格式读取（{type(exc).__name__}），已按普通表格保留"
        )
    record_doubts(table, rows)
    if not table.reading.layout and table.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT, TableKind.B13):
        table.reading.layout = "form"  # a 绩效 form is read as fields and indicator rows
    if table.kind not in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT, TableKind.OTHER, TableKind.T09S):
        places = [c.decimals for r in table.rows for c in r.cells.values() if c.value is not None]
        if places:
            table.decimals = max(places)  # the printed precision (2 nearly always; 0 for whole 元)
    return table, ctx.issues


_STAT_WORDS = ("团组", "人次", "保有量", "购置数", "批次", "统计数")


def _statistics_start(d: Draft) -> tuple[int, int] | None:
    """(grid, row) where a 相关统计数 block printed inside the 三公 grid begins (a row naming
    团组数, 人次, 保有量… or 统计数 after at least one row of the 三公 table), else None."""
    seen = 0
    for gi, g in enumerate(d.grids):
        for ri, r in enumerate(g):
            if seen and any(w in rz.norm(c.text) for c in r for w in _STAT_WORDS):
                return gi, ri
            seen += 1
    return None


def _second_budget_table(d: Draft, table: Table) -> tuple[Draft, Draft] | None:
    """A 支出预算总表 grid that goes on into the 财政拨款收支预算总表 printed right under it, both
    titles run together in one caption: the two tables' drafts, split at the 收入 | 支出 line."""
    if table.kind is not TableKind.B03 or len(d.grids) != 1:
        return None
    texts = [t for t, _ in d.captions] + [c.text for r in d.grids[0][:2] for c in r if c.text.strip()]
    titles = [t for x in texts for t in bt.budget_titles_in(rz.norm(x))]
    if len(titles) < 2 or bt.budget_kind_from_title(titles[1]) is not TableKind.B04:
        return None
    rows = d.grids[0]
    seen_amount = False
    for i, r in enumerate(rows):
        words = [rz.norm(c.text) for c in r if c.text.strip()]
        if seen_amount and words == ["收入", "支出"]:
            first = Draft(captions=d.captions, grids=[rows[:i]], section=d.section, notes=[])
            first.heading_title = d.heading_title
            second = Draft(captions=[], grids=[rows[i:]], section=d.section, notes=d.notes)
            second.heading_title = (titles[1], loc_of(r))
            return first, second
        seen_amount = seen_amount or any(body_like([c]) for c in r)
    return None


def _admin_cost_part(d: Draft, table: Table) -> tuple[Table, list[ReadIssue]] | None:
    """The 机关运行经费 line of a combined table (Yunnan's 三公/机关运行经费 table, Inner Mongolia's
    机构运行经费/国有资产/政府采购 table) as a T10 table of its own (row ``total``), so the rules of
    T10 judge it. Its amount is the cell under a 决算数 (or 金额) header, or the line's only amount;
    a line with several amounts and no such header is not taken (the reading would be a guess)."""
    rows = expand(_join_grids(d.grids))
    ans: int | None = None
    for i, r in enumerate(rows):
        label = rz.norm(r[0].text) if r else ""
        # a short label with an amount on its line (a note under the table names it in a sentence)
        if (
            any(w in label for w in regions.ADMIN_COST_WORDS)
            and len(label) <= 16
            and any(is_amount(c.text) for c in r[1:])
        ):
            ans = i
            break
    if ans is None:
        return None
    line = rows[ans]
    col: int | None = None
    for r in rows[:ans]:
        for j, c in enumerate(r):
            t = rz.norm(c.text)
            if ("决算" in t and "预算" not in t) or t in ("金额", "金额（万元）", "金额（元）"):
                col = j
    amounts = [j for j, c in enumerate(line) if j > 0 and is_amount(c.text)]
    if col is None or col >= len(line):
        if len(amounts) != 1:
            return None
        col = amounts[0]
    part = Table(
        kind=TableKind.T10,
        title=regions.ADMIN_COST_TITLE,
        unit=table.unit,
        department=table.department,
        loc=loc_of(line),
        decimals=table.decimals,
    )
    ctx = Ctx(kind=TableKind.T10, rows=[line], table=part)
    part.columns = [Column(key="amount", label="机关运行经费")]
    part.rows = [new_row(key="total", label=rz.squash(line[0].text), cells={"amount": ctx.cell(line[col])}, loc=loc_of(line))]
    record_doubts(part, [line])
    return part, ctx.issues


def build_tables(d: Draft) -> list[tuple[Table, list[ReadIssue]]]:
    """The tables of a draft: one, or for a 三公 table with a 相关统计数 block printed in its grid
    without a caption of its own, the 三公 table and a T09S table (named 相关统计数); for a
    支出预算总表 that goes on into the 财政拨款收支预算总表, both; a combined table holding a
    机关运行经费 line (三公 or 政府采购 beside it) also yields that line as a T10 table."""
    table, issues = build_table(d)
    split = _second_budget_table(d, table)
    if split is not None:
        return [build_table(split[0]), build_table(split[1])]
    out = _build_tables(d, table, issues)
    if table.kind in (TableKind.T09, TableKind.T11):
        admin = _admin_cost_part(d, table)
        if admin is not None:
            out.append(admin)
    return out


def _build_tables(d: Draft, table: Table, issues: list[ReadIssue]) -> list[tuple[Table, list[ReadIssue]]]:
    if table.kind is not TableKind.T09:
        return [(table, issues)]
    at = _statistics_start(d)
    if at is None:
        return [(table, issues)]
    gi, ri = at
    head = [*d.grids[:gi], d.grids[gi][:ri]] if ri else d.grids[:gi]
    tail = [d.grids[gi][ri:], *d.grids[gi + 1 :]]
    first = Draft(captions=d.captions, grids=head, section=d.section, notes=d.notes)
    first.heading_title = d.heading_title
    stats = Draft(captions=[], grids=tail, section=d.section)
    stats.heading_title = ("相关统计数", loc_of(tail[0][0]))
    t1, i1 = build_table(first)
    t2, i2 = build_table(stats)
    if t2.kind is not TableKind.T09S or not t2.rows:
        return [(table, issues)]
    return [(t1, i1), (t2, i2)]


__all__ = ["Draft", "build_table", "build_tables", "budget_title_in_grid", "title_row"]
