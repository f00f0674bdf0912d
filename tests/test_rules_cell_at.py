"""The comparison helpers take cells whose Refs are built only for a finding (``CellAt``) and
give exactly what they give for the Refs themselves."""

from __future__ import annotations

from decimal import Decimal

from juesuan.model import Cell, Disclosure, Row, Table, TableKind
from juesuan.rules.base import Rule
from juesuan.rules.context import CellAt, RunContext
from juesuan.rules.identities import balance_finding, not_above_finding


class _Probe(Rule):
    id = "Z-000"
    title = "probe"
    family = "Z"


def _doc(values: dict[str, str | None]) -> tuple[RunContext, Table]:
    rows = [
        Row(key=k, label=k, cells={"amount": Cell(value=Decimal(v) if v is not None else None, raw=v or "")})
        for k, v in values.items()
    ]
    t = Table(kind=TableKind.T11, rows=rows)
    return RunContext(Disclosure(tables=[t])), t


def _pairs(ctx: RunContext, t: Table, keys: list[str]) -> tuple[list[CellAt], list]:
    ats = [ctx.cell(t, k, "amount") for k in keys]
    refs = [ctx.ref(t, k, "amount") for k in keys]
    assert all(a is not None for a in ats) and all(r is not None for r in refs)
    return ats, refs  # type: ignore[return-value]


def test_cell_at_matches_cell_ref() -> None:
    ctx, t = _doc({"total": "3.00", "goods": "1.00"})
    assert ctx.cell(t, "missing", "amount") is None
    assert ctx.cell(t, "total", "other") is None
    at = ctx.cell(t, "total", "amount")
    assert at is not None and at.value == Decimal("3.00")
    assert at.ref() is ctx.ref(t, "total", "amount")  # one Ref per cell and run
    assert at.ref() == RunContext(ctx.doc).ref(t, "total", "amount")


def test_helpers_give_the_same_findings_for_cells_and_refs() -> None:
    rule = _Probe()
    severities = []
    for values in (
        {"total": "3.00", "goods": "1.00", "works": "2.00"},  # equal: nothing
        {"total": "3.01", "goods": "1.00", "works": "2.00"},  # rounding: info
        {"total": "4.00", "goods": "1.00", "works": None},  # mismatch
    ):
        ctx, t = _doc(values)
        (total, goods, works), (rt, rg, rw) = _pairs(ctx, t, ["total", "goods", "works"])
        f = rule.sum_finding(ctx, "s", total, [goods, works])
        assert f == rule.sum_finding(ctx, "s", rt, [rg, rw])
        severities.append(f.severity.value if f else None)
        assert rule.sum_finding(ctx, lambda: "s", total, [goods, works]) == rule.sum_finding(ctx, "s", rt, [rg, rw])
        assert balance_finding(rule, ctx, "b", goods, [(1, total), (-1, works)]) == balance_finding(
            rule, ctx, "b", rg, [(1, rt), (-1, rw)]
        )
        for part, whole, rpart, rwhole in ((total, goods, rt, rg), ([goods, works], total, [rg, rw], rt)):
            assert not_above_finding(rule, ctx, "n", part, whole) == not_above_finding(rule, ctx, "n", rpart, rwhole)
    assert severities == [None, "info", "error"]


def test_message_function_called_only_for_a_finding() -> None:
    rule = _Probe()
    ctx, t = _doc({"total": "3.00", "goods": "3.00"})
    total, goods = ctx.cell(t, "total", "amount"), ctx.cell(t, "goods", "amount")
    assert total is not None and goods is not None

    def boom() -> str:
        raise AssertionError("named a comparison that reports nothing")

    assert rule.sum_finding(ctx, boom, total, [goods]) is None
    assert not_above_finding(rule, ctx, boom, goods, total) is None
