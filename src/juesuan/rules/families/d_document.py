"""What ``p_perf.py`` still imports from the document family's old module, until the 绩效 family
moves into its own package (``performance/``) and imports from where these now live: the family
is ``document/``, and whether a file is a blank template is the reader's verdict."""

from __future__ import annotations

from ...ingest.text_lines import quote
from ...model import Disclosure

__all__ = ["is_template", "quote"]


def is_template(doc: Disclosure) -> bool:
    """The reader's verdict (``metadata.is_template``, ``ingest/document_parts.py``)."""
    return doc.metadata.is_template
