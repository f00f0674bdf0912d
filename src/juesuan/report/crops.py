"""Pictures of the places a finding involves.

For a PDF input: the page rendered with pypdfium2, cropped around the boxes in ``Ref.loc`` and
with those boxes highlighted (PNG). For any other input: the table or paragraph rendered as an
HTML fragment with the involved cells or the sentence highlighted.
"""

from __future__ import annotations

import base64
import io
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from ..ingest.errors import InputError
from ..model import Disclosure, Finding, Ref, Table
from ..runtime.limits import page_area_message, render_scale
from ..tables.schema import PERF_FIELDS

BBox = tuple[float, float, float, float]

# Highlight colours: fill (RGBA) and outline for the involved boxes.
FILL = (255, 214, 0, 90)
OUTLINE = (220, 40, 40, 255)


def finding_boxes(f: Finding, locator: SentenceLocator | None = None) -> dict[int, list[BBox]]:
    """Page (1-based) → boxes (x0, top, x1, bottom in points, origin top-left) of a finding.

    With a ``locator`` a quoted sentence is narrowed from the box the reader gave (often its
    whole paragraph) to the lines the sentence itself covers."""
    out: dict[int, list[BBox]] = defaultdict(list)
    for ref in f.locations:
        loc = ref.loc
        if loc is None or loc.page is None:
            continue
        boxes = out[loc.page]
        found = ref_boxes(ref, locator)
        for b in found:
            if b not in boxes:
                boxes.append(b)
    return dict(out)


def ref_boxes(ref: Ref, locator: SentenceLocator | None = None) -> list[BBox]:
    """The boxes of one place: the sentence's own lines when it can be found, else the reader's box."""
    loc = ref.loc
    if loc is None or loc.page is None or loc.bbox is None:
        return []
    if locator is not None and ref.text and ref.column is None:
        rects = locator.rects(loc.page, ref.text, loc.bbox)
        if rects:
            return rects
    return [loc.bbox]


# How far above a table's first row on a page its column headers are looked for, and how far
# below them a cell may be for the crop to reach up to them (farther: the crop would be a page).
HEADER_HEIGHT = 60.0
HEADER_REACH = 600.0


def context_boxes(doc: Disclosure | None, f: Finding) -> dict[int, list[BBox]]:
    """Boxes to keep inside a crop without highlighting them: the printed label of each involved
    row (so a crop of a cell shows which row it is) and the band above the table's first row on
    that page over the cell's column (so it shows which column it is: the headers)."""
    out: dict[int, list[BBox]] = defaultdict(list)
    if doc is None:
        return {}
    for ref in f.locations:
        if ref.table_index is None or not 0 <= ref.table_index < len(doc.tables):
            continue
        if ref.loc is None or ref.loc.page is None or ref.loc.bbox is None:
            continue
        t = doc.tables[ref.table_index]
        for r in t.rows if ref.row is not None else ():
            if r.key != ref.row or r.loc is None or r.loc.page != ref.loc.page or r.loc.bbox is None:
                continue
            # the row whose label sits on the cell's line (two-sided tables repeat keys)
            if abs((r.loc.bbox[1] + r.loc.bbox[3]) / 2 - (ref.loc.bbox[1] + ref.loc.bbox[3]) / 2) < 4:
                out[ref.loc.page].append(r.loc.bbox)
                break
        if ref.column is None:
            continue
        tops = [r.loc.bbox[1] for r in t.rows if r.loc is not None and r.loc.page == ref.loc.page and r.loc.bbox is not None]
        if tops and 0 <= ref.loc.bbox[1] - min(tops) <= HEADER_REACH:
            top = min(tops)
            out[ref.loc.page].append((ref.loc.bbox[0], max(0.0, top - HEADER_HEIGHT), ref.loc.bbox[2], top))
    return dict(out)


class Frame:
    """A page's displayed frame: PDF user space (origin bottom-left of the crop box) ↔ the
    top-left, rotation-applied space of ``Location.bbox`` (as the PDF reader gives it)."""

    def __init__(self, cropbox: tuple[float, float, float, float], rotation: int = 0):
        self.left, self.bottom, self.right, self.top = (float(v) for v in cropbox)
        self.rot = (int(rotation) // 90) % 4

    def to_display(self, lx: float, b: float, r: float, t: float) -> BBox:
        """(x0, top, x1, bottom) displayed, from a user-space box (left, bottom, right, top)."""
        L, B, R, T = self.left, self.bottom, self.right, self.top
        if self.rot == 0:
            return lx - L, T - t, r - L, T - b
        if self.rot == 1:
            return b - B, lx - L, t - B, r - L
        if self.rot == 2:
            return R - r, b - B, R - lx, t - B
        return T - t, R - r, T - b, R - lx

    def to_user(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in user space, from a displayed box."""
        L, B, R, T = self.left, self.bottom, self.right, self.top
        if self.rot == 0:
            return x0 + L, T - bottom, x1 + L, T - top
        if self.rot == 1:
            return top + L, x0 + B, bottom + L, x1 + B
        if self.rot == 2:
            return R - x1, top + B, R - x0, bottom + B
        return R - bottom, T - x1, R - top, T - x0


_SPACE = {" ", "\t", "\r", "\n", "\u3000", "\xa0", "\ufffe", "\x02"}


def _norm(ch: str) -> str:
    n = unicodedata.normalize("NFKC", ch)
    return "".join(c for c in n if c not in _SPACE and not c.isspace())


class SentenceLocator:
    """Finds where a quoted sentence is printed on a PDF page (pdfium's characters and boxes), so
    a highlight covers the sentence's lines rather than the reader's whole paragraph box."""

    def __init__(self, pdf: Any):
        self._pdf = pdf
        self._pages: dict[int, tuple[str, list[int], list[BBox]] | None] = {}

    def _page(self, page: int) -> tuple[str, list[int], list[BBox]] | None:
        if page in self._pages:
            return self._pages[page]
        res: tuple[str, list[int], list[BBox]] | None = None
        if 1 <= page <= len(self._pdf):
            try:
                pg = self._pdf[page - 1]
            except page_errors():  # a page pdfium cannot load (a damaged file): no text to find
                self._pages[page] = None
                return None
            try:
                tp = pg.get_textpage()
                n = tp.count_chars()
                raw = tp.get_text_range() if n else ""
                if len(raw) == n:
                    frame = Frame(pg.get_cropbox(), pg.get_rotation())
                    chars: list[str] = []
                    owner: list[int] = []
                    boxes: list[BBox] = []
                    for i, ch in enumerate(raw):
                        nc = _norm(ch)
                        if not nc:
                            continue
                        boxes.append(frame.to_display(*tp.get_charbox(i)))
                        for c in nc:
                            chars.append(c)
                            owner.append(len(boxes) - 1)
                    res = ("".join(chars), owner, boxes)
                tp.close()
            finally:
                pg.close()
        self._pages[page] = res
        return res

    def rects(self, page: int, text: str, within: BBox | None = None) -> list[BBox] | None:
        """Line rectangles of ``text`` on ``page`` (inside ``within`` when given), or None."""
        data = self._page(page)
        needle = "".join(_norm(c) for c in text)
        if data is None or len(needle) < 2:
            return None
        hay, owner, boxes = data
        # pdfium orders a page turned upside down (or sideways) by where the characters are
        # displayed, so its text can run backwards
        for probe in (needle, needle[::-1]):
            start = hay.find(probe)
            while start >= 0:
                idx = sorted({owner[i] for i in range(start, start + len(probe))})
                cb = [boxes[i] for i in idx]
                if within is None or _inside(cb, within):
                    return _lines(cb)
                start = hay.find(probe, start + 1)
        return None


def _inside(cb: list[BBox], within: BBox, slack: float = 6.0) -> bool:
    n = sum(
        1
        for b in cb
        if b[0] >= within[0] - slack and b[2] <= within[2] + slack and b[1] >= within[1] - slack and b[3] <= within[3] + slack
    )
    return n >= 0.8 * len(cb)


def _lines(cb: list[BBox]) -> list[BBox]:
    """Character boxes in reading order merged into one rectangle per printed line (a column of
    characters when the text runs up or down, as on a page turned by /Rotate)."""

    def overlap(a0: float, a1: float, b0: float, b1: float) -> bool:
        return min(a1, b1) - max(a0, b0) > 0.3 * min(a1 - a0, b1 - b0)

    out: list[list[float]] = []
    direction: str | None = None
    last: BBox | None = None
    for b in cb:
        if out and last is not None:
            cur = out[-1]
            across = overlap(b[1], b[3], last[1], last[3])  # same printed row
            down = overlap(b[0], b[2], last[0], last[2]) and not across  # stacked: a column
            step = "h" if across and direction != "v" else "v" if down and direction != "h" else None
            if step is not None:
                direction = step
                cur[0], cur[1] = min(cur[0], b[0]), min(cur[1], b[1])
                cur[2], cur[3] = max(cur[2], b[2]), max(cur[3], b[3])
                last = b
                continue
        out.append(list(b))
        direction, last = None, b
    return [(round(a, 2), round(b_, 2), round(c, 2), round(d, 2)) for a, b_, c, d in out]


@dataclass
class Crop:
    """A rendered crop of one page: a PNG and the page it comes from."""

    page: int
    png: bytes
    boxes: list[BBox] = field(default_factory=list)

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def small_png(img: Any) -> bytes:
    """A page picture as a compact PNG: 64 colours keep print and highlights crisp at a third of
    the size of a true-colour PNG, and encoding takes a fraction of ``optimize=True``'s time."""
    from PIL import Image

    buf = io.BytesIO()
    img.quantize(64, method=Image.Quantize.FASTOCTREE).save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


def page_errors() -> tuple[type[BaseException], ...]:
    """What pdfium raises for a page it cannot load (pypdfium2 is loaded with the first PDF)."""
    import pypdfium2 as pdfium

    return (pdfium.PdfiumError, InputError)  # InputError: a page over the rendering budget


class PageRenderer:
    """Renders pages of one PDF once each and cuts crops from them."""

    def __init__(self, data: bytes, scale: float = 2.0, *, name: str = "PDF"):
        import pypdfium2 as pdfium

        self.scale = scale
        self.name = name  # the file, for the message of a page too large to render
        self._pdf = pdfium.PdfDocument(data)
        self._cache: dict[int, Any] = {}
        self.locator = SentenceLocator(self._pdf)

    def page_scale(self, page: int) -> float:
        """Pixels per point for this page: ``scale``, less when the picture would exceed the pixel
        budget; a page larger than the area budget (a damaged or hostile PDF may declare one of
        10,000,000 pt a side) is not rendered at all: an :class:`InputError` naming the page."""
        w, h = self.page_size(page)
        s = render_scale(w, h, self.scale)
        if s is None:
            raise InputError(self.name, page_area_message(w, h), code="too_large", where=f"第 {page} 页")
        return s

    def __len__(self) -> int:
        return len(self._pdf)

    def close(self) -> None:
        self._cache.clear()
        self._pdf.close()

    def page_size(self, page: int) -> tuple[float, float]:
        w, h = self._pdf[page - 1].get_size()
        return float(w), float(h)

    def image(self, page: int) -> Any:
        """The whole page as a PIL image (RGB) at ``scale`` pixels per point."""
        img = self._cache.get(page)
        if img is None:
            pg = self._pdf[page - 1]
            img = pg.render(scale=self.page_scale(page), draw_annots=False).to_pil().convert("RGB")
            self._cache[page] = img
        return img

    def page_png(self, page: int, scale: float | None = None) -> bytes:
        img = self.image(page)
        if scale is not None and scale != self.scale:
            w, h = img.size
            ratio = min(scale, self.page_scale(page)) / self.page_scale(page)
            img = img.resize((max(1, int(w * ratio)), max(1, int(h * ratio))))
        return small_png(img)

    def crop(
        self,
        page: int,
        boxes: list[BBox],
        *,
        context: list[BBox] | None = None,
        margin: float = 36.0,
        min_width: float = 320.0,
    ) -> Crop | None:
        """The region around ``boxes`` (or the whole page when there are none), highlighted.
        ``context`` boxes (a row's label) are kept inside the region but not highlighted."""
        from PIL import Image, ImageDraw

        if page < 1 or page > len(self._pdf):
            return None
        try:
            pw, ph = self.page_size(page)
            base = self.image(page)
        except page_errors():  # a page pdfium cannot load (a damaged file): no picture of it
            return None
        # a damaged file's boxes may be inverted or off the page: ordered, and dropped when outside
        boxes = [(min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])) for b in boxes]
        boxes = [b for b in boxes if b[2] > 0 and b[3] > 0 and b[0] < pw and b[1] < ph]
        context = [(min(b[0], b[2]), min(b[1], b[3]), max(b[0], b[2]), max(b[1], b[3])) for b in context or []]
        if boxes:
            span = boxes + list(context or [])
            x0 = min(b[0] for b in span) - margin
            x1 = max(b[2] for b in span) + margin
            y0 = min(b[1] for b in span) - margin
            y1 = max(b[3] for b in span) + margin
            if x1 - x0 < min_width:
                cx = (x0 + x1) / 2
                x0, x1 = cx - min_width / 2, cx + min_width / 2
            x0, y0 = max(0.0, x0), max(0.0, y0)
            x1, y1 = min(pw, x1), min(ph, y1)
        if not boxes or x1 <= x0 or y1 <= y0:
            x0, y0, x1, y1 = 0.0, 0.0, pw, ph
        s = self.page_scale(page)
        px0, py0 = int(x0 * s), int(y0 * s)
        # at least a pixel: on a page rendered small (the pixel budget) a region may round to none
        region = base.crop((px0, py0, max(px0 + 1, int(x1 * s)), max(py0 + 1, int(y1 * s)))).convert("RGBA")
        overlay = Image.new("RGBA", region.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for b in boxes:
            rect = ((b[0] - x0) * s - 2, (b[1] - y0) * s - 2, (b[2] - x0) * s + 2, (b[3] - y0) * s + 2)
            draw.rectangle(rect, fill=FILL, outline=OUTLINE, width=max(2, int(s)))
        out = Image.alpha_composite(region, overlay).convert("RGB")
        if not boxes:  # whole page without a box: keep it small
            out.thumbnail((int(pw * 1.2), int(ph * 1.2)))
        return Crop(page=page, png=small_png(out), boxes=list(boxes))

    def finding_crops(self, f: Finding, doc: Disclosure | None = None, *, limit: int | None = None) -> list[Crop]:
        """One highlighted crop per page the finding involves (sentences narrowed to their lines,
        cells shown with their row's label when ``doc`` is given), for the first ``limit`` pages."""
        out: list[Crop] = []
        ctx = context_boxes(doc, f)
        for page, boxes in sorted(finding_boxes(f, self.locator).items())[:limit]:
            c = self.crop(page, boxes, context=ctx.get(page))
            if c is not None:
                out.append(c)
        return out


# -- non-PDF inputs: HTML fragments ---------------------------------------------------------------


def _cell_text(t: Table, row_i: int, key: str) -> str:
    c = t.rows[row_i].cells.get(key)
    if c is None:
        return ""
    return c.raw


def table_fragment(
    t: Table,
    marked: set[tuple[str, str | None, str | None]],
    *,
    context: int = 2,
    max_rows: int = 12,
) -> Markup:
    """The table as HTML with the involved cells (``(row, side, column)``; column None marks the
    whole row) highlighted. Long tables show only the involved rows and ``context`` rows around."""
    cols = [c.key for c in t.columns] or sorted({k for r in t.rows for k in r.cells})
    hit_rows = {
        i for i, r in enumerate(t.rows) if any(m[0] == r.key and (m[1] is None or m[1] == r.side) for m in marked)
    }
    if len(t.rows) <= max_rows or not hit_rows:
        keep = set(range(min(len(t.rows), max_rows)))
        keep |= hit_rows
    else:
        keep = {j for i in hit_rows for j in range(i - context, i + context + 1) if 0 <= j < len(t.rows)}
    parts = ['<table class="snip"><thead><tr><th>科目代码/行</th><th>项目</th>']
    parts += [f"<th>{escape(t.column_label(c))}</th>" for c in cols]
    parts.append("</tr></thead><tbody>")
    prev = -1
    for i, r in enumerate(t.rows):
        if i not in keep:
            continue
        if prev >= 0 and i != prev + 1:
            parts.append(f'<tr class="gap"><td colspan="{len(cols) + 2}">…</td></tr>')
        prev = i
        row_hit = any(m[0] == r.key and (m[1] is None or m[1] == r.side) for m in marked)
        whole = any(m[0] == r.key and m[2] is None and (m[1] is None or m[1] == r.side) for m in marked)
        cls = ' class="hitrow"' if row_hit else ""
        parts.append(f"<tr{cls}><td>{escape(r.code or '')}</td><td>{escape(r.label)}</td>")
        for c in cols:
            hit = whole or any(
                m[0] == r.key and m[2] == c and (m[1] is None or m[1] == r.side) for m in marked
            )
            cell_cls = ' class="hl"' if hit else ""
            parts.append(f'<td{cell_cls} data-col="{escape(c)}">{escape(_cell_text(t, i, c))}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))


def fields_fragment(t: Table, marked: set[str]) -> Markup:
    """The key/value fields of a table (绩效自评表: 项目名称, 全年预算数, 执行数 …) with ``marked``
    highlighted; long text fields are left out unless involved."""
    parts = ['<table class="snip"><tbody>']
    for k, c in t.fields.items():
        if k not in marked and len(c.raw) > 40:
            continue
        cls = ' class="hl"' if k in marked else ""
        parts.append(f"<tr><th>{escape(PERF_FIELDS.get(k, k))}</th><td{cls} data-col=\"{escape(k)}\">{escape(c.raw)}</td></tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))


def _find_paragraph(doc: Disclosure, ref: Ref) -> str | None:
    text = (ref.text or "").strip()
    line = ref.loc.line if ref.loc else None
    best: str | None = None
    for _, p in doc.paragraphs():
        if text and text in p.text:
            return p.text
        if line is not None and p.loc is not None and p.loc.line == line:
            best = p.text
    if best is None and text:
        # headings, 目录 entries and other lines outside paragraphs
        for tl in doc.text_lines():
            if text in tl.text:
                return tl.text
    return best


def _marked(line: str, text: str) -> Markup:
    if text and text in line:
        i = line.index(text)
        return escape(line[:i]) + Markup("<mark>") + escape(text) + Markup("</mark>") + escape(line[i + len(text) :])
    return escape(line)


def sentence_fragment(doc: Disclosure, ref: Ref) -> Markup:
    """The paragraph holding the quoted sentence, with the sentence marked."""
    text = (ref.text or "").strip()
    para = _find_paragraph(doc, ref)
    if para:
        body = _marked(para, text)
    else:
        body = Markup("<mark>") + escape(text) + Markup("</mark>")
    return Markup('<p class="snip-para">') + body + Markup("</p>")


def _table_line(t: Table, text: str) -> str | None:
    """The line of a table outside its grid (title, 部门 line, notes, 绩效 fields) holding ``text``."""
    lines = [t.title] + [h.text for h in t.header_texts] + [n.text for n in t.notes]
    lines += [f"{PERF_FIELDS.get(k, k)}：{c.raw}" for k, c in t.fields.items()]
    for ln in lines:
        if ln and text in ln:
            return ln
    return None


MAX_FRAGMENTS = 5


def finding_fragments(doc: Disclosure, f: Finding, *, limit: int = MAX_FRAGMENTS) -> list[Markup]:
    """HTML fragments (tables with cells highlighted, paragraphs with sentences marked), at most
    ``limit`` of them plus a line saying how many more places the finding lists."""
    by_table: dict[int, set[tuple[str, str | None, str | None]]] = defaultdict(set)
    fields_marked: dict[int, set[str]] = defaultdict(set)
    lines: list[tuple[int, str]] = []
    texts: list[Ref] = []
    for ref in f.locations:
        if ref.table_index is not None and 0 <= ref.table_index < len(doc.tables):
            t = doc.tables[ref.table_index]
            if ref.row is not None and ref.column in t.fields and t.row(ref.row) is None:
                fields_marked[ref.table_index].add(ref.column)
            elif ref.row is not None:
                side = None
                row = t.row(ref.row)
                if row is not None and len([r for r in t.rows if r.key == ref.row]) > 1:
                    side = row.side
                by_table[ref.table_index].add((ref.row, side, ref.column))
            elif ref.text and (ln := _table_line(t, ref.text.strip())) is not None:
                lines.append((ref.table_index, ln if ln == ref.text else ln + "\x00" + ref.text.strip()))
            else:
                by_table.setdefault(ref.table_index, set())
        elif ref.text:
            texts.append(ref)
    out: list[Markup] = []
    seen: set[str] = set()

    def add(m: Markup) -> None:
        if str(m) not in seen:
            seen.add(str(m))
            out.append(m)

    for ti, marked in sorted(by_table.items()):
        t = doc.tables[ti]
        head = Markup('<div class="snip-title">') + escape(f"《{t.name}》") + Markup("</div>")
        if marked:
            add(head + table_fragment(t, marked))
        else:  # the table as a whole: its first rows are enough to recognise it
            more = Markup('<div class="snip-more">') + escape(f"（共 {len(t.rows)} 行，仅显示前几行）") + Markup("</div>")
            add(head + table_fragment(t, marked, max_rows=6) + (more if len(t.rows) > 6 else Markup("")))
    for ti, keys in sorted(fields_marked.items()):
        t = doc.tables[ti]
        head = Markup('<div class="snip-title">') + escape(f"《{t.name}》") + Markup("</div>")
        add(head + fields_fragment(t, keys))
    for ti, ln in lines:
        line, _, text = ln.partition("\x00")
        head = Markup('<div class="snip-title">') + escape(f"《{doc.tables[ti].name}》") + Markup("</div>")
        add(head + Markup('<p class="snip-para">') + _marked(line, text or line) + Markup("</p>"))
    for ref in texts:
        add(sentence_fragment(doc, ref))
    if len(out) > limit:
        rest = len(out) - limit
        out = out[:limit] + [Markup('<div class="snip-more">') + escape(f"另有 {rest} 处，见上方位置列表。") + Markup("</div>")]
    return out
