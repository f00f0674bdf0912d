"""Attach numeric claims of the narrative to the disclosure and bind them to cells."""

from __future__ import annotations

from ...model import Binding, BindingHow, Claim, ClaimKind, Disclosure, TableKind
from ..trusted import trusted
from . import quantities as q
from .claims import extract
from .quantities import TableLookup

# The quantity lexicon names the cells of the 决算 tables; a budget's tables are others: its numbers
# are bound only to the budget cells that certainly hold them (quantities.BUDGET_FIXED), the rest
# judged by what the text itself states (change against change rate, parts against total).
NOT_FOR_BUDGETS = "预算公开文件：数量词典所列为决算表的单元格，不与本文件的表格核对（只按说明中的数字核对）"


def _is_budget(tables: TableLookup) -> bool:
    kind = tables.doc.metadata.kind
    return kind is not None and kind.is_budget


def _bind(tables: TableLookup, c: Claim, role: str, key: str | None) -> str | None:
    """Add the binding of ``key`` in ``role`` to ``c``; the reason when there is none."""
    if not key:
        return None
    ctx = str(c.attrs.get("ctx") or "other")
    if _is_budget(tables):
        # a budget's own tables: only the cells that hold the named quantity for certain
        found, reason = q.budget_candidate_cells(tables, key, role)
    else:
        found, reason = q.candidate_cells(tables, key, role, ctx)
    if not found:
        return reason
    how = c.how
    if role == "total":
        th = c.attrs.get("total_how")
        how = BindingHow(str(th)) if th else None
    # (the same binding with how it was made: built, not assigned field by field through
    # pydantic's checked setattr, as the reader binds every claim)
    c.bindings.append(trusted(Binding, **{**found[0].__dict__, "how": how, "candidates": len(found)}))
    return None


def bind_claim(tables: TableLookup, c: Claim) -> None:
    """Fill ``c.bindings`` (or ``c.unbound_reason``) from its quantity keys (``tables``: the
    lookup of the claim's disclosure)."""
    c.bindings = []
    if c.year is not None and c.unbound_reason:
        return  # a number about last year: the tables have no cell for it
    if c.kind is ClaimKind.OTHER or (c.unbound_reason and not c.quantity and c.kind is ClaimKind.AMOUNT):
        c.unbound_reason = c.unbound_reason or "未识别该数字所述的数量"
        return
    if c.kind is ClaimKind.EMPTY_TABLE:
        if _is_budget(tables):
            c.unbound_reason = NOT_FOR_BUDGETS
            return
        kind = TableKind(str(c.attrs.get("table")))
        ti, tab = tables.first(kind)
        if tab is None:
            c.unbound_reason = "文档中没有该表"
        else:
            c.bindings.append(Binding(table=kind, table_index=ti, row="*", column="*"))
            c.unbound_reason = None
        return
    if c.kind is ClaimKind.DIRECTION:
        c.unbound_reason = None if c.attrs.get("completion") is not None else "前文没有可对照的预算数和决算数"
        return
    reasons: list[str] = []
    if c.kind is ClaimKind.SHARE:
        pk, tk = c.attrs.get("part_key"), c.attrs.get("share_of_key")
        r1 = _bind(tables, c, "part", str(pk) if pk else None)
        r2 = _bind(tables, c, "total", str(tk) if tk else None)
        if c.attrs.get("part") is None and not pk:
            reasons.append("未能确定占比所述的部分")
        if r1 and c.attrs.get("part") is None:
            reasons.append(r1)
        if c.attrs.get("share_of") is None and not tk:
            reasons.append(f"未能确定“{c.attrs.get('share_of_label') or ''}”对应的总数")
        if r2 and c.attrs.get("share_of") is None:
            reasons.append(r2)
    elif c.kind is ClaimKind.COMPLETION:
        if not c.quantity:
            reasons.append(f"未能确定“{c.label}”对应的表格数量")
            hint = _row_with_amount(tables, c)
            if hint and c.attrs.get("subject_problem"):
                c.attrs["subject_problem"] = f"{c.attrs['subject_problem']}；表中决算数为 {c.attrs.get('actual')} 的项级科目是“{hint}”"
        else:
            r = _bind(tables, c, "actual", c.quantity)
            if r:
                reasons.append(r)
            rb = _bind(tables, c, "budget", c.quantity)
            if rb:
                c.attrs["budget_unbound"] = rb
    else:
        if not c.quantity:
            reasons.append(f"未能确定“{c.label or '该数字'}”对应的表格数量")
        else:
            role = "actual" if c.quantity.startswith("sangong.") else "value"
            r = _bind(tables, c, role, c.quantity)
            if r:
                reasons.append(r)
            if c.kind is ClaimKind.CHANGE and c.quantity == "org_running" and not _is_budget(tables):
                ti, tab = tables.first(TableKind.T10)
                if tab is not None and tables.cell(tab, "total", "last_year") is not None:
                    c.bindings.append(Binding(table=tab.kind, table_index=ti, row="total",
                                              column="last_year", role="last"))  # fmt: skip
            elif c.kind is ClaimKind.CHANGE and c.bindings and _is_budget(tables):
                _bind_last_year(tables, c)
    if c.bindings:
        c.unbound_reason = None
    elif c.kind in (ClaimKind.SHARE, ClaimKind.COMPLETION) and not reasons:
        c.unbound_reason = "没有对应的表格单元格，只按说明中的数字核对"
    else:
        c.unbound_reason = "；".join(dict.fromkeys(reasons)) or "没有对应的表格单元格"


def _bind_last_year(tables: TableLookup, c: Claim) -> None:
    """A budget's change bound to a cell whose table prints 上年预算数 beside it (一般公共预算支出预算表,
    三公, 机关运行经费 where printed): that cell, in role ``last`` (what the change is measured from)."""
    b = c.bindings[0]
    if b.table_index >= len(tables.doc.tables):
        return
    tab = tables.doc.tables[b.table_index]
    if tables.cell(tab, b.row, "last_year", b.side) is not None:
        c.bindings.append(
            Binding(table=b.table, table_index=b.table_index, row=b.row, column="last_year", side=b.side, role="last")
        )


def _row_with_amount(tables: TableLookup, c: Claim) -> str | None:
    """The one 项 row of 05表 (else 03表) whose total is the stated 决算, as “code name”."""
    actual = c.attrs.get("actual")
    if actual is None:
        return None
    for kind in (TableKind.T05, TableKind.T03):
        _, tab = tables.first(kind)
        if tab is None:
            continue
        rows = [r for r in tab.rows if r.code and len(r.code) == 7 and r.value("total") == actual]
        if len(rows) == 1:
            return f"{rows[0].code} {rows[0].label}".strip()
    return None


def attach_claims(doc: Disclosure) -> Disclosure:
    """Fill ``doc.claims`` with the claims read from the narrative, bound to cells (idempotent:
    the claims are read again from the sentences each time). The readers call it last; a
    disclosure built by hand gets its claims from it."""
    tables = TableLookup(doc)
    claims, links = extract(doc, tables)
    index = {id(c): i for i, c in enumerate(claims)}
    for d, target in links:
        if id(target) in index:
            d.attrs["completion"] = index[id(target)]
    for c in claims:
        bind_claim(tables, c)
    doc.claims = claims
    return doc
