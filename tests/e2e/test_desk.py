"""The review desk walked in real headless Chromium (Debian's ``/usr/bin/chromium`` driven by
Playwright, as test_browser.py): log in, upload several files, triage the list, confirm two
findings and dismiss one, download the 整改意见书 and read it back, re-check and see the
decisions kept, log in as read-only and be refused, be locked out after five wrong passwords,
and read the API documentation with every request outside the server blocked.

The reading step is the test processor (web_fixtures.fake_process): the web layer is what is
walked. ``JUESUAN_UPDATE_SCREENSHOT=1`` copies the screenshots to docs/screenshots/desk-*.png."""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (conftest, web_fixtures)

from browser_support import serving, until  # noqa: E402
from conftest import ROOT, sample  # noqa: E402
from juesuan.web.app import Settings, create_app  # noqa: E402
from test_web_accounts import PASSWORDS, add_users  # noqa: E402
from test_web_review import SPEC, spec_bytes  # noqa: E402
from web_fixtures import fake_process  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    add_users(tmp_path / "data" / "juesuan.duckdb")
    app = create_app(Settings(data_dir=tmp_path / "data", processor=fake_process, timeout=60, bureau="示例市财政局"))
    with serving(app) as base:
        yield base


def _login(page: Any, base: str, name: str, password: str | None = None) -> None:
    page.goto(base + "/login")
    page.fill('input[name="name"]', name)
    page.fill('input[name="password"]', password or PASSWORDS[name])
    page.click("#login-form button[type=submit]")


def test_review_walk(server: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (scripts/setup installs it when run as root)")
    pw_sync = pytest.importorskip("playwright.sync_api")
    from docx import Document

    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "测试局2024年部门决算.txt").write_bytes(spec_bytes())
    budget = dict(SPEC, metadata={"department": "示例市预算局", "year": 2025, "kind": "部门预算"})
    (folder / "预算局2025年部门预算.txt").write_bytes(spec_bytes(budget))
    (folder / "测试局2024年部门决算（重复）.txt").write_bytes(spec_bytes())
    pdf = sample("shanghai-putuo-social-work-2024.pdf")
    orgs_csv = tmp_path / "单位名单.csv"
    orgs_csv.write_text("名称,编码,上级,地区\n示例市测试局,001,,示例市\n示例市测试局机关服务中心,00101,001,示例市\n"
                        "示例市预算局,002,,示例市\n", encoding="utf-8")  # fmt: skip
    shots: list[Path] = []

    def shot(page: Any, name: str) -> None:
        p = tmp_path / f"desk-{name}.png"
        page.screenshot(path=str(p))
        shots.append(p)

    with pw_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True, locale="zh-CN")
            page = ctx.new_page()
            page.set_default_timeout(30_000)

            # not logged in: every page leads to the login form
            page.goto(server + "/")
            assert page.url.endswith("/login") and page.locator('input[name="password"]').count() == 1
            shot(page, "login")
            # the administrator imports the organisations
            _login(page, server, "管理员甲")
            page.wait_for_url(server + "/")
            page.goto(server + "/organizations")
            page.set_input_files("#org-file", str(orgs_csv))
            page.click("#org-import button[type=submit]")
            page.wait_for_selector('#org-import-status[data-done="1"]')
            assert "新增 3 个" in page.locator("#org-import-status").inner_text()
            page.wait_for_selector('#matrix tr[data-code="00101"]')
            page.click("form.logout button")
            page.wait_for_url("**/login")

            _login(page, server, "审核人乙")
            page.wait_for_url(server + "/")
            assert "审核人乙（审核人）" in page.locator("#who").inner_text()
            page.goto(server + "/organizations")
            assert page.locator("#org-import").count() == 0  # a reviewer does not edit the list
            page.goto(server + "/")

            # upload the folder's files and a PDF; each message follows its job to the end
            page.set_input_files("#file-input", [str(p) for p in sorted(folder.iterdir())] + [str(pdf)])
            page.click("#upload-form button[type=submit]")
            until(page, "document.querySelectorAll('#upload-status li[data-status=\"done\"]').length === 4", 60)
            msgs = page.locator("#upload-status li").all_inner_texts()
            assert all("核对完成（错误" in m for m in msgs), msgs
            rows = page.locator("#jobs tbody tr[data-id]")
            assert rows.count() == 4
            assert page.locator("#jobs .copy").all_inner_texts() == ["第 2 份", "第 1 份"]

            # triage: filter by kind, search, sort by errors
            page.select_option("#f-kind", "预算")
            assert page.locator("#jobs tbody tr[data-id]:visible").count() == 1
            assert "示例市预算局" in page.locator("#jobs tbody tr[data-id]:visible").inner_text()
            page.select_option("#f-kind", "")
            page.fill("#q", "社会工作")
            assert page.locator("#jobs tbody tr[data-id]:visible").count() == 1
            page.fill("#q", "")
            page.click('#jobs th[data-sort="n_error"]')
            page.click('#jobs th[data-sort="n_error"]')  # descending: most errors first
            first = page.locator("#jobs tbody tr[data-id]").first
            assert first.get_attribute("data-n_error") == "3"
            assert page.locator("#n-shown").inner_text() == "显示 4 / 4 个文件"
            shot(page, "list")

            # the matrix: who has published what, and who has not
            page.goto(server + "/organizations")
            cell = page.locator('#matrix tr[data-code="001"] td[data-key="2024-决算"]')
            assert cell.get_attribute("data-state") == "open" and "错 3" in cell.inner_text()
            assert page.locator('#matrix tr[data-code="001"] td[data-key="2024-预算"]').get_attribute("data-state") == "missing"
            assert page.locator('#matrix tr[data-code="002"] td[data-key="2025-预算"]').get_attribute("data-state") == "none"  # T09 does not judge budgets
            assert page.locator('#matrix tr[data-code="00101"] td.n-missing').inner_text() == "4"
            assert "shanghai-putuo-social-work-2024.pdf" in page.locator("#unmatched").inner_text()
            shot(page, "matrix")
            with page.expect_download() as dl:
                page.click("#dl-summary")
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
            missing = {(r[1], r[3], r[4]) for r in wb["未公开"].iter_rows(min_row=2, values_only=True)}
            assert ("001", 2024, "预算") in missing and ("001", 2024, "决算") not in missing
            page.goto(server + "/")

            # open the final accounts: confirm two findings, dismiss one with a reason
            page.locator('#jobs tr[data-filename="测试局2024年部门决算.txt"] a').click()
            page.wait_for_url("**/documents/*")
            doc_id = page.url.rsplit("/", 1)[-1]
            items = page.locator("li.finding")
            assert items.count() == 3
            for i, text in ((0, None), (1, None), (2, "购置费另表列示，非差错")):
                li = items.nth(i)
                if text is None:
                    li.locator(".act-confirm").click()
                    until(page, f"document.querySelectorAll('li.finding')[{i}].dataset.decision === 'confirmed'")
                else:
                    li.locator(".act-dismiss").click()  # without a reason: refused in place
                    assert li.locator(".decision").inner_text() == "排除时请填写理由"
                    li.locator("input.reason").fill(text)
                    li.locator(".act-dismiss").click()
                    until(page, f"document.querySelectorAll('li.finding')[{i}].dataset.decision === 'dismissed'")
            assert "已确认（审核人乙" in items.nth(0).locator(".decision").inner_text()
            assert page.locator("#n-confirmed").inner_text() == "已确认 2 条"
            confirmed = {items.nth(i).get_attribute("data-id") for i in (0, 1)}
            expected_pairs = sorted(
                (items.nth(i).locator(".ef b").nth(0).inner_text(), items.nth(i).locator(".ef b").nth(1).inner_text())
                for i in (0, 1)
            )
            shot(page, "document")

            # the letter holds exactly the two confirmed findings
            with page.expect_download() as dl:
                page.click("#dl-letter-docx")
            letter = Document(io.BytesIO(Path(dl.value.path()).read_bytes()))
            body = [[c.text for c in row.cells] for row in letter.tables[0].rows[1:]]
            assert sorted((r[4], r[5]) for r in body) == expected_pairs
            text = "\n".join(p.text for p in letter.paragraphs)
            assert "示例市测试局：" in text and "示例市财政局" in text and "问题确认人：审核人乙" in text

            # re-check this document: the decisions are still there afterwards
            with page.expect_navigation():  # the page reloads once the job is queued …
                page.click("#recheck")
            page.wait_for_selector('.dochead[data-status="done"]', timeout=60_000)  # … and until it is done
            page.wait_for_load_state()
            kept = {page.locator("li.finding").nth(i).get_attribute("data-id"): page.locator("li.finding").nth(i).get_attribute("data-decision") for i in range(3)}
            assert {k for k, v in kept.items() if v == "confirmed"} == confirmed
            assert sorted(kept.values()) == ["confirmed", "confirmed", "dismissed"]

            # the list shows the review state
            page.goto(server + "/")
            row = page.locator(f'#jobs tr[data-id="{doc_id}"]')
            assert row.get_attribute("data-review") == "reviewed" and "已审核（3/3）" in row.inner_text()

            # read-only: sees the document, no buttons, and the server refuses a decision
            page.click("form.logout button")
            page.wait_for_url("**/login")
            _login(page, server, "只读丁")
            page.wait_for_url(server + "/")
            assert page.locator("#upload-form").count() == 0
            page.goto(f"{server}/documents/{doc_id}")
            assert page.locator(".act-confirm").count() == 0
            status = page.evaluate(
                """async (fid) => {
                    const csrf = document.querySelector('meta[name="csrf-token"]').content;
                    const r = await fetch('/api/findings/' + fid + '/decision', {method: 'POST',
                        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
                        body: JSON.stringify({decision: 'dismissed', reason: '试图改动'})});
                    return [r.status, (await r.json()).detail];
                }""",
                sorted(confirmed)[0],
            )
            assert status == [403, "只读用户不能进行此操作"]

            # the API documentation with every request that leaves the server blocked
            outside: list[str] = []

            def guard(route: Any) -> None:
                if route.request.url.startswith(server):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            page.goto(server + "/docs")
            page.locator(".swagger-ui .info .title").wait_for()
            page.get_by_text("/api/findings/{fid}/decision", exact=True).first.wait_for()
            assert outside == []
            shot(page, "apidocs")
            page.unroute("**/*")

            # five wrong passwords: the sixth try is refused even with the right one
            ctx2 = browser.new_context(locale="zh-CN")
            p2 = ctx2.new_page()
            for _ in range(5):
                _login(p2, server, "审核人丙", "wrong-password")
                assert "用户名或密码不正确" in p2.locator("#login-error").inner_text()
            _login(p2, server, "审核人丙")
            assert "暂时锁定" in p2.locator("#login-error").inner_text()
            ctx2.close()
        finally:
            browser.close()
    assert all(p.stat().st_size > 10_000 for p in shots)
    if os.environ.get("JUESUAN_UPDATE_SCREENSHOT") == "1":
        for p in shots:
            shutil.copyfile(p, SHOTS / p.name)
