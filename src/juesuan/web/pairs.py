"""Routes of linked documents: ``GET /api/documents/{id}/related`` (the documents linked to one
and the findings of their pairs), ``GET /api/pairs/{a}/{b}`` and the page ``/pairs/{a}/{b}``
showing two documents side by side with the findings between them (related.py, views.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from .auth import Identity, page_identity, reader
from .decisions import finding_id
from .views import pair_context, related_documents


def finding_obj(a: Any, c: dict[str, Any], decided: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A finding of a pair as the API gives it: its id and decision (as any finding's), the
    document it is attached to and the other one, and each place with the document it is of."""
    owner = c["doc_id"]
    if owner not in decided:
        decided[owner] = a.decisions.of(owner)
    data = dict(c["data"])
    sides = c["sides"]
    data["locations"] = [dict(ref, document=sides[i] if i < len(sides) else None) for i, ref in enumerate(data.get("locations") or [])]
    return {
        "id": finding_id(owner, c["fingerprint"]),
        "document": owner,
        "related_document": c["other_id"],
        "relation": c["relation"],
        **data,
        "decision": decided[owner].get(c["fingerprint"]),
    }


def pairs_router(templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(tags=["关联文件"])

    @router.get("/api/documents/{doc_id}/related", summary="关联文件（上年、同年预算/决算）和两份文件之间的问题")
    def related(request: Request, doc_id: str, _: Identity = Depends(reader)) -> dict[str, Any]:
        a = request.app.state.juesuan
        row = a.row(doc_id)
        a.related.refresh()
        decided: dict[str, dict[str, Any]] = {}
        return {
            "id": row["id"],
            "related": related_documents(a, row["id"]),
            "findings": [finding_obj(a, c, decided) for c in a.related.findings(row["id"])],
        }

    @router.get("/api/pairs/{left}/{right}", summary="两份关联文件之间的问题")
    def pair(request: Request, left: str, right: str, _: Identity = Depends(reader)) -> dict[str, Any]:
        a = request.app.state.juesuan
        first, second = a.row(left), a.row(right)
        a.related.refresh()
        link = {d["id"]: d for d in related_documents(a, first["id"])}.get(second["id"])
        decided: dict[str, dict[str, Any]] = {}
        return {
            "documents": [first["id"], second["id"]],
            "linked": link is not None,
            "relation": link["relation"] if link else None,
            "findings": [finding_obj(a, c, decided) for c in a.related.findings(first["id"], second["id"])],
        }

    @router.get("/pairs/{left}/{right}", response_class=HTMLResponse, include_in_schema=False)
    def pair_page(request: Request, left: str, right: str) -> Response:
        ident = page_identity(request)
        if isinstance(ident, Response):
            return ident
        a = request.app.state.juesuan
        return templates.TemplateResponse(request, "pair.html", pair_context(a, a.row(left), a.row(right)))

    return router
