"""``juesuan extract``: the typed tables as JSON, CSV (long form) or XLSX."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ..model import Disclosure


def long_rows(doc: Disclosure) -> list[dict[str, str]]:
    """Every cell in long form: one line per (table, row, column)."""
    out: list[dict[str, str]] = []
    for ti, t in enumerate(doc.tables):
        for r in t.rows:
            for ck, c in r.cells.items():
                loc = c.loc
                out.append(
                    {
                        "table_index": str(ti),
                        "table_kind": t.kind.value,
                        "table_title": t.name,
                        "printed_number": t.printed_number or "",
                        "side": r.side or "",
                        "row_key": r.key,
                        "row_code": r.code or "",
                        "row_label": r.label,
                        "column": ck,
                        "column_label": t.column_label(ck),
                        "raw": c.raw,
                        "value": "" if c.value is None else str(c.value),
                        "page": "" if loc is None or loc.page is None else str(loc.page),
                        "line": "" if loc is None or loc.line is None else str(loc.line),
                        "ref": "" if loc is None or loc.ref is None else loc.ref,
                    }
                )
        for fk, c in t.fields.items():
            out.append(
                {
                    "table_index": str(ti),
                    "table_kind": t.kind.value,
                    "table_title": t.name,
                    "printed_number": t.printed_number or "",
                    "side": "",
                    "row_key": "@field",
                    "row_code": "",
                    "row_label": "",
                    "column": fk,
                    "column_label": fk,
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


# The long form's columns as a reviewer reads them (the keys stay the JSON's).
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


def to_csv(doc: Disclosure) -> str:
    """The long form with Chinese column names."""
    rows = long_rows(doc)
    buf = io.StringIO()
    keys = list(rows[0].keys()) if rows else list(CELL_HEADERS)
    w = csv.writer(buf)
    w.writerow([CELL_HEADERS.get(k, k) for k in keys])
    w.writerows([r.get(k, "") for k in keys] for r in rows)
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
    """One sheet per table, in the printed layout (row label, then canonical columns)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws0 = wb.active
    assert ws0 is not None
    ws0.title = "说明"
    md = doc.metadata
    ws0.append(safe_row(["部门", md.department or ""]))
    ws0.append(safe_row(["年度", md.year or ""]))
    ws0.append(safe_row(["金额单位", md.unit.value if md.unit else ""]))
    ws0.append(safe_row(["来源", md.source_path or ""]))
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
        ws.append(safe_row(["侧", "科目代码", "项目"] + [t.column_label(c) for c in cols]))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.freeze_panes = "D2"  # the header and the row names stay in view
        for letter, width in (("A", 5), ("B", 12), ("C", 36)):
            ws.column_dimensions[letter].width = width
        for i in range(len(cols)):
            ws.column_dimensions[get_column_letter(4 + i)].width = 14
        for r in t.rows:
            line: list[object] = [r.side or "", r.code or "", r.label]
            for ck in cols:
                c = r.cells.get(ck)
                if c is None:
                    line.append(None)
                elif c.value is not None:
                    line.append(c.value)  # Decimal: openpyxl writes it as a number, formatted below
                else:
                    line.append(c.raw or None)
            ws.append(safe_row(line))
            for cell in ws[ws.max_row][3:]:
                if isinstance(cell.value, Decimal):
                    # as printed: 9,746.50, not 9746.5
                    exp = cell.value.as_tuple().exponent
                    places = -exp if isinstance(exp, int) and exp < 0 else 0
                    cell.number_format = "#,##0" + ("." + "0" * places if places else "")
        for fk, c in t.fields.items():
            ws.append(safe_row(["", "@" + fk, "", c.raw]))
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
    # a CSV file starts with the UTF-8 byte order mark: without it Excel and WPS read GBK and garble
    out.write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return None


__all__ = ["CELL_HEADERS", "long_rows", "safe_row", "sheet_title", "to_csv", "to_json", "to_xlsx", "write_extract"]
