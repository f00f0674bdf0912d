"""A finding's stable fingerprint: what stays the same when the same defect is found again.

A re-check (new rules, a fixed reader) replaces a document's findings; a reviewer's decision must
stay with the defect it was made on. The fingerprint is a digest of the rule, the places (table
kind, row, column, page, line, the quoted text, the value) and the expected and found values, but
not of the message (its wording may be improved) nor of the boxes (a better reader moves them by
fractions of a point). Two findings with the same fingerprint in one document are told apart by
their order (``-2``, ``-3`` …), which is stable because rules run in a fixed order.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any


def _num(v: Any) -> str | None:
    if v is None:
        return None
    try:
        return format(Decimal(str(v)).normalize(), "f")  # 12.00 and 12.0 are the same value
    except ArithmeticError:
        return str(v)


def _place(ref: dict[str, Any]) -> list[Any]:
    loc = ref.get("loc") or {}
    return [
        ref.get("table"),
        ref.get("row"),
        ref.get("column"),
        loc.get("page"),
        loc.get("line"),
        loc.get("ref"),
        (ref.get("text") or "").strip() or None,
        _num(ref.get("value")),
    ]


def fingerprint(finding: dict[str, Any]) -> str:
    """``finding`` as ``Finding.model_dump(mode="json")`` (what the store keeps)."""
    places = sorted((_place(r) for r in finding.get("locations") or []), key=lambda p: json.dumps(p, ensure_ascii=False))
    key = [finding.get("rule_id"), places, _num(finding.get("expected")), _num(finding.get("found"))]
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def fingerprints(findings: list[dict[str, Any]]) -> list[str]:
    """One per finding, in order, unique within the document."""
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        fp = fingerprint(f)
        seen[fp] = seen.get(fp, 0) + 1
        out.append(fp if seen[fp] == 1 else f"{fp}-{seen[fp]}")
    return out
