"""Direction words and reasons (N-007, N-008)."""

from __future__ import annotations

from ...model import Severity
from ...narrative import checks
from ..base import register
from .n_common import ClaimRule


@register
class N007DirectionWord(ClaimRule):
    """“决算数大于/小于/等于预算数”与前文的预算数、决算数一致。

    Wrong:
        “年初预算为 74.32 万元，支出决算为 70.94 万元……决算数大于预算数的主要原因是……”

    Right:
        “年初预算为 74.32 万元，支出决算为 70.94 万元……决算数小于预算数的主要原因是……”
    """

    id = "N-007"
    title = "大于/小于/等于与数字一致"
    family = "情况说明：预算完成"
    severity = Severity.ERROR
    checker = staticmethod(checks.direction_checks)


@register
class N008ReasonForDifference(ClaimRule):
    """决算数与预算数不一致时须说明原因（绩效自评中的执行情况除外）。

    Wrong:
        “一般公共预算财政拨款支出年初预算为 743.32 万元，支出决算为 881.98 万元，
        完成年初预算的 118.7%。其中：……”（没有说明原因）

    Right:
        “……完成年初预算的 118.7%。决算数大于预算数的主要原因是年中追加了……”
    """

    id = "N-008"
    title = "决算与预算不一致须说明原因"
    family = "情况说明：预算完成"
    severity = Severity.WARNING
    checker = staticmethod(checks.reason_checks)
