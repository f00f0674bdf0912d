"""The format-independent assembler: every reader lays its file out as a
:class:`~juesuan.ingest.raw.RawDocument` (lines and grids in reading order) and hands it to
:func:`assemble`, which returns the typed :class:`~juesuan.model.Disclosure`.

- :mod:`.document` — the walk over the blocks: cover, 目录, heading tree, paragraphs, and the
  drafts of the tables (captions, grids, notes);
- :mod:`.lines` — what a printed line is: heading, caption, note;
- :mod:`.metadata` — year, department, kind and title from the cover;
- :mod:`.tables` — one :class:`~juesuan.model.Table` from a draft (title, kind, header);
- :mod:`.grid` — grids as the table parsers read them (rows of printed cells, header paths);
- :mod:`.perf_form` — the 绩效自评表 forms.
"""

from .document import assemble
from .lines import heading_of, ordinal_value, split_caption
from .tables import Draft, build_table, build_tables

__all__ = ["Draft", "assemble", "build_table", "build_tables", "heading_of", "ordinal_value", "split_caption"]
