"""``juesuan extract``: the typed tables as JSON, CSV (long form) or XLSX."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ..model import Disclosure, Table, TableKind
from ..model.table import TABLE_NAMES
from ..tables.recognize import PERF_FIELD_NAMES

# The long form's columns: stable English keys for programs (JSON, DictReader on the keys),
# Chinese headers for people (the CSV's header line and the workbook)
HEADERS = {
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
CELL_HEADERS = HEADERS  # the name the reports know them by
_SIDES = {"income": "收入", "expense": "支出"}


def column_name(t: Table, key: str) -> str:
    """A column's printed header, or its position (第3列) where none was read: never a key."""
    label = t.column_label(key)
    if label != key:
        return label
    m = re.fullmatch(r"c(\d+)", key)
    return f"第{m.group(1)}列" if m else key


def long_rows(doc: Disclosure) -> list[dict[str, str]]:
    """Every cell in long form: one line per (table, row, column)."""
    out: list[dict[str, str]] = []
    for ti, t in enumerate(doc.tables):
        common = {
            "table_index": str(ti + 1),
            "table_kind": TABLE_NAMES[t.kind] if t.kind is not TableKind.OTHER else "未识别",
            "table_title": t.name,
            "printed_number": t.printed_number or "",
        }
        for r in t.rows:
            for ck, c in r.cells.items():
                loc = c.loc
                out.append(
                    common
                    | {
                        "side": _SIDES.get(r.side or "", r.side or ""),
                        "row_key": r.key,
                        "row_code": r.code or "",
                        "row_label": r.label,
                        "column": ck,
                        "column_label": column_name(t, ck),
                        "raw": c.raw,
                        "value": "" if c.value is None else str(c.value),
                        "page": "" if loc is None or loc.page is None else str(loc.page),
                        "line": "" if loc is None or loc.line is None else str(loc.line),
                        "ref": "" if loc is None or loc.ref is None else loc.ref,
                    }
                )
        for fk, c in t.fields.items():
            out.append(
                common
                | {
                    "side": "",
                    "row_key": "@field",
                    "row_code": "",
                    "row_label": "表外项目",
                    "column": fk,
                    "column_label": PERF_FIELD_NAMES.get(fk, fk),
                    "raw": c.raw,
                    "value": "" if c.value is None else str(c.value),
                    "page": "" if c.loc is None or c.loc.page is None else str(c.loc.page),
                    "line": "" if c.loc is None or c.loc.line is None else str(c.loc.line),
                    "ref": "" if c.loc is None or c.loc.ref is None else c.loc.ref,
                }
            )
    return out


def to_json(doc: Disclosure) -> str:
    return doc.model_dump_json(indent=2)


def to_csv(doc: Disclosure) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(HEADERS))
    w.writerow(HEADERS)
    w.writerows(long_rows(doc))
    return buf.getvalue()


# What a worksheet cell cannot hold (control characters, as a damaged file may carry) and what a
# sheet title cannot (Excel's []:*?/\\ and control characters).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def safe_row(values: Sequence[object]) -> list[object]:
    """The row with the characters a workbook cannot store replaced by U+FFFD (the reader's mark
    of a damaged place), so a damaged document still gets its workbook."""
    return [_ILLEGAL.sub("\ufffd", v) if isinstance(v, str) else v for v in values]


def sheet_title(text: str) -> str:
    return _TITLE_ILLEGAL.sub("_", text)


def to_xlsx(doc: Disclosure, out: Path) -> None:
    """One sheet per table, in the printed layout (row label, then the printed columns), amounts
    as numbers with two places, the header frozen and filterable."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws0 = wb.active
    assert ws0 is not None
    ws0.title = "说明"
    md = doc.metadata
    for label, value in (
        ("部门", md.department or ""),
        ("年度", md.year or ""),
        ("文件种类", md.kind.value if md.kind else ""),
        ("金额单位", md.unit.value if md.unit else ""),
        ("来源", md.source_path or ""),
        ("表格数", len(doc.tables)),
    ):
        ws0.append(safe_row([label, value]))
        ws0.cell(ws0.max_row, 1).font = Font(bold=True)
    ws0.column_dimensions["A"].width = 12
    ws0.column_dimensions["B"].width = 60
    used: set[str] = {"说明"}
    for ti, t in enumerate(doc.tables):
        base = sheet_title(f"{ti + 1:02d}{t.name}")[:28]
        name = base
        k = 2
        while name in used:
            name = f"{base[:25]}_{k}"
            k += 1
        used.add(name)
        ws = wb.create_sheet(name)
        cols = [c.key for c in t.columns] or sorted({k for r in t.rows for k in r.cells})
        ws.append(safe_row(["侧", "科目代码", "项目"] + [column_name(t, c) for c in cols]))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in t.rows:
            line: list[object] = [_SIDES.get(r.side or "", r.side or ""), r.code or "", r.label]
            for ck in cols:
                c = r.cells.get(ck)
                if c is None:
                    line.append(None)
                elif c.value is not None:
                    line.append(c.value)  # Decimal: openpyxl writes it as a number
                else:
                    line.append(c.raw or None)
            ws.append(safe_row(line))
        for row in ws.iter_rows(min_row=2, min_col=4):
            for cell in row:
                if isinstance(cell.value, (Decimal, int)):
                    cell.number_format = "#,##0.00"
        for fk, c in t.fields.items():
            ws.append(safe_row(["", "", PERF_FIELD_NAMES.get(fk, fk), c.value if c.value is not None else c.raw]))
        ws.freeze_panes = "D2"
        ws.auto_filter.ref = ws.dimensions
        ws.column_dimensions["A"].width = 6
        ws.column_dimensions["B"].width = 12
        ws.column_dimensions["C"].width = 36
        for k in range(len(cols)):
            ws.column_dimensions[get_column_letter(4 + k)].width = 16
    wb.save(out)


def write_extract(doc: Disclosure, fmt: str, out: Path | None) -> str | None:
    """Write to ``out`` (or return the text for stdout when ``out`` is None and text-based)."""
    if fmt == "xlsx":
        if out is None:
            raise ValueError("xlsx 格式需要用 -o 指定输出文件")
        to_xlsx(doc, out)
        return None
    text = to_json(doc) if fmt == "json" else to_csv(doc)
    if out is None:
        return text
    # a CSV file with a byte-order mark: Excel and WPS then read it as UTF-8, not as GBK
    out.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return None


__all__ = ["CELL_HEADERS", "HEADERS", "column_name", "long_rows", "safe_row", "sheet_title", "to_csv", "to_json", "to_xlsx", "write_extract"]
