"""Narrative shares (N-002, N-003): 占X% = part / total; the shares of a list add up to ~100%."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Finding, Severity
from ...narrative import checks
from ..base import Rule, register
from ..context import RunContext
from .n_common import ClaimRule


@register
class N002ShareIsPartOverTotal(ClaimRule):
    """“占X%”等于所述部分除以总数，按说明印出的位数四舍五入（或四舍六入五成双）。

    金额本身是舍入到 0.01 万元的，所以凡在其舍入区间内可得到的百分数都算正确；
    截尾取值（应入而舍）只作提示；超出区间即为错误。总数在表中找不到时，超过 100% 的占比为警告。

    Wrong:
        “共涉及资金 42678.16 万元，占一般公共预算项目支出总额的 386.1%”（项目支出 110.54 万元）。
        “社会保障和就业支出 793.87 万元，占 85%”（支出 881.98 万元：793.87 ÷ 881.98 = 90.01%）。

    Right:
        “社会保障和就业支出 793.87 万元，占 90%；卫生健康支出 33.86 万元，占 4%”
        （793.87 ÷ 881.98 = 90.01% → 90%，33.86 ÷ 881.98 = 3.84% → 4%）。
    """

    id = "N-002"
    title = "占比等于部分除以总数"
    family = "情况说明：占比"
    severity = Severity.ERROR
    checker = staticmethod(checks.share_checks)


@register
class N003SharesAddUp(Rule):
    """同一列举中各项的占比之和约为 100%：超过 100% 加各项舍入容差，或各项金额之和等于总数而
    占比之和不是 100%，均为警告（各项自身算错时只报 N-002）。

    Wrong:
        “其中：甲项目 50 万元，占 60%；乙项目 50 万元，占 50%”（之和 110%）。

    Right:
        “基本支出 944.44 万元，占 44.84%；项目支出 1,161.90 万元，占 55.16%”（之和 100%）。
    """

    id = "N-003"
    title = "同一列举的占比之和约为 100%"
    family = "情况说明：占比"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for ch in checks.share_list_checks(doc):
            if ch.severity is None:
                continue
            yield self.finding(ch.message, ch.refs, severity=ch.severity, expected=ch.expected,
                               found=ch.found, arithmetic=ch.arithmetic)  # fmt: skip
