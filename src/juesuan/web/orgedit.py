"""Editing the organisation tree in the page and through the API (administrators only): add a
unit, rename it, change its code or region, move it under another parent, delete it.

A unit is deleted only when nothing is lost: its documents (assigned by a reviewer or matched by
name) go to the unit the administrator names (``move_to``), else the deletion is refused; its own
units move up to its parent. A code changed is changed everywhere it is used (the children's
parent, the documents' assignments). Every change is in the audit log with who made it.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from .auth import Identity, admin
from .organizations import Organizations, normalise

NAME_MAX = 200


class OrgIn(BaseModel):
    name: str = Field(description="单位名称")
    code: str | None = Field(None, description="单位编码（不填则以名称为编码）")
    parent: str | None = Field(None, description="上级单位编码（不填为顶级单位）")
    region: str | None = Field(None, description="地区")


class OrgPatch(BaseModel):
    """Only the fields given are changed; ``parent: null`` makes a top-level unit."""

    name: str | None = Field(None, description="新名称")
    code: str | None = Field(None, description="新编码")
    parent: str | None = Field(None, description="新上级单位编码；null 为顶级单位")
    region: str | None = Field(None, description="地区")


def _text(v: str | None) -> str:
    return (v or "").strip()


class OrgEditor:
    def __init__(self, organizations: Organizations):
        self.orgs = organizations
        self.store = organizations.store

    def get(self, code: str) -> dict[str, Any]:
        rows = self.store.query("SELECT code, name, parent, region FROM organizations WHERE code=?", [code])
        if not rows:
            raise HTTPException(404, f"没有这个单位：{code}")
        return rows[0]

    def descendants(self, code: str) -> set[str]:
        children: dict[str | None, list[str]] = {}
        for o in self.orgs.all():
            children.setdefault(o["parent"], []).append(o["code"])
        out: set[str] = set()
        todo = [code]
        while todo:
            for c in children.get(todo.pop(), []):
                if c not in out and c != code:
                    out.add(c)
                    todo.append(c)
        return out

    def _name(self, name: str | None) -> str:
        n = _text(name)
        if not n:
            raise HTTPException(422, "单位名称不能为空")
        if len(n) > NAME_MAX:
            raise HTTPException(422, f"单位名称过长（超过 {NAME_MAX} 字）")
        return n

    def _parent(self, parent: str | None, code: str | None = None) -> str | None:
        """The parent asked for (None: the top level), refused when it is not a unit or would
        close a circle (the unit itself or one of its own units)."""
        p = _text(parent) or None
        if p is None:
            return None
        if code is not None and (p == code or p in self.descendants(code)):
            raise HTTPException(422, "不能把单位移到它自己或它的下级单位之下")
        if not self.store.query("SELECT 1 FROM organizations WHERE code=?", [p]):
            raise HTTPException(422, f"上级单位不存在：{p}")
        return p

    def add(self, body: OrgIn) -> dict[str, Any]:
        name = self._name(body.name)
        code = _text(body.code) or name  # no code: the name is the key, as the import does
        if self.store.query("SELECT 1 FROM organizations WHERE code=?", [code]):
            raise HTTPException(409, f"编码“{code}”已被其他单位使用")
        parent = self._parent(body.parent)
        seq = self.store.query("SELECT coalesce(max(seq), 0) AS n FROM organizations")[0]["n"] + 1
        self.store.execute(
            "INSERT INTO organizations VALUES (?, ?, ?, ?, ?, ?)", [code, name, parent, _text(body.region) or None, normalise(name), seq]
        )
        return self.get(code)

    def update(self, code: str, body: OrgPatch) -> tuple[dict[str, Any], dict[str, Any]]:
        """The unit after the change, and what changed (field: [before, after])."""
        old = self.get(code)
        given = body.model_fields_set
        name = self._name(body.name) if "name" in given else old["name"]
        new_code = _text(body.code) if "code" in given and _text(body.code) else code
        if new_code != code and self.store.query("SELECT 1 FROM organizations WHERE code=?", [new_code]):
            raise HTTPException(409, f"编码“{new_code}”已被其他单位使用")
        parent = self._parent(body.parent, code) if "parent" in given else old["parent"]
        region = (_text(body.region) or None) if "region" in given else old["region"]
        self.store.transaction(
            [
                ("UPDATE organizations SET code=?, name=?, parent=?, region=?, norm=? WHERE code=?",
                 [new_code, name, parent, region, normalise(name), code], False),
                # the code is the key the tree and the documents' assignments use
                ("UPDATE organizations SET parent=? WHERE parent=?", [new_code, code], False),
                ("UPDATE document_orgs SET code=? WHERE code=?", [new_code, code], False),
            ]
        )  # fmt: skip
        new = self.get(new_code)
        changes = {k: [old[k], new[k]] for k in ("code", "name", "parent", "region") if old[k] != new[k]}
        return new, changes

    def attached(self, code: str, docs: list[dict[str, Any]]) -> list[str]:
        """The documents of the unit: assigned to it, or matched to it by name."""
        return [d for d, m in self.orgs.matches(docs).items() if m["code"] == code]

    def delete(self, code: str, move_to: str | None, docs: list[dict[str, Any]], user: str | None) -> dict[str, Any]:
        org = self.get(code)
        target = _text(move_to) or None
        documents = self.attached(code, docs)
        if target is not None:
            if target == code:
                raise HTTPException(422, "文件不能转移到要删除的单位本身")
            self.get(target)
        elif documents:
            raise HTTPException(409, f"单位“{org['name']}”下有 {len(documents)} 个文件：请指定把这些文件转移到哪个单位后再删除")
        children = [o["code"] for o in self.orgs.all() if o["parent"] == code]
        now = _dt.datetime.now().replace(microsecond=0)
        steps: list[tuple[str, list[Any], bool]] = [
            ("DELETE FROM organizations WHERE code=?", [code], False),
            ("UPDATE organizations SET parent=? WHERE parent=?", [org["parent"], code], False),
        ]
        if target is not None:
            # every document of the unit, matched by name too, now assigned by hand
            steps.append(("DELETE FROM document_orgs WHERE code=?", [code], False))
            for d in documents:
                steps.append(("DELETE FROM document_orgs WHERE doc_id=?", [d], False))
                steps.append(("INSERT INTO document_orgs VALUES (?, ?, ?, ?)", [d, target, user, now], False))
        self.store.transaction(steps)
        return {"deleted": code, "name": org["name"], "documents_moved": len(documents) if target else 0,
                "moved_to": target, "units_moved_up": children}  # fmt: skip


def _documents(a: Any) -> list[dict[str, Any]]:
    """Every document with its department (what matching by name needs)."""
    out = []
    for r in a.store.list_documents(limit=1_000_000):
        md = json.loads(r["metadata"]) if r.get("metadata") else {}
        out.append({"id": r["id"], "department": (md or {}).get("department")})
    return out


def orgedit_router() -> APIRouter:
    router = APIRouter(tags=["单位"])

    def editor(request: Request) -> tuple[Any, OrgEditor]:
        a = request.app.state.juesuan
        return a, OrgEditor(a.organizations)

    @router.post("/api/organizations", summary="新增单位（仅管理员）", status_code=201)
    def add(request: Request, body: OrgIn, who: Identity = Depends(admin)) -> dict[str, Any]:
        a, ed = editor(request)
        org = ed.add(body)
        a.decisions.log(who.name, "organization_added", None, None, **org)
        a.related.refresh()  # a unit named as the department of documents links them
        return {"organization": org}

    @router.patch("/api/organizations/{code:path}", summary="修改单位：名称、编码、地区、上级（仅管理员）")
    def update(request: Request, code: str, body: OrgPatch, who: Identity = Depends(admin)) -> dict[str, Any]:
        a, ed = editor(request)
        org, changes = ed.update(code, body)
        a.decisions.log(who.name, "organization_updated", None, None, code=code, changes=changes)
        a.related.refresh()
        return {"organization": org, "changes": changes}

    @router.delete("/api/organizations/{code:path}", summary="删除单位；有文件时须指定转移到的单位 move_to（仅管理员）")
    def delete(request: Request, code: str, move_to: str | None = None, who: Identity = Depends(admin)) -> dict[str, Any]:
        a, ed = editor(request)
        out = ed.delete(code, move_to, _documents(a), who.name)
        a.decisions.log(who.name, "organization_deleted", None, None, **out)
        a.related.refresh()
        return out

    return router
