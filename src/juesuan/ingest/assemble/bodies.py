"""The body parsers, one per printed layout: coded tables (T02, T03, T05, T07, T08, T10), the
two-sided tables (T01, T04), the 基本支出 detail (T06), 三公 (T09), 相关统计数 (T09S), 政府采购
(T11), and any other table as printed rows. Each fills ``ctx.table`` with rows and columns keyed
as :mod:`juesuan.tables.schema` says; the 绩效自评表 forms are read by :mod:`.perf_form`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...model import Column, Row, TableKind, TableReading
from ...tables import recognize as rz
from ...tables import regions, schema
from ..raw import RawCell
from .grid import (
    Ctx,
    Grid,
    header_parts,
    header_paths,
    is_amount,
    is_column_numbers,
    loc_of,
    new_row,
    split_header,
    txt,
)
from .perf_form import parse_perf


# -- shared: split header and body ---------------------------------------------------------------
def _set_columns(ctx: Ctx, mapping: dict[int, str], labels: list[str]) -> None:
    seen: set[str] = set()
    positional = ctx.table.reading.by_position
    for j, key in sorted(mapping.items()):
        if key in seen:
            continue
        seen.add(key)
        # a column taken by its position is named by its standard label: its printed header
        # names something else, or nothing
        printed = labels[j] if j < len(labels) and key not in positional else ""
        label = printed or schema.column_label(ctx.kind, key)
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
        return bool(re.match(r"^\d{3,7}\s*\S", t)) and not is_amount(t)
    return False


def _label_zone(header: Grid, body: Grid, width: int, first_amount: int | None = None) -> int:
    """Number of leading label columns (code parts and name); ``first_amount`` is the first column
    whose header names an amount column, when the header says so."""
    end = 0
    rows = [r for r in body if any(is_amount(c.text) for c in r)] or body
    for j in range(width if first_amount is None else first_amount):
        texts = [rz.squash(txt(r, j)) for r in rows]
        label_text = sum(1 for t in texts if t and not is_amount(t))
        codes = sum(1 for t in texts if t.isdigit() and len(t) <= 7 and "." not in t)
        amounts = sum(1 for t in texts if is_amount(t) and not (t.isdigit() and len(t) in (2, 3, 4, 5, 7)))
        head = "".join(rz.squash(txt(r, j)) for r in header)
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
        texts = [rz.squash(txt(r, j)) for r in body if rz.squash(txt(r, j))]
        if texts and sum(1 for t in texts if t.isdigit()) >= max(1, len(texts) // 2):
            cols.append(j)
    return cols


def _positional(ctx: Ctx, used: list[int], amount_cols: list[int]) -> dict[int, str] | None:
    for order in rz.CANONICAL_ORDER.get(ctx.kind, []):
        if len(used) == len(order):
            return dict(zip(used, order, strict=True))
    for order in rz.CANONICAL_ORDER.get(ctx.kind, []):
        if len(amount_cols) == len(order):
            return dict(zip(amount_cols, order, strict=True))
    return None


def _parse_coded(ctx: Ctx) -> None:
    header, body = split_header(ctx.rows, _coded_body_start)
    width = len(ctx.rows[0]) if ctx.rows else 0
    if not body and not header:
        return
    if body and _merged_subheader(body[0]):
        # PDF extraction printed the last header row on the 合计 line: its labels are header
        header = header + [[RawCell(text="") for _ in range(2)] + body[0][2:]]
        body = [[*body[0][:2], *(RawCell(text="", loc=c.loc) for c in body[0][2:])], *body[1:]]
    leaves, paths = header_paths(header, width)
    named = [j for j in range(1, width) if rz.column_key(ctx.kind, leaves[j], leaves[j])]
    zone = _label_zone(header, body, width, named[0] if named else None)
    code_cols = _code_columns(header, body, zone)
    amount_cols = [j for j in range(zone, width) if paths[j] or any(rz.squash(txt(r, j)) for r in body)]
    used = [j for j in amount_cols if any(txt(r, j).strip() for r in body)]
    named_as = {j: k for j in amount_cols if (k := rz.column_key(ctx.kind, leaves[j], paths[j]))}
    mapping = dict(named_as)
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
            ctx.column_unread(leaves[j] or paths[j] or f"第{j + 1}列")
            ctx.issue(
                "extra_column",
                f"第{j + 1}列“{leaves[j] or paths[j] or '无表头'}”不是本表的标准列，未读取",
                loc_of(body[0]) if body else None,
            )
    # a column is read by its header only where the header names the key it was given
    ctx.read_columns("coded", {k: named_as.get(j) == k for j, k in sorted(mapping.items())})
    _set_columns(ctx, mapping, leaves)
    _check_missing(ctx, mapping)
    codes = rz.CodeContext()
    name_cols = [j for j in range(zone) if j not in code_cols]
    for r in body:
        parts = [txt(r, j) for j in code_cols]
        label = "".join(rz.squash(txt(r, j)) for j in name_cols)
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
            if any(txt(r, j).strip() for j in mapping):
                ctx.row_unread(None)
                ctx.issue("unlabelled_row", "有一行数据没有科目代码和名称", loc_of(r))
            continue
        row = new_row(key=key, label=label, code=code, loc=loc_of(r))
        for j, k in mapping.items():
            row.cells[k] = ctx.cell(r[j])
        ctx.table.rows.append(row)


def _merged_subheader(row: list[RawCell]) -> bool:
    """A 合计 line that also carries header labels (``合计 | | 合计 | 基本支出 | 项目支出``)."""
    texts = [c.text.strip() for c in row[2:] if c.text.strip()]
    return (
        bool(texts) and not any(is_amount(t) for t in texts) and rz.is_total_label(row[0].text or txt(row, 1))
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
_REQUIRED.update(regions.REQUIRED)  # 决算 tables of regional layouts
_REQUIRED.update({kind: _REQUIRED[same] for kind, same in regions.SAME_COLUMNS.items()})


def _check_missing(ctx: Ctx, mapping: dict[int, str]) -> None:
    have = set(mapping.values())
    missing = [k for k in _REQUIRED.get(ctx.kind, []) if k not in have]
    if missing:
        ctx.table.reading.missing.extend(missing)
        names = "、".join(schema.column_label(ctx.kind, k) for k in missing)
        ctx.issue("missing_column", f"缺少标准列：{names}")


# -- two-sided tables (T01, T04) -----------------------------------------------------------------
def _two_sided_start(kind: TableKind) -> Callable[[list[RawCell]], bool]:
    def start(row: list[RawCell]) -> bool:
        texts = [c.text for c in row if c.text.strip()]
        if not texts or is_column_numbers(row):
            return False
        first = texts[0]
        return rz.two_sided_key(kind, "income", first) is not None or rz.function_class(first) is not None

    return start


def _parse_two_sided(ctx: Ctx) -> None:
    kind = ctx.kind
    header, body = split_header(ctx.rows, _two_sided_start(kind))
    width = len(ctx.rows[0]) if ctx.rows else 0
    leaves, paths = header_paths(header, width)
    label_cols = [j for j in range(width) if leaves[j] in ("项目", "项目名称", "收入项目", "支出项目")]
    if len(label_cols) < 2:
        label_cols = _text_columns(body, width)[:2]
    if len(label_cols) == 1 and body:
        _parse_one_column(ctx, body, leaves, label_cols[0])
        return
    if len(label_cols) < 2:
        ctx.issue("unrecognised_layout", "无法分出收入和支出两栏")
        return
    left, right = label_cols[0], label_cols[1]
    seq = [j for j in range(width) if "行次" in leaves[j] or _is_sequence(body, j)]
    inc_cols = [j for j in range(left + 1, right) if j not in seq]
    exp_cols = [j for j in range(right + 1, width) if j not in seq]
    exp_map: dict[int, str] = {}
    named_as: dict[int, str] = {}
    if kind is TableKind.T04:
        for j in exp_cols:
            key = _t04_key(leaves[j])
            if key and key not in exp_map.values():
                exp_map[j] = key
        named_as = dict(exp_map)
        if len(exp_map) < len(exp_cols) and len(exp_cols) == 4:
            exp_map = dict(zip(exp_cols, ["total", "general", "fund", "capital"], strict=True))
    elif exp_cols:
        exp_map = {exp_cols[0]: "amount"}
        named_as = {exp_cols[0]: "amount"} if _names_amount(leaves[exp_cols[0]]) else {}
    inc_col = inc_cols[0] if inc_cols else None
    read: dict[str, bool] = {}
    if inc_col is not None:
        read["amount"] = _names_amount(leaves[inc_col])
    for j, k in exp_map.items():
        read[k] = read.get(k, True) and named_as.get(j) == k
    ctx.read_columns("two_sided", read)
    cols = {"amount": "金额"}
    if kind is TableKind.T04:
        cols.update({k: schema.T04_COLUMNS[k] for k in exp_map.values()})
    ctx.table.columns = [Column(key=k, label=v) for k, v in cols.items()]
    after_begin = False
    income: list[Row] = []
    expense: list[Row] = []
    for r in body:
        lab = txt(r, left)
        key = rz.two_sided_key(kind, "income", lab, after_begin)
        if key == "inc_begin_balance":
            after_begin = True
        if key and inc_col is not None:
            income.append(
                new_row(
                    key=key,
                    label=rz.strip_ordinal(lab),
                    side="income",
                    cells={"amount": ctx.cell(r[inc_col])},
                    loc=r[left].loc,
                )
            )
        elif lab.strip() and inc_col is not None and txt(r, inc_col).strip():
            ctx.row_unread(rz.squash(lab))
            ctx.issue("unknown_row", f"收入栏“{lab}”不是标准项目，未读取", r[left].loc)
        elab = txt(r, right)
        ekey = rz.two_sided_key(kind, "expense", elab)
        if ekey:
            code = ekey if ekey.isdigit() else None
            cells = {k: ctx.cell(r[j]) for j, k in exp_map.items()}
            expense.append(
                new_row(
                    key=ekey,
                    label=rz.strip_ordinal(elab),
                    code=code,
                    side="expense",
                    cells=cells,
                    loc=r[right].loc,
                )
            )
        elif elab.strip() and any(txt(r, j).strip() for j in exp_map):
            ctx.row_unread(rz.squash(elab))
            ctx.issue("unknown_row", f"支出栏“{elab}”不是标准项目，未读取", r[right].loc)
    ctx.table.rows = income + expense


def _parse_one_column(ctx: Ctx, body: Grid, leaves: list[str], label: int) -> None:
    """The layout that lists the income lines, then the expense lines, under one 项目 column:
    the side turns to expense at the first line that only the expense side has."""
    kind = ctx.kind
    width = len(leaves)
    seq = [j for j in range(width) if "行次" in leaves[j] or _is_sequence(body, j)]
    amounts = [j for j in range(label + 1, width) if j not in seq]
    if not amounts:
        ctx.issue("missing_column", "缺少金额列")
        return
    cols = ["amount"] if kind is TableKind.T01 else ["total", "general", "fund", "capital"][: len(amounts)]
    ctx.table.columns = [Column(key="amount", label="金额")]
    read = {"amount": _names_amount(leaves[amounts[0]])}
    for j, k in zip(amounts, cols, strict=False):
        named = _names_amount(leaves[j]) if kind is TableKind.T01 else _t04_key(leaves[j]) == k
        read[k] = read.get(k, True) and named
    ctx.read_columns("one_column", read)
    side, after_begin = "income", False
    for r in body:
        lab = txt(r, label)
        if not lab.strip():
            continue
        key = rz.two_sided_key(kind, side, lab, after_begin) if side == "income" else None
        if key is None or (
            side == "income"
            and key == "inc_grand_total"
            and any(x.side == "income" and x.key == key for x in ctx.table.rows)
        ):
            side = "expense"
            key = rz.two_sided_key(kind, "expense", lab)
        if key is None:
            if any(txt(r, j).strip() for j in amounts):
                ctx.row_unread(rz.squash(lab))
                ctx.issue("unknown_row", f"“{lab}”不是标准项目，未读取", r[label].loc)
            continue
        after_begin = after_begin or key == "inc_begin_balance"
        if side == "income":
            cells = {"amount": ctx.cell(r[amounts[0]])}
        else:
            cells = {k: ctx.cell(r[j]) for j, k in zip(amounts, cols, strict=False)}
        code = key if key.isdigit() else None
        ctx.table.rows.append(
            new_row(key=key, label=rz.strip_ordinal(lab), code=code, side=side, cells=cells, loc=r[label].loc)
        )


def _t04_key(label: str) -> str | None:
    """The expense column of a 财政拨款收入支出总表 its header names."""
    if "一般公共" in label:
        return "general"
    if "政府性基金" in label:
        return "fund"
    if "国有资本" in label:
        return "capital"
    if "合计" in label or "小计" in label:
        return "total"
    return None


def _names_amount(label: str) -> bool:
    """Whether a header names the one amount column of a side (金额, 决算数, 预算数 …)."""
    return any(w in label for w in ("金额", "决算", "预算", "合计", "小计", "数"))


def _text_columns(body: Grid, width: int) -> list[int]:
    out = []
    for j in range(width):
        texts = [txt(r, j).strip() for r in body if txt(r, j).strip()]
        if texts and sum(1 for t in texts if not is_amount(t)) > len(texts) // 2:
            out.append(j)
    return out


def _is_sequence(body: Grid, j: int) -> bool:
    vals = [rz.squash(txt(r, j)) for r in body if rz.squash(txt(r, j))]
    if len(vals) < 3 or not all(v.isdigit() for v in vals):
        return False
    nums = [int(v) for v in vals]
    return all(b > a for a, b in zip(nums, nums[1:], strict=False))


# -- T06 -------------------------------------------------------------------------------------------
def _side_of(code: str) -> str:
    return "personnel" if code[:3] in schema.T06_PERSONNEL_CLASSES else "public"


def _parse_t06(ctx: Ctx) -> None:
    header, body = split_header(ctx.rows, _coded_body_start)
    width = len(ctx.rows[0]) if ctx.rows else 0
    leaves, paths = header_paths(header, width)
    code_cols = [j for j in range(width) if "代码" in leaves[j] or "编码" in leaves[j]]
    if len(code_cols) <= 1 and any(leaves[j] == "人员经费" for j in range(width)):
        _parse_t06_split(ctx, header, body, leaves, paths)
        return
    groups = _t06_groups(leaves, width)
    ctx.read_columns("detail", {"amount": bool(groups) and _t06_named(leaves[groups[0][2]])})
    ctx.table.columns = [Column(key="amount", label=leaves[groups[0][2]] or "决算数" if groups else "决算数")]
    for r in body:
        for codes_at, name, amt in groups:
            code = rz.CodeContext().full([txt(r, c) for c in codes_at])
            if code is None and len(codes_at) == 2 and rz.is_code_part(txt(r, codes_at[0])):
                code = rz.squash(txt(r, codes_at[0])) + rz.squash(txt(r, codes_at[1]))
            if code and code.isdigit() and len(code) in (3, 5):
                ctx.table.rows.append(
                    new_row(
                        key=code,
                        code=code,
                        label=rz.squash(txt(r, name)),
                        side=_side_of(code),
                        cells={"amount": ctx.cell(r[amt])},
                        loc=r[codes_at[0]].loc,
                    )
                )
        _t06_totals(ctx, r)


# the headers of the amount columns of the detail table
_T06_AMOUNT_WORDS = ("决算数", "金额", "合计", "支出数")


def _t06_named(label: str) -> bool:
    return any(w in label for w in _T06_AMOUNT_WORDS)


def _t06_groups(leaves: list[str], width: int) -> list[tuple[list[int], int, int]]:
    """The side-by-side (code columns, name column, amount column) groups of the detail table:
    each amount column closes a group; the column before it is the name, the ones before that
    the code (one column, or 类 | 款)."""
    amounts = [j for j in range(width) if _t06_named(leaves[j])]
    if not amounts:
        amounts = list(range(2, width, 3))
    groups: list[tuple[list[int], int, int]] = []
    start = 0
    for a in amounts:
        if a - start >= 2:
            groups.append((list(range(start, a - 1)), a - 1, a))
        start = a + 1
    return groups


def _t06_totals(ctx: Ctx, r: list[RawCell]) -> None:
    for j, c in enumerate(r):
        t = rz.squash(c.text)
        key = "personnel_total" if "人员经费合计" in t else "public_total" if "公用经费合计" in t else None
        if key is None:
            continue
        val: RawCell | None = None
        for k in range(j + 1, len(r)):
            tk = r[k].text.strip()
            if tk and not is_amount(tk):
                break
            if tk:
                val = r[k]
                break
        if val is None:
            val = RawCell(text="", loc=c.loc)
        ctx.table.rows.append(new_row(key=key, label=t, cells={"amount": ctx.cell(val)}, loc=c.loc))


def _parse_t06_split(ctx: Ctx, header: Grid, body: Grid, leaves: list[str], paths: list[str]) -> None:
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
    ctx.read_columns("detail_columns", dict.fromkeys(mapping.values(), True))
    _set_columns(ctx, mapping, leaves)
    zone = min(mapping) if mapping else 2
    codes = rz.CodeContext()
    for r in body:
        texts = [rz.squash(txt(r, j)) for j in range(zone)]
        code = next((codes.full([t]) for t in texts if t.isdigit()), None)
        label = "".join(t for t in texts if not t.isdigit())
        if code is None and not rz.is_total_label(label):
            continue
        key = code or "total"
        row = new_row(key=key, code=code, label=label, side=_side_of(code) if code else None, loc=loc_of(r))
        for j, k in mapping.items():
            row.cells[k] = ctx.cell(r[j])
        ctx.table.rows.append(row)


# -- T09 三公 ---------------------------------------------------------------------------------------
def _parse_t09(ctx: Ctx) -> None:
    rows = [r for r in ctx.rows if not is_column_numbers(r)]
    body_idx = [i for i, r in enumerate(rows) if any(is_amount(c.text) for c in r)]
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
    leaves, paths = header_paths(header, width, fill_from=0)
    parts = header_parts(header, width, fill_from=0)
    row_layout = any(leaves[j] in ("预算数", "决算数", "预算", "决算") for j in range(width)) and any(
        rz.t09_item(txt(r, 0)) for r in rows[first_body:]
    )
    out: dict[str, Row] = {}

    def put(item: str, side: str, rc: RawCell) -> None:
        row = out.get(item)
        if row is None:
            row = out[item] = new_row(key=item, label=_T09_LABELS[item], loc=rc.loc)
        row.cells.setdefault(side, ctx.cell(rc))

    if row_layout:
        ctx.read_columns("sangong_rows", {"budget": True, "actual": True})
        sides = {
            j: ("budget" if "预算" in leaves[j] else "actual")
            for j in range(1, width)
            if "预算" in leaves[j] or "决算" in leaves[j]
        }
        for r in rows[first_body:]:
            item = rz.t09_item(txt(r, 0))
            if item:
                for j, side in sides.items():
                    put(item, side, r[j])
    else:
        colmap = {j: m for j in range(width) if (m := _t09_col(parts[j]))}
        ctx.read_columns("sangong_columns", dict.fromkeys((side for _, side in colmap.values()), True))
        if not colmap and header:
            ctx.issue("unrecognised_layout", "无法识别“三公”经费表的表头")
        for r in rows[first_body:]:
            if not any(is_amount(c.text) or not c.text.strip() for c in r):
                continue
            for j, (item, side) in colmap.items():
                put(item, side, r[j])
            break
    ctx.table.rows = [out[k] for k in _T09_LABELS if k in out]


# The three items and their parts, then 会议费 and 培训费 where a regional layout prints them.
_T09_LABELS = {**schema.T09_ROWS, **regions.T09_EXTRA_ROWS}


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
def _parse_t09s(ctx: Ctx) -> None:
    ctx.table.columns = [Column(key="value", label="统计数")]
    ctx.read_columns("label_value", {"value": True})
    for r in ctx.rows:
        for j, c in enumerate(r):
            key = rz.t09s_key(c.text) if c.text.strip() and not is_amount(c.text) else None
            if key is None:
                continue
            val = r[j + 1] if j + 1 < len(r) else RawCell(text="", loc=c.loc)
            if val.text.strip() and not is_amount(val.text):
                continue
            if ctx.table.row(key) is None:
                ctx.table.rows.append(
                    new_row(key=key, label=rz.squash(c.text), cells={"value": ctx.cell(val)}, loc=c.loc)
                )


def _parse_t11(ctx: Ctx) -> None:
    header, body = split_header(
        ctx.rows, lambda r: rz.t11_key(txt(r, 0)) is not None and "信息" not in txt(r, 0)
    )
    width = len(ctx.rows[0]) if ctx.rows else 0
    if any(len({rz.t11_key(c.text) for c in r if c.text.strip()} - {None}) >= 3 for r in ctx.rows[:4]):
        _parse_t11_columns(ctx, width)
        return
    leaves, paths = header_paths(header, width)
    # the column's whole header path: a combined table prints its 机构运行经费 line (with its
    # amount) between the 金额 header and the 政府采购 rows, so the leaf may be that amount
    amt = next((j for j in range(1, width) if any(w in paths[j] for w in ("金额", "决算"))), None)
    ctx.read_columns("label_value", {"amount": amt is not None})
    if amt is None:
        cands = [j for j in range(1, width) if "行次" not in leaves[j] and not _is_sequence(body, j)]
        amt = cands[-1] if cands else None
    if amt is None:
        ctx.issue("missing_column", "缺少金额列")
        return
    named = "金额" in leaves[amt] or "决算" in leaves[amt]
    ctx.table.columns = [Column(key="amount", label=leaves[amt] if named else "金额")]
    for r in body:
        key = rz.t11_key(txt(r, 0))
        if key and ctx.table.row(key) is None:
            ctx.table.rows.append(
                new_row(key=key, label=rz.squash(txt(r, 0)), cells={"amount": ctx.cell(r[amt])}, loc=r[0].loc)
            )


def _parse_t11_columns(ctx: Ctx, width: int) -> None:
    """The layout with the items as columns (合计 | 货物 | 工程 | 服务 | 授予中小企业 …) and one
    row of amounts."""
    first = next((i for i, r in enumerate(ctx.rows) if any(is_amount(c.text) for c in r)), None)
    header = [
        r for r in ctx.rows[: first if first is not None else len(ctx.rows)] if not is_column_numbers(r)
    ]
    leaves, paths = header_paths(header, width, fill_from=0)
    keys = {j: k for j in range(width) if (k := rz.t11_key(leaves[j]) or rz.t11_key(paths[j]))}
    if not keys:
        ctx.issue("unrecognised_layout", "无法识别政府采购支出表的表头")
        return
    ctx.table.columns = [Column(key="amount", label="金额")]
    ctx.read_columns("items_as_columns", {"amount": True})
    data = ctx.rows[first] if first is not None else [RawCell(text="") for _ in range(width)]
    for j, key in keys.items():
        if ctx.table.row(key) is None:
            ctx.table.rows.append(
                new_row(key=key, label=leaves[j], cells={"amount": ctx.cell(data[j])}, loc=data[j].loc)
            )


def parse_other(ctx: Ctx) -> None:
    ctx.table.reading = TableReading(layout="other")
    for i, r in enumerate(ctx.rows):
        if not any(c.text.strip() for c in r):
            continue
        row = new_row(key=f"r{i + 1}", label=rz.squash(txt(r, 0)), loc=loc_of(r))
        for j, c in enumerate(r):
            row.cells[f"c{j + 1}"] = ctx.cell(c, text=not is_amount(c.text))
        ctx.table.rows.append(row)


# The body parser of each table kind; any other kind is read by parse_other.
PARSERS: dict[TableKind, Callable[[Ctx], None]] = {
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
    TableKind.PERF_PROJECT: parse_perf,
    TableKind.PERF_DEPT: parse_perf,
    # 决算 tables of regional layouts: 科目-coded, or one row per 单位/项目 under the 合计 row
    **{kind: _parse_coded for kind in regions.CODED_KINDS},
}
