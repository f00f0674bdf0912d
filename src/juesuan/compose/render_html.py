"""One self-contained HTML page (inline CSS, no external resources). The same page, with its print
stylesheet, is what WeasyPrint turns into the PDF: A4 portrait for text, landscape pages for wide
tables (CSS named pages), table header rows repeated on every page (``thead``)."""

from __future__ import annotations

from html import escape

from ..model import Disclosure, Section, TableKind
from .layout import PrintedTable, printed_table

CSS = """
@page { size: A4; margin: 22mm 20mm 20mm 20mm;
        @bottom-center { content: counter(page); font-size: 9pt; } }
@page wide { size: A4 landscape; margin: 12mm 14mm 14mm 14mm; }
@page cover { @bottom-center { content: none; } }
html { font-family: "Noto Serif CJK SC", "SimSun", "宋体", "Songti SC", serif; font-size: 12pt; line-height: 1.75; color: #000; }
body { margin: 0 auto; max-width: 60em; padding: 1em; }
h1, h2, h3, h4, .title, .toc-title { font-family: "Noto Sans CJK SC", "SimHei", "黑体", "Heiti SC", sans-serif; font-weight: bold; }
h1 { font-size: 16pt; text-align: center; margin: 1.2em 0 0.8em; }
h2 { font-size: 14pt; margin: 1em 0 0.4em; }
h3 { font-size: 12pt; margin: 0.8em 0 0.3em; }
p { text-indent: 2em; margin: 0.2em 0; text-align: justify; }
.cover { text-align: center; padding-top: 30%; page: cover; break-after: page; }
.cover .dept { font-family: "Noto Sans CJK SC", "SimHei", "黑体", sans-serif; font-size: 24pt; font-weight: bold; }
.cover .what { font-family: "Noto Sans CJK SC", "SimHei", "黑体", sans-serif; font-size: 22pt; margin-top: 0.6em; }
.cover .date { font-size: 14pt; margin-top: 8em; }
.toc { break-after: page; }
.toc-title { text-align: center; font-size: 16pt; margin-bottom: 0.6em; }
.toc ul { list-style: none; padding-left: 0; margin: 0; }
.toc li.l1 { font-weight: bold; margin-top: 0.4em; }
.toc li.l2 { padding-left: 2em; }
.part { break-before: page; }
.part > h1 + .tblsec { break-before: auto; }
.tbl { margin: 0.6em 0 1.2em; }
.tblsec { break-before: page; }
.tblsec.wide { page: wide; }
.tbl.wide { page: wide; }
.tbl.pagebreak { break-before: page; }
.tbl .title { text-align: center; font-size: 14pt; margin-bottom: 0.2em; line-height: 1.4; }
.tblsec h1, .tblsec h2 { margin: 0 0 0.1em; font-size: 13pt; line-height: 1.4; }
.tbl .meta { display: flex; justify-content: space-between; font-size: 9.5pt; }
.tbl table { border-collapse: collapse; width: 100%; font-size: 8.5pt; line-height: 1.2; table-layout: fixed; }
.tbl th, .tbl td { border: 0.6pt solid #000; padding: 0.6pt 3pt; word-break: break-all; }
.tbl th { font-family: "Noto Sans CJK SC", "SimHei", "黑体", sans-serif; font-weight: normal; text-align: center; background: #f2f2f2; }
.tbl td.num { text-align: right; white-space: nowrap; }
.tbl td.label { text-align: left; }
.tbl td.c { text-align: center; }
.tbl thead { display: table-header-group; }
.tbl tr { break-inside: avoid; }
.tbl .note { font-size: 9pt; text-indent: 0; margin-top: 0.3em; }
.glossary p { text-indent: 0; }
@media screen { body { background: #fafafa; } .cover, .toc, .part { background: #fff; padding: 1em 2em; margin-bottom: 1em; } .cover { padding-top: 6em; padding-bottom: 6em; } }
"""


def _attrs(r: int, c: int, merges: list[tuple[int, int, int, int]]) -> tuple[bool, str]:
    """(covered, span attributes) of header/body position (r, c)."""
    for a, b, c2, d in merges:
        if a == r and b == c:
            out = ""
            if d > b:
                out += f' colspan="{d - b + 1}"'
            if c2 > a:
                out += f' rowspan="{c2 - a + 1}"'
            return False, out
        if a <= r <= c2 and b <= c <= d:
            return True, ""
    return False, ""


def table_html(pt: PrintedTable, first_in_part: bool = False) -> str:
    cls = "tbl wide" if pt.wide else "tbl"
    out = [f'<div class="{cls}" data-kind="{pt.kind.value}">']
    out.append(f'<div class="title">{escape(pt.title)}</div>')
    left = f"部门：{escape(pt.department)}" if pt.department else ""
    right = " ".join(x for x in (escape(pt.number or ""), escape(pt.unit_line)) if x)
    out.append(f'<div class="meta"><span>{left}</span><span>{right}</span></div>')
    out.append("<table>")
    if pt.col_widths:
        tot = sum(pt.col_widths)
        out.append("<colgroup>" + "".join(f'<col style="width:{w / tot * 100:.2f}%">' for w in pt.col_widths) + "</colgroup>")
    if pt.header:
        out.append("<thead>")
        for i, row in enumerate(pt.header):
            cells = []
            for j, text in enumerate(row):
                covered, span = _attrs(i, j, pt.merges)
                if not covered:
                    cells.append(f"<th{span}>{escape(text)}</th>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</thead>")
    out.append("<tbody>")
    for i, prow in enumerate(pt.body):
        cells = []
        for j, pc in enumerate(prow):
            covered, span = _attrs(i, j, pt.body_merges)
            if covered:
                continue
            klass = "num" if pc.slot is not None else ("label" if pc.label else "c")
            cells.append(f'<td class="{klass}"{span}>{escape(pc.text)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    for n in pt.notes:
        out.append(f'<p class="note">{escape(n)}</p>')
    out.append("</div>")
    return "\n".join(out)


def _section(doc: Disclosure, s: Section, lead: str = "") -> str:
    tag = {1: "h1", 2: "h2"}.get(s.level, "h3")
    out = [lead + f"<{tag}>{escape(s.heading)}</{tag}>"]
    if s.children and not s.paragraphs and s.children[0].table_indices and not s.children[0].paragraphs:
        # 第二部分: its heading goes onto the first table's page
        return "\n".join([_section(doc, s.children[0], lead=out[0])] + [_section(doc, c) for c in s.children[1:]])
    for p in s.paragraphs:
        out.append(f"<p>{escape(p.text)}</p>")
    pts = [printed_table(doc.tables[i].kind, doc.tables[i], doc.metadata.department or "", doc.metadata.year) for i in s.table_indices]
    for pt in pts:
        out.append(table_html(pt))
    for c in s.children:
        out.append(_section(doc, c))
    if pts and not s.paragraphs:
        # a table section of 第二部分: heading and tables on their own page(s), landscape when wide
        klass = "tblsec wide" if any(pt.wide for pt in pts) else "tblsec"
        for pt in pts:
            out[out.index(table_html(pt))] = table_html(pt).replace('class="tbl wide"', 'class="tbl"', 1)
        return f'<div class="{klass}">' + "\n".join(out) + "</div>"
    return "\n".join(out)


def render_html(doc: Disclosure) -> str:
    title = escape(doc.metadata.title or "部门决算")
    parts = ['<!DOCTYPE html>', '<html lang="zh-CN"><head><meta charset="utf-8">',
             f"<title>{title}</title>", f"<style>{CSS}</style></head><body>"]  # fmt: skip
    cover = doc.cover
    parts.append('<div class="cover">')
    if cover:
        parts.append(f'<div class="dept">{escape(cover[0].text)}</div>')
    if len(cover) > 1:
        parts.append(f'<div class="what">{escape(cover[1].text)}</div>')
    for p in cover[2:]:
        parts.append(f'<div class="date">{escape(p.text)}</div>')
    parts.append("</div>")
    parts.append('<div class="toc"><div class="toc-title">目 录</div><ul>')
    for e in doc.toc:
        parts.append(f'<li class="l{e.level}">{escape(e.text)}</li>')
    parts.append("</ul></div>")
    for s in doc.sections:
        klass = "part glossary" if s.heading.endswith("名词解释") else "part"
        parts.append(f'<div class="{klass}">{_section(doc, s)}</div>')
    parts.append("</body></html>")
    return "\n".join(parts)


def is_table_kind(kind: TableKind) -> bool:
    return kind is not TableKind.OTHER
