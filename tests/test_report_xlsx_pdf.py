"""XLSX report (every finding field, filters, extracted tables) and the annotated PDF."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import sample
from juesuan.api import DocumentResult, check_document
from juesuan.model import Finding, Location, Ref, Severity
from juesuan.report.forwarded import write_forwarded
from juesuan.report.items import ReportItem
from juesuan.report.pdf_annotate import NotAPdfError, annotate_pdf, comment_text
from juesuan.report.xlsx import FINDING_HEADERS, number_cell, xlsx_bytes
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
    return ReportItem(result=DocumentResult(path="/tmp/测试局.txt", metadata=doc.metadata, findings=check_document(doc, select=["T09"])), doc=doc)


def test_xlsx_findings_sheet_and_tables() -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_bytes([item()])))
    assert wb.sheetnames[:3] == ["问题清单", "涉及位置", "全部单元格"]
    assert "说明" in wb.sheetnames and any("三公" in n for n in wb.sheetnames)
    ws = wb["问题清单"]
    assert [c.value for c in ws[1]] == [h for h, _ in FINDING_HEADERS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
    cells2 = {h: c for (h, _), c in zip(FINDING_HEADERS, ws[2], strict=True)}
    row = {h: c.value for h, c in cells2.items()}
    assert row["文件"] == "测试局.txt"
    assert row["严重程度"] == "错误" and row["规则编号"] == "T09-001" and row["规则类别"] == "“三公”经费表"
    # numbers a reviewer can sum and filter by value, shown as printed
    assert row["应为"] == 11 and row["实为"] == 12 and isinstance(row["应为"], (int, float))
    assert cells2["应为"].number_format == "#,##0.00" and cells2["实为"].number_format == "#,##0.00"
    assert row["差额"] == pytest.approx(1.0) and cells2["差额"].number_format == "#,##0.00"
    assert row["计算过程"].startswith("12.00 ≠ 0（空） + 8.50 + 2.50 = 11.00")
    assert ws.max_row == 2
    # one value per cell: every place of the finding on a row of its own
    places = wb["涉及位置"]
    assert places.freeze_panes == "A2" and places.auto_filter.ref == f"A1:L{places.max_row}"
    prow = [[c.value for c in r] for r in places.iter_rows(min_row=2)]
    assert [r[8] for r in prow] == ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"]
    assert [r[10] for r in prow] == [12, "（空）", 8.5, 2.5]
    assert places.cell(row=4, column=11).number_format == "#,##0.00"
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
    # several documents: an index first, one line each, linking to the document's findings
    assert wb.sheetnames[0] == "文件一览"
    idx = [[c.value for c in r] for r in wb["文件一览"].iter_rows(min_row=2)]
    assert [r[1] for r in idx] == ["测试局.txt", "坏.docx"]
    assert idx[0][5:8] == [1, 0, 0] and idx[1][8].startswith("无法读取：")
    assert wb["文件一览"].cell(row=2, column=10).hyperlink.location == "'问题清单'!A2"


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
    out = annotate_pdf(data, [f, nowhere], name="social.pdf")
    r = PdfReader(io.BytesIO(out))
    assert len(r.pages) == 1 + 24  # the summary page in front
    annots = [a.get_object() for a in r.pages[14]["/Annots"]]
    hl = [a for a in annots if a["/Subtype"] == "/Highlight"]
    assert len(hl) == 1
    assert hl[0]["/Contents"] == comment_text(f)
    assert "应为：11.00  实为：12.00" in hl[0]["/Contents"]
    assert "/AP" in hl[0] and hl[0]["/Popup"].get_object()["/Subtype"] == "/Popup"
    h = float(r.pages[14].cropbox.top)
    x0, y0, x1, y1 = (float(v) for v in hl[0]["/Rect"])
    assert abs(x0 - (bb[0] - 1)) < 0.01 and abs(y1 - (h - bb[1] + 1)) < 0.01
    first = [a.get_object() for a in r.pages[1]["/Annots"]]
    assert any(a["/Subtype"] == "/Text" and "目录与正文不一致" in a["/Contents"] for a in first)
    # rendered with annotations, the box is tinted by the highlight (multiply blend)
    page = pdfium.PdfDocument(out)[14]
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


@pytest.mark.parametrize(
    ("text", "value", "fmt"),
    [
        ("5,364.75", Decimal("5364.75"), "#,##0.00"),
        ("−10.01", Decimal("-10.01"), "#,##0.00"),
        ("71.65%", Decimal("0.7165"), "0.00%"),
        ("100%", Decimal("1"), "0%"),
        ("12", Decimal("12"), "#,##0"),
    ],
)
def test_printed_values_become_numbers(text: str, value: Decimal, fmt: str) -> None:
    assert number_cell(text) == (value, fmt)


@pytest.mark.parametrize("text", ["未说明", "< 15", "公开06表", "1.2.3", "", None])
def test_words_stay_words(text: str | None) -> None:
    assert number_cell(text) is None


def test_per_table_sheets_show_amounts_as_printed() -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_bytes([item()])))
    ws = next(wb[n] for n in wb.sheetnames if "三公" in n)
    assert ws.freeze_panes == "D2"
    amounts = [c for r in ws.iter_rows(min_row=2) for c in r[3:] if isinstance(c.value, (int, float))]
    assert amounts and all(c.number_format == "#,##0.00" for c in amounts)
    assert "total" not in [c.value for c in ws["B"]]  # no internal row keys


def _cell_finding(rule: str, sev: Severity, bb: tuple[float, float, float, float], page: int = 14) -> Finding:
    return Finding(
        rule_id=rule,
        rule_title="标题",
        severity=sev,
        message=f"{rule} 的问题说明",
        locations=[Ref(row="total", column="actual", value=Decimal("8"), loc=Location(page=page, bbox=bb))],
    )


@pytest.mark.parametrize("encrypted", [False, True])
def test_annotated_pdf_summary_outline_and_title(encrypted: bool) -> None:
    """A summary page in front linking to each error and warning, a bookmark per finding, the
    title 《…》核对意见; 提示 only counted; a cell shared by two findings split between them. An
    encrypted original (rewritten whole rather than updated) gets the same."""
    import pypdfium2 as pdfium
    data = sample("shanghai-putuo-social-work-2024.pdf").read_bytes()
    if encrypted:
        w = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        w.encrypt(user_password="", owner_password="owner")
        buf = io.BytesIO()
        w.write(buf)
        data = buf.getvalue()
    bb = _box(data, 14, "合计")
    err = _cell_finding("T09-001", Severity.ERROR, bb)
    warn = _cell_finding("X-001", Severity.WARNING, bb)  # the same cell
    info = _cell_finding("T09-002", Severity.INFO, _box(data, 14, "公务接待费"))
    md = build_disclosure(SPEC).metadata.model_copy(update={"title": "测试局2024年度部门决算", "department": "测试局", "year": 2024})
    out = annotate_pdf(data, [info, warn, err], name="测试局.pdf", metadata=md)

    pdf = pdfium.PdfDocument(out)
    try:
        assert len(pdf) == 1 + 24
        assert pdf.get_metadata_dict()["Title"] == "《测试局2024年度部门决算》核对意见"
        text = pdf[0].get_textpage().get_text_range()
        assert "《测试局2024年度部门决算》核对意见" in text
        assert "错误 1 条，警告 1 条，提示 1 条" in text
        assert "T09-001（第 14 页）T09-001 的问题说明" in text and "X-001（第 14 页）" in text
        assert "T09-002" not in text  # a 提示 is counted, not listed
        toc = [(b.level, b.get_title(), b.get_dest().get_index() if b.get_dest() else None) for b in pdf.get_toc()]
        assert toc[0] == (0, "核对意见摘要", 0)
        assert (0, "错误（1 条）", 0) in toc and (0, "警告（1 条）", 0) in toc
        assert (1, "1. 第14页 T09-001 T09-001 的问题说明", 14) in toc
        # the summary's lines link to the pages of the document
        links = []
        page = pdf[0]
        for k in range(pdfium.raw.FPDFPage_GetAnnotCount(page.raw)):
            annot = pdfium.raw.FPDFPage_GetAnnot(page.raw, k)
            assert pdfium.raw.FPDFAnnot_GetSubtype(annot) == pdfium.raw.FPDF_ANNOT_LINK
            dest = pdfium.raw.FPDFLink_GetDest(pdf.raw, pdfium.raw.FPDFAnnot_GetLink(annot))
            links.append(pdfium.raw.FPDFDest_GetDestPageIndex(pdf.raw, dest))
        assert links and set(links) == {14}
    finally:
        pdf.close()
    r = PdfReader(io.BytesIO(out))
    assert r.page_labels[:2] == ["核对意见1", "1"]  # the document's pages keep their numbers
    hl = {str(a.get_object()["/Subj"]): [float(v) for v in a.get_object()["/Rect"]] for a in r.pages[14]["/Annots"] if a.get_object()["/Subtype"] == "/Highlight"}
    assert set(hl) == {"T09-001 错误", "X-001 警告"}
    (ex0, ey0, ex1, ey1), (wx0, wy0, wx1, wy1) = hl["T09-001 错误"], hl["X-001 警告"]
    assert ex0 == wx0 and ex1 == wx1 and (ey0 >= wy1 - 2.01 or wy0 >= ey1 - 2.01)  # bands, side by side


def test_workbook_of_a_damaged_document_with_control_characters() -> None:
    """A damaged file's text may carry control characters a worksheet cannot hold (the fuzz suite
    met ``\\x01`` in a department's name): replaced, the workbook still written; a table title with
    Excel's forbidden characters still names a sheet."""
    from openpyxl import load_workbook

    spec = {**SPEC, "metadata": {"department": "蛟河市社会保\x01专业管理局"}}
    doc = build_disclosure(spec)
    doc.tables[0].title = "三公/经费:表[1]"
    it = ReportItem(result=DocumentResult(path="坏.txt", metadata=doc.metadata, findings=check_document(doc, select=["T09"])), doc=doc)
    wb = load_workbook(io.BytesIO(xlsx_bytes([it])))
    assert wb["说明"]["B1"].value == "蛟河市社会保\ufffd专业管理局"


def test_extract_csv_has_chinese_headers_and_opens_in_excel(tmp_path: Path) -> None:
    import csv

    from juesuan.report.extract import CELL_HEADERS, write_extract

    doc = build_disclosure(SPEC)
    out = tmp_path / "cells.csv"
    assert write_extract(doc, "csv", out) is None
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel and WPS need to read UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == list(CELL_HEADERS.values()) and "项目" in rows[0]
    assert len(rows) == 1 + 8
    text = write_extract(doc, "csv", None)
    assert text is not None and text.startswith("表序号,")  # on the terminal: no BOM


def test_pdf_title_without_a_printed_title() -> None:
    from juesuan.model import DisclosureKind
    from juesuan.report.pdf_summary import pdf_title

    md = build_disclosure(SPEC).metadata
    named = md.model_copy(update={"title": None, "department": "江苏省政协办公厅", "year": 2018, "kind": DisclosureKind.BUDGET_DEPARTMENT})
    assert pdf_title("a.pdf", named) == "《江苏省政协办公厅2018年度部门预算》核对意见"
    bare = md.model_copy(update={"title": None, "department": None})
    assert pdf_title("dir/文件.pdf", bare) == "《文件》核对意见"


def test_annotated_pdf_of_a_file_whose_info_points_at_nothing() -> None:
    # a damaged file (found by the fuzz suite): the trailer's /Info names an object that is not
    # there; the annotated copy still gets its title, the lost entries are simply not carried
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    data = buf.getvalue()
    data = data.replace(b"/Info", b"/Info 999 0 R /Old", 1) if b"/Info" in data else data.replace(
        b"trailer\n<<", b"trailer\n<< /Info 999 0 R", 1
    )
    finding = Finding(
        rule_id="T05-001", severity=Severity.ERROR, message="合计不等于各项之和",
        locations=[Ref(loc=Location(page=1, bbox=(100.0, 100.0, 200.0, 120.0)))],
    )  # fmt: skip
    out = annotate_pdf(data, [finding], name="damaged.pdf")
    assert PdfReader(io.BytesIO(out)).metadata.title.endswith("核对意见")
