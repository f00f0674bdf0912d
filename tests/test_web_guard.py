"""The web app's guard: uploads refused from their headers before the body is read, chunked
bodies cut off at the limit, token guessing throttled, the API description behind the token,
security headers and a request id on every answer, display names without control characters,
and a bug answered with a short JSON message and a request id, never a bare 500 page."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from juesuan.web import guard as guard_mod
from juesuan.web.app import Settings, create_app
from web_fixtures import fake_process

AUTH = {"Authorization": "Bearer s3cret"}


def client(tmp_path: Path, **kw: Any) -> TestClient:
    kw.setdefault("processor", fake_process)
    return TestClient(create_app(Settings(data_dir=tmp_path / "data", **kw)), raise_server_exceptions=False)


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[TestClient]:
    with client(tmp_path, token="s3cret", max_bytes=100_000) as c:
        yield c


def _asgi_upload(app: Any, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[int, int, bytes]:
    """Send a request to the ASGI app by hand; return the status, how many body chunks the app
    asked for, and the body of the answer."""
    pulled = {"n": 0}
    out: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        i = pulled["n"]
        pulled["n"] += 1
        if i < len(chunks):
            return {"type": "http.request", "body": chunks[i], "more_body": i + 1 < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(msg: dict[str, Any]) -> None:
        if msg["type"] == "http.response.start":
            out["status"] = msg["status"]
        elif msg["type"] == "http.response.body":
            out["body"] += msg.get("body", b"")

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/documents", "raw_path": b"/api/documents", "query_string": b"", "root_path": "",
        "headers": headers, "client": ("10.0.0.9", 5555), "server": ("test", 80),
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))
    return out["status"], pulled["n"], out["body"]


def test_an_unauthenticated_upload_is_refused_before_its_body_is_read(tmp_path: Path) -> None:
    with client(tmp_path, token="s3cret", max_bytes=100_000) as c:
        app = c.app
        # 400 MB announced, never sent: refused from the headers alone
        status, pulled, body = _asgi_upload(
            app, [(b"content-type", b"multipart/form-data; boundary=x"), (b"content-length", str(400 << 20).encode())], [b"x" * 65536] * 3
        )
        assert status == 401 and pulled == 0 and "访问令牌" in body.decode()
        # authorised but announced over the limit: 413, nothing read
        status, pulled, _ = _asgi_upload(
            app,
            [(b"authorization", b"Bearer s3cret"), (b"content-type", b"multipart/form-data; boundary=x"), (b"content-length", str(400 << 20).encode())],
            [b"x" * 65536] * 3,
        )
        assert status == 413 and pulled == 0


def test_a_chunked_body_is_cut_off_at_the_limit(guarded: TestClient) -> None:
    big = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n" + b"0" * 65536
    status, pulled, body = _asgi_upload(
        guarded.app,
        [(b"authorization", b"Bearer s3cret"), (b"content-type", b"multipart/form-data; boundary=x")],
        [big] * 200,  # 13 MB without a declared length
    )
    assert status == 413 and "文件过大" in body.decode()
    assert pulled <= 4  # read up to the limit (100 KB + slack), not the 13 MB
    assert guarded.get("/api/documents", headers=AUTH).json()["documents"] == []


def test_token_guessing_is_throttled(guarded: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(guard_mod.FAILURES):
        assert guarded.get("/api/documents", headers={"Authorization": "Bearer guess"}).status_code == 401
    r = guarded.get("/api/documents", headers=AUTH)
    assert r.status_code == 429 and "请" in r.json()["detail"] and int(r.headers["retry-after"]) > 0
    assert guarded.get("/healthz").status_code == 200  # still answers whether it is alive
    monkeypatch.setattr(guard_mod, "WINDOW", 0.0)  # the window over: the right token works again
    time.sleep(0.01)
    assert guarded.get("/api/documents", headers=AUTH).status_code == 200


def test_api_description_and_job_counts_need_the_token(guarded: TestClient) -> None:
    # the page sends a stranger to the login, the schema refuses; both open with the token
    assert guarded.get("/docs", follow_redirects=False).status_code == 303
    assert guarded.get("/openapi.json").status_code == 401
    for path in ("/docs", "/openapi.json"):
        assert guarded.get(path, headers=AUTH).status_code == 200, path
    assert guarded.get("/healthz").json() == {"status": "ok"}
    assert "jobs" in guarded.get("/healthz", headers=AUTH).json()


def test_security_headers_and_request_id(guarded: TestClient) -> None:
    for r in (guarded.get("/login"), guarded.get("/api/documents", headers=AUTH), guarded.get("/api/documents")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["referrer-policy"] == "no-referrer" and len(r.headers["x-request-id"]) == 12


def test_display_names_lose_control_characters(guarded: TestClient) -> None:
    # a raw NUL and a right-to-left override in the name, as a hand-made request sends them
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a\x00b' + "\u202e".encode() + b'c<script>.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n--x--\r\n"
    )
    r = guarded.post("/api/documents", content=body, headers={**AUTH, "Content-Type": "multipart/form-data; boundary=x"})
    assert r.status_code == 201
    name = guarded.get(f"/api/documents/{r.json()['id']}", headers=AUTH).json()["filename"]
    assert name == "abc<script>.txt"
    page = guarded.get("/", headers=AUTH).text
    assert "abc&lt;script&gt;.txt" in page and "\x00" not in page


def test_a_bug_is_a_json_500_with_a_request_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_LOG_DIR", str(tmp_path / "logs"))
    with client(tmp_path) as c:
        from juesuan.web import store as store_mod

        def broken(self: Any) -> Any:
            raise RuntimeError("database on fire")

        monkeypatch.setattr(store_mod.Store, "list_documents", broken)
        r = c.get("/api/documents")
        assert r.status_code == 500
        body = r.json()
        assert len(body["request_id"]) == 12 and body["request_id"] in body["detail"]
        assert "Traceback" not in r.text
        (log,) = (tmp_path / "logs").iterdir()
        assert "database on fire" in log.read_text(encoding="utf-8")
        page = c.get("/")
        assert page.status_code == 500 and "服务器内部错误" in page.text and "Traceback" not in page.text


def test_serve_bounds_connections(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``juesuan serve`` runs uvicorn with short keep-alive, bounded header size, a connection
    limit and a graceful stop that lets running jobs end (they are re-queued if it runs out)."""
    import uvicorn

    from juesuan.web import app as app_mod

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    app_mod.serve(data_dir=tmp_path / "d")
    assert seen["timeout_keep_alive"] <= 5 and seen["h11_max_incomplete_event_size"] <= 64 * 1024
    assert seen["limit_concurrency"] and seen["timeout_graceful_shutdown"]
    from juesuan.web.serving import TimedH11Protocol

    assert seen["http"] is TimedH11Protocol  # header and body read timeouts (tests/test_web_serving.py)
