"""Y-001…Y-003: the carry-over a year starts with is the one the previous year ended with
(公开01表, 公开04表 by fund type, 政府性基金 / 国有资本经营预算财政拨款表)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ....model import Finding
from ...base import register
from ...pair import DocPair
from .common import ADJUST, CrossYearRule


@register
class BeginBalanceT01(CrossYearRule):
    """收入支出决算总表的年初结转和结余应等于上年决算的年末结转和结余。

    The carry-over a year starts with is the one the previous year ended with; a difference
    means one of the two documents is wrong or the scope changed without explanation.

    Wrong:
        2023年度 公开01表 年末结转和结余 120.50
        2024年度 公开01表 年初结转和结余 102.50

    Right:
        2023年度 公开01表 年末结转和结余 120.50
        2024年度 公开01表 年初结转和结余 120.50
    """

    id = "Y-001"
    title = "年初结转和结余与上年年末一致"

    def check(self, pair: DocPair) -> Iterator[Finding]:
        cur, prev = pair.doc, pair.other
        if cur.cell("T01", "inc_begin_balance", "amount", "income") is None:
            return
        if prev.cell("T01", "exp_end_balance", "amount", "expense") is None:
            return
        now = self.ref(cur, "T01", "inc_begin_balance", "amount", "income", previous=False)
        before = self.ref(prev, "T01", "exp_end_balance", "amount", "expense", previous=True)
        f = self.compare_finding("年初结转和结余与上年年末结转和结余不一致", cur, prev, now, before, ADJUST)
        if f:
            yield f


# T04: this year's income-side 年初 rows against last year's expense-side 年末 row, column by column.
T04_SPLITS = [
    ("inc_begin_general", "general", "年初一般公共预算财政拨款结转和结余"),
    ("inc_begin_fund", "fund", "年初政府性基金预算财政拨款结转和结余"),
    ("inc_begin_capital", "capital", "年初国有资本经营预算财政拨款结转和结余"),
]


@register
class BeginBalanceT04(CrossYearRule):
    """财政拨款收入支出决算总表的年初财政拨款结转和结余（合计及一般公共预算、政府性基金、国有资本经营
    三个部分）应分别等于上年决算的年末财政拨款结转和结余。

    Each part is compared on its own; the total is reported only when the parts already reported
    do not account for its difference.

    Wrong:
        2023年度 公开04表 年末财政拨款结转和结余：合计 80.00，一般公共预算 80.00
        2024年度 公开04表 年初一般公共预算财政拨款结转和结余 60.00（合计 80.00）

    Right:
        2023年度 公开04表 年末财政拨款结转和结余：合计 80.00，一般公共预算 80.00
        2024年度 公开04表 年初财政拨款结转和结余 80.00，其中一般公共预算 80.00
    """

    id = "Y-002"
    title = "年初财政拨款结转和结余与上年年末一致（分资金性质）"

    def check(self, pair: DocPair) -> Iterator[Finding]:
        cur, prev = pair.doc, pair.other
        explained = Decimal(0)
        for now_key, col, label in T04_SPLITS:
            if (
                cur.cell("T04", now_key, "amount", "income") is None
                or prev.cell("T04", "exp_end_balance", col, "expense") is None
            ):
                continue
            now = self.ref(cur, "T04", now_key, "amount", "income", previous=False)
            before = self.ref(prev, "T04", "exp_end_balance", col, "expense", previous=True)
            f = self.compare_finding(f"{label}与上年年末不一致", cur, prev, now, before, ADJUST)
            if f:
                if f.severity is self.severity and f.difference is not None:
                    explained += f.difference
                yield f
        if (
            cur.cell("T04", "inc_begin_balance", "amount", "income") is None
            or prev.cell("T04", "exp_end_balance", "total", "expense") is None
        ):
            return
        now = self.ref(cur, "T04", "inc_begin_balance", "amount", "income", previous=False)
        before = self.ref(prev, "T04", "exp_end_balance", "total", "expense", previous=True)
        f = self.compare_finding("年初财政拨款结转和结余与上年年末不一致", cur, prev, now, before, ADJUST)
        if f and not (explained and f.difference == explained):
            yield f


@register
class BeginBalanceFunds(CrossYearRule):
    """政府性基金、国有资本经营预算财政拨款支出决算表合计行的年初结转和结余应等于上年该表的年末结转和结余。

    Wrong:
        2023年度 政府性基金预算财政拨款收入支出决算表 合计 年末结转和结余 15.00
        2024年度 同表 合计 年初结转和结余 0.00

    Right:
        2023年度 政府性基金预算财政拨款收入支出决算表 合计 年末结转和结余 15.00
        2024年度 同表 合计 年初结转和结余 15.00
    """

    id = "Y-003"
    title = "政府性基金、国有资本经营年初结转和结余与上年年末一致"

    def check(self, pair: DocPair) -> Iterator[Finding]:
        cur, prev = pair.doc, pair.other
        for kind, name in (("T07", "政府性基金预算财政拨款"), ("T08", "国有资本经营预算财政拨款")):
            if (
                cur.cell(kind, "total", "begin_balance") is None
                or prev.cell(kind, "total", "end_balance") is None
            ):
                continue
            now = self.ref(cur, kind, "total", "begin_balance", None, previous=False)
            before = self.ref(prev, kind, "total", "end_balance", None, previous=True)
            f = self.compare_finding(f"{name}年初结转和结余与上年年末不一致", cur, prev, now, before, ADJUST)
            if f:
                yield f
