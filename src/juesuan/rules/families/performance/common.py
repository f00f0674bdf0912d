"""What the P rules share: the 绩效 tables of a disclosure, the numbers of their cells, references to
their fields and indicator cells, and whether a form was left blank.

Fields of a 绩效 table are the keys of ``tables.schema.PERF_FIELDS`` (``budget_year``,
``actual_year``, ``exec_rate``, ``exec_weight``, ``exec_score``, ``total_weight``,
``total_score`` …); indicator rows are ``ind:N`` with the columns of ``PERF_COLUMNS``. The reader
reads the number each cell prints into ``Cell.quantity``.
"""

from __future__ import annotations

from decimal import Decimal

from ....model import Cell, Disclosure, Ref, Table, TableKind
from ....tables.recognize import PERF_FIELD_NAMES

PERF_KINDS = (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)
FIELD_LABELS = PERF_FIELD_NAMES
_IND_LABELS = {"weight": "分值", "score": "得分", "target": "年度指标值", "actual": "实际完成值"}


def perf_tables(doc: Disclosure) -> list[Table]:
    return [t for t in doc.tables if t.kind in PERF_KINDS]


def project_name(t: Table) -> str:
    c = t.fields.get("project_name")
    return (c.raw.strip() if c else "") or t.name


def tname(t: Table) -> str:
    """The table as messages name it: 《title》, with the project when the title does not say it."""
    name = project_name(t)
    return f"《{t.name}》" if name == t.name else f"《{t.name}》（{name}）"


def number(c: Cell | None) -> Decimal | None:
    """The number of a cell: its value, else the number the reader read from its text (97.04%,
    10分). The value comes first: a value edited in the model leaves the cell's old reading behind."""
    if c is None:
        return None
    if c.value is not None:
        return c.value
    return c.quantity.value if c.quantity is not None else None


def places(c: Cell) -> int:
    """Decimal places printed in a cell (of its first number, as the reader read them; for a cell
    built as a model without that reading, the places of its value)."""
    return c.quantity.places if c.quantity is not None else c.decimals


def field_of(t: Table, key: str) -> Decimal | None:
    return number(t.fields.get(key))


def field_ref(doc: Disclosure, t: Table, key: str, value: Decimal | None = None) -> Ref:
    c = t.fields.get(key)
    return Ref(
        table=t.kind,
        table_index=doc.table_index(t),
        table_title=t.name,
        row="fields",
        row_label=project_name(t),
        column=key,
        column_label=FIELD_LABELS.get(key, key),
        value=value if value is not None else number(c),
        text=c.raw if c else None,
        loc=c.loc if c and c.loc else t.loc,
    )


def ind_ref(doc: Disclosure, t: Table, row_key: str, col: str) -> Ref | None:
    r = t.row(row_key)
    if r is None:
        return None
    c = r.cell(col)
    if c is None:
        return None
    label = r.cell("level3")
    return Ref(
        table=t.kind,
        table_index=doc.table_index(t),
        table_title=t.name,
        row=r.key,
        row_label=(label.raw if label and label.raw else r.label) or r.key,
        column=col,
        column_label=_IND_LABELS.get(col, col),
        value=number(c) if col in ("weight", "score") else None,  # a target (≥95%) is not an amount
        text=c.raw or None,
        loc=c.loc or r.loc,
    )


def indicator_rows(t: Table) -> list[str]:
    return [r.key for r in t.rows if r.key.startswith("ind:")]


def is_blank_form(t: Table) -> bool:
    """A 绩效 table left as the empty form: no project name, no amount, no indicator value."""
    if project_name(t) != t.name:
        return False
    if any(
        c.value is not None or (not c.blank and k not in ("department", "unit")) for k, c in t.fields.items()
    ):
        return False
    for r in t.rows:
        for k in ("level3", "target", "actual", "weight", "score"):
            c = r.cell(k)
            if c is not None and not c.blank:
                return False
    return True
