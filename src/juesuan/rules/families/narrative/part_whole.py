"""A part never exceeds its whole (N-018): a sentence that names a part, its whole and the share
(本年支出预算合计 100 万元。项目支出 120 万元，占本年支出预算合计的 120%) is wrong even when the share agrees
with the two numbers. The check is one of the share checks (``shares.share_checks``); a share
that disagrees with its numbers is N-002's finding, and a list of parts over its total N-013's."""

from __future__ import annotations

from ....model import ALL_KINDS, ClaimKind, Severity
from ...base import register
from .common import ClaimRule
from .shares import share_checks


@register
class N018PartNotAboveWhole(ClaimRule):
    """句中写出的部分不超过其整体：“占……的”所指的是一个整体（不是年初预算、上年数等比较的基数），而
    部分金额大于整体金额（超出两数末位半个单位之和）时为错误，即使占比与两数相符。

    Wrong:
        “本年支出预算合计 100.00 万元。项目支出 120.00 万元，占本年支出预算合计的 120%。”

    Right:
        “本年支出预算合计 100.00 万元。项目支出 80.00 万元，占本年支出预算合计的 80%。”
    """

    id = "N-018"
    title = "部分不超过其整体"
    family = "情况说明：占比"
    severity = Severity.ERROR
    kinds = ALL_KINDS
    checker = staticmethod(share_checks)
    claim_kinds = frozenset({ClaimKind.SHARE})
