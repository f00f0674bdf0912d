"""Excel reader: .xlsx (openpyxl) and legacy .xls (xlrd), both laid out the same way.

A sheet is read as the printed page it is: rows outside the table (the title in A1, ``部门：…``,
``公开05表``, ``金额单位：万元``, notes below) become :class:`RawLine` s, one per non-empty cell; the
table rows become a :class:`RawGrid` with merged ranges as ``colspan``/``rowspan`` (one cell per
printed cell). Table rows are the rows with cell borders (the 决算 software's export and nearly
every hand-made sheet draw them); a sheet without any border falls back to "rows with two or
more filled cells". Runs of table rows separated by other rows are separate grids, so a
hand-made sheet with several tables reads as several tables. Every cell is located as
``公开05表!C7``.

Numbers are shown as Excel shows them: the cell's number format decides the decimals,
thousands separators and percent (``#,##0.00`` -> ``1,051.37``); a number stored as text is
kept as its text. Formulas are read through their saved results; a formula saved without a
result (a workbook written by a program and never opened in Excel) is reported.

Amounts printed in 元 are converted to 万元 after assembly (:func:`convert_yuan`): exactly, with
Decimal, and a :class:`ReadIssue` says so.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ...model import AmountUnit, Disclosure, Location, ReadIssue, TableKind
from ...runtime.limits import LIMITS, over_budget
from ..errors import InputError
from ..raw import RawCell, RawDocument, RawGrid, RawLine
from .containers import ENCRYPTED, open_zip, sheet_rows

MAX_CELLS = 2_000_000
_DEFAULT_SHEET = re.compile(r"^\s*(sheet|工作表|表)\s*\d*\s*$", re.I)


@dataclass
class _Cell:
    text: str
    bordered: bool = False
    bold: bool = False
    size: float | None = None
    center: bool = False


@dataclass
class _Sheet:
    """A sheet reduced to what the layout needs (1-based rows and columns)."""

    name: str
    cells: dict[tuple[int, int], _Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive


def col_letter(c: int) -> str:
    s = ""
    while c > 0:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


# -- numbers as Excel shows them ---------------------------------------------------------------
def _section(fmt: str) -> str:
    sec = fmt.split(";")[0]
    sec = re.sub(r'"[^"]*"', "", sec)
    sec = re.sub(r"\[[^\]]*\]", "", sec)
    sec = re.sub(r"\\.", "", sec)
    return sec.replace("_)", "").replace("*", "")


def format_number(value: Decimal | float | int, fmt: str | None) -> str:
    """A number as Excel displays it under ``fmt`` (decimals, thousands, percent)."""
    try:
        d = value if isinstance(value, Decimal) else Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        return str(value)
    if not d.is_finite():
        return str(value)
    sec = _section(fmt or "General")
    low = sec.lower()
    if low in ("general", "", "@") or not re.search(r"[0#?]", sec):
        q = d.quantize(Decimal("1e-10"), rounding=ROUND_HALF_UP) if d.adjusted() < 15 else d
        s = f"{q.normalize():f}"
        return "0" if s in ("-0", "") else s
    percent = "%" in sec
    if percent:
        d = d * 100
    m = re.search(r"\.([0#?]+)", sec)
    places = len(m.group(1)) if m else 0
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    thousands = bool(re.search(r"[0#?],[0#?]", sec))
    s = f"{q:,.{places}f}" if thousands else f"{q:.{places}f}"
    if s.startswith("-") and q == 0:
        s = s[1:]
    return s + ("%" if percent else "")


def _date_text(v: Any, fmt: str | None) -> str:
    if isinstance(v, _dt.datetime) and (v.hour or v.minute or v.second):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, _dt.datetime | _dt.date):
        if fmt and "年" in fmt:
            return f"{v.year}年{v.month}月{v.day}日"
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    if isinstance(v, _dt.time):
        return v.strftime("%H:%M:%S")
    return str(v)


def value_text(v: Any, fmt: str | None) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float | Decimal):
        return format_number(v, fmt)
    if isinstance(v, _dt.datetime | _dt.date | _dt.time):
        return _date_text(v, fmt)
    if isinstance(v, _dt.timedelta):
        return str(v)
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()


# -- layout ------------------------------------------------------------------------------------
def _layout(sheet: _Sheet, raw: RawDocument) -> None:
    if not sheet.cells:
        return
    owner: dict[tuple[int, int], tuple[int, int]] = {}  # covered position -> top-left of its merge
    span_at: dict[tuple[int, int], tuple[int, int]] = {}
    max_r = max(r for r, _ in sheet.cells)
    max_c = max(c for _, c in sheet.cells)
    budget = MAX_CELLS
    for r0, c0, r1, c1 in sheet.merges:
        r1, c1 = min(r1, max_r), min(c1, max_c)  # a merge reaching past the used area
        size = (r1 - r0 + 1) * (c1 - c0 + 1)
        if r1 < r0 or c1 < c0 or size > budget:
            continue
        budget -= size
        span_at[(r0, c0)] = (r1, c1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    owner[(r, c)] = (r0, c0)
    filled: dict[int, list[int]] = {}
    bordered_rows: set[int] = set()
    for (r, c), cell in sheet.cells.items():
        if cell.bordered:
            bordered_rows.add(r)
        if cell.text and (r, c) not in owner:
            filled.setdefault(r, []).append(c)
    for (r0, c0), (r1, _c1) in span_at.items():
        top = sheet.cells.get((r0, c0))
        if top is not None and top.bordered:
            bordered_rows.update(range(r0, r1 + 1))
    if bordered_rows:
        is_grid = bordered_rows
    else:
        is_grid = {r for r, cols in filled.items() if len(cols) >= 2}
    rows = sorted(set(filled) | is_grid)
    # blocks: (first row, first table row, last row) of each table; caption rows printed right
    # above a table (title, 部门, 公开NN表, 金额单位: at most three filled cells, no blank row
    # between) go with it, as in the sheet; the assembler takes them out as captions
    blocks: list[tuple[int, int, int]] = []
    i = 0
    while i < len(rows):
        if rows[i] in is_grid:
            r = end = rows[i]
            while i + 1 < len(rows) and rows[i + 1] == end + 1 and rows[i + 1] in is_grid:
                i += 1
                end = rows[i]
            start = r
            floor = blocks[-1][2] if blocks else 0
            while start - 1 > floor and start - 1 in filled and start - 1 not in is_grid and len(filled[start - 1]) <= 3:
                start -= 1
            blocks.append((start, r, end))
        i += 1
    done = 0
    for n, (start, body, end) in enumerate(blocks):
        _lines(sheet, [r for r in rows if done < r < start], filled, raw)
        title = sheet.name.strip() if n == 0 and start == body and not _DEFAULT_SHEET.match(sheet.name) and not any(r < start for r in filled) else None
        _grid(sheet, start, end, owner, span_at, filled, raw, title)
        done = end
    _lines(sheet, [r for r in rows if r > done], filled, raw)


def _lines(sheet: _Sheet, rows: list[int], filled: dict[int, list[int]], raw: RawDocument) -> None:
    for r in rows:
        for c in sorted(filled.get(r, [])):
            cell = sheet.cells[(r, c)]
            raw.blocks.append(RawLine(text=cell.text, loc=Location(ref=f"{sheet.name}!{col_letter(c)}{r}"),
                                      size=cell.size, bold=cell.bold, centered=cell.center))  # fmt: skip


def _grid(sheet: _Sheet, r0: int, r1: int, owner: dict[tuple[int, int], tuple[int, int]],
          span_at: dict[tuple[int, int], tuple[int, int]], filled: dict[int, list[int]], raw: RawDocument,
          title: str | None = None) -> None:  # fmt: skip
    while r0 <= r1 and r0 not in filled:
        r0 += 1
    while r1 >= r0 and r1 not in filled:
        r1 -= 1
    if r0 > r1:
        return
    # the columns in use (merged ranges are clipped to them: a title merged across the whole
    # sheet does not widen the table)
    cols = [c for (r, c), cell in sheet.cells.items() if r0 <= r <= r1 and (cell.text or cell.bordered)]
    c0, c1 = min(cols), max(cols)
    rows: list[list[RawCell]] = []
    if title:
        # a hand-made sheet whose table has no title row: the sheet's tab name is its title
        rows.append([RawCell(text=title, loc=Location(ref=f"{sheet.name}!"), colspan=c1 - c0 + 1)])
    for r in range(r0, r1 + 1):
        out: list[RawCell] = []
        for c in range(c0, c1 + 1):
            ref = Location(ref=f"{sheet.name}!{col_letter(c)}{r}")
            top = owner.get((r, c))
            if top is not None:
                if top[0] >= r0 and top[1] >= c0:
                    continue  # printed as part of the merged cell
                out.append(RawCell(text="", loc=ref))  # merged from outside the table
                continue
            cell = sheet.cells.get((r, c))
            rs, cs = 1, 1
            if (r, c) in span_at:
                er, ec = span_at[(r, c)]
                rs, cs = min(er, r1) - r + 1, min(ec, c1) - c + 1
            out.append(RawCell(text=cell.text if cell else "", loc=ref, colspan=cs, rowspan=rs))
        rows.append(out)
    raw.blocks.append(RawGrid(rows=rows, loc=Location(ref=f"{sheet.name}!{col_letter(c0)}{r0}:{col_letter(c1)}{r1}")))


# -- xlsx --------------------------------------------------------------------------------------
def _has_border(cell: Any) -> bool:
    b = cell.border
    if b is None:
        return False
    return any(getattr(getattr(b, side, None), "style", None) for side in ("left", "right", "top", "bottom"))


def _uncomputed_formulas(zf: zipfile.ZipFile) -> list[str]:
    """Cells holding a formula saved without its result (``公开01表!C7``)."""
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    targets = {m.group(1).decode(): m.group(2).decode() for m in re.finditer(rb'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels)}
    targets.update({m.group(2).decode(): m.group(1).decode() for m in re.finditer(rb'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
    out: list[str] = []
    for m in re.finditer(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', wb):
        name = m.group(1).decode("utf-8", "replace")
        target = targets.get(m.group(2).decode(), "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        try:
            xml = zf.read(path)
        except KeyError:
            continue
        if b"<f" not in xml:
            continue
        for c in re.finditer(rb'<c r="([A-Z]+[0-9]+)"[^>]*>(.*?)</c>', xml, re.S):
            body = c.group(2)
            if b"<f" in body and (b"<v>" not in body or b"<v></v>" in body):
                out.append(f"{name}!{c.group(1).decode()}")
    return out


def read_xlsx_raw(name: str, data: bytes) -> RawDocument:
    """The raw layout of an .xlsx workbook."""
    import warnings

    from openpyxl import load_workbook
    from openpyxl.cell.cell import MergedCell

    zf = open_zip(name, data)
    _check_rows(name, zf)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), data_only=True, rich_text=False)
    except zipfile.BadZipFile as exc:
        raise InputError(name, "文件已损坏：不是完整的 Excel 工作簿", code="corrupt") from exc
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise InputError(name, f"文件已损坏：无法读取 Excel 工作簿（{type(exc).__name__}）", code="corrupt") from exc
    raw = RawDocument(path=name, format="xlsx")
    total = 0
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            raw.issues.append(("hidden_sheet", f"隐藏的工作表“{ws.title}”未读取", Location(ref=f"{ws.title}!A1")))
            continue
        sheet = _Sheet(name=ws.title)
        cells = getattr(ws, "_cells", {})
        total += len(cells)
        if total > MAX_CELLS:
            raise InputError(name, "工作簿过大（单元格超过两百万个），不像是一份决算公开文件", code="too_large")
        for (r, c), cell in cells.items():
            if isinstance(cell, MergedCell):
                continue  # the top-left cell of the merge speaks for it
            v = cell.value
            text = value_text(v, cell.number_format)
            bordered = _has_border(cell)
            if not text and not bordered:
                continue
            font = cell.font
            sheet.cells[(r, c)] = _Cell(
                text=text,
                bordered=bordered,
                bold=bool(font is not None and font.b),
                size=float(font.sz) if font is not None and font.sz else None,
                center=bool(cell.alignment is not None and cell.alignment.horizontal in ("center", "centerContinuous")),
            )
        for mr in ws.merged_cells.ranges:
            sheet.merges.append((mr.min_row, mr.min_col, mr.max_row, mr.max_col))
        _layout(sheet, raw)
    try:
        missing = _uncomputed_formulas(zf)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        missing = []  # the workbook itself was read; only this extra check could not run
    if missing:
        where = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        raw.issues.append(("formula_without_value", f"{len(missing)} 个公式单元格没有保存计算结果（{where}），按空白读取；请在 Excel 中打开并保存后再提交",
                           Location(ref=missing[0])))  # fmt: skip
    if not raw.blocks:
        raise InputError(name, "工作簿中没有内容", code="empty")
    return raw


def _check_rows(name: str, zf: zipfile.ZipFile) -> None:
    """Refuse a workbook with a sheet over the row budget before openpyxl loads it (300,000 rows
    took 1.5 GB); the rows are counted in the sheet's XML, streamed."""
    for info in zf.infolist():
        part = info.filename
        if part.lower().startswith("xl/worksheets/") and part.lower().endswith(".xml"):
            try:
                n = sheet_rows(zf, part)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
                raise InputError(name, "文件已损坏：不是完整的 Excel 工作簿", code="corrupt") from exc
            if n > LIMITS.sheet_rows.count():
                sheet = part.rsplit("/", 1)[-1]
                raise InputError(name, over_budget(LIMITS.sheet_rows, n), code="too_large", where=sheet)


# -- xls ---------------------------------------------------------------------------------------
def read_xls_raw(name: str, data: bytes) -> RawDocument:
    """The raw layout of a legacy .xls workbook (BIFF, read with xlrd)."""
    import xlrd

    try:
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False, logfile=io.StringIO())
        except (NotImplementedError, IndexError, KeyError, AssertionError):
            # formatting records xlrd cannot follow (old BIFF versions): values only, the layout
            # then falls back to rows with two or more filled cells
            book = xlrd.open_workbook(file_contents=data, formatting_info=False, on_demand=False, logfile=io.StringIO())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise InputError(name, ENCRYPTED, code="encrypted") from exc
        raise InputError(name, f"文件已损坏，或不是 Excel 97-2003（.xls）工作簿（{exc}）", code="corrupt") from exc
    except Exception as exc:  # xlrd raises many kinds for a broken file
        raise InputError(name, f"文件已损坏：无法读取旧版 Excel（.xls）工作簿（{type(exc).__name__}）", code="corrupt") from exc
    raw = RawDocument(path=name, format="xls")
    total = 0
    for sh in book.sheets():
        if getattr(sh, "visibility", 0):
            raw.issues.append(("hidden_sheet", f"隐藏的工作表“{sh.name}”未读取", Location(ref=f"{sh.name}!A1")))
            continue
        sheet = _Sheet(name=sh.name)
        if sh.nrows > LIMITS.sheet_rows.count():
            raise InputError(name, over_budget(LIMITS.sheet_rows, sh.nrows), code="too_large", where=f"工作表“{sh.name}”")
        total += sh.nrows * sh.ncols
        if total > MAX_CELLS * 4:
            raise InputError(name, "工作簿过大，不像是一份决算公开文件", code="too_large")
        for r in range(sh.nrows):
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                xf = book.xf_list[cell.xf_index] if cell.xf_index is not None and cell.xf_index < len(book.xf_list) else None
                fmt = None
                if xf is not None:
                    f = book.format_map.get(xf.format_key)
                    fmt = f.format_str if f is not None else None
                text = _xls_text(book, cell, fmt)
                bordered = bool(xf is not None and (xf.border.left_line_style or xf.border.right_line_style
                                                     or xf.border.top_line_style or xf.border.bottom_line_style))  # fmt: skip
                if not text and not bordered:
                    continue
                font = book.font_list[xf.font_index] if xf is not None and xf.font_index < len(book.font_list) else None
                sheet.cells[(r + 1, c + 1)] = _Cell(
                    text=text,
                    bordered=bordered,
                    bold=bool(font is not None and font.bold),
                    size=font.height / 20 if font is not None and font.height else None,
                    center=bool(xf is not None and xf.alignment.hor_align == 2),
                )
        for rlo, rhi, clo, chi in sh.merged_cells:
            if rhi > rlo and chi > clo:
                sheet.merges.append((rlo + 1, clo + 1, rhi, chi))
        _layout(sheet, raw)
    if not raw.blocks:
        raise InputError(name, "工作簿中没有内容", code="empty")
    return raw


def _xls_text(book: Any, cell: Any, fmt: str | None) -> str:
    import xlrd

    t = cell.ctype
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if t == xlrd.XL_CELL_NUMBER:
        return format_number(cell.value, fmt)
    if t == xlrd.XL_CELL_DATE:
        try:
            return _date_text(xlrd.xldate_as_datetime(cell.value, book.datemode), fmt)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return format_number(cell.value, None)
    if t == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if t == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    return value_text(cell.value, None)


# -- 元 -> 万元 ---------------------------------------------------------------------------------
# Tables whose values are counts or scores, not amounts, are left alone.
NOT_AMOUNTS = {TableKind.T09S, TableKind.PERF_PROJECT, TableKind.PERF_DEPT, TableKind.OTHER}
TEN_THOUSAND = Decimal(10000)


def convert_yuan(doc: Disclosure) -> int:
    """Convert the amounts of every table printed in 元 to 万元, exactly (Decimal division by
    10 000, no rounding), and say so in one :class:`ReadIssue` (``unit_converted``). The printed
    text (``Cell.raw``) is kept; ``Table.decimals`` grows by four so the rounding interval stays
    that of the printed places; ``Metadata.unit`` keeps the printed unit. Returns the number of
    tables converted."""
    converted = []
    for t in doc.tables:
        if t.unit is not AmountUnit.YUAN or t.kind in NOT_AMOUNTS:
            continue
        for row in t.rows:
            for cell in row.cells.values():
                if cell.value is not None:
                    cell.value = cell.value / TEN_THOUSAND
        t.unit = AmountUnit.WAN_YUAN
        t.decimals += 4
        converted.append(t)
    if converted:
        doc.metadata.unit = AmountUnit.YUAN
        names = "、".join(f"《{t.name}》" for t in converted[:3]) + (f"等 {len(converted)} 张表" if len(converted) > 3 else "")
        doc.read_issues.append(ReadIssue(
            code="unit_converted",
            message=f"{names}金额单位为元，已按 1 万元 = 10000 元精确换算为万元核对（单元格文字保持原样）",
            loc=converted[0].loc,
        ))  # fmt: skip
    return len(converted)


__all__ = ["convert_yuan", "format_number", "read_xls_raw", "read_xlsx_raw", "value_text"]
