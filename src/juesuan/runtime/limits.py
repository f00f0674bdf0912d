"""The budgets every input is held to, in one place: how large a file, how many pages, how large a
page to render and at how many pixels, how long a text, how many rows in a sheet, how deep a web
page's nesting, how much a zip may unpack to.

Each budget is checked before the work it bounds (a page is measured before it is rendered, a
text's lines counted before they are split), and a file over it is refused with a Chinese message
naming the budget and the environment variable that sets it (:func:`over_budget`). The defaults
fit a worker of 2 cores and 4 GB serving a few documents at a time; real disclosures stay far
below every one of them (a few hundred pages of A4, a few thousand lines, sheets of a few hundred
rows, pages nested a few dozen elements deep).

The web server's own bounds (render memory and time, request read timeouts, the graceful stop's
wait) live here too, set the same way.

The values are read from the environment at each use, so a server or a test can change them
without a restart. A value that is not a positive number falls back to the default.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

__all__ = [
    "A4_AREA",
    "LIMITS",
    "Limit",
    "over_budget",
    "page_area_message",
    "render_scale",
]

# The area of an A4 page in square points (595 x 842): page areas are told in A4 pages.
A4_AREA = 595.0 * 842.0


@dataclass(frozen=True)
class Limit:
    """One budget: its environment variable, default, and what it counts (for messages)."""

    env: str
    default: float
    what: str  # the thing measured, in Chinese (文件大小, 页数 …)
    unit: str  # the unit a message gives the numbers in (MB, 页 …)

    def value(self) -> float:
        """The budget in force: the environment's value when it is a positive number."""
        raw = os.environ.get(self.env)
        if raw is None:
            return self.default
        try:
            v = float(raw)
        except ValueError:
            return self.default
        return v if v > 0 and math.isfinite(v) else self.default

    def count(self) -> int:
        """The budget as a whole count (pages, lines, rows)."""
        return max(1, int(self.value()))


class _Limits:
    """The budgets by name; see the module docstring."""

    # every file read (checked from its size before a byte is read)
    file_mb = Limit("JUESUAN_MAX_FILE_MB", 200, "文件大小", "MB")
    # pages of a PDF read for its text layer (a real disclosure has at most a few hundred)
    pages = Limit("JUESUAN_MAX_PAGES", 1000, "页数", "页")
    # pages of a PDF read by OCR (several seconds each)
    ocr_pages = Limit("JUESUAN_MAX_OCR_PAGES", 150, "需要文字识别的扫描页数", "页")
    # the area of one page to be rendered (OCR, report crops, page images), in A4 pages; a page
    # larger than this is not rendered at all
    page_area_a4 = Limit("JUESUAN_MAX_PAGE_A4", 16, "页面面积", "个 A4 页面")
    # pixels of one rendered page, in millions: a larger page is rendered at a lower resolution
    render_mpx = Limit("JUESUAN_MAX_RENDER_MPX", 20, "渲染像素", "百万像素")
    # characters and lines of a text file
    text_chars = Limit("JUESUAN_MAX_TEXT_CHARS", 20_000_000, "文本长度", "个字符")
    text_lines = Limit("JUESUAN_MAX_TEXT_LINES", 100_000, "文本行数", "行")
    # rows of one worksheet (xlsx, xls)
    sheet_rows = Limit("JUESUAN_MAX_SHEET_ROWS", 50_000, "工作表行数", "行")
    # nesting depth of a web page's elements
    html_depth = Limit("JUESUAN_MAX_HTML_DEPTH", 600, "网页元素嵌套层数", "层")
    # what the parts of a zip (docx, xlsx, a zip of web pages) unpack to, and how many parts
    unpacked_mb = Limit("JUESUAN_MAX_UNPACKED_MB", 300, "解压后大小", "MB")
    zip_parts = Limit("JUESUAN_MAX_ZIP_PARTS", 20_000, "压缩包内文件数", "个")
    # the web server: memory a render of page images and reports may take beyond what its
    # process holds when it starts (the area and pixel budgets keep a real page far below it;
    # this bounds what they cannot foresee: a report of hundreds of crops, a page's content),
    # and how long it may take
    render_mb = Limit("JUESUAN_MAX_RENDER_MB", 1024, "渲染所需内存", "MB")
    render_seconds = Limit("JUESUAN_RENDER_SECONDS", 120, "渲染时间", "秒")
    # the web server: how long a client may take to send a request's headers, to send the next
    # piece of its body, and its whole body (a client that sends a byte at a time holds a
    # connection no longer than these)
    header_seconds = Limit("JUESUAN_HEADER_SECONDS", 10, "请求头读取时间", "秒")
    body_idle_seconds = Limit("JUESUAN_BODY_IDLE_SECONDS", 30, "请求体停顿时间", "秒")
    body_seconds = Limit("JUESUAN_BODY_SECONDS", 600, "请求体读取时间", "秒")
    # the web server: how long a graceful stop (SIGTERM) waits for running jobs before it stops
    # them and leaves them queued for the next start
    stop_grace_seconds = Limit("JUESUAN_STOP_GRACE_SECONDS", 20, "停止前等待处理完成的时间", "秒")


LIMITS = _Limits()


def _num(v: float) -> str:
    return f"{v:,.0f}" if v >= 10 or v == int(v) else f"{v:.1f}"


def over_budget(limit: Limit, found: float, *, budget: float | None = None) -> str:
    """The Chinese message for a file over a budget: what was found, the budget, and how to raise
    it (``budget``: the bound compared against when it is not ``limit.value()`` itself)."""
    b = limit.value() if budget is None else budget
    return (
        f"{limit.what}超出上限（{_num(found)} {limit.unit}，上限 {_num(b)} {limit.unit}；"
        f"可用环境变量 {limit.env} 调整）"
    )


def render_scale(width_pt: float, height_pt: float, scale: float) -> float | None:
    """The pixels per point to render a page of this size at: ``scale``, lowered so the picture
    stays within the pixel budget; None when the page is larger than the area budget (or has no
    finite size) and must not be rendered."""
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)) or width_pt <= 0 or height_pt <= 0:
        return None
    if width_pt * height_pt > LIMITS.page_area_a4.value() * A4_AREA:
        return None
    pixels = LIMITS.render_mpx.value() * 1e6
    if width_pt * height_pt * scale * scale > pixels:
        scale = math.sqrt(pixels / (width_pt * height_pt))
    return scale


def page_area_message(width_pt: float, height_pt: float) -> str:
    """The message for a page too large to render (its size in A4 pages and in centimetres)."""
    area = width_pt * height_pt / A4_AREA if math.isfinite(width_pt * height_pt) else float("inf")
    cm = 2.54 / 72
    size = f"{width_pt * cm:,.0f} × {height_pt * cm:,.0f} 厘米"
    return f"页面过大（{size}）：" + over_budget(LIMITS.page_area_a4, area)
