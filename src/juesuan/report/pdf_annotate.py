"""Annotated PDF report: the original PDF with a highlight and a comment pop-up on the cells and
sentences each finding involves (pypdf; explicit appearance streams so every viewer draws them).

Findings located on a page without a box get a note icon at the page's top-left corner; findings
without any page (rare for a PDF input) are listed in one note on the first page.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections import defaultdict
from typing import Any, cast

from ..ingest import sniff_format
from ..model import Finding, Severity
from .crops import BBox, Frame, SentenceLocator, finding_boxes

# Highlight colours by severity (RGB, 0..1).
COLORS = {
    Severity.ERROR: (1.0, 0.45, 0.45),
    Severity.WARNING: (1.0, 0.78, 0.2),
    Severity.INFO: (0.55, 0.8, 1.0),
}


class NotAPdfError(ValueError):
    """The annotated-PDF report was asked for a document that is not a PDF."""

    def __init__(self, name: str):
        super().__init__(f"{name}：批注版 PDF 报告需要 PDF 格式的输入文件（此文件不是 PDF），请改用 HTML 或 XLSX 报告。")


def comment_text(f: Finding) -> str:
    lines = [f"[{f.severity.zh}] {f.rule_id} {f.rule_title}".strip(), f.message]
    if f.expected is not None or f.found is not None:
        lines.append(f"应为：{f.expected if f.expected is not None else '—'}  实为：{f.found if f.found is not None else '—'}")
    if f.arithmetic:
        lines.append(f"计算：{f.arithmetic}")
    if f.ocr:
        lines.append("注意：涉及的数字来自 OCR 识别，请对照原件核实")
    return "\n".join(lines)


def _pdf_date(now: _dt.datetime) -> str:
    return now.strftime("D:%Y%m%d%H%M%S")


def annotate_pdf(data: bytes, findings: list[Finding], *, name: str = "文件", title: str | None = None) -> bytes:
    """The PDF ``data`` with one highlight (and pop-up comment) per finding and page; ``title``
    (what the document is: department, year, kind) becomes the PDF's title when it has none."""
    if sniff_format(data) != "pdf":
        raise NotAPdfError(name)
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
        TextStringObject,
    )

    writer: Any
    try:
        writer = _Incremental(data)
    except Exception:  # encrypted or damaged beyond pypdf's lazy reading: rewrite it whole
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    now = _pdf_date(_dt.datetime.now())
    n_pages = len(writer.pages)

    def num(v: float) -> FloatObject:
        return FloatObject(round(v, 3))

    def arr(vals: list[float]) -> ArrayObject:
        return ArrayObject([num(v) for v in vals])

    def page_frame(pi: int) -> tuple[float, float]:
        box = writer.pages[pi].cropbox
        return float(box.left), float(box.top)

    def add(pi: int, annot: DictionaryObject) -> DictionaryObject:
        ref = writer._add_object(annot)
        page = writer.pages[pi]
        if isinstance(writer, _Incremental):
            writer.touch(pi)
        if "/Annots" not in page:
            page[NameObject("/Annots")] = ArrayObject()
        annots = cast(ArrayObject, page["/Annots"].get_object())
        annots.append(ref)
        annot[NameObject("/P")] = page.indirect_reference
        return annot

    def popup(pi: int, parent: DictionaryObject, x: float, top_y: float) -> None:
        left, ptop = page_frame(pi)
        w = float(writer.pages[pi].cropbox.width)
        px0 = min(max(left + 10, x), left + w - 230)
        pp = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Popup"),
                NameObject("/Rect"): arr([px0, max(top_y - 140, 10), px0 + 220, top_y]),
                NameObject("/Open"): BooleanObject(False),
                NameObject("/F"): NumberObject(28),
            }
        )
        ref = writer._add_object(pp)
        pp[NameObject("/Parent")] = parent.indirect_reference  # type: ignore[index]
        parent[NameObject("/Popup")] = ref
        cast(ArrayObject, writer.pages[pi]["/Annots"].get_object()).append(ref)

    def highlight(pi: int, boxes: list[BBox], f: Finding, idx: int) -> None:
        page = writer.pages[pi]
        box = page.cropbox
        frame = Frame((float(box.left), float(box.bottom), float(box.right), float(box.top)), page.rotation)
        quads: list[float] = []
        rects = []
        for bb in boxes:  # displayed (top-left, rotation applied) → user space, 1 pt of margin
            ul, ub, ur, ut = frame.to_user(*bb)
            X0, X1 = ul - 1, ur + 1
            Y1, Y0 = ut + 1, ub - 1  # PDF y grows upwards
            quads += [X0, Y1, X1, Y1, X0, Y0, X1, Y0]
            rects.append((X0, Y0, X1, Y1))
        rx0 = min(r[0] for r in rects)
        ry0 = min(r[1] for r in rects)
        rx1 = max(r[2] for r in rects)
        ry1 = max(r[3] for r in rects)
        color = COLORS[f.severity]
        ops = [f"q /GS0 gs {color[0]} {color[1]} {color[2]} rg"]
        for X0, Y0, X1, Y1 in rects:
            ops.append(f"{X0 - rx0:.2f} {Y0 - ry0:.2f} {X1 - X0:.2f} {Y1 - Y0:.2f} re f")
        ops.append("Q")
        ap = StreamObject()
        ap.set_data("\n".join(ops).encode("ascii"))
        ap.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): arr([0, 0, rx1 - rx0, ry1 - ry0]),
                NameObject("/Matrix"): arr([1, 0, 0, 1, rx0, ry0]),
                NameObject("/Resources"): DictionaryObject(
                    {
                        NameObject("/ExtGState"): DictionaryObject(
                            {NameObject("/GS0"): DictionaryObject({NameObject("/BM"): NameObject("/Multiply")})}
                        )
                    }
                ),
            }
        )
        annot = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Highlight"),
                NameObject("/Rect"): arr([rx0, ry0, rx1, ry1]),
                NameObject("/QuadPoints"): arr(quads),
                NameObject("/C"): arr(list(color)),
                NameObject("/Contents"): TextStringObject(comment_text(f)),
                NameObject("/T"): TextStringObject("juesuan"),
                NameObject("/Subj"): TextStringObject(f"{f.rule_id} {f.severity.zh}"),
                NameObject("/NM"): TextStringObject(f"juesuan-{idx}-{pi + 1}"),
                NameObject("/M"): TextStringObject(now),
                NameObject("/CreationDate"): TextStringObject(now),
                NameObject("/F"): NumberObject(4),
                NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(ap)}),
            }
        )
        add(pi, annot)
        popup(pi, annot, rx1 + 8, ry1)

    def note(pi: int, text: str, idx: str, color: tuple[float, float, float]) -> None:
        left, top = page_frame(pi)
        annot = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Text"),
                NameObject("/Rect"): arr([left + 8, top - 32, left + 28, top - 12]),
                NameObject("/Name"): NameObject("/Comment"),
                NameObject("/C"): arr(list(color)),
                NameObject("/Contents"): TextStringObject(text),
                NameObject("/T"): TextStringObject("juesuan"),
                NameObject("/NM"): TextStringObject(f"juesuan-note-{idx}"),
                NameObject("/M"): TextStringObject(now),
                NameObject("/F"): NumberObject(4),
            }
        )
        add(pi, annot)
        popup(pi, annot, left + 32, top - 12)

    locator: SentenceLocator | None = None
    pdf = None
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(data)
        locator = SentenceLocator(pdf)
    except Exception:  # pdfium cannot open it: the reader's boxes as they are
        locator = None
    unplaced: list[Finding] = []
    try:
        per_finding = [finding_boxes(f, locator) for f in findings]
    finally:
        if pdf is not None:
            pdf.close()
    for idx, (f, fboxes) in enumerate(zip(findings, per_finding, strict=True), 1):
        pages: dict[int, list[BBox]] = defaultdict(list)
        for page, bbs in fboxes.items():
            if 1 <= page <= n_pages:
                pages[page - 1].extend(bbs)
        if not pages:
            unplaced.append(f)
            continue
        for pi, boxes in sorted(pages.items()):
            if boxes:
                highlight(pi, boxes, f, idx)
            else:
                note(pi, comment_text(f), f"{idx}-{pi + 1}", COLORS[f.severity])
    if unplaced and n_pages:
        body = "以下问题无法在页面上定位：\n\n" + "\n\n".join(comment_text(f) for f in unplaced)
        worst = max(unplaced, key=lambda f: f.severity.rank).severity
        note(0, body, "unplaced", COLORS[worst])
    if isinstance(writer, _Incremental):
        if title:
            writer.set_title_if_missing(title)
        return writer.finish()
    if title and not (writer.metadata or {}).get("/Title"):
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Incremental:
    """An incremental update (ISO 32000 7.5.6): the original bytes untouched, followed by the new
    annotation objects, the changed page dictionaries and an xref section chained with /Prev.

    pypdf's writer re-serialises every object of the file (about a second of CPU for a 30-page
    PDF with 5,000 objects in object streams); here only the pages that get a highlight are
    parsed and written. The original's signatures and structure stay byte for byte."""

    def __init__(self, data: bytes):
        from pypdf import PdfReader

        m = list(re.finditer(rb"startxref\s+(\d+)", data[-2048:]))
        if not m:
            raise ValueError("no startxref")
        self.prev = int(m[-1].group(1))
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))
        if self.reader.is_encrypted:
            raise ValueError("encrypted")
        self.next = int(cast(Any, self.reader.trailer["/Size"]))
        self.pages = self.reader.pages
        self.objects: dict[int, tuple[int, Any]] = {}
        self.info: Any = None  # a new /Info (set_title_if_missing)

    def _add_object(self, obj: Any) -> Any:
        from pypdf.generic import IndirectObject

        ref = IndirectObject(self.next, 0, self.reader)
        self.objects[self.next] = (0, obj)
        obj.indirect_reference = ref
        self.next += 1
        return ref

    def set_title_if_missing(self, title: str) -> None:
        """Give the document information dictionary a /Title when it has none (a new /Info object,
        the old entries kept, named by the update's trailer)."""
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        old = self.reader.trailer.get("/Info")
        info = DictionaryObject(cast(Any, old.get_object()) if old is not None else {})
        if str(info.get("/Title") or "").strip():
            return
        info[NameObject("/Title")] = TextStringObject(title)
        self.info = self._add_object(info)

    def touch(self, pi: int) -> None:
        """Mark a page as changed; its /Annots becomes a direct array of its own."""
        from pypdf.generic import ArrayObject, NameObject

        page = self.pages[pi]
        ref = page.indirect_reference
        if ref is None:
            raise ValueError("page without an object number")
        if ref.idnum in self.objects:
            return
        old = page.get("/Annots")
        items = list(cast(ArrayObject, old.get_object())) if old is not None else []
        page[NameObject("/Annots")] = ArrayObject(items)
        self.objects[ref.idnum] = (ref.generation, page)

    def finish(self) -> bytes:
        from pypdf.generic import DictionaryObject, NameObject, NumberObject

        out = io.BytesIO()
        out.write(self.data)
        if not self.data.endswith(b"\n"):
            out.write(b"\n")
        offsets: dict[int, tuple[int, int]] = {}
        for num in sorted(self.objects):
            gen, obj = self.objects[num]
            offsets[num] = (out.tell(), gen)
            out.write(f"{num} {gen} obj\n".encode("ascii"))
            obj.write_to_stream(out)
            out.write(b"\nendobj\n")
        xref = out.tell()
        # the free-list head first, as Acrobat writes updates (some readers expect a subsection at 0)
        lines = [b"xref\n", b"0 1\n", b"0000000000 65535 f\r\n"]
        nums = sorted(offsets)
        i = 0
        while i < len(nums):  # contiguous subsections
            j = i
            while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
                j += 1
            lines.append(f"{nums[i]} {j - i + 1}\n".encode("ascii"))
            for n in nums[i : j + 1]:
                off, gen = offsets[n]
                lines.append(f"{off:010d} {gen:05d} n\r\n".encode("ascii"))
            i = j + 1
        out.write(b"".join(lines))
        trailer = DictionaryObject({NameObject("/Size"): NumberObject(self.next), NameObject("/Prev"): NumberObject(self.prev)})
        for key in ("/Root", "/Info", "/ID"):
            if key in self.reader.trailer:
                trailer[NameObject(key)] = self.reader.trailer.raw_get(key)
        if self.info is not None:
            trailer[NameObject("/Info")] = self.info
        out.write(b"trailer\n")
        trailer.write_to_stream(out)
        out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode("ascii"))
        return out.getvalue()


__all__ = ["NotAPdfError", "annotate_pdf", "comment_text"]
