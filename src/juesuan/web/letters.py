"""The rectification letter (整改意见书) of one document: the findings a reviewer confirmed, each
with its page, the words quoted from the document, what it should be and what is printed, in
the register of a finance bureau's letter, as DOCX (editable, to sign and stamp) or PDF.

Dismissed and undecided findings are not in it: only what a named reviewer confirmed.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .auth import Identity, reader

BODY_FONT, TITLE_FONT = "仿宋", "方正小标宋简体"  # the fonts of official letters (GB/T 9704)
FALLBACK_FONT = "宋体"
HEADERS = ("序号", "页码", "问题", "原文摘录", "应为", "实为")
DOCX_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TEMPLATES = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")), autoescape=select_autoescape(["html"])
)


@dataclass
class LetterItem:
    n: int
    pages: str
    problem: str
    quotation: str
    expected: str
    found: str
    confirmed_by: str


@dataclass
class Letter:
    bureau: str
    department: str
    document: str
    period: str
    items: list[LetterItem]
    prepared_by: str | None
    date: _dt.date

    @property
    def title(self) -> str:
        return f"关于《{self.document}》的整改意见书"

    @property
    def salutation(self) -> str:
        return f"{self.department}："

    @property
    def opening(self) -> str:
        return (
            f"根据部门预决算公开工作要求，{self.bureau}对你单位公开的《{self.document}》{self.period}进行了审核。"
            f"经逐表核对，发现以下 {len(self.items)} 个问题，现予函告："
        )

    @property
    def closing(self) -> list[str]:
        return [
            "请你单位对照上述问题逐项核实，更正公开内容并重新公开，于收到本意见书之日起十五个工作日内"
            f"将整改情况书面报送{self.bureau}。",
            "特此函告。",
        ]

    @property
    def date_zh(self) -> str:
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


def _pages(finding: dict[str, Any]) -> str:
    """Where the finding is: pages, each file named where a place names its file (the parts of a
    disclosure checked from several files; the two documents of a pair's finding, related.py),
    else lines."""
    by_file: dict[str, set[int]] = {}
    for r in finding.get("locations") or []:
        loc = r.get("loc") or {}
        if loc.get("page"):
            by_file.setdefault(loc.get("file") or "", set()).add(loc["page"])
    if by_file:
        return "；".join(
            (f"《{f}》" if f else "") + "第 " + "、".join(str(p) for p in sorted(ps)) + " 页" for f, ps in by_file.items()
        )
    lines = sorted({r["loc"]["line"] for r in finding.get("locations") or [] if (r.get("loc") or {}).get("line")})
    return "第 " + "、".join(str(x) for x in lines) + " 行" if lines else "—"


def _quotation(finding: dict[str, Any]) -> str:
    """The document's own words: the quoted sentence, else the table cells named with their values."""
    texts = [r["text"].strip() for r in finding.get("locations") or [] if (r.get("text") or "").strip()]
    if texts:
        return "；".join(f"“{t}”" for t in dict.fromkeys(texts))
    parts = []
    for r in finding.get("locations") or []:
        where = "".join(
            x
            for x in (
                f"《{r['table_title']}》" if r.get("table_title") else "",
                f"“{r.get('row_label') or r.get('row')}”" if r.get("row_label") or r.get("row") else "",
                f"[{r.get('column_label') or r.get('column')}]" if r.get("column_label") or r.get("column") else "",
            )
        )
        if where:
            parts.append(where + (f" {r['value']}" if r.get("value") is not None else ""))
    return "；".join(dict.fromkeys(parts)) or "—"


def build_letter(a: Any, row: dict[str, Any], user: str | None) -> Letter:
    pairs = a.store.findings_with_fingerprints(row["id"])
    decided = a.decisions.of(row["id"])
    md = json.loads(row["metadata"]) if row.get("metadata") else {}
    md = md or {}
    confirmed = [(f, decided[fp]) for f, fp in pairs if (decided.get(fp) or {}).get("decision") == "confirmed"]
    # in reading order: by page, then as the rules reported them
    confirmed.sort(key=lambda x: min([r["loc"]["page"] for r in x[0].get("locations") or [] if (r.get("loc") or {}).get("page")] or [10**6]))
    items = [
        LetterItem(
            n=i + 1,
            pages=_pages(f),
            problem=f["message"],
            quotation=_quotation(f),
            expected=f.get("expected") or "—",
            found=f.get("found") or "—",
            confirmed_by=d.get("by") or "",
        )
        for i, (f, d) in enumerate(confirmed)
    ]
    year, kind = md.get("year"), md.get("kind")
    period = f"（{year} 年度{kind or ''}）" if year else (f"（{kind}）" if kind else "")
    document = md.get("title") or Path(row["filename"]).stem
    return Letter(
        bureau=a.settings.bureau,
        department=md.get("department") or "有关单位",
        document=document,
        period=period,
        items=items,
        prepared_by=user,
        date=_dt.date.today(),
    )


def _font(run: Any, east: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east)


def letter_docx(letter: Letter) -> bytes:
    doc = Document()
    sect = doc.sections[0]
    sect.left_margin = sect.right_margin = Pt(79)  # 28 mm / 26 mm, as GB/T 9704 lays a letter
    sect.top_margin, sect.bottom_margin = Pt(105), Pt(99)

    def para(text: str, *, east: str = BODY_FONT, size: float = 16, bold: bool = False, align: Any = None,
             indent: bool = True) -> None:  # fmt: skip
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        _font(p.add_run(text), east, size, bold)

    para(letter.title, east=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    para(letter.salutation, indent=False)
    para(letter.opening)
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), "黑体", 11, True)
    for it in letter.items:
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(it.n), it.pages, it.problem, it.quotation, it.expected, it.found), strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), FALLBACK_FONT, 10.5)
    for text in letter.closing:
        para(text)
    para(letter.bureau, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    para(letter.date_zh, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    if letter.prepared_by:
        para(f"经办人：{letter.prepared_by}", size=12, indent=False)
    reviewers = "、".join(dict.fromkeys(it.confirmed_by for it in letter.items if it.confirmed_by))
    if reviewers:
        para(f"问题确认人：{reviewers}", size=12, indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def letter_pdf(letter: Letter) -> bytes:
    """The same letter laid out by WeasyPrint from HTML (as ``compose`` makes its PDFs)."""
    try:
        from weasyprint import HTML  # loaded for the first PDF letter only: it takes a second
    except (ImportError, OSError) as exc:  # OSError: pango missing
        raise HTTPException(501, f"无法生成 PDF：缺少 WeasyPrint 或其系统库（{exc}），请下载 Word 版本") from exc
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = _TEMPLATES.get_template("letter.html").render(letter=letter, headers=HEADERS)
    buf = io.BytesIO()
    HTML(string=html).write_pdf(buf)
    return buf.getvalue()


def default_bureau() -> str:
    return os.environ.get("JUESUAN_BUREAU") or "财政局"


def letters_router() -> APIRouter:
    router = APIRouter(tags=["报告"])

    @router.get("/api/documents/{doc_id}/letter.{fmt}", summary="整改意见书（docx、pdf），只列已确认的问题")
    def get_letter(request: Request, doc_id: str, fmt: str, who: Identity = Depends(reader)) -> Response:
        a = request.app.state.juesuan
        row = a.row(doc_id)
        if fmt not in ("docx", "pdf"):
            raise HTTPException(404, f"没有这种格式：{fmt}（可选 docx、pdf）")
        if row["status"] != "done":
            raise HTTPException(409, "尚未处理完成，不能出具整改意见书")
        letter = build_letter(a, row, who.name)
        if not letter.items:
            raise HTTPException(409, "还没有已确认的问题：请先在文件页面确认问题，再出具整改意见书")
        body = letter_docx(letter) if fmt == "docx" else letter_pdf(letter)
        a.decisions.log(who.name, "letter", row["id"], format=fmt, findings=len(letter.items))
        disp = f"attachment; filename=letter.{fmt}; filename*=UTF-8''{quote(Path(row['filename']).stem + '-整改意见书.' + fmt)}"
        media = DOCX_MEDIA if fmt == "docx" else "application/pdf"
        return Response(body, media_type=media, headers={"Content-Disposition": disp})

    return router
