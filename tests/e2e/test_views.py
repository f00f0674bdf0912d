"""The document view, the pair view and the organisation editor walked in real headless Chromium
(Debian's ``/usr/bin/chromium`` driven by Playwright, as test_desk.py).

The administrator builds the organisation tree in the page (add, rename, move), uploads two real
Jiangsu budgets of one department (2017 and 2018, read and checked by the real readers and
rules) and a 决算 with the same year's budget (the test reader), opens the 2018 budget: every
finding's boxes on the pages, 提示 hidden until the switch is flipped, a cross-document finding
selected shows its cell in the extracted table beside the page; opens the pair view from the
document and from the matrix: both documents' pages side by side, the finding's box and cell on
each, confirms it there and finds it confirmed on the other document's page; deletes a unit that
has documents (refused until they are moved). ``JUESUAN_UPDATE_SCREENSHOT=1`` copies the
screenshots to docs/screenshots/views-*.png.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (conftest, web_fixtures)

from browser_support import serving, until  # noqa: E402
from conftest import ROOT, SAMPLES  # noqa: E402
from juesuan.web.app import Settings, create_app  # noqa: E402
from test_web_accounts import PASSWORDS, add_users  # noqa: E402
from test_web_related import B24  # noqa: E402
from test_web_review import spec_bytes  # noqa: E402
from web_fixtures import mixed_process  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = ROOT / "docs" / "screenshots"
JIANGSU = SAMPLES / "jiangsu-budget"
BUDGETS = [JIANGSU / f"jiangsu-procuratorate-{y}-budget.pdf" for y in (2017, 2018)]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    if not all(p.exists() for p in BUDGETS):
        pytest.skip("the shared Jiangsu budgets are absent")
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (scripts/setup installs it when run as root)")
    add_users(tmp_path / "data" / "juesuan.duckdb", ["管理员甲"])
    app = create_app(Settings(data_dir=tmp_path / "data", processor=mixed_process, timeout=240))
    with serving(app) as base:
        yield base


def _inside(page: Any, selector: str, pane: str) -> bool:
    """Whether the element is visible within its scrolling pane."""
    el, box = page.locator(selector).first.bounding_box(), page.locator(pane).first.bounding_box()
    return bool(el and box and box["y"] - 1 <= el["y"] and el["y"] + el["height"] <= box["y"] + box["height"] + 1)


LOADED = ("Array.from(document.querySelectorAll('.box.on')).every(b => "
          "{ const i = b.parentElement.querySelector('img'); return i.complete && i.naturalWidth > 0; })")


def _save_row(page: Any, code: str, **fields: str) -> None:
    row = page.locator(f'#org-tree tr[data-code="{code}"]')
    for k, v in fields.items():
        row.locator(f'input[name="{k}"]').fill(v)
    row.locator(".org-save").click()
    page.wait_for_selector(f'#org-tree tr[data-code="{fields.get("code", code)}"] .msg[data-done="1"]')
    page.wait_for_load_state()
    page.wait_for_timeout(700)  # the page reloads after a change
    page.wait_for_selector("#org-tree")


def test_views_walk(server: str, tmp_path: Path) -> None:
    pw_sync = pytest.importorskip("playwright.sync_api")
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "测试局2024年部门决算.txt").write_bytes(spec_bytes())
    (folder / "测试局2024年部门预算.txt").write_bytes(spec_bytes(B24))
    shots: list[Path] = []

    def shot(page: Any, name: str) -> None:
        p = tmp_path / f"views-{name}.png"
        page.screenshot(path=str(p))
        shots.append(p)

    with pw_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
            page = ctx.new_page()
            page.set_default_timeout(30_000)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server + "/login")
            page.fill('input[name="name"]', "管理员甲")
            page.fill('input[name="password"]', PASSWORDS["管理员甲"])
            page.click("#login-form button[type=submit]")
            page.wait_for_url(server + "/")

            # the organisation tree built in the page
            page.goto(server + "/organizations")
            for name, code, parent in (("江苏省", "JS", ""), ("江苏省人民检察院", "JS-01", "JS"), ("示例市测试局", "001", ""),
                                       ("临时单位", "TMP", "")):  # fmt: skip
                page.fill('#org-add input[name="name"]', name)
                page.fill('#org-add input[name="code"]', code)
                page.fill('#org-add input[name="parent"]', parent)
                page.click("#org-add button[type=submit]")
                page.wait_for_selector(f'#org-tree tr[data-code="{code}"]')
            page.fill('#org-add input[name="name"]', "重复编码")
            page.fill('#org-add input[name="code"]', "001")
            page.click("#org-add button[type=submit]")
            until(page, "document.getElementById('org-add-status').textContent.indexOf('已被其他单位使用') >= 0")
            _save_row(page, "JS", name="江苏省省级部门")  # rename
            _save_row(page, "TMP", parent="001")  # move under another unit
            row = page.locator('#org-tree tr[data-code="TMP"] td').first
            assert row.get_attribute("style") == "padding-left: 26px"  # one level down
            page.locator('#org-tree tr[data-code="JS"] input[name="parent"]').fill("JS-01")
            page.locator('#org-tree tr[data-code="JS"] .org-save').click()  # under its own unit: refused
            until(page, "document.querySelector('#org-tree tr[data-code=\"JS\"] .msg').textContent.indexOf('下级单位') >= 0")
            assert page.locator('#matrix tr[data-code="JS"] td').first.inner_text() == "江苏省省级部门"

            # upload the two budgets and the 决算 with its budget
            page.goto(server + "/")
            page.set_input_files("#file-input", [str(p) for p in BUDGETS] + [str(p) for p in sorted(folder.iterdir())])
            page.click("#upload-form button[type=submit]")
            until(page, "document.querySelectorAll('#upload-status li[data-status=\"done\"]').length === 4", 120)
            page.locator('#jobs tr[data-filename="jiangsu-procuratorate-2018-budget.pdf"] a').click()
            page.wait_for_url("**/documents/*")
            doc18 = page.url.rsplit("/", 1)[-1]

            # every finding's boxes; 提示 hidden until the switch is on
            assert page.locator("#pages .page").count() == 31
            infos = page.locator('li.finding[data-severity="info"]')
            assert infos.count() == 4 and all(infos.nth(i).is_hidden() for i in range(4))
            assert page.locator("#pages.hide-info").count() == 1 and page.locator('[data-info="hidden"]').count() == 1
            page.check("#show-info")
            assert all(infos.nth(i).is_visible() for i in range(4)) and page.locator("#pages.hide-info").count() == 0
            page.uncheck("#show-info")
            assert infos.nth(0).is_hidden() and page.locator("#pages.hide-info").count() == 1

            # a cross-document finding: its box on the page, its cell in the table beside it
            rel = page.locator("#related .rel")
            assert rel.count() == 1 and "上年预算" in rel.inner_text() and "跨文件问题 2 条" in rel.inner_text()
            cross = page.locator("li.finding.cross").filter(has_text="基本支出")
            cross.click()
            until(page, "document.querySelectorAll('#tablepane .xtable:not([hidden]) td.hl').length === 1")
            assert page.locator("#tablepane td.hl").inner_text() == "13,994.31"
            assert "支出预算总表" in page.locator("#tablepane .xtable:not([hidden]) .snip-title").inner_text()
            assert "与上年相比增加" in page.locator("#tablepane .xlines:not([hidden]) mark").inner_text()
            assert page.locator('#page-24 .box.on').count() >= 1 and _inside(page, "#page-24 .box.on", "#pages")
            assert _inside(page, "#tablepane td.hl", "#tablepane")
            until(page, LOADED)  # the page images under the boxes (loaded when scrolled to)
            shot(page, "document")

            # the pair view, from the document: both pages, box and cell on each
            with page.expect_navigation():
                cross.locator("a.pair-link").click()
            assert "/pairs/" in page.url and page.url.endswith("/" + doc18)
            assert page.locator(".paircol").count() == 2 and page.locator(".paircol .pages").count() == 2
            assert "上下年度预算" in page.locator("#pairhead h1").inner_text()
            item = page.locator("li.finding").filter(has_text="基本支出")
            item.click()
            until(page, "document.querySelectorAll('.tablepane td.hl').length === 2")
            left, right = page.locator(".paircol").nth(0), page.locator(".paircol").nth(1)
            assert left.locator("td.hl").inner_text() == "12,323.48" and right.locator("td.hl").inner_text() == "13,994.31"
            assert left.locator('.page[data-page="11"] .box.on').count() >= 1
            assert right.locator('.page[data-page="24"] .box.on').count() >= 1
            doc17 = left.get_attribute("data-doc")
            assert _inside(page, f'.paircol[data-doc="{doc17}"] .box.on', f'.paircol[data-doc="{doc17}"] .pages')
            assert _inside(page, f'.paircol[data-doc="{doc18}"] .box.on', f'.paircol[data-doc="{doc18}"] .pages')
            item.locator(".act-confirm").click()
            until(page, "document.querySelector('li.finding.dec-confirmed') !== null")
            assert "文件：" not in left.locator(".tablepane").inner_text()  # a rule's note, not the document's words
            assert "与上年相比增加" in right.locator(".xlines:not([hidden]) mark").inner_text()
            until(page, LOADED)
            shot(page, "pair")
            # … and confirmed on the other document's page too
            page.goto(f"{server}/documents/{doc17}")
            mine = page.locator("li.finding.cross").filter(has_text="基本支出")
            assert mine.get_attribute("data-decision") == "confirmed"
            assert mine.locator("ul.locs li.elsewhere a").first.get_attribute("href").startswith(f"/documents/{doc18}#page-24")

            # the matrix links the pairs; a unit with documents is deleted only once they are moved
            page.goto(server + "/organizations")
            link = page.locator('#matrix tr[data-code="JS-01"] td[data-key="2018-预算"] a.pairs')
            assert link.inner_text() == "对比上年（2）"
            assert page.locator('#matrix tr[data-code="001"] td[data-key="2024-决算"] a.pairs').inner_text() == "对比同年预算（1）"
            shot(page, "organizations")
            with page.expect_navigation():
                link.click()
            assert page.url.endswith(f"/pairs/{doc17}/{doc18}")
            page.goto(server + "/organizations")
            row = page.locator('#org-tree tr[data-code="JS-01"]')
            row.locator(".org-delete").click()
            until(page, "!document.querySelector('#org-tree tr[data-code=\"JS-01\"] .move').hidden")
            assert "2 个文件" in row.locator(".msg").inner_text()
            row.locator('input[name="move_to"]').fill("JS")
            row.locator(".org-delete-move").click()
            page.wait_for_selector('#org-tree tr[data-code="JS-01"] .msg[data-done="1"]')
            page.wait_for_timeout(700)
            page.wait_for_selector("#org-tree")
            assert page.locator('#org-tree tr[data-code="JS-01"]').count() == 0
            assert page.locator('#matrix tr[data-code="JS"] td[data-key="2018-预算"] a.pairs').inner_text() == "对比上年（2）"

            # a text input: no page image, the table and the sentence beside the findings
            page.goto(server + "/")
            page.locator('#jobs tr[data-filename="测试局2024年部门决算.txt"] a').click()
            page.wait_for_url("**/documents/*")
            assert page.locator("#pages").count() == 0 and page.locator(".split.two").count() == 1
            page.locator("li.finding").first.click()
            until(page, "document.querySelectorAll('#tablepane td.hl').length >= 1")
            shot(page, "text")
            assert errors == []
        finally:
            browser.close()
    assert all(p.stat().st_size > 10_000 for p in shots)
    if os.environ.get("JUESUAN_UPDATE_SCREENSHOT") == "1":
        for p in shots:
            shutil.copyfile(p, SHOTS / p.name)
