"""What the narrative rules (N-*) share: the :class:`Check` record, the rule base that reports
one check function's failed checks, and the cells and Refs of bound claims.

A check function takes the run context and one claim and yields a :class:`Check` for each thing
it checked, passed or not (a passed check has ``severity`` None), so the rules and ``juesuan
explain`` say the same thing. It reads ``ctx.doc.claims`` (read and bound by the reader,
``ingest/narrative/``) and the tables; nothing here parses text. What several rules read is
derived once per run through ``ctx.once``: the checks of a claim (N-005 and N-006 share the
completion checks, N-007 reads them too; N-003 reads N-002's shares), the Refs of sentences and
bound cells, the 总计/合计 confusion (N-001 and N-009).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from ....ingest.narrative.numbers import places
from ....ingest.narrative.quantities import TableLookup
from ....model import Binding, BindingHow, Cell, Claim, ClaimKind, Finding, Ref, Severity, Table
from ....tables.schema import column_label, row_label
from ...arith import quantize
from ...base import Rule
from ...context import RunContext

HALF = Decimal("0.005")  # half a unit of the 0.01 万元 every amount is rounded to
ZERO = Decimal(0)


@dataclass
class Check:
    rule: str
    severity: Severity | None  # None: the check passed
    message: str
    refs: list[Ref] = field(default_factory=list)
    expected: str | None = None
    found: str | None = None
    arithmetic: str | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    # why the rule did not judge it (what the claim is about was not read for certain): then no
    # finding, but a ``ctx.not_checked`` record with this reason; ``message`` says what it was
    unchecked: str | None = None

    @property
    def mark(self) -> str:
        """✓ passed, ≈ within rounding / information, ✗ contradicted, ○ not judged."""
        if self.unchecked is not None:
            return "○"
        if self.severity is None:
            return "✓"
        return "✗" if self.severity is Severity.ERROR else "≈"


Checker = Callable[[RunContext, Claim], Iterator[Check]]


def claim_checks(ctx: RunContext, fn: Checker, c: Claim) -> list[Check]:
    """``list(fn(ctx, c))``, computed once per run whichever rules (and ``explain``) ask."""
    return ctx.once(fn, c, lambda: list(fn(ctx, c)))


class ClaimRule(Rule):
    """Base class (not registered): the failed checks of one check function that carry the
    rule's id, over every claim of the kinds it reads (``claim_kinds``: the check function returns at
    once for any other kind, so the other claims are skipped without calling it)."""

    checker: Checker  # a staticmethod of the subclass
    claim_kinds: ClassVar[frozenset[ClaimKind]]

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        fn, kinds = type(self).checker, type(self).claim_kinds
        for c in ctx.doc.claims:
            if c.kind not in kinds:
                continue
            for ch in claim_checks(ctx, fn, c):
                if ch.rule != self.id:
                    continue
                if ch.unchecked is not None:
                    ctx.not_checked(self.id, ch.message, ch.unchecked, ch.refs)
                    continue
                if ch.severity is None:
                    continue
                yield self.finding(
                    ch.message,
                    ch.refs,
                    severity=ch.severity,
                    expected=ch.expected,
                    found=ch.found,
                    difference=ch.difference,
                    tolerance=ch.tolerance,
                    arithmetic=ch.arithmetic,
                )


# --- what a claim is about -------------------------------------------------------------------------
_HOW_WORDS = {
    BindingHow.INHERITED: "承接前文",
    BindingHow.PREVIOUS_SENTENCE: "上一句",
    BindingHow.EXPLICIT: "所述名称",
    BindingHow.SAME_CLAUSE: "同一句",
}


def uncertain_reason(c: Claim, what: str) -> str:
    """Why a contradiction on ``c`` is not called an error (``c.certain`` is false), in the words
    ``explain`` shows: 增减率所述主体不确定（承接前文），未核对."""
    if c.how is None or c.candidates == 0:
        why = "未找到所述金额"
    elif c.how is BindingHow.INHERITED:
        why = _HOW_WORDS[c.how]
    elif c.how is BindingHow.PREVIOUS_SENTENCE and c.candidates > 1:
        why = f"上一句有 {c.candidates} 个可能所指的金额"
    elif c.candidates > 1:
        why = f"{_HOW_WORDS[c.how]}有 {c.candidates} 个可能所指的金额"
    else:
        why = _HOW_WORDS[c.how]
    return f"{what}所述主体不确定（{why}），未核对"


def judged(c: Claim, check: Check, what: str, described: str) -> Check:
    """``check`` when it passes or only informs, or when what ``c`` is about was read for certain;
    otherwise the same check not judged (an error needs a certain reading): ``described`` says
    what was left (``“住房保障（类）支出”增长 8.45%``), the reason why (``what``: the word for what
    the subject was needed for, 增减率)."""
    if check.severity is not Severity.ERROR or c.certain:
        return check
    return Check(check.rule, None, described, check.refs, arithmetic=check.arithmetic,
                 unchecked=uncertain_reason(c, what))  # fmt: skip


# --- cells and references -------------------------------------------------------------------------
def sentence_ref(ctx: RunContext, c: Claim) -> Ref:
    """The Ref of the sentence a claim stands on (built once per run)."""
    return ctx.once("sentence_ref", c, lambda: Ref(text=c.sentence, loc=c.loc, value=c.value))


def bound_cell(ctx: RunContext, b: Binding) -> tuple[Table, Cell] | None:
    """(table, cell) of a binding, or None when the cell is not there."""
    tables = ctx.doc.tables
    if b.table_index >= len(tables):
        return None
    tab = tables[b.table_index]
    c = tab.fields.get(b.column) if b.row == "fields" else ctx.cell_of(tab, b.row, b.column, b.side)
    return (tab, c) if c is not None else None


def binding_ref(ctx: RunContext, b: Binding) -> Ref | None:
    """The Ref of a bound cell (built once per run), or None when the cell cannot be found."""
    return ctx.once("binding_ref", b, lambda: _binding_ref(ctx, b))


def _binding_ref(ctx: RunContext, b: Binding) -> Ref | None:
    got = bound_cell(ctx, b)
    if got is None:
        return None
    tab, cell = got
    if b.row == "fields":
        rl, cl = "", column_label(tab.kind, b.column)
        loc = cell.loc
    else:
        r = ctx.row(tab, b.row, b.side)
        rl = (
            f"{r.code} {r.label}".strip()
            if r and r.code
            else (r.label if r and r.label else row_label(tab.kind, b.row))
        )
        cl = tab.column_label(b.column) if tab.column(b.column) else column_label(tab.kind, b.column)
        loc = cell.loc or (r.loc if r else None)
    return Ref(
        table=tab.kind,
        table_index=b.table_index,
        table_title=tab.name,
        row=b.row,
        row_label=rl,
        column=b.column,
        column_label=cl,
        value=cell.value,
        text=cell.raw or None,
        loc=loc,
    )


def cell_value(ctx: RunContext, b: Binding) -> Decimal | None:
    """The value of a bound cell (blank = 0), or None when it cannot be found."""
    got = bound_cell(ctx, b)
    if got is None:
        return None
    v = got[1].value
    return v if v is not None else ZERO


def table_lookup(ctx: RunContext) -> TableLookup:
    """The reader's lookup of the document's tables (for its candidate cells), made once per run."""
    return ctx.once("table_lookup", ctx.doc, lambda: TableLookup(ctx.doc))


def binding(c: Claim, *roles: str | None) -> Binding | None:
    for b in c.bindings:
        if b.role in roles:
            return b
    return None


def stated(v: object) -> Decimal | None:
    """A number the claim's attributes hold (None when absent)."""
    if v is None or (isinstance(v, str) and v == ""):  # (a Decimal compared with "" is slow)
        return None
    return v if isinstance(v, Decimal) else Decimal(str(v))


def num(v: Decimal) -> str:
    """A number as written in the arithmetic line: 900.28, 1,051.37, 0."""
    s = f"{v:,f}"
    return s


_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000)}


def in_wan(c: Claim) -> Decimal | None:
    """The claim's amount in 万元 (None for another unit or no amount)."""
    f = _TO_WAN.get(c.unit)
    return None if f is None or c.value is None else c.value * f


def half_unit(c: Claim, v: Decimal | None = None) -> Decimal:
    """Half a unit of the last place the claim's amount (or ``v``, in the claim's unit) is printed
    to, in 万元."""
    v = (c.value or ZERO) if v is None else v
    return Decimal(5).scaleb(-(places(v) + 1)) * _TO_WAN.get(c.unit, Decimal(1))


def pct(v: Decimal, d: int) -> str:
    return f"{quantize(v, d):f}%"


_UNIT_POWER = {"元": 0, "万元": 4, "亿元": 8}


def unit_shift(ctx: RunContext, c: Claim, b: Binding, stated_unit: str | None = None) -> int:
    """Powers of ten from the table's unit to the stated one (4: the text in 万元, the table in 元);
    ``stated_unit`` when the claim's own unit is not its amounts' (a share: %)."""
    doc = ctx.doc
    tab = doc.tables[b.table_index]
    unit = tab.unit.value if tab.unit else (doc.metadata.unit.value if doc.metadata.unit else "万元")
    said = stated_unit or c.unit
    if said not in _UNIT_POWER or unit not in _UNIT_POWER:
        return 0
    return _UNIT_POWER[said] - _UNIT_POWER[unit]


def in_text_unit(ctx: RunContext, c: Claim, b: Binding, v: Decimal | None) -> Decimal | None:
    """A cell value in the unit the text states its amounts in (a table in 元, the text in 万元)."""
    said = c.attrs.get("part_unit")  # the unit of the stated part (the claim's own is %)
    shift = unit_shift(ctx, c, b, said if isinstance(said, str) else None)
    return v if v is None or not shift else v.scaleb(-shift)
