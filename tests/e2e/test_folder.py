"""A reviewer drops a whole folder into the web app, in real headless Chromium with the REAL
readers and rules (test_desk.py walks the desk with a fixed reading): the seeds, the Shanghai
samples and the fourteen Jiangsu budgets in a sub-folder go up through the folder input, every
job ends, the four Jiangsu disclosures published as a narrative file and a tables file are one
row each, checked as one with the counts ``juesuan check --as-one`` gives for the same two files;
one of them opened shows both files' pages and a finding's boxes on each, and is linked with last
year's disclosure as a whole (the pair view shows both files of each year); a selected row is
deleted. Skipped cleanly without ../shared or without Chromium.

``JUESUAN_UPDATE_SCREENSHOT=1`` copies the screenshots to docs/screenshots/web-folder-*.png."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (conftest, browser_support)

from browser_support import serving, until  # noqa: E402
from conftest import ROOT, SAMPLES, SEEDS  # noqa: E402
from juesuan.api import check_as_one  # noqa: E402
from juesuan.web.app import Settings, create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SHOTS = ROOT / "docs" / "screenshots"
JIANGSU = SAMPLES / "jiangsu-budget"
PAIRS = ["cppcc-office-2017", "cppcc-office-2018", "party-office-2017", "party-office-2018"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The folder a reviewer would pick: the seeds and samples, the Jiangsu budgets beneath."""
    if not (SEEDS.is_dir() and JIANGSU.is_dir()):
        pytest.skip(f"{SAMPLES.parent} is absent (the shared folder is not beside this checkout)")
    top = tmp_path / "收到的公开文件"
    (top / "江苏预算").mkdir(parents=True)
    for p in sorted(SEEDS.iterdir()) + sorted(SAMPLES.glob("*.pdf")):
        shutil.copyfile(p, top / p.name)
    for p in sorted(JIANGSU.glob("*.pdf")):
        shutil.copyfile(p, top / "江苏预算" / p.name)
    return top


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with serving(create_app(Settings(data_dir=tmp_path / "data", timeout=180, workers=2))) as base:
        yield base


def _rows(page: Any) -> list[dict[str, str]]:
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('#jobs tbody tr[data-id]')).map(tr => ({
                id: tr.dataset.id, filename: tr.dataset.filename, status: tr.dataset.status, parts: tr.dataset.parts,
                part: tr.dataset.part, error: tr.dataset.n_error, warning: tr.dataset.n_warning, info: tr.dataset.n_info}))"""
        )
    )


def _settled(page: Any, n: int, seconds: float) -> list[dict[str, str]]:
    """The list once it has ``n`` rows, all finished, and stays so for two refreshes."""
    end = time.monotonic() + seconds
    stable = 0
    while True:
        rows = _rows(page)
        done = len(rows) == n and all(r["status"] in ("done", "failed") for r in rows)
        stable = stable + 1 if done else 0
        if stable >= 3:
            return rows
        assert time.monotonic() < end, f"the list did not settle: {rows}"
        time.sleep(1)


def test_upload_a_folder_with_the_real_readers(folder: Path, server: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (scripts/setup installs it when run as root)")
    pw_sync = pytest.importorskip("playwright.sync_api")
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) == 20
    expected = {}
    for name in PAIRS:
        paths = [JIANGSU / f"jiangsu-{name}-budget-{part}.pdf" for part in ("narrative", "tables")]
        expected[" + ".join(p.name for p in paths)] = check_as_one(paths).counts()
    shots: list[Path] = []
    with pw_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1500, "height": 950}, locale="zh-CN")
            page = ctx.new_page()
            page.set_default_timeout(30_000)
            page.goto(server + "/")
            page.set_input_files("#folder-input", str(folder))
            page.click("#upload-form button[type=submit]")
            # every file goes up and is checked; the parts of each Jiangsu pair become one row
            rows = _settled(page, 20 - len(PAIRS), 240)
            until(page, "document.getElementById('upload-summary').dataset.done === '1'", 30)
            assert page.locator("#upload-summary").inner_text() == "本次上传 20 个文件，已处理 20 个，全部完成。"
            assert all(r["status"] == "done" for r in rows), rows
            grouped = {r["filename"]: r for r in rows if r["parts"] == "2"}
            assert sorted(grouped) == sorted(expected)
            for name, counts in expected.items():
                r = grouped[name]
                assert {"error": int(r["error"]), "warning": int(r["warning"]), "info": int(r["info"])} == counts, name
            assert {r["parts"] for r in rows if r["filename"] not in grouped} == {"0"}
            badges = page.locator("#jobs .parts").all_inner_texts()
            assert badges == ["由 2 个文件合并核对"] * 4
            # a part's upload message follows its group
            msgs = page.locator("#upload-status li").all_inner_texts()
            assert sum("合并核对" in m for m in msgs) == 8, msgs
            page.locator("#jobs").scroll_into_view_if_needed()
            p = tmp_path / "web-folder-list.png"
            page.screenshot(path=str(p), full_page=True)
            shots.append(p)

            # open the CPPCC 2018 budget: both files, their pages, a finding across them
            name = "jiangsu-cppcc-office-2018-budget-narrative.pdf + jiangsu-cppcc-office-2018-budget-tables.pdf"
            page.locator(f'#jobs tr[data-filename="{name}"] a').click()
            page.wait_for_url("**/documents/*")
            note = page.locator("#parts-note").inner_text()
            assert note.startswith("由 2 个文件合并核对") and "jiangsu-cppcc-office-2018-budget-tables.pdf（表格" in note
            counts = expected[name]
            assert page.locator(".findings .summary .sev-error").inner_text() == f"错误 {counts['error']}"
            assert page.locator("li.finding").count() == sum(counts.values())
            n_pages = len(page.locator("#pages .page").all())
            first_table_page = int(page.locator("#parts-note li").nth(1).inner_text().split("即下方第 ")[1].split("–")[0])
            assert 1 < first_table_page <= n_pages
            n004 = page.locator('li.finding[data-rule="N-004"]')
            n004.click()
            f = n004.get_attribute("data-f")
            table_page = first_table_page + 10  # the tables file's page 11
            assert page.locator(f'#page-15 .box.on[data-f="{f}"]').count() >= 1
            assert page.locator(f'#page-{table_page} .box.on[data-f="{f}"]').count() >= 1
            assert "jiangsu-cppcc-office-2018-budget-tables.pdf》第 11 页" in page.locator(f"#page-{table_page} .pno").inner_text()
            n004.locator(f'ul.locs li.goto[data-page="{table_page}"]').click()
            until(page, f"(i => i && i.complete && i.naturalWidth > 0)(document.querySelector('#page-{table_page} img'))", 30)
            page.evaluate("() => window.scrollTo(0, 0)")  # the page's header in view, the panes as they are
            time.sleep(0.3)
            p = tmp_path / "web-folder-document.png"
            page.screenshot(path=str(p))
            shots.append(p)

            # linked as a whole with last year's disclosure (its group, never one of its files);
            # the pair view shows both groups, each with both files' pages labelled by file
            last = name.replace("2018", "2017")
            rel = page.locator("#related .rel")
            assert rel.count() == 1 and rel.inner_text().startswith(f"上年预算 {last}")
            rel.locator("a.pair-link").click()
            page.wait_for_url("**/pairs/*/*")
            cols = page.locator(".paircol")
            assert cols.count() == 2
            for i, group in enumerate((last, name)):
                labels = cols.nth(i).locator(".page .pno").all_inner_texts()
                for file in group.split(" + "):
                    assert f"《{file}》第 1 页" in labels, (file, labels)
                n_tables = sum(lab.startswith(f"《{group.split(' + ')[1]}》") for lab in labels)
                assert 0 < n_tables < len(labels)
            first = cols.nth(0).locator(".page").nth(0).get_attribute("id")
            until(page, f"(i => i && i.complete && i.naturalWidth > 0)(document.querySelector('#{first} img'))", 30)
            p = tmp_path / "web-folder-pair.png"
            page.screenshot(path=str(p))
            shots.append(p)

            # select a row and delete it (the browser asks first)
            page.goto(server + "/")
            template = page.locator('#jobs tr[data-filename="shanghai-template-2024.pdf"]')
            template.locator("input.pick").check()
            page.once("dialog", lambda d: d.accept())
            page.click("#delete-selected")
            until(page, "document.getElementById('bulk-status').dataset.done === '1'", 30)
            assert page.locator("#bulk-status").inner_text() == "已删除 1 个"
            until(page, "!document.querySelector('#jobs tr[data-filename=\"shanghai-template-2024.pdf\"]')", 10)
            assert len(_rows(page)) == 20 - len(PAIRS) - 1
        finally:
            browser.close()
    assert all(p.stat().st_size > 10_000 for p in shots)
    if os.environ.get("JUESUAN_UPDATE_SCREENSHOT") == "1":
        for p in shots:
            shutil.copyfile(p, SHOTS / p.name)
