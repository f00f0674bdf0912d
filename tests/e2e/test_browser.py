"""End to end in real headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright;
Playwright's own browser download is never used): upload a PDF, see the findings, click one and
see its page and box highlighted, download the HTML and XLSX reports.

The first test replaces the reading step with a fixed disclosure (the web layer alone); the
second runs the real readers and rules on a sample PDF and a seed TXT.
``JUESUAN_UPDATE_SCREENSHOT=1`` copies the second test's screenshot of the document view (a real
sample) to ``docs/screenshots/web-document.png``."""

from __future__ import annotations

import io
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (conftest, web_fixtures)

from browser_support import serving, until  # noqa: E402
from conftest import ROOT, sample, seed  # noqa: E402
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
    with serving(create_app(Settings(data_dir=tmp_path / "data", processor=fake_process, timeout=60))) as base:
        yield base


def _wait_image(page: Any, pno: int) -> None:
    """Wait until page ``pno``'s image has loaded."""
    until(page, f"(i => i && i.complete && i.naturalWidth > 0)(document.querySelector('#page-{pno} img'))")


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
            assert page.locator("h1").first.inner_text() == "上传预算、决算公开文件"
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
            _wait_image(page, 14)
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


@pytest.fixture
def real_server(tmp_path: Path) -> Iterator[str]:
    """The server with the real readers and rules (``process_file``)."""
    with serving(create_app(Settings(data_dir=tmp_path / "real", timeout=180))) as base:
        yield base


def _text_under(pdf_path: Path, page_no: int, box: dict[str, float], img: dict[str, float], inset: float) -> str:
    """The PDF text under a box drawn over a page image (screen pixels → PDF points)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        page = pdf[page_no - 1]
        w, h = page.get_size()
        sx, sy = w / img["width"], h / img["height"]
        x0 = (box["x"] + inset - img["x"]) * sx
        x1 = (box["x"] + box["width"] - inset - img["x"]) * sx
        top = (box["y"] + inset - img["y"]) * sy
        bottom = (box["y"] + box["height"] - inset - img["y"]) * sy
        return "".join(page.get_textpage().get_text_bounded(x0, h - bottom, x1, h - top).split())
    finally:
        pdf.close()


@pytest.mark.slow
def test_real_sample_and_seed_through_the_page(real_server: str, tmp_path: Path) -> None:
    """The real readers behind the page: a sample PDF and a seed TXT uploaded together; a
    sentence finding and a cell finding each highlight exactly their words on the page image."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (scripts/setup installs it when run as root)")
    pw_sync = pytest.importorskip("playwright.sync_api")
    import httpx

    pdf = sample("shanghai-putuo-planning-2024.pdf")
    txt = seed("000_28fcffc144f7be8d.txt")
    with pw_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True, locale="zh-CN")
            page = ctx.new_page()
            page.set_default_timeout(120_000)
            page.goto(real_server + "/")
            page.set_input_files("#file-input", [str(pdf), str(txt)])
            page.click("#upload-form button[type=submit]")
            page.locator('#jobs tr[data-status="done"]').nth(1).wait_for()
            assert page.locator('#jobs tr[data-status="failed"]').count() == 0
            docs = {d["filename"]: d for d in httpx.get(real_server + "/api/documents").json()["documents"]}
            pdf_id, txt_id = docs[pdf.name]["id"], docs[txt.name]["id"]
            api = httpx.get(f"{real_server}/api/documents/{pdf_id}").json()
            findings = api["findings"]
            assert page.locator(f'#jobs tr[data-id="{pdf_id}"] td.n-error').inner_text() == str(api["summary"]["error"])

            page.locator(f'#jobs tr[data-id="{pdf_id}"] a').click()
            page.wait_for_url(f"**/documents/{pdf_id}")
            items = page.locator("li.finding")
            assert items.count() == len(findings) >= 10
            # 提示 are hidden until the switch is on; every other finding's boxes are drawn already
            infos = page.locator('li.finding[data-severity="info"]')
            assert infos.count() >= 1 and not any(infos.nth(i).is_visible() for i in range(infos.count()))
            assert page.locator("#pages .box.sev-error").first.is_visible()
            page.check("#show-info")
            assert all(infos.nth(i).is_visible() for i in range(infos.count()))

            # a finding that quotes a sentence and names a cell: both highlighted where printed
            target = next(
                f for f in findings
                if any(r.get("text") and not r.get("column") and (r.get("loc") or {}).get("bbox") for r in f["locations"])
                and any(r.get("column") and (r.get("loc") or {}).get("bbox") for r in f["locations"])
            )
            li = page.locator(f'li.finding[data-rule="{target["rule_id"]}"]').filter(has_text=target["message"][:20]).first
            li.click()
            n = li.get_attribute("data-f")
            assert "active" in (li.get_attribute("class") or "")
            for ref in target["locations"]:
                loc = ref.get("loc") or {}
                if not loc.get("bbox"):
                    continue
                pno = loc["page"]
                boxes = page.locator(f'#page-{pno} .box.on[data-f="{n}"]')
                assert boxes.count() >= 1
                pg = page.locator(f"#page-{pno}")
                pg.scroll_into_view_if_needed()
                _wait_image(page, pno)
                img = pg.locator("img").bounding_box()
                assert img is not None
                under = "".join(
                    _text_under(pdf, pno, b, img, inset=5.5) for b in (boxes.nth(i).bounding_box() for i in range(boxes.count())) if b
                )
                if ref.get("column"):  # the cell's printed amount, nothing else
                    assert ref["value"].replace(",", "") in under.replace(",", ""), (ref, under)
                else:  # the sentence's own words, not its whole paragraph
                    want = "".join(ref["text"].split())
                    assert want[:10] in under and len(under) < len(want) + 12, (want, under)
            # a place in the finding's list of places brings its page's box into view
            cell_page = next(r["loc"]["page"] for r in target["locations"] if r.get("column"))
            page.locator(f"#page-{next(r['loc']['page'] for r in target['locations'] if not r.get('column'))}").scroll_into_view_if_needed()
            li.locator(f'ul.locs li.goto[data-page="{cell_page}"]').first.click()
            time.sleep(0.4)
            pane = page.locator("#pages").bounding_box()
            box = page.locator(f'#page-{cell_page} .box.on[data-f="{n}"]').first.bounding_box()
            assert pane and box and pane["y"] <= box["y"] <= pane["y"] + pane["height"], (pane, box)
            assert "active" in (li.get_attribute("class") or "")
            shot = tmp_path / "web-document-real.png"
            page.screenshot(path=str(shot))

            # filters: by severity, then by rule
            sev = target["severity"]
            other = "info" if sev != "info" else "error"
            page.select_option("#f-sev", other)
            assert li.is_hidden()
            visible = [i for i in range(items.count()) if items.nth(i).is_visible()]
            assert len(visible) == sum(1 for f in findings if f["severity"] == other)
            page.select_option("#f-sev", "")
            page.select_option("#f-rule", target["rule_id"])
            assert li.is_visible()
            assert all(items.nth(i).get_attribute("data-rule") == target["rule_id"] for i in range(items.count()) if items.nth(i).is_visible())

            # downloads
            with page.expect_download() as dl:
                page.click("#dl-html")
            html = Path(dl.value.path()).read_text(encoding="utf-8")
            assert html.count('<article class="finding') == len(findings)
            assert html.count('<figure class="crop">') >= len(findings) and "src=\"http" not in html
            with page.expect_download() as dl:
                page.click("#dl-xlsx")
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
            assert wb["问题清单"].max_row == 1 + len(findings)
            assert wb["全部单元格"].max_row > 100

            # the seed TXT: no page images; a click shows its table or paragraph with the places marked
            page.goto(f"{real_server}/documents/{txt_id}")
            assert page.locator(".page").count() == 0
            titems = page.locator("li.finding")
            assert titems.count() >= 20
            page.check("#show-info")  # the seed's table findings that remain are 提示 (尾数)
            cell_item = page.locator('li.finding[data-rule^="T"], li.finding[data-rule^="X"]').first
            cell_item.click()  # its table beside the findings, its cells marked
            hl = page.locator("#tablepane .xtable:not([hidden]) td.hl")
            assert hl.count() >= 1 and hl.first.is_visible()
            sent_item = page.locator('li.finding[data-rule^="N"]').first
            sent_item.click()  # its sentence, marked in its paragraph
            said = page.locator(f'#tablepane .xlines[data-f="{sent_item.get_attribute("data-f")}"]')
            assert said.is_visible() and said.locator("mark").count() >= 1
            assert page.locator("#dl-pdf").count() == 0  # no annotated PDF for a text input
        finally:
            browser.close()
    assert shot.stat().st_size > 50_000
    if os.environ.get("JUESUAN_UPDATE_SCREENSHOT") == "1":  # refresh the one in docs/
        shutil.copyfile(shot, SCREENSHOT)
