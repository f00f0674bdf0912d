"""REST API and pages of ``juesuan serve`` (TestClient and a real uvicorn on 127.0.0.1)."""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from conftest import sample
from juesuan.web.app import Settings, create_app
from web_fixtures import SANGONG, crash_process, fake_process, slow_process

DOC_KEYS = {"path", "metadata", "findings", "summary"}  # check --format json's document object


def spec_text(department: str = "示例市测试局", total: str = "12.00") -> bytes:
    spec = {
        "metadata": {"department": department, "year": 2024},
        "tables": [dict(SANGONG["tables"][0], rows=dict(SANGONG["tables"][0]["rows"], total={"budget": total, "actual": "8.00"}))],
    }
    return yaml.safe_dump(spec, allow_unicode=True).encode("utf-8")


@contextmanager
def client(tmp_path: Path, **kw: Any) -> Iterator[TestClient]:
    kw.setdefault("processor", fake_process)
    kw.setdefault("timeout", 30)
    with TestClient(create_app(Settings(data_dir=tmp_path / "data", **kw))) as c:
        yield c


def wait(c: Any, doc_id: str, timeout: float = 30.0, headers: dict[str, str] | None = None) -> dict[str, Any]:
    end = time.monotonic() + timeout
    while True:
        body = c.get(f"/api/documents/{doc_id}", headers=headers or {}).json()
        if body["status"] in ("done", "failed") or time.monotonic() > end:
            return body
        time.sleep(0.1)


def upload(c: Any, name: str, data: bytes, headers: dict[str, str] | None = None) -> dict[str, Any]:
    r = c.post("/api/documents", files={"file": (name, data)}, headers=headers or {})
    assert r.status_code == 201, r.text
    return r.json()


def test_healthz_and_openapi(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        h = c.get("/healthz").json()
        assert h["status"] == "ok" and h["jobs"] == {}
        paths = c.get("/openapi.json").json()["paths"]
        assert {"/api/documents", "/api/documents/{doc_id}", "/api/documents/{doc_id}/report.{fmt}", "/healthz"} <= set(paths)
        assert c.get("/docs").status_code == 200


def test_pdf_upload_findings_and_reports(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    pdf = sample("shanghai-putuo-social-work-2024.pdf").read_bytes()
    with client(tmp_path) as c:
        job = upload(c, "社会工作部.pdf", pdf)
        assert job["status"] == "queued" and len(job["id"]) == 32
        body = wait(c, job["id"])
        assert body["status"] == "done", body
        assert set(body) >= DOC_KEYS and body["path"] == "社会工作部.pdf"
        assert body["pages"] == 24 and body["progress"] == 100
        assert body["summary"] == {"error": 1, "warning": 0, "info": 0}
        f = body["findings"][0]
        assert f["rule_id"] == "T09-001" and f["expected"] == "11.00" and f["found"] == "12.00"
        assert f["locations"][0]["loc"]["page"] == 14
        assert body["metadata"]["department"] == "中共上海市普陀区委社会工作部"

        r = c.get(f"/api/documents/{job['id']}/report.html")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "T09-001" in r.text and "data:image/png;base64," in r.text
        assert "filename*=UTF-8''" in r.headers["content-disposition"]
        r = c.get(f"/api/documents/{job['id']}/report.xlsx")
        ws = load_workbook(io.BytesIO(r.content))["问题清单"]
        assert [x.value for x in ws[2]][3] == "T09-001"
        r = c.get(f"/api/documents/{job['id']}/report.pdf")
        assert r.headers["content-type"] == "application/pdf"
        annots = [a.get_object() for a in PdfReader(io.BytesIO(r.content)).pages[1 + 13]["/Annots"]]  # after the summary
        assert any(a["/Subtype"] == "/Highlight" and "T09-001" in a["/Contents"] for a in annots)

        png = c.get(f"/api/documents/{job['id']}/pages/14.png")
        assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
        assert c.get(f"/api/documents/{job['id']}/pages/99.png").status_code == 404

        page = c.get(f"/documents/{job['id']}").text
        assert page.count('class="box sev-error" data-f="1"') == 4 and 'id="page-14"' in page
        assert 'href="/api/documents/' + job["id"] + '/report.pdf"' in page
        listing = c.get("/api/documents").json()["documents"]
        assert [(d["id"], d["status"], d["summary"]["error"]) for d in listing] == [(job["id"], "done", 1)]
        assert "社会工作部.pdf" in c.get("/").text


def test_text_upload_has_no_pdf_report(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        job = upload(c, "测试局.txt", spec_text())
        assert wait(c, job["id"])["status"] == "done"
        r = c.get(f"/api/documents/{job['id']}/report.pdf")
        assert r.status_code == 409 and "批注版 PDF 报告需要 PDF 格式的输入文件" in r.json()["detail"]
        assert c.get(f"/api/documents/{job['id']}/report.html").status_code == 200
        page = c.get(f"/documents/{job['id']}").text
        # the extracted table, and the finding naming its cells (the page's script marks them)
        assert '<td data-c="budget">12.00</td>' in page and f'[["{job["id"]}", 0, "total", null, "budget"]' in page
        assert "批注版 PDF（需 PDF 输入）" in page


def test_bad_files_become_failed_jobs(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        junk = upload(c, "乱码.bin", bytes(range(256)) * 8)
        empty = upload(c, "空.txt", b"   \n")
        sentence = upload(c, "一句话.txt", "只是一句话".encode())
        assert junk["status"] == "failed" and empty["status"] == "failed"
        j = c.get(f"/api/documents/{junk['id']}").json()
        assert j["error"].startswith("乱码.bin：不是可识别的文档") and j["error_code"] == "not_a_document"
        assert set(j) >= DOC_KEYS and j["findings"] == []
        assert c.get(f"/api/documents/{empty['id']}").json()["error"] == "空.txt：文件为空"
        s = wait(c, sentence["id"])
        assert s["status"] == "failed" and s["error"] == "一句话.txt：不是可识别的文档"
        r = c.get(f"/api/documents/{junk['id']}/report.html")
        assert r.status_code == 409 and "处理失败" in r.json()["detail"]
        r = c.get("/api/documents/" + "0" * 32)
        assert r.status_code == 404 and r.json()["detail"] == "找不到这个文件（编号不存在）"
        assert c.get("/api/documents/../../etc/passwd").status_code == 404
        r = c.post("/api/documents", data={"x": "1"})
        assert r.status_code == 422 and "请求不完整" in r.json()["detail"]
        assert "找不到这个文件" in c.get("/documents/" + "1" * 32).text


def test_size_and_page_limits(tmp_path: Path) -> None:
    with client(tmp_path, max_bytes=10_000) as c:
        r = c.post("/api/documents", files={"file": ("大.pdf", b"%PDF-1.7\n" + b"0" * 20_000)})
        assert r.status_code == 413 and "文件过大" in r.json()["detail"]
        assert c.get("/api/documents").json()["documents"] == []
    from juesuan.web.worker import process_file

    pdf = sample("shanghai-template-2024.pdf").read_bytes()
    with client(tmp_path, max_pages=5, processor=process_file) as c:
        body = wait(c, upload(c, "模板.pdf", pdf)["id"])
        assert body["status"] == "failed" and body["error"] == "模板.pdf：共 23 页，超过上限 5 页"


def test_time_limit_and_crash(tmp_path: Path) -> None:
    with client(tmp_path, processor=slow_process, timeout=1.5) as c:
        t0 = time.monotonic()
        body = wait(c, upload(c, "慢.txt", spec_text())["id"])
        assert body["status"] == "failed" and body["error_code"] == "timeout"
        assert "处理超时（超过 1.5 秒）" in body["error"] and time.monotonic() - t0 < 15
    with client(tmp_path / "b", processor=crash_process) as c:
        body = wait(c, upload(c, "崩.txt", spec_text())["id"])
        assert body["status"] == "failed" and body["error_code"] == "crashed" and "退出码 3" in body["error"]


def test_bearer_token(tmp_path: Path) -> None:
    with client(tmp_path, token="s3cret") as c:
        r = c.post("/api/documents", files={"file": ("a.txt", spec_text())})
        assert r.status_code == 401 and "访问令牌" in r.json()["detail"]
        assert c.get("/api/documents", headers={"Authorization": "Bearer wrong"}).status_code == 401
        auth = {"Authorization": "Bearer s3cret"}
        job = upload(c, "a.txt", spec_text(), headers=auth)
        assert wait(c, job["id"], headers=auth)["status"] == "done"
        assert c.get("/healthz").status_code == 200
        r = c.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"
        assert c.post("/login", data={"token": "nope"}).status_code == 401
        r = c.post("/login", data={"token": "s3cret"}, follow_redirects=False)
        assert r.status_code == 303 and "juesuan_token" in r.headers["set-cookie"]
        assert "a.txt" in c.get("/").text  # the cookie now opens the pages


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="error"))
    th = threading.Thread(target=server.run, daemon=True)
    th.start()
    end = time.monotonic() + 20
    while not (server.started and server.servers):
        assert time.monotonic() < end, "server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        th.join(20)


def test_twenty_concurrent_uploads_on_uvicorn(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", processor=fake_process, workers=2, timeout=60)
    with live_server(settings) as base, httpx.Client(base_url=base, timeout=60) as http:
        def one(i: int) -> tuple[int, str]:
            r = http.post("/api/documents", files={"file": (f"单位{i:02d}.txt", spec_text(f"第{i:02d}局", f"{20 + i}.00"))})
            assert r.status_code == 201, r.text
            return i, r.json()["id"]

        with ThreadPoolExecutor(20) as ex:
            ids = list(ex.map(one, range(20)))
        assert len({d for _, d in ids}) == 20
        for i, doc_id in ids:
            body = wait(http, doc_id, timeout=90)
            assert body["status"] == "done", body
            assert body["path"] == f"单位{i:02d}.txt"
            assert body["metadata"]["department"] == f"第{i:02d}局"
            assert body["findings"][0]["found"] == f"{20 + i}.00"  # each job kept its own file
        assert len(http.get("/api/documents").json()["documents"]) == 20


def test_restart_between_upload_and_download(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # first run: nothing is processed (no workers); one job stays queued
    with TestClient(create_app(Settings(data_dir=data, processor=fake_process, workers=0))) as c:
        queued = upload(c, "重启前.txt", spec_text("重启局"))["id"]
        assert c.get(f"/api/documents/{queued}").json()["status"] == "queued"
    with TestClient(create_app(Settings(data_dir=data, processor=fake_process))) as c:
        body = wait(c, queued)  # picked up again at start
        assert body["status"] == "done" and body["metadata"]["department"] == "重启局"
        done = upload(c, "第二个.txt", spec_text("第二局"))["id"]
        assert wait(c, done)["status"] == "done"
    # a third start: everything is still there and downloadable
    with TestClient(create_app(Settings(data_dir=data, processor=fake_process))) as c:
        for doc_id in (queued, done):
            r = c.get(f"/api/documents/{doc_id}/report.html")
            assert r.status_code == 200 and "T09-001" in r.text
        assert {d["id"] for d in c.get("/api/documents").json()["documents"]} == {queued, done}
    import duckdb

    con = duckdb.connect(str(data / "juesuan.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM cells WHERE doc_id = ?", [done]).fetchone() == (8,)
    assert con.execute("SELECT rule_id, severity FROM findings WHERE doc_id = ?", [done]).fetchall() == [("T09-001", "error")]
    con.close()
    assert sorted(p.suffix for p in (data / "uploads").iterdir()) == [".txt", ".txt"]


def test_real_pipeline_on_a_sample_pdf(tmp_path: Path) -> None:
    """The real reader and rules: whatever the readers manage, the job ends cleanly."""
    from juesuan.web.worker import process_file

    pdf = sample("shanghai-putuo-finance-2024.pdf").read_bytes()
    with client(tmp_path, processor=process_file, timeout=120) as c:
        body = wait(c, upload(c, "财政局.pdf", pdf)["id"], timeout=150)
        assert body["status"] in ("done", "failed"), body
        if body["status"] == "failed":
            assert body["error"].startswith("财政局.pdf") and "uploads" not in body["error"]
        else:
            assert body["pages"] == 25 and isinstance(body["findings"], list)
            assert c.get(f"/api/documents/{body['id']}/report.pdf").status_code == 200


@pytest.mark.parametrize("fmt", ["html", "xlsx", "pdf"])
def test_report_before_done(tmp_path: Path, fmt: str) -> None:
    with client(tmp_path, workers=0) as c:
        job = upload(c, "a.txt", spec_text())
        r = c.get(f"/api/documents/{job['id']}/report.{fmt}")
        assert r.status_code == 409 and "尚未处理完成" in r.json()["detail"]
        assert c.get(f"/api/documents/{job['id']}/report.doc").status_code == 404


def test_form_upload_of_several_files(tmp_path: Path) -> None:
    """The page's plain form (no JS) takes many files at once."""
    with client(tmp_path) as c:
        r = c.post(
            "/upload",
            files=[("files", ("甲.txt", spec_text("甲局"))), ("files", ("乙.txt", spec_text("乙局")))],
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"] == "/"
        docs = c.get("/api/documents").json()["documents"]
        assert sorted(d["filename"] for d in docs) == ["乙.txt", "甲.txt"]
        for d in docs:
            assert wait(c, d["id"])["status"] == "done"
        page = c.get("/").text
        assert page.count('data-status="done"') == 2


def test_real_sample_round_trip_across_restarts(tmp_path: Path) -> None:
    """The real readers and rules: a sample PDF uploaded while no worker runs, processed after a
    restart, and every report downloaded after another restart; the API gives exactly the
    document object of ``check --format json`` and the reports carry every finding."""
    from pypdf import PdfReader

    from juesuan.api import check_path
    from juesuan.report.crops import finding_boxes
    from juesuan.report.jsonout import results_to_obj

    path = sample("shanghai-putuo-social-work-2024.pdf")
    pdf = path.read_bytes()
    data = tmp_path / "data"
    with TestClient(create_app(Settings(data_dir=data, workers=0))) as c:
        doc_id = upload(c, path.name, pdf)["id"]
        assert c.get(f"/api/documents/{doc_id}").json()["status"] == "queued"
    with TestClient(create_app(Settings(data_dir=data, timeout=120))) as c:
        body = wait(c, doc_id, timeout=150)
    assert body["status"] == "done", body
    want = results_to_obj([check_path(path)])["documents"][0]
    want["path"] = want["metadata"]["source_path"] = path.name  # the upload's name, not a server path
    # beside check's own fields, each finding has its review id and (none yet) decision
    ids = [f.pop("id") for f in body["findings"]]
    assert len(set(ids)) == len(ids) and all(i.startswith(doc_id + "-") for i in ids)
    assert [f.pop("decision") for f in body["findings"]] == [None] * len(ids)
    assert {k: body[k] for k in DOC_KEYS} == {k: want[k] for k in DOC_KEYS}
    n = len(body["findings"])
    assert n >= 3 and body["pages"] == len(PdfReader(io.BytesIO(pdf)).pages)
    with TestClient(create_app(Settings(data_dir=data, timeout=120))) as c:
        again = c.get(f"/api/documents/{doc_id}").json()
        assert [f.pop("id") for f in again["findings"]] == ids  # the same ids after a restart
        assert [f.pop("decision") for f in again["findings"]] == [None] * len(ids)
        assert again["findings"] == body["findings"]
        html = c.get(f"/api/documents/{doc_id}/report.html")
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        assert html.text.count('<article class="finding') == n and 'src="http' not in html.text
        assert html.text.count('<figure class="crop">') >= sum(1 for f in body["findings"] if f["locations"])
        xl = c.get(f"/api/documents/{doc_id}/report.xlsx")
        assert xl.status_code == 200
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(xl.content))
        assert wb["问题清单"].max_row == 1 + n and wb["全部单元格"].max_row > 50
        out = c.get(f"/api/documents/{doc_id}/report.pdf")
        assert out.status_code == 200 and out.headers["content-type"] == "application/pdf"
        from juesuan.model import Finding

        expected = sum(
            1
            for f in body["findings"]
            if f["severity"] in ("error", "warning")  # 提示 are counted on the summary, not painted
            for bb in finding_boxes(Finding.model_validate(f)).values()
            if bb
        )
        highlights = [
            a.get_object()
            for p in PdfReader(io.BytesIO(out.content)).pages
            for a in p.get("/Annots") or []
            if a.get_object()["/Subtype"] == "/Highlight"
        ]
        assert len(highlights) == expected
        page = c.get(f"/api/documents/{doc_id}/pages/1.png")
        assert page.status_code == 200 and page.content[:8] == b"\x89PNG\r\n\x1a\n"
        # the document view draws the boxes of every located finding
        view = c.get(f"/documents/{doc_id}")
        assert view.status_code == 200 and view.text.count('class="box sev-') >= expected


def test_concurrent_first_requests_of_cached_files(tmp_path: Path) -> None:
    """Reports, page images and the view's boxes are cached as files on first use; many first
    requests at once each write their own temporary file and all succeed."""
    settings = Settings(data_dir=tmp_path / "data", processor=fake_process, timeout=60)
    pdf = sample("shanghai-putuo-social-work-2024.pdf").read_bytes()
    with live_server(settings) as base, httpx.Client(base_url=base, timeout=120) as http:
        doc_id = http.post("/api/documents", files={"file": ("社工部.pdf", pdf)}).json()["id"]
        assert wait(http, doc_id, timeout=90)["status"] == "done"
        urls = [f"/documents/{doc_id}", f"/api/documents/{doc_id}/report.html", f"/api/documents/{doc_id}/pages/14.png"] * 4
        with ThreadPoolExecutor(12) as ex:
            codes = list(ex.map(lambda u: http.get(u).status_code, urls))
        assert codes == [200] * len(urls)
        cache = tmp_path / "data" / "cache" / doc_id
        names = sorted(p.name for p in cache.iterdir())
        # one boxes file: named by the places asked for (app.finding_boxes), all asked the same
        assert len(names) == 3 and re.fullmatch(r"boxes-[0-9a-f]{20}\.json", names[0]) and names[1:] == ["page-14.png", "report.html"]
