"""Narrative rules (N): the claims the reader read from 情况说明 (``Disclosure.claims``, bound to
cells by ``ingest/narrative/``) against the tables and against each other. ``common`` holds what
the rules share; ``verdicts`` lists every check of a claim, for ``juesuan explain``."""
