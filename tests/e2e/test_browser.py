"""End to end in real headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright;
Playwright's own browser download is never used): upload a PDF, see the findings, click one and
see its page and box highlighted, download the HTML and XLSX reports.

``JUESUAN_UPDATE_SCREENSHOT=1`` copies the screenshot of the document view to
``docs/screenshots/web-document.png``."""

from __future__ import annotations

import io
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (conftest, web_fixtures)

from conftest import ROOT, sample  # noqa: E402
from juesuan.web.app import Settings, create_app  # noqa: E402
from web_fixtures import fake_process  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = ROOT / "docs" / "screenshots" / "web-document.png"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    import uvicorn

    app = create_app(Settings(data_dir=tmp_path / "data", processor=fake_process, timeout=60))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    end = time.monotonic() + 20
    while not (srv.started and srv.servers):
        assert time.monotonic() < end
        time.sleep(0.05)
    yield f"http://127.0.0.1:{srv.servers[0].sockets[0].getsockname()[1]}"
    srv.should_exit = True
    th.join(20)


def test_upload_view_click_download(server: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (scripts/setup installs it when run as root)")
    pw_sync = pytest.importorskip("playwright.sync_api")
    pdf = sample("shanghai-putuo-social-work-2024.pdf")
    with pw_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True, locale="zh-CN")
            page = ctx.new_page()
            page.set_default_timeout(20_000)
            page.goto(server + "/")
            assert page.locator("h1").first.inner_text() == "上传决算公开文件"
            page.set_input_files("#file-input", str(pdf))
            page.click("#upload-form button[type=submit]")
            # the job list refreshes itself until the job is done
            row = page.locator('#jobs tr[data-status="done"]')
            row.wait_for()
            assert row.locator("td.n-error").inner_text() == "1"
            row.locator("a").click()
            page.wait_for_url("**/documents/*")
            finding = page.locator("li.finding")
            assert finding.count() == 1
            assert "T09-001" in finding.inner_text() and "应为 11.00，实为 12.00" in finding.inner_text()
            assert page.locator(".box.on").count() == 0
            finding.click()
            boxes = page.locator('#page-14 .box.on[data-f="1"]')
            assert boxes.count() == 4
            boxes.first.wait_for(state="visible")
            # the page image has loaded and the highlighted box is scrolled into the page pane
            page.wait_for_function("document.querySelector('#page-14 img').complete && document.querySelector('#page-14 img').naturalWidth > 0")
            pane = page.locator("#pages").bounding_box()
            box = boxes.first.bounding_box()
            assert pane and box and pane["y"] <= box["y"] <= pane["y"] + pane["height"]
            assert "active" in (finding.get_attribute("class") or "")
            time.sleep(0.3)
            shot = tmp_path / "web-document.png"
            page.screenshot(path=str(shot))
            # filters
            page.select_option("#f-sev", "warning")
            assert finding.is_hidden()
            page.select_option("#f-sev", "")
            page.select_option("#f-rule", "T09-001")
            assert finding.is_visible()
            # downloads
            with page.expect_download() as dl:
                page.click("#dl-html")
            html = Path(dl.value.path()).read_text(encoding="utf-8")
            assert "T09-001" in html and "data:image/png;base64," in html
            with page.expect_download() as dl:
                page.click("#dl-xlsx")
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
            assert wb["问题清单"]["D2"].value == "T09-001"
            assert dl.value.suggested_filename.endswith(".xlsx")
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    if os.environ.get("JUESUAN_UPDATE_SCREENSHOT") == "1":  # refresh the one in docs/
        shutil.copyfile(shot, SCREENSHOT)
