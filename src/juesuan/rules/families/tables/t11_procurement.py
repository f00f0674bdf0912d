"""Family T11: the 政府采购支出情况表 (rows total / goods / works / services / sme / small_micro), and
the budget's 政府采购预算表 (its 合计 = 货物 + 工程 + 服务)."""

from __future__ import annotations

from collections.abc import Iterator

from ....model import ALL_KINDS, Finding, TableKind
from ...base import Rule, register
from ...compare import shown
from ...context import RunContext
from ...identities import not_above_finding


@register
class T11Total(Rule):
    """政府采购支出合计 = 货物 + 工程 + 服务.

    Wrong:
        政府采购支出合计 21.37 | 货物 20.37 | 工程 空 | 服务 空
    Right:
        政府采购支出合计 21.37 | 货物 21.37 | 工程 空 | 服务 空
    """

    id = "T11-001"
    kinds = ALL_KINDS  # the budget's 政府采购预算表 has the same 合计 = 货物 + 工程 + 服务
    title = "政府采购支出合计等于货物、工程、服务之和"
    family = "T11"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in [*doc.tables_of(TableKind.T11), *doc.tables_of(TableKind.B11)]:
            total = ctx.cell(t, "total", "amount")
            parts = [p for p in (ctx.cell(t, k, "amount") for k in ("goods", "works", "services")) if p]
            if total and parts:
                f = self.sum_finding(
                    ctx, "政府采购支出合计不等于货物、工程、服务支出之和", total, shown(parts)
                )
                if f:
                    yield f


@register
class T11Sme(Rule):
    """授予中小企业合同金额 ≤ 政府采购支出合计.

    Wrong:
        政府采购支出合计 21.37 | 授予中小企业合同金额 30.00
    Right:
        政府采购支出合计 21.37 | 授予中小企业合同金额 21.37
    """

    id = "T11-002"
    title = "授予中小企业合同金额不超过政府采购支出合计"
    family = "T11"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T11):
            part = ctx.cell(t, "sme", "amount")
            whole = ctx.cell(t, "total", "amount")
            if part and whole:
                f = not_above_finding(self, ctx, "授予中小企业合同金额超过政府采购支出合计", part, whole)
                if f:
                    yield f


@register
class T11SmallMicro(Rule):
    """授予小微企业合同金额 ≤ 授予中小企业合同金额 (小微企业 are part of 中小企业).

    Wrong:
        授予中小企业合同金额 10.00 | 其中：授予小微企业合同金额 12.00
    Right:
        授予中小企业合同金额 12.00 | 其中：授予小微企业合同金额 12.00
    """

    id = "T11-003"
    title = "授予小微企业合同金额不超过授予中小企业合同金额"
    family = "T11"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in doc.tables_of(TableKind.T11):
            part = ctx.cell(t, "small_micro", "amount")
            whole = ctx.cell(t, "sme", "amount")
            if part and whole:
                f = not_above_finding(self, ctx, "授予小微企业合同金额超过授予中小企业合同金额", part, whole)
                if f:
                    yield f
