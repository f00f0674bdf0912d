"""Regional 决算 layouts for the quality benchmark: the composed (Shanghai, 11-table) disclosure
rearranged into the table set, titles, numbering and units of another region.

Each layout keeps the document valid: a table it adds is derived from the composed tables so that
its own identities hold (a 明细表's rows add up, a 分单位 table's 合计 is the 分科目 table's), the 目录
and the headings of the tables part list exactly the tables printed, and the narrative (written
in 万元 from the composed tables) stays true. Which regions print what is described in
:mod:`juesuan.tables.regions`; a layout not listed there (``shanghai``) is the composer's own.

A combined table (Yunnan's 三公/机关运行经费, Inner Mongolia's 机构运行经费/国有资产/政府采购) is
printed from one table of the model holding the extra lines (row ``admin_cost``); the model also
holds the T10 table (its 合计 only) that the reader yields from that line, outside every section.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from juesuan.compose.layout import ADMIN_ROW
from juesuan.compose.subjects import cn_num
from juesuan.ingest.document_parts import read_document_parts
from juesuan.model import AmountUnit, Cell, Column, Disclosure, Row, Section, Table, TableKind, TocEntry
from juesuan.tables import regions, schema

LAYOUTS = ("shanghai", "national", "sichuan", "yunnan", "inner_mongolia", "zhejiang", "jiangsu", "yuan")
CENT = Decimal("0.01")


def _copy(t: Table, kind: TableKind | None = None, title: str | None = None) -> Table:
    c = t.model_copy(deep=True)
    if kind is not None:
        c.kind = kind
    if title is not None:
        c.title = title
    return c


def _cell(v: Decimal | None) -> Cell:
    return Cell() if v is None else Cell(raw=f"{v:,.2f}", value=v)


def _split(v: Decimal, n: int) -> list[Decimal]:
    """``v`` in ``n`` parts to the cent that add up exactly (the first the largest)."""
    if n <= 1:
        return [v]
    shares = [Decimal("0.6")] + [Decimal("0.4") / (n - 1)] * (n - 1)
    parts = [(v * s).quantize(CENT) for s in shares[1:]]
    return [v - sum(parts, Decimal(0)), *parts]


# -- derived tables -------------------------------------------------------------------------------
def _detail(doc: Disclosure, kind: TableKind, title: str) -> Table:
    """财政拨款支出决算明细表 / 一般公共预算…明细表 (Sichuan): the 经济分类 rows of the 基本支出 detail
    (T06) as 基本支出, the 项目支出 of T05 on 30299 其他商品和服务支出; 合计 = 基本 + 项目 on each row."""
    t05, t06 = doc.table(TableKind.T05), doc.table(TableKind.T06)
    assert t05 is not None and t06 is not None
    project = t05.value("total", "project") or Decimal(0)
    basic: dict[str, Decimal | None] = {}
    labels: dict[str, str] = {}
    for r in t06.rows:
        if r.code and r.code.isdigit():
            basic[r.code] = r.value("amount")
            labels[r.code] = r.label
    if project:
        basic.setdefault("302", None)
        basic.setdefault("30299", None)
        labels.setdefault("302", "商品和服务支出")
        labels.setdefault("30299", "其他商品和服务支出")
    rows: list[Row] = []
    totals = {"total": Decimal(0), "basic": Decimal(0), "project": Decimal(0)}
    for code in sorted(basic, key=lambda c: (c[:3], len(c), c)):
        b = basic[code]
        p = project if code in ("302", "30299") and project else None
        if b is None and p is None:
            continue
        tot = (b or Decimal(0)) + (p or Decimal(0))
        rows.append(Row(key=code, code=code, label=labels[code],
                        cells={"total": _cell(tot), "basic": _cell(b), "project": _cell(p)}))  # fmt: skip
        if len(code) == 3:
            totals["total"] += tot
            totals["basic"] += b or Decimal(0)
            totals["project"] += p or Decimal(0)
    head = Row(key="total", label="合计", cells={k: _cell(v) for k, v in totals.items()})
    cols = [Column(key=k, label=schema.column_label(kind, k)) for k in ("total", "basic", "project")]
    return Table(kind=kind, title=title, department=t05.department, unit=t05.unit, columns=cols, rows=[head, *rows])


def _project_detail(doc: Disclosure, title: str) -> Table:
    """一般公共预算财政拨款项目支出决算表: the 项目支出 column of T05 by 功能分类."""
    t05 = doc.table(TableKind.T05)
    assert t05 is not None
    rows = [
        Row(key=r.key, code=r.code, label=r.label, cells={"amount": r.cells.get("project", Cell()).model_copy()})
        for r in t05.rows
        if r.key == "total" or r.code
    ]
    return Table(kind=TableKind.T05P, title=title, department=t05.department, unit=t05.unit,
                 columns=[Column(key="amount", label="项目支出")], rows=rows)  # fmt: skip


def _projects(doc: Disclosure, title: str) -> Table:
    """项目支出决算表 / 项目收入支出决算表: the 项目支出 of T03 split over three projects (本年收入 =
    本年支出, no balances)."""
    t03 = doc.table(TableKind.T03)
    assert t03 is not None
    spent = t03.value("total", "project") or Decimal(0)
    names = [p.fields["project_name"].raw for p in doc.tables_of(TableKind.PERF_PROJECT) if "project_name" in p.fields]
    names = (names + ["业务运转保障项目", "信息化建设项目", "其他专项业务经费"])[:3]
    rows = [Row(key="total", label="合计", cells={"begin_balance": Cell(), "income": _cell(spent), "expense": _cell(spent), "end_balance": Cell()})]
    for name, v in zip(names, _split(spent, len(names)), strict=True):
        rows.append(Row(key=name, label=name, cells={"begin_balance": Cell(), "income": _cell(v), "expense": _cell(v), "end_balance": Cell()}))
    cols = [Column(key=k, label=lab) for k, lab in regions.PROJ_COLUMNS.items()]
    return Table(kind=TableKind.PROJ, title=title, department=t03.department, unit=t03.unit, columns=cols, rows=rows)


def _by_unit(doc: Disclosure, kind: TableKind, title: str) -> Table:
    """收入/支出决算表（分单位）(Zhejiang): the 合计 row of T02/T03 split over the department's units;
    each unit's 合计 is the sum of its parts, the last unit takes what is left of the column 合计."""
    src = doc.table(TableKind.T02 if kind is TableKind.T02U else TableKind.T03)
    assert src is not None
    parts = schema.T02_PARTS if kind is TableKind.T02U else schema.T03_PARTS
    units = [f"{doc.metadata.department}本级", f"{doc.metadata.department}所属事业单位"]
    split = {c: _split(src.value("total", c) or Decimal(0), len(units)) for c in parts}
    rows = [Row(key="total", label="合计", cells={k: c.model_copy() for k, c in src.rows[0].cells.items()})]
    for i, u in enumerate(units):
        cells = {c: _cell(split[c][i] if src.value("total", c) is not None else None) for c in parts}
        cells["total"] = _cell(sum((split[c][i] for c in parts), Decimal(0)))
        rows.append(Row(key=u, label=u, cells=cells))
    return Table(kind=kind, title=title, department=src.department, unit=src.unit,
                 columns=[c.model_copy() for c in src.columns], rows=rows)  # fmt: skip


def _admin_total(doc: Disclosure) -> Table | None:
    """The T10 table the reader yields from the 机关运行经费 line of a combined table."""
    t10 = doc.table(TableKind.T10)
    if t10 is None or t10.value("total", "amount") is None:
        return None
    return Table(kind=TableKind.T10, title=regions.ADMIN_COST_TITLE, department=t10.department, unit=t10.unit,
                 columns=[Column(key="amount", label="机关运行经费")],
                 rows=[Row(key="total", label="机关运行经费", cells={"amount": t10.rows[0].cells["amount"].model_copy()})])  # fmt: skip


# -- rearranging the tables part ------------------------------------------------------------------
def _numbered(tables: list[Table], style: str = "digits") -> None:
    n = 0
    for t in tables:
        if t.kind in (TableKind.T09S, TableKind.PERF_PROJECT, TableKind.PERF_DEPT):
            continue
        n += 1
        t.printed_number = f"公开{n:02d}表" if style == "digits" else f"公开表{cn_num(n)}" if style == "cn" else ""


def _rearrange(doc: Disclosure, part2: list[Table], hidden: list[Table] | None = None) -> None:
    """Put ``part2`` (in order) into the tables part with one heading per printed table, the 目录
    likewise; other tables referenced by a section keep their place; ``hidden`` tables (what a
    reader splits out of a combined table) are in the model but in no section."""
    old = doc.tables
    p2 = doc.sections[1]
    others = [t for t in old if all(t is not x for x in part2)]
    in_sections = {id(old[i]) for s in doc.walk_sections() if s is not p2 and s not in p2.children for i in s.table_indices}
    keep = [t for t in others if id(t) in in_sections and t.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)]
    perf_loose = [t for t in others if t.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT) and t not in keep]
    new = part2 + keep + perf_loose + (hidden or [])
    index = {id(t): i for i, t in enumerate(new)}
    moved = {id(t) for t in part2}
    for s in doc.walk_sections():
        if s is p2 or s in p2.children:
            continue
        s.table_indices = [index[id(old[i])] for i in s.table_indices if id(old[i]) in index and id(old[i]) not in moved]
    children: list[Section] = []
    for t in part2:
        if t.kind is TableKind.T09S and children:
            children[-1].table_indices.append(index[id(t)])
            continue
        n = len(children) + 1
        children.append(Section(heading=f"{cn_num(n)}、{t.title}", level=2, number=cn_num(n), table_indices=[index[id(t)]]))
    p2.children = children
    doc.tables = new
    toc: list[TocEntry] = []
    for part in doc.sections:
        toc.append(TocEntry(text=part.heading, level=1))
        toc += [TocEntry(text=c.heading, level=2) for c in part.children]
    doc.toc = toc
    read_document_parts(doc)


def _get(doc: Disclosure, kind: TableKind, title: str | None = None) -> Table:
    t = doc.table(kind)
    assert t is not None, kind
    if title is not None:
        t.title = title
    return t


def _with_stats(doc: Disclosure, t09: Table) -> list[Table]:
    stats = doc.table(TableKind.T09S)
    return [t09] + ([stats] if stats is not None else [])


def _national(doc: Disclosure, seed: int) -> None:
    """The national template: 9 tables (no 机关运行经费 or 政府采购 table)."""
    tables = [_get(doc, k) for k in (TableKind.T01, TableKind.T02, TableKind.T03, TableKind.T04, TableKind.T05)]
    tables += [_get(doc, TableKind.T06, "一般公共预算财政拨款基本支出决算表"), _get(doc, TableKind.T07)]
    tables += [_get(doc, TableKind.T08, "国有资本经营预算财政拨款支出决算表")]
    tables += _with_stats(doc, _get(doc, TableKind.T09))
    _numbered(tables)
    _rearrange(doc, tables)


def _sichuan(doc: Disclosure, seed: int) -> None:
    """Sichuan: 13 tables (the two 明细表, the 项目支出 table, a second 国有资本经营 table)."""
    t08 = _get(doc, TableKind.T08)
    t08e = _copy(t08, title="国有资本经营预算财政拨款支出决算表")
    t08e.columns = [Column(key=k, label=lab) for k, lab in (("exp_total", "合计"), ("basic", "基本支出"), ("project", "项目支出"))]
    for r in t08e.rows:
        r.cells = {k: c for k, c in r.cells.items() if k in ("exp_total", "basic", "project")}
    tables = [_get(doc, k) for k in (TableKind.T01, TableKind.T02, TableKind.T03, TableKind.T04)]
    tables += [_detail(doc, TableKind.T05D, "财政拨款支出决算明细表"), _get(doc, TableKind.T05)]
    tables += [_detail(doc, TableKind.T05GD, "一般公共预算财政拨款支出决算明细表"), _get(doc, TableKind.T06)]
    tables += [_project_detail(doc, "一般公共预算财政拨款项目支出决算表"), _get(doc, TableKind.T07), t08, t08e]
    tables += _with_stats(doc, _get(doc, TableKind.T09))
    _numbered(tables)
    _rearrange(doc, tables)


def _yunnan(doc: Disclosure, seed: int) -> None:
    """Yunnan: 收入支出决算表 (no 总), 项目支出 tables, the combined 三公/机关运行经费 table, the 绩效
    自评表 inside the tables part."""
    t09 = _get(doc, TableKind.T09, "财政拨款“三公”经费、行政参公单位机关运行经费情况表")
    admin = _admin_total(doc)
    if admin is not None:
        t09.rows.append(Row(key=ADMIN_ROW, label="机关运行经费", cells={"budget": Cell(), "actual": admin.rows[0].cells["amount"].model_copy()}))
    tables = [_get(doc, TableKind.T01, "收入支出决算表"), _get(doc, TableKind.T02), _get(doc, TableKind.T03)]
    tables += [_get(doc, TableKind.T04, "财政拨款收入支出决算表"), _get(doc, TableKind.T05), _get(doc, TableKind.T06)]
    tables += [_project_detail(doc, "一般公共预算财政拨款项目支出决算表"), _projects(doc, "项目支出决算表")]
    tables += [_get(doc, TableKind.T07), _get(doc, TableKind.T08)] + _with_stats(doc, t09)
    tables += doc.tables_of(TableKind.PERF_PROJECT)
    _numbered(tables)
    _rearrange(doc, tables, [admin] if admin is not None else [])


def _inner_mongolia(doc: Disclosure, seed: int) -> None:
    """Inner Mongolia: 12 tables, 项目收入支出决算表, the 项目支出 明细表 and one table for 机构运行经费,
    国有资产占用 and 政府采购."""
    t11 = _get(doc, TableKind.T11, "机构运行经费支出、国有资产占用情况及政府采购支出信息表")
    admin = _admin_total(doc)
    if admin is not None:
        t11.rows.insert(0, Row(key=ADMIN_ROW, label="机构运行经费支出", cells={"amount": admin.rows[0].cells["amount"].model_copy()}))
    # the combined table holds more than 政府采购: a note that it has no data would be false
    t11.notes = [n for n in t11.notes if "无数据" not in n.text]
    tables = [_get(doc, k) for k in (TableKind.T01, TableKind.T02, TableKind.T03, TableKind.T04)]
    tables += [_projects(doc, "项目收入支出决算表"), _get(doc, TableKind.T05), _get(doc, TableKind.T06)]
    tables += [_project_detail(doc, "一般公共预算财政拨款项目支出决算明细表"), _get(doc, TableKind.T07)]
    tables += [_get(doc, TableKind.T08, "国有资本经营预算财政拨款支出决算表")] + _with_stats(doc, _get(doc, TableKind.T09))
    tables += [t11]
    _numbered(tables)
    _rearrange(doc, tables, [admin] if admin is not None else [])


def _zhejiang(doc: Disclosure, seed: int) -> None:
    """Zhejiang: 收入决算表 and 支出决算表 each 分单位 and 分科目."""
    tables = [_get(doc, TableKind.T01), _by_unit(doc, TableKind.T02U, "收入决算表（分单位）")]
    tables += [_get(doc, TableKind.T02, "收入决算表（分科目）"), _by_unit(doc, TableKind.T03U, "支出决算表（分单位）")]
    tables += [_get(doc, TableKind.T03, "支出决算表（分科目）")]
    tables += [_get(doc, k) for k in (TableKind.T04, TableKind.T05, TableKind.T06, TableKind.T07, TableKind.T08)]
    tables += _with_stats(doc, _get(doc, TableKind.T09))
    _numbered(tables)
    _rearrange(doc, tables)


def _jiangsu(doc: Disclosure, seed: int) -> None:
    """Jiangsu: 会议费 and 培训费 in the 三公 table, numbers printed as 公开表一 (or none, odd seeds)."""
    t09 = _get(doc, TableKind.T09)
    car = t09.value("car", "actual") or Decimal(0)
    for key, label, share in (("meeting", "会议费", Decimal("0.35")), ("training", "培训费", Decimal("0.6"))):
        actual = (car * share + Decimal("1.27")).quantize(CENT)
        budget = (actual * Decimal("1.2")).quantize(CENT)
        t09.rows.append(Row(key=key, label=label, cells={"budget": _cell(budget), "actual": _cell(actual)}))
    tables = [t for t in doc.tables if t.kind not in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)]
    _numbered(tables, "cn" if seed % 2 == 0 else "none")
    _rearrange(doc, tables)


def in_yuan(doc: Disclosure, exact: list[Table]) -> None:
    """Tables in 元 to the cent, the narrative in 万元 as composed. ``exact`` are the same tables
    drawn in 元 (the synthetic amounts are drawn in 分; the composed tables round each to 万元, so
    multiplying those back would print 元 tables that do not add up)."""
    by: dict[tuple[TableKind, str, str | None], Row] = {(t.kind, r.key, r.side): r for t in exact for r in t.rows}
    for t in doc.tables:
        if t.kind in (TableKind.T09S, TableKind.PERF_PROJECT, TableKind.PERF_DEPT):
            continue
        t.unit = AmountUnit.YUAN
        for r in t.rows:
            src = by.get((t.kind, r.key, r.side))
            for k, c in r.cells.items():
                if c.value is None:
                    continue
                e = src.cells.get(k) if src is not None else None
                c.value = e.value if e is not None and e.value is not None else (c.value * 10000).quantize(CENT)
                c.raw = f"{c.value:,.2f}"
    doc.metadata.unit = AmountUnit.YUAN


def _yuan(doc: Disclosure, seed: int) -> None:
    """Applied by :func:`bench.quality.generate.generate`, which has the tables drawn in 元."""


APPLY: dict[str, Callable[[Disclosure, int], None]] = {
    "national": _national,
    "sichuan": _sichuan,
    "yunnan": _yunnan,
    "inner_mongolia": _inner_mongolia,
    "zhejiang": _zhejiang,
    "jiangsu": _jiangsu,
    "yuan": _yuan,
}


def apply_layout(doc: Disclosure, layout: str, seed: int) -> None:
    """Rearrange the composed disclosure ``doc`` (in place) into ``layout``."""
    if layout not in LAYOUTS:
        raise ValueError(f"未知版式“{layout}”，可选：{'、'.join(LAYOUTS)}")
    if layout != "shanghai":
        APPLY[layout](doc, seed)
