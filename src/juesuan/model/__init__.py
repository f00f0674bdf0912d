"""Typed disclosure model; every item carries its source location."""

from .claims import CERTAIN_HOW, Binding, BindingHow, Claim, ClaimKind
from .disclosure import (
    ALL_KINDS,
    BUDGETS,
    FINAL_ACCOUNTS,
    Disclosure,
    DisclosureKind,
    Metadata,
    ReadIssue,
    TextLine,
)
from .finding import Finding, Ref, Severity, Unchecked
from .location import Location
from .narrative import Paragraph, Section, Sentence, TocEntry
from .perf import Comparator, PerfStatements, Quantity, StatedBudgetActual, StatedProjectCount
from .table import (
    TABLE_NAMES,
    AmountUnit,
    Cell,
    Column,
    Row,
    Table,
    TableKind,
    TableReading,
    TextItem,
    UncertainCell,
)

__all__ = [
    "ALL_KINDS",
    "BUDGETS",
    "CERTAIN_HOW",
    "FINAL_ACCOUNTS",
    "TABLE_NAMES",
    "AmountUnit",
    "Binding",
    "BindingHow",
    "Cell",
    "Claim",
    "ClaimKind",
    "Column",
    "Comparator",
    "Disclosure",
    "DisclosureKind",
    "Finding",
    "Location",
    "Metadata",
    "Paragraph",
    "PerfStatements",
    "Quantity",
    "ReadIssue",
    "Ref",
    "Row",
    "Section",
    "Sentence",
    "Severity",
    "StatedBudgetActual",
    "StatedProjectCount",
    "Table",
    "TableKind",
    "TableReading",
    "UncertainCell",
    "TextItem",
    "TextLine",
    "TocEntry",
    "Unchecked",
]
