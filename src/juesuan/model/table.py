"""Typed tables: canonical kinds, columns, rows and cells.

Blank, zero and missing are three different things:

* a *missing* cell is a column key absent from ``Row.cells`` (the table has no such column, or the
  row was printed without it);
* a *blank* cell is present with ``raw == ""`` and ``value is None`` (zero-and-not-reported);
* a *zero* cell is present with ``value == Decimal("0")`` (printed ``0.00`` or ``0``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from .location import Location
from .perf import Quantity


class TableKind(StrEnum):
    """Canonical table kinds, independent of the number printed in a document."""

    T01 = "T01"  # 收入支出决算总表
    T02 = "T02"  # 收入决算表
    T03 = "T03"  # 支出决算表
    T04 = "T04"  # 财政拨款收入支出决算总表
    T05 = "T05"  # 一般公共预算财政拨款支出决算表
    T06 = "T06"  # 一般公共预算财政拨款基本支出决算(明细)表
    T07 = "T07"  # 政府性基金预算财政拨款收入支出决算表
    T08 = "T08"  # 国有资本经营预算财政拨款(收入)支出决算表
    T09 = "T09"  # 财政拨款“三公”经费支出决算表
    T09S = "T09S"  # “三公”经费相关统计数 (车辆保有量, 接待批次/人次)
    T10 = "T10"  # 机关运行经费支出情况表
    T11 = "T11"  # 政府采购支出情况表
    PERF_PROJECT = "PERF_PROJECT"  # 项目支出绩效自评表
    PERF_DEPT = "PERF_DEPT"  # 部门整体支出绩效自评表
    OTHER = "OTHER"  # recognised as a table but of no known kind
    # --- budget disclosures (部门预算公开); recognised by juesuan.tables.budget ---
    B01 = "B01"  # 收支预算总表 (财务收支预算总表)
    B02 = "B02"  # 收入预算总表
    B03 = "B03"  # 支出预算总表
    B04 = "B04"  # 财政拨款收支预算总表
    B05F = "B05F"  # 财政拨款支出预算表 (功能分类)
    B05 = "B05"  # 一般公共预算支出预算表 (功能分类)
    B06F = "B06F"  # 财政拨款基本支出预算表 (经济分类)
    B06 = "B06"  # 一般公共预算基本支出预算表 (经济分类)
    B07 = "B07"  # 政府性基金预算支出预算表
    B08 = "B08"  # 国有资本经营预算支出预算表
    B09 = "B09"  # “三公”经费（会议费、培训费）支出预算表
    B10 = "B10"  # 机关运行经费支出预算表
    B11 = "B11"  # 政府采购预算表
    B12 = "B12"  # 项目支出预算表
    B13 = "B13"  # 项目绩效目标表
    # -- 决算 tables of regional layouts (recognised by juesuan.tables.regions) --
    T02U = "T02U"  # 收入决算表（分单位）(Zhejiang): one row per 单位, the T02 columns
    T03U = "T03U"  # 支出决算表（分单位）(Zhejiang): one row per 单位, the T03 columns
    T05D = "T05D"  # 财政拨款支出决算明细表 (Sichuan): 经济分类 rows, 合计/基本支出/项目支出
    T05GD = "T05GD"  # 一般公共预算财政拨款支出决算明细表 (Sichuan): the same for 一般公共预算
    T05P = "T05P"  # 一般公共预算财政拨款项目支出决算(明细)表 (Sichuan, Yunnan, Inner Mongolia)
    PROJ = "PROJ"  # 项目支出决算表 (Yunnan) / 项目收入支出决算表 (Inner Mongolia): one row per 项目


TABLE_NAMES: dict[TableKind, str] = {
    TableKind.T01: "收入支出决算总表",
    TableKind.T02: "收入决算表",
    TableKind.T03: "支出决算表",
    TableKind.T04: "财政拨款收入支出决算总表",
    TableKind.T05: "一般公共预算财政拨款支出决算表",
    TableKind.T06: "一般公共预算财政拨款基本支出决算表",
    TableKind.T07: "政府性基金预算财政拨款收入支出决算表",
    TableKind.T08: "国有资本经营预算财政拨款支出决算表",
    TableKind.T09: "财政拨款“三公”经费支出决算表",
    TableKind.T09S: "“三公”经费相关统计数",
    TableKind.T10: "机关运行经费支出情况表",
    TableKind.T11: "政府采购支出情况表",
    TableKind.PERF_PROJECT: "项目支出绩效自评表",
    TableKind.PERF_DEPT: "部门整体支出绩效自评表",
    TableKind.OTHER: "其他表格",
    TableKind.B01: "收支预算总表",
    TableKind.B02: "收入预算总表",
    TableKind.B03: "支出预算总表",
    TableKind.B04: "财政拨款收支预算总表",
    TableKind.B05F: "财政拨款支出预算表",
    TableKind.B05: "一般公共预算支出预算表",
    TableKind.B06F: "财政拨款基本支出预算表",
    TableKind.B06: "一般公共预算基本支出预算表",
    TableKind.B07: "政府性基金预算支出预算表",
    TableKind.B08: "国有资本经营预算支出预算表",
    TableKind.B09: "“三公”经费支出预算表",
    TableKind.B10: "机关运行经费支出预算表",
    TableKind.B11: "政府采购预算表",
    TableKind.B12: "项目支出预算表",
    TableKind.B13: "项目绩效目标表",
    # 决算 tables of regional layouts
    TableKind.T02U: "收入决算表（分单位）",
    TableKind.T03U: "支出决算表（分单位）",
    TableKind.T05D: "财政拨款支出决算明细表",
    TableKind.T05GD: "一般公共预算财政拨款支出决算明细表",
    TableKind.T05P: "一般公共预算财政拨款项目支出决算表",
    TableKind.PROJ: "项目支出决算表",
}


class AmountUnit(StrEnum):
    WAN_YUAN = "万元"
    YUAN = "元"


class Cell(BaseModel):
    """One cell: the text as printed and, for amount columns, its exact value."""

    raw: str = ""
    value: Decimal | None = None
    loc: Location | None = None
    # Confidence of the reading in [0, 1] when it comes from OCR; None for a text layer.
    confidence: float | None = None
    # In a 绩效自评表: the number the cell prints (a rate, a score, an indicator's target or actual
    # value), read by the reader from its text; None elsewhere.
    quantity: Quantity | None = None

    @property
    def blank(self) -> bool:
        return self.raw.strip() == ""

    @property
    def amount(self) -> Decimal:
        """The value, with a blank cell read as zero (its meaning in these tables)."""
        return self.value if self.value is not None else Decimal(0)

    @property
    def decimals(self) -> int:
        """Decimal places as printed (2 for ``1,051.37``, 0 for ``12``)."""
        if self.value is None:
            return 0
        exp = self.value.as_tuple().exponent
        return -exp if isinstance(exp, int) and exp < 0 else 0


class Column(BaseModel):
    """A canonical column: ``key`` is stable across layouts, ``label`` is the printed header."""

    key: str
    label: str = ""
    loc: Location | None = None


class Row(BaseModel):
    """A table row, keyed by its 科目 code or a canonical label key.

    ``key`` is the 功能分类 code (``208``, ``20801``, ``2080109``) or 经济分类 code (``30101``) when
    the row has one, else a canonical label key such as ``total`` or ``inc_general_budget``.
    ``side`` separates the halves of two-sided tables (``income``/``expense`` in T01/T04,
    ``personnel``/``public`` in T06).
    """

    key: str
    label: str = ""
    code: str | None = None
    side: str | None = None
    cells: dict[str, Cell] = Field(default_factory=dict)
    loc: Location | None = None

    @property
    def level(self) -> int | None:
        """科目 level from the code length: 1 = 类 (3 digits), 2 = 款 (5), 3 = 项 (7)."""
        if not self.code:
            return None
        return {3: 1, 5: 2, 7: 3}.get(len(self.code))

    def cell(self, column: str) -> Cell | None:
        return self.cells.get(column)

    def value(self, column: str) -> Decimal | None:
        c = self.cells.get(column)
        return None if c is None else c.value


class TextItem(BaseModel):
    """A line of text attached to a table (title, 部门 line, unit line, note)."""

    text: str
    loc: Location | None = None


class UncertainCell(BaseModel):
    """A place of a table whose printed text the reader could not read for certain (digits run
    across a cell border, and the page does not say which cell they belong to)."""

    row: str  # the row's key
    row_label: str = ""
    side: str | None = None
    # the column's key; None when the uncertain text is the row's code or name (the whole row)
    column: str | None = None
    column_label: str = ""
    reason: str  # why, in Chinese, as the reader recorded it


class TableReading(BaseModel):
    """How completely the reader read one table: the reader's account, never a judgement.

    Every canonical column the table has is in ``by_header`` (its printed header names it) or in
    ``by_position`` (the header did not name it, or named another column, so the column was taken
    from the standard column order). A rule must not call a cell of a ``by_position`` column wrong:
    what the column holds is not certain. A table built by hand (a test, a rule case) records
    nothing and counts as read by its headers."""

    # the body layout that read the table (``coded``, ``two_sided``, ``one_column``, ``detail``,
    # ``sangong`` …; ``other`` for a table of no known kind); empty when not read from a page
    layout: str = ""
    by_header: list[str] = Field(default_factory=list)  # canonical column keys
    by_position: list[str] = Field(default_factory=list)  # canonical column keys
    unmapped: list[str] = Field(default_factory=list)  # printed headers of columns not read
    missing: list[str] = Field(default_factory=list)  # canonical column keys the table lacks
    rows_unread: list[str] = Field(default_factory=list)  # labels of printed rows not read
    rows_unlabelled: int = 0  # rows with amounts but without a code or a label (not read)
    # cells whose text the reader could not place for certain (see UncertainCell)
    cells_uncertain: list[UncertainCell] = Field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every printed column and row read, every column by its header, every cell for certain."""
        return not (
            self.by_position
            or self.unmapped
            or self.missing
            or self.rows_unread
            or self.rows_unlabelled
            or self.cells_uncertain
        )

    def uncertain(self, row: str, column: str | None) -> UncertainCell | None:
        """The uncertain place a cell of ``row`` × ``column`` is (or lies in: its row's code or
        name was not read for certain), if any."""
        for u in self.cells_uncertain:
            if u.row == row and (u.column is None or u.column == column):
                return u
        return None

    def positional(self, column: str) -> bool:
        """Whether ``column`` was attributed by position only."""
        return column in self.by_position
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_ordinal(text: str) -> int | None:
    """一 … 九十九 written in Chinese numerals inside ``text`` (公开表十二 -> 12), None when absent."""
    cn = "".join(ch for ch in text if ch in _CN_DIGITS or ch == "十")
    if not cn:
        return None
    if "十" not in cn:
        return _CN_DIGITS.get(cn) if len(cn) == 1 else None
    tens, _, ones = cn.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


class Table(BaseModel):
    kind: TableKind
    title: str = ""
    printed_number: str | None = None  # e.g. "公开01表", exactly as printed
    unit: AmountUnit | None = None
    department: str | None = None  # the 部门/单位 named in the table header
    columns: list[Column] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    # Key/value fields outside the grid (绩效自评表: 项目名称, 年初预算数, 执行率, 总分 …).
    fields: dict[str, Cell] = Field(default_factory=dict)
    notes: list[TextItem] = Field(default_factory=list)
    header_texts: list[TextItem] = Field(default_factory=list)
    loc: Location | None = None
    # Printed decimal places of amounts (2 in nearly every table).
    decimals: int = 2
    # For a table left as OTHER: the kind its title or one of its header lines names, read as a
    # 目录 line names a table (a part heading taken for the title leaves 收入支出决算总表 in the
    # header lines). Set by ingest/document_parts.py.
    named_kind: TableKind | None = None
    # how completely the reader read the table (see TableReading)
    reading: TableReading = Field(default_factory=TableReading)

    @property
    def number(self) -> int | None:
        """The printed number as an int (公开06表 -> 6), None when not printed."""
        if not self.printed_number:
            return None
        digits = "".join(ch for ch in self.printed_number if ch.isdigit())
        if digits:
            return int(digits)
        return _cn_ordinal(self.printed_number)  # Jiangsu prints 公开表一 … 公开表十二

    @property
    def name(self) -> str:
        return self.title or TABLE_NAMES[self.kind]

    def row(self, key: str, side: str | None = None) -> Row | None:
        for r in self.rows:
            if r.key == key and (side is None or r.side == side):
                return r
        return None

    def cell(self, key: str, column: str, side: str | None = None) -> Cell | None:
        r = self.row(key, side)
        return None if r is None else r.cell(column)

    def value(self, key: str, column: str, side: str | None = None) -> Decimal | None:
        c = self.cell(key, column, side)
        return None if c is None else c.value

    def column(self, key: str) -> Column | None:
        for c in self.columns:
            if c.key == key:
                return c
        return None

    def column_label(self, key: str) -> str:
        c = self.column(key)
        return c.label if c and c.label else key

    def coded_rows(self) -> list[Row]:
        return [r for r in self.rows if r.code]

    @property
    def is_empty(self) -> bool:
        """True when no cell of the table holds a non-zero amount."""
        for r in self.rows:
            for c in r.cells.values():
                if c.value is not None and c.value != 0:
                    return False
        for c in self.fields.values():
            if c.value is not None and c.value != 0:
                return False
        return True
