"""Imported once by the batch's fork server: the readers, the narrative layer and the whole rule
catalogue are loaded before any worker is forked, so workers share those pages and import
nothing per document. ``batch`` holds the workers' initializer; DuckDB is not loaded here (only
the parent process opens the database)."""

from . import batch  # noqa: F401
from .records import warm_up

warm_up()
