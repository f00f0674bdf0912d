"""The triage list: every document with its department, year, kind, state, findings by severity
and review state; copies of one file told apart; the files of a disclosure checked as one listed
once (grouping.py); re-checking and deleting one document, several or all of them."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from ..ingest.errors import NOT_A_DISCLOSURE
from .auth import Identity, reader, writer
from .decisions import REVIEW_ZH, review_state
from .grouping import ROLE_ZH


def kind_zh(kind: str | None) -> str | None:
    """预算 or 决算, as a reviewer sorts documents (the department/unit distinction is in ``kind``)."""
    if not kind:
        return None
    return "预算" if "预算" in kind else "决算" if "决算" in kind else None


def summaries(a: Any) -> list[dict[str, Any]]:
    rows = a.store.list_documents()
    counts = a.decisions.review_counts()
    names = a.store.part_names()
    # copies of one file: numbered by upload order, so that "第 2 份" stays the second
    by_sha: dict[str, list[str]] = {}
    for r in sorted(rows, key=lambda r: r["seq"]):
        by_sha.setdefault(r["sha256"], []).append(r["id"])
    out = []
    for r in rows:
        md = json.loads(r["metadata"]) if r.get("metadata") else {}
        md = md or {}
        same = by_sha.get(r["sha256"], [r["id"]])
        c = counts.get(r["id"], {})
        state = review_state(r["status"], c)
        parts = r["parts"].split(",") if r["parts"] else []
        out.append(
            {
                "id": r["id"],
                "filename": r["filename"],
                "department": md.get("department"),
                "year": md.get("year"),
                "kind": kind_zh(md.get("kind")),
                "kind_detail": md.get("kind"),
                "status": r["status"],
                "stage": r["stage"],
                "progress": r["progress"],
                "error": r["error"],
                "pages": r["pages"],
                "created_at": r["created_at"].isoformat() if r["created_at"] else None,
                "uploaded_by": r["uploaded_by"],
                "sha256": r["sha256"],
                "copy": same.index(r["id"]) + 1,
                "copies": len(same),
                "rules_version": r["rules_version"],
                # a disclosure checked from several files: its files; a file alone: the part it holds
                "parts": [{"id": p, "filename": names.get(p, "")} for p in parts],
                "part": None if parts else r["part_role"],
                "part_zh": "" if parts else ROLE_ZH.get(r["part_role"] or "", ""),
                # a file that came with others (a zip, a folder) and is no disclosure: skipped, as check does
                "skipped": r["status"] == "failed" and bool(r["source"]) and r["error_code"] in NOT_A_DISCLOSURE,
                "source": r["source"],
                "summary": {"error": r["n_error"], "warning": r["n_warning"], "info": r["n_info"]},
                "review": {
                    "state": state,
                    "state_zh": REVIEW_ZH[state],
                    "to_review": c.get("to_review", 0),
                    "decided": c.get("decided", 0),
                    "confirmed": c.get("confirmed", 0),
                    "dismissed": c.get("dismissed", 0),
                },
            }
        )
    # the organisation of each document: the reviewer's assignment, else by its department's name
    orgs = a.organizations.matches(out)
    for d in out:
        d["organization"] = orgs.get(d["id"])
    return out


def triage_router() -> APIRouter:
    router = APIRouter(tags=["文件"])

    @router.get("/api/documents", summary="全部文件：部门、年度、类型、状态、各级别问题数和审核状态")
    def list_documents(request: Request, _: Identity = Depends(reader)) -> dict[str, Any]:
        return {"documents": summaries(request.app.state.juesuan)}

    @router.post("/api/documents/{doc_id}/recheck", summary="重新核对一个文件（审核决定按指纹保留）", status_code=202)
    def recheck(request: Request, doc_id: str, who: Identity = Depends(writer)) -> dict[str, Any]:
        a = request.app.state.juesuan
        row = a.row(doc_id)
        if not a.recheck(row["id"], who.name):
            raise HTTPException(409, "此文件正在处理或不是可识别的文档，不能重新核对")
        return {"id": row["id"], "status": "queued"}

    @router.post("/api/recheck", summary="重新核对全部已完成的文件", status_code=202)
    def recheck_all(request: Request, who: Identity = Depends(writer)) -> dict[str, Any]:
        a = request.app.state.juesuan
        # the files of a group too: a changed reader may change what they hold
        ids = [r["id"] for r in a.store.list_documents(limit=100_000, parts=True) if a.recheck(r["id"], who.name)]
        return {"queued": ids}

    @router.delete(
        "/api/documents/{doc_id}",
        summary="删除文件：存储的文件、问题、审核决定和评论一并删除（合并核对的文件连同其各部分）",
        description="只读用户不可。删除合并核对的文件时，其各部分文件一并删除；删除其中一个部分时，合并核对结果随之删除，"
        "另一部分重新单独列出。操作记入操作记录。返回删除的全部编号。",
    )
    def delete(request: Request, doc_id: str, who: Identity = Depends(writer)) -> dict[str, Any]:
        return {"deleted": request.app.state.juesuan.delete(doc_id, who.name)}

    return router
