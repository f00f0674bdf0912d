"""Deleting documents from ``juesuan serve``: by an administrator or a reviewer (also another
user's upload), never by a read-only user; a session needs its CSRF token; the stored file, the
findings, decisions and comments go, the audit log names who deleted what; the list's page
offers selection to writers only."""

from __future__ import annotations

import time
from pathlib import Path

from test_web_accounts import add_users, desk, login, new_token
from test_web_api import spec_text, upload, wait
from web_fixtures import slow_process


def test_delete_roles_csrf_and_what_goes(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    admin, ro = new_token(db, "管理员甲"), new_token(db, "只读丁")
    ha, hro = {"Authorization": f"Bearer {admin}"}, {"Authorization": f"Bearer {ro}"}
    with desk(tmp_path) as c:
        mine = upload(c, "甲局.txt", spec_text("示例市甲局"), headers=ha)
        other = upload(c, "乙局.txt", spec_text("示例市乙局"), headers=ha)
        body = wait(c, mine["id"], headers=ha)
        wait(c, other["id"], headers=ha)
        fid = body["findings"][0]["id"]
        assert c.post(f"/api/findings/{fid}/decision", json={"decision": "confirmed"}, headers=ha).status_code == 200
        assert c.post(f"/api/findings/{fid}/comments", json={"text": "待删"}, headers=ha).status_code == 201
        uploads = tmp_path / "data" / "uploads"
        assert (uploads / f"{mine['id']}.txt").exists()
        c.get(f"/api/documents/{mine['id']}/report.html", headers=ha)  # a derived file in the cache
        assert (tmp_path / "data" / "cache" / mine["id"]).is_dir()

        # read-only: refused, nothing deleted
        r = c.delete(f"/api/documents/{mine['id']}", headers=hro)
        assert r.status_code == 403 and r.json()["detail"] == "只读用户不能进行此操作"
        # not logged in: refused
        assert c.delete(f"/api/documents/{mine['id']}").status_code == 401

        # a reviewer's session: the CSRF token is needed; with it, another user's upload may go
        csrf = login(c, "审核人乙")
        r = c.delete(f"/api/documents/{mine['id']}")
        assert r.status_code == 403 and "CSRF" in r.json()["detail"]
        r = c.delete(f"/api/documents/{mine['id']}", headers={"X-CSRF-Token": "forged"})
        assert r.status_code == 403
        r = c.delete(f"/api/documents/{mine['id']}", headers={"X-CSRF-Token": csrf})
        assert r.status_code == 200 and r.json() == {"deleted": [mine["id"]]}
        assert c.get(f"/api/documents/{mine['id']}").status_code == 404
        assert c.delete(f"/api/documents/{mine['id']}", headers={"X-CSRF-Token": csrf}).status_code == 404
        assert [d["id"] for d in c.get("/api/documents").json()["documents"]] == [other["id"]]
        assert not (uploads / f"{mine['id']}.txt").exists() and (uploads / f"{other['id']}.txt").exists()
        assert not (tmp_path / "data" / "cache" / mine["id"]).exists()
        a = c.app.state.juesuan  # type: ignore[attr-defined]
        for table in ("findings", "cells", "decisions", "comments"):
            assert a.store.query(f"SELECT count(*) AS n FROM {table} WHERE doc_id=?", [mine["id"]])[0]["n"] == 0
        assert a.store.query("SELECT count(*) AS n FROM findings WHERE doc_id=?", [other["id"]])[0]["n"] > 0
        entry = c.get(f"/api/audit?document={mine['id']}").json()["entries"][0]
        assert entry["action"] == "deleted" and entry["by"] == "审核人乙"
        assert entry["detail"] == {"filename": "甲局.txt", "deleted": [mine["id"]]}

        # the list's page: selection and the bulk buttons for a writer …
        page = c.get("/").text
        assert 'id="delete-selected"' in page and 'id="recheck-selected"' in page
        assert f'class="pick" value="{other["id"]}"' in page
        # … none for a read-only user
        c.post("/logout", data={"csrf": csrf})
        login(c, "只读丁")
        page = c.get("/").text
        assert 'id="delete-selected"' not in page and 'class="pick"' not in page


def test_delete_of_a_running_job_leaves_nothing_behind(tmp_path: Path) -> None:
    with desk(tmp_path, processor=slow_process, timeout=30) as c:
        job = upload(c, "慢.txt", spec_text())
        a = c.app.state.juesuan  # type: ignore[attr-defined]
        for _ in range(100):
            if a.store.get(job["id"])["status"] == "running":
                break
            time.sleep(0.05)
        assert c.delete(f"/api/documents/{job['id']}").status_code == 200
        # the job finishing (or failing) later writes nothing for a deleted document
        a.store.finish(job["id"], {"findings": [{"rule_id": "T09-001", "severity": "error", "message": "x"}]})
        a.store.fail(job["id"], "x", "x")
        assert a.store.query("SELECT count(*) AS n FROM findings")[0]["n"] == 0
        assert a.store.query("SELECT count(*) AS n FROM documents")[0]["n"] == 0
