"""Empty-table sentences (N-011)."""

from __future__ import annotations

from ...model import Severity
from ...narrative import checks
from ..base import register
from .n_common import ClaimRule


@register
class N011EmptyTableSentence(ClaimRule):
    """说明称某表无数据（“本部门没有……收入支出”“故本表无数据”）时，该表确实没有非零数。

    Wrong:
        “本部门没有发生政府性基金预算财政拨款收入支出，故公开07表无数据。”（07表本年支出 12.00）

    Right:
        同一句话，07表各栏均为空或 0。
    """

    id = "N-011"
    title = "空表说明与表格一致"
    family = "情况说明：空表"
    severity = Severity.ERROR
    checker = staticmethod(checks.empty_checks)
