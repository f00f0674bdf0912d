"""Organisations: the departments and units a bureau reviews (imported from CSV or XLSX: name,
code, parent, region), each document matched to one by its department's normalised name (a
reviewer can reassign it), and the matrix organisation × year × kind that shows who has not
published, what is being checked, what was found and what is reviewed.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import unicodedata
from typing import Any

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from .auth import Identity, admin, page_identity, reader, writer
from .decisions import review_state
from .store import Store
from .triage import summaries

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS organizations (
        code VARCHAR PRIMARY KEY, name VARCHAR, parent VARCHAR, region VARCHAR, norm VARCHAR, seq INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS document_orgs (
        doc_id VARCHAR PRIMARY KEY, code VARCHAR, assigned_by VARCHAR, assigned_at TIMESTAMP
    )""",
]

# Header names accepted for each column (a bureau's own sheet says 单位名称, 单位编码 …).
COLUMNS = {
    "name": ("name", "名称", "单位名称", "部门名称", "单位", "部门"),
    "code": ("code", "编码", "代码", "单位编码", "单位代码", "部门编码", "部门代码"),
    "parent": ("parent", "上级", "上级编码", "上级代码", "上级单位", "主管部门", "上级部门"),
    "region": ("region", "地区", "区域", "行政区划"),
}
KINDS = ("预算", "决算")
CELL_ZH = {"missing": "未收到", "checking": "核对中", "failed": "处理失败", "open": "未审核", "partial": "审核中",
           "reviewed": "已审核", "none": "无问题"}  # fmt: skip
_PUNCT = re.compile(r"[\s\u3000·•（）()【】\[\]“”\"'《》<>、，,。.:：;；-]+")


def normalise(name: str | None) -> str:
    """Full-width and half-width forms alike, spaces and brackets ignored: 中共上海市普陀区委
    社会工作部 and ``中共上海市普陀区委 社会工作部（本级）``'s base compare equal only when the
    words are the same; nothing is guessed beyond that (a reviewer reassigns the rest)."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", name or "")).lower()


class ImportError_(Exception):
    """A file that cannot be read as an organisation list, with a Chinese message."""


def _rows_from_file(filename: str, data: bytes) -> list[dict[str, str]]:
    if data[:4] == b"PK\x03\x04":  # XLSX
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ImportError_(f"{filename}：无法读取 Excel 文件（{type(exc).__name__}）") from exc
        ws = wb.worksheets[0]
        table = [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
    else:
        for enc in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportError_(f"{filename}：既不是 UTF-8 也不是 GBK 编码的 CSV 文件")
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    table = [r for r in table if any(r)]
    if not table:
        raise ImportError_(f"{filename}：文件是空的")
    header = [h.strip().lower() for h in table[0]]
    where: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                where[key] = i
                break
    if "name" not in where:
        raise ImportError_(f"{filename}：第一行须为表头，且有“名称”列（可选“编码”“上级”“地区”列）")
    out = []
    for row in table[1:]:
        out.append({k: (row[i].strip() if i < len(row) else "") for k, i in where.items()})
    return out


class Organizations:
    def __init__(self, store: Store):
        self.store = store
        for stmt in SCHEMA:
            store.execute(stmt)

    def all(self) -> list[dict[str, Any]]:
        return self.store.query("SELECT code, name, parent, region, norm FROM organizations ORDER BY seq, code")

    def import_rows(self, rows: list[dict[str, str]]) -> dict[str, Any]:
        existing = {r["code"]: r for r in self.all()}
        by_name = {r["name"]: r["code"] for r in existing.values()}
        seq = len(existing)
        added = updated = 0
        errors: list[str] = []
        parsed: list[dict[str, str]] = []
        for n, r in enumerate(rows, start=2):
            name = r.get("name", "").strip()
            if not name:
                errors.append(f"第 {n} 行：没有名称，已跳过")
                continue
            code = r.get("code", "").strip() or by_name.get(name) or name  # no code: the name is the key
            parsed.append({"code": code, "name": name, "parent": r.get("parent", "").strip(), "region": r.get("region", "").strip()})
            by_name[name] = code
        # a parent may be given by its code or by its name
        for p in parsed:
            if p["parent"] and p["parent"] not in {q["code"] for q in parsed} | set(existing):
                p["parent"] = by_name.get(p["parent"], p["parent"])
        for p in parsed:
            if p["parent"] == p["code"]:
                p["parent"] = ""
            if p["code"] in existing:
                self.store.execute(
                    "UPDATE organizations SET name=?, parent=?, region=?, norm=? WHERE code=?",
                    [p["name"], p["parent"] or None, p["region"] or None, normalise(p["name"]), p["code"]],
                )
                updated += 1
            else:
                seq += 1
                self.store.execute(
                    "INSERT INTO organizations VALUES (?, ?, ?, ?, ?, ?)",
                    [p["code"], p["name"], p["parent"] or None, p["region"] or None, normalise(p["name"]), seq],
                )
                existing[p["code"]] = p
                added += 1
        known = {r["code"] for r in self.all()}
        for p in parsed:
            if p["parent"] and p["parent"] not in known:
                errors.append(f"{p['name']}：上级“{p['parent']}”不在名单中，暂作顶级单位")
        return {"added": added, "updated": updated, "errors": errors}

    def tree(self) -> list[dict[str, Any]]:
        """Depth-first, each with its depth; an unknown or circular parent makes a top level."""
        orgs = self.all()
        codes = {o["code"] for o in orgs}
        children: dict[str | None, list[dict[str, Any]]] = {}
        for o in orgs:
            parent = o["parent"] if o["parent"] in codes and o["parent"] != o["code"] else None
            children.setdefault(parent, []).append(o)
        out: list[dict[str, Any]] = []
        seen: set[str] = set()

        def walk(parent: str | None, depth: int) -> None:
            for o in children.get(parent, []):
                if o["code"] in seen:
                    continue
                seen.add(o["code"])
                out.append(dict(o, depth=depth))
                walk(o["code"], depth + 1)

        walk(None, 0)
        for o in orgs:  # cycles: shown at the top level rather than lost
            if o["code"] not in seen:
                seen.add(o["code"])
                out.append(dict(o, depth=0))
                walk(o["code"], 1)
        return out

    def forget(self, doc_ids: list[str]) -> None:
        """Deleted documents lose their assignment."""
        for d in doc_ids:
            self.store.execute("DELETE FROM document_orgs WHERE doc_id=?", [d])

    def assign(self, doc_id: str, code: str | None, user: str | None) -> None:
        self.store.execute("DELETE FROM document_orgs WHERE doc_id=?", [doc_id])
        self.store.execute(
            "INSERT INTO document_orgs VALUES (?, ?, ?, ?)", [doc_id, code, user, _dt.datetime.now().replace(microsecond=0)]
        )

    def matches(self, docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Document id → {code, name, how}: the reviewer's assignment (which may be "none"), else
        the organisation whose normalised name is the department's."""
        orgs = {o["code"]: o for o in self.all()}
        by_norm: dict[str, list[str]] = {}
        for o in orgs.values():
            by_norm.setdefault(o["norm"], []).append(o["code"])
        manual = {r["doc_id"]: r["code"] for r in self.store.query("SELECT doc_id, code FROM document_orgs")}
        out: dict[str, dict[str, Any]] = {}
        for d in docs:
            if d["id"] in manual:
                code = manual[d["id"]]
                if code in orgs:
                    out[d["id"]] = {"code": code, "name": orgs[code]["name"], "how": "manual"}
                continue
            hits = by_norm.get(normalise(d.get("department")), []) if d.get("department") else []
            if len(hits) == 1:  # two organisations of the same name: the reviewer decides
                out[d["id"]] = {"code": hits[0], "name": orgs[hits[0]]["name"], "how": "name"}
        return out


PAIR_LINK_ZH = {"previous_year": "对比上年", "same_year_budget": "对比同年预算"}


def _cell(docs: list[dict[str, Any]], pairs: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """One matrix cell from the documents of one organisation, year and kind (the latest wins),
    with the pairs its document is the first of (related.py: last year's, the same year's budget)."""
    if not docs:
        return {"state": "missing", "state_zh": CELL_ZH["missing"], "documents": [], "pairs": []}
    d = max(docs, key=lambda x: x["created_at"] or "")
    if d["status"] in ("queued", "running"):
        state = "checking"
    elif d["status"] == "failed":
        state = "failed"
    else:
        state = review_state("done", {"to_review": d["review"]["to_review"], "decided": d["review"]["decided"]})
    return {
        "state": state,
        "state_zh": CELL_ZH[state],
        "document": d["id"],
        "summary": d["summary"],
        "review": d["review"],
        "documents": [x["id"] for x in docs],
        "pairs": [
            {"other": p["other_id"], "relation": p["relation"], "label": PAIR_LINK_ZH.get(p["relation"], "对比"),
             "findings": p["n_findings"], "url": f"/pairs/{p['other_id']}/{d['id']}"}
            for p in (pairs or {}).get(d["id"], [])
        ],
    }


def matrix(
    tree: list[dict[str, Any]],
    docs: list[dict[str, Any]],
    years: list[int] | None = None,
    pairs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    years = years or sorted({d["year"] for d in docs if d.get("year") and d.get("organization")}, reverse=True)
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for p in pairs or []:
        by_doc.setdefault(p["doc_id"], []).append(p)
    cols = [(y, k) for y in years for k in KINDS]
    rows = []
    for o in tree:
        mine = [d for d in docs if (d.get("organization") or {}).get("code") == o["code"]]
        cells = {f"{y}-{k}": _cell([d for d in mine if d.get("year") == y and d.get("kind") == k], by_doc) for y, k in cols}
        rows.append({"code": o["code"], "name": o["name"], "depth": o["depth"], "region": o["region"], "cells": cells,
                     "missing": sum(1 for c in cells.values() if c["state"] == "missing")})  # fmt: skip
    return {"columns": [{"key": f"{y}-{k}", "year": y, "kind": k} for y, k in cols], "rows": rows}


class AssignIn(BaseModel):
    organization: str | None = Field(description="单位编码；null 表示不属于任何单位")


def organizations_router(templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(tags=["单位"])

    @router.get("/organizations", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request, years: str | None = None) -> Response:
        ident = page_identity(request)
        if isinstance(ident, Response):
            return ident
        a = request.app.state.juesuan
        wanted = [int(y) for y in re.findall(r"\d{4}", years)] if years else None
        a.related.refresh()
        docs = summaries(a)
        m = matrix(a.organizations.tree(), docs, wanted, a.related.all_pairs())
        unmatched = [d for d in docs if not d.get("organization")]
        return templates.TemplateResponse(
            request, "organizations.html", {"m": m, "unmatched": unmatched, "CELL_ZH": CELL_ZH, "tree": a.organizations.tree()}
        )

    @router.post("/api/organizations/import", summary="导入单位名单（CSV 或 XLSX：名称、编码、上级、地区）")
    async def import_orgs(request: Request, file: UploadFile = File(...), who: Identity = Depends(admin)) -> dict[str, Any]:
        a = request.app.state.juesuan
        data = await file.read(20 * 1024 * 1024 + 1)
        if len(data) > 20 * 1024 * 1024:
            raise HTTPException(413, "单位名单文件过大（超过 20 MB）")
        try:
            rows = _rows_from_file(file.filename or "名单", data)
        except ImportError_ as exc:
            raise HTTPException(422, str(exc)) from None
        out = a.organizations.import_rows(rows)
        a.decisions.log(who.name, "organizations_imported", None, None, file=file.filename, added=out["added"], updated=out["updated"])
        return out

    @router.get("/api/organizations", summary="单位树（深度优先，带层级）")
    def list_orgs(request: Request, _: Identity = Depends(reader)) -> dict[str, Any]:
        return {"organizations": request.app.state.juesuan.organizations.tree()}

    @router.put("/api/documents/{doc_id}/organization", summary="把文件改归到另一个单位")
    def assign(request: Request, doc_id: str, body: AssignIn, who: Identity = Depends(writer)) -> dict[str, Any]:
        a = request.app.state.juesuan
        row = a.row(doc_id)
        if body.organization is not None and body.organization not in {o["code"] for o in a.organizations.all()}:
            raise HTTPException(404, f"没有这个单位：{body.organization}")
        a.organizations.assign(row["id"], body.organization, who.name)
        a.decisions.log(who.name, "organization_assigned", row["id"], None, organization=body.organization)
        a.related.refresh()  # the document's pairs follow its organisation
        return {"id": row["id"], "organization": body.organization}

    @router.get("/api/matrix", summary="单位 × 年度 × 类型：未收到、核对中、问题数、审核状态")
    def get_matrix(request: Request, years: str | None = None, _: Identity = Depends(reader)) -> dict[str, Any]:
        a = request.app.state.juesuan
        wanted = [int(y) for y in re.findall(r"\d{4}", years)] if years else None
        a.related.refresh()
        return matrix(a.organizations.tree(), summaries(a), wanted, a.related.all_pairs())

    return router

