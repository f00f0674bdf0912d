"""The review desk's API: finding ids and fingerprints, decisions and comments by named users,
the audit log, decisions kept across a re-check, the triage list, and the 整改意见书 (read back
with python-docx and pypdf: it holds exactly the confirmed findings)."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from docx import Document
from pypdf import PdfReader

from juesuan.web.fingerprint import fingerprint, fingerprints
from test_web_accounts import add_users, desk, login, new_token
from test_web_api import upload, wait

# Three T09 errors (fake processor: only T09 rules run): the budget total, the actual total,
# the car subtotal.
SPEC = {
    "metadata": {"department": "示例市测试局", "year": 2024, "kind": "部门决算"},
    "tables": [
        {
            "kind": "T09",
            "rows": {
                "total": {"budget": "12.00", "actual": "9.00"},
                "abroad": {"budget": "", "actual": ""},
                "car": {"budget": "8.50", "actual": "6.00"},
                "car_purchase": {"budget": "", "actual": ""},
                "car_run": {"budget": "8.50", "actual": "5.00"},
                "reception": {"budget": "2.50", "actual": "2.00"},
            },
        }
    ],
}


def spec_bytes(spec: dict[str, Any] = SPEC) -> bytes:
    return yaml.safe_dump(spec, allow_unicode=True).encode("utf-8")


def by_found(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{f['rule_id']}:{f['expected']}->{f['found']}": f for f in body["findings"]}


def test_fingerprint_ignores_wording_and_boxes_but_not_values() -> None:
    f = {
        "rule_id": "T09-001",
        "message": "合计不符",
        "expected": "11.00",
        "found": "12.00",
        "locations": [{"table": "T09", "row": "total", "column": "budget", "value": "12.00",
                       "loc": {"page": 14, "bbox": [1.0, 2.0, 3.0, 4.0]}}],
    }  # fmt: skip
    same = dict(f, message="三公经费预算数合计与三项之和不符", expected="11.0")
    same["locations"] = [dict(f["locations"][0], loc={"page": 14, "bbox": [1.2, 2.1, 3.3, 4.0]})]
    assert fingerprint(same) == fingerprint(f)
    assert fingerprint(dict(f, found="12.50")) != fingerprint(f)
    assert fingerprint(dict(f, rule_id="T09-002")) != fingerprint(f)
    moved = dict(f, locations=[dict(f["locations"][0], loc={"page": 15})])
    assert fingerprint(moved) != fingerprint(f)
    a, b = fingerprints([f, same])  # the same defect twice in one document: told apart by order
    assert b == a + "-2"


def test_decisions_survive_a_recheck_and_make_the_letter(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    rev, rev2, ro = (new_token(db, n) for n in ("审核人乙", "审核人丙", "只读丁"))
    h = {"Authorization": f"Bearer {rev}"}
    h2, hro = {"Authorization": f"Bearer {rev2}"}, {"Authorization": f"Bearer {ro}"}
    with desk(tmp_path) as c:
        job = upload(c, "测试局决算.txt", spec_bytes(), headers=h)
        body = wait(c, job["id"], headers=h)
        assert body["status"] == "done" and len(body["findings"]) == 3
        fs = by_found(body)
        budget, actual, car = fs["T09-001:11.00->12.00"], fs["T09-001:8.00->9.00"], fs["T09-002:5.00->6.00"]
        assert all(f["decision"] is None and f["id"].startswith(job["id"] + "-") for f in fs.values())

        # read-only: refused; a dismissal needs a reason; unknown ids are 404
        r = c.post(f"/api/findings/{budget['id']}/decision", json={"decision": "confirmed"}, headers=hro)
        assert r.status_code == 403 and "只读用户" in r.json()["detail"]
        r = c.post(f"/api/findings/{car['id']}/decision", json={"decision": "dismissed", "reason": " "}, headers=h)
        assert r.status_code == 422 and "理由" in r.json()["detail"]
        r = c.post(f"/api/findings/{job['id']}-0000000000000000/decision", json={"decision": "confirmed"}, headers=h)
        assert r.status_code == 404
        assert c.post("/api/findings/nonsense/decision", json={"decision": "confirmed"}, headers=h).status_code == 404
        r = c.post(f"/api/findings/{budget['id']}/decision", json={"decision": "maybe"}, headers=h)
        assert r.status_code == 422

        # two confirmed (one by another reviewer, on a document she did not upload), one dismissed
        r = c.post(f"/api/findings/{budget['id']}/decision", json={"decision": "confirmed", "reason": ""}, headers=h)
        assert r.status_code == 200 and r.json()["decision"]["by"] == "审核人乙"
        r = c.post(f"/api/findings/{actual['id']}/decision", json={"decision": "confirmed"}, headers=h2)
        assert r.status_code == 200 and r.json()["decision"]["by"] == "审核人丙"
        r = c.post(f"/api/findings/{car['id']}/decision",
                   json={"decision": "dismissed", "reason": "购置费另表列示，非差错"}, headers=h)  # fmt: skip
        assert r.status_code == 200 and r.json()["decision"]["decision_zh"] == "已排除"
        r = c.post(f"/api/findings/{car['id']}/comments", json={"text": "已电话核实"}, headers=h2)
        assert r.status_code == 201
        assert c.post(f"/api/findings/{car['id']}/comments", json={"text": "只读评论"}, headers=hro).status_code == 403

        one = c.get(f"/api/findings/{car['id']}", headers=hro).json()
        assert one["decision"]["reason"] == "购置费另表列示，非差错"
        assert one["comments"] == [{"by": "审核人丙", "at": one["comments"][0]["at"], "text": "已电话核实"}]
        assert [e["action"] for e in one["history"]] == ["commented", "dismissed"]

        listing = c.get("/api/documents", headers=hro).json()["documents"][0]
        assert listing["review"] == {"state": "reviewed", "state_zh": "已审核", "to_review": 3, "decided": 3,
                                     "confirmed": 2, "dismissed": 1}  # fmt: skip

        # the letter: exactly the two confirmed, with expected and found
        r = c.get(f"/api/documents/{job['id']}/letter.docx", headers=hro)
        assert r.status_code == 200 and "整改意见书" in unquote(r.headers["content-disposition"])
        letter = Document(io.BytesIO(r.content))
        text = "\n".join(p.text for p in letter.paragraphs)
        assert "关于《测试局决算》的整改意见书" in text and "示例市测试局：" in text and "经办人：只读丁" in text
        rows = [[cell.text for cell in row.cells] for row in letter.tables[0].rows]
        assert rows[0] == ["序号", "页码", "问题", "原文摘录", "应为", "实为"]
        assert sorted((row[4], row[5]) for row in rows[1:]) == [("11.00", "12.00"), ("8.00", "9.00")]
        assert all(row[1].startswith("第 ") and row[3] for row in rows[1:])
        assert "5.00" not in {row[4] for row in rows[1:]}  # the dismissed one is not in the letter
        pdf = c.get(f"/api/documents/{job['id']}/letter.pdf", headers=h)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "整改意见书" in pdf_text and "12.00" in pdf_text and "9.00" in pdf_text and "非差错" not in pdf_text

        # re-check: new findings rows, same ids, decisions kept
        r = c.post("/api/recheck", headers=h)
        assert r.status_code == 202 and r.json()["queued"] == [job["id"]]
        time.sleep(0.2)
        again = wait(c, job["id"], headers=h)
        assert again["status"] == "done"
        kept = {f["id"]: (f["decision"] or {}).get("decision") for f in again["findings"]}
        assert kept == {budget["id"]: "confirmed", actual["id"]: "confirmed", car["id"]: "dismissed"}
        assert c.get("/api/documents", headers=h).json()["documents"][0]["rules_version"]

        # withdrawing a decision takes the finding out of the letter
        assert c.delete(f"/api/findings/{actual['id']}/decision", headers=h).status_code == 200
        letter = Document(io.BytesIO(c.get(f"/api/documents/{job['id']}/letter.docx", headers=h).content))
        assert [row.cells[5].text for row in letter.tables[0].rows[1:]] == ["12.00"]
        actions = [e["action"] for e in c.get(f"/api/audit?document={job['id']}", headers=h).json()["entries"]]
        assert actions[0] == "letter" and "withdrawn" in actions and "rechecked" in actions and actions[-1] == "uploaded"


def test_letter_needs_confirmed_findings(tmp_path: Path) -> None:
    with desk(tmp_path) as c:
        job = upload(c, "测试局决算.txt", spec_bytes())
        assert wait(c, job["id"])["status"] == "done"
        r = c.get(f"/api/documents/{job['id']}/letter.docx")
        assert r.status_code == 409 and "还没有已确认的问题" in r.json()["detail"]
        assert c.get(f"/api/documents/{job['id']}/letter.odt").status_code == 404


def test_decision_from_a_session_needs_csrf(tmp_path: Path) -> None:
    add_users(tmp_path / "data" / "juesuan.duckdb", ["审核人乙"])
    with desk(tmp_path) as c:
        csrf = login(c, "审核人乙")
        job = upload(c, "测试局决算.txt", spec_bytes(), headers={"X-CSRF-Token": csrf})
        fid = wait(c, job["id"])["findings"][0]["id"]
        r = c.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"})
        assert r.status_code == 403 and "CSRF" in r.json()["detail"]
        r = c.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"}, headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200 and r.json()["decision"]["by"] == "审核人乙"
        page = c.get(f"/documents/{job['id']}").text
        assert f'data-id="{fid}" data-decision="confirmed"' in page and "已确认（审核人乙" in page


def test_triage_list_columns_and_copies(tmp_path: Path) -> None:
    budget = dict(SPEC, metadata={"department": "示例市预算局", "year": 2025, "kind": "部门预算"})
    with desk(tmp_path) as c:
        first = upload(c, "决算.txt", spec_bytes())
        second = upload(c, "决算（副本）.txt", spec_bytes())
        third = upload(c, "预算.txt", spec_bytes(budget))
        for j in (first, second, third):
            wait(c, j["id"])
        docs = {d["id"]: d for d in c.get("/api/documents").json()["documents"]}
        a, b, p = docs[first["id"]], docs[second["id"]], docs[third["id"]]
        assert (a["department"], a["year"], a["kind"], a["status"]) == ("示例市测试局", 2024, "决算", "done")
        assert (p["department"], p["year"], p["kind"]) == ("示例市预算局", 2025, "预算")
        assert (a["copy"], a["copies"], b["copy"], b["copies"], p["copies"]) == (1, 2, 2, 2, 1)
        assert a["sha256"] == b["sha256"] != p["sha256"]
        assert a["review"]["state"] == "open" and a["summary"]["error"] >= 1
        page = c.get("/").text
        assert "示例市预算局" in page and "第 2 份" in page and "未审核" in page


def test_api_docs_work_offline(tmp_path: Path) -> None:
    """/docs loads Swagger UI from the package: no script, style, image or font from the internet."""
    import re

    with desk(tmp_path) as c:
        page = c.get("/docs")
        assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text
        refs = re.findall(r'(?:src|href)\s*=\s*["\']([^"\']+)', page.text)
        refs += re.findall(r'url\s*:\s*["\']([^"\']+)', page.text)
        assert refs and not [r for r in refs if re.match(r"(?i)(https?:)?//", r)], refs
        assert '"validatorUrl": null' in page.text
        for ref in refs:
            if ref.startswith("/static/"):
                assert c.get(ref).status_code == 200, ref
        assert {"/api/findings/{fid}/decision", "/api/documents/{doc_id}/letter.{fmt}"} <= set(c.get("/openapi.json").json()["paths"])
        # the stylesheet fetches nothing from outside either (its only URLs are SVG namespaces)
        css = c.get("/static/swagger/swagger-ui.css").text
        assert {u.rstrip("\\") for u in re.findall(r"https?://[^\s\"')]+", css)} <= {"http://www.w3.org/2000/svg"}
    add_users(tmp_path / "data" / "juesuan.duckdb", ["审核人乙"])
    with desk(tmp_path) as c:  # with users: behind the login like every page
        assert c.get("/docs", follow_redirects=False).status_code == 303
        assert c.get("/openapi.json").status_code == 401
        login(c, "审核人乙")
        assert c.get("/docs").status_code == 200 and c.get("/openapi.json").status_code == 200


def test_concurrent_decisions_on_one_finding(tmp_path: Path) -> None:
    """Two reviewers deciding the same finding at once: both answered, one decision kept."""
    from concurrent.futures import ThreadPoolExecutor

    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db, ["审核人乙", "审核人丙"])
    hs = [{"Authorization": f"Bearer {new_token(db, n)}"} for n in ("审核人乙", "审核人丙")]
    with desk(tmp_path) as c:
        job = upload(c, "测试局决算.txt", spec_bytes(), headers=hs[0])
        fid = wait(c, job["id"], headers=hs[0])["findings"][0]["id"]

        def decide(i: int) -> int:
            body = {"decision": "confirmed"} if i % 2 else {"decision": "dismissed", "reason": f"理由{i}"}
            return c.post(f"/api/findings/{fid}/decision", json=body, headers=hs[i % 2]).status_code

        with ThreadPoolExecutor(8) as ex:
            assert set(ex.map(decide, range(16))) == {200}
        one = c.get(f"/api/findings/{fid}", headers=hs[0]).json()
        assert one["decision"]["decision"] in ("confirmed", "dismissed")
        assert sum(1 for e in one["history"] if e["action"] in ("confirmed", "dismissed")) == 16
