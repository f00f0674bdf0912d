"""HTML report: self-contained, Chinese, findings with arithmetic and highlighted places."""

from __future__ import annotations

import base64
import io
import re
from decimal import Decimal

import pytest

from conftest import sample
from juesuan.api import DocumentResult, check_document
from juesuan.ingest.errors import InputError
from juesuan.model import Finding, Location, Ref, Severity
from juesuan.report.crops import PageRenderer, finding_boxes, finding_fragments
from juesuan.report.html import render_html
from juesuan.report.items import ReportItem
from juesuan.rules.cases import build_disclosure

SPEC = {
    "metadata": {"department": "示例市测试局", "year": 2024},
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
    ],
    "sections": [{"heading": "一、三公经费说明", "paragraphs": ["2024年度三公经费支出8.00万元。其中公务接待费2.00万元。"]}],
}


def checked():
    doc = build_disclosure(SPEC)
    findings = check_document(doc, select=["T09"])  # stable whatever rules others add
    return doc, findings


def test_rules_find_the_wrong_total() -> None:
    _, findings = checked()
    assert [(f.rule_id, f.severity) for f in findings] == [("T09-001", Severity.ERROR)]
    assert findings[0].expected == "11.00" and findings[0].found == "12.00"


def test_html_is_self_contained_and_chinese() -> None:
    doc, findings = checked()
    html = render_html([ReportItem(result=DocumentResult(path="测试.txt", metadata=doc.metadata, findings=findings), doc=doc)])
    assert html.startswith("<!DOCTYPE html>")
    # no external resource of any kind
    assert not re.search(r'(src|href)="(https?:|//|/)', html)
    assert "<link" not in html
    assert "决算公开核对报告" in html and "示例市测试局" in html and "2024 年度" in html
    # summary by severity and family
    assert re.search(r"<td>“三公”经费表</td><td>1</td><td></td><td></td><td>1</td>", html)
    # the finding: message, expected vs found, arithmetic
    assert "三公经费预算数合计与三项之和不符" in html
    assert "<dt>应为</dt><dd>11.00</dd>" in html and "<dt>实为</dt><dd>12.00</dd>" in html
    assert "12.00 ≠ 0（空） + 8.50 + 2.50 = 11.00" in html
    # the table rendered with exactly the four involved budget cells highlighted
    hl = re.findall(r'<td class="hl" data-col="(\w+)">([^<]*)</td>', html)
    assert hl == [("budget", "12.00"), ("budget", ""), ("budget", "8.50"), ("budget", "2.50")]


def test_html_escapes_document_text() -> None:
    spec = dict(SPEC, metadata={"department": "<script>alert(1)</script>局", "year": 2024})
    doc = build_disclosure(spec)
    findings = check_document(doc, select=["T09"])  # stable whatever rules others add
    html = render_html([ReportItem(result=DocumentResult(path="x.txt", metadata=doc.metadata, findings=findings), doc=doc)])
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in html


def test_sentence_fragment_marks_the_sentence() -> None:
    doc = build_disclosure(SPEC)
    f = Finding(
        rule_id="N-001",
        severity=Severity.WARNING,
        message="说明与表不符",
        locations=[Ref(text="其中公务接待费2.00万元。", loc=Location(line=1))],
    )
    frags = [str(x) for x in finding_fragments(doc, f)]
    assert frags == ['<p class="snip-para">2024年度三公经费支出8.00万元。<mark>其中公务接待费2.00万元。</mark></p>']


def test_unreadable_document_is_reported() -> None:
    html = render_html([ReportItem(result=DocumentResult(path="坏.pdf", error="坏.pdf：文件为空", error_code="empty"))])
    assert "无法检查：坏.pdf：文件为空" in html


def pdf_box(data: bytes, page: int, text: str) -> tuple[float, float, float, float]:
    """The box (top-left origin, points) of the first occurrence of ``text`` on ``page``."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    pg = pdf[page - 1]
    h = pg.get_height()
    tp = pg.get_textpage()
    hit = tp.search(text).get_next()
    assert hit, f"{text} not on page {page}"
    i, n = hit
    boxes = [tp.get_charbox(k) for k in range(i, i + n)]
    return (
        min(b[0] for b in boxes),
        h - max(b[3] for b in boxes),
        max(b[2] for b in boxes),
        h - min(b[1] for b in boxes),
    )


def test_pdf_crop_highlights_the_box() -> None:
    from PIL import Image

    data = sample("shanghai-putuo-social-work-2024.pdf").read_bytes()
    bb = pdf_box(data, 14, "合计")
    f = Finding(
        rule_id="T09-001",
        rule_title="三公经费合计等于三项之和",
        severity=Severity.ERROR,
        message="合计与三项之和不符",
        locations=[Ref(row="total", column="actual", value=Decimal("1.00"), loc=Location(page=14, bbox=bb))],
    )
    assert finding_boxes(f) == {14: [bb]}
    r = PageRenderer(data, scale=2.0)
    try:
        crops = r.finding_crops(f)
    finally:
        r.close()
    assert [c.page for c in crops] == [14]
    img = Image.open(io.BytesIO(crops[0].png)).convert("RGB")
    # the crop is the box plus a margin, and the outline colour sits at the box's edge
    x0 = (bb[0] - max(0.0, bb[0] - max(36.0, (320 - (bb[2] - bb[0])) / 2))) * 2
    y0 = (bb[1] - max(0.0, bb[1] - 36.0)) * 2
    edge = img.getpixel((int(x0) - 1, int(y0) - 1))
    assert edge[0] > 180 and edge[1] < 120 and edge[2] < 120, edge
    html = render_html(
        [ReportItem(result=DocumentResult(path="social.pdf", findings=[f]), data=data)], title="测试"
    )
    uris = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(uris) == 1
    shown = Image.open(io.BytesIO(base64.b64decode(uris[0]))).convert("RGB")
    red = sum(1 for px in shown.get_flattened_data() if px[0] > 180 and px[1] < 120 and px[2] < 120)
    assert red > 50  # the highlighted box is drawn in the embedded crop
    assert "第 14 页" in html


@pytest.mark.parametrize("with_images", [True, False])
def test_pdf_report_without_locations(with_images: bool) -> None:
    data = sample("shanghai-template-2024.pdf").read_bytes()
    f = Finding(rule_id="D-001", severity=Severity.INFO, message="无页码的问题")
    html = render_html([ReportItem(result=DocumentResult(path="t.pdf", findings=[f]), data=data)], with_images=with_images)
    assert "无页码的问题" in html and "<img" not in html


def test_differences_carry_their_unit_and_one_minus_sign() -> None:
    """A difference of percentages is in 个百分点; negative amounts use the − of the messages."""
    doc, _ = checked()
    pct = Finding(
        rule_id="N-002", severity=Severity.ERROR, message="占比不符", expected="71.65%", found="71.73%",
        difference=Decimal("0.08"), tolerance=Decimal("0.01"),
    )  # fmt: skip
    neg = Finding(rule_id="T09-001", severity=Severity.ERROR, message="合计不符", expected="11.00", found="1.00", difference=Decimal("-10.00"))
    html = render_html([ReportItem(result=DocumentResult(path="测试.txt", metadata=doc.metadata, findings=[pct, neg]), doc=doc)])
    assert "<dt>差额</dt><dd>0.08 个百分点（容差 ±0.01 个百分点）</dd>" in html
    assert "<dt>差额</dt><dd>−10.00</dd>" in html and "<dd>-10.00" not in html


def test_crops_of_a_huge_page_and_of_boxes_off_the_page_stay_bounded() -> None:
    """A page declaring 10,000,000 pt a side is rendered within the pixel budget, not into
    gigabytes; inverted boxes and boxes off the page (a damaged file) give a crop, not an error."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=1e7, height=1e7)
    w.add_blank_page(width=600, height=800)
    buf = io.BytesIO()
    w.write(buf)
    r = PageRenderer(buf.getvalue(), scale=2.0)
    try:
        # a page over the area budget is not rendered: an input error naming the page, and no
        # crop of it (the finding is shown without a picture)
        with pytest.raises(InputError) as e:
            r.image(1)
        assert e.value.code == "too_large" and "第 1 页" in str(e.value.where)
        assert r.crop(1, [(100.0, 100.0, 200.0, 200.0)]) is None
        assert r.crop(2, [(500.0, 300.0, 100.0, 200.0)]) is not None  # inverted
        assert r.crop(2, [(5000.0, 5000.0, 6000.0, 6000.0)]) is not None  # off the page
        assert r.crop(2, [(-50.0, -50.0, -10.0, -10.0)]) is not None
    finally:
        r.close()


def test_report_title_names_the_kind_of_document() -> None:
    from juesuan.model import DisclosureKind
    from juesuan.report.html import report_title

    doc, findings = checked()

    def it(kind: DisclosureKind) -> ReportItem:
        md = doc.metadata.model_copy(update={"kind": kind})
        return ReportItem(result=DocumentResult(path="a.txt", metadata=md, findings=findings), doc=doc)

    assert report_title([it(DisclosureKind.DEPARTMENT)]) == "决算公开核对报告"
    assert report_title([it(DisclosureKind.BUDGET_DEPARTMENT)]) == "预算公开核对报告"
    assert report_title([it(DisclosureKind.DEPARTMENT), it(DisclosureKind.BUDGET_UNIT)]) == "决算/预算公开核对报告"
