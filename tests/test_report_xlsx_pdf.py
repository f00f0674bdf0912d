"""XLSX report (every finding field, filters, extracted tables) and the annotated PDF."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import sample
from juesuan.api import DocumentResult, check_document
from juesuan.model import DisclosureKind, Finding, Location, Ref, Severity
from juesuan.report.forwarded import write_forwarded
from juesuan.report.items import ReportItem
from juesuan.report.pdf_annotate import NotAPdfError, annotate_pdf, comment_text
from juesuan.report.xlsx import FINDING_HEADERS, xlsx_bytes
from juesuan.rules.cases import build_disclosure

SPEC = {
    "tables": [
        {
            "kind": "T09",
            "rows": {
                "total": {"budget": "12.00", "actual": "8.00"},
                "abroad": {"budget": "", "actual": ""},
                "car": {"budget": "8.50", "actual": "6.00"},
                "reception": {"budget": "2.50", "actual": "2.00"},
            },
        }
    ]
}


def item() -> ReportItem:
    doc = build_disclosure(SPEC)
    doc.metadata.kind = DisclosureKind.DEPARTMENT
    return ReportItem(result=DocumentResult(path="/tmp/测试局.txt", metadata=doc.metadata, findings=check_document(doc, select=["T09"])), doc=doc)


def test_xlsx_findings_sheet_and_tables() -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_bytes([item()])))
    assert wb.sheetnames[:3] == ["问题清单", "文件清单", "全部单元格"]
    index = [[c.value for c in r] for r in wb["文件清单"].iter_rows()]
    assert index[0][:4] == ["文件", "部门", "年度", "类型"]
    assert index[1][0] == "测试局.txt" and index[1][3] == "部门决算" and index[1][6] == 1  # one error
    assert "说明" in wb.sheetnames and any("三公" in n for n in wb.sheetnames)
    ws = wb["问题清单"]
    assert [c.value for c in ws[1]] == [h for h, _ in FINDING_HEADERS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:U{ws.max_row}"
    row = {h: c.value for (h, _), c in zip(FINDING_HEADERS, ws[2], strict=True)}
    assert row["文件"] == "测试局.txt"
    assert row["严重程度"] == "错误" and row["规则编号"] == "T09-001" and row["规则类别"] == "T09"
    assert row["应为"] == "11.00" and row["实为"] == "12.00"
    assert row["差额"] == pytest.approx(1.0)
    assert row["计算过程"].startswith("12.00 ≠ 0（空） + 8.50 + 2.50 = 11.00")
    assert row["单元格值"] == "12.00\n（空）\n8.50\n2.50"
    assert row["行"].split("\n") == ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"]
    assert ws.max_row == 2
    cells = wb["全部单元格"]
    assert cells.auto_filter.ref is not None and cells.freeze_panes == "A2"
    vals = {(r[6].value, r[9].value): r[12].value for r in cells.iter_rows(min_row=2)}
    assert vals[("total", "budget")] == pytest.approx(12.0)
    assert vals[("abroad", "budget")] is None  # blank stays blank
    assert cells.max_row == 1 + 8


def test_xlsx_marks_unreadable_files() -> None:
    from openpyxl import load_workbook

    bad = ReportItem(result=DocumentResult(path="坏.docx", error="坏.docx：文件为空", error_code="empty"))
    wb = load_workbook(io.BytesIO(xlsx_bytes([item(), bad])))
    ws = wb["问题清单"]
    assert [c.value for c in ws[3]][:4] == ["坏.docx", None, "无法读取", "empty"]
    assert "说明" not in wb.sheetnames  # several documents: long-form cells only
    index = [[c.value for c in r] for r in wb["文件清单"].iter_rows(min_row=2)]
    assert [(r[0], r[3], r[9]) for r in index] == [("测试局.txt", "部门决算", None), ("坏.docx", "未识别", "坏.docx：文件为空")]


def test_annotated_pdf_gets_the_documents_title_when_it_has_none() -> None:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    blank = buf.getvalue()
    assert not (PdfReader(io.BytesIO(blank)).metadata or {}).get("/Title")
    f = Finding(rule_id="D-009", severity=Severity.WARNING, message="目录与正文不一致")
    out = annotate_pdf(blank, [f], name="x.pdf", title="江苏省人民检察院 2018 年度 部门预算")
    meta = PdfReader(io.BytesIO(out)).metadata
    assert meta is not None and meta.title == "江苏省人民检察院 2018 年度 部门预算"
    # a title the file has is kept
    again = annotate_pdf(out, [f], name="x.pdf", title="别的标题")
    meta = PdfReader(io.BytesIO(again)).metadata
    assert meta is not None and meta.title == "江苏省人民检察院 2018 年度 部门预算"


def _box(data: bytes, page: int, text: str) -> tuple[float, float, float, float]:
    import pypdfium2 as pdfium

    pg = pdfium.PdfDocument(data)[page - 1]
    h = pg.get_height()
    tp = pg.get_textpage()
    i, n = tp.search(text).get_next()
    bs = [tp.get_charbox(k) for k in range(i, i + n)]
    return (min(b[0] for b in bs), h - max(b[3] for b in bs), max(b[2] for b in bs), h - min(b[1] for b in bs))


def test_annotated_pdf_places_highlight_and_popup() -> None:
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    data = sample("shanghai-putuo-social-work-2024.pdf").read_bytes()
    bb = _box(data, 14, "合计")
    f = Finding(
        rule_id="T09-001",
        rule_title="三公经费合计等于三项之和",
        severity=Severity.ERROR,
        message="三公经费决算数合计与三项之和不符",
        locations=[Ref(row="total", column="actual", value=Decimal("8"), loc=Location(page=14, bbox=bb))],
        expected="11.00",
        found="12.00",
        arithmetic="12.00 ≠ 0 + 8.50 + 2.50 = 11.00",
    )
    nowhere = Finding(rule_id="D-009", severity=Severity.WARNING, message="目录与正文不一致")
    out = annotate_pdf(data, [f, nowhere], name="social.pdf", title="上海市普陀区社会工作部 2024 年度 部门决算")
    r = PdfReader(io.BytesIO(out))
    assert len(r.pages) == 24
    had = PdfReader(io.BytesIO(data)).metadata
    if not (had and had.title):  # the kind of document named in the title the PDF lacked
        assert r.metadata is not None and r.metadata.title == "上海市普陀区社会工作部 2024 年度 部门决算"
    annots = [a.get_object() for a in r.pages[13]["/Annots"]]
    hl = [a for a in annots if a["/Subtype"] == "/Highlight"]
    assert len(hl) == 1
    assert hl[0]["/Contents"] == comment_text(f)
    assert "应为：11.00  实为：12.00" in hl[0]["/Contents"]
    assert "/AP" in hl[0] and hl[0]["/Popup"].get_object()["/Subtype"] == "/Popup"
    h = float(r.pages[13].cropbox.top)
    x0, y0, x1, y1 = (float(v) for v in hl[0]["/Rect"])
    assert abs(x0 - (bb[0] - 1)) < 0.01 and abs(y1 - (h - bb[1] + 1)) < 0.01
    first = [a.get_object() for a in r.pages[0]["/Annots"]]
    assert any(a["/Subtype"] == "/Text" and "目录与正文不一致" in a["/Contents"] for a in first)
    # rendered with annotations, the box is tinted by the highlight (multiply blend)
    page = pdfium.PdfDocument(out)[13]
    img = page.render(scale=1, draw_annots=True).to_pil().convert("RGB")
    px = img.getpixel((int(bb[0]) + 1, int(bb[1]) + 1))
    assert px[0] > 200 and px[1] < 150 and px[2] < 150, px
    plain = pdfium.PdfDocument(data)[13].render(scale=1).to_pil().convert("RGB")
    assert plain.getpixel((int(bb[0]) + 1, int(bb[1]) + 1)) == (255, 255, 255)


def test_annotated_pdf_needs_a_pdf(tmp_path: Path) -> None:
    with pytest.raises(NotAPdfError, match="批注版 PDF 报告需要 PDF 格式的输入文件"):
        annotate_pdf("本年收入合计 900.28 万元".encode(), [], name="a.txt")
    it = item()
    it.data = "文本".encode()
    with pytest.raises(ValueError, match="测试局.txt：批注版 PDF 报告需要 PDF"):
        write_forwarded([it], "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
