"""XLSX report: one row per finding with every field (autofilter, frozen header), the cells of
every extracted table in long form, and, for a single document, one sheet per table in the
printed layout (``report.extract``)."""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..model import Ref
from .extract import long_rows, to_xlsx
from .items import ReportItem, family_of, rule_families

FINDING_HEADERS = [
    ("文件", 28),
    ("序号", 6),
    ("严重程度", 9),
    ("规则编号", 10),
    ("规则类别", 9),
    ("规则名称", 28),
    ("问题说明", 60),
    ("应为", 14),
    ("实为", 14),
    ("差额", 12),
    ("容差", 10),
    ("计算过程", 60),
    ("涉及位置", 60),
    ("页码", 8),
    ("行号", 8),
    ("表格", 24),
    ("行", 22),
    ("列", 14),
    ("单元格值", 14),
    ("引用文字", 40),
    ("OCR", 6),
]

CELL_HEADERS = {
    "table_index": "表序号",
    "table_kind": "表类型",
    "table_title": "表名",
    "printed_number": "表号",
    "side": "侧",
    "row_key": "行键",
    "row_code": "科目代码",
    "row_label": "项目",
    "column": "列键",
    "column_label": "列名",
    "raw": "原文",
    "value": "数值",
    "page": "页码",
    "line": "行号",
    "ref": "位置",
}


def _join(values: list[str]) -> str:
    return "\n".join(v for v in values if v)


def _value_text(ref: Ref) -> str:
    if ref.value is not None:
        return f"{ref.value}"
    return "（空）" if ref.column and not ref.text else ""


def finding_rows(items: list[ReportItem]) -> list[list[Any]]:
    """The findings sheet's data rows (every field of every finding)."""
    families = rule_families()
    out: list[list[Any]] = []
    for it in items:
        r = it.result
        if r.error:
            out.append([it.display_name, None, "无法读取", r.error_code or "", "", "", r.error] + [None] * 14)
            continue
        for n, f in enumerate(r.findings, 1):
            locs = f.locations
            pages = sorted({str(x.loc.page) for x in locs if x.loc and x.loc.page is not None}, key=int)
            lines = sorted({str(x.loc.line) for x in locs if x.loc and x.loc.line is not None}, key=int)
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
                    _join([x.describe() for x in locs]),
                    ",".join(pages),
                    ",".join(lines),
                    _join(sorted({x.table_title or "" for x in locs})),
                    # one line per location, aligned across these three columns
                    "\n".join(x.row_label or x.row or "" for x in locs),
                    "\n".join(x.column_label or x.column or "" for x in locs),
                    "\n".join(_value_text(x) for x in locs),
                    _join([x.text or "" for x in locs if not x.column]),
                    "是" if f.ocr else "",
                ]
            )
    return out


def _style_header(ws: Any, widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for i, cell in enumerate(ws[1], 1):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="ECEFF1")
        cell.alignment = Alignment(vertical="center")
        if i <= len(widths):
            ws.column_dimensions[get_column_letter(i)].width = widths[i - 1]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def build_workbook(items: list[ReportItem]) -> Any:
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import Alignment, PatternFill

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
    ws.append([h for h, _ in FINDING_HEADERS])
    fills = {"错误": "FFCDD2", "警告": "FFE0B2", "提示": "BBDEFB", "无法读取": "E0E0E0"}
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in finding_rows(items):
        ws.append(row)
        r = ws.max_row
        for cell in ws[r]:
            cell.alignment = wrap
        color = fills.get(str(row[2]))
        if color:
            ws.cell(row=r, column=3).fill = PatternFill("solid", fgColor=color)
    _style_header(ws, [w for _, w in FINDING_HEADERS])
    wb.active = 0

    # the documents: what each is (department, year, kind), and its findings by severity
    index = wb.create_sheet("文件清单", 1)
    index.append(["文件", "部门", "年度", "类型", "金额单位", "页数", "错误", "警告", "提示", "读取问题"])
    for it in items:
        md, fs = it.result.metadata, it.result.findings
        count = {s: sum(1 for f in fs if f.severity.value == s) for s in ("error", "warning", "info")}
        index.append([
            it.display_name, (md.department if md else None) or "", (md.year if md else None) or "",
            md.kind.value if md and md.kind else "未识别", md.unit.value if md and md.unit else "",
            (md.pages if md else None) or "", count["error"], count["warning"], count["info"],
            it.result.error or "",
        ])  # fmt: skip
    _style_header(index, [36, 28, 8, 10, 10, 6, 6, 6, 6, 30])

    cells = wb.create_sheet("全部单元格", 2)
    keys = list(CELL_HEADERS)
    cells.append(["文件"] + [CELL_HEADERS[k] for k in keys])
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
            cells.append(vals)
    _style_header(cells, [24, 6, 8, 28, 10, 6, 14, 10, 28, 12, 14, 14, 14, 6, 6, 14])
    return wb


def write_xlsx(items: list[ReportItem], out: Path) -> None:
    build_workbook(items).save(out)


def xlsx_bytes(items: list[ReportItem]) -> bytes:
    buf = io.BytesIO()
    build_workbook(items).save(buf)
    return buf.getvalue()


__all__ = ["build_workbook", "finding_rows", "write_xlsx", "xlsx_bytes"]
