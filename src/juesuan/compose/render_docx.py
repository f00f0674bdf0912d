"""Editable Word output (python-docx): 宋体 body and 黑体 headings set through the eastAsia font
attribute, one section per table (landscape for wide tables), header rows repeated on every page."""

from __future__ import annotations

import io
from typing import Any

from ..model import Disclosure, Section
from .layout import PrintedTable, printed_table

BODY_FONT = "宋体"
HEAD_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def _fonts(el: Any, east: str, latin: str = LATIN_FONT) -> None:
    from docx.oxml.ns import qn

    rpr = el.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)


def _styles(doc: Any) -> None:
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    _fonts(normal.element, BODY_FONT)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12)):
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.font.name = LATIN_FONT
        _fonts(st.element, HEAD_FONT)


def _page(section: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    w, h = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = h, w
        margin = Mm(15)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = w, h
        margin = Mm(22)
    section.left_margin = section.right_margin = margin
    section.top_margin = section.bottom_margin = Mm(20) if not landscape else Mm(15)


def _para(doc: Any, text: str, *, indent: bool = True, align: Any = None, size: float | None = None, font: str | None = None, bold: bool = False) -> Any:
    from docx.shared import Pt

    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(24)
    if align is not None:
        p.alignment = align
    r = p.add_run(text)
    if size:
        r.font.size = Pt(size)
    if bold:
        r.font.bold = True
    if font:
        _fonts(r._element, font)
    return p


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _covered(r: int, c: int, merges: list[tuple[int, int, int, int]]) -> bool:
    return any(a <= r <= c2 and b <= c <= d and (r, c) != (a, b) for a, b, c2, d in merges)


def _table(doc: Any, pt: PrintedTable, usable_mm: float) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    _para(doc, pt.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=15, font=HEAD_FONT, bold=True)
    meta = doc.add_paragraph()
    meta.paragraph_format.tab_stops.add_tab_stop(Mm(usable_mm), alignment=2)  # right tab
    left = f"部门：{pt.department}" if pt.department else ""
    right = " ".join(x for x in (pt.number or "", pt.unit_line) if x)
    run = meta.add_run(f"{left}\t{right}")
    run.font.size = Pt(9.5)
    n = pt.ncols
    nh = len(pt.header)
    rows = nh + len(pt.body)
    table = doc.add_table(rows=rows, cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = pt.col_widths or [1.0] * n
    tot = sum(widths)
    col_mm = [usable_mm * w / tot for w in widths]
    merges = list(pt.merges) + [(a + nh, b, c + nh, d) for a, b, c, d in pt.body_merges]
    for a, b, c, d in merges:
        table.cell(a, b).merge(table.cell(c, d))
    texts = pt.text_rows()
    for i in range(rows):
        row = table.rows[i]
        if i < nh:
            _repeat_header(row)
        else:
            _cant_split(row)
        for j in range(n):
            cell = row.cells[j]
            cell.width = Mm(col_mm[j])
            if _covered(i, j, merges):
                continue
            text = texts[i][j] if j < len(texts[i]) else ""
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            para.paragraph_format.space_before = Pt(0)
            run = para.add_run(text)
            run.font.size = Pt(8)
            if i < nh:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _fonts(run._element, HEAD_FONT)
            else:
                pc = pt.body[i - nh][j]
                if pc.slot is not None:
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif not pc.label:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for note in pt.notes:
        _para(doc, note, indent=False, size=9)


def _section(doc: Any, d: Disclosure, s: Section, landscape_now: list[bool]) -> None:
    from docx.enum.section import WD_SECTION

    level = min(s.level, 3)
    pts = [printed_table(d.tables[i].kind, d.tables[i], d.metadata.department or "", d.metadata.year) for i in s.table_indices]
    if pts and not s.paragraphs:
        # a 第二部分 table section: a new page, landscape when the table is wide
        wide = any(pt.wide for pt in pts)
        sec = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(sec, wide)
        landscape_now[0] = wide
        doc.add_heading(s.heading, level=level)
        usable = 297 - 30 if wide else 210 - 44
        for pt in pts:
            _table(doc, pt, usable)
        for c in s.children:
            _section(doc, d, c, landscape_now)
        return
    if landscape_now[0]:
        sec = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(sec, False)
        landscape_now[0] = False
    doc.add_heading(s.heading, level=level)
    for p in s.paragraphs:
        _para(doc, p.text)
    for pt in pts:
        sec = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(sec, pt.wide)
        landscape_now[0] = pt.wide
        _table(doc, pt, 297 - 30 if pt.wide else 210 - 44)
    for c in s.children:
        _section(doc, d, c, landscape_now)


def render_docx(d: Disclosure) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    doc = Document()
    _styles(doc)
    _page(doc.sections[0], False)
    doc.core_properties.title = d.metadata.title or ""
    doc.core_properties.author = d.metadata.department or ""
    for _ in range(6):
        doc.add_paragraph()
    sizes = [26, 22, 14]
    for i, p in enumerate(d.cover):
        _para(doc, p.text, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=sizes[min(i, 2)], font=HEAD_FONT if i < 2 else None, bold=i < 2)
        if i == 1:
            for _ in range(8):
                doc.add_paragraph()
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "目  录", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=16, font=HEAD_FONT, bold=True)
    for e in d.toc:
        p = _para(doc, e.text, indent=False, bold=e.level == 1)
        if e.level > 1:
            from docx.shared import Pt

            p.paragraph_format.left_indent = Pt(24)
    landscape_now = [False]
    for part in d.sections:
        sec = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(sec, False)
        landscape_now[0] = False
        _section(doc, d, part, landscape_now)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
