"""Terms (N-009): 收入总计/支出总计 (the 总计 rows) are not 本年收入合计/本年支出合计."""

from __future__ import annotations

from ...model import Severity
from ...narrative import checks
from ..base import register
from .n_common import ClaimRule


@register
class N009TotalTerms(ClaimRule):
    """“收入总计”“支出总计”（收入支出决算总表 总计行，含年初结转和结余等）不是“本年收入合计”
    “本年支出合计”；说明用了一个词却给出另一个数时为错误（财政拨款收入支出决算总表同理）。

    Wrong:
        “2024 年度收入总计为 900.28 万元。”（总计 1,051.37；900.28 是本年收入合计）

    Right:
        “2024 年度收入总计 1,051.37 万元，其中本年收入合计 900.28 万元。”
    """

    id = "N-009"
    title = "总计与本年合计不混用"
    family = "情况说明：用语"
    severity = Severity.ERROR
    checker = staticmethod(checks.term_checks)
