"""The composed budget as an editable Word file, in the 决算 composer's Word style (its fonts, page
set-up and repeated table headers): cover, 部门概况, each table on its own landscape page, 情况说明."""

from __future__ import annotations

import io
from typing import Any

from .budget import BudgetData, BudgetTable, budget_tables, narrative
from .render_docx import HEAD_FONT, _fonts, _page, _para, _repeat_header, _styles

LANDSCAPE_MM = 297 - 30


def _table(doc: Any, t: BudgetTable, department: str) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    _para(doc, t.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=15, font=HEAD_FONT, bold=True)
    meta = doc.add_paragraph()
    meta.paragraph_format.tab_stops.add_tab_stop(Mm(LANDSCAPE_MM), alignment=2)  # right tab
    meta.add_run(f"部门：{department}\t{t.number} 单位：万元").font.size = Pt(9.5)
    lines = [*t.header, *t.body]
    n = max(len(r) for r in lines)
    table = doc.add_table(rows=len(lines), cols=n)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, line in enumerate(lines):
        row = table.rows[i]
        if i < len(t.header):
            _repeat_header(row)
        for j in range(n):
            text = line[j] if j < len(line) else ""
            para = row.cells[j].paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            run = para.add_run(text)
            run.font.size = Pt(8)
            if i < len(t.header):
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _fonts(run._element, HEAD_FONT)
            elif text.replace(",", "").replace(".", "").isdigit():
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for note in t.notes:
        _para(doc, note, indent=False, size=9)


def render_budget_docx(d: BudgetData) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    y = d.year
    doc = Document()
    _styles(doc)
    _page(doc.sections[0], False)
    doc.core_properties.title = f"{d.department}{y}年度部门预算"
    doc.core_properties.author = d.department
    for _ in range(6):
        doc.add_paragraph()
    _para(
        doc, d.department, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=26, font=HEAD_FONT, bold=True
    )
    _para(
        doc,
        f"{y}年度部门预算",
        indent=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=22,
        font=HEAD_FONT,
        bold=True,
    )
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(sec, False)
    doc.add_heading("第一部分 部门概况", level=1)
    doc.add_heading("一、部门职责", level=2)
    for p in d.duties:
        _para(doc, p)
    doc.add_heading(f"第二部分 {y}年部门预算表", level=1)
    for t in budget_tables(d):
        sec = doc.add_section(WD_SECTION.NEW_PAGE)
        _page(sec, True)
        _table(doc, t, d.department)
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(sec, False)
    doc.add_heading(f"第三部分 {y}年部门预算情况说明", level=1)
    for heading, paras in narrative(d):
        doc.add_heading(heading, level=2)
        for p in paras:
            _para(doc, p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
