"""The ruling-line pass against a plain reference: ``primitives._lines`` (unchecked pdfium calls,
a thin path object taken from its bounds without its draw mode, the points of other paths read
into parallel lists) must give exactly the segments of a straightforward reading of every path
object (pypdfium2's checked calls, the draw mode always read, one tuple per point), on every page
of the samples, of a composed (WeasyPrint) disclosure and of small PDFs written here."""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from conftest import sample
from juesuan.ingest.pdf.primitives import THIN, Segment, _Frame, _lines
from test_ingest_pdf import PageSpec, make_pdf

SAMPLES = [
    "shanghai-putuo-finance-2024",
    "shanghai-putuo-planning-2024",
    "shanghai-putuo-social-work-2024",
    "shanghai-template-2024",
]


def _matmul(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _matrix(obj: Any) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def reference_lines(page: pdfium.PdfPage, frame: _Frame) -> tuple[list[Segment], list[Segment]]:
    """Every visible path object: a thin one as its bounds, any other one edge by edge."""
    hl: list[Segment] = []
    vl: list[Segment] = []

    def add(lx: float, b: float, r: float, t: float, width: float) -> None:
        if lx > r:
            lx, r = r, lx
        if b > t:
            b, t = t, b
        if frame.rot == 0:
            x0, top, x1, bottom = lx - frame.left, frame.top - t, r - frame.left, frame.top - b
        else:
            x0, top, x1, bottom = frame.box(lx, b, r, t)
            x0, x1 = min(x0, x1), max(x0, x1)
            top, bottom = min(top, bottom), max(top, bottom)
        w, h = x1 - x0, bottom - top
        if h <= THIN and w > h:
            half = max(0.0, width - h) / 2
            hl.append(Segment(x0, top - half, x1, bottom + half))
        elif w <= THIN and h > w:
            half = max(0.0, width - w) / 2
            vl.append(Segment(x0 - half, top, x1 + half, bottom))

    def draw_mode(obj: Any) -> tuple[int, int]:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        return fill.value, stroke.value

    def path(obj: Any, ctm: tuple[float, ...]) -> None:
        fill, stroke = draw_mode(obj)
        if not fill and not stroke:
            return
        mat = _matmul(_matrix(obj), ctm)
        width = 0.0
        sw = ctypes.c_float()
        if stroke and pdfium_c.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(sw)):
            width = abs(sw.value) * max(abs(mat[0]), abs(mat[3]), 1e-9)
        a, b, c, d, e, f = mat
        fx, fy = ctypes.c_float(), ctypes.c_float()
        pts = []
        for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(fx), ctypes.byref(fy))
            x, y = fx.value, fy.value
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            pts.append(
                (a * x + c * y + e, b * x + d * y + f, kind, bool(pdfium_c.FPDFPathSegment_GetClose(seg)))
            )
        start = 0
        while start < len(pts):
            end = start + 1
            while end < len(pts) and pts[end][2] != pdfium_c.FPDF_SEGMENT_MOVETO:
                end += 1
            sub = pts[start:end]
            start = end
            if len(sub) < 2:
                continue
            xs = [p[0] for p in sub]
            ys = [p[1] for p in sub]
            if fill and (max(xs) - min(xs) <= THIN or max(ys) - min(ys) <= THIN) and len(sub) >= 3:
                add(min(xs), min(ys), max(xs), max(ys), 0.0)
                continue
            if any(p[2] == pdfium_c.FPDF_SEGMENT_BEZIERTO for p in sub):
                continue
            first, last = (sub[0][0], sub[0][1]), (sub[-1][0], sub[-1][1])
            edges = list(zip(sub, sub[1:], strict=False))
            if (sub[-1][3] or first == last) and first != last:
                edges.append((sub[-1], sub[0]))
            for p, q in edges:
                if abs(p[1] - q[1]) < 0.01 and abs(p[0] - q[0]) > 0.01:
                    add(p[0], p[1] - width / 2, q[0], q[1] + width / 2, 0.0)
                elif abs(p[0] - q[0]) < 0.01 and abs(p[1] - q[1]) > 0.01:
                    add(p[0] - width / 2, p[1], q[0] + width / 2, q[1], 0.0)

    def form_paths(form: Any, ctm: tuple[float, ...], depth: int) -> None:
        for i in range(pdfium_c.FPDFFormObj_CountObjects(form)):
            obj = pdfium_c.FPDFFormObj_GetObject(form, i)
            t = pdfium_c.FPDFPageObj_GetType(obj)
            if t == pdfium_c.FPDF_PAGEOBJ_PATH:
                path(obj, ctm)
            elif t == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
                form_paths(obj, _matmul(_matrix(obj), ctm), depth + 1)

    raw = page.raw
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        t = pdfium_c.FPDFPageObj_GetType(obj)
        if t == pdfium_c.FPDF_PAGEOBJ_PATH:
            box = [ctypes.c_float() for _ in range(4)]
            if pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in box)):
                lx, by, rx, ty = (v.value for v in box)
                if rx - lx <= THIN or ty - by <= THIN:
                    if any(draw_mode(obj)):
                        add(lx, by, rx, ty, 0.0)
                    continue
            path(obj, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
        elif t == pdfium_c.FPDF_PAGEOBJ_FORM:
            form_paths(obj, _matrix(obj), 1)
    return hl, vl


def _assert_same_lines(data: bytes) -> int:
    """``_lines`` equals the reference on every page (coordinates compared by their repr, so a
    -0.0 or a last-bit difference shows); the number of segments compared."""
    pdf = pdfium.PdfDocument(data)
    try:
        n = 0
        for i in range(len(pdf)):
            page = pdf[i]
            frame = _Frame(page)
            got, expected = _lines(page, frame), reference_lines(page, frame)
            assert repr(got) == repr(expected), f"page {i + 1}"
            n += len(got[0]) + len(got[1])
            page.close()
        return n
    finally:
        pdf.close()


@pytest.mark.parametrize("name", SAMPLES)
def test_lines_of_every_sample_page_equal_the_reference(name: str) -> None:
    assert _assert_same_lines(sample(f"{name}.pdf").read_bytes()) > 200


@pytest.fixture(scope="module")
def composed_pdf() -> bytes:
    pytest.importorskip("weasyprint")
    from juesuan.compose import build_disclosure, render, synth

    tables, facts = synth(seed=7, department="测试市第一局", year=2024)
    doc, _ = build_disclosure(tables, facts)
    try:
        return render(doc, "pdf")
    except RuntimeError as exc:  # WeasyPrint's system libraries missing
        pytest.skip(str(exc))


def test_lines_of_a_composed_disclosure_equal_the_reference(composed_pdf: bytes) -> None:
    # WeasyPrint draws cell borders as thin paths and cell backgrounds as filled rectangles
    # (read point by point): both kinds are on these pages
    assert _assert_same_lines(composed_pdf) > 1000


def _shapes() -> PageSpec:
    p = PageSpec()
    p.rect(50, 700, 300, 40)  # a stroked rectangle: four edges
    p.rect(50, 600, 300, 40, fill=True)  # a filled one: its four edges too
    p.rect(50, 560, 300, 1.5, fill=True)  # a thin filled rectangle: one line
    p.line(60, 500, 400, 500, width=3.0)  # thick: bounds wider than THIN, edge by edge
    p.ops.append("0.5 w 60 480 m 200 480 l 200 400 l h S")  # a closed polyline
    p.ops.append("1 w 60 380 m 120 380 l 120 300 l 60 380 m 90 350 l S")  # two subpaths
    p.ops.append("1 w 60 280 m 100 320 140 240 180 280 c 250 280 l S")  # a curve: skipped
    p.ops.append("q 0 1 -1 0 500 100 cm 0.5 w 0 0 m 150 0 l S 10 10 80 60 re S Q")  # rotated
    p.ops.append("q 2 0 0 0.5 30 40 cm 1 w 10 10 200 80 re S Q")  # scaled
    p.ops.append("300 250 200 1 re 300 200 200 40 re f")  # one object: a thin and a wide rectangle
    # one filled object: a thin triangle (a line) and a wide one (its straight edges)
    p.ops.append("300 150 m 500 151 l 300 152 l 300 120 m 500 120 l 500 60 l h B")
    p.ops.append("10 10 100 100 re n")  # a clip path only: no object
    return p


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_lines_of_drawn_shapes_equal_the_reference(rotate: int) -> None:
    spec = _shapes()
    spec.rotate = rotate
    assert _assert_same_lines(make_pdf([spec, PageSpec(842.0, 595.0, rotate, list(spec.ops))])) > 20


def test_every_path_object_is_stroked_or_filled() -> None:
    """Why the thin case needs no draw mode: pdfium makes a path object only for a path that is
    stroked or filled (a path ended by ``n`` is a clip path, no object)."""
    datas = [sample(f"{name}.pdf").read_bytes() for name in SAMPLES] + [make_pdf([_shapes()])]
    paths = 0
    for data in datas:
        pdf = pdfium.PdfDocument(data)
        for i in range(len(pdf)):
            page = pdf[i]
            for obj in page.get_objects(max_depth=8):
                if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                    fill, stroke = ctypes.c_int(), ctypes.c_int()
                    assert pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
                    assert fill.value or stroke.value
                    paths += 1
            page.close()
        pdf.close()
    assert paths > 1000
