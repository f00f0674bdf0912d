"""Building one :class:`Table` from its captions and grid rows.

A draft is what the document walk collected for one printed table: caption lines (title,
公开NN表, 部门, 金额单位), one or more grids (a table split across pages is several grids) and the
note lines under it. The kind is recognised from the title, else from the header labels; each kind
has a body parser (:mod:`.bodies`) that produces rows keyed as :mod:`juesuan.tables.schema` says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import AmountUnit, Column, Location, ReadIssue, Section, Table, TableKind, TextItem
from ...tables import recognize as rz
from ...tables import regions
from .bodies import PARSERS, parse_other
from .grid import Ctx, Grid, body_like, expand, is_amount, loc_of, new_row
from .lines import DEPT, NUMBER, UNIT


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


def _kind(title: str, rows: Grid) -> TableKind:
    k = rz.kind_from_title(title)
    if k is not None:
        return k
    labels = [c.text for r in rows[:12] for c in r if c.text.strip()]
    return rz.kind_from_columns(labels) or TableKind.OTHER


def _join_grids(grids: list[Grid]) -> Grid:
    """Grids of one table split across pages: a continuation's repeated header rows are dropped."""
    rows: Grid = list(grids[0]) if grids else []
    for g in grids[1:]:
        i = 0
        while i < len(g) and not body_like(g[i]):
            i += 1
        rows.extend(g[i:])
    return rows


def build_table(d: Draft) -> tuple[Table, list[ReadIssue]]:
    table = Table(kind=TableKind.OTHER)
    _captions(d, table)
    rows = expand(_join_grids(d.grids))
    table.kind = _kind(table.title, rows)
    for r in (
        rows[:8] if table.kind not in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT, TableKind.OTHER) else []
    ):
        if body_like(r):
            break
        text = " ".join(c.text.strip() for c in r if c.text.strip())
        if text:
            table.header_texts.append(TextItem(text=text, loc=loc_of(r)))
    ctx = Ctx(kind=table.kind, rows=rows, table=table)
    parser = PARSERS.get(table.kind, parse_other)
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
    return part, ctx.issues


def build_tables(d: Draft) -> list[tuple[Table, list[ReadIssue]]]:
    """The tables of a draft: one, or for a 三公 table with a 相关统计数 block printed in its grid
    without a caption of its own, the 三公 table and a T09S table (named 相关统计数); a combined table
    holding a 机关运行经费 line (三公 or 政府采购 beside it) also yields that line as a T10 table."""
    table, issues = build_table(d)
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


__all__ = ["Draft", "build_table", "build_tables"]
