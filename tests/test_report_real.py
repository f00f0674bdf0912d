"""The forwarded reports on the real files (skipped when ``../shared`` is absent): crops of a
sample PDF for every finding with a box, the XLSX's rows and cell sheet, the annotated PDF's
highlights at the cells' boxes, sentences narrowed to their printed lines, and a seed TXT's
HTML fragments."""

from __future__ import annotations

import base64
import io
import re
from collections import defaultdict

import pytest

from conftest import sample, seed
from juesuan.model import Finding, Location, Ref, Severity
from juesuan.report.crops import MAX_FRAGMENTS, SentenceLocator, finding_boxes
from juesuan.report.extract import long_rows
from juesuan.report.html import MAX_CROPS, render_html
from juesuan.report.items import ReportItem, collect
from juesuan.report.pdf_annotate import MARKED, annotate_pdf
from juesuan.report.xlsx import FINDING_HEADERS, xlsx_bytes

PDF_SAMPLE = "shanghai-putuo-planning-2024.pdf"  # 30 pages, findings on cells, sentences, lines


@pytest.fixture(scope="module")
def pdf_item() -> ReportItem:
    (it,) = collect([str(sample(PDF_SAMPLE))])
    assert it.result.ok and it.doc is not None and it.is_pdf
    return it


@pytest.fixture(scope="module")
def pdf_html(pdf_item: ReportItem) -> str:
    return render_html([pdf_item])


def _articles(html: str) -> list[str]:
    return re.findall(r'<article class="finding.*?</article>', html, flags=re.S)


def _is_sentence(ref: Ref) -> bool:
    return ref.text is not None and ref.column is None and ref.row is None


def test_sample_has_every_kind_of_place(pdf_item: ReportItem) -> None:
    """The sample exercises what the crops must handle: cells and sentences with boxes."""
    refs = [r for f in pdf_item.result.findings for r in f.locations]
    assert len(pdf_item.result.findings) >= 10
    assert any(r.column and r.loc and r.loc.bbox for r in refs)
    assert any(_is_sentence(r) and r.loc and r.loc.bbox for r in refs)
    assert {f.severity for f in pdf_item.result.findings} >= {Severity.ERROR, Severity.INFO}


def test_html_of_sample_pdf_has_a_crop_per_page_with_a_box(pdf_item: ReportItem, pdf_html: str) -> None:
    from PIL import Image

    findings = sorted(pdf_item.result.findings, key=Finding.sort_key)
    arts = _articles(pdf_html)
    assert len(arts) == len(findings)
    assert "src=\"http" not in pdf_html and "href=\"http" not in pdf_html
    # a long report can be narrowed by rule family or rule, besides severity
    for f in findings:
        assert f'<option value="{f.rule_id}">' in pdf_html
    assert '<option value="fam:文件完整性与一致性">' in pdf_html  # families by name, not code
    for f, art in zip(findings, arts, strict=True):
        assert f.rule_id in art
        pages = sorted(finding_boxes(f))
        crops = re.findall(r'<figure class="crop"><img src="data:image/png;base64,([^"]+)" alt="第(\d+)页', art)
        assert [int(p) for _, p in crops] == pages[:MAX_CROPS], f.rule_id
        for b64, _ in crops[:1]:
            img = Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB")
            # the outline of the highlighted box (crops.OUTLINE, 220/40/40) is drawn on it
            colors = {c for _, c in img.getcolors(maxcolors=1 << 16) or []}
            assert any(r > 180 and g < 90 and b < 90 for r, g, b in colors), f.rule_id


def test_sentences_are_narrowed_to_their_printed_lines(pdf_item: ReportItem) -> None:
    """The reader gives a sentence its paragraph's box; the report finds the sentence's own lines:
    inside that box, no taller, and the characters under them are the sentence."""
    import pypdfium2 as pdfium

    assert pdf_item.data is not None
    pdf = pdfium.PdfDocument(pdf_item.data)
    try:
        loc = SentenceLocator(pdf)
        narrowed = checked = 0
        for f in pdf_item.result.findings:
            for ref in f.locations:
                if not _is_sentence(ref) or ref.loc is None or ref.loc.bbox is None or ref.loc.page is None:
                    continue
                assert ref.text is not None
                rects = loc.rects(ref.loc.page, ref.text, ref.loc.bbox)
                if rects is None:
                    continue
                checked += 1
                px0, pt, px1, pb = ref.loc.bbox
                for x0, t, x1, b in rects:
                    assert px0 - 7 <= x0 < x1 <= px1 + 7 and pt - 7 <= t < b <= pb + 7
                if sum(b - t for _, t, _, b in rects) < (pb - pt) - 5:
                    narrowed += 1
                page = pdf[ref.loc.page - 1]
                tp = page.get_textpage()
                h = page.get_size()[1]
                got = "".join(tp.get_text_bounded(x0 + 0.5, h - b + 0.5, x1 - 0.5, h - t - 0.5) for x0, t, x1, b in rects)
                want = re.sub(r"\s", "", ref.text)
                assert re.sub(r"\s", "", got).find(want[:8]) >= 0, (ref.text, got)
        assert checked >= 5 and narrowed >= 3
    finally:
        pdf.close()


def test_xlsx_of_sample_pdf(pdf_item: ReportItem) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_bytes([pdf_item])))
    ws = wb["问题清单"]
    assert ws.max_row == 1 + len(pdf_item.result.findings)
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
    heads = [h for h, _ in FINDING_HEADERS]
    ids = sorted(str(r[heads.index("规则编号")].value) for r in ws.iter_rows(min_row=2))
    assert ids == sorted(f.rule_id for f in pdf_item.result.findings)
    assert pdf_item.doc is not None
    cells = wb["全部单元格"]
    assert cells.max_row == 1 + len(long_rows(pdf_item.doc)) > 100
    assert len(wb.sheetnames) > 3  # per-table sheets of the single document follow


def _highlights(pdf_bytes: bytes) -> dict[str, list[float]]:
    from pypdf import PdfReader

    out: dict[str, list[float]] = {}
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        for a in page.get("/Annots") or []:
            a = a.get_object()
            if a["/Subtype"] == "/Highlight":
                out[str(a["/NM"])] = [float(v) for v in a["/QuadPoints"]]
    return out


def test_annotated_sample_pdf_highlights_the_cells(pdf_item: ReportItem) -> None:
    import pypdfium2 as pdfium

    assert pdf_item.data is not None
    # errors and warnings are painted, in report order; 提示 only counted on the summary
    findings = sorted((f for f in pdf_item.result.findings if f.severity in MARKED), key=Finding.sort_key)
    out = annotate_pdf(pdf_item.data, pdf_item.result.findings, name=PDF_SAMPLE)
    assert out.startswith(pdf_item.data)  # an incremental update: the original bytes untouched
    hl = _highlights(out)
    pdf = pdfium.PdfDocument(pdf_item.data)
    try:
        heights = [pdf[i].get_size()[1] for i in range(len(pdf))]
    finally:
        pdf.close()
    annotated = pdfium.PdfDocument(out)  # pdfium reads the update: highlight + pop-up per entry
    try:
        n_annots = 0
        lead = len(annotated) - len(heights)  # the summary pages in front
        assert lead >= 1
        for i in range(lead, len(annotated)):
            page = annotated[i]
            n_annots += pdfium.raw.FPDFPage_GetAnnotCount(page.raw)
            page.close()
    finally:
        annotated.close()
    assert n_annots == 2 * len(hl)
    expected = {(i, p) for i, f in enumerate(findings, 1) for p, bb in finding_boxes(f).items() if bb}
    assert set(hl) == {f"juesuan-{i}-{p}" for i, p in expected}  # one highlight per finding and page
    n_cells = 0
    for i, f in enumerate(findings, 1):
        for ref in f.locations:
            if not ref.column or ref.loc is None or ref.loc.bbox is None or ref.loc.page is None:
                continue
            quads = hl[f"juesuan-{i}-{ref.loc.page}"]
            x0, t, x1, b = ref.loc.bbox
            h = heights[ref.loc.page - 1]
            groups = [quads[k : k + 8] for k in range(0, len(quads), 8)]
            # the cell's width, and its height or (a cell several findings share) a band of it
            assert any(
                abs(g[0] - (x0 - 1)) < 0.05
                and abs(g[2] - (x1 + 1)) < 0.05
                and h - b - 1.05 <= g[5] < g[1] <= h - t + 1.05
                for g in groups
            ), ref.describe()
            n_cells += 1
    assert n_cells >= 5  # the errors and warnings of the sample name this many cells


def test_findings_without_a_box_degrade_gracefully(pdf_item: ReportItem) -> None:
    """A finding with a page but no box shows that page whole (small) and gets a note icon; one
    without any place gets no picture and is listed in the note on page 1."""
    from pypdf import PdfReader

    assert pdf_item.data is not None
    page_only = Finding(rule_id="T01-001", severity=Severity.WARNING, message="只有页码", locations=[Ref(loc=Location(page=3))])
    nowhere = Finding(rule_id="D-001", severity=Severity.ERROR, message="无位置", locations=[Ref(text="某句")])
    it = ReportItem(result=pdf_item.result.model_copy(update={"findings": [page_only, nowhere]}), doc=pdf_item.doc, data=pdf_item.data)
    arts = _articles(render_html([it]))
    assert len(arts) == 2
    by_msg = {("只有页码" in a): a for a in arts}
    assert by_msg[True].count('<figure class="crop">') == 1 and 'alt="第3页' in by_msg[True]
    assert '<figure class="crop">' not in by_msg[False]
    reader = PdfReader(io.BytesIO(annotate_pdf(pdf_item.data, [page_only, nowhere])))
    notes = defaultdict(list)
    for pi, page in enumerate(reader.pages[1:]):  # after the summary page
        for a in page.get("/Annots") or []:
            a = a.get_object()
            if a["/Subtype"] == "/Text":
                notes[pi].append(str(a["/Contents"]))
    assert any("只有页码" in c for c in notes[2])
    assert any("无法在页面上定位" in c and "无位置" in c for c in notes[0])


def test_html_of_seed_txt_renders_tables_and_sentences() -> None:
    (it,) = collect([str(seed("000_28fcffc144f7be8d.txt"))])
    assert it.result.ok and not it.is_pdf
    html = render_html([it])
    arts = _articles(html)
    findings = sorted(it.result.findings, key=Finding.sort_key)
    assert len(arts) == len(findings) >= 20
    assert "<figure" not in html
    for f, art in zip(findings, arts, strict=True):
        cells = [r for r in f.locations if r.column and r.table_index is not None]
        sentences = [r for r in f.locations if _is_sentence(r)]
        if cells:
            assert 'class="hl"' in art, f.rule_id
        if sentences:
            assert "<mark>" in art, f.rule_id
        assert art.count('<div class="frag">') <= MAX_FRAGMENTS + 1


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_keep_boxes_in_place(rotation: int) -> None:
    """On a page with /Rotate, the sentence's lines are found in the displayed frame (the one
    the PDF reader's boxes use) and the annotated highlight lands there when rendered."""
    import pypdfium2 as pdfium
    from PIL import ImageChops
    from pypdf import PdfReader, PdfWriter

    src = sample("shanghai-putuo-social-work-2024.pdf")
    text = "无政府性基金预算财政拨款收入"

    def one_page(rot: int) -> bytes:
        w = PdfWriter()
        w.add_page(PdfReader(src).pages[14])
        if rot:
            w.pages[0].rotate(rot)
        buf = io.BytesIO()
        w.write(buf)
        return buf.getvalue()

    def rects(data: bytes) -> tuple[list[tuple[float, float, float, float]], tuple[float, float]]:
        pdf = pdfium.PdfDocument(data)
        try:
            found = SentenceLocator(pdf).rects(1, text)
            assert found
            return found, pdf[0].get_size()
        finally:
            pdf.close()

    flat, (w0, h0) = rects(one_page(0))
    data = one_page(rotation)
    turned, (w1, h1) = rects(data)

    def turn(b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0, t, x1, bt = b
        if rotation == 90:  # clockwise: (x, y) → (H − y, x)
            return h0 - bt, x0, h0 - t, x1
        if rotation == 180:
            return w0 - x1, h0 - bt, w0 - x0, h0 - t
        return t, w0 - x1, bt, w0 - x0

    assert (w1, h1) == ((h0, w0) if rotation in (90, 270) else (w0, h0))
    want = [turn(b) for b in flat]
    assert len(turned) == 1 and len(want) == 1
    assert all(abs(a - b) < 0.5 for a, b in zip(turned[0], want[0], strict=True))

    f = Finding(rule_id="D-010", severity=Severity.ERROR, message="无", locations=[Ref(text=text, loc=Location(page=1, bbox=want[0]))])
    out = annotate_pdf(data, [f])
    pdf = pdfium.PdfDocument(out)
    try:
        page = pdf[1]  # after the summary page
        plain = page.render(scale=1, draw_annots=False).to_pil().convert("RGB")
        marked = page.render(scale=1, draw_annots=True).to_pil().convert("RGB")
    finally:
        pdf.close()
    diff = ImageChops.difference(plain, marked).getbbox()
    assert diff is not None
    x0, t, x1, b = want[0]
    # the highlight (1 pt of margin) covers the displayed box, and nothing far from it
    assert abs(diff[0] - x0) < 4 and abs(diff[1] - t) < 4 and abs(diff[2] - x1) < 4 and abs(diff[3] - b) < 4, (diff, want)


def test_a_cell_crop_reaches_up_to_its_column_headers(pdf_item: ReportItem) -> None:
    """A crop of a cell keeps the band above the table's first row on that page over the cell's
    column, so the highlighted column can be named from the picture (it used to cut the header)."""
    from juesuan.report.crops import HEADER_HEIGHT, context_boxes

    doc = pdf_item.doc
    assert doc is not None
    seen = 0
    for f in pdf_item.result.findings:
        ctx = context_boxes(doc, f)
        for ref in f.locations:
            if ref.column is None or ref.table_index is None or ref.loc is None or ref.loc.bbox is None or ref.loc.page is None:
                continue
            t = doc.tables[ref.table_index]
            tops = [r.loc.bbox[1] for r in t.rows if r.loc and r.loc.page == ref.loc.page and r.loc.bbox]
            if not tops or not 0 <= ref.loc.bbox[1] - min(tops) <= 600:
                continue
            band = (ref.loc.bbox[0], max(0.0, min(tops) - HEADER_HEIGHT), ref.loc.bbox[2], min(tops))
            assert band in ctx[ref.loc.page], ref.describe()
            seen += 1
    assert seen >= 5
