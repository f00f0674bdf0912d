"""Body parsers of the budget tables (部门预算公开), one per printed layout, keyed as
:mod:`juesuan.tables.budget` says.

Budget tables are printed in layouts the 决算 parsers do not know: the 收支预算总表 with 功能分类
and 支出用途 side by side, the 收入预算总表 as source groups over their 小计 and item lines, the
支出预算总表 and the 三公 table as one row of amounts under a (merged) header. The coded tables
(科目编码 | 科目名称 | amounts) are read by the coded parser of :mod:`.bodies` with the budget
column words.

Where a value cannot be tied to its label for certain, the cell is left out (missing), never
guessed: rules then do not judge it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...model import Column, Location, Row, TableKind
from ...tables import budget as bt
from ...tables import recognize as rz
from ..raw import RawCell
from .bodies import PARSERS as _DECISION_PARSERS
from .grid import Ctx, Grid, header_paths, is_amount, is_column_numbers, loc_of, new_row, txt
from .perf_form import parse_perf

_parse_decision_coded = _DECISION_PARSERS[TableKind.T05]
_TOTALS = ("inc_year_total", "inc_grand_total", "exp_year_total", "exp_grand_total", "inc_carry", "exp_carry")


def _has_code_rows(rows: Grid) -> bool:
    """Rows keyed by a 科目 code (a 3-7 digit cell before any amount)."""
    n = 0
    for r in rows:
        for c in r[:4]:
            t = rz.squash(c.text)
            if not t:
                continue
            if t.isdigit() and len(t) in (3, 5, 7):
                n += 1
            break
    return n >= 1


# -- coded tables: B05, B05F, B06, B06F, B07, B08, B10, B12, B02/B03 in the national layout ------
def _column_of(box: tuple[float, float, float, float], spans: list[tuple[float, float, str, str]]) -> int | None:
    """The header column a printed cell belongs to: the one its left edge falls in (a cell
    spanning several columns, 当年支出小计, starts in its first), else the one it overlaps most."""
    x0, x1 = box[0], box[2]
    starts = [k for k, (a, b, _, _) in enumerate(spans) if a - 6 <= x0 + 1 <= b]
    if len(starts) == 1:
        return starts[0]
    overlaps = [(min(x1, b) - max(x0, a), k) for k, (a, b, _, _) in enumerate(spans)]
    best = max(overlaps, default=(0.0, -1))
    return best[1] if best[0] > 0 else None


def _snap_to_header(rows: Grid) -> Grid | None:
    """The grid re-cut on the header's columns by the printed cells' boxes: a table continued on
    the next page (or a line drawn differently) is gridded with other column counts, so the same
    column index is not the same printed column. Each cell goes to the header column whose span
    holds its centre. None when boxes are missing, the header cannot be told, or a line has two
    texts in one column (then the grid is read as it is)."""
    first = next((i for i, r in enumerate(rows) if any(is_amount(c.text) for c in r)), None)
    if not first:
        return None
    leaves = _boxed_leaves(rows[:first])
    if not leaves or len(leaves) < 2:
        return None
    spans = sorted(
        ((c.loc.bbox[0], c.loc.bbox[2], leaf, path) for leaf, path, c in leaves if c.loc and c.loc.bbox),
        key=lambda x: x[0],
    )
    out: Grid = [
        [RawCell(text=p.split("|")[0] if p else leaf) for _, _, leaf, p in spans],
        [RawCell(text=leaf) for _, _, leaf, _ in spans],
    ]
    for r in rows[first:]:
        line = [RawCell(text="", loc=loc_of(r)) for _ in spans]
        seen: set[tuple[float, float, float, float]] = set()
        for c in r:
            if not c.text.strip():
                continue
            if c.loc is None or c.loc.bbox is None:
                return None
            if c.loc.bbox in seen:
                continue  # a merged cell repeated by the grid
            seen.add(c.loc.bbox)
            k = _column_of(c.loc.bbox, spans)
            if k is None or line[k].text.strip():
                return None
            line[k] = c
        out.append(line)
    return out


def _coded_line(r: list[RawCell]) -> bool:
    """A body line: it prints a 科目 code or a 合计 label."""
    for c in r:
        t = rz.squash(c.text)
        if t and (t.isdigit() and len(t) in (3, 5, 7) or rz.is_total_label(t)):
            return True
    return False


def _join_value_lines(rows: Grid) -> Grid:
    """A line holding only amounts next to a body line (code or 合计) that holds none in those
    columns: that line's values, printed half a line lower or higher in its taller cell (a 类
    line such as 301 工资福利支出, a 合计 line). Taken only when one of the two neighbours can
    take them, and only on a grid re-cut on the header's columns, so each amount keeps its
    column."""

    def takes(r: list[RawCell] | None, cols: list[int]) -> bool:
        return r is not None and _coded_line(r) and all(not r[j].text.strip() for j in cols)

    out: Grid = [list(r) for r in rows]
    drop: set[int] = set()
    for i, r in enumerate(out):
        texts = [(j, c) for j, c in enumerate(r) if c.text.strip()]
        if not texts or not all(is_amount(c.text) and not _coded_line([c]) for _, c in texts):
            continue
        cols = [j for j, _ in texts]
        prev = next((k for k in range(i - 1, -1, -1) if k not in drop and any(c.text.strip() for c in out[k])), None)
        nxt = next((k for k in range(i + 1, len(out)) if any(c.text.strip() for c in out[k])), None)
        ok = [k for k in (prev, nxt) if k is not None and takes(out[k], cols)]
        if len(ok) != 1:
            continue
        for j, c in texts:
            out[ok[0]][j] = c
        drop.add(i)
    return [r for i, r in enumerate(out) if i not in drop]


def _parse_coded(ctx: Ctx) -> None:
    snapped = _snap_to_header(ctx.rows)
    if snapped is not None:
        ctx.rows = _join_value_lines(snapped)
    _parse_decision_coded(ctx)


# -- two-sided: B01 收支预算总表, B04 财政拨款收支预算总表 -------------------------------------------------
def _two_sided_key(label: str) -> tuple[str, str] | None:
    """(side, key) of a printed two-sided label."""
    lab = rz.strip_ordinal(label)
    if not lab or is_amount(lab):
        return None
    code = rz.function_class(lab) or bt.OLD_FUNCTION_CLASSES.get(lab)
    if code:
        return "expense", code
    if "支出" in lab or "结转下年" in lab or "机动经费" in lab or "预留机动" in lab:
        key = bt.first_match(lab, bt.B01_EXPENSE)
        if key is None and "预留机动" in lab:
            key = "exp_reserve"
        return ("expense", key) if key else None
    key = bt.first_match(lab, bt.B01_INCOME)
    return ("income", key) if key else None


def _amount_columns(body: Grid, width: int) -> list[int]:
    return [j for j in range(width) if any(is_amount(txt(r, j)) for r in body)]


def _join_wrapped_labels(rows: Grid) -> Grid:
    """A label cut by a page break or a line (八、社会保障和就 | 业支出): a label that names no row,
    followed in its column by a fragment that names none either and is not numbered, whose
    joined text names one, is that text (the fragment's line keeps its other cells)."""
    out = [list(r) for r in rows]
    for i in range(len(out) - 1):
        for j, c in enumerate(out[i]):
            t = c.text.strip()
            if not t or is_amount(t) or _two_sided_key(t) is not None:
                continue
            # the fragment: the next text in this column within two lines (the label's value may
            # be printed on the line between, half a line lower)
            below = [k for k in range(i + 1, min(i + 3, len(out))) if j < len(out[k]) and out[k][j].text.strip()]
            if not below:
                continue
            k = below[0]
            nxt = out[k][j].text.strip()
            if is_amount(nxt) or rz.strip_ordinal(nxt) != rz.norm(nxt):
                continue
            if _two_sided_key(nxt) is None and _two_sided_key(t + nxt) is not None:
                out[i][j] = RawCell(text=t + nxt, loc=c.loc)
                out[k][j] = RawCell(text="", loc=out[k][j].loc)
    return out


def _parse_two_sided_budget(ctx: Ctx) -> None:
    snapped = _snap_to_header(ctx.rows)
    rows = [r for r in (snapped if snapped is not None else ctx.rows) if not is_column_numbers(r)]
    rows = _join_wrapped_labels(rows)
    width = len(rows[0]) if rows else 0
    labelled = [(i, j, k) for i, r in enumerate(rows) for j in range(width) if (k := _two_sided_key(txt(r, j)))]
    if not labelled:
        ctx.issue("unrecognised_layout", "无法识别收支预算总表的项目")
        return
    label_cols = sorted({j for _, j, _ in labelled})
    amount_cols = _amount_columns(rows, width)
    # each label column's own amount column: the first amount column right of it before the
    # next label column
    own: dict[int, int] = {}
    for n, j in enumerate(label_cols):
        nxt = label_cols[n + 1] if n + 1 < len(label_cols) else width
        cands = [k for k in amount_cols if j < k < nxt]
        if cands:
            own[j] = cands[0]
    ctx.table.columns = [Column(key="amount", label="金额")]
    out: list[Row] = []
    seen: set[tuple[str, str]] = set()
    # a label whose value is printed on the next line (a wrapped label): its row, by label column
    pending: dict[int, Row] = {}
    by_row: dict[int, dict[int, tuple[str, str]]] = {}
    # the first label column of the expense side
    expense_from = min((j for _, j, (side, _) in labelled if side == "expense"), default=None)
    for i, j, sk in labelled:
        by_row.setdefault(i, {})[j] = sk
    for i, r in enumerate(rows):
        keys = by_row.get(i, {})
        # a 小计/合计 line: its amount may stand in another block's column (当年支出小计 spanning the
        # 功能分类 and 支出用途 groups, its amount at the right), never a wrapped label's value
        totals_line = any(k in _TOTALS for _, k in keys.values())
        for j in label_cols:
            if j not in keys:
                # no label here: an amount in this block continues the label above it
                at = own.get(j)
                if totals_line:
                    pending.pop(j, None)
                elif at is not None and is_amount(txt(r, at)) and j in pending and not txt(r, j).strip():
                    pending.pop(j).cells["amount"] = ctx.cell(r[at])
                elif txt(r, j).strip():
                    pending.pop(j, None)
                    if at is not None and is_amount(txt(r, at)) and not is_amount(txt(r, j)):
                        # an amount under a label that names no row (cut off, or unknown): kept
                        # as an unnamed row (key “?…”), so that no sum of its side is judged
                        lab = rz.strip_ordinal(txt(r, j))
                        side = "expense" if expense_from is not None and j >= expense_from else "income"
                        out.append(new_row(key=f"?{lab}", label=lab, side=side, cells={"amount": ctx.cell(r[at])}, loc=r[j].loc))
                        ctx.issue("unknown_row", f"“{lab}”不是可识别的项目，其金额未计入各项之和", r[j].loc)
                continue
            side, key = keys[j]
            cell_at: int | None = own.get(j)
            if key in _TOTALS:
                # totals span the blocks: the first amount right of the label before other text
                cell_at = None
                for at in range(j + 1, width):
                    t = txt(r, at).strip()
                    if not t:
                        continue
                    cell_at = at if is_amount(t) else None
                    break
                if cell_at is None:
                    cell_at = own.get(j)
            if (side, key) in seen:
                ctx.issue("unknown_row", f"“{txt(r, j)}”重复出现，未读取", r[j].loc)
                pending.pop(j, None)
                continue
            seen.add((side, key))
            code = key if key.isdigit() else None
            val = r[cell_at] if cell_at is not None else None
            row = new_row(
                key=key,
                label=rz.strip_ordinal(txt(r, j)),
                code=code,
                side=side,
                cells={"amount": ctx.cell(val) if val is not None else ctx.cell(RawCell(text="", loc=r[j].loc))},
                loc=r[j].loc,
            )
            out.append(row)
            if val is None or not val.text.strip():
                pending[j] = row
            else:
                pending.pop(j, None)
    ctx.table.rows = [x for x in out if x.side == "income"] + [x for x in out if x.side == "expense"]
    first_body = min((i for i, _, _ in labelled), default=0)
    _record_amount_reading(ctx, "two_sided_budget", rows, sorted(set(own.values())), first_body)


def _amount_named(rows: Grid, cols: list[int], before: int) -> bool:
    """Whether the header lines above ``before`` name every one of ``cols`` an amount of this
    year's budget (金额, 预算数, 本年预算): a column taken only for being right of its label, or
    under a 上年 header, is a reading by position."""
    for k in cols:
        heads = [rz.norm(r[k].text) for r in rows[:before] if k < len(r) and r[k].text.strip()]
        if not any(re.search(r"金额|预算|合计|总计", h) and "上年" not in h for h in heads):
            return False
    return True


def _record_amount_reading(ctx: Ctx, layout: str, rows: Grid, cols: list[int], first_body: int) -> None:
    """The reading of a table read one amount per label: the amount column by its header or by
    position, and any further amount column beside it as printed but not read."""
    ctx.read_columns(layout, {"amount": bool(cols) and _amount_named(rows, cols, first_body)})
    amount_cols = _amount_columns(rows, len(rows[0]) if rows else 0)
    for k in amount_cols:
        if k not in cols:
            heads = [r[k].text.strip() for r in rows[:first_body] if k < len(r) and r[k].text.strip()]
            ctx.column_unread(heads[-1] if heads else f"第{k + 1}列")


# -- B02 收入预算总表 --------------------------------------------------------------------------------
def _last_amount(r: list[RawCell]) -> RawCell | None:
    for c in reversed(r):
        if is_amount(c.text):
            return c
    return None


def _amount_cell(r: list[RawCell], col: int | None) -> RawCell:
    if col is not None and col < len(r):
        return r[col]
    return RawCell(text="", loc=loc_of(r))


def _parse_b02(ctx: Ctx) -> None:
    if _has_code_rows(ctx.rows):
        _parse_coded(ctx)
        return
    rows = [r for r in ctx.rows if not is_column_numbers(r)]
    width = len(rows[0]) if rows else 0
    amount_cols = _amount_columns(rows, width)
    col = amount_cols[-1] if amount_cols else None
    ctx.table.columns = [Column(key="amount", label="金额")]
    # segments: a group's lines start at its 小计 line (the group's name is printed in the middle
    # of its merged cell, so on any line of the segment)
    segments: list[list[tuple[list[RawCell], str | None, str | None]]] = []
    total: tuple[list[RawCell], str] | None = None
    for r in rows:
        texts = [rz.strip_ordinal(c.text) for c in r if c.text.strip() and not is_amount(c.text)]
        if not texts:
            continue
        if any(t in ("收入总计", "收入合计", "总计", "合计") for t in texts):
            total = (r, next(t for t in texts if t in ("收入总计", "收入合计", "总计", "合计")))
            continue
        group = next((g for t in texts if (g := bt.first_match(t, bt.B02_GROUPS)) and "小计" not in t), None)
        subtotal = any(t == "小计" for t in texts)
        items = [t for t in texts if t != "小计" and bt.first_match(t, bt.B02_GROUPS) is None]
        item = next((k for t in items if (k := bt.first_match(t, bt.B02_ITEMS))), None)
        if group is not None and item is None:
            # an item that names a group word (公共财政拨款 under 一般公共预算资金) is an item
            item = next((k for t in texts if t != "小计" and (k := bt.first_match(t, bt.B02_ITEMS))), None)
            if item == "grant" and any("一般公共预算" in t for t in texts) and not any("拨款" in t for t in texts):
                item = None
        if not segments and not subtotal and group is None:
            continue  # header lines (项目名称 | 金额) before the first group
        if subtotal or not segments:
            segments.append([])
        segments[-1].append((r, group, "subtotal" if subtotal else item))
    first_body = next((i for i, r in enumerate(rows) if _last_amount(r) is not None), 0)
    _record_amount_reading(ctx, "grouped", rows, [col] if col is not None else [], first_body)
    if total is not None:
        r, label = total
        ctx.table.rows.append(
            new_row(key="total", label=label, cells={"amount": ctx.cell(_amount_cell(r, col))}, loc=loc_of(r))
        )
    for seg in segments:
        groups = {g for _, g, _ in seg if g}
        if len(groups) != 1:
            if seg:
                ctx.issue("unknown_row", "收入预算总表有一组收入分不清来源，未读取", loc_of(seg[0][0]))
            continue
        group = groups.pop()
        for r, _, what in seg:
            if what is None:
                if any(c.text.strip() for c in r) and _last_amount(r) is not None:
                    ctx.issue("unknown_row", "收入预算总表有一行不是标准项目，未读取", loc_of(r))
                continue
            key = group if what == "subtotal" else f"{group}.{what}"
            if ctx.table.row(key) is not None:
                continue
            label = next((c.text.strip() for c in r if c.text.strip() and not is_amount(c.text)), "")
            ctx.table.rows.append(
                new_row(key=key, label=label, cells={"amount": ctx.cell(_amount_cell(r, col))}, loc=loc_of(r))
            )


# -- one row of amounts under a header: B03, B09 ------------------------------------------------
def _x(c: RawCell) -> float | None:
    b = c.loc.bbox if c.loc is not None else None
    return None if b is None else (b[0] + b[2]) / 2


def _match_columns(header_cells: list[tuple[int, RawCell]], data: list[RawCell]) -> dict[int, RawCell]:
    """Each header column's data cell: by the horizontal centre of the printed cells where the
    reader gave their boxes (a merged header sits over its column, while the grid columns of
    header and data may be counted differently), else the same grid column. Every data cell is
    given to at most one header, and only when it is nearer to it than to any other."""
    out: dict[int, RawCell] = {}
    xs = [(j, _x(c)) for j, c in header_cells]
    if all(x is not None for _, x in xs) and all(_x(c) is not None for c in data if c.text.strip()):
        for c in data:
            if not c.text.strip():
                continue
            cx = _x(c)
            assert cx is not None
            best = min(xs, key=lambda p: abs((p[1] or 0.0) - cx))
            if best[0] not in out:
                out[best[0]] = c
        return out
    for j, _ in header_cells:
        if j < len(data):
            out[j] = data[j]
    return out


def _one_row_layout(ctx: Ctx) -> tuple[Grid, list[RawCell] | None]:
    rows = [r for r in ctx.rows if not is_column_numbers(r)]
    for i, r in enumerate(rows):
        if any(is_amount(c.text) for c in r):
            return rows[:i], r
    return rows, None


def _parse_b03(ctx: Ctx) -> None:
    if _has_code_rows(ctx.rows):
        _parse_coded(ctx)
        return
    header, data = _one_row_layout(ctx)
    width = len(ctx.rows[0]) if ctx.rows else 0
    leaves, paths = header_paths(header, width, fill_from=0)
    heads: list[tuple[int, RawCell]] = []
    keys: dict[int, str] = {}
    for j in range(width):
        key = rz.column_key(ctx.kind, leaves[j], paths[j])
        cell = next((r[j] for r in reversed(header) if r[j].text.strip()), None)
        if key and cell is not None and key not in keys.values():
            keys[j] = key
            heads.append((j, cell))
    if not keys:
        ctx.issue("unrecognised_layout", "无法识别支出预算总表的表头")
        return
    ctx.table.columns = [Column(key=k, label=leaves[j]) for j, k in keys.items()]
    ctx.read_columns("one_row", {k: True for k in keys.values()})  # each named by its header
    if data is None:
        return
    cells = _match_columns(heads, data)
    row = new_row(key="total", label="合计", loc=loc_of(data))
    for j, key in keys.items():
        rc = cells.get(j)
        row.cells[key] = ctx.cell(rc if rc is not None else RawCell(text="", loc=loc_of(data)))
    ctx.table.rows.append(row)


def _boxed_leaves(header: Grid) -> list[tuple[str, str, RawCell]] | None:
    """(leaf label, path above it, cell) of a multi-level header from the printed cells' boxes:
    pieces of one wrapped label (因公出 / 国（境） / 费, same column, one right under the other,
    not both a label of their own) are joined, a leaf is a label with no label under it, its path the labels whose span covers it.
    None when the reader gave no boxes."""
    cells: dict[tuple[float, float, float, float], str] = {}
    for r in header:
        for c in r:
            if not c.text.strip() or re.search(r"部门|单位[:：]", c.text):
                continue  # a caption line (部门：… 单位：万元) read into the grid
            if c.loc is None or c.loc.bbox is None:
                return None
            cells.setdefault(c.loc.bbox, c.text)
    boxes = sorted(cells, key=lambda b: (b[0], b[1]))
    joined: list[tuple[list[float], str, RawCell]] = []
    for b in sorted(boxes, key=lambda b: (round(b[0]), round(b[2]), b[1])):
        text = rz.norm(cells[b])
        last = joined[-1] if joined else None
        if (
            last
            and abs(last[0][0] - b[0]) < 1
            and abs(last[0][2] - b[2]) < 1
            and abs(last[0][3] - b[1]) < 2
            and (bt.b09_item(last[1]) is None or bt.b09_item(text) is None)
        ):
            last[0][3] = b[3]
            joined[-1] = (last[0], last[1] + text, last[2])
            continue
        joined.append(([*b], text, RawCell(text=cells[b], loc=None)))
    out: list[tuple[str, str, RawCell]] = []
    for box, text, _ in joined:
        cx = (box[0] + box[2]) / 2
        below = [t for bb, t, _ in joined if bb[1] >= box[3] - 1 and bb[0] - 1 <= cx <= bb[2] + 1 and bb is not box]
        if below:
            continue
        above = [t for bb, t, _ in joined if bb[3] <= box[1] + 1 and bb[0] - 1 <= cx <= bb[2] + 1 and bb is not box]
        loc = Location(bbox=(box[0], box[1], box[2], box[3]))
        out.append((text, "|".join(above), RawCell(text=text, loc=loc)))
    return out


def _parse_b09(ctx: Ctx) -> None:
    header, data = _one_row_layout(ctx)
    width = len(ctx.rows[0]) if ctx.rows else 0
    ctx.table.columns = [Column(key="amount", label="预算数")]
    leaves = _boxed_leaves(header)
    if leaves is None:
        # no boxes (a text or office reader): the grid's columns
        names, paths = header_paths(header, width, fill_from=0)
        leaves = [
            (names[j], paths[j].rsplit("|", 1)[0] if "|" in paths[j] else "", RawCell(text=names[j]))
            for j in range(width)
            if names[j]
        ]
        grid_cols = True
    else:
        grid_cols = False
    heads: list[tuple[int, RawCell]] = []
    items: dict[int, str] = {}
    for n, (leaf, path, cell) in enumerate(leaves):
        item = bt.b09_item(leaf, path)
        if item is None or item in items.values():
            continue
        items[n] = item
        heads.append((n, cell))
    if not items:
        ctx.issue("unrecognised_layout", "无法识别“三公”经费表的表头")
        return
    # each item a column named by its header (因公出国（境）费, 会议费 …), its amount under it
    ctx.read_columns("sangong_row", {"amount": True})
    blank = RawCell(text="", loc=loc_of(data) if data else None)
    if data is None:
        cells: dict[int, RawCell] = {}
    elif grid_cols:
        cols = [j for j in range(width) if header_paths(header, width, fill_from=0)[0][j]]
        cells = {n: data[cols[n]] for n in items if n < len(cols) and cols[n] < len(data)}
    else:
        cells = _match_columns(heads, data)
    order = list(bt.B09_ROWS)
    out = []
    for n, item in items.items():
        rc = cells.get(n, blank)
        out.append(new_row(key=item, label=bt.B09_ROWS[item], cells={"amount": ctx.cell(rc)}, loc=rc.loc))
    out.sort(key=lambda r: order.index(r.key))
    ctx.table.rows = out


# -- B11 政府采购预算表 ------------------------------------------------------------------------------
def _parse_b11(ctx: Ctx) -> None:
    """The 采购品目大类 lines (合计, 货物, 工程, 服务): a category line prints its name and one
    amount, the 总计 (the grid may count the amount's column differently from the header's, so
    the one amount of the line is taken); the detail lines under it are not read."""
    snapped = _snap_to_header(ctx.rows)
    rows = [r for r in (snapped if snapped is not None else ctx.rows) if not is_column_numbers(r)]
    width = len(rows[0]) if rows else 0
    head_row = next((i for i, r in enumerate(rows) if any(is_amount(c.text) for c in r)), len(rows))
    leaves, _ = header_paths(rows[:head_row], width)
    named = next((leaves[j] for j in range(width) if leaves[j] in ("总计", "合计", "金额", "预算数")), None)
    label = named or "金额"
    ctx.table.columns = [Column(key="amount", label=label)]
    # the one amount of a category line, under a header that names it or not
    ctx.read_columns("categories", {"amount": named is not None})
    for r in rows[head_row:]:
        at = next((j for j, c in enumerate(r) if c.text.strip()), None)
        if at is None or at > 2:
            continue  # a detail line (its first text under 专项名称 or further right)
        lab = rz.strip_ordinal(r[at].text)
        # 一、货物A: the category letter printed after the name
        lab = re.sub(r"[A-Za-z]$", "", lab)
        key = bt.first_match(lab, bt.B11_ROWS) if lab and len(lab) <= 8 else None
        amounts = [c for c in r[at + 1 :] if is_amount(c.text)]
        others = [c for c in r[at + 1 :] if c.text.strip() and not is_amount(c.text)]
        if key is None or ctx.table.row(key) is not None or others or len(amounts) > 1:
            continue
        cell = amounts[0] if amounts else RawCell(text="", loc=r[at].loc)
        ctx.table.rows.append(
            new_row(key=key, label=rz.squash(r[at].text), cells={"amount": ctx.cell(cell)}, loc=r[at].loc)
        )


# -- B12 项目支出预算表 --------------------------------------------------------------------------
def _parse_b12(ctx: Ctx) -> None:
    """A 项目支出预算表 by 科目 code is read as the coded tables; one listing its 项目 (项目名称 |
    项目单位 | 合计 | 一般公共预算 | …) gives a ``total`` row for its 合计 line and a ``project:N``
    row per 项目 line with amounts, its amount columns keyed by their headers (by source of funds);
    a column whose header names none is not read."""
    if _has_code_rows(ctx.rows):
        _parse_coded(ctx)
        return
    rows = [r for r in ctx.rows if not is_column_numbers(r)]
    head = next((i for i, r in enumerate(rows) if any(rz.norm(c.text) == "项目名称" for c in r)), None)
    if head is None:
        ctx.issue("unrecognised_layout", "无法识别项目支出预算表的表头")
        return
    first = next((i for i in range(head + 1, len(rows)) if any(is_amount(c.text) for c in rows[i])), len(rows))
    width = max(len(r) for r in rows)
    leaves, paths = header_paths(rows[head:first] if first > head else rows[head : head + 1], width, fill_from=0)
    label = next(j for j, c in enumerate(rows[head]) if rz.norm(c.text) == "项目名称")
    keys: dict[int, str] = {}
    for j in range(width):
        if j == label or not leaves[j]:
            continue
        key = bt.first_match(paths[j] if leaves[j] in ("小计", "合计") else leaves[j], bt.B12_PROJECT_COLUMN_RULES)
        if key and key not in keys.values() and any(is_amount(txt(r, j)) for r in rows[first:]):
            keys[j] = key
        elif any(is_amount(txt(r, j)) for r in rows[first:]):
            ctx.column_unread(leaves[j])
    if not keys:
        ctx.issue("unrecognised_layout", "无法识别项目支出预算表的金额列")
        return
    ctx.table.columns = [Column(key=k, label=bt.B12_COLUMNS.get(k, leaves[j])) for j, k in keys.items()]
    ctx.read_columns("projects", {k: True for k in keys.values()})  # each named by its header
    n = 0
    for r in rows[first:]:
        name = txt(r, label).strip()
        if not any(is_amount(txt(r, j)) for j in keys):
            continue  # a heading line (一、信息化类) or a line of text
        cells = {k: ctx.cell(r[j] if j < len(r) else None) for j, k in keys.items()}
        if rz.is_total_label(rz.strip_ordinal(name)) and ctx.table.row("total") is None:
            ctx.table.rows.append(new_row(key="total", label=rz.squash(name), cells=cells, loc=loc_of(r)))
        elif name:
            n += 1
            ctx.table.rows.append(new_row(key=f"project:{n}", label=rz.squash(name), cells=cells, loc=loc_of(r)))
        else:
            ctx.row_unread(None)


def _parse_b06(ctx: Ctx) -> None:
    """基本支出 tables: 经济分类 rows, one amount column or 合计 | 人员经费 | 公用经费."""
    _parse_coded(ctx)
    for r in ctx.table.rows:
        if r.code and r.side is None:
            r.side = "personnel" if r.code[:3] in bt.B06_PERSONNEL_CLASSES else "public"


BUDGET_PARSERS: dict[TableKind, Callable[[Ctx], None]] = {
    TableKind.B01: _parse_two_sided_budget,
    TableKind.B04: _parse_two_sided_budget,
    TableKind.B02: _parse_b02,
    TableKind.B03: _parse_b03,
    TableKind.B05: _parse_coded,
    TableKind.B05F: _parse_coded,
    TableKind.B06: _parse_b06,
    TableKind.B06F: _parse_b06,
    TableKind.B07: _parse_coded,
    TableKind.B08: _parse_coded,
    TableKind.B10: _parse_b06,
    TableKind.B12: _parse_b12,
    TableKind.B13: parse_perf,  # targets by 一级/二级/三级指标, read as the 绩效 forms are
    TableKind.B09: _parse_b09,
    TableKind.B11: _parse_b11,
}

__all__ = ["BUDGET_PARSERS"]
