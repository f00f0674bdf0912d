"""What the reader reads out of the 绩效 parts of a disclosure: the numbers of the 绩效自评表 cells
(a rate, a score, an indicator's target and actual value as printed in words and signs) and the
statements the 绩效 sections of the narrative make about the self-evaluations."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .location import Location


class Comparator(StrEnum):
    """How a 年度指标值 compares the actual value with its number (≥95%, 不低于90% → ≥)."""

    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="


class Quantity(BaseModel):
    """The number a 绩效自评表 cell prints, read from its text: ``97.04%`` → 97.04; ``10分`` → 10;
    ``≥95%`` → ≥ 95 %; ``不低于90%`` → ≥ 90 %; ``16.88万人`` → 16.88 万人. The text as printed
    stays in ``Cell.raw``."""

    model_config = ConfigDict(frozen=True)

    value: Decimal
    # decimal places printed after the first number of the text (2 for 97.04%, 0 for 98%)
    places: int = 0
    # the unit printed after the number (%, 分, 人, 天 …) when the cell holds just the number and its
    # unit (年度指标值, 实际完成值); "" for a bare number, and in the cells of amounts and scores
    unit: str = ""
    # the comparison a 年度指标值 states; None for a value
    op: Comparator | None = None


class StatedBudgetActual(BaseModel):
    """A project's 预算数 and 执行数 as a 绩效 section states them in words
    (项目全年预算数为 77 万元，执行数为 74.92 万元), in 万元."""

    budget: Decimal
    actual: Decimal
    sentence: str  # the sentence stating them
    loc: Location | None = None  # its paragraph


class StatedProjectCount(BaseModel):
    """The number of projects a 绩效 section says were self-evaluated (对 13 个项目支出开展了绩效
    自评) and the amount it states for them after it in the same paragraph (共涉及资金 42678.16 万元)."""

    count: int  # never 0
    sentence: str
    loc: Location | None = None  # its paragraph
    total: Decimal | None = None  # 万元; None when the paragraph states none after the count
    total_sentence: str = ""


class PerfStatements(BaseModel):
    """What the 绩效 sections of the narrative state (a section is about 绩效 when its heading or
    an ancestor's names 绩效), in reading order."""

    # the headings naming 绩效: the claims read from the sentences of those sections are 绩效
    # statements too (``Claim.section`` is the heading of the claim's section)
    headings: list[str] = Field(default_factory=list)
    budget_actual: list[StatedBudgetActual] = Field(default_factory=list)
    # one per paragraph stating a count, the first count of the paragraph
    project_counts: list[StatedProjectCount] = Field(default_factory=list)
