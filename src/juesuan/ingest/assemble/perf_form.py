"""The 绩效自评表 (项目支出 / 部门整体支出): key/value fields into ``Table.fields`` with the keys of
``schema.PERF_FIELDS``, indicator rows ``ind:N`` with the columns of ``schema.PERF_COLUMNS``, and
the number each cell prints read into ``Cell.quantity`` (amounts, rates and scores; an indicator's
年度指标值 with its comparison, its 实际完成值 with its unit)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ...model import Cell, Column, Comparator, Quantity, Table
from ...tables import recognize as rz
from ...tables import schema
from ..raw import RawCell
from .grid import Ctx, Grid, is_amount, loc_of, new_row


# -- 绩效自评表 ---------------------------------------------------------------------------------------
def parse_perf(ctx: Ctx) -> None:
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
                row = new_row(
                    key=f"ind:{count}",
                    label=cells["level3"].text.strip() if "level3" in cells else "",
                    loc=loc_of(r),
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
    read_quantities(t)


def _perf_fields(ctx: Ctx, rows: Grid, i: int) -> int:
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


def _text_from(ctx: Ctx, row: list[RawCell], start: int, stop: int | None) -> Cell:
    end = stop if stop is not None else len(row)
    for k in range(start, end):
        if row[k].text.strip():
            return ctx.cell(row[k], text=True)
    return Cell(raw="", loc=row[start].loc if start < len(row) else None)


def _perf_total(ctx: Ctx, r: list[RawCell], ind_cols: dict[int, str]) -> None:
    by_key = {k: j for j, k in ind_cols.items()}
    w, s = by_key.get("weight"), by_key.get("score")
    nums = [c for c in r if is_amount(c.text)]
    if w is not None and w < len(r) and is_amount(r[w].text):
        ctx.table.fields["total_weight"] = ctx.cell(r[w])
    elif len(nums) >= 2:
        ctx.table.fields["total_weight"] = ctx.cell(nums[-2])
    if s is not None and s < len(r) and is_amount(r[s].text):
        ctx.table.fields["total_score"] = ctx.cell(r[s])
    elif nums:
        ctx.table.fields["total_score"] = ctx.cell(nums[-1])


# -- the numbers of the cells -----------------------------------------------------------------------
# fields holding an amount, a rate or a score (the others hold names and text)
NUMBER_FIELDS = frozenset(
    (
        "budget_begin",
        "budget_year",
        "actual_year",
        "exec_rate",
        "exec_weight",
        "exec_score",
        "total_weight",
        "total_score",
    )
)
_FIRST_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_FIRST_PLACES = re.compile(r"\d+(?:\.(\d+))?")
_OPS = {"≥": Comparator.GE, ">=": Comparator.GE, "＞=": Comparator.GE, "≧": Comparator.GE, ">": Comparator.GT,
        "＞": Comparator.GT, "≤": Comparator.LE, "<=": Comparator.LE, "≦": Comparator.LE, "<": Comparator.LT,
        "＜": Comparator.LT, "=": Comparator.EQ, "＝": Comparator.EQ}  # fmt: skip
_TARGET = re.compile(
    # one \s* per gap (an optional mark takes its spaces with it): adjacent \s* backtrack
    # quadratically on a long run of spaces
    r"^\s*(?:(≥|>=|≧|＞=|>|＞|≤|<=|≦|<|＜|=|＝)\s*)?([-+]?\d[\d,]*(?:\.\d+)?)(?:\s*([%％]|[^\d\s]{1,4}))?\s*$"
)
_VALUE = re.compile(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*([%％]|[^\d\s]{0,4})\s*$")
_WORD_OPS = [("不低于", Comparator.GE), ("不少于", Comparator.GE), ("大于等于", Comparator.GE), ("以上", Comparator.GE),
             ("不高于", Comparator.LE), ("不超过", Comparator.LE), ("小于等于", Comparator.LE), ("以内", Comparator.LE),
             ("以下", Comparator.LE)]  # fmt: skip


def _places(text: str) -> int:
    m = _FIRST_PLACES.search(text.replace(" ", ""))
    return len(m.group(1)) if m and m.group(1) else 0


def number_in(cell: Cell) -> Quantity | None:
    """The number of an amount, rate or score cell: its value, else the first number of its text
    (97.04 of “97.04%（含结转）”, 10 of “10分”); None when it prints no number."""
    if cell.value is not None:
        return Quantity(value=cell.value, places=_places(cell.raw))
    m = _FIRST_NUMBER.search(cell.raw.replace(" ", ""))
    if not m:
        return None
    try:
        v = Decimal(m.group(0).replace(",", ""))
    except InvalidOperation:
        return None
    return Quantity(value=v, places=_places(cell.raw))


def parse_target(text: str) -> Quantity | None:
    """A 年度指标值 with an explicit comparison and number: ≥95%, >=6, =100%, ≤3天, 不低于90%; None
    for a target without one (长期, 按时足额, 早于12月末, 16.95万人)."""
    s = text.strip().replace("％", "%")
    op = None
    for word, o in _WORD_OPS:
        if word in s:
            op, s = o, s.replace(word, "")
            break
    m = _TARGET.match(s)
    if not m:
        return None
    sym, num, unit = m.groups()
    if sym:
        op = _OPS[sym]
    if op is None:
        return None
    return Quantity(value=Decimal(num.replace(",", "")), places=_places(text), unit=(unit or "").strip(), op=op)


def parse_value(text: str) -> Quantity | None:
    """A 实际完成值 that is a number and its unit (13.33%, 11, 2天, 16.88万人); None otherwise."""
    m = _VALUE.match(text.replace("％", "%"))
    if not m:
        return None
    return Quantity(value=Decimal(m.group(1).replace(",", "")), places=_places(text), unit=m.group(2).strip())


def read_quantities(table: Table) -> None:
    """Read the number of every cell of a 绩效自评表 into ``Cell.quantity`` (again, for a table
    built or edited as a model: the composer's, a rule case's)."""
    for key, c in table.fields.items():
        if key in NUMBER_FIELDS:
            c.quantity = number_in(c)
    for r in table.rows:
        for key, c in r.cells.items():
            if key in ("weight", "score"):
                c.quantity = number_in(c)
            elif key == "target":
                c.quantity = parse_target(c.raw)
            elif key == "actual":
                c.quantity = parse_value(c.raw)
