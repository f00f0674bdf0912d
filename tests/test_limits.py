"""The input budgets (runtime/limits.py): each configurable, each checked before its work, each
refusal a Chinese message naming the file, the budget and its variable."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from abuse_inputs import _xlsx, huge_mediabox_pdf, pdf
from juesuan.ingest import InputError, read_data
from juesuan.runtime.limits import A4_AREA, LIMITS, over_budget, render_scale


def test_a_budget_is_read_from_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LIMITS.pages.count() == 1000
    monkeypatch.setenv("JUESUAN_MAX_PAGES", "12")
    assert LIMITS.pages.count() == 12
    for bad in ("", "abc", "-3", "0", "nan", "inf"):
        monkeypatch.setenv("JUESUAN_MAX_PAGES", bad)
        assert LIMITS.pages.count() == 1000, bad  # not a positive number: the default


def test_message_names_what_the_budget_and_the_variable() -> None:
    msg = over_budget(LIMITS.sheet_rows, 300_000)
    assert msg == "工作表行数超出上限（300,000 行，上限 50,000 行；可用环境变量 JUESUAN_MAX_SHEET_ROWS 调整）"


def test_render_scale() -> None:
    assert render_scale(595, 842, 2.0) == 2.0  # A4: as asked
    assert render_scale(595 * 4, 842 * 4, 150 / 72) is not None  # 16 A4 pages: within the area budget
    assert render_scale(1e7, 1e7, 2.0) is None  # over it: not rendered at all
    assert render_scale(float("inf"), 10, 2.0) is None and render_scale(0, 10, 2.0) is None
    s = render_scale(595 * 4, 842 * 4, 150 / 72)
    assert s is not None and s < 150 / 72  # lowered to stay within the pixel budget
    assert math.isclose(16 * A4_AREA * s * s, LIMITS.render_mpx.value() * 1e6, rel_tol=1e-9)


def test_report_crops_skip_a_page_too_large_and_page_images_say_why() -> None:
    from juesuan.report.crops import PageRenderer

    r = PageRenderer(huge_mediabox_pdf(), scale=2.0, name="huge.pdf")
    try:
        assert r.crop(1, [(10.0, 10.0, 200.0, 40.0)]) is None  # no picture, no MemoryError
        with pytest.raises(InputError) as e:
            r.page_png(1)
        assert e.value.message.startswith("huge.pdf（第 1 页）：页面过大") and "JUESUAN_MAX_PAGE_A4" in e.value.message
        crop = r.crop(2, [(72.0, 60.0, 300.0, 80.0)])  # the A4 page beside it renders as before
        assert crop is not None and crop.png.startswith(b"\x89PNG")
    finally:
        r.close()


def test_page_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_MAX_PAGES", "2")
    with pytest.raises(InputError) as e:
        read_data("three.pdf", pdf([(595, 842, "text")] * 3))
    assert e.value.code == "too_large" and "页数超出上限（3 页，上限 2 页" in e.value.message


def test_text_length_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_MAX_TEXT_CHARS", "100")
    with pytest.raises(InputError) as e:
        read_data("long.txt", "某部门2023年度部门决算，收入合计100万元。".encode() * 20)
    assert e.value.code == "too_large" and "文本长度超出上限" in e.value.message and e.value.path == "long.txt"


def test_sheet_row_budget_before_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_MAX_SHEET_ROWS", "10")
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 12))
    with pytest.raises(InputError) as e:
        read_data("big.xlsx", _xlsx(rows))
    assert "工作表行数超出上限（11 行，上限 10 行" in e.value.message


def test_unpacked_size_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_MAX_UNPACKED_MB", "0.001")  # about 1 KB
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 100))
    with pytest.raises(InputError) as e:
        read_data("packed.xlsx", _xlsx(rows))
    assert "解压后大小超出上限" in e.value.message and "JUESUAN_MAX_UNPACKED_MB" in e.value.message


def test_html_depth_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from abuse_inputs import deep_html

    monkeypatch.setenv("JUESUAN_MAX_HTML_DEPTH", "50")
    with pytest.raises(InputError) as e:
        read_data("deep.html", deep_html(60))
    assert e.value.code == "too_deep" and "网页元素嵌套层数超出上限" in e.value.message


def test_a_folder_page_is_held_to_the_file_budget(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from abuse_inputs import deep_html
    from juesuan.ingest import read

    (tmp_path / "page1.html").write_bytes(deep_html(0))
    (tmp_path / "page2.html").write_bytes(deep_html(0) + b" " * 3000)
    monkeypatch.setenv("JUESUAN_MAX_FILE_MB", "0.002")  # about 2 KB
    with pytest.raises(InputError) as e:
        read(tmp_path)
    assert e.value.path.endswith("page2.html") and "文件大小超出上限" in e.value.message
