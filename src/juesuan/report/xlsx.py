"""XLSX report: one row per finding (autofilter, frozen header), one row per place a finding
involves, the cells of every extracted table in long form, and, for a single document, one sheet
per table in the printed layout (``report.extract``); with several documents an index sheet
first. Amounts and percentages are numbers with number formats, so a reviewer can sum, sort and
filter them by value; a cell holds one value."""

from __future__ import annotations

import io
import re
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..model import Ref
from .extract import CELL_HEADERS, long_rows, safe_row, to_xlsx
from .items import ReportItem, family_of, rule_families
from .unchecked import unchecked_rows

FINDING_HEADERS = [
    ("文件", 28),
    ("序号", 6),
    ("严重程度", 9),
    ("规则编号", 10),
    ("规则类别", 16),
    ("规则名称", 28),
    ("问题说明", 60),
    ("应为", 14),
    ("实为", 14),
    ("差额", 12),
    ("容差", 10),
    ("计算过程", 60),
    ("涉及位置", 60),
    ("页码", 7),
    ("表格", 24),
    ("OCR", 6),
]

UNCHECKED_HEADERS = [("文件", 28), ("序号", 6), ("规则编号", 14), ("位置", 50), ("未核对的内容", 50), ("原因", 60)]

PLACE_HEADERS = [
    ("文件", 28),
    ("问题序号", 8),
    ("严重程度", 9),
    ("规则编号", 10),
    ("位置序号", 8),
    ("页码", 7),
    ("行号", 7),
    ("表格", 28),
    ("行", 28),
    ("列", 16),
    ("单元格值", 14),
    ("引用文字", 50),
]

INDEX_HEADERS = [
    ("序号", 6),
    ("文件", 32),
    ("部门", 30),
    ("年度", 7),
    ("类型", 10),
    ("错误", 7),
    ("警告", 7),
    ("提示", 7),
    ("状态", 40),
    ("问题清单", 10),
]


# a printed number: thousands separators, either minus sign, an optional percent sign
_NUMBER = re.compile(r"([−-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)")


def amount_format(decimals: int) -> str:
    """The Excel number format showing ``decimals`` places with thousands separators."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def number_cell(text: str | None) -> tuple[Decimal, str] | None:
    """A finding's printed value as a number and its format (``"5,364.75"`` → 5364.75 shown
    ``#,##0.00``; ``"71.65%"`` → 0.7165 shown ``0.00%``); ``None`` for words."""
    if text is None:
        return None
    m = _NUMBER.fullmatch(text.strip())
    if not m:
        return None
    sign, whole, frac, pct = m.groups()
    try:
        v = Decimal(whole.replace(",", "") + ("." + frac if frac else ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None
    if sign:
        v = -v
    places = len(frac or "")
    if pct:
        return v / 100, "0" + ("." + "0" * places if places else "") + "%"
    return v, amount_format(places)


def decimal_format(v: Decimal) -> str:
    """The format of a Decimal as it was computed (two places for an amount difference)."""
    exp = v.as_tuple().exponent
    return amount_format(-exp if isinstance(exp, int) and exp < 0 else 0)


def _first_page(refs: list[Ref]) -> int | None:
    pages = [x.loc.page for x in refs if x.loc and x.loc.page is not None]
    return min(pages) if pages else None


def finding_rows(items: list[ReportItem]) -> list[list[Any]]:
    """The findings sheet's data rows, one per finding (every place is in :func:`place_rows`)."""
    families = rule_families()
    out: list[list[Any]] = []
    for it in items:
        r = it.result
        if r.error:
            state = "已跳过" if r.skipped else "无法读取"
            out.append([it.display_name, None, state, r.error_code or "", "", "", r.error] + [None] * 9)
            continue
        for n, f in enumerate(r.findings, 1):
            locs = f.locations
            tables = [x.table_title for x in locs if x.table_title]
            out.append(
                [
                    it.display_name,
                    n,
                    f.severity.zh,
                    f.rule_id,
                    family_of(f.rule_id, families),
                    f.rule_title,
                    f.message,
                    f.expected,
                    f.found,
                    f.difference,
                    f.tolerance,
                    f.arithmetic,
                    "\n".join(x.describe() for x in locs if x.describe()),
                    _first_page(locs),
                    tables[0] if tables else None,
                    "是" if f.ocr else "",
                ]
            )
    return out


def place_rows(items: list[ReportItem]) -> list[list[Any]]:
    """One row per place a finding involves: its page, table, row, column and value."""
    out: list[list[Any]] = []
    for it in items:
        for n, f in enumerate(it.result.findings, 1):
            for k, x in enumerate(f.locations, 1):
                out.append(
                    [
                        it.display_name,
                        n,
                        f.severity.zh,
                        f.rule_id,
                        k,
                        x.loc.page if x.loc else None,
                        x.loc.line if x.loc else None,
                        x.table_title or None,
                        x.row_label or x.row or None,
                        x.column_label or x.column or None,
                        x.value if x.value is not None else ("（空）" if x.column and not x.text else None),
                        (x.text or None) if not x.column else None,
                    ]
                )
    return out


def _style_sheet(ws: Any, widths: list[int], *, header_row: int = 1) -> None:
    """Bold shaded header, frozen below it, a filter over the data, the given column widths."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for i, cell in enumerate(ws[header_row], 1):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="ECEFF1")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        if i <= len(widths):
            ws.column_dimensions[get_column_letter(i)].width = widths[i - 1]
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = ws.dimensions


_FILLS = {"错误": "FFCDD2", "警告": "FFE0B2", "提示": "BBDEFB", "无法读取": "E0E0E0", "已跳过": "F5F5F5"}


def _findings_sheet(ws: Any, items: list[ReportItem]) -> dict[str, int]:
    """Write the findings; return each document's first row (for the index's links)."""
    from openpyxl.styles import Alignment, PatternFill

    heads = [h for h, _ in FINDING_HEADERS]
    ws.append(heads)
    wrap = Alignment(wrap_text=True, vertical="top")
    numeric = {heads.index(h) + 1 for h in ("应为", "实为")}
    decimals = {heads.index(h) + 1 for h in ("差额", "容差")}
    first: dict[str, int] = {}
    for row in finding_rows(items):
        first.setdefault(str(row[0]), ws.max_row + 1)
        ws.append(safe_row(row))
        r = ws.max_row
        for cell in ws[r]:
            cell.alignment = wrap
        for col in numeric:
            cell = ws.cell(row=r, column=col)
            parsed = number_cell(cell.value) if isinstance(cell.value, str) else None
            if parsed is not None:
                cell.value, cell.number_format = parsed
        for col in decimals:
            cell = ws.cell(row=r, column=col)
            if isinstance(cell.value, Decimal):
                cell.number_format = decimal_format(cell.value)
        color = _FILLS.get(str(row[2]))
        if color:
            ws.cell(row=r, column=3).fill = PatternFill("solid", fgColor=color)
    _style_sheet(ws, [w for _, w in FINDING_HEADERS])
    return first


def _places_sheet(ws: Any, items: list[ReportItem]) -> None:
    from openpyxl.styles import Alignment

    ws.append([h for h, _ in PLACE_HEADERS])
    value_col = [h for h, _ in PLACE_HEADERS].index("单元格值") + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in place_rows(items):
        ws.append(safe_row(row))
        cell = ws.cell(row=ws.max_row, column=value_col)
        if isinstance(cell.value, Decimal):
            cell.number_format = decimal_format(cell.value)
        ws.cell(row=ws.max_row, column=len(PLACE_HEADERS)).alignment = wrap
    _style_sheet(ws, [w for _, w in PLACE_HEADERS])


def _index_sheet(ws: Any, items: list[ReportItem], first: dict[str, int]) -> None:
    """Several documents: one line each (department, year, kind, counts) linking to its findings."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws.append([h for h, _ in INDEX_HEADERS])
    for n, it in enumerate(items, 1):
        r = it.result
        md = r.metadata
        counts = r.counts()
        if r.error:
            state = ("已跳过：" if r.skipped else "无法读取：") + r.error
        else:
            state = "有错误" if counts["error"] else "未发现错误"
        ws.append(
            safe_row([
                n,
                it.display_name,
                (md.department if md else None) or None,
                (md.year if md else None) or None,
                md.kind.value if md and md.kind else None,
                counts["error"],
                counts["warning"],
                counts["info"],
                state,
                None,
            ])
        )
        row = first.get(it.display_name)
        if row is not None:
            link = ws.cell(row=ws.max_row, column=len(INDEX_HEADERS))
            link.value = "查看"
            # a location inside the workbook (an external target would open a browser in WPS)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'问题清单'!A{row}")
            link.font = Font(color="1565C0", underline="single")
    _style_sheet(ws, [w for _, w in INDEX_HEADERS])


def build_workbook(items: list[ReportItem]) -> Any:
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Alignment

    docs = [it for it in items if it.doc is not None]
    if len(items) == 1 and docs:
        # One document: start from the extract workbook (one sheet per table, printed layout).
        with tempfile.TemporaryDirectory() as tmp:
            p = Path(tmp) / "extract.xlsx"
            to_xlsx(docs[0].doc, p)  # type: ignore[arg-type]
            wb = load_workbook(p)
        ws = wb.create_sheet("问题清单", 0)
    else:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "问题清单"
    first = _findings_sheet(ws, items)
    _places_sheet(wb.create_sheet("涉及位置", 1), items)
    wb.active = 0

    cells = wb.create_sheet("全部单元格", 2)
    keys = list(CELL_HEADERS)
    cells.append(["文件"] + [CELL_HEADERS[k] for k in keys])
    value_col = 2 + keys.index("value")
    for it in docs:
        for lr in long_rows(it.doc):  # type: ignore[arg-type]
            vals: list[Any] = [it.display_name]
            for k in keys:
                v = lr.get(k, "")
                if k in ("table_index", "page", "line") and v.isdigit():
                    vals.append(int(v))
                elif k == "value" and v:
                    vals.append(Decimal(v))
                else:
                    vals.append(v)
            cells.append(safe_row(vals))
            vc = cells.cell(row=cells.max_row, column=value_col)
            if isinstance(vc.value, Decimal):
                vc.number_format = decimal_format(vc.value)
    _style_sheet(cells, [24, 6, 8, 28, 10, 6, 14, 10, 28, 12, 14, 14, 14, 6, 6, 14])

    # what was not checked, and why (a reading not certain enough to accuse on, a rule that does
    # not apply): every place, so that a reviewer knows what is left to look at by hand
    left = wb.create_sheet("未核对", 3)
    left.append([h for h, _ in UNCHECKED_HEADERS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for it in items:
        for n, u in enumerate(unchecked_rows(it.result), 1):
            left.append(safe_row([it.display_name, n, u.rule, u.place, u.what, u.reason]))
            for cell in left[left.max_row]:
                cell.alignment = wrap
    _style_sheet(left, [w for _, w in UNCHECKED_HEADERS])
    if len(items) > 1:
        _index_sheet(wb.create_sheet("文件一览", 0), items, first)
        wb.active = 0
    return wb


def write_xlsx(items: list[ReportItem], out: Path) -> None:
    build_workbook(items).save(out)


def xlsx_bytes(items: list[ReportItem]) -> bytes:
    buf = io.BytesIO()
    build_workbook(items).save(buf)
    return buf.getvalue()


__all__ = ["build_workbook", "finding_rows", "number_cell", "place_rows", "write_xlsx", "xlsx_bytes"]
