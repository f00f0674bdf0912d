"""Two documents a cross-document rule compares: a :class:`DocPair` of two :class:`PairDoc`.

A single-document rule reads one disclosure through its :class:`~juesuan.rules.context.RunContext`.
A cross-document rule (a :class:`~juesuan.rules.base.PairRule`) compares a document with another
one it relates to (``relation``): today the same department's document of the year before
(``previous_year``: the Y rules of 决算, the X rules of budgets) or the same department's budget
of the same year a final account executes (``same_year_budget``). Findings are attached to
``pair.doc``; the other document is named in their locations (its file and page).

Each document of a pair is read as a :class:`PairDoc`: its metadata, its cells by
``(table kind, side, row key, column)`` from the first table of a kind that prints the cell (as
the single-document rules read the first table of a kind), and its narrative claims. A pair is
made from two disclosures (:meth:`PairDoc.from_disclosure`: the case files, a check of two files)
or from what a corpus stores of them (``juesuan.store.crossyear``: no disclosure is rebuilt, and
a cell's location is built only when a finding names it, through :meth:`PairCell.locate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import Disclosure, Location, TableKind
from .arith import fmt, fmt_signed

# (table kind, side, row key, column)
CellKey = tuple[str, str | None, str, str]
WAN = Decimal(10000)
PREVIOUS_YEAR = "previous_year"  # pair.other: the same department's document of the year before
# pair.other: the budget of the same department and year a final account (决算) executes
SAME_YEAR_BUDGET = "same_year_budget"
RELATIONS = (PREVIOUS_YEAR, SAME_YEAR_BUDGET)


class PairCell:
    """One cell of a paired document: its value and printed text, the label of its row and the
    position of its table. Its :class:`Location` is found when first asked for (a corpus pairs
    hundreds of thousands of cells, few of them named by a finding): ``place`` is what
    :meth:`locate` turns into one."""

    __slots__ = ("value", "raw", "label", "table_index", "_place", "_loc")

    def __init__(
        self, value: Decimal | None, raw: str, label: str | None, table_index: int, place: Any
    ) -> None:
        self.value = value
        self.raw = raw
        self.label = label
        self.table_index = table_index
        self._place: Any = place
        self._loc: Location | None = None

    @property
    def loc(self) -> Location | None:
        place = self._place
        if place is not None:
            self._loc, self._place = self.locate(place), None
        return self._loc

    @staticmethod
    def locate(place: Any) -> Location | None:
        """The location of ``place``: here the cell's own :class:`Location` (a source keeping places
        in another form subclasses this)."""
        loc: Location | None = place
        return loc


@dataclass
class PairClaim:
    """A narrative claim of a paired document; ``bindings`` as mappings (``table``,
    ``table_index``, ``row``, ``column``, ``side``, ``role``), as a corpus stores them."""

    kind: str
    quantity: str
    label: str
    value: Decimal | None
    unit: str
    year: int | None
    sentence: str
    section: str | None
    loc: Location | None
    bindings: list[dict[str, Any]]
    attrs: dict[str, Any]


def _dec(v: Any) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        return Decimal(str(v))
    except ArithmeticError:
        return None


def signed_change(attrs: dict[str, Any]) -> Decimal | None:
    """The signed change of a CHANGE claim: ``change_amount`` with ``direction`` (+1/-1/0) when
    given (a sentence states 减少 16.22 as an amount and a direction), else as signed."""
    amount = _dec(attrs.get("change_amount"))
    direction = attrs.get("direction")
    if direction is not None and str(direction).lstrip("+-").isdigit():
        d = int(direction)
        if d == 0:
            return Decimal(0)
        if amount is None:
            return None
        return abs(amount) * d
    return amount


@dataclass
class PairDoc:
    """One document of a pair, as cross-document rules read it (see the module docstring)."""

    doc_id: str
    path: str
    department: str | None
    year: int | None
    unit: str | None
    kind: str | None = None  # DisclosureKind value (部门决算, 部门预算 …)
    cells: dict[CellKey, PairCell] = field(default_factory=dict)
    claims: list[PairClaim] = field(default_factory=list)

    def cell(self, kind: TableKind | str, row: str, column: str, side: str | None = None) -> PairCell | None:
        return self.cells.get((str(kind), side, row, column))

    def amount(self, c: PairCell | None) -> Decimal | None:
        """A cell's value in 万元 (blank: zero; None when the cell is missing)."""
        if c is None:
            return None
        v = c.value if c.value is not None else Decimal(0)
        return v / WAN if self.unit == "元" else v

    @classmethod
    def from_disclosure(cls, doc: Disclosure, doc_id: str = "doc", path: str | None = None) -> PairDoc:
        """A disclosure as a document of a pair (``path``: the file named in findings; its
        ``metadata.source_path`` when not given)."""
        md = doc.metadata
        out = cls(
            doc_id=doc_id,
            path=(md.source_path or "") if path is None else path,
            department=md.department,
            year=md.year,
            unit=md.unit.value if md.unit else None,
            kind=md.kind.value if md.kind else None,
        )
        cells = out.cells
        for ti, t in enumerate(doc.tables):
            kind = t.kind.value
            for r in t.rows:
                for column, c in r.cells.items():
                    key: CellKey = (kind, r.side, r.key, column)
                    if key not in cells:  # the first table of a kind that prints the cell
                        cells[key] = PairCell(c.value, c.raw, r.label, ti, c.loc)
        out.claims = [
            PairClaim(
                kind=c.kind.value,
                quantity=c.quantity,
                label=c.label,
                value=c.value,
                unit=c.unit,
                year=c.year,
                sentence=c.sentence,
                section=c.section,
                loc=c.loc,
                bindings=[b.model_dump(mode="json") for b in c.bindings],
                attrs=dict(c.attrs),
            )
            for c in doc.claims
        ]
        return out


@dataclass
class DocPair:
    """Two documents a cross-document rule compares: ``doc`` (the one findings are attached to)
    and ``other``, related as ``relation`` says (:data:`PREVIOUS_YEAR`: ``other`` is the same
    department's document of the year before)."""

    doc: PairDoc
    other: PairDoc
    relation: str = PREVIOUS_YEAR


def last_year_stated(cur: PairDoc, c: PairClaim, b: dict[str, Any]) -> tuple[Decimal, list[Decimal | None], str] | None:
    """What a sentence of ``cur`` says of last year's amount of the cell ``b`` it is bound to:
    (this year's amount in 万元, the parts that add up to last year's, how the text states it).
    An amount of last year is itself; a change is this year's amount less the change (the
    amount the sentence states, else the bound cell's: ``基本支出比上年增加 1,447.63 万元``).
    None when the change or this year's amount is not known."""
    scale = WAN if c.unit == "元" else Decimal(1)
    if c.value is not None:
        value = c.value / scale
    else:
        own = cur.amount(cur.cell(b["table"], b["row"], b["column"], b.get("side")))
        if own is None:
            return None
        value = own
    if c.kind == "amount":
        return value, [value], "上年数"
    change = signed_change(c.attrs)
    if change is None:
        return None
    return value, [value, -change / scale], f"本年 {fmt(value)} 减增减额 {fmt_signed(change / scale)}"
