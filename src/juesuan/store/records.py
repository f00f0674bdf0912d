"""One processed document -> rows of the four datasets (plain dicts, Arrow schemas below)."""

from __future__ import annotations

import hashlib
import json
import re
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..model import Disclosure, Finding

SCALE = Decimal("0.000001")
DEC = pa.decimal128(30, 6)

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("path", pa.string()),
        ("size", pa.int64()),
        ("format", pa.string()),
        ("department", pa.string()),
        ("department_norm", pa.string()),
        ("year", pa.int32()),
        ("kind", pa.string()),
        ("unit", pa.string()),
        ("pages", pa.int32()),
        ("status", pa.string()),  # ok | error | timeout
        ("error", pa.string()),
        ("error_code", pa.string()),
        ("n_tables", pa.int32()),
        ("n_error", pa.int32()),
        ("n_warning", pa.int32()),
        ("n_info", pa.int32()),
        ("seconds", pa.float64()),
        ("is_template", pa.bool_()),
    ]
)
FACTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("table_index", pa.int32()),
        ("table_kind", pa.string()),
        ("printed_number", pa.string()),
        ("side", pa.string()),
        ("row_key", pa.string()),
        ("row_code", pa.string()),
        ("row_label", pa.string()),
        ("column", pa.string()),
        ("raw", pa.string()),
        ("value", DEC),
        ("page", pa.int32()),
        ("line", pa.int32()),
        ("ref", pa.string()),
        ("bbox", pa.string()),
    ]
)
CLAIMS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("claim_index", pa.int32()),
        ("kind", pa.string()),
        ("quantity", pa.string()),
        ("label", pa.string()),
        ("value", DEC),
        ("unit", pa.string()),
        ("year", pa.int32()),
        ("sentence", pa.string()),
        ("section", pa.string()),
        ("page", pa.int32()),
        ("line", pa.int32()),
        ("bound", pa.bool_()),
        ("bindings", pa.string()),
        ("unbound_reason", pa.string()),
    ]
)
FINDINGS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("finding_index", pa.int32()),
        ("rule_id", pa.string()),
        ("rule_title", pa.string()),
        ("severity", pa.string()),
        ("message", pa.string()),
        ("expected", pa.string()),
        ("found", pa.string()),
        ("difference", DEC),
        ("arithmetic", pa.string()),
        ("page", pa.int32()),
        ("line", pa.int32()),
        ("locations", pa.string()),
    ]
)
SCHEMAS: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "facts": FACTS,
    "claims": CLAIMS,
    "findings": FINDINGS,
}

_NORM_DROP = re.compile(r"[\s（）()“”\"'·,，、]")


def normalise_department(name: str | None) -> str | None:
    """A department name for matching across years: no spaces, brackets or quotes."""
    if not name:
        return None
    return _NORM_DROP.sub("", name)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dec(v: Decimal | None) -> Decimal | None:
    if v is None:
        return None
    return v.quantize(SCALE)


def document_row(
    doc_id: str,
    path: str,
    size: int,
    *,
    doc: Disclosure | None = None,
    findings: list[Finding] | None = None,
    status: str = "ok",
    error: str | None = None,
    error_code: str | None = None,
    seconds: float = 0.0,
) -> dict[str, Any]:
    md = doc.metadata if doc else None
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings or []:
        counts[f.severity.value] += 1
    return {
        "doc_id": doc_id,
        "path": path,
        "size": size,
        "format": md.source_format if md else None,
        "department": md.department if md else None,
        "department_norm": normalise_department(md.department) if md else None,
        "year": md.year if md else None,
        "kind": md.kind.value if md and md.kind else None,
        "unit": md.unit.value if md and md.unit else None,
        "pages": md.pages if md else None,
        "status": status,
        "error": error,
        "error_code": error_code,
        "n_tables": len(doc.tables) if doc else 0,
        "n_error": counts["error"],
        "n_warning": counts["warning"],
        "n_info": counts["info"],
        "seconds": round(seconds, 6),
        "is_template": bool(md.is_template) if md else False,
    }


def fact_rows(doc_id: str, doc: Disclosure) -> list[dict[str, Any]]:
    out = []
    for ti, t in enumerate(doc.tables):
        for r in t.rows:
            for ck, c in r.cells.items():
                loc = c.loc
                out.append(
                    {
                        "doc_id": doc_id,
                        "table_index": ti,
                        "table_kind": t.kind.value,
                        "printed_number": t.printed_number,
                        "side": r.side,
                        "row_key": r.key,
                        "row_code": r.code,
                        "row_label": r.label,
                        "column": ck,
                        "raw": c.raw,
                        "value": _dec(c.value),
                        "page": loc.page if loc else None,
                        "line": loc.line if loc else None,
                        "ref": loc.ref if loc else None,
                        "bbox": json.dumps(loc.bbox) if loc and loc.bbox else None,
                    }
                )
        for fk, c in t.fields.items():
            loc = c.loc
            out.append(
                {
                    "doc_id": doc_id,
                    "table_index": ti,
                    "table_kind": t.kind.value,
                    "printed_number": t.printed_number,
                    "side": None,
                    "row_key": "@field",
                    "row_code": None,
                    "row_label": None,
                    "column": fk,
                    "raw": c.raw,
                    "value": _dec(c.value),
                    "page": loc.page if loc else None,
                    "line": loc.line if loc else None,
                    "ref": loc.ref if loc else None,
                    "bbox": json.dumps(loc.bbox) if loc and loc.bbox else None,
                }
            )
    return out


def claim_rows(doc_id: str, doc: Disclosure) -> list[dict[str, Any]]:
    out = []
    for i, c in enumerate(doc.claims):
        out.append(
            {
                "doc_id": doc_id,
                "claim_index": i,
                "kind": c.kind.value,
                "quantity": c.quantity,
                "label": c.label,
                "value": _dec(c.value) if isinstance(c.value, Decimal) else None,
                "unit": c.unit,
                "year": c.year,
                "sentence": c.sentence,
                "section": c.section,
                "page": c.loc.page if c.loc else None,
                "line": c.loc.line if c.loc else None,
                "bound": bool(c.bindings),
                "bindings": json.dumps([b.model_dump(mode="json") for b in c.bindings], ensure_ascii=False),
                "unbound_reason": c.unbound_reason,
            }
        )
    return out


def finding_rows(doc_id: str, findings: list[Finding]) -> list[dict[str, Any]]:
    out = []
    for i, f in enumerate(findings):
        first = next((r.loc for r in f.locations if r.loc), None)
        out.append(
            {
                "doc_id": doc_id,
                "finding_index": i,
                "rule_id": f.rule_id,
                "rule_title": f.rule_title,
                "severity": f.severity.value,
                "message": f.message,
                "expected": f.expected,
                "found": f.found,
                "difference": _dec(f.difference),
                "arithmetic": f.arithmetic,
                "page": first.page if first else None,
                "line": first.line if first else None,
                "locations": json.dumps([r.model_dump(mode="json") for r in f.locations], ensure_ascii=False),
            }
        )
    return out


def process_file(path: str, timeout: float | None = None) -> dict[str, list[dict[str, Any]]]:
    """Read and check one file; never raises (errors become a document row with status)."""
    from ..ingest import InputError, read
    from ..rules import run_rules
    from .timeout import DocumentTimeout, time_limit

    t0 = time.perf_counter()
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        doc_id = content_hash(path.encode("utf-8"))
        row = document_row(doc_id, path, 0, status="error", error=f"{path}：无法读取文件（{exc.strerror}）", error_code="unreadable")
        return {"documents": [row], "facts": [], "claims": [], "findings": []}
    doc_id = content_hash(data)
    try:
        with time_limit(timeout):
            doc = read(p)
            findings = run_rules(doc)
    except InputError as exc:
        row = document_row(doc_id, path, len(data), status="error", error=exc.message, error_code=exc.code, seconds=time.perf_counter() - t0)
        return {"documents": [row], "facts": [], "claims": [], "findings": []}
    except DocumentTimeout:
        row = document_row(
            doc_id, path, len(data), status="timeout", error=f"{path}：处理超过时限 {timeout} 秒，已跳过", error_code="timeout", seconds=time.perf_counter() - t0
        )
        return {"documents": [row], "facts": [], "claims": [], "findings": []}
    except Exception as exc:  # a reader bug must not stop the batch; record it
        row = document_row(
            doc_id, path, len(data), status="error", error=f"{path}：内部错误（{type(exc).__name__}: {exc}），请报告此问题", error_code="internal", seconds=time.perf_counter() - t0
        )
        return {"documents": [row], "facts": [], "claims": [], "findings": []}
    return {
        "documents": [document_row(doc_id, path, len(data), doc=doc, findings=findings, seconds=time.perf_counter() - t0)],
        "facts": fact_rows(doc_id, doc),
        "claims": claim_rows(doc_id, doc),
        "findings": finding_rows(doc_id, findings),
    }


def process_chunk(paths: list[str], timeout: float | None = None) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in SCHEMAS}
    for p in paths:
        res = process_file(p, timeout)
        for k, rows in res.items():
            out[k].extend(rows)
    return out
