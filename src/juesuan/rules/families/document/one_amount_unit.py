"""One amount unit for the set of tables (D-012): a table whose 金额单位 differs from the unit the
other tables print is an error."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ....model import AmountUnit, Disclosure, Finding, Table, TableKind
from ...base import Rule, register
from ...context import RunContext
from .common import table_name

_UNIT_KINDS = [TableKind(f"T{i:02d}") for i in range(1, 12)]


def printed_unit(doc: Disclosure, t: Table) -> str | None:
    """The unit the table prints. A reader that converts a table in 元 to 万元 (the workbook
    reader) sets ``unit`` to 万元, keeps the printed 元 in ``Metadata.unit`` and adds four places to
    ``Table.decimals``: such a table printed 元."""
    if t.unit is None:
        return None
    if t.unit is AmountUnit.WAN_YUAN and doc.metadata.unit is AmountUnit.YUAN and t.decimals >= 4:
        return str(AmountUnit.YUAN)
    return str(t.unit)


@register
class OneAmountUnit(Rule):
    """One amount unit for the whole set of tables (公开01表 … 11表): a table whose 金额单位 differs
    from the unit the other tables print (单位：元 among tables in 万元) is an error — either its
    unit line is wrong or its amounts cannot be compared with the others'. 绩效自评表 may print
    their own unit and are not compared. A table the reader converted from 元 to 万元 counts as
    printed in 元.

    Wrong:
        公开01表 … 公开08表 金额单位：万元；公开09表 金额单位：元（数额与其他表同为万元）
    Right:
        公开01表 … 公开11表 均为 金额单位：万元
    """

    id = "D-012"
    title = "各表金额单位一致"
    family = "D"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        units = {id(t): printed_unit(doc, t) for t in doc.tables if t.kind in _UNIT_KINDS}
        tables = [t for t in doc.tables if units.get(id(t))]
        if len(tables) < 3:
            return
        counts: dict[str, int] = defaultdict(int)
        for t in tables:
            counts[str(units[id(t)])] += 1
        if len(counts) < 2:
            return
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        main, n_main = ranked[0]
        if n_main == ranked[1][1]:  # no unit most tables share: the document's own, if it states one
            if doc.metadata.unit is None or str(doc.metadata.unit) not in counts:
                names = "、".join(f"{table_name(t)}{units[id(t)]}" for t in tables)
                yield self.finding(f"各表金额单位不一致：{names}", [ctx.table_ref(t) for t in tables])
                return
            main = str(doc.metadata.unit)
        for t in tables:
            if units[id(t)] != main:
                yield self.finding(
                    f"{table_name(t)}的金额单位为“{units[id(t)]}”，其他各表为“{main}”",
                    [ctx.table_ref(t)],
                    expected=main,
                    found=units[id(t)],
                )
