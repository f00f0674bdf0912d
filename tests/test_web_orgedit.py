"""The organisation tree edited through the API (web/orgedit.py): add, rename, change the code or
the region, move under another parent (never under itself or its own units), delete (refused
while documents belong to the unit unless they are moved; its units move up); administrators
only, CSRF in a session, every change in the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_web_accounts import add_users, desk, login, new_token
from test_web_api import upload, wait
from test_web_review import SPEC, spec_bytes

CSV = "名称,编码,上级,地区\n示例市财政局,000,,示例市\n示例市测试局,001,000,示例市\n示例市测试局机关服务中心,00101,001,示例市\n"


def _tree(c: Any, h: dict[str, str]) -> list[tuple[str, str, str | None, int]]:
    return [(o["code"], o["name"], o["parent"], o["depth"]) for o in c.get("/api/organizations", headers=h).json()["organizations"]]


def test_edit_the_tree(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    ha = {"Authorization": f"Bearer {new_token(db, '管理员甲')}"}
    with desk(tmp_path) as c:
        assert c.post("/api/organizations/import", files={"file": ("单位.csv", CSV.encode())}, headers=ha).status_code == 200
        # add: a code of its own, under a parent
        r = c.post("/api/organizations", json={"name": " 示例市预算局 ", "code": "002", "parent": "000", "region": "示例市"}, headers=ha)
        assert r.status_code == 201 and r.json()["organization"] == {"code": "002", "name": "示例市预算局", "parent": "000", "region": "示例市"}
        # no code: the name is the key (as the import does); a taken code, an empty name, an unknown parent
        assert c.post("/api/organizations", json={"name": "示例市档案馆"}, headers=ha).json()["organization"]["code"] == "示例市档案馆"
        assert c.post("/api/organizations", json={"name": "重复", "code": "001"}, headers=ha).status_code == 409
        assert c.post("/api/organizations", json={"name": "  "}, headers=ha).status_code == 422
        r = c.post("/api/organizations", json={"name": "无上级", "parent": "999"}, headers=ha)
        assert r.status_code == 422 and "上级单位不存在" in r.json()["detail"]
        # rename and change the region: only what is given changes
        r = c.patch("/api/organizations/001", json={"name": "示例市测试管理局"}, headers=ha)
        assert r.status_code == 200 and r.json()["changes"] == {"name": ["示例市测试局", "示例市测试管理局"]}
        assert r.json()["organization"]["parent"] == "000" and r.json()["organization"]["region"] == "示例市"
        # move under another parent, and to the top level (parent null)
        assert c.patch("/api/organizations/00101", json={"parent": "002"}, headers=ha).status_code == 200
        assert ("00101", "示例市测试局机关服务中心", "002", 2) in _tree(c, ha)
        assert c.patch("/api/organizations/002", json={"parent": None}, headers=ha).json()["organization"]["parent"] is None
        # never under itself or one of its own units
        r = c.patch("/api/organizations/002", json={"parent": "00101"}, headers=ha)
        assert r.status_code == 422 and "下级单位" in r.json()["detail"]
        assert c.patch("/api/organizations/002", json={"parent": "002"}, headers=ha).status_code == 422
        # a new code is changed where it is used: its units' parent
        r = c.patch("/api/organizations/002", json={"code": "B02"}, headers=ha)
        assert r.status_code == 200 and r.json()["changes"] == {"code": ["002", "B02"]}
        assert ("00101", "示例市测试局机关服务中心", "B02", 1) in _tree(c, ha)
        assert c.patch("/api/organizations/B02", json={"code": "000"}, headers=ha).status_code == 409
        assert c.patch("/api/organizations/nope", json={"name": "x"}, headers=ha).status_code == 404
        log = [e for e in c.get("/api/audit", headers=ha).json()["entries"] if e["action"].startswith("organization_")]
        assert [e["action"] for e in log][:2] == ["organization_updated", "organization_updated"]
        assert log[0]["by"] == "管理员甲" and log[0]["detail"]["changes"] == {"code": ["002", "B02"]}


def test_delete_refuses_or_moves_the_documents(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    ha = {"Authorization": f"Bearer {new_token(db, '管理员甲')}"}
    hr = {"Authorization": f"Bearer {new_token(db, '审核人乙')}"}
    with desk(tmp_path) as c:
        c.post("/api/organizations/import", files={"file": ("单位.csv", CSV.encode())}, headers=ha)
        by_name = upload(c, "测试局决算.txt", spec_bytes(), headers=hr)["id"]  # 示例市测试局: matched by name
        other = dict(SPEC, metadata={"department": "名单外的局", "year": 2024, "kind": "部门决算"})
        by_hand = upload(c, "名单外.txt", spec_bytes(other), headers=hr)["id"]
        for d in (by_name, by_hand):
            assert wait(c, d, headers=hr)["status"] == "done"
        assert c.put(f"/api/documents/{by_hand}/organization", json={"organization": "001"}, headers=hr).status_code == 200

        r = c.delete("/api/organizations/001", headers=ha)
        assert r.status_code == 409 and "2 个文件" in r.json()["detail"]
        assert c.delete("/api/organizations/001?move_to=001", headers=ha).status_code == 422
        assert c.delete("/api/organizations/001?move_to=999", headers=ha).status_code == 404
        r = c.delete("/api/organizations/001?move_to=000", headers=ha)
        assert r.status_code == 200
        assert r.json() == {"deleted": "001", "name": "示例市测试局", "documents_moved": 2, "moved_to": "000", "units_moved_up": ["00101"]}
        assert _tree(c, ha) == [("000", "示例市财政局", None, 0), ("00101", "示例市测试局机关服务中心", "000", 1)]
        docs = {d["id"]: d["organization"] for d in c.get("/api/documents", headers=hr).json()["documents"]}
        assert docs[by_name] == docs[by_hand] == {"code": "000", "name": "示例市财政局", "how": "manual"}
        # a unit without documents goes at once; its units move up to the top
        assert c.delete("/api/organizations/000?move_to=00101", headers=ha).json()["units_moved_up"] == ["00101"]
        assert _tree(c, ha) == [("00101", "示例市测试局机关服务中心", None, 0)]
        entry = c.get("/api/audit", headers=ha).json()["entries"][0]
        assert entry["action"] == "organization_deleted" and entry["detail"]["moved_to"] == "00101"


def test_only_administrators_edit_and_sessions_need_csrf(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    with desk(tmp_path) as c:
        c.post("/api/organizations/import", files={"file": ("单位.csv", CSV.encode())},
               headers={"Authorization": f"Bearer {new_token(db, '管理员甲')}"})  # fmt: skip
        for name in ("审核人乙", "只读丁"):
            h = {"Authorization": f"Bearer {new_token(db, name)}"}
            assert c.post("/api/organizations", json={"name": "新单位"}, headers=h).status_code == 403
            assert c.patch("/api/organizations/001", json={"name": "改名"}, headers=h).status_code == 403
            assert c.delete("/api/organizations/00101", headers=h).status_code == 403
        assert c.post("/api/organizations", json={"name": "新单位"}).status_code == 401
        csrf = login(c, "管理员甲")
        assert c.post("/api/organizations", json={"name": "新单位"}).status_code == 403  # no CSRF token
        assert c.patch("/api/organizations/001", json={"name": "改名"}, headers={"X-CSRF-Token": "wrong"}).status_code == 403
        assert c.delete("/api/organizations/00101").status_code == 403
        assert c.post("/api/organizations", json={"name": "新单位"}, headers={"X-CSRF-Token": csrf}).status_code == 201
        assert c.delete("/api/organizations/00101", headers={"X-CSRF-Token": csrf}).status_code == 200
        names = [o["name"] for o in c.get("/api/organizations").json()["organizations"]]
        assert names == ["示例市财政局", "示例市测试局", "新单位"]
        page = c.get("/organizations").text
        assert 'id="org-tree"' in page and 'data-code="001"' in page
    # a reviewer's page has no editor
    with desk(tmp_path) as c:
        login(c, "审核人乙")
        assert 'id="org-editor"' not in c.get("/organizations").text
