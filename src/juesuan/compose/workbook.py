"""The 决算报表 workbook: one sheet per 公开表 in the printed layout the 决算 software exports.

:func:`write_workbook` writes it blank (the template) or filled from tables; :func:`read_workbook`
maps a workbook in this layout back to typed tables with canonical keys. The generic XLSX reader
(``juesuan.ingest``) is preferred when it can read the layout; this loader is the composer's own.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..ingest.errors import InputError
from ..model import AmountUnit, Cell, Column, Location, Row, Table, TableKind, TextItem
from ..tables import schema
from ..tables.numbers import try_amount
from .layout import CENT, NUMBERED_KINDS, TITLES, PCell, PrintedTable, fmt_amount, printed_table
from .subjects import class_name

BLANK_CODED_ROWS = 40
CODED_KINDS = {TableKind.T02, TableKind.T03, TableKind.T05, TableKind.T07, TableKind.T08}
ROUNDING_NOTE = "注：本套报表金额单位转换时可能存在尾数误差。"


def sheet_name(kind: TableKind) -> str:
    return f"公开{NUMBERED_KINDS.index(kind) + 1:02d}表"


def _blank_rows(pt: PrintedTable) -> None:
    """Give a blank coded table room for the rows to fill."""
    width = pt.ncols
    for _ in range(BLANK_CODED_ROWS):
        pt.body.append([PCell("", label=True), PCell("", label=True)] + [PCell("") for _ in range(width - 2)])


def write_workbook(path: str | Path, tables: list[Table] | None, department: str = "", year: int | None = None) -> Path:
    """Write the workbook: blank when ``tables`` is None, else filled with their values."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    by_kind = {t.kind: t for t in tables or []}
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name="黑体", bold=True, size=10)
    body_font = Font(name="宋体", size=10)
    for kind in NUMBERED_KINDS:
        table = by_kind.get(kind)
        pt = printed_table(kind, table, department, year)
        if tables is None and kind in CODED_KINDS:
            _blank_rows(pt)
        ws = wb.create_sheet(sheet_name(kind))
        n = pt.ncols
        ws.cell(row=1, column=1, value=pt.title).font = Font(name="黑体", bold=True, size=16)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        ws.cell(row=2, column=1, value=f"部门：{department}" if department else "部门：")
        ws.cell(row=2, column=n, value=pt.number).alignment = Alignment(horizontal="right")
        ws.cell(row=3, column=n, value=pt.unit_line).alignment = Alignment(horizontal="right")
        r0 = 4
        for i, hrow in enumerate(pt.header):
            for j, text in enumerate(hrow):
                c = ws.cell(row=r0 + i, column=j + 1, value=text or None)
                c.font = head_font
                c.border = border
                c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for a, b, c2, d in pt.merges:
            ws.merge_cells(start_row=r0 + a, start_column=b + 1, end_row=r0 + c2, end_column=d + 1)
        b0 = r0 + len(pt.header)
        for i, brow in enumerate(pt.body):
            for j, pc in enumerate(brow):
                value: Any = pc.text or None
                if pc.slot is not None and pc.text:
                    ok_v, ok = try_amount(pc.text)
                    value = ok_v if ok else pc.text
                cell = ws.cell(row=b0 + i, column=j + 1, value=value)
                cell.font = body_font
                cell.border = border
                if pc.slot is not None:
                    cell.number_format = "#,##0.00" if kind is not TableKind.T09S else "0"
                    cell.alignment = Alignment(horizontal="right")
                elif pc.label and j in (0, 1, 3):
                    cell.alignment = Alignment(horizontal="left", wrap_text=True)
                else:
                    cell.alignment = Alignment(horizontal="center")
        for a, b, c2, d in pt.body_merges:
            ws.merge_cells(start_row=b0 + a, start_column=b + 1, end_row=b0 + c2, end_column=d + 1)
        notes = pt.notes or ([ROUNDING_NOTE] if kind is TableKind.T01 else [])
        for k, note in enumerate(notes):
            ws.cell(row=b0 + len(pt.body) + 1 + k, column=1, value=note)
        widths = pt.col_widths or [1.2] * n
        for j in range(n):
            ws.column_dimensions[get_column_letter(j + 1)].width = max(6.0, widths[j] * 9)
        ws.freeze_panes = ws.cell(row=b0, column=1)
        ws.print_options.gridLines = False
        ws.page_setup.orientation = "landscape" if pt.wide else "portrait"
        ws.print_title_rows = f"{r0}:{b0 - 1}"
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


# -- reading ------------------------------------------------------------------------------------
_WS = re.compile(r"[\s\u3000]+")


def _norm(text: Any) -> str:
    return _WS.sub("", "" if text is None else str(text)).replace("(", "（").replace(")", "）")


def _kind_of(ws: Any) -> TableKind | None:
    title = _norm(ws.cell(row=1, column=1).value)
    for kind, t in TITLES.items():
        if kind in NUMBERED_KINDS and _norm(t) == title:
            return kind
    m = re.fullmatch(r"公开(\d+)表", _norm(ws.title))
    if m and 1 <= int(m.group(1)) <= len(NUMBERED_KINDS):
        return NUMBERED_KINDS[int(m.group(1)) - 1]
    return None


def _amount_cell(path: str, ws: Any, row: int, col: int) -> Cell:
    from openpyxl.utils import get_column_letter

    v = ws.cell(row=row, column=col).value
    loc = Location(ref=f"{ws.title}!{get_column_letter(col)}{row}")
    if v is None or (isinstance(v, str) and not v.strip()):
        return Cell(raw="", value=None, loc=loc)
    if isinstance(v, bool):
        raise InputError(path, f"单元格内容“{v}”不是金额", code="bad_amount", where=loc.ref)
    if isinstance(v, int | float | Decimal):
        try:
            d = Decimal(str(v)).quantize(CENT, rounding=ROUND_HALF_UP)
        except InvalidOperation as exc:
            raise InputError(path, f"单元格内容“{v}”不是金额", code="bad_amount", where=loc.ref) from exc
        return Cell(raw=fmt_amount(d), value=d, loc=loc)
    d2, ok = try_amount(str(v))
    if not ok:
        raise InputError(path, f"单元格内容“{v}”不是金额", code="bad_amount", where=loc.ref)
    return Cell(raw=str(v).strip(), value=d2, loc=loc)


def _find_header(path: str, ws: Any, pt: PrintedTable) -> int:
    first = _norm(pt.header[0][0])
    for r in range(1, min(ws.max_row, 30) + 1):
        if _norm(ws.cell(row=r, column=1).value) == first:
            return r
    raise InputError(path, f"工作表“{ws.title}”找不到表头“{pt.header[0][0]}”", code="bad_layout")


def _set(table: Table, rows: dict[tuple[str, str | None], Row], key: str, side: str | None, column: str, cell: Cell, label: str = "", code: str | None = None) -> None:
    r = rows.get((key, side))
    if r is None:
        r = Row(key=key, side=side, code=code, label=label or schema.row_label(table.kind, key), loc=cell.loc)
        rows[(key, side)] = r
        table.rows.append(r)
    r.cells[column] = cell


def _read_sheet(path: str, ws: Any, kind: TableKind) -> Table:
    blank = printed_table(kind, None, "", None)
    hr = _find_header(path, ws, blank)
    b0 = hr + len(blank.header)
    table = Table(kind=kind, title=str(ws.cell(row=1, column=1).value or TITLES[kind]), unit=AmountUnit.WAN_YUAN,
                  loc=Location(ref=f"{ws.title}!A1"))  # fmt: skip
    for r in range(2, hr):
        for c in range(1, ws.max_column + 1):
            v = _norm(ws.cell(row=r, column=c).value)
            if v.startswith("部门："):
                table.department = v[3:] or None
            elif re.fullmatch(r"公开\d+表", v):
                table.printed_number = v
            if v:
                table.header_texts.append(TextItem(text=str(ws.cell(row=r, column=c).value), loc=Location(ref=f"{ws.title}!{ws.cell(row=r, column=c).coordinate}")))
    cols = schema.COLUMNS.get(kind, {})
    rows: dict[tuple[str, str | None], Row] = {}
    end = b0
    if kind in CODED_KINDS:
        amount_cols = [s.slot.column for s in blank.body[0] if s.slot is not None]
        r = b0
        while r <= ws.max_row:
            a = ws.cell(row=r, column=1).value
            if _norm(a).startswith("注"):
                break
            code_text = _norm(a)
            name = str(ws.cell(row=r, column=2).value or "").strip()
            cells = [_amount_cell(path, ws, r, 3 + i) for i in range(len(amount_cols))]
            if code_text == "合计" or (not code_text and _norm(name) == "合计"):
                for col, cell in zip(amount_cols, cells, strict=True):
                    _set(table, rows, "total", None, col, cell)
            elif code_text:
                if not code_text.isdigit() or len(code_text) not in (3, 5, 7):
                    raise InputError(path, f"科目代码“{a}”应为3、5或7位数字", code="bad_code", where=f"{ws.title}!A{r}")
                for col, cell in zip(amount_cols, cells, strict=True):
                    _set(table, rows, code_text, None, col, cell, label=name, code=code_text)
            elif any(not c.blank for c in cells):
                raise InputError(path, "有金额的行缺少科目代码", code="bad_code", where=f"{ws.title}!A{r}")
            r += 1
        end = r
    else:
        for i, prow in enumerate(blank.body):
            rr = b0 + i
            for j, pc in enumerate(prow):
                got = _norm(ws.cell(row=rr, column=j + 1).value)
                if pc.label and pc.text and got != _norm(pc.text):
                    raise InputError(path, f"此处应为“{pc.text}”，实际为“{ws.cell(row=rr, column=j + 1).value or ''}”（请勿增删模板中的固定行）",
                                     code="bad_layout", where=f"{ws.title}!{ws.cell(row=rr, column=j + 1).coordinate}")  # fmt: skip
                if pc.slot is None:
                    continue
                cell = _amount_cell(path, ws, rr, j + 1)
                s = pc.slot
                code = s.row if s.row.isdigit() else None
                label = ""
                if code and j > 0:
                    label = _norm(prow[j - 1].text) if kind in (TableKind.T06, TableKind.T10) else ""
                if code and kind in (TableKind.T01, TableKind.T04):
                    label = class_name(code)
                _set(table, rows, s.row, s.side, s.column, cell, label=label, code=code)
        end = b0 + len(blank.body)
    for r in range(end, ws.max_row + 1):
        v = ws.cell(row=r, column=1).value
        if isinstance(v, str) and v.strip():
            table.notes.append(TextItem(text=v.strip(), loc=Location(ref=f"{ws.title}!A{r}")))
    used = {c for row in table.rows for c in row.cells}
    table.columns = [Column(key=k, label=lab) for k, lab in cols.items() if k in used]
    return table


def read_workbook(path: str | Path) -> list[Table]:
    """Tables of a workbook written in this layout (see :func:`write_workbook`)."""
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError(name, "文件不存在", code="not_found")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(name, f"不是可读取的 Excel 工作簿（{type(exc).__name__}）", code="bad_workbook") from exc
    tables: list[Table] = []
    for ws in wb.worksheets:
        kind = _kind_of(ws)
        if kind is None:
            continue
        tables.append(_read_sheet(name, ws, kind))
    if not tables:
        raise InputError(name, "工作簿中没有可识别的公开表（工作表名应为“公开01表”等，或首行为表名）", code="no_tables")
    tables.sort(key=lambda t: NUMBERED_KINDS.index(t.kind))
    return tables
