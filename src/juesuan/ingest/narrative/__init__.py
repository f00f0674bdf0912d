"""Reading the narrative: sentences, the numbers they print and the claims those numbers make,
each bound to the cell it restates.

The last stage of every reader: :func:`attach_claims` fills ``Disclosure.claims``. Modules:
``sentences`` (splitting paragraphs into sentences), ``numbers`` (parsing printed numbers),
``quantities`` (the lexicon of named quantities and the cells each restates), ``claims`` (claim
extraction, statement by statement) and ``bind`` (binding each claim to its cells). Nothing here
judges a claim: the N rules do (``rules/families/narrative/``).
"""

from __future__ import annotations

from .bind import attach_claims

__all__ = ["attach_claims"]
