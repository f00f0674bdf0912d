"""Narrative changes against last year (N-004)."""

from __future__ import annotations

from ...model import Severity
from ...narrative import checks
from ..base import register
from .n_common import ClaimRule


@register
class N004ChangeAgrees(ClaimRule):
    """增减额与增减率一致：增减率 = 增减额 ÷ 上年数，上年数 = 本年数 ∓ 增减额；表中有上年数时
    （机关运行经费表），增减额还须等于本年数减上年数；“减少……增长”这类前后矛盾的增减方向为错误。
    截尾取值只作提示。

    Wrong:
        “本年收入合计 900.28 万元，比上年减少 16.22 万元，下降 1.6%”
        （16.22 ÷ (900.28 + 16.22) = 1.77% → 1.8%）。

    Right:
        “本年收入合计 900.28 万元，比上年减少 16.22 万元，下降 1.8%”。
    """

    id = "N-004"
    title = "增减额与增减率一致"
    family = "情况说明：增减变化"
    severity = Severity.ERROR
    checker = staticmethod(checks.change_checks)
