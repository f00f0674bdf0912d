"""Family T08: the 国有资本经营预算财政拨款(收入)支出决算表. Same identities as T07 (where the columns
exist: many layouts print only 本年支出 合计 / 基本支出 / 项目支出)."""

from __future__ import annotations

from typing import ClassVar

from ....model import TableKind
from ...base import register
from .t07_gov_fund import FundGrandTotal, FundHierarchy, FundRowBalance, FundRowSplit


@register
class T08RowBalance(FundRowBalance):
    """Per row (合计 and each 类/款/项): 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, when the
    table has those columns.

    Wrong:
        合计 | 年初 5.00 | 本年收入 20.00 | 本年支出 20.00 | 年末 0
    Right:
        合计 | 年初 5.00 | 本年收入 20.00 | 本年支出 20.00 | 年末 5.00
    """

    id = "T08-001"
    title = "国有资本经营各行年初加收入减支出等于年末"
    family = "T08"
    kind: ClassVar[TableKind] = TableKind.T08


@register
class T08RowSplit(FundRowSplit):
    """Per row: 本年支出 合计 = 基本支出 + 项目支出.

    Wrong:
        合计 | 本年支出 20.00 | 基本支出 空 | 项目支出 2.00
    Right:
        合计 | 本年支出 20.00 | 基本支出 空 | 项目支出 20.00
    """

    id = "T08-002"
    title = "国有资本经营各行本年支出等于基本支出加项目支出"
    family = "T08"
    kind: ClassVar[TableKind] = TableKind.T08


@register
class T08Hierarchy(FundHierarchy):
    """Column by column: each 类 = Σ its 款, each 款 = Σ its 项 (lowest broken level only).

    Wrong:
        223 国有资本经营预算支出 30.00 | 22301 20.00
    Right:
        223 国有资本经营预算支出 20.00 | 22301 20.00
    """

    id = "T08-003"
    title = "国有资本经营表类款项逐级相加"
    family = "T08"
    kind: ClassVar[TableKind] = TableKind.T08


@register
class T08GrandTotal(FundGrandTotal):
    """Column by column: 合计 = Σ 类 rows. An empty table (only a blank 合计 row) passes.

    Wrong:
        合计 本年支出 25.00 | 223 本年支出 20.00
    Right:
        合计 本年支出 20.00 | 223 本年支出 20.00
    """

    id = "T08-004"
    title = "国有资本经营表合计等于各类之和"
    family = "T08"
    kind: ClassVar[TableKind] = TableKind.T08
