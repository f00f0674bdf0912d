"""The first pages of the annotated PDF: what was found, one line per error and warning with a
link to its page, and the bookmarks (outline) of the findings.

The text is set in the standard Chinese font STSong-Light through the predefined CMap
UniGB-UCS2-H (ISO 32000 9.7.5.2), not embedded: every PDF reader in Chinese use carries it, and
no font file has to be found on the machine that writes the report. Characters outside that
font's character collection are replaced before they are written."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Finding, Metadata, Severity

PAGE_W, PAGE_H = 595.0, 842.0  # A4
MARGIN = 50.0
BODY_SIZE, TITLE_SIZE, HEAD_SIZE = 9.5, 16.0, 11.0
LEADING = 1.45

# Printed in the summary, replaced where the Adobe-GB1 collection has no glyph for them.
_REPLACE = {"−": "-", "≈": "约", "…": "...", "\u00a0": " "}


@dataclass
class Line:
    """One printed line: its text, size and, for a finding, the page it links to (0-based)."""

    text: str
    size: float = BODY_SIZE
    link: int | None = None
    gap: float = 0.0  # extra space above


@dataclass
class Entry:
    """A finding on the summary and in the outline: where it is (0-based page, top in user space)."""

    finding: Finding
    page: int | None
    top: float | None = None
    number: int = 0


@dataclass
class SummaryPage:
    lines: list[tuple[Line, float]] = field(default_factory=list)  # line, baseline y


def pdf_title(name: str, md: Metadata | None) -> str:
    """《…》核对意见: the document's own title when the reader found one, else its department,
    year and kind (江苏省政协办公厅2018年度部门预算), else its file name."""
    base = md.title if md and md.title else None
    if not base and md and md.department:
        base = md.department + (f"{md.year}年度" if md.year else "") + (md.kind.value if md.kind else "")
    base = base or Path(name).stem
    return f"《{base.strip('《》')}》核对意见"


def _clean(text: str) -> str:
    out = []
    for ch in text:
        ch = _REPLACE.get(ch, ch)
        if len(ch) == 1 and (ord(ch) > 0xFFFF or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")):
            ch = " " if ch in "\t\n\r" else "?"
        out.append(ch)
    return "".join(out)


def _width(text: str, size: float) -> float:
    """Advance width: half an em for ASCII (CIDs 1-95 of Adobe-GB1), a full em otherwise."""
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text) * size


def wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    for ch in _clean(text):
        if _width(cur + ch, size) > width and cur:
            lines.append(cur)
            cur = "" if ch == " " else ch
        else:
            cur += ch
    if cur or not lines:
        lines.append(cur)
    return lines


def _finding_text(e: Entry) -> str:
    where = f"第 {e.page + 1} 页" if e.page is not None else "未能定位"
    return f"{e.number}. [{e.finding.severity.zh}] {e.finding.rule_id}（{where}）{e.finding.message}"


def summary_lines(name: str, md: Metadata | None, entries: list[Entry], hidden_info: int, *, offset: int) -> list[Line]:
    """The summary's lines; ``offset`` is the number of summary pages before the document's
    first page (links point at the document's pages after them)."""
    out = [Line(pdf_title(name, md), TITLE_SIZE)]
    facts = []
    if md and md.department:
        facts.append(md.department)
    if md and md.year:
        facts.append(f"{md.year} 年度")
    if md and md.kind:
        facts.append(md.kind.value)
    facts.append(f"文件：{name}")
    out.append(Line("，".join(facts), BODY_SIZE, gap=4))
    errors = [e for e in entries if e.finding.severity is Severity.ERROR]
    warnings = [e for e in entries if e.finding.severity is Severity.WARNING]
    out.append(
        Line(f"错误 {len(errors)} 条，警告 {len(warnings)} 条，提示 {hidden_info} 条（提示为尾数误差等说明，未在页面上标注）。", gap=2)
    )
    out.append(Line("错误（红色）为勾稽关系不成立；警告（橙色）需人工核实。点击一条可跳到它所在的页面，页面上的批注写明应为、实为和计算过程。", gap=2))
    if not entries:
        out.append(Line("未发现错误或警告。", HEAD_SIZE, gap=10))
    for title, group in (("错误", errors), ("警告", warnings)):
        if not group:
            continue
        out.append(Line(f"{title}（{len(group)} 条）", HEAD_SIZE, gap=10))
        for e in group:
            link = e.page + offset if e.page is not None else None
            out.append(Line(_finding_text(e), BODY_SIZE, link=link, gap=3))
    out.append(Line("本页由 juesuan 自动生成，附在原文件之前；原文件的内容未作改动。", 8.0, gap=12))
    return out


def index_lines(docs: list[tuple[str, Metadata | None, dict[str, int], int]], missing: list[str], *, offset: int) -> list[Line]:
    """The first page of a combined annotated PDF: one line per document (department, year, kind,
    counts) linking to its first page (``docs``: name, metadata, counts, 0-based first page
    without the index pages), then the files not included and why."""
    out = [Line(f"决算/预算公开核对意见（{len(docs)} 个文件）", TITLE_SIZE)]
    out.append(Line("每个文件前附一页核对意见摘要；点击一行跳到该文件。", BODY_SIZE, gap=4))
    for n, (name, md, counts, first) in enumerate(docs, 1):
        who = "，".join(
            x for x in (md.department if md else None, f"{md.year} 年度" if md and md.year else None, md.kind.value if md and md.kind else None) if x
        )
        text = f"{n}. {who or name}：错误 {counts['error']} 条，警告 {counts['warning']} 条，提示 {counts['info']} 条（{name}）"
        out.append(Line(text, BODY_SIZE, link=first + offset, gap=4))
    if missing:
        out.append(Line(f"未附入的文件（{len(missing)} 个）", HEAD_SIZE, gap=10))
        out += [Line(m, BODY_SIZE, gap=2) for m in missing]
    return out


def paginate(lines: list[Line]) -> list[SummaryPage]:
    """Lines wrapped to the page width and set from the top, a new page when one is full."""
    pages = [SummaryPage()]
    y = PAGE_H - MARGIN
    wrapped = [
        Line(part, ln.size, ln.link, ln.gap if k == 0 else 0)
        for ln in lines
        for k, part in enumerate(wrap(ln.text, ln.size, PAGE_W - 2 * MARGIN))
    ]
    for ln in wrapped:
        step = ln.size * LEADING + ln.gap
        if y - step < MARGIN and pages[-1].lines:
            pages.append(SummaryPage())
            y = PAGE_H - MARGIN
        y -= step
        pages[-1].lines.append((ln, y))
    return pages


def count_pages(name: str, md: Metadata | None, entries: list[Entry], hidden_info: int) -> int:
    return len(paginate(summary_lines(name, md, entries, hidden_info, offset=0)))


def content_stream(page: SummaryPage) -> bytes:
    ops = ["BT"]
    for ln, y in page.lines:
        hexed = "".join(f"{ord(ch):04X}" for ch in ln.text)
        ops.append(f"/F1 {ln.size:.1f} Tf 1 0 0 1 {MARGIN:.1f} {y:.2f} Tm <{hexed}> Tj")
    ops.append("ET")
    return "\n".join(ops).encode("ascii")


def font_dict(add: Callable[[Any], Any]) -> Any:
    """The Type0 font STSong-Light with the UniGB-UCS2-H encoding (not embedded)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    def n(v: str) -> NameObject:
        return NameObject(v)

    desc = DictionaryObject(
        {
            n("/Type"): n("/FontDescriptor"),
            n("/FontName"): n("/STSong-Light"),
            n("/Flags"): NumberObject(6),
            n("/FontBBox"): ArrayObject([NumberObject(v) for v in (-25, -254, 1000, 880)]),
            n("/ItalicAngle"): NumberObject(0),
            n("/Ascent"): NumberObject(880),
            n("/Descent"): NumberObject(-120),
            n("/CapHeight"): NumberObject(880),
            n("/StemV"): NumberObject(93),
        }
    )
    cid = DictionaryObject(
        {
            n("/Type"): n("/Font"),
            n("/Subtype"): n("/CIDFontType0"),
            n("/BaseFont"): n("/STSong-Light"),
            n("/CIDSystemInfo"): DictionaryObject(
                {
                    n("/Registry"): TextStringObject("Adobe"),
                    n("/Ordering"): TextStringObject("GB1"),
                    n("/Supplement"): NumberObject(2),
                }
            ),
            n("/FontDescriptor"): add(desc),
            n("/DW"): NumberObject(1000),
            n("/W"): ArrayObject([NumberObject(1), NumberObject(95), NumberObject(500)]),
        }
    )
    font = DictionaryObject(
        {
            n("/Type"): n("/Font"),
            n("/Subtype"): n("/Type0"),
            n("/BaseFont"): n("/STSong-Light"),
            n("/Encoding"): n("/UniGB-UCS2-H"),
            n("/DescendantFonts"): ArrayObject([add(cid)]),
        }
    )
    return add(font)


__all__ = ["Entry", "count_pages", "index_lines", "content_stream", "font_dict", "paginate", "pdf_title", "summary_lines", "wrap"]
