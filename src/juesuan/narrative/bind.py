"""Attach numeric claims of the narrative to the disclosure and bind them to cells."""

from __future__ import annotations

from ..model import Disclosure


def attach_claims(doc: Disclosure) -> Disclosure:
    """Fill ``doc.claims`` (idempotent). Claim extraction lands with the narrative layer."""
    return doc
