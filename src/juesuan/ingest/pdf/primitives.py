"""Page primitives: the words and ruling lines of one page, in its displayed orientation.

Contract (shared with the OCR reader, which builds the same shapes from page images):

- Coordinates are PDF points (1/72 inch), origin at the TOP-LEFT of the page as DISPLAYED:
  ``x`` grows to the right, ``top``/``bottom`` grow downwards, ``top < bottom``. A page with a
  ``/Rotate`` flag is given as it is shown (a 90°-rotated portrait page becomes a landscape
  page, its text upright); a landscape media box without a flag is simply a wide page.
- :class:`Word` is a run of characters printed on one line without a visible gap (CJK text has
  no spaces, so a "word" is usually a phrase or a whole cell). ``text`` has no leading or
  trailing spaces; spaces the PDF prints inside a run (``1 234.56``) are kept as one space.
  ``size`` is the font size in points when known (the nominal size scaled by the text
  matrix); ``x0``/``x1`` enclose the glyphs' advances and ``top``/``bottom`` their tight
  boxes (a lone ``一`` is a thin box at the middle of its line); ``confidence`` is None for a text layer and
  0..1 for OCR; ``bold`` is a hint (a bold weight, or a bold or heading face: 黑体, 小标宋).
- :class:`Segment` is an axis-aligned ruling line as its bounding box (stroke width included):
  a horizontal segment has ``bottom - top`` small, a vertical one ``x1 - x0`` small. Thin filled
  rectangles count as lines; the four edges of a larger rectangle (a cell border drawn as a
  rectangle) are given as four segments.
- :class:`PageContent` is one page: ``number`` is 1-based, ``width``/``height`` are the
  displayed size, ``words`` are in the content stream's order (NOT reading order: the layout
  layer orders them), ``hlines``/``vlines`` are the horizontal and vertical segments.

:func:`page_contents` reads every page of an open :class:`pypdfium2.PdfDocument` with one pass
over the characters of each page (ctypes calls on pdfium's text page, no per-character Python
objects kept) and one pass over its path objects.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["PageContent", "Segment", "Word", "page_contents", "page_content"]

# A filled rectangle thinner than this (points) is a ruling line, not a shaded area.
THIN = 2.5


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float | None = None
    confidence: float | None = None
    bold: bool = False
    # the left edge of each character's box (``len(lefts) == len(text)``) when the reader knows
    # them (a text layer); None otherwise (OCR, a word made by hand). Where a cell border cuts a
    # word, these say on which side of the border each character was printed.
    lefts: list[float] | None = None

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Segment:
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    hlines: list[Segment] = field(default_factory=list)
    vlines: list[Segment] = field(default_factory=list)


class _Frame:
    """Maps PDF user space (origin bottom-left of the crop box) to displayed top-left space."""

    def __init__(self, page: pdfium.PdfPage):
        raw = page.raw
        left, bottom, right, top = (float(v) for v in page.get_cropbox())
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        self.rot = pdfium_c.FPDFPage_GetRotation(raw) % 4
        w, h = right - left, top - bottom
        self.width, self.height = (h, w) if self.rot in (1, 3) else (w, h)

    def box(self, lx: float, b: float, r: float, t: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) displayed, from a user-space box (left, bottom, right, top)."""
        L, B, R, T = self.left, self.bottom, self.right, self.top
        rot = self.rot
        if rot == 0:
            return lx - L, T - t, r - L, T - b
        if rot == 1:  # 90° clockwise: user x -> displayed y, user y -> displayed x
            return b - B, lx - L, t - B, r - L
        if rot == 2:
            return R - r, b - B, R - lx, t - B
        return T - t, R - r, T - b, R - lx


_SMALL_ASCII = frozenset(map(ord, ".,:;'`\"-"))


def _punct(cp: int) -> bool:
    """Punctuation whose glyph covers only a small part of its advance."""
    return (
        cp in _SMALL_ASCII
        or 0x3000 <= cp <= 0x303F
        or 0xFF00 <= cp <= 0xFF0F
        or 0xFF1A <= cp <= 0xFF20
        or 0x2018 <= cp <= 0x201F
    )


# every code point :func:`_punct` accepts, for one set lookup per character in the hot loop
_PUNCT = frozenset(
    [*_SMALL_ASCII, *range(0x3000, 0x3040), *range(0xFF00, 0xFF10), *range(0xFF1A, 0xFF21), *range(0x2018, 0x2020)]
)

# the same as characters, for the per-character loop
_PUNCT_CHARS = frozenset(map(chr, _PUNCT))

# characters above U+0020 that are not printed: no character, or a space
_ODD = frozenset("\ufffe\uffff\u3000\xa0")
# characters at or below U+0020 that end the current run (line breaks, pdfium's markers)
_BREAKS = frozenset("\n\r\x02\x03")
_NONE = frozenset("\x00\ufffe\uffff")
# the characters the per-character loop does not print: those at or below U+0020 and the odd ones
_UNPRINTED = frozenset(map(chr, range(0x21))) | _ODD

_HEAVY = ("bold", "black", "heavy", "hei", "黑体", "小标宋", "粗")
_BOLD_CACHE: dict[bytes, bool] = {}


def _bold_name(raw: bytes) -> bool:
    """Whether a font name (UTF-8 or GBK, as embedded) names a bold or heading face."""
    hit = _BOLD_CACHE.get(raw)
    if hit is None:
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            name = raw.decode("gbk", errors="replace")
        name = name.split("+", 1)[-1].lower()
        hit = _BOLD_CACHE[raw] = any(k in name for k in _HEAVY)
    return hit


def _bare(fn: Any, restype: Any = ctypes.c_int) -> Any:
    """The same pdfium entry point with ctypes' argument checks off (``argtypes`` None): called
    with ``c_void_p`` handles and pointers and Python ints for indexes, it costs half the
    converting call. Only for functions returning a C ``int`` (FPDF_BOOL) taking pointers and
    ints, and only on the per-character path, where the calls are counted in tens of thousands."""
    f: Any = ctypes.CFUNCTYPE(restype)(ctypes.cast(fn, ctypes.c_void_p).value or 0)
    f.argtypes = None
    return f


_CHAR_BOX = _bare(pdfium_c.FPDFText_GetCharBox)  # (textpage, index, double* x4) -> bool
_LOOSE_BOX = _bare(pdfium_c.FPDFText_GetLooseCharBox)  # (textpage, index, FS_RECTF*) -> bool
_IS_GENERATED = _bare(pdfium_c.FPDFText_IsGenerated)  # (textpage, index) -> int
# once per word: its text object (an address), and once per text object: its font
_TEXT_OBJECT = _bare(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)  # (textpage, index) -> object
_FONT_SIZE = _bare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)  # (textpage, index) -> double
_CHAR_MATRIX = _bare(pdfium_c.FPDFText_GetMatrix)  # (textpage, index, FS_MATRIX*) -> bool
_FONT_WEIGHT = _bare(pdfium_c.FPDFText_GetFontWeight)  # (textpage, index) -> int
_FONT_INFO = _bare(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong)  # (textpage, index, char*, len, int*)
# the same for the per-path-object calls of the ruling-line pass (handles passed as the typed
# pointers pypdfium2's own calls return)
_OBJ_TYPE = _bare(pdfium_c.FPDFPageObj_GetType)  # (object) -> int
_OBJ_BOUNDS = _bare(pdfium_c.FPDFPageObj_GetBounds)  # (object, float* x4) -> bool
_DRAW_MODE = _bare(pdfium_c.FPDFPath_GetDrawMode)  # (object, int*, int*) -> bool
# and for the path objects read point by point (a shape that is not a thin line: a cell's
# background, a border drawn as one rectangle, a form's paths)
_OBJ_MATRIX = _bare(pdfium_c.FPDFPageObj_GetMatrix)  # (object, FS_MATRIX*) -> bool
_STROKE_WIDTH = _bare(pdfium_c.FPDFPageObj_GetStrokeWidth)  # (object, float*) -> bool
_COUNT_SEGMENTS = _bare(pdfium_c.FPDFPath_CountSegments)  # (object) -> int
_SEGMENT_POINT = _bare(pdfium_c.FPDFPathSegment_GetPoint)  # (segment, float*, float*) -> bool
_SEGMENT_TYPE = _bare(pdfium_c.FPDFPathSegment_GetType)  # (segment) -> int
_SEGMENT_CLOSE = _bare(pdfium_c.FPDFPathSegment_GetClose)  # (segment) -> bool


class _Handle(ctypes.c_void_p):
    """A pointer result ctypes hands back as it is (a subclass is not converted to an int), so
    it goes straight into the next unchecked call."""


_PAGE_OBJECT = ctypes.CFUNCTYPE(_Handle)(  # (page, index) -> object handle
    ctypes.cast(pdfium_c.FPDFPage_GetObject, ctypes.c_void_p).value or 0
)
_PAGE_OBJECT.argtypes = None  # type: ignore[assignment]
_PATH_SEGMENT = ctypes.CFUNCTYPE(_Handle)(  # (path object, index) -> segment handle
    ctypes.cast(pdfium_c.FPDFPath_GetPathSegment, ctypes.c_void_p).value or 0
)
_PATH_SEGMENT.argtypes = None  # type: ignore[assignment]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _chars(tp: object, n: int) -> str:
    """The character of every index as one string (``text[i]`` is character ``i``), with one call
    when the page has no surrogate pairs (text outside the BMP), else one call per character."""
    buf = (ctypes.c_ushort * (n + 1))()
    pdfium_c.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = ctypes.string_at(buf, 2 * n).decode("utf-16-le", "surrogatepass")
    if len(text) != n or _SURROGATE.search(text):
        text = "".join(map(chr, (pdfium_c.FPDFText_GetUnicode(tp, i) for i in range(n))))
        # a surrogate left (half of a pair, or a damaged file's stray code unit) is no character:
        # replaced (one per index, so ``text[i]`` stays character ``i``), else every writer of
        # the text (UTF-8 files, JSON, the terminal) fails on it
        text = _SURROGATE.sub("\ufffd", text)
    return text


def _edges(text: str, lefts: list[float]) -> list[float] | None:
    """The characters' left edges of a run, when they still match its text one for one (a
    character ``strip`` removed, a Unicode space printed at an end, leaves them unmatched)."""
    return lefts if len(lefts) == len(text) else None


def _words(page: pdfium.PdfPage, frame: _Frame) -> list[Word]:
    """One pass over the characters: runs of characters on one line without a visible gap."""
    tp = pdfium_c.FPDFText_LoadPage(page.raw)
    if not tp:
        return []
    try:
        n = pdfium_c.FPDFText_CountChars(tp)
        text_of = _chars(tp, n)
        words: list[Word] = []
        rect = pdfium_c.FS_RECTF()
        prect = ctypes.c_void_p(ctypes.addressof(rect))
        # left, right, bottom, top as four doubles: reading ``.value`` of each is several times
        # cheaper than unpacking a ctypes array
        ql, qr, qb, qt = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        pl, pr, pb, pt = (ctypes.c_void_p(ctypes.addressof(v)) for v in (ql, qr, qb, qt))
        mat = pdfium_c.FS_MATRIX()
        pmat = ctypes.byref(mat)
        tpv = ctypes.c_void_p(ctypes.cast(tp, ctypes.c_void_p).value)
        is_gen = _IS_GENERATED
        tight = _CHAR_BOX
        loose = _LOOSE_BOX
        get_size = _FONT_SIZE
        get_matrix = _CHAR_MATRIX
        get_weight = _FONT_WEIGHT
        get_info = _FONT_INFO
        name_buf = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        pflags = ctypes.byref(flags)
        name_len = ctypes.c_ulong(128)  # an unsigned long argument: passed typed, not as a C int
        box = frame.box

        text_object = _TEXT_OBJECT
        fonts: dict[int | None, tuple[float, bool]] = {}

        def is_bold(i: int) -> bool:
            if get_weight(tpv, i) >= 600:
                return True
            get_info(tpv, i, name_buf, name_len, pflags)
            return bool(flags.value & 0x40000) or _bold_name(name_buf.value)  # FXFONT_FORCE_BOLD

        upright = frame.rot == 0
        L, T = frame.left, frame.top

        def font_size(i: int) -> float:
            fs = get_size(tpv, i)
            if get_matrix(tpv, i, pmat):
                fs *= abs(mat.a * mat.d - mat.b * mat.c) ** 0.5
            return float(fs)

        # the current run (kept in plain locals, no closure over them: the run's end is written
        # out where it happens)
        chars: list[str] = []
        lefts: list[float] = []  # the left edge of each character of the run
        x0 = top = x1 = bottom = 0.0
        size = 0.0
        bold = False
        pending_space = False
        # per run, from its font size: the gap limits (the same products the tests below made)
        unit = 1.0
        gap_space = gap_tight = gap_back = 0.0

        punct = _PUNCT_CHARS
        unprinted = _UNPRINTED
        for i, ch in enumerate(text_of):  # len(text_of) == n
            if ch in unprinted:  # one test for the common printed character
                if ch in _NONE:
                    continue
                if ch in _BREAKS:
                    if chars:  # the run ends
                        text = "".join(chars).strip()
                        if text:
                            words.append(
                                Word(text, x0, top, x1, bottom, size or None, None, bold, _edges(text, lefts))
                            )
                        chars.clear()
                        lefts = []
                    pending_space = False
                elif not is_gen(tpv, i):
                    pending_space = True
                continue
            # Tight glyph boxes (pdfium's loose boxes come from the font's ascent/descent, which
            # some embedded fonts give absurdly: a digit three lines tall); the loose box only
            # for full-width punctuation, whose advance is one em though its glyph is small.
            if not tight(tpv, i, pl, pr, pb, pt):
                continue
            # one assignment each (no tuple built and unpacked per character)
            lx = ql.value
            rx = qr.value
            by = qb.value
            ty = qt.value
            if (rx <= lx and ty <= by) or ch in punct:
                if loose(tpv, i, prect):
                    if rx <= lx and ty <= by:
                        lx, rx, by, ty = rect.left, rect.right, rect.bottom, rect.top
                    else:
                        lx, rx = min(lx, rect.left), max(rx, rect.right)
            if upright:
                cx0 = lx - L
                ctop = T - ty
                cx1 = rx - L
                cbot = T - by
            else:
                cx0, ctop, cx1, cbot = box(lx, by, rx, ty)
                if cx0 > cx1:
                    cx0, cx1 = cx1, cx0
                if ctop > cbot:
                    ctop, cbot = cbot, ctop
            if chars:
                ch_h = cbot - ctop
                overlap = (bottom if bottom < cbot else cbot) - (top if top > ctop else ctop)
                run_h = bottom - top
                same_line = overlap > 0.5 * (run_h if run_h < ch_h else ch_h) or (
                    # a small glyph (comma, period, dash) inside the run's line band
                    ch_h < 0.6 * unit and ctop > top - 0.3 * unit and cbot < bottom + 0.4 * unit
                )
                gap = cx0 - x1
                limit = gap_space if pending_space else gap_tight  # a printed space is a gap
                if not same_line or gap > limit or gap < gap_back:
                    text = "".join(chars).strip()  # the run ends
                    if text:
                        words.append(Word(text, x0, top, x1, bottom, size or None, None, bold, _edges(text, lefts)))
                    chars.clear()
                    lefts = []
                elif pending_space:
                    chars.append(" ")
                    lefts.append(x1)  # a printed space starts where the run so far ends
            if not chars:
                x0 = cx0
                top = ctop
                x1 = cx1
                bottom = cbot
                # size and weight belong to the text object: read once per object
                key = text_object(tpv, i)
                font = fonts.get(key)
                if font is None:
                    font = fonts[key] = (font_size(i), is_bold(i))
                size, bold = font
                unit = size if size > 1.0 else 1.0
                gap_space = 0.6 * unit
                gap_tight = 0.3 * unit
                gap_back = -0.5 * unit
            else:
                if cx0 < x0:
                    x0 = cx0
                if ctop < top:
                    top = ctop
                if cx1 > x1:
                    x1 = cx1
                if cbot > bottom:
                    bottom = cbot
            chars.append(ch)
            lefts.append(cx0)
            pending_space = False
        if chars:
            text = "".join(chars).strip()
            if text:
                words.append(Word(text, x0, top, x1, bottom, size or None, None, bold, _edges(text, lefts)))
        return words
    finally:
        pdfium_c.FPDFText_ClosePage(tp)


def _matmul(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """a then b, PDF matrices (a, b, c, d, e, f)."""
    a0, a1, a2, a3, a4, a5 = a
    b0, b1, b2, b3, b4, b5 = b
    return (
        a0 * b0 + a1 * b2,
        a0 * b1 + a1 * b3,
        a2 * b0 + a3 * b2,
        a2 * b1 + a3 * b3,
        a4 * b0 + a5 * b2 + b4,
        a4 * b1 + a5 * b3 + b5,
    )


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _typed(obj: Any) -> Any:
    """A page object as the typed pointer pypdfium2's checked calls accept."""
    return ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT) if isinstance(obj, ctypes.c_void_p) else obj


def _form_paths(form: object, ctm: tuple[float, ...], depth: int = 1) -> Iterator[tuple[object, tuple[float, ...]]]:
    """Every path object inside a form XObject (nested forms included, to depth 8), each with the
    matrix of its parent form (the path's own matrix is read when needed)."""
    m = pdfium_c.FS_MATRIX()
    for i in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj: Any = pdfium_c.FPDFFormObj_GetObject(form, i)
        t = _OBJ_TYPE(obj)
        if t == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj, ctm
        elif t == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
            yield from _form_paths(obj, _matmul((m.a, m.b, m.c, m.d, m.e, m.f), ctm), depth + 1)


def _lines(page: pdfium.PdfPage, frame: _Frame) -> tuple[list[Segment], list[Segment]]:
    hl: list[Segment] = []
    vl: list[Segment] = []
    fx = ctypes.c_float()
    fy = ctypes.c_float()
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    pfill, pstroke = ctypes.c_void_p(ctypes.addressof(fill)), ctypes.c_void_p(ctypes.addressof(stroke))
    draw_mode = _DRAW_MODE
    sw = ctypes.c_float()
    box = frame.box

    upright = frame.rot == 0
    L, T = frame.left, frame.top

    def add(lx: float, b: float, r: float, t: float, width: float) -> None:
        if lx > r:
            lx, r = r, lx
        if b > t:
            b, t = t, b
        if upright:
            x0, top, x1, bottom = lx - L, T - t, r - L, T - b
        else:
            x0, top, x1, bottom = box(lx, b, r, t)
            if x0 > x1:
                x0, x1 = x1, x0
            if top > bottom:
                top, bottom = bottom, top
        w, h = x1 - x0, bottom - top
        if h <= THIN and w > h:
            half = max(0.0, width - h) / 2
            hl.append(Segment(x0, top - half, x1, bottom + half))
        elif w <= THIN and h > w:
            half = max(0.0, width - w) / 2
            vl.append(Segment(x0 - half, top, x1 + half, bottom))

    bl, bb, br, bt = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pbl, pbb, pbr, pbt = (ctypes.c_void_p(ctypes.addressof(v)) for v in (bl, bb, br, bt))
    get_bounds = _OBJ_BOUNDS
    om = pdfium_c.FS_MATRIX()

    pom = ctypes.c_void_p(ctypes.addressof(om))
    psw = ctypes.c_void_p(ctypes.addressof(sw))
    pfx, pfy = ctypes.c_void_p(ctypes.addressof(fx)), ctypes.c_void_p(ctypes.addressof(fy))
    get_matrix = _OBJ_MATRIX
    stroke_width = _STROKE_WIDTH
    count_segments = _COUNT_SEGMENTS
    get_segment = _PATH_SEGMENT
    segment_point = _SEGMENT_POINT
    segment_type = _SEGMENT_TYPE
    segment_close = _SEGMENT_CLOSE
    moveto, bezierto = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO

    def path(obj: Any, ctm: tuple[float, ...]) -> None:
        """Any visible path: its straight edges, or the whole of a thin filled shape."""
        draw_mode(obj, pfill, pstroke)
        filled, stroked = fill.value, stroke.value
        if not filled and not stroked:
            return  # invisible
        get_matrix(obj, pom)
        mat = _matmul((om.a, om.b, om.c, om.d, om.e, om.f), ctm)
        width = 0.0
        if stroked and stroke_width(obj, psw):
            width = abs(sw.value) * max(abs(mat[0]), abs(mat[3]), 1e-9)
        a, b, c, d, e, f = mat
        # the points in page space and their segment types, as parallel lists; a segment's
        # close flag is read only for the last point of a subpath (the only one looked at)
        xs_all: list[float] = []
        ys_all: list[float] = []
        kinds: list[int] = []
        segs: list[Any] = []
        for k in range(count_segments(obj)):
            seg = get_segment(obj, k)
            segment_point(seg, pfx, pfy)
            x, y = fx.value, fy.value
            xs_all.append(a * x + c * y + e)
            ys_all.append(b * x + d * y + f)
            kinds.append(segment_type(seg))
            segs.append(seg)
        # Walk subpaths: straight edges become segments; a thin closed shape is one line.
        n = len(kinds)
        start = 0
        while start < n:
            end = start + 1
            while end < n and kinds[end] != moveto:
                end += 1
            first, last = start, end - 1
            start = end
            if last == first:
                continue  # a lone point
            xs = xs_all[first:end]
            ys = ys_all[first:end]
            bw, bh = max(xs) - min(xs), max(ys) - min(ys)
            if filled and (bw <= THIN or bh <= THIN) and last - first >= 2:
                add(min(xs), min(ys), max(xs), max(ys), 0.0)
                continue
            if bezierto in kinds[first:end]:
                continue
            # tuples compared as the points' coordinates
            same = (xs_all[first], ys_all[first]) == (xs_all[last], ys_all[last])
            closed = segment_close(segs[last]) or same
            for k in range(first, last):  # the edge from point k to point k + 1
                px_, py_, qx, qy = xs_all[k], ys_all[k], xs_all[k + 1], ys_all[k + 1]
                if abs(py_ - qy) < 0.01 and abs(px_ - qx) > 0.01:
                    add(px_, py_ - width / 2, qx, qy + width / 2, 0.0)
                elif abs(px_ - qx) < 0.01 and abs(py_ - qy) > 0.01:
                    add(px_ - width / 2, py_, qx + width / 2, qy, 0.0)
            if closed and not same:  # the closing edge, from the last point back to the first
                px_, py_, qx, qy = xs_all[last], ys_all[last], xs_all[first], ys_all[first]
                if abs(py_ - qy) < 0.01 and abs(px_ - qx) > 0.01:
                    add(px_, py_ - width / 2, qx, qy + width / 2, 0.0)
                elif abs(px_ - qx) < 0.01 and abs(py_ - qy) > 0.01:
                    add(px_ - width / 2, py_, qx + width / 2, qy, 0.0)

    # The page's own objects, with the common case inline: one straight line or one thin
    # rectangle (bounds are in page space and include the stroke width). A form's paths (and
    # anything else) go through ``path`` with the form's matrix.
    #
    # The inline case does not ask for the draw mode: pdfium's content parser makes a path object
    # only for a path that is stroked or filled (CPDF_StreamContentParser::AddPathObject; a path
    # ended by ``n`` is a clip path, no object), so a path object read from a file is never
    # invisible. ``path`` still reads it, for the fill and stroke it needs.
    raw = page.raw
    get_object = _PAGE_OBJECT
    obj_type = _OBJ_TYPE
    path_type, form_type = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    fm = pdfium_c.FS_MATRIX()
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = get_object(raw, i)
        t = obj_type(obj)
        if t == path_type:
            if get_bounds(obj, pbl, pbb, pbr, pbt):
                lx = bl.value
                by = bb.value
                rx = br.value
                ty = bt.value
                if rx - lx <= THIN or ty - by <= THIN:
                    if upright and lx <= rx and by <= ty:  # ``add`` inlined for the common case
                        x0 = lx - L
                        top = T - ty
                        x1 = rx - L
                        bottom = T - by
                        w = x1 - x0
                        h = bottom - top
                        if h <= THIN and w > h:
                            hl.append(Segment(x0, top, x1, bottom))
                        elif w <= THIN and h > w:
                            vl.append(Segment(x0, top, x1, bottom))
                    else:
                        add(lx, by, rx, ty, 0.0)
                    continue
            path(obj, _IDENTITY)
        elif t == form_type:
            form = _typed(obj)
            pdfium_c.FPDFPageObj_GetMatrix(form, ctypes.byref(fm))
            for sub, ctm in _form_paths(form, (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)):
                path(sub, ctm)
    return hl, vl


def page_content(page: pdfium.PdfPage, number: int) -> PageContent:
    """The primitives of one page (1-based ``number``)."""
    frame = _Frame(page)
    words = _words(page, frame)
    hl, vl = _lines(page, frame)
    return PageContent(number, frame.width, frame.height, words, hl, vl)


def page_contents(pdf: pdfium.PdfDocument) -> list[PageContent]:
    """The primitives of every page of an open document, in page order."""
    out: list[PageContent] = []
    for i in range(len(pdf)):
        page = pdf[i]
        try:
            out.append(page_content(page, i + 1))
        finally:
            page.close()
    return out
