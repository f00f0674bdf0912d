"""The Excel reader: the 决算 software's export layout (.xlsx and legacy .xls), hand-made sheets
with several tables and numbers stored as text, workbooks in 元, and clear errors."""

from __future__ import annotations

import functools
import io
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.compose import synth
from juesuan.compose.layout import printed_table
from juesuan.compose.workbook import write_workbook
from juesuan.ingest import InputError, read, sniff_format
from juesuan.ingest.office.xlsx import format_number, read_xlsx_raw
from juesuan.ingest.raw import RawGrid, RawLine
from juesuan.model import AmountUnit, Disclosure, Severity, TableKind
from juesuan.rules import run_rules
from test_ingest_docx import SEEDS, assert_same_as_text, seed_layout, table_values


def ole_with_stream(name: str, other: str = "Data") -> bytes:
    """An OLE compound file holding a stream called ``name``: an OOXML file encrypted by
    msoffcrypto-tool with its two streams renamed in the directory (same entry layout)."""
    data = bytearray(encrypted_xlsx())
    for old, new in (("EncryptionInfo", name), ("EncryptedPackage", other)):
        i = data.find(old.encode("utf-16-le") + b"\0\0")
        assert i >= 0 and i % 128 == 0
        data[i : i + 64] = (new.encode("utf-16-le") + b"\0\0").ljust(64, b"\0")
        data[i + 64 : i + 66] = ((len(new) + 1) * 2).to_bytes(2, "little")
    return bytes(data)


@functools.lru_cache(maxsize=1)
def encrypted_xlsx() -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile
    from openpyxl import Workbook

    plain = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "收入支出决算总表"
    wb.save(plain)
    plain.seek(0)
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("密码123", out)
    return out.getvalue()


@pytest.fixture(scope="module")
def synth_tables():
    return synth(4)


@pytest.fixture(scope="module")
def template_xlsx(tmp_path_factory, synth_tables) -> Path:
    tables, facts = synth_tables
    return write_workbook(tmp_path_factory.mktemp("wb") / "决算报表.xlsx", tables, facts.department, facts.year)


def _want(tables) -> dict:
    return table_values(Disclosure(tables=tables))


def _no_errors(doc: Disclosure) -> list[str]:
    return [f"{f.rule_id} {f.message}" for f in run_rules(doc) if f.severity is Severity.ERROR and f.rule_id[0] in "TX"]


# -- the export layout --------------------------------------------------------------------------
def test_template_layout_reads_every_cell_with_its_place(template_xlsx: Path, synth_tables) -> None:
    tables, facts = synth_tables
    doc = read(template_xlsx)
    assert doc.metadata.source_format == "xlsx"
    assert table_values(doc) == _want(tables)
    assert [t.printed_number for t in doc.tables] == [f"公开{i:02d}表" for i in range(1, 12)]
    assert doc.metadata.department == facts.department
    t05 = doc.table(TableKind.T05)
    assert t05 is not None
    cell = t05.rows[0].cells["total"]
    assert cell.loc is not None and cell.loc.ref == "公开05表!C7"
    assert _no_errors(doc) == []


def test_template_raw_layout_lines_and_merged_grid(template_xlsx: Path) -> None:
    raw = read_xlsx_raw("wb.xlsx", template_xlsx.read_bytes())
    grid = next(b for b in raw.blocks if isinstance(b, RawGrid))
    # the caption rows printed above the table travel with it, as in the sheet
    assert [(c.text, c.colspan) for c in grid.rows[0]] == [("收入支出决算总表", 6)]
    assert [c.text for c in grid.rows[1] if c.text] == ["部门：示例市社会保险事业管理局", "公开01表"]
    assert [(c.text, c.colspan) for c in grid.rows[3]] == [("收入", 3), ("支出", 3)]
    note = next(b for b in raw.blocks if isinstance(b, RawLine))
    assert note.text.startswith("注：") and note.loc is not None and note.loc.ref == "公开01表!A38"


# -- legacy .xls --------------------------------------------------------------------------------
def xls_from_xlsx(path: Path) -> bytes:
    """The same workbook as a real BIFF8 .xls (xlwt): values, merges, borders, number formats."""
    import xlwt
    from openpyxl import load_workbook

    src = load_workbook(path)
    book = xlwt.Workbook(encoding="utf-8")
    plain = xlwt.easyxf("")
    boxed = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin")
    money = xlwt.easyxf("borders: left thin, right thin, top thin, bottom thin", num_format_str="#,##0.00")
    for ws in src.worksheets:
        sh = book.add_sheet(ws.title)
        merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
        inside = {(r, c) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col, m.max_col + 1)}
        for row in ws.iter_rows():
            for cell in row:
                r, c = cell.row, cell.column
                style = money if isinstance(cell.value, int | float | Decimal) else boxed if cell.border.left.style else plain
                value = float(cell.value) if isinstance(cell.value, Decimal) else cell.value
                if (r, c) in merged:
                    m = merged[(r, c)]
                    sh.write_merge(r - 1, m.max_row - 1, c - 1, m.max_col - 1, value, style)
                elif (r, c) not in inside and (value is not None or style is not plain):
                    sh.write(r - 1, c - 1, value, style)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xls_reads_like_xlsx(template_xlsx: Path, synth_tables, tmp_path: Path) -> None:
    tables, _ = synth_tables
    p = tmp_path / "决算报表.xls"
    p.write_bytes(xls_from_xlsx(template_xlsx))
    assert sniff_format(p.read_bytes()) == "ole"
    doc = read(p)
    assert doc.metadata.source_format == "xls"
    assert table_values(doc) == _want(tables)
    cell = doc.tables[4].rows[0].cells["total"]
    assert cell.loc is not None and cell.loc.ref == "公开05表!C7"


# -- hand-made sheets ---------------------------------------------------------------------------
def _write_plain(ws, row: int, kind: TableKind, table, department: str, *, title: bool = True) -> int:
    """A table written by hand: no borders, every number typed as text; returns the next row."""
    pt = printed_table(kind, table, department, 2024)
    if title:
        ws.cell(row=row, column=1, value=pt.title)
        ws.cell(row=row + 1, column=1, value="单位：万元")
        row += 2
    for i, hrow in enumerate(pt.header):
        for j, text in enumerate(hrow):
            if text:
                ws.cell(row=row + i, column=j + 1, value=text)
    for a, b, c, d in pt.merges:
        ws.merge_cells(start_row=row + a, start_column=b + 1, end_row=row + c, end_column=d + 1)
    row += len(pt.header)
    for prow in pt.body:
        for j, pc in enumerate(prow):
            if pc.text:
                ws.cell(row=row, column=j + 1, value=pc.text).number_format = "@"
        row += 1
    return row + 2  # a blank row between tables


def test_hand_made_sheets_several_tables_numbers_as_text(synth_tables, tmp_path: Path) -> None:
    from openpyxl import Workbook

    tables, facts = synth_tables
    by = {t.kind: t for t in tables}
    wb = Workbook()
    ws = wb.active
    ws.title = "其他表"
    r = 1
    for kind in (TableKind.T09, TableKind.T10, TableKind.T11):
        r = _write_plain(ws, r, kind, by[kind], facts.department)
    ws2 = wb.create_sheet("支出决算表")  # no title row: the tab names the table
    _write_plain(ws2, 1, TableKind.T03, by[TableKind.T03], facts.department, title=False)
    p = tmp_path / "手工表.xlsx"
    wb.save(p)
    doc = read(p)
    assert [t.kind for t in doc.tables] == [TableKind.T09, TableKind.T10, TableKind.T11, TableKind.T03]
    want = _want([by[k] for k in (TableKind.T09, TableKind.T10, TableKind.T11, TableKind.T03)])
    assert table_values(doc) == want
    t03 = doc.tables[3]
    assert t03.rows[0].cells["total"].raw == next(c.text for c in printed_table(TableKind.T03, by[TableKind.T03], "", 2024).body[0] if c.slot)


def _to_yuan(path: Path, out: Path, kinds: set[str] | None = None) -> Path:
    """The same workbook printed in 元: every amount × 10000, the unit line changed."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "金额单位：万元" in cell.value:
                    cell.value = cell.value.replace("万元", "元")
                elif isinstance(cell.value, int | float | Decimal) and cell.number_format == "#,##0.00":
                    cell.value = Decimal(str(cell.value)) * 10000
    wb.save(out)
    return out


def test_workbook_in_yuan_is_converted_exactly(template_xlsx: Path, synth_tables, tmp_path: Path) -> None:
    tables, _ = synth_tables
    doc = read(_to_yuan(template_xlsx, tmp_path / "元.xlsx"))
    assert table_values(doc) == _want(tables)  # 9,753,000.00 元 == 975.30 万元, exactly
    assert doc.metadata.unit is AmountUnit.YUAN  # the printed unit
    assert all(t.unit is AmountUnit.WAN_YUAN for t in doc.tables)  # the unit of the values
    assert all(t.decimals == 6 for t in doc.tables)  # 分 of 元 are millionths of 万元
    notes = [i for i in doc.read_issues if i.code == "unit_converted"]
    assert len(notes) == 1 and "等 11 张表金额单位为元" in notes[0].message and "换算为万元" in notes[0].message
    cell = doc.tables[0].rows[0].cells["amount"]
    assert cell.value is not None and cell.value * 10000 == Decimal(cell.raw.replace(",", ""))  # the printed text is kept


def _exact(tables) -> list:
    """三公, 机关运行经费 and 政府采购 tables whose totals are exact sums (as in a 元 export)."""
    by = {t.kind: t.model_copy(deep=True) for t in tables}
    t09, t10, t11 = by[TableKind.T09], by[TableKind.T10], by[TableKind.T11]

    def v(t, key, col):
        return t.value(key, col) or Decimal(0)

    for col in ("budget", "actual"):
        if t09.cell("car", col) is not None:
            t09.cell("car", col).value = v(t09, "car_purchase", col) + v(t09, "car_run", col)
        t09.cell("total", col).value = v(t09, "abroad", col) + v(t09, "car", col) + v(t09, "reception", col)
    for r in t10.rows:
        if r.code and len(r.code) == 3:
            r.cells["amount"].value = sum((c.value("amount") or Decimal(0) for c in t10.rows if c.code and len(c.code) == 5 and c.code.startswith(r.code)), Decimal(0))
    t10.cell("total", "amount").value = sum((r.value("amount") or Decimal(0) for r in t10.rows if r.code and len(r.code) == 3), Decimal(0))
    t11.cell("total", "amount").value = v(t11, "goods", "amount") + v(t11, "works", "amount") + v(t11, "services", "amount")
    return [t09, t10, t11]


def test_yuan_sums_stay_silent_when_exact_and_errors_stay_errors(synth_tables, tmp_path: Path) -> None:
    """No rounding in 元 figures: exact sums give no finding at all after conversion; a total
    1,000 元 too high is an error."""
    from openpyxl import load_workbook

    tables, facts = synth_tables
    exact = _exact(tables)
    wb = write_workbook(tmp_path / "万元.xlsx", exact, facts.department, facts.year)
    p = _to_yuan(wb, tmp_path / "元.xlsx")
    doc = read(p)
    assert table_values(doc) == _want(exact)
    assert [f.rule_id for f in run_rules(doc) if f.rule_id[:3] in ("T09", "T10", "T11")] == []
    book = load_workbook(p)
    ws = book["公开11表"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, int | float | Decimal) and c.number_format == "#,##0.00")
    cell.value = Decimal(str(cell.value)) + 1000  # 政府采购支出合计 1,000 元 too high
    book.save(p)
    found = [f for f in run_rules(read(p)) if f.rule_id.startswith("T11")]
    assert [f.severity for f in found] == [Severity.ERROR]
    assert found[0].difference is not None and abs(found[0].difference) == Decimal("0.1")


# -- numbers as Excel shows them ----------------------------------------------------------------
def test_format_number() -> None:
    assert format_number(1051.37, "#,##0.00") == "1,051.37"
    assert format_number(2106.3500000000004, "General") == "2106.35"
    assert format_number(0.1 + 0.2, None) == "0.3"
    assert format_number(2080109.0, "General") == "2080109"
    assert format_number(1051.3, "0.00") == "1051.30"
    assert format_number(0.2915, "0.0%") == "29.2%"
    assert format_number(-3.2, '#,##0.00;[Red]-#,##0.00') == "-3.20"
    assert format_number(-0.001, "0.00") == "0.00"
    assert format_number(12, '0"人"') == "12"


def test_formula_without_saved_result_is_reported(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "公开09表"
    ws.append(["财政拨款“三公”经费支出决算表"])
    ws.append(["项目", "预算数", "决算数"])
    ws.append(["因公出国（境）费", 1, 2])
    ws.append(["合计", "=B3", "=C3"])
    p = tmp_path / "公式.xlsx"
    wb.save(p)
    raw = read_xlsx_raw(p.name, p.read_bytes())
    issues = [i for i in raw.issues if i[0] == "formula_without_value"]
    assert issues and "2 个公式" in issues[0][1] and "公开09表!B4" in issues[0][1]


# -- bad files ----------------------------------------------------------------------------------
def test_encrypted_workbook_says_so(tmp_path: Path) -> None:
    p = tmp_path / "加密.xlsx"
    p.write_bytes(encrypted_xlsx())
    assert sniff_format(p.read_bytes()) == "ole"
    with pytest.raises(InputError) as ei:
        read(p)
    assert "文件已加密" in str(ei.value) and p.name in str(ei.value) and ei.value.code == "encrypted"


def _zip_of(parts: dict[str, bytes]) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in parts.items():
            zf.writestr(k, v)
    return buf.getvalue()


def test_bad_workbooks_give_clear_errors(template_xlsx: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    data = template_xlsx.read_bytes()
    empty = io.BytesIO()
    Workbook().save(empty)
    cases = {
        "truncated.xlsx": (data[: len(data) * 2 // 3], "文件已损坏"),
        "empty.xlsx": (empty.getvalue(), "没有内容"),
        "broken.xls": (ole_with_stream("Workbook"), "文件已损坏"),
        "garbage.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "文件已损坏"),
        "binary.xlsb": (_zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01"}), ".xlsb"),
    }
    for name, (blob, words) in cases.items():
        p = tmp_path / name
        p.write_bytes(blob)
        with pytest.raises(InputError) as ei:
            read(p)
        assert words in str(ei.value) and name in str(ei.value), (name, str(ei.value))


def test_password_protected_xls_says_so(tmp_path: Path) -> None:
    """A BIFF workbook with a FILEPASS record (what Excel writes for an open password): the
    INTERFACEHDR record right after BOF of an xlwt file is turned into FILEPASS in place."""
    from test_ingest_fuzz import small_xls

    data = small_xls()
    i = data.find(b"\xe1\x00\x02\x00\xb0\x04")
    assert i > 0
    p = tmp_path / "加密.xls"
    p.write_bytes(data[:i] + b"\x2f\x00" + data[i + 2 :])
    with pytest.raises(InputError) as ei:
        read(p)
    assert "文件已加密" in str(ei.value) and ei.value.code == "encrypted"


def raw_to_xlsx(raw) -> bytes:
    """One sheet: lines in column A, grids as bordered cells, a blank row after each block."""
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    side = Side(style="thin")
    box = Border(left=side, right=side, top=side, bottom=side)
    wb = Workbook()
    ws = wb.active
    ws.title = "决算"

    def put(r: int, c: int, text: str):
        cell = ws.cell(row=r, column=c, value=text or None)
        if text.startswith("="):
            cell.data_type = "s"  # typed text such as “=100%”, not a formula
        return cell

    r = 1
    for b in raw.blocks:
        if isinstance(b, RawLine):
            put(r, 1, b.text)
            r += 1
        else:
            width = max(len(x) for x in b.rows)
            for row in b.rows:
                for j in range(width):
                    put(r, j + 1, row[j].text if j < len(row) else "").border = box
                r += 1
        r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name", SEEDS)
def test_real_seed_as_workbook_reads_like_the_text(name: str) -> None:
    from juesuan.ingest.office import read_office_bytes

    raw, ref = seed_layout(name)
    assert_same_as_text(read_office_bytes(name + ".xlsx", raw_to_xlsx(raw)), ref)
