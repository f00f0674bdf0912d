"""Annotated PDF report: the original PDF with a highlight and a comment pop-up on the cells and
sentences each error and warning involves (pypdf; explicit appearance streams so every viewer
draws them), coloured by severity; findings sharing a cell each get a band of it, so no two
highlights overlap and mix their colours. 提示 (rounding notes and the like) are counted on the
summary, not painted on the page.

Before the document's pages: a summary (``pdf_summary``) with a line per error and warning linking
to its page; an outline with a bookmark per finding; the title 《…》核对意见 (the original's XMP
metadata, which would name the original, is dropped); page labels so the document's pages keep
their printed numbers.

Findings located on a page without a box get a note icon at the page's top-left corner; findings
without any page (rare for a PDF input) are listed in one note on the first page.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import re
from collections import defaultdict
from typing import Any, cast

from ..ingest import sniff_format
from ..model import Finding, Metadata, Severity
from .crops import BBox, Frame, SentenceLocator, finding_boxes
from .pdf_summary import (
    PAGE_H,
    PAGE_W,
    Entry,
    SummaryPage,
    content_stream,
    font_dict,
    paginate,
    pdf_title,
    summary_lines,
)

# Severities painted on the pages; the others are counted on the summary page only.
MARKED = (Severity.ERROR, Severity.WARNING)

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


def split_shared(per_finding: list[dict[int, list[BBox]]]) -> list[dict[int, list[BBox]]]:
    """Give each finding its own horizontal band of a box several findings share (in the order of
    the findings), so their highlights sit side by side instead of on top of each other."""
    owners: dict[tuple[int, tuple[float, ...]], list[int]] = defaultdict(list)
    for i, pages in enumerate(per_finding):
        for page, bbs in pages.items():
            for bb in {tuple(round(v, 1) for v in b) for b in bbs}:
                owners[(page, bb)].append(i)
    out: list[dict[int, list[BBox]]] = []
    for i, pages in enumerate(per_finding):
        mine: dict[int, list[BBox]] = {}
        for page, bbs in pages.items():
            boxes: list[BBox] = []
            for b in bbs:
                who = owners[(page, tuple(round(v, 1) for v in b))]
                if len(who) > 1:
                    k, j = len(who), who.index(i)
                    x0, top, x1, bottom = b
                    step = (bottom - top) / k
                    b = (x0, top + j * step, x1, top + (j + 1) * step)
                boxes.append(b)
            mine[page] = boxes
        out.append(mine)
    return out


def annotate_pdf(data: bytes, findings: list[Finding], *, name: str = "文件", metadata: Metadata | None = None) -> bytes:
    """The PDF ``data`` with one highlight (and pop-up comment) per error or warning and page,
    a summary page in front, bookmarks and the title 《…》核对意见."""
    if sniff_format(data) != "pdf":
        raise NotAPdfError(name)
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
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

    def highlight(pi: int, boxes: list[BBox], f: Finding, idx: int) -> float:
        """Highlight the boxes; return the top of the highlight (user space) for bookmarks."""
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
        return ry1

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
    marked = sorted((f for f in findings if f.severity in MARKED), key=Finding.sort_key)
    try:
        per_finding = split_shared([finding_boxes(f, locator) for f in marked])
    finally:
        if pdf is not None:
            pdf.close()
    entries: list[Entry] = []
    for idx, (f, fboxes) in enumerate(zip(marked, per_finding, strict=True), 1):
        pages: dict[int, list[BBox]] = defaultdict(list)
        for page, bbs in fboxes.items():
            if 1 <= page <= n_pages:
                pages[page - 1].extend(bbs)
        entry = Entry(f, min(pages) if pages else None, number=idx)
        entries.append(entry)
        if not pages:
            unplaced.append(f)
            continue
        placed = False
        for pi, boxes in sorted(pages.items()):
            try:
                if boxes:
                    top = highlight(pi, boxes, f, idx)
                else:
                    note(pi, comment_text(f), f"{idx}-{pi + 1}", COLORS[f.severity])
                    top = page_frame(pi)[1]
            except (ValueError, KeyError, TypeError, PyPdfError):
                # a damaged page dictionary (a /CropBox that is no rectangle): nothing drawn
                # there; the finding is still on the summary page and listed on the first page
                if pi == entry.page:
                    entry.page = None
                continue
            placed = True
            if pi == entry.page:
                entry.top = top
        if not placed:
            unplaced.append(f)
    if unplaced and n_pages:
        body = "以下问题无法在页面上定位：\n\n" + "\n\n".join(comment_text(f) for f in unplaced)
        worst = max(unplaced, key=lambda f: f.severity.rank).severity
        # the first page damaged too: the summary page in front lists them all the same
        with contextlib.suppress(ValueError, KeyError, TypeError, PyPdfError):
            note(0, body, "unplaced", COLORS[worst])
    if n_pages:
        hidden = sum(1 for f in findings if f.severity not in MARKED)
        _prepend_summary(writer, name, metadata, entries, hidden)
    if isinstance(writer, _Incremental):
        return writer.finish()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _prepend_summary(writer: Any, name: str, md: Metadata | None, entries: list[Entry], hidden_info: int) -> None:
    """Insert the summary pages before the first page, with links to the findings' pages; add the
    outline, the title and page labels. ``writer`` is an :class:`_Incremental` or a pypdf writer."""
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NullObject,
        NumberObject,
        TextStringObject,
    )

    incremental = isinstance(writer, _Incremental)
    add = writer._add_object
    root = writer.reader.trailer["/Root"].get_object() if incremental else writer._root_object
    pages_root = root["/Pages"].get_object()
    page_refs = [p.indirect_reference for p in writer.pages]
    title = pdf_title(name, md)

    def dest(pi: int, top: float | None) -> ArrayObject:
        if top is None:
            return ArrayObject([page_refs[pi], NameObject("/Fit")])
        return ArrayObject([page_refs[pi], NameObject("/XYZ"), NullObject(), FloatObject(round(top + 24, 2)), NullObject()])

    n_summary = len(paginate(summary_lines(name, md, entries, hidden_info, offset=0)))
    layout = paginate(summary_lines(name, md, entries, hidden_info, offset=n_summary))

    def line_dest(target: int) -> ArrayObject:
        pi = target - n_summary
        entry = next((e for e in entries if e.page == pi), None)
        return dest(pi, entry.top if entry else None)

    summary_refs = text_pages(add, pages_root.indirect_reference, layout, line_dest)
    kids = pages_root["/Kids"].get_object()
    for i, ref in enumerate(summary_refs):
        kids.insert(i, ref)
    pages_root[NameObject("/Count")] = NumberObject(int(pages_root["/Count"]) + len(summary_refs))

    # the outline: the summary, then a group per severity with a bookmark per finding
    outlines = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    outlines_ref = add(outlines)

    def chain(parent: DictionaryObject, items: list[DictionaryObject]) -> None:
        refs = [add(it) for it in items]
        for i, it in enumerate(items):
            it[NameObject("/Parent")] = parent.indirect_reference
            if i:
                it[NameObject("/Prev")] = refs[i - 1]
            if i + 1 < len(refs):
                it[NameObject("/Next")] = refs[i + 1]
        if refs:
            parent[NameObject("/First")] = refs[0]
            parent[NameObject("/Last")] = refs[-1]

    def item(text: str, d: ArrayObject) -> DictionaryObject:
        return DictionaryObject({NameObject("/Title"): TextStringObject(text), NameObject("/Dest"): d})

    top_items = [item("核对意见摘要", ArrayObject([summary_refs[0], NameObject("/Fit")]))]
    groups: list[tuple[DictionaryObject, list[DictionaryObject]]] = []
    visible = 1
    for sev in MARKED:
        group = [e for e in entries if e.finding.severity is sev]
        if not group:
            continue
        g = item(f"{sev.zh}（{len(group)} 条）", ArrayObject([summary_refs[0], NameObject("/Fit")]))
        children = []
        for e in group:
            where = f"第{e.page + 1}页 " if e.page is not None else ""
            label = f"{e.number}. {where}{e.finding.rule_id} {e.finding.message}"
            label = label if len(label) <= 60 else label[:59] + "…"
            target = dest(e.page, e.top) if e.page is not None else ArrayObject([summary_refs[0], NameObject("/Fit")])
            children.append(item(label, target))
        open_group = sev is Severity.ERROR  # errors unfolded, warnings folded
        g[NameObject("/Count")] = NumberObject(len(children) if open_group else -len(children))
        visible += 1 + (len(children) if open_group else 0)
        top_items.append(g)
        groups.append((g, children))
    chain(outlines, top_items)
    for g, children in groups:
        chain(g, children)
    outlines[NameObject("/Count")] = NumberObject(visible)

    root[NameObject("/Outlines")] = outlines_ref
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    root[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    if "/Metadata" in root:
        del root["/Metadata"]  # the original's XMP names the original; the Info title is ours
    # the summary pages are 核对意见1, 2…; the document's pages keep their numbers from 1
    old = root.get("/PageLabels")
    nums: list[Any] = [NumberObject(0), DictionaryObject({NameObject("/P"): TextStringObject("核对意见"), NameObject("/S"): NameObject("/D")})]
    old_nums = old.get_object().get("/Nums") if old is not None else None
    if old_nums is not None:
        vals = list(old_nums.get_object())
        for k in range(0, len(vals) - 1, 2):
            nums += [NumberObject(int(vals[k]) + len(summary_refs)), vals[k + 1]]
    else:
        nums += [NumberObject(len(summary_refs)), DictionaryObject({NameObject("/S"): NameObject("/D")})]
    root[NameObject("/PageLabels")] = DictionaryObject({NameObject("/Nums"): ArrayObject(nums)})
    if incremental:
        writer.touch_object(root)
        writer.touch_object(pages_root)
        writer.set_title(title)
    else:
        writer.add_metadata({"/Title": title, "/Producer": "juesuan"})


def text_pages(add: Any, parent: Any, layout: list[SummaryPage], line_dest: Any) -> list[Any]:
    """The page objects of laid-out text (``pdf_summary``), each line with a link target becoming
    a link annotation to ``line_dest(target)``; returns their references (not yet in the tree)."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
    )

    font = font_dict(add)
    refs = []
    for sp in layout:
        content = StreamObject()
        content.set_data(content_stream(sp))
        page = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Page"),
                NameObject("/Parent"): parent,
                NameObject("/MediaBox"): ArrayObject([NumberObject(0), NumberObject(0), FloatObject(PAGE_W), FloatObject(PAGE_H)]),
                NameObject("/Resources"): DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}),
                NameObject("/Contents"): add(content),
            }
        )
        links = ArrayObject()
        for ln, y in sp.lines:
            if ln.link is None:
                continue
            rect = [FloatObject(48), FloatObject(round(y - 2.5, 2)), FloatObject(PAGE_W - 48), FloatObject(round(y + ln.size, 2))]
            links.append(
                add(
                    DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Annot"),
                            NameObject("/Subtype"): NameObject("/Link"),
                            NameObject("/Rect"): ArrayObject(rect),
                            NameObject("/Border"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(0)]),
                            NameObject("/Dest"): line_dest(ln.link),
                        }
                    )
                )
            )
        if links:
            page[NameObject("/Annots")] = links
        refs.append(add(page))
    return refs


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
        self.info: Any = None

    def _add_object(self, obj: Any) -> Any:
        from pypdf.generic import IndirectObject

        ref = IndirectObject(self.next, 0, self.reader)
        self.objects[self.next] = (0, obj)
        obj.indirect_reference = ref
        self.next += 1
        return ref

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

    def touch_object(self, obj: Any) -> None:
        """Write ``obj`` (an object of the original) again in the update, as it is now."""
        ref = obj.indirect_reference
        if ref is None:
            raise ValueError("object without an object number")
        self.objects[ref.idnum] = (ref.generation, obj)

    def set_title(self, title: str) -> None:
        """A new document information dictionary: the original's entries with this title."""
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        info = DictionaryObject()
        old = self.reader.trailer.get("/Info")
        # a damaged file's /Info may point at nothing, or at no dictionary: its entries are lost
        entries = old.get_object() if old is not None else None
        if isinstance(entries, DictionaryObject):
            for k, v in entries.items():
                if not hasattr(v, "indirect_reference") or v.indirect_reference is None:
                    info[NameObject(k)] = v
        info[NameObject("/Title")] = TextStringObject(title)
        info[NameObject("/Producer")] = TextStringObject("juesuan")
        self.info = self._add_object(info)

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
