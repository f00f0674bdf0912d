"""Page images and reports are rendered in a child process with a memory and a time limit
(web/render.py): a page over a budget, a render over the memory cap or over the time limit is
answered as JSON with a request id and a Chinese message naming the limit and its variable, the
refusal is cached while the limits stand, and the server's own memory does not move."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from abuse_inputs import big_scan_pdf, huge_mediabox_pdf
from juesuan.web.app import Settings, create_app
from web_fixtures import fake_process


def peak_rss_mb() -> float:
    """This process's (the server's) peak resident memory so far."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    pytest.skip("no /proc")


@pytest.fixture
def c(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=tmp_path / "data", processor=fake_process)), raise_server_exceptions=False) as client:
        yield client


def upload(c: TestClient, name: str, data: bytes) -> str:
    r = c.post("/api/documents", files={"file": (name, data)})
    assert r.status_code == 201, r.text
    doc_id: str = r.json()["id"]
    return doc_id


def refused(r: object, status: int, *words: str) -> str:
    assert r.status_code == status, (r.status_code, r.text)  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert body["request_id"] == r.headers["x-request-id"]  # type: ignore[attr-defined]
    for w in words:
        assert w in body["detail"], body["detail"]
    assert "Traceback" not in body["detail"]
    detail: str = body["detail"]
    return detail


def test_a_page_over_the_area_budget_is_refused_and_the_refusal_cached(c: TestClient, tmp_path: Path) -> None:
    doc = upload(c, "huge.pdf", huge_mediabox_pdf())  # page 1: 1e7 x 1e7 pt; page 2: A4
    before = peak_rss_mb()
    refused(c.get(f"/api/documents/{doc}/pages/1.png"), 422, "huge.pdf（第 1 页）：页面过大", "JUESUAN_MAX_PAGE_A4")
    cache = tmp_path / "data" / "cache" / doc
    assert (cache / "page-1.png.error.json").is_file() and not (cache / "page-1.png").exists()
    t0 = time.perf_counter()
    refused(c.get(f"/api/documents/{doc}/pages/1.png"), 422, "页面过大")  # from the cache: no child
    assert time.perf_counter() - t0 < 0.2
    png = c.get(f"/api/documents/{doc}/pages/2.png")  # the A4 page beside it renders as before
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    refused(c.get(f"/api/documents/{doc}/pages/3.png"), 404, "没有这一页")
    assert peak_rss_mb() - before < 50


def test_a_render_over_the_memory_cap_or_the_time_limit_is_stopped(
    c: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = upload(c, "scan.pdf", big_scan_pdf())  # one page 14,400 pt square
    # the area and pixel budgets opened wide: the 14,400 pt page is rendered at 1.5 px/pt, some
    # 470 million pixels, which the memory cap of the child stops
    monkeypatch.setenv("JUESUAN_MAX_PAGE_A4", "100000")
    monkeypatch.setenv("JUESUAN_MAX_RENDER_MPX", "3000")
    monkeypatch.setenv("JUESUAN_MAX_RENDER_MB", "300")
    before = peak_rss_mb()
    refused(c.get(f"/api/documents/{doc}/pages/1.png"), 422, "scan.pdf：渲染所需内存超出上限（上限 300 MB", "JUESUAN_MAX_RENDER_MB")
    # a render that takes longer than the time limit (100 million pixels; the cap raised)
    monkeypatch.setenv("JUESUAN_MAX_RENDER_MPX", "100")
    monkeypatch.setenv("JUESUAN_MAX_RENDER_MB", "2048")
    monkeypatch.setenv("JUESUAN_RENDER_SECONDS", "0.2")
    t0 = time.perf_counter()
    refused(c.get(f"/api/documents/{doc}/pages/1.png"), 504, "渲染时间超出上限（上限 0.2 秒", "JUESUAN_RENDER_SECONDS")
    assert time.perf_counter() - t0 < 5
    assert peak_rss_mb() - before < 50  # the server never held the picture
    assert c.get("/healthz").json()["status"] == "ok"
    # with time enough, the same page renders (the cached refusal was for other limits)
    monkeypatch.setenv("JUESUAN_MAX_RENDER_MPX", "4")
    monkeypatch.delenv("JUESUAN_RENDER_SECONDS")
    png = c.get(f"/api/documents/{doc}/pages/1.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert not (tmp_path / "data" / "cache" / doc / "page-1.png.error.json").exists()


def test_a_report_over_the_time_limit_is_answered_then_made_with_time_enough(c: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_web_api import spec_text, wait

    doc = upload(c, "a.txt", spec_text())
    assert wait(c, doc)["status"] == "done"
    monkeypatch.setenv("JUESUAN_RENDER_SECONDS", "0.001")
    refused(c.get(f"/api/documents/{doc}/report.html"), 504, "a.txt：渲染时间超出上限")
    monkeypatch.delenv("JUESUAN_RENDER_SECONDS")
    r = c.get(f"/api/documents/{doc}/report.html")
    assert r.status_code == 200 and "核对报告" in r.text
