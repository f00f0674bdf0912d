"""Imported once by the batch's fork server: the readers, the narrative layer and the whole rule
catalogue are loaded before any worker is forked, so workers share those pages and import
nothing per document."""

from .records import warm_up

warm_up()
