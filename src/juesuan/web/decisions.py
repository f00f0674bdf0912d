"""Reviewers' decisions on findings (confirmed, or dismissed with a reason), comments, and the
audit log of every change, in the web app's DuckDB file.

A decision is kept by (document, fingerprint) — see fingerprint.py — so it outlives a re-check
that finds the same defect again, and silently stops applying to one that is no longer found.
A finding's public id is ``<document id>-<fingerprint>``.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from .auth import Identity, reader, writer
from .store import Store

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS decisions (
        doc_id VARCHAR, fingerprint VARCHAR, decision VARCHAR, reason VARCHAR, decided_by VARCHAR,
        decided_at TIMESTAMP, PRIMARY KEY (doc_id, fingerprint)
    )""",
    """CREATE TABLE IF NOT EXISTS comments (
        doc_id VARCHAR, fingerprint VARCHAR, author VARCHAR, written_at TIMESTAMP, body VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS audit_log (
        logged_at TIMESTAMP, actor VARCHAR, action VARCHAR, doc_id VARCHAR, fingerprint VARCHAR, detail VARCHAR
    )""",
]

DECISION_ZH = {"confirmed": "已确认", "dismissed": "已排除"}
# The severities a reviewer must decide on before a document counts as reviewed (提示 are hints).
TO_REVIEW = ("error", "warning")
REVIEW_ZH = {"none": "无需审核", "open": "未审核", "partial": "审核中", "reviewed": "已审核", "pending": "—"}


def _now() -> _dt.datetime:
    return _dt.datetime.now().replace(microsecond=0)


def finding_id(doc_id: str, fp: str) -> str:
    return f"{doc_id}-{fp}"


def split_id(fid: str) -> tuple[str, str]:
    doc_id, _, fp = fid.partition("-")
    if len(doc_id) != 32 or not doc_id.isalnum() or not fp:
        raise HTTPException(404, "找不到这个问题（编号不存在）")
    return doc_id, fp


class DecisionIn(BaseModel):
    decision: Literal["confirmed", "dismissed"] = Field(description="confirmed（确认）或 dismissed（排除）")
    reason: str = Field("", max_length=2000, description="理由（排除时必填）")


class CommentIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000, description="评论内容")


class Decisions:
    def __init__(self, store: Store):
        self.store = store
        for stmt in SCHEMA:
            store.execute(stmt)

    def log(self, actor: str | None, action: str, doc_id: str | None, fp: str | None = None, **detail: Any) -> None:
        self.store.execute(
            "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
            [_now(), actor, action, doc_id, fp, json.dumps(detail, ensure_ascii=False) if detail else None],
        )

    def decide(self, doc_id: str, fp: str, decision: str, reason: str, actor: str | None) -> dict[str, Any]:
        now = _now()
        # one statement: two reviewers deciding at once leave the later decision, never an error
        self.store.execute(
            "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?)", [doc_id, fp, decision, reason, actor, now]
        )
        self.log(actor, decision, doc_id, fp, reason=reason)
        return self.of(doc_id)[fp]

    def withdraw(self, doc_id: str, fp: str, actor: str | None) -> bool:
        had = fp in self.of(doc_id)
        if had:
            self.store.execute("DELETE FROM decisions WHERE doc_id=? AND fingerprint=?", [doc_id, fp])
            self.log(actor, "withdrawn", doc_id, fp)
        return had

    def comment(self, doc_id: str, fp: str, text: str, actor: str | None) -> dict[str, Any]:
        now = _now()
        self.store.execute("INSERT INTO comments VALUES (?, ?, ?, ?, ?)", [doc_id, fp, actor, now, text])
        self.log(actor, "commented", doc_id, fp, text=text)
        return {"by": actor, "at": now.isoformat(), "text": text}

    def carry_over(self, from_ids: list[str], to_id: str) -> None:
        """The decisions and comments made on files that now form one group, given to the group:
        a finding of the group with a part's fingerprint is the defect decided on. A decision
        the group already has stays (a group formed again keeps its own)."""
        if not from_ids:
            return
        marks = ", ".join("?" for _ in from_ids)
        self.store.execute(
            "INSERT OR IGNORE INTO decisions SELECT ?, fingerprint, decision, reason, decided_by, decided_at "
            f"FROM decisions WHERE doc_id IN ({marks}) ORDER BY decided_at DESC",
            [to_id, *from_ids],
        )
        if not self.store.query("SELECT 1 FROM comments WHERE doc_id=? LIMIT 1", [to_id]):
            self.store.execute(
                f"INSERT INTO comments SELECT ?, fingerprint, author, written_at, body FROM comments WHERE doc_id IN ({marks})",
                [to_id, *from_ids],
            )

    def forget(self, doc_ids: list[str]) -> None:
        """Deleted documents: their decisions and comments go (the audit log keeps what was done)."""
        for table in ("decisions", "comments"):
            for d in doc_ids:
                self.store.execute(f"DELETE FROM {table} WHERE doc_id=?", [d])

    def of(self, doc_id: str) -> dict[str, dict[str, Any]]:
        rows = self.store.query("SELECT * FROM decisions WHERE doc_id=?", [doc_id])
        return {
            r["fingerprint"]: {
                "decision": r["decision"],
                "decision_zh": DECISION_ZH.get(r["decision"], r["decision"]),
                "reason": r["reason"] or "",
                "by": r["decided_by"],
                "at": r["decided_at"].isoformat(),
            }
            for r in rows
        }

    def comments(self, doc_id: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for r in self.store.query("SELECT * FROM comments WHERE doc_id=? ORDER BY written_at, rowid", [doc_id]):
            out.setdefault(r["fingerprint"], []).append({"by": r["author"], "at": r["written_at"].isoformat(), "text": r["body"]})
        return out

    def history(self, doc_id: str | None = None, fp: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
        where, params = [], []
        if doc_id:
            where.append("doc_id=?")
            params.append(doc_id)
        if fp:
            where.append("fingerprint=?")
            params.append(fp)
        sql = "SELECT * FROM audit_log" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self.store.query(sql + " ORDER BY logged_at DESC, rowid DESC LIMIT ?", [*params, limit])
        return [
            {
                "at": r["logged_at"].isoformat(),
                "by": r["actor"],
                "action": r["action"],
                "document": r["doc_id"],
                "finding": finding_id(r["doc_id"], r["fingerprint"]) if r["doc_id"] and r["fingerprint"] else None,
                "detail": json.loads(r["detail"]) if r["detail"] else {},
            }
            for r in rows
        ]

    def review_counts(self) -> dict[str, dict[str, int]]:
        """Per document: findings to review (errors and warnings), and of all current findings how
        many are confirmed and dismissed; decisions on findings no longer found do not count."""
        rows = self.store.query(
            "SELECT f.doc_id, "
            "count(*) FILTER (WHERE f.severity IN ('error', 'warning')) AS to_review, "
            "count(*) FILTER (WHERE f.severity IN ('error', 'warning') AND d.decision IS NOT NULL) AS decided, "
            "count(*) FILTER (WHERE d.decision='confirmed') AS confirmed, "
            "count(*) FILTER (WHERE d.decision='dismissed') AS dismissed "
            "FROM findings f LEFT JOIN decisions d ON d.doc_id=f.doc_id AND d.fingerprint=f.fingerprint "
            "GROUP BY f.doc_id"
        )
        return {r["doc_id"]: {k: int(r[k]) for k in ("to_review", "decided", "confirmed", "dismissed")} for r in rows}


def review_state(status: str, counts: dict[str, int] | None) -> str:
    if status != "done":
        return "pending"
    c = counts or {}
    if not c.get("to_review"):
        return "none"
    if not c.get("decided"):
        return "open"
    return "reviewed" if c["decided"] >= c["to_review"] else "partial"


def _app(request: Request) -> Any:
    return request.app.state.juesuan


def _current(request: Request, fid: str) -> tuple[str, str, dict[str, Any]]:
    """The document id, the fingerprint and the finding it names now (404 when it is not found
    in the document's present findings)."""
    doc_id, fp = split_id(fid)
    a = _app(request)
    row = a.row(doc_id)
    for finding, known in a.store.findings_with_fingerprints(row["id"]):
        if known == fp:
            return doc_id, fp, finding
    raise HTTPException(404, "找不到这个问题：重新核对后它可能已不再出现")


def decisions_router() -> APIRouter:
    router = APIRouter(tags=["审核"])

    @router.get("/api/findings/{fid}", summary="一个问题：内容、审核决定、评论和操作记录")
    def get_finding(request: Request, fid: str, _: Identity = Depends(reader)) -> dict[str, Any]:
        doc_id, fp, finding = _current(request, fid)
        d: Decisions = _app(request).decisions
        return {
            "id": fid,
            "document": doc_id,
            "finding": finding,
            "decision": d.of(doc_id).get(fp),
            "comments": d.comments(doc_id).get(fp, []),
            "history": d.history(doc_id, fp),
        }

    @router.post("/api/findings/{fid}/decision", summary="确认问题，或说明理由后排除（只读用户不可）")
    def decide(request: Request, fid: str, body: DecisionIn, who: Identity = Depends(writer)) -> dict[str, Any]:
        doc_id, fp, _ = _current(request, fid)
        reason = body.reason.strip()
        if body.decision == "dismissed" and not reason:
            raise HTTPException(422, "排除问题时须说明理由")
        out = _app(request).decisions.decide(doc_id, fp, body.decision, reason, who.name)
        return {"id": fid, "decision": out}

    @router.delete("/api/findings/{fid}/decision", summary="撤销审核决定")
    def withdraw(request: Request, fid: str, who: Identity = Depends(writer)) -> dict[str, Any]:
        doc_id, fp, _ = _current(request, fid)
        if not _app(request).decisions.withdraw(doc_id, fp, who.name):
            raise HTTPException(404, "这个问题还没有审核决定")
        return {"id": fid, "decision": None}

    @router.post("/api/findings/{fid}/comments", summary="评论问题", status_code=201)
    def comment(request: Request, fid: str, body: CommentIn, who: Identity = Depends(writer)) -> dict[str, Any]:
        doc_id, fp, _ = _current(request, fid)
        return _app(request).decisions.comment(doc_id, fp, body.text.strip(), who.name)

    @router.get("/api/audit", summary="操作记录（上传、审核决定、评论、重新核对）")
    def audit(request: Request, document: str | None = None, limit: int = 500, _: Identity = Depends(reader)) -> dict[str, Any]:
        return {"entries": _app(request).decisions.history(document, None, max(1, min(limit, 5000)))}

    return router
