"""``check --format json``: exactly one JSON object."""

from __future__ import annotations

import json
from typing import Any

from ..api import DocumentResult


def results_to_obj(results: list[DocumentResult]) -> dict[str, Any]:
    docs = []
    for r in results:
        d: dict[str, Any] = {
            "path": r.path,
            "metadata": r.metadata.model_dump(mode="json") if r.metadata else None,
            "findings": [f.model_dump(mode="json") for f in r.findings],
            "unchecked": [u.model_dump(mode="json") for u in r.unchecked],
            "summary": r.counts(),
        }
        if r.error:
            d["error"] = r.error
            d["error_code"] = r.error_code
        if r.skipped:
            d["skipped"] = True
        docs.append(d)
    return {"documents": docs}


def results_to_json(results: list[DocumentResult]) -> str:
    return json.dumps(results_to_obj(results), ensure_ascii=False, indent=2)
