"""The reader stages that follow assembly, in order: what every reader's disclosure goes through
before ``read()`` returns it, and what a disclosure built as a model (a rule case, the composer's
document) goes through to be complete in the same way.

1. document parts: 目录 entries, heading marks, the kind a table left unrecognised names, and
   whether the document is a blank template (``document_parts``);
2. kind: 部门/单位 决算 or 预算, from the words the document names itself by (``kind``): the
   claims are read knowing it (in a budget, ``基本支出预算数为 X 万元`` is the document's own
   amount, and the 决算 tables' cells are not what its numbers restate);
3. claims: every number of the narrative with what it states, bound to its table cell
   (``narrative``);
4. 绩效 statements: what the 绩效 sections state of the self-evaluated projects
   (``perf_statements``).

No stage judges: the rules do, on the complete disclosure.
"""

from __future__ import annotations

from ..model import Disclosure, TableKind
from .assemble.perf_form import read_quantities
from .document_parts import read_document_parts
from .kind import set_kind
from .narrative import attach_claims
from .perf_statements import read_perf_statements


def complete(doc: Disclosure) -> Disclosure:
    """Run the reader stages on an assembled disclosure (in place); returns ``doc``."""
    read_document_parts(doc)
    set_kind(doc)
    attach_claims(doc)
    doc.perf_statements = read_perf_statements(doc)
    return doc


def complete_model(doc: Disclosure) -> Disclosure:
    """:func:`complete` for a disclosure built or edited as a model: also reads the numbers of its
    绩效 forms' cells, which a reader reads while assembling them."""
    for t in doc.tables:
        if t.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT):
            read_quantities(t)
    return complete(doc)
