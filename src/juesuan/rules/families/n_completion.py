"""Completion against budget (N-005, N-006)."""

from __future__ import annotations

from ...model import Severity
from ...narrative import checks
from ..base import register
from .n_common import ClaimRule


@register
class N005CompletionRate(ClaimRule):
    """完成率（执行率）= 决算数 ÷ 预算数，按说明印出的位数四舍五入；截尾取值只作提示。

    Wrong:
        “项目全年预算数为 3721.70 万元，执行数 1365.20 万元，……完成年度预算的 95.81%”
        （1365.20 ÷ 3721.70 = 36.68%）。

    Right:
        “年初预算为 573.82 万元，支出决算为 621.58 万元，完成年初预算的 108.3%”
        （621.58 ÷ 573.82 = 108.32% → 108.3%）。
    """

    id = "N-005"
    title = "完成率等于决算数除以预算数"
    family = "情况说明：预算完成"
    severity = Severity.ERROR
    checker = staticmethod(checks.completion_checks)


@register
class N006NoRateForZeroBudget(ClaimRule):
    """预算数为 0 时不能表述完成率（任何百分数都无意义）；决算数也为 0 时为警告。

    Wrong:
        “年初预算为 0 万元，支出决算为 2.82 万元，完成年初预算的 100%。”

    Right:
        “年初预算为 0 万元，支出决算为 2.82 万元。决算数大于预算数的主要原因是……”
    """

    id = "N-006"
    title = "预算数为零时不表述完成率"
    family = "情况说明：预算完成"
    severity = Severity.ERROR
    checker = staticmethod(checks.completion_checks)
