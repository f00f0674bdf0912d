"""Organisations: import from CSV (UTF-8 or GBK) and XLSX, the tree, documents matched by their
department's normalised name, reassignment, and the organisation × year × kind matrix."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from juesuan.web.organizations import normalise
from test_web_accounts import add_users, desk, new_token
from test_web_api import upload, wait
from test_web_review import SPEC, spec_bytes

CSV = "名称,编码,上级,地区\n示例市财政局,000,,示例市\n示例市测试局,001,000,示例市\n示例市测试局机关服务中心,00101,001,示例市\n示例市预算局,002,示例市财政局,示例市\n"


def test_normalise() -> None:
    assert normalise("示例市 测试局") == normalise("示例市测试局") == normalise("示例市测试局　")
    assert normalise("（中共）示例市委组织部") == normalise("中共示例市委组织部")
    assert normalise("示例市测试局") != normalise("示例市测试局机关服务中心")


def test_import_match_reassign_and_matrix(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    h = {"Authorization": f"Bearer {new_token(db, '管理员甲')}"}
    hr = {"Authorization": f"Bearer {new_token(db, '审核人乙')}"}
    with desk(tmp_path) as c:
        r = c.post("/api/organizations/import", files={"file": ("单位.csv", CSV.encode("utf-8"))}, headers=hr)
        assert r.status_code == 403  # the list is the administrator's
        r = c.post("/api/organizations/import", files={"file": ("单位.csv", CSV.encode("gb18030"))}, headers=h)
        assert r.status_code == 200 and r.json() == {"added": 4, "updated": 0, "errors": []}
        tree = c.get("/api/organizations", headers=hr).json()["organizations"]
        assert [(o["code"], o["depth"]) for o in tree] == [("000", 0), ("001", 1), ("00101", 2), ("002", 1)]
        # XLSX: an update of one and a new unit whose parent is given by name
        wb = Workbook()
        ws = wb.active
        ws.append(["单位名称", "单位编码", "上级单位", "地区"])
        ws.append(["示例市测试局", "001", "000", "示例市（本级）"])
        ws.append(["示例市预算局信息中心", "00201", "示例市预算局", "示例市"])
        ws.append(["", "x", "", ""])
        buf = io.BytesIO()
        wb.save(buf)
        r = c.post("/api/organizations/import", files={"file": ("单位.xlsx", buf.getvalue())}, headers=h)
        assert r.json()["added"] == 1 and r.json()["updated"] == 1 and "没有名称" in r.json()["errors"][0]
        tree = c.get("/api/organizations", headers=hr).json()["organizations"]
        assert ("00201", 2) in [(o["code"], o["depth"]) for o in tree]
        bad = c.post("/api/organizations/import", files={"file": ("x.csv", b"a,b\n1,2\n")}, headers=h)
        assert bad.status_code == 422 and "名称" in bad.json()["detail"]

        final = upload(c, "测试局决算.txt", spec_bytes(), headers=hr)
        spec_b = dict(SPEC, metadata={"department": "示例市 预算局", "year": 2024, "kind": "部门预算"})
        budget = upload(c, "预算局预算.txt", spec_bytes(spec_b), headers=hr)
        other = dict(SPEC, metadata={"department": "名单外的局", "year": 2024, "kind": "部门决算"})
        stray = upload(c, "名单外.txt", spec_bytes(other), headers=hr)
        for j in (final, budget, stray):
            assert wait(c, j["id"], headers=hr)["status"] == "done"
        docs = {d["id"]: d for d in c.get("/api/documents", headers=hr).json()["documents"]}
        assert docs[final["id"]]["organization"] == {"code": "001", "name": "示例市测试局", "how": "name"}
        assert docs[budget["id"]]["organization"]["code"] == "002"  # the space does not matter
        assert docs[stray["id"]]["organization"] is None

        m = c.get("/api/matrix", headers=hr).json()
        assert [(x["year"], x["kind"]) for x in m["columns"]] == [(2024, "预算"), (2024, "决算")]
        rows = {r["code"]: r for r in m["rows"]}
        assert rows["001"]["cells"]["2024-决算"]["state"] == "open"
        assert rows["001"]["cells"]["2024-决算"]["summary"]["error"] == 3
        assert rows["001"]["cells"]["2024-预算"]["state"] == "missing"
        assert rows["002"]["cells"]["2024-预算"]["document"] == budget["id"]
        assert rows["00101"]["missing"] == 2 and rows["000"]["missing"] == 2

        # the reviewer reassigns the stray document; read-only may not
        r = c.put(f"/api/documents/{stray['id']}/organization", json={"organization": "00101"}, headers=hr)
        assert r.status_code == 200
        assert c.put(f"/api/documents/{stray['id']}/organization", json={"organization": "999"}, headers=hr).status_code == 404
        ro = {"Authorization": f"Bearer {new_token(db, '只读丁')}"}
        assert c.put(f"/api/documents/{stray['id']}/organization", json={"organization": None}, headers=ro).status_code == 403
        rows = {r["code"]: r for r in c.get("/api/matrix?years=2024", headers=hr).json()["rows"]}
        assert rows["00101"]["cells"]["2024-决算"]["document"] == stray["id"]
        # a decision on every error makes the cell reviewed
        for f in wait(c, final["id"], headers=hr)["findings"]:
            c.post(f"/api/findings/{f['id']}/decision", json={"decision": "confirmed"}, headers=hr)
        rows = {r["code"]: r for r in c.get("/api/matrix", headers=hr).json()["rows"]}
        assert rows["001"]["cells"]["2024-决算"]["state"] == "reviewed"

        # the bureau's summary: counts follow decisions (a dismissed finding is not a defect; T09 does
        # not judge budgets, so the budget adds none)
        car = next(f for f in wait(c, stray["id"], headers=hr)["findings"] if f["rule_id"] == "T09-002")
        c.post(f"/api/findings/{car['id']}/decision", json={"decision": "dismissed", "reason": "另表列示"}, headers=hr)
        r = c.get("/api/summary.xlsx", headers=ro)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
        wb = load_workbook(io.BytesIO(r.content))
        assert wb.sheetnames == ["按单位", "按规则族", "按年度", "未公开"]
        by_org = {row[5]: row for row in wb["按单位"].iter_rows(min_row=2, values_only=True)}
        assert by_org["测试局决算.txt"][:5] == ("示例市测试局", "001", "示例市测试局", 2024, "决算")
        assert by_org["测试局决算.txt"][7:13] == ("已审核", 3, 0, 0, 3, 0)
        assert by_org["名单外.txt"][0] == "示例市测试局机关服务中心" and by_org["名单外.txt"][8:13] == (2, 0, 0, 0, 1)
        fam = {row[0]: row for row in wb["按规则族"].iter_rows(min_row=2, values_only=True)}
        assert sum(row[1] for row in fam.values()) == 3 + 2 and sum(row[4] for row in fam.values()) == 3 and sum(row[5] for row in fam.values()) == 1
        missing = {(row[1], row[4]) for row in wb["未公开"].iter_rows(min_row=2, values_only=True)}
        assert ("001", "预算") in missing and ("001", "决算") not in missing and ("002", "预算") not in missing

        page = c.get("/organizations", headers=hr).text
        assert 'data-code="00101"' in page and 'data-state="missing"' in page and "已审核" in page
        doc_page = c.get(f"/documents/{stray['id']}", headers=hr).text
        assert 'id="org-select"' in doc_page and 'value="00101" selected' in doc_page and "人工指定" in doc_page
