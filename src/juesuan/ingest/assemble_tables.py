"""Building one :class:`Table` from its captions and grid rows.

A draft is what the document walk collected for one printed table: caption lines (title,
公开NN表, 部门, 金额单位), one or more grids (a table split across pages is several grids) and the
note lines under it. The kind is recognised from the title, else from the header labels; each kind
has a body parser that produces rows keyed as :mod:`juesuan.tables.schema` says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..model import (
    AmountUnit,
    Cell,
    Column,
    Location,
    ReadIssue,
    Row,
    Section,
    Table,
    TableKind,
    TextItem,
)
from ..tables import recognize as rz
from ..tables import schema
from ..tables.numbers import is_blank, parse_percent, try_amount
from .raw import RawCell

_NUMBER = re.compile(r"公开\s*\d{1,2}\s*表")
_DEPT = re.compile(
    r"(?:部门|编制单位|单位名称|预算单位|部门名称)\s*[：:]\s*(.+?)(?=\s{2,}|\s*金额单位|\s*单位\s*[：:]|\s*公开\s*\d|$)"
)
_UNIT = re.compile(r"(?:金额)?单位\s*[：:]\s*(万元|元|千元)")
_AMOUNTISH = re.compile(r"^[-+（(]?[\d,，.\s]*\d[\d,，.\s]*[)）]?$")

Grid = list[list[RawCell]]


@dataclass
class Draft:
    captions: list[tuple[str, Location | None]]
    grids: list[Grid]
    section: Section | None = None
    notes: list[tuple[str, Location | None]] = field(default_factory=list)
    heading_title: tuple[str, Location | None] | None = None


@dataclass
class _Ctx:
    """What a body parser works with and produces."""

    kind: TableKind
    rows: Grid
    table: Table
    issues: list[ReadIssue] = field(default_factory=list)

    def cell(self, rc: RawCell | None, *, text: bool = False, counted: bool = False) -> Cell:
        if rc is None:
            return Cell(raw="", value=None)
        raw = rc.text.strip()
        if text or not raw:
            return Cell(raw=raw, loc=rc.loc, confidence=rc.confidence)
        v, ok = _amount(raw)
        if not ok:
            pct = parse_percent(raw)
            if pct is None and raw not in ("--", "—", "-", "/", "×", "x", "X"):
                where = rc.loc.describe() if rc.loc else ""
                self.issues.append(
                    ReadIssue(
                        code="unreadable_number",
                        message=f"{self.table.name}{where}的数字“{raw}”无法识别",
                        loc=rc.loc,
                    )
                )
            v = pct
        return Cell(raw=raw, value=v, loc=rc.loc, confidence=rc.confidence)

    def issue(self, code: str, message: str, loc: Location | None = None) -> None:
        self.issues.append(
            ReadIssue(code=code, message=f"{self.table.name}：{message}", loc=loc or self.table.loc)
        )


# -- grid helpers ------------------------------------------------------------------------------
def _expand(rows: Grid) -> Grid:
    """A rectangular grid: colspan/rowspan expanded (covered places get empty cells), cell text
    joined across line breaks, trailing empty columns dropped. Cells are reused when nothing
    needs changing (the common case: text readers give plain cells)."""
    out: Grid = []
    carry: dict[tuple[int, int], RawCell] = {}
    for r, row in enumerate(rows):
        if not carry and all(c.colspan <= 1 and c.rowspan <= 1 and "\n" not in c.text for c in row):
            out.append(row)
            continue
        line: list[RawCell] = []
        c = 0
        for cell in row:
            while (r, c) in carry:
                line.append(carry.pop((r, c)))
                c += 1
            text = cell.text.replace("\r", "").replace("\n", "")
            line.append(RawCell(text=text.strip(), loc=cell.loc, confidence=cell.confidence))
            for _ in range(1, max(cell.colspan, 1)):
                line.append(RawCell(text="", loc=cell.loc))
            for dr in range(1, max(cell.rowspan, 1)):
                for dc in range(max(cell.colspan, 1)):
                    carry[(r + dr, c + dc)] = RawCell(text="", loc=cell.loc)
            c += max(cell.colspan, 1)
        while (r, c) in carry:
            line.append(carry.pop((r, c)))
            c += 1
        out.append(line)
    width = max((len(r) for r in out), default=0)
    while width and all(len(r) < width or not r[width - 1].text.strip() for r in out):
        width -= 1
    empty = RawCell(text="")
    return [r[:width] if len(r) >= width else r + [empty] * (width - len(r)) for r in out]


def _txt(row: list[RawCell], j: int) -> str:
    return row[j].text if 0 <= j < len(row) else ""


@lru_cache(maxsize=8192)
def _amount(raw: str) -> tuple[Decimal | None, bool]:
    """``try_amount`` remembered: the same printed strings recur all over a document."""
    return try_amount(raw)


@lru_cache(maxsize=8192)
def _is_amount(text: str) -> bool:
    t = text.strip()
    return bool(t) and bool(_AMOUNTISH.match(t)) and _amount(t)[1]


def _is_column_numbers(row: list[RawCell]) -> bool:
    """A 栏次 row: ``栏次 | | 1 | 2 | 3`` or a bare ``1 | 2 | … | n``."""
    texts = [rz.squash(c.text) for c in row if c.text.strip()]
    if any(t in ("栏次", "行次") for t in texts) and all(
        t.isdigit() or t in ("栏次", "行次", "—", "-") or not _is_amount(t) and len(t) < 4 for t in texts
    ):
        return True
    nums = [t for t in texts if t.isdigit()]
    return (
        len(nums) >= 3
        and len(nums) == len(texts)
        and [int(x) for x in nums] == list(range(int(nums[0]), int(nums[0]) + len(nums)))
    )


def _header_parts(header: Grid, width: int, fill_from: int = 2) -> list[list[str]]:
    """The header labels above every column, top-down. A group cell of an upper row (a merged
    cell printed once) fills the blank cells to its right, up to the next column where some
    row above starts a new group; the last header row (the leaves) is never filled."""
    filled: list[list[str]] = []
    bounds: set[int] = set()
    for i, row in enumerate(header):
        texts = [rz.squash(_txt(row, j)) for j in range(width)]
        orig = list(texts)
        if i < len(header) - 1:
            last = ""
            for j in range(width):
                if orig[j]:
                    last = orig[j]
                elif j in bounds:
                    last = ""
                elif last and j >= fill_from:
                    texts[j] = last
        bounds |= {j for j in range(width) if orig[j]}
        filled.append(texts)
    out: list[list[str]] = []
    for j in range(width):
        parts: list[str] = []
        for frow in filled:
            if frow[j] and (not parts or parts[-1] != frow[j]):
                parts.append(frow[j])
        out.append(parts)
    return out


def _header_paths(header: Grid, width: int, fill_from: int = 2) -> tuple[list[str], list[str]]:
    """(leaf label, full path) of every column."""
    leaves, paths = [], []
    for j, parts in enumerate(_header_parts(header, width, fill_from)):
        paths.append("".join(parts))
        leaf = ""
        for row in reversed(header):
            if rz.squash(_txt(row, j)):
                leaf = rz.squash(_txt(row, j))
                break
        leaves.append(leaf)
    return leaves, paths


def _loc_of(row: list[RawCell]) -> Location | None:
    for c in row:
        if c.loc is not None:
            return c.loc
    return None


# -- captions --------------------------------------------------------------------------------------
def _captions(d: Draft, table: Table) -> None:
    title_loc: Location | None = None
    for text, loc in d.captions:
        t = text.strip()
        table.header_texts.append(TextItem(text=t, loc=loc))
        m = _NUMBER.search(t)
        if m and table.printed_number is None:
            table.printed_number = m.group(0)
        dm = _DEPT.match(t)
        if dm and table.department is None:
            table.department = rz.squash(dm.group(1))
        um = _UNIT.search(t)
        if um and table.unit is None:
            table.unit = (
                AmountUnit.YUAN
                if um.group(1) == "元"
                else AmountUnit.WAN_YUAN
                if um.group(1) == "万元"
                else None
            )
        rest = _NUMBER.sub("", t).strip()
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
    start = title_loc or (d.captions[0][1] if d.captions else None) or _loc_of(first)
    end = _loc_of(last_grid[-1]) if last_grid else None
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
    labels = [c.text for r in rows[:6] for c in r if c.text.strip()]
    return rz.kind_from_columns(labels) or TableKind.OTHER


def _join_grids(grids: list[Grid]) -> Grid:
    """Grids of one table split across pages: a continuation's repeated header rows are dropped."""
    rows: Grid = list(grids[0]) if grids else []
    for g in grids[1:]:
        i = 0
        while i < len(g) and not _body_like(g[i]):
            i += 1
        rows.extend(g[i:])
    return rows


def _body_like(row: list[RawCell]) -> bool:
    texts = [c.text.strip() for c in row if c.text.strip()]
    if not texts:
        return False
    if _is_column_numbers(row):
        return False
    first = texts[0]
    if rz.is_code_part(first) or rz.is_total_label(first):
        return True
    return any(_is_amount(t) and ("." in t or "," in t) for t in texts)


def build_table(d: Draft) -> tuple[Table, list[ReadIssue]]:
    table = Table(kind=TableKind.OTHER)
    _captions(d, table)
    rows = _expand(_join_grids(d.grids))
    table.kind = _kind(table.title, rows)
    for r in (
        rows[:8] if table.kind not in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT, TableKind.OTHER) else []
    ):
        if _body_like(r):
            break
        text = " ".join(c.text.strip() for c in r if c.text.strip())
        if text:
            table.header_texts.append(TextItem(text=text, loc=_loc_of(r)))
    ctx = _Ctx(kind=table.kind, rows=rows, table=table)
    parser = _PARSERS.get(table.kind, _parse_other)
    parser(ctx)
    return table, ctx.issues


# -- shared: split header and body ---------------------------------------------------------------
def _split(rows: Grid, is_body: Callable[[list[RawCell]], bool]) -> tuple[Grid, Grid]:
    for i, row in enumerate(rows):
        if is_body(row):
            header = [r for r in rows[:i] if not _is_column_numbers(r)]
            body = [r for r in rows[i:] if not _is_column_numbers(r)]
            return header, body
    return [r for r in rows if not _is_column_numbers(r)], []


def _set_columns(ctx: _Ctx, mapping: dict[int, str], labels: list[str]) -> None:
    seen: set[str] = set()
    for j, key in sorted(mapping.items()):
        if key in seen:
            continue
        seen.add(key)
        label = labels[j] if j < len(labels) and labels[j] else schema.column_label(ctx.kind, key)
        ctx.table.columns.append(Column(key=key, label=label))


# -- coded tables (T02, T03, T05, T07, T08, T10) ----------------------------------------------------
def _coded_body_start(row: list[RawCell]) -> bool:
    """The first body row: it starts with a 科目 code or with 合计 (the first printed cell;
    ``类 | 款 | 项`` labels printed on the 合计 line, as PDF extraction merges them, are skipped)."""
    for c in row[:5]:
        t = c.text.strip()
        if not t or rz.squash(t) in ("类", "款", "项"):
            continue
        if rz.is_code_part(t) and len(rz.squash(t)) >= 3 or rz.is_total_label(t):
            return True
        return bool(re.match(r"^\d{3,7}\s*\S", t)) and not _is_amount(t)
    return False


def _label_zone(header: Grid, body: Grid, width: int) -> int:
    """Number of leading label columns (code parts and name)."""
    end = 0
    rows = [r for r in body if any(_is_amount(c.text) for c in r)] or body
    for j in range(width):
        texts = [rz.squash(_txt(r, j)) for r in rows]
        label_text = sum(1 for t in texts if t and not _is_amount(t))
        codes = sum(1 for t in texts if t.isdigit() and len(t) <= 7 and "." not in t)
        amounts = sum(1 for t in texts if _is_amount(t) and not (t.isdigit() and len(t) in (2, 3, 4, 5, 7)))
        head = "".join(rz.squash(_txt(r, j)) for r in header)
        head_label = any(w in head for w in ("代码", "编码", "名称", "科目")) or head in (
            "类",
            "款",
            "项",
            "项目",
        )
        if (label_text + codes > amounts and (label_text or codes)) or head_label and not amounts:
            end = j + 1
        elif j > end + 1:
            break
    return max(end, 1)


def _code_columns(header: Grid, body: Grid, zone: int) -> list[int]:
    """Label-zone columns that hold 科目 code digits (one column, or 类|款|项)."""
    cols = []
    for j in range(zone):
        texts = [rz.squash(_txt(r, j)) for r in body if rz.squash(_txt(r, j))]
        if texts and sum(1 for t in texts if t.isdigit()) >= max(1, len(texts) // 2):
            cols.append(j)
    return cols


def _positional(ctx: _Ctx, used: list[int], amount_cols: list[int]) -> dict[int, str] | None:
    for order in rz.CANONICAL_ORDER.get(ctx.kind, []):
        if len(used) == len(order):
            return dict(zip(used, order, strict=True))
    for order in rz.CANONICAL_ORDER.get(ctx.kind, []):
        if len(amount_cols) == len(order):
            return dict(zip(amount_cols, order, strict=True))
    return None


def _parse_coded(ctx: _Ctx) -> None:
    header, body = _split(ctx.rows, _coded_body_start)
    width = len(ctx.rows[0]) if ctx.rows else 0
    if not body and not header:
        return
    if body and _merged_subheader(body[0]):
        # PDF extraction printed the last header row on the 合计 line: its labels are header
        header = header + [[RawCell(text="") for _ in range(2)] + body[0][2:]]
        body = [[*body[0][:2], *(RawCell(text="", loc=c.loc) for c in body[0][2:])], *body[1:]]
    zone = _label_zone(header, body, width)
    code_cols = _code_columns(header, body, zone)
    leaves, paths = _header_paths(header, width)
    amount_cols = [j for j in range(zone, width) if paths[j] or any(rz.squash(_txt(r, j)) for r in body)]
    used = [j for j in amount_cols if any(_txt(r, j).strip() for r in body)]
    mapping = {j: k for j in amount_cols if (k := rz.column_key(ctx.kind, leaves[j], paths[j]))}
    dup = len(set(mapping[j] for j in used if j in mapping)) < len([j for j in used if j in mapping])
    if any(j not in mapping for j in used) or dup:
        pos = _positional(ctx, used, amount_cols)
        if pos is not None:
            mapping = pos
            if dup or any(j not in mapping for j in used):
                ctx.issue("column_layout", "表头与数据列没有对齐，已按标准列序读取各列")
    else:
        # collapse duplicate keys on empty columns: keep the first column of a key
        firsts: dict[str, int] = {}
        for j in sorted(mapping):
            firsts.setdefault(mapping[j], j)
        mapping = {j: k for k, j in firsts.items()}
    for j in used:
        if j not in mapping:
            ctx.issue(
                "extra_column",
                f"第{j + 1}列“{leaves[j] or paths[j] or '无表头'}”不是本表的标准列，未读取",
                _loc_of(body[0]) if body else None,
            )
    _set_columns(ctx, mapping, leaves)
    _check_missing(ctx, mapping)
    codes = rz.CodeContext()
    name_cols = [j for j in range(zone) if j not in code_cols]
    for r in body:
        parts = [_txt(r, j) for j in code_cols]
        label = "".join(rz.squash(_txt(r, j)) for j in name_cols)
        code = _row_code(codes, parts)
        if code is None and label:
            m = re.match(r"^(\d{3,7})(\D.*)$", label)
            if m:
                code, label = codes.full([m.group(1)]), m.group(2)
        if code is None and rz.is_total_label(label or "".join(parts)):
            key = "total"
            label = label or "合计"
        elif code is not None:
            key = code
        elif label:
            key = rz.strip_ordinal(label)
        else:
            if any(_txt(r, j).strip() for j in mapping):
                ctx.issue("unlabelled_row", "有一行数据没有科目代码和名称", _loc_of(r))
            continue
        row = Row(key=key, label=label, code=code, loc=_loc_of(r))
        for j, k in mapping.items():
            row.cells[k] = ctx.cell(r[j])
        ctx.table.rows.append(row)


def _merged_subheader(row: list[RawCell]) -> bool:
    """A 合计 line that also carries header labels (``合计 | | 合计 | 基本支出 | 项目支出``)."""
    texts = [c.text.strip() for c in row[2:] if c.text.strip()]
    return (
        bool(texts)
        and not any(_is_amount(t) for t in texts)
        and rz.is_total_label(row[0].text or _txt(row, 1))
    )


def _row_code(codes: rz.CodeContext, parts: list[str]) -> str | None:
    texts = [rz.squash(p) for p in parts]
    if not any(texts):
        return None
    if len(texts) == 3 and not texts[0] and (texts[1] or texts[2]):
        return codes.split(texts[1], texts[2])
    return codes.full([t for t in texts if t])


_REQUIRED: dict[TableKind, list[str]] = {
    TableKind.T02: ["total", "fiscal"],
    TableKind.T03: ["total", "basic", "project"],
    TableKind.T05: ["total", "basic", "project"],
    TableKind.T07: ["exp_total"],
    TableKind.T08: ["exp_total"],
    TableKind.T10: ["amount"],
    TableKind.T11: ["amount"],
}


def _check_missing(ctx: _Ctx, mapping: dict[int, str]) -> None:
    have = set(mapping.values())
    missing = [k for k in _REQUIRED.get(ctx.kind, []) if k not in have]
    if missing:
        names = "、".join(schema.column_label(ctx.kind, k) for k in missing)
        ctx.issue("missing_column", f"缺少标准列：{names}")


# -- two-sided tables (T01, T04) -----------------------------------------------------------------
def _two_sided_start(kind: TableKind) -> Callable[[list[RawCell]], bool]:
    def start(row: list[RawCell]) -> bool:
        texts = [c.text for c in row if c.text.strip()]
        if not texts or _is_column_numbers(row):
            return False
        first = texts[0]
        return rz.two_sided_key(kind, "income", first) is not None or rz.function_class(first) is not None

    return start


def _parse_two_sided(ctx: _Ctx) -> None:
    kind = ctx.kind
    header, body = _split(ctx.rows, _two_sided_start(kind))
    width = len(ctx.rows[0]) if ctx.rows else 0
    leaves, paths = _header_paths(header, width)
    label_cols = [j for j in range(width) if leaves[j] in ("项目", "项目名称", "收入项目", "支出项目")]
    if len(label_cols) < 2:
        label_cols = _text_columns(body, width)[:2]
    if len(label_cols) < 2:
        ctx.issue("unrecognised_layout", "无法分出收入和支出两栏")
        return
    left, right = label_cols[0], label_cols[1]
    seq = [j for j in range(width) if "行次" in leaves[j] or _is_sequence(body, j)]
    inc_cols = [j for j in range(left + 1, right) if j not in seq]
    exp_cols = [j for j in range(right + 1, width) if j not in seq]
    exp_map: dict[int, str] = {}
    if kind is TableKind.T04:
        for j in exp_cols:
            lab = leaves[j]
            key = (
                "general"
                if "一般公共" in lab
                else "fund"
                if "政府性基金" in lab
                else "capital"
                if "国有资本" in lab
                else "total"
                if "合计" in lab or "小计" in lab
                else None
            )
            if key and key not in exp_map.values():
                exp_map[j] = key
        if len(exp_map) < len(exp_cols) and len(exp_cols) == 4:
            exp_map = dict(zip(exp_cols, ["total", "general", "fund", "capital"], strict=True))
    elif exp_cols:
        exp_map = {exp_cols[0]: "amount"}
    inc_col = inc_cols[0] if inc_cols else None
    cols = {"amount": "金额"}
    if kind is TableKind.T04:
        cols.update({k: schema.T04_COLUMNS[k] for k in exp_map.values()})
    ctx.table.columns = [Column(key=k, label=v) for k, v in cols.items()]
    after_begin = False
    income: list[Row] = []
    expense: list[Row] = []
    for r in body:
        lab = _txt(r, left)
        key = rz.two_sided_key(kind, "income", lab, after_begin)
        if key == "inc_begin_balance":
            after_begin = True
        if key and inc_col is not None:
            income.append(
                Row(
                    key=key,
                    label=rz.strip_ordinal(lab),
                    side="income",
                    cells={"amount": ctx.cell(r[inc_col])},
                    loc=r[left].loc,
                )
            )
        elif lab.strip() and inc_col is not None and _txt(r, inc_col).strip():
            ctx.issue("unknown_row", f"收入栏“{lab}”不是标准项目，未读取", r[left].loc)
        elab = _txt(r, right)
        ekey = rz.two_sided_key(kind, "expense", elab)
        if ekey:
            code = ekey if ekey.isdigit() else None
            cells = {k: ctx.cell(r[j]) for j, k in exp_map.items()}
            expense.append(
                Row(
                    key=ekey,
                    label=rz.strip_ordinal(elab),
                    code=code,
                    side="expense",
                    cells=cells,
                    loc=r[right].loc,
                )
            )
        elif elab.strip() and any(_txt(r, j).strip() for j in exp_map):
            ctx.issue("unknown_row", f"支出栏“{elab}”不是标准项目，未读取", r[right].loc)
    ctx.table.rows = income + expense


def _text_columns(body: Grid, width: int) -> list[int]:
    out = []
    for j in range(width):
        texts = [_txt(r, j).strip() for r in body if _txt(r, j).strip()]
        if texts and sum(1 for t in texts if not _is_amount(t)) > len(texts) // 2:
            out.append(j)
    return out


def _is_sequence(body: Grid, j: int) -> bool:
    vals = [rz.squash(_txt(r, j)) for r in body if rz.squash(_txt(r, j))]
    if len(vals) < 3 or not all(v.isdigit() for v in vals):
        return False
    nums = [int(v) for v in vals]
    return all(b > a for a, b in zip(nums, nums[1:], strict=False))


# -- T06 -------------------------------------------------------------------------------------------
def _side_of(code: str) -> str:
    return "personnel" if code[:3] in schema.T06_PERSONNEL_CLASSES else "public"


def _parse_t06(ctx: _Ctx) -> None:
    header, body = _split(ctx.rows, _coded_body_start)
    width = len(ctx.rows[0]) if ctx.rows else 0
    leaves, paths = _header_paths(header, width)
    code_cols = [j for j in range(width) if "代码" in leaves[j] or "编码" in leaves[j]]
    if len(code_cols) <= 1 and any(leaves[j] == "人员经费" for j in range(width)):
        _parse_t06_split(ctx, header, body, leaves, paths)
        return
    groups = _t06_groups(leaves, width)
    ctx.table.columns = [Column(key="amount", label=leaves[groups[0][2]] or "决算数" if groups else "决算数")]
    for r in body:
        for codes_at, name, amt in groups:
            code = rz.CodeContext().full([_txt(r, c) for c in codes_at])
            if code is None and len(codes_at) == 2 and rz.is_code_part(_txt(r, codes_at[0])):
                code = rz.squash(_txt(r, codes_at[0])) + rz.squash(_txt(r, codes_at[1]))
            if code and code.isdigit() and len(code) in (3, 5):
                ctx.table.rows.append(
                    Row(
                        key=code,
                        code=code,
                        label=rz.squash(_txt(r, name)),
                        side=_side_of(code),
                        cells={"amount": ctx.cell(r[amt])},
                        loc=r[codes_at[0]].loc,
                    )
                )
        _t06_totals(ctx, r)


def _t06_groups(leaves: list[str], width: int) -> list[tuple[list[int], int, int]]:
    """The side-by-side (code columns, name column, amount column) groups of the detail table:
    each amount column closes a group; the column before it is the name, the ones before that
    the code (one column, or 类 | 款)."""
    amounts = [j for j in range(width) if any(w in leaves[j] for w in ("决算数", "金额", "合计", "支出数"))]
    if not amounts:
        amounts = list(range(2, width, 3))
    groups: list[tuple[list[int], int, int]] = []
    start = 0
    for a in amounts:
        if a - start >= 2:
            groups.append((list(range(start, a - 1)), a - 1, a))
        start = a + 1
    return groups


def _t06_totals(ctx: _Ctx, r: list[RawCell]) -> None:
    for j, c in enumerate(r):
        t = rz.squash(c.text)
        key = "personnel_total" if "人员经费合计" in t else "public_total" if "公用经费合计" in t else None
        if key is None:
            continue
        val: RawCell | None = None
        for k in range(j + 1, len(r)):
            tk = r[k].text.strip()
            if tk and not _is_amount(tk):
                break
            if tk:
                val = r[k]
                break
        if val is None:
            val = RawCell(text="", loc=c.loc)
        ctx.table.rows.append(Row(key=key, label=t, cells={"amount": ctx.cell(val)}, loc=c.loc))


def _parse_t06_split(ctx: _Ctx, header: Grid, body: Grid, leaves: list[str], paths: list[str]) -> None:
    """The layout with one row per 经济分类 code and columns 合计 | 人员经费 | 公用经费."""
    width = len(leaves)
    mapping: dict[int, str] = {}
    for j in range(width):
        key = rz.column_key(TableKind.T06, leaves[j], paths[j])
        if (
            key
            and key not in mapping.values()
            and not any(w in leaves[j] for w in ("代码", "编码", "名称", "科目"))
        ):
            mapping[j] = key
    _set_columns(ctx, mapping, leaves)
    zone = min(mapping) if mapping else 2
    codes = rz.CodeContext()
    for r in body:
        texts = [rz.squash(_txt(r, j)) for j in range(zone)]
        code = next((codes.full([t]) for t in texts if t.isdigit()), None)
        label = "".join(t for t in texts if not t.isdigit())
        if code is None and not rz.is_total_label(label):
            continue
        key = code or "total"
        row = Row(key=key, code=code, label=label, side=_side_of(code) if code else None, loc=_loc_of(r))
        for j, k in mapping.items():
            row.cells[k] = ctx.cell(r[j])
        ctx.table.rows.append(row)


# -- T09 三公 ---------------------------------------------------------------------------------------
def _parse_t09(ctx: _Ctx) -> None:
    rows = [r for r in ctx.rows if not _is_column_numbers(r)]
    body_idx = [i for i, r in enumerate(rows) if any(_is_amount(c.text) for c in r)]
    width = len(ctx.rows[0]) if ctx.rows else 0
    ctx.table.columns = [Column(key="budget", label="预算数"), Column(key="actual", label="决算数")]
    first_body = body_idx[0] if body_idx else len(rows)
    if not body_idx:
        # a blank data row under the 预算数/决算数 line is printed, its cells are blank
        side_rows = [i for i, r in enumerate(rows) if any("预算" in c.text or "决算" in c.text for c in r)]
        rest = rows[side_rows[-1] + 1 :] if side_rows else []
        if rest and all(not c.text.strip() for r in rest for c in r):
            first_body = side_rows[-1] + 1
    header = rows[:first_body]
    leaves, paths = _header_paths(header, width, fill_from=0)
    parts = _header_parts(header, width, fill_from=0)
    row_layout = any(leaves[j] in ("预算数", "决算数", "预算", "决算") for j in range(width)) and any(
        rz.t09_item(_txt(r, 0)) for r in rows[first_body:]
    )
    out: dict[str, Row] = {}

    def put(item: str, side: str, rc: RawCell) -> None:
        row = out.get(item)
        if row is None:
            row = out[item] = Row(key=item, label=schema.T09_ROWS[item], loc=rc.loc)
        row.cells.setdefault(side, ctx.cell(rc))

    if row_layout:
        sides = {
            j: ("budget" if "预算" in leaves[j] else "actual")
            for j in range(1, width)
            if "预算" in leaves[j] or "决算" in leaves[j]
        }
        for r in rows[first_body:]:
            item = rz.t09_item(_txt(r, 0))
            if item:
                for j, side in sides.items():
                    put(item, side, r[j])
    else:
        colmap = {j: m for j in range(width) if (m := _t09_col(parts[j]))}
        if not colmap and header:
            ctx.issue("unrecognised_layout", "无法识别“三公”经费表的表头")
        for r in rows[first_body:]:
            if not any(_is_amount(c.text) or not c.text.strip() for c in r):
                continue
            for j, (item, side) in colmap.items():
                put(item, side, r[j])
            break
    order = list(schema.T09_ROWS)
    ctx.table.rows = [out[k] for k in order if k in out]


def _t09_col(parts: list[str]) -> tuple[str, str] | None:
    """(item, budget|actual) of a 三公 column from its header labels, top-down: the side from any
    label naming 预算/决算, the item from the deepest label that is not the side."""
    sides = [p for p in parts if "预算" in p or "决算" in p]
    if not sides:
        return None
    side = "budget" if "预算" in sides[-1] else "actual"
    items = [p for p in parts if p not in ("预算数", "决算数", "预算", "决算") and not p.isdigit()]
    item = None
    for k in range(len(items) - 1, -1, -1):
        item = rz.t09_leaf_item(items[k], "".join(items[: k + 1]))
        if item:
            break
    return (item, side) if item else None


# -- T09S 相关统计数, T11 and other label|value tables -------------------------------------------------
def _parse_t09s(ctx: _Ctx) -> None:
    ctx.table.columns = [Column(key="value", label="统计数")]
    for r in ctx.rows:
        for j, c in enumerate(r):
            key = rz.t09s_key(c.text) if c.text.strip() and not _is_amount(c.text) else None
            if key is None:
                continue
            val = r[j + 1] if j + 1 < len(r) else RawCell(text="", loc=c.loc)
            if val.text.strip() and not _is_amount(val.text):
                continue
            if ctx.table.row(key) is None:
                ctx.table.rows.append(
                    Row(key=key, label=rz.squash(c.text), cells={"value": ctx.cell(val)}, loc=c.loc)
                )


def _parse_t11(ctx: _Ctx) -> None:
    header, body = _split(ctx.rows, lambda r: rz.t11_key(_txt(r, 0)) is not None and "信息" not in _txt(r, 0))
    width = len(ctx.rows[0]) if ctx.rows else 0
    leaves, _ = _header_paths(header, width)
    amt = next((j for j in range(1, width) if "金额" in leaves[j] or "决算" in leaves[j]), None)
    if amt is None:
        cands = [j for j in range(1, width) if "行次" not in leaves[j] and not _is_sequence(body, j)]
        amt = cands[-1] if cands else None
    if amt is None:
        ctx.issue("missing_column", "缺少金额列")
        return
    ctx.table.columns = [Column(key="amount", label=leaves[amt] or "金额")]
    for r in body:
        key = rz.t11_key(_txt(r, 0))
        if key and ctx.table.row(key) is None:
            ctx.table.rows.append(
                Row(key=key, label=rz.squash(_txt(r, 0)), cells={"amount": ctx.cell(r[amt])}, loc=r[0].loc)
            )


def _parse_other(ctx: _Ctx) -> None:
    for i, r in enumerate(ctx.rows):
        if not any(c.text.strip() for c in r):
            continue
        row = Row(key=f"r{i + 1}", label=rz.squash(_txt(r, 0)), loc=_loc_of(r))
        for j, c in enumerate(r):
            row.cells[f"c{j + 1}"] = ctx.cell(c, text=not _is_amount(c.text))
        ctx.table.rows.append(row)


# -- 绩效自评表 ---------------------------------------------------------------------------------------
def _parse_perf(ctx: _Ctx) -> None:
    t = ctx.table
    t.columns = [Column(key=k, label=v) for k, v in schema.PERF_COLUMNS.items()]
    rows = ctx.rows
    i = 0
    n = len(rows)
    ind_cols: dict[int, str] | None = None
    count = 0
    last1 = last2 = ""
    while i < n:
        r = rows[i]
        texts = [rz.squash(c.text) for c in r]
        if ind_cols is None and any(rz.perf_key(x, rz.PERF_COLUMN_LABELS) == "level1" for x in texts):
            ind_cols = {j: k for j, x in enumerate(texts) if (k := rz.perf_key(x, rz.PERF_COLUMN_LABELS))}
            i += 1
            continue
        if texts and rz.squash(texts[0]) in ("总分", "合计") or any(x == "总分" for x in texts[:2]):
            _perf_total(ctx, r, ind_cols or {})
            i += 1
            continue
        if ind_cols is not None:
            cells = {k: r[j] for j, k in ind_cols.items() if j < len(r)}
            vals = {k: rz.squash(c.text) for k, c in cells.items()}
            if any(vals.get(k) for k in ("level3", "target", "actual", "weight", "score")):
                count += 1
                row = Row(
                    key=f"ind:{count}",
                    label=cells["level3"].text.strip() if "level3" in cells else "",
                    loc=_loc_of(r),
                )
                last1 = vals.get("level1") or last1
                last2 = vals.get("level2") or last2
                for k, c in cells.items():
                    if k in ("weight", "score"):
                        row.cells[k] = ctx.cell(c)
                    else:
                        row.cells[k] = ctx.cell(c, text=True)
                if "level1" in row.cells and not row.cells["level1"].raw:
                    row.cells["level1"] = row.cells["level1"].model_copy(update={"raw": last1})
                if "level2" in row.cells and not row.cells["level2"].raw:
                    row.cells["level2"] = row.cells["level2"].model_copy(update={"raw": last2})
                t.rows.append(row)
            else:
                last1 = vals.get("level1") or last1
                last2 = vals.get("level2") or last2
            i += 1
            continue
        i = _perf_fields(ctx, rows, i)
    if not t.fields and ind_cols is None:
        ctx.issue("unrecognised_layout", "无法识别绩效自评表的内容")


def _perf_fields(ctx: _Ctx, rows: Grid, i: int) -> int:
    """Key/value fields of the upper part of a 绩效自评表; returns the next row index."""
    t = ctx.table
    r = rows[i]
    texts = [rz.squash(c.text) for c in r]
    amount_heads = {j: k for j, x in enumerate(texts) if (k := rz.perf_key(x, rz.PERF_AMOUNT_LABELS))}
    if len(amount_heads) >= 2:
        nxt_i = i + 1
        chosen: list[RawCell] | None = None
        while nxt_i < len(rows) and not any(
            rz.perf_key(rz.squash(c.text), rz.PERF_AMOUNT_LABELS) for c in rows[nxt_i]
        ):
            cand = rows[nxt_i]
            row_t = "".join(rz.squash(c.text) for c in cand[:3])
            has_values = any(cand[col].text.strip() for col in amount_heads if col < len(cand))
            if not any(w in row_t for w in ("资金", "拨款", "其中", "其他")):
                break
            # the row of all funds (年度资金总额) when it is filled, else the first filled row
            if has_values and (chosen is None or "总额" in row_t or "总和" in row_t):
                chosen = cand
            nxt_i += 1
        if chosen is not None:
            for col, akey in amount_heads.items():
                if col < len(chosen) and akey not in t.fields:
                    t.fields[akey] = ctx.cell(chosen[col])
        return nxt_i
    if (
        any(x in ("预期目标", "总体目标") for x in texts)
        and any("实际完成情况" in x for x in texts)
        and i + 1 < len(rows)
        and not any(rz.perf_key(rz.squash(c.text), rz.PERF_COLUMN_LABELS) == "level1" for c in rows[i + 1])
    ):
        goal_j = next((j for j, x in enumerate(texts) if x in ("预期目标", "总体目标")), None)
        res_j = next((j for j, x in enumerate(texts) if "实际完成情况" in x), None)
        nxt = rows[i + 1]
        if goal_j is not None:
            t.fields["goal"] = _text_from(ctx, nxt, goal_j, res_j)
        if res_j is not None:
            t.fields["result"] = _text_from(ctx, nxt, res_j, None)
        return i + 2
    for j, x in enumerate(texts):
        key = rz.perf_key(x, rz.PERF_FIELD_LABELS)
        if key is None and x in ("年度目标", "年度总体目标"):
            key = "goal"
        if key is None and x.startswith("绩效目标实际完成情况"):
            key = "result"
        if key and key not in t.fields:
            val = next((c for c in r[j + 1 :] if c.text.strip()), None)
            vt = rz.squash(val.text) if val is not None else ""
            if val is not None and rz.perf_key(vt, rz.PERF_FIELD_LABELS) is None and vt not in _PERF_HEADS:
                t.fields[key] = ctx.cell(val, text=True)
    return i + 1


_PERF_HEADS = {"预期目标", "实际完成情况", "项目资金", "总体目标", "年度目标"}


def _text_from(ctx: _Ctx, row: list[RawCell], start: int, stop: int | None) -> Cell:
    end = stop if stop is not None else len(row)
    for k in range(start, end):
        if row[k].text.strip():
            return ctx.cell(row[k], text=True)
    return Cell(raw="", loc=row[start].loc if start < len(row) else None)


def _perf_total(ctx: _Ctx, r: list[RawCell], ind_cols: dict[int, str]) -> None:
    by_key = {k: j for j, k in ind_cols.items()}
    w, s = by_key.get("weight"), by_key.get("score")
    nums = [c for c in r if _is_amount(c.text)]
    if w is not None and w < len(r) and _is_amount(r[w].text):
        ctx.table.fields["total_weight"] = ctx.cell(r[w])
    elif len(nums) >= 2:
        ctx.table.fields["total_weight"] = ctx.cell(nums[-2])
    if s is not None and s < len(r) and _is_amount(r[s].text):
        ctx.table.fields["total_score"] = ctx.cell(r[s])
    elif nums:
        ctx.table.fields["total_score"] = ctx.cell(nums[-1])


_PARSERS: dict[TableKind, Callable[[_Ctx], None]] = {
    TableKind.T01: _parse_two_sided,
    TableKind.T04: _parse_two_sided,
    TableKind.T02: _parse_coded,
    TableKind.T03: _parse_coded,
    TableKind.T05: _parse_coded,
    TableKind.T07: _parse_coded,
    TableKind.T08: _parse_coded,
    TableKind.T10: _parse_coded,
    TableKind.T06: _parse_t06,
    TableKind.T09: _parse_t09,
    TableKind.T09S: _parse_t09s,
    TableKind.T11: _parse_t11,
    TableKind.PERF_PROJECT: _parse_perf,
    TableKind.PERF_DEPT: _parse_perf,
}

__all__ = ["Decimal", "Draft", "build_table", "is_blank"]
