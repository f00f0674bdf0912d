"""Accounts of ``juesuan serve``: users and roles made with ``juesuan user``, password logins with
CSRF-protected sessions, login throttling, per-user bearer tokens, uploads named by their user."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from juesuan.cli import app as cli_app
from juesuan.web.app import Settings, create_app
from test_web_api import spec_text, upload, wait
from web_fixtures import fake_process

PASSWORDS = {"管理员甲": "admin-pass-1", "审核人乙": "review-pass-2", "审核人丙": "review-pass-3", "只读丁": "read-pass-4"}
ROLES = {"管理员甲": "admin", "审核人乙": "reviewer", "审核人丙": "reviewer", "只读丁": "readonly"}


def cli(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli_app, list(args), input=input)


def add_users(db: Path, names: list[str] | None = None) -> None:
    for name in names or list(PASSWORDS):
        r = cli("user", "add", name, "--role", ROLES[name], "--db", str(db), input=PASSWORDS[name] + "\n")
        assert r.exit_code == 0, r.output
        assert f"已添加用户 {name}" in r.output


def new_token(db: Path, name: str) -> str:
    r = cli("user", "token", name, "--db", str(db))
    assert r.exit_code == 0, r.output
    return str(r.output.strip())


@contextmanager
def desk(tmp_path: Path, **kw: Any) -> Iterator[TestClient]:
    kw.setdefault("processor", fake_process)
    kw.setdefault("timeout", 30)
    with TestClient(create_app(Settings(data_dir=tmp_path / "data", **kw))) as c:
        yield c


def login(c: TestClient, name: str, password: str | None = None) -> str:
    """Log in through the form; returns the session's CSRF token (from the page's meta tag)."""
    form = c.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf, form
    r = c.post("/login", data={"name": name, "password": password or PASSWORDS[name], "csrf": csrf.group(1)},
               follow_redirects=False)  # fmt: skip
    assert r.status_code == 303, r.text
    page = c.get("/").text
    m = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert m and f"{name}（" in page
    return m.group(1)


def test_cli_user_add_checks_its_input(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    r = cli("user", "add", "甲", "--role", "boss", "--db", str(db), input="long-enough\n")
    assert r.exit_code == 2 and "没有这个角色" in r.output
    r = cli("user", "add", "甲", "--role", "admin", "--db", str(db), input="short\n")
    assert r.exit_code == 2 and "密码太短" in r.output
    r = cli("user", "token", "无此人", "--db", str(db))
    assert r.exit_code == 2 and "没有这个用户" in r.output
    add_users(db, ["管理员甲"])
    r = cli("user", "add", "管理员甲", "--role", "readonly", "--db", str(db), input="another-pass\n")
    assert r.exit_code == 0 and "已更新用户 管理员甲（只读）" in r.output
    assert cli("user", "list", "--db", str(db)).output.strip() == "管理员甲\t只读"
    for args in (["user", "--help"], ["user", "add", "--help"]):  # the sub-commands' help in Chinese too
        out = cli(*args).output
        assert out.startswith("用法：") and "显示本帮助并退出" in out and "Show this message" not in out
    r = cli("user", "add")
    assert r.exit_code == 2 and "缺少参数" in r.output


def test_once_a_user_exists_everything_needs_a_login(tmp_path: Path) -> None:
    with desk(tmp_path) as c:  # no user: open, as before
        job = upload(c, "甲.txt", spec_text())
        assert wait(c, job["id"])["status"] == "done"
    add_users(tmp_path / "data" / "juesuan.duckdb")
    with desk(tmp_path, token="shared-secret") as c:
        for path in ("/", f"/documents/{job['id']}"):
            r = c.get(path, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == "/login"
        for path in ("/api/documents", f"/api/documents/{job['id']}", f"/api/documents/{job['id']}/report.html"):
            assert c.get(path).status_code == 401
        # the shared token opened the app without users; with users nothing anonymous does
        assert c.get("/api/documents", headers={"Authorization": "Bearer shared-secret"}).status_code == 401
        assert c.get("/api/documents", headers={"Authorization": "Bearer js_made-up"}).status_code == 401
        assert c.get("/healthz").status_code == 200
        assert 'name="password"' in c.get("/login").text


def test_session_csrf_and_uploads_named_by_user(tmp_path: Path) -> None:
    add_users(tmp_path / "data" / "juesuan.duckdb")
    with desk(tmp_path) as c:
        csrf = login(c, "审核人乙")
        r = c.post("/api/documents", files={"file": ("甲.txt", spec_text())})
        assert r.status_code == 403 and "CSRF" in r.json()["detail"]
        r = c.post("/api/documents", files={"file": ("甲.txt", spec_text())}, headers={"X-CSRF-Token": "forged"})
        assert r.status_code == 403
        job = upload(c, "甲.txt", spec_text(), headers={"X-CSRF-Token": csrf})
        # the page's form carries the token in a field
        r = c.post("/upload", files={"files": ("乙.txt", spec_text())}, data={"csrf": csrf}, follow_redirects=False)
        assert r.status_code == 303
        r = c.post("/upload", files={"files": ("丙.txt", spec_text())}, follow_redirects=False)
        assert r.status_code == 403
        docs = c.get("/api/documents").json()["documents"]
        assert sorted(d["filename"] for d in docs) == ["乙.txt", "甲.txt"]
        assert {d["uploaded_by"] for d in docs} == {"审核人乙"}
        assert wait(c, job["id"])["status"] == "done"
        # logging out ends the session on the server, not only in this browser
        cookie = c.cookies.get("juesuan_session")
        assert c.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
        c.cookies.set("juesuan_session", cookie or "")
        assert c.get("/api/documents").status_code == 401


def test_login_form_needs_its_own_csrf_token(tmp_path: Path) -> None:
    add_users(tmp_path / "data" / "juesuan.duckdb", ["审核人乙"])
    with desk(tmp_path) as c:
        r = c.post("/login", data={"name": "审核人乙", "password": PASSWORDS["审核人乙"]}, follow_redirects=False)
        assert r.status_code == 403 and "登录表单已过期" in r.text
        assert c.get("/api/documents").status_code == 401


def test_five_wrong_passwords_lock_the_name(tmp_path: Path) -> None:
    add_users(tmp_path / "data" / "juesuan.duckdb", ["审核人乙", "审核人丙"])
    with desk(tmp_path) as c:
        for _ in range(5):
            form = c.get("/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form)
            assert csrf
            r = c.post("/login", data={"name": "审核人乙", "password": "wrong-guess", "csrf": csrf.group(1)})
            assert r.status_code == 401 and "用户名或密码不正确" in r.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
        assert csrf
        r = c.post("/login", data={"name": "审核人乙", "password": PASSWORDS["审核人乙"], "csrf": csrf.group(1)})
        assert r.status_code == 429 and "暂时锁定" in r.text  # even the right password, for a while
        assert c.get("/api/documents").status_code == 401
        login(c, "审核人丙")  # another name is not locked


def test_bearer_tokens_per_user_and_roles(tmp_path: Path) -> None:
    db = tmp_path / "data" / "juesuan.duckdb"
    add_users(db)
    reviewer, reader = new_token(db, "审核人乙"), new_token(db, "只读丁")
    assert reviewer.startswith("js_") and reviewer != new_token(db, "审核人乙")
    with desk(tmp_path) as c:
        rh, oh = {"Authorization": f"Bearer {reviewer}"}, {"Authorization": f"Bearer {reader}"}
        job = upload(c, "甲.txt", spec_text(), headers=rh)  # no CSRF token: a bearer is never sent by itself
        assert wait(c, job["id"], headers=rh)["status"] == "done"
        r = c.post("/api/documents", files={"file": ("乙.txt", spec_text())}, headers=oh)
        assert r.status_code == 403 and "只读用户" in r.json()["detail"]
        assert c.get(f"/api/documents/{job['id']}", headers=oh).status_code == 200  # reading is allowed
        assert c.get("/api/documents", headers=oh).json()["documents"][0]["uploaded_by"] == "审核人乙"
