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


class BindingHow(StrEnum):
    """How the reader found what a claim is about (its subject, the amount it qualifies).

    ``same_clause``, ``explicit`` and ``previous_sentence`` with one candidate are certain: a
    rule may call a contradiction an error. ``inherited`` never is (the rule records the claim as
    not checked)."""

    SAME_CLAUSE = "same_clause"  # the words naming it stand in the claim's own clause (or the
    # amount it qualifies is stated just before it in the same sentence)
    EXPLICIT = "explicit"  # named explicitly (占“三公”经费的…, 与上年相比，支出总计减少…)
    PREVIOUS_SENTENCE = "previous_sentence"  # the amount stated in the immediately preceding sentence
    INHERITED = "inherited"  # carried from an earlier subject (a heading, a list head, an amount further back)


CERTAIN_HOW = frozenset({BindingHow.SAME_CLAUSE, BindingHow.EXPLICIT, BindingHow.PREVIOUS_SENTENCE})


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
    # how the quantity of this cell was found (the claim's ``how`` for its subject, ``total_how``
    # for a share's total), and how many cells of the tables hold that quantity (01表 and 02表
    # both print 本年收入合计: 2)
    how: BindingHow | None = None
    candidates: int = 1


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
    # How the subject (for a change, the amount it compares with last year; for a share, its part
    # and total; for a completion, its 预算 and 决算) was found, and how many stated amounts could
    # have been it. None: the claim has no subject to find (an empty-table sentence, a number whose
    # role was not recognised).
    how: BindingHow | None = None
    candidates: int = 0

    @property
    def certain(self) -> bool:
        """Whether what the claim is about was found without doubt (see :class:`BindingHow`)."""
        return self.how in CERTAIN_HOW and self.candidates == 1
