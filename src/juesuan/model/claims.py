"""Numeric claims extracted from narrative sentences and their bindings to cells."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field

from .location import Location
from .table import TableKind


class ClaimKind(StrEnum):
    AMOUNT = "amount"  # 本年收入合计 900.28 万元
    SHARE = "share"  # 占 90%
    CHANGE = "change"  # 增加/减少 X 万元, 增长/下降 Y%, 持平
    COMPLETION = "completion"  # 年初预算 A, 决算 B, 完成 C%
    DIRECTION = "direction"  # 大于/小于/等于 with its reason clause
    COUNT = "count"  # 车辆 3 辆, 接待 12 批次
    EMPTY_TABLE = "empty_table"  # 本表无数据 / 本表为空表
    OTHER = "other"  # a number whose role was not recognised (listed by explain, not checked)


class Binding(BaseModel):
    """The cell a claim restates."""

    table: TableKind
    table_index: int
    row: str
    column: str
    side: str | None = None
    # What the cell is to the claim: value, budget, actual, part, total (a share's denominator),
    # last (上年数); None = value.
    role: str | None = None


class Claim(BaseModel):
    kind: ClaimKind
    quantity: str = ""  # canonical quantity key, e.g. "inc_total_year", "func:2080109"
    label: str = ""  # the words naming the quantity, as written
    value: Decimal | None = None
    unit: str = ""  # 万元, 元, %, 辆, 批次, 人次, 个
    year: int | None = None  # when it is about another year (上年)
    # Other numbers of the claim: change_amount, change_pct, direction (+1/-1/0), budget, actual,
    # rate, share_of, precision …
    attrs: dict[str, Decimal | str | int | None] = Field(default_factory=dict)
    sentence: str = ""
    span: tuple[int, int] = (0, 0)  # offsets inside the sentence
    loc: Location | None = None
    section: str | None = None  # heading of the section it sits in
    bindings: list[Binding] = Field(default_factory=list)
    unbound_reason: str | None = None
