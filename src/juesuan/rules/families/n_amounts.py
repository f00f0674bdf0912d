"""Narrative amounts (N-001): a number the text states equals the cell it restates."""

from __future__ import annotations

from ...model import Severity
from ...narrative import checks
from ..base import register
from .n_common import ClaimRule


@register
class N001AmountEqualsCell(ClaimRule):
    """说明中的金额、数量（含完成情况中的预算数、决算数）与其所述的表格单元格一致。

    相差恰为一个末位单位（0.01 万元）时为警告：多为由其他已舍入的单元格推算所得。说明中的数与
    另一张表中同一数量的单元格一致（两表本身不一致）时不报告，由表间规则报告；说明中的错数恰好
    等于文件中另一个单元格时，结论指出该单元格（可能取错了表或栏）。

    Wrong:
        说明：“基本支出 771.44 万元”；支出决算表 合计行[基本支出] 为 771.45。
        说明：“公务接待费支出 0.80 万元”；“三公”经费表 公务接待费[决算数] 为 0.18。

    Right:
        说明：“基本支出 771.45 万元”；表中 771.45。
        说明：“公用经费 93 万元”；表中 93.00（按说明的位数舍入后相同）。
    """

    id = "N-001"
    title = "说明中的金额与表中数一致"
    family = "情况说明：金额"
    severity = Severity.ERROR
    checker = staticmethod(checks.amount_checks)
