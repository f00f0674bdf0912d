"""``juesuan extract`` as people open it: a CSV Excel reads as UTF-8 with Chinese headers, a
workbook with amounts as numbers in #,##0.00, the header frozen and filterable, no internal keys
(c1, OTHER) where a header is shown."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from conftest import sample
from juesuan.cli import app
from juesuan.report.extract import HEADERS

runner = CliRunner()


def test_csv_file_has_a_bom_and_chinese_headers(tmp_path: Path) -> None:
    pdf = sample("shanghai-putuo-finance-2024.pdf")
    out = tmp_path / "cells.csv"
    r = runner.invoke(app, ["extract", str(pdf), "-f", "csv", "-o", str(out)])
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel/WPS read a CSV without a BOM as GBK"
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == list(HEADERS.values())
    kinds = {row[1] for row in rows[1:]}
    labels = {row[9] for row in rows[1:]}
    assert "OTHER" not in kinds and "一般公共预算财政拨款支出决算表" in kinds
    assert not any(lab.startswith("c") and lab[1:].isdigit() for lab in labels)
    assert {row[0] for row in rows[1:]} >= {"1", "2"}  # tables counted from 1, as printed


def test_csv_on_stdout_has_no_bom() -> None:
    r = runner.invoke(app, ["extract", str(sample("shanghai-putuo-finance-2024.pdf")), "-f", "csv"])
    assert r.exit_code == 0 and r.stdout.startswith("表序号,")


def test_workbook_numbers_formats_and_frozen_header(tmp_path: Path) -> None:
    out = tmp_path / "tables.xlsx"
    r = runner.invoke(app, ["extract", str(sample("shanghai-putuo-finance-2024.pdf")), "-f", "xlsx", "-o", str(out)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    assert wb["说明"]["A3"].value == "文件种类" and wb["说明"]["B3"].value == "部门决算"
    sheet = next(ws for ws in wb.worksheets if "一般公共预算财政拨款支出决算表" in ws.title)
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref
    numbers = [c for row in sheet.iter_rows(min_row=2, min_col=4) for c in row if isinstance(c.value, (int, float))]
    assert numbers and all(c.number_format == "#,##0.00" for c in numbers)
    assert Decimal(str(numbers[0].value)) >= 0
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["侧", "科目代码", "项目"]
    assert not any(str(h).startswith("c") and str(h)[1:].isdigit() for h in headers)
