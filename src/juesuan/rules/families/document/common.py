"""What several document rules share: the document's lines and the placeholders they hold
(derived once per run through ``ctx.once``), how a finding names a line, and a table's kind as
the 目录 would name it."""

from __future__ import annotations

from ....ingest.text_lines import Line, placeholder_lines, quote, text_lines
from ....model import Disclosure, Ref, Table, TableKind
from ...context import RunContext

__all__ = [
    "STRONG_ROLES",
    "Line",
    "document_lines",
    "effective_kind",
    "is_perf",
    "line_ref",
    "placeholders",
    "quote",
    "table_name",
]

# the roles of title-like lines (cover, 目录, headings, table titles and headers): a wrong name or
# year there is the document's own, not a sentence citing another
STRONG_ROLES = {"cover", "toc", "heading", "table_title", "table_header", "table_department"}


def document_lines(ctx: RunContext) -> list[Line]:
    """Every line of text of the document (``ingest.text_lines.text_lines``), derived once per run
    (the list is shared: do not change it)."""
    return ctx.once("document lines", ctx.doc, lambda: text_lines(ctx.doc))


def placeholders(ctx: RunContext) -> list[tuple[Line, list[str]]]:
    """The lines holding a template placeholder (XX, ××, 某某), with the placeholders; once per run."""
    return ctx.once("placeholder lines", ctx.doc, lambda: placeholder_lines(document_lines(ctx)))


def line_ref(doc: Disclosure, line: Line, text: str | None = None) -> Ref:
    """A finding's place: the line (its table, if any), quoting ``text`` or the line."""
    t = doc.tables[line.table_index] if line.table_index is not None else None
    return Ref(
        table=t.kind if t else None,
        table_index=line.table_index,
        table_title=t.name if t else None,
        text=text if text is not None else line.text,
        loc=line.loc,
    )


def is_perf(doc: Disclosure, line: Line) -> bool:
    """The line belongs to a 绩效自评表."""
    if line.table_index is None:
        return False
    return doc.tables[line.table_index].kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)


def table_name(t: Table) -> str:
    return f"《{t.name}》"


def effective_kind(t: Table) -> TableKind:
    """The table's kind; for a table the reader left as OTHER, the kind its title or a header
    line names (``Table.named_kind``), so that a reader's miss is not taken for a missing table."""
    return t.named_kind or t.kind
