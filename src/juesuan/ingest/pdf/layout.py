"""From page primitives to a :class:`RawDocument`: tables from ruling lines, running text in
reading order.

Shared by the text-layer PDF reader and the OCR reader (which builds the same
:class:`~.primitives.PageContent` from page images).

Tables
    Ruling segments are grouped into regions (segments touching each other). In a region the
    distinct y positions of the horizontal lines and x positions of the vertical lines cut the
    area into atoms; two neighbouring atoms belong to one printed cell when no segment separates
    them (merged cells become one :class:`RawCell` with ``colspan``/``rowspan``). Words go to the
    cell holding their centre; a word that runs across a printed cell border is cut there, except
    digits printed across it, which :mod:`.overflow` places (or marks uncertain). The
    lines of a cell are joined without the wrap (``本年收入合`` + ``计`` → ``本年收入合计``). A table
    continued on the next page is simply the next grid; a grid without any text (a blank
    overflow page) is left out.

Running text
    Words outside tables are grouped into printed lines (vertical overlap), ordered top to
    bottom and left to right whatever their order in the content stream. Consecutive lines of
    one paragraph (the line above reaches the right margin, the next is not indented and is not
    a numbered heading) are merged into one :class:`RawLine`, also across a page break.
    Page numbers in the top or bottom margin are dropped. Size, bold and centred hints are set.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from ...model import Location
from ..raw import RawCell, RawDocument, RawGrid, RawLine
from .overflow import DOUBT, Evidence, cut_in_number, place_across, positions, split_at
from .primitives import THIN, PageContent, Segment, Word

__all__ = ["reconstruct", "page_blocks"]

MAX_SEGMENTS = 8000  # more rules than this on one page: a drawing, not tables
TOL = 2.0  # points: two ruling positions closer than this are one line
JOIN = 3.0  # points: segments closer than this touch


def _bbox(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


_new_location = Location.__new__


def _slot_setter(cls: type, name: str) -> Any:
    """The ``__set__`` of the data descriptor ``object.__setattr__(obj, name, value)`` finds for
    an instance of ``cls`` (the first class in its MRO defining ``name``): the same store without
    the per-call lookup by name."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name].__set__
    raise AttributeError(name)


# the four slots every pydantic model instance has, stored as object.__setattr__ would store them
_set_dict = _slot_setter(Location, "__dict__")
_set_fields_set = _slot_setter(Location, "__pydantic_fields_set__")
_set_extra = _slot_setter(Location, "__pydantic_extra__")
_set_private = _slot_setter(Location, "__pydantic_private__")


# the fields of a Location in declaration order, all at their defaults
_BLANK_LOC: dict[str, object] = {"line": None, "col": None, "end_line": None, "page": None, "bbox": None, "ref": None, "file": None}


def _loc(page: int, bbox: tuple[float, float, float, float]) -> Location:
    """A location without pydantic validation (page and rounded box are known to be valid):
    one is made per cell, thousands per document. The same object ``Location.model_construct(
    page=page, bbox=bbox)`` gives (fields in declaration order, ``page`` and ``bbox`` set),
    without its per-field default lookups. The field dict is a copy of a template with two
    values replaced (cheaper than building a six-key dict literal)."""
    loc = _new_location(Location)
    fields = _BLANK_LOC.copy()
    fields["page"] = page
    fields["bbox"] = bbox
    _set_dict(loc, fields)
    _set_fields_set(loc, {"page", "bbox"})
    _set_extra(loc, None)
    _set_private(loc, None)
    return loc


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".,%-+()")


def _cjk_punct(ch: str) -> bool:
    return 0x3000 <= ord(ch) <= 0x303F or 0xFF00 <= ord(ch) <= 0xFF65 or ch in "“”‘’—…·"


def _join_words(words: list[Word], *, cell: bool = False) -> str:
    """Words of one printed line, left to right. A wide gap is a space, except between CJK
    characters inside a table cell (labels are often letter-spaced to fill the cell)."""
    if len(words) == 1:
        return words[0].text
    out = ""
    prev: Word | None = None
    for w in words:
        if prev is not None and out:
            gap = w.x0 - prev.x1
            size = prev.size or (prev.bottom - prev.top) or 10.0
            a, b = out[-1], w.text[0]
            wide = gap > 0.8 * size and not (_cjk_punct(a) or _cjk_punct(b))
            if wide and cell and not (a.isascii() and b.isascii()):
                wide = False
            if wide or (gap > 0.15 * size and _ascii_word(a) and _ascii_word(b)):
                out += " "
        out += w.text
        prev = w
    return out


_BY_TOP_X0 = attrgetter("top", "x0")
_BY_X0 = attrgetter("x0")


def _group_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into printed lines (vertical overlap), top to bottom, each left to right."""
    tops: list[float] = []  # per line: top, bottom, words
    bottoms: list[float] = []
    lines: list[list[Word]] = []
    for w in sorted(words, key=_BY_TOP_X0):
        wt, wb = w.top, w.bottom
        h = wb - wt
        n = len(lines)
        for k in range(n - 1, n - 4 if n > 3 else -1, -1):  # the last three lines
            top, bottom = tops[k], bottoms[k]
            # min()/max() spelled as the comparisons they make (once per word and line)
            overlap = (wb if wb < bottom else bottom) - (wt if wt > top else top)
            lh = bottom - top
            if overlap > 0.5 * (lh if lh < h else h):
                lines[k].append(w)
                if wt < top:
                    tops[k] = wt
                if wb > bottom:
                    bottoms[k] = wb
                break
        else:
            tops.append(wt)
            bottoms.append(wb)
            lines.append([w])
    order = sorted(range(len(lines)), key=tops.__getitem__)
    return [lines[k] if len(lines[k]) == 1 else sorted(lines[k], key=_BY_X0) for k in order]


def _cluster(values: list[float], tol: float = TOL) -> list[float]:
    """Sorted distinct positions: values closer than ``tol`` collapse to their mean."""
    out: list[float] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] > tol:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


@dataclass
class _Region:
    x0: float
    top: float
    x1: float
    bottom: float
    h: list[Segment] = field(default_factory=list)
    v: list[Segment] = field(default_factory=list)

    def touches(self, s: Segment) -> bool:
        return not (
            s.x1 < self.x0 - JOIN
            or s.x0 > self.x1 + JOIN
            or s.bottom < self.top - JOIN
            or s.top > self.bottom + JOIN
        )

    def add(self, s: Segment, horizontal: bool) -> None:
        (self.h if horizontal else self.v).append(s)
        # min()/max() spelled as comparisons: called once per segment of a page
        if s.x0 < self.x0:
            self.x0 = s.x0
        if s.top < self.top:
            self.top = s.top
        if s.x1 > self.x1:
            self.x1 = s.x1
        if s.bottom > self.bottom:
            self.bottom = s.bottom

    def contains(self, x: float, y: float) -> bool:
        return self.x0 - 1 <= x <= self.x1 + 1 and self.top - 1 <= y <= self.bottom + 1


def _regions(page: PageContent) -> list[_Region]:
    # segments top to bottom, then left to right; horizontal before vertical on a tie
    nh = len(page.hlines)
    order = [(s.top, s.x0, k, s) for k, s in enumerate(page.hlines + page.vlines)]
    order.sort()
    regions: list[_Region] = []
    it = iter(order)
    item = next(it, None)
    while item is not None:
        stop, sx0, k, s = item
        hz = k < nh
        sx1, sbot = s.x1, s.bottom
        # the regions the segment touches (_Region.touches and _Region.add inlined: once per
        # segment and region)
        first: _Region | None = None
        hit: list[_Region] | None = None  # any further regions it touches (rare: made on need)
        for r in regions:
            if not (sx1 < r.x0 - JOIN or sx0 > r.x1 + JOIN or sbot < r.top - JOIN or stop > r.bottom + JOIN):
                if first is None:
                    first = r
                elif hit is None:
                    hit = [r]
                else:
                    hit.append(r)
        if first is None:
            r = _Region(sx0, stop, sx1, sbot)
            r.add(s, hz)
            regions.append(r)
        else:
            (first.h if hz else first.v).append(s)
            if sx0 < first.x0:
                first.x0 = sx0
            if stop < first.top:
                first.top = stop
            if sx1 > first.x1:
                first.x1 = sx1
            if sbot > first.bottom:
                first.bottom = sbot
            for other in hit or ():
                _absorb(first, other)
                regions.remove(other)
        item = None
        if len(regions) != 1:
            item = next(it, None)
            continue
        # One region so far (the common page: one table): the same steps with its box in locals
        # and the limits of "touches" computed when the box grows, until a segment touches it
        # not (that one goes through the steps above, and starts a second region)
        r = regions[0]
        rx0, rtop, rx1, rbot = r.x0, r.top, r.x1, r.bottom
        lo_x, hi_x, lo_y, hi_y = rx0 - JOIN, rx1 + JOIN, rtop - JOIN, rbot + JOIN
        rh, rv = r.h, r.v
        for nxt in it:
            stop, sx0, k, s = nxt
            sx1 = s.x1
            sbot = s.bottom
            if sx1 < lo_x or sx0 > hi_x or sbot < lo_y or stop > hi_y:
                item = nxt
                break
            (rh if k < nh else rv).append(s)
            if sx0 < rx0:
                rx0 = sx0
                lo_x = rx0 - JOIN
            if stop < rtop:
                rtop = stop
                lo_y = rtop - JOIN
            if sx1 > rx1:
                rx1 = sx1
                hi_x = rx1 + JOIN
            if sbot > rbot:
                rbot = sbot
                hi_y = rbot + JOIN
        r.x0, r.top, r.x1, r.bottom = rx0, rtop, rx1, rbot
    # regions whose boxes overlap after growing are one region
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(regions):
            for b in regions[i + 1 :]:
                if not (
                    b.x1 < a.x0 - JOIN
                    or b.x0 > a.x1 + JOIN
                    or b.bottom < a.top - JOIN
                    or b.top > a.bottom + JOIN
                ):
                    _absorb(a, b)
                    regions.remove(b)
                    merged = True
                    break
            if merged:
                break
    return regions


def _unframed(regions: list[_Region], page: PageContent) -> list[_Region]:
    """The regions with every frame read through: a rectangle drawn round a ruled table and the
    text about it (a page border), whose own lines touch nothing inside. Its box holds the table,
    so the table's lines join its region and the text round the table would be cut into huge
    cells; the frame is left out and what is ruled inside it is a region of its own, provided
    each such region is closed by its own lines (rules that stop short of an outer border rely on
    it: that border is the table's, kept)."""
    out: list[_Region] = []
    for r in regions:
        inside = _inside_frame(r, page)
        if inside is None:
            out.append(r)
        else:
            out.extend(inside)
    return out


def _inside_frame(r: _Region, page: PageContent) -> list[_Region] | None:
    """The regions ruled inside ``r`` when ``r`` is a frame round them (see :func:`_unframed`),
    else None."""
    if len(r.h) + len(r.v) < 8 or len(r.h) < 4 or len(r.v) < 4:
        return None  # a frame alone (read through by _grid), or too little inside it to be a table
    near = JOIN + THIN  # a line within this of a side of the frame touches it
    top = [s for s in r.h if s.top - r.top <= THIN]
    bottom = [s for s in r.h if r.bottom - s.bottom <= THIN]
    left = [s for s in r.v if s.x0 - r.x0 <= THIN]
    right = [s for s in r.v if r.x1 - s.x1 <= THIN]
    if not (
        _drawn_along([(s.x0, s.x1) for s in top], r.x0, r.x1)
        and _drawn_along([(s.x0, s.x1) for s in bottom], r.x0, r.x1)
        and _drawn_along([(s.top, s.bottom) for s in left], r.top, r.bottom)
        and _drawn_along([(s.top, s.bottom) for s in right], r.top, r.bottom)
    ):
        return None
    sides = {id(s) for s in (*top, *bottom, *left, *right)}
    hs = [s for s in r.h if id(s) not in sides]
    vs = [s for s in r.v if id(s) not in sides]
    for s in (*hs, *vs):
        if s.x0 < r.x0 + near or s.x1 > r.x1 - near or s.top < r.top + near or s.bottom > r.bottom - near:
            return None  # a rule inside reaches the frame: the frame is the table's border
    inner = _regions(PageContent(page.number, page.width, page.height, [], hs, vs))
    if not any(len(q.h) + len(q.v) >= 3 for q in inner):
        return None
    for q in inner:
        if len(q.h) + len(q.v) >= 3 and not _closed(q):
            return None
    return inner


def _closed(r: _Region) -> bool:
    """Whether a region's box is ruled on all four sides by its own lines."""
    return (
        _drawn_along([(s.x0, s.x1) for s in r.h if s.top - r.top <= THIN], r.x0, r.x1)
        and _drawn_along([(s.x0, s.x1) for s in r.h if r.bottom - s.bottom <= THIN], r.x0, r.x1)
        and _drawn_along([(s.top, s.bottom) for s in r.v if s.x0 - r.x0 <= THIN], r.top, r.bottom)
        and _drawn_along([(s.top, s.bottom) for s in r.v if r.x1 - s.x1 <= THIN], r.top, r.bottom)
    )


def _drawn_along(extents: list[tuple[float, float]], lo: float, hi: float) -> bool:
    """Whether the pieces ``extents`` of one line cover nine tenths of ``lo``..``hi``."""
    if not extents or hi - lo <= 0:
        return False
    covered = sum(b - a for a, b in _union(extents))
    return covered >= 0.9 * (hi - lo)


def _absorb(into: _Region, other: _Region) -> None:
    """Add another region's segments (and box) to a region."""
    for x in other.h:
        into.add(x, True)
    for x in other.v:
        into.add(x, False)


def _nearest(positions: list[float], v: float) -> int:
    """Index of the sorted position closest to ``v`` when within tolerance, else -1."""
    k = bisect_right(positions, v)
    best = -1
    for j in (k - 1, k):
        if 0 <= j < len(positions) and abs(positions[j] - v) <= TOL * 1.5:
            if best < 0 or abs(positions[j] - v) < abs(positions[best] - v):
                best = j
    return best


def _coverage(
    positions: list[float], mids: list[float], extents: list[tuple[float, float]]
) -> list[list[tuple[float, float]]]:
    """The extents drawn at each ruling position, joined: piece ``i`` of a rule has its middle
    at ``mids[i]`` and spans ``extents[i]``. A rule is often drawn as one piece per cell, all
    with the same middle: the nearest position is looked up once per middle."""
    cov: list[list[tuple[float, float]]] = [[] for _ in positions]
    near: dict[float, int] = {}
    for mid, extent in zip(mids, extents, strict=True):
        k = near.get(mid)
        if k is None:
            k = near[mid] = _nearest(positions, mid)
        if k >= 0:
            cov[k].append(extent)
    return [_union(iv) for iv in cov]


def _union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Collinear pieces joined (a rule is often drawn as one piece per cell)."""
    if len(intervals) < 2:
        return list(intervals)
    ordered = iter(sorted(intervals))
    out: list[tuple[float, float]] = []
    start, end = next(ordered)  # the interval being joined
    for lo, hi in ordered:
        if lo <= end + 1.5:
            if hi > end:
                end = hi
        else:
            out.append((start, end))
            start, end = lo, hi
    out.append((start, end))
    return out


def _covered_spans(intervals: list[tuple[float, float]], bounds: list[float], ascending: bool) -> list[bool]:
    """For each span ``[bounds[i], bounds[i + 1]]``: whether its middle is covered by one of the
    intervals (a rule drawn along the span, allowing for gaps at crossings)."""
    n = len(bounds) - 1
    out = [False] * n
    # a span lying inside an interval is covered (its middle ± a quarter, or ± 1 pt, lies within
    # the interval widened by JOIN): found by bisection (``bounds`` strictly ascending, which
    # they are unless a coordinate is not a number), the common case of a rule drawn through
    for lo, hi in intervals if ascending else ():
        if not lo <= hi:  # not a number: left to the test below
            continue
        i0, i1 = bisect_left(bounds, lo), bisect_right(bounds, hi) - 1
        if i1 > i0:
            out[i0:i1] = [True] * (i1 - i0)
    for i in range(n):
        if out[i]:
            continue
        a, b = bounds[i], bounds[i + 1]
        mid = (a + b) / 2
        span = max(1.0, (b - a) * 0.25)
        for lo, hi in intervals:
            if (lo - JOIN <= mid - span and hi + JOIN >= mid + span) or (
                lo <= mid <= hi and hi - lo >= (b - a) * 0.6
            ):
                out[i] = True
                break
    return out


def _grid(region: _Region, words: list[Word], page: int, leftover: list[Word]) -> RawGrid | None:
    """The printed table of a ruled region; words outside its rows go to ``leftover``."""
    if not region.v or not region.h:
        return None  # rules in one direction only (underlines, a 三线表): no cells to cut
    hmid = [(s.top + s.bottom) / 2 for s in region.h]
    vmid = [(s.x0 + s.x1) / 2 for s in region.v]
    ys = _cluster(hmid)
    xs = _cluster(vmid)
    # open sides: the ends of the rules close the table
    lo = min(s.x0 for s in region.h)
    hi = max(s.x1 for s in region.h)
    if not xs or lo < xs[0] - 3 * TOL:
        xs.insert(0, lo)
    if hi > xs[-1] + 3 * TOL:
        xs.append(hi)
    lo = min(s.top for s in region.v)
    hi = max(s.bottom for s in region.v)
    if not ys or lo < ys[0] - 3 * TOL:
        ys.insert(0, lo)
    if hi > ys[-1] + 3 * TOL:
        ys.append(hi)
    if len(xs) < 3 and len(ys) < 3:
        # one cell: a frame drawn round the page or round a paragraph, not a table; its words
        # are printed text (a table has at least a header row and a row, or two columns)
        return None
    nr, nc = len(ys) - 1, len(xs) - 1
    # segment coverage per ruling position; which stretch of each inner ruling position is
    # drawn: vdrawn[k][i] is the border between columns k - 1 and k in row i, hdrawn[k][j] the
    # border between rows k - 1 and k in column j
    vcov = _coverage(xs, vmid, [(s.top, s.bottom) for s in region.v])
    hcov = _coverage(ys, hmid, [(s.x0, s.x1) for s in region.h])
    yup = all(a < b for a, b in zip(ys, ys[1:], strict=False))
    xup = all(a < b for a, b in zip(xs, xs[1:], strict=False))
    vdrawn = [_covered_spans(iv, ys, yup) if 0 < k < nc else [] for k, iv in enumerate(vcov)]
    hdrawn = [_covered_spans(iv, xs, xup) if 0 < k < nr else [] for k, iv in enumerate(hcov)]
    # union-find over atoms (row-major index); a set's root is its smallest atom
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    merged: list[int] = []  # atoms joined to a neighbour (not a one-atom cell)
    for k in range(1, nc):
        for i, drawn in enumerate(vdrawn[k]):
            if not drawn:
                merged += (i * nc + k - 1, i * nc + k)
    for k in range(1, nr):
        for j, drawn in enumerate(hdrawn[k]):
            if not drawn:
                merged += ((k - 1) * nc + j, k * nc + j)
    for a, b in zip(merged[::2], merged[1::2], strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    root_of = list(range(nr * nc))
    members: dict[int, list[int]] = {}
    for a in sorted(set(merged)):
        root_of[a] = r = find(a)
        members.setdefault(r, []).append(a)
    # merged cells: root -> (first row, first column, last row, last column); any other cell is
    # one atom, its own root
    spans: dict[int, tuple[int, int, int, int]] = {}
    for a, atoms in members.items():
        rows = [x // nc for x in atoms]
        cols = [x % nc for x in atoms]
        spans[a] = (min(rows), min(cols), max(rows), max(cols))
    # cells in reading order (first row, then first column): the order of their roots (a root is
    # a cell's smallest atom, so in its first row) unless a merged cell reaches left of its root
    # (not a rectangle)
    order: range | list[int] = range(nr * nc)
    if any(sp[1] != a % nc for a, sp in spans.items()):
        order = sorted(
            (a for a in order if root_of[a] == a), key=lambda a: spans[a][:2] if a in spans else divmod(a, nc)
        )
    # words into cells, cut at real borders
    texts: dict[int, list[Word]] = {}
    row_cuts: dict[int, list[float]] = {}
    crossing: dict[int, list[tuple[Word, list[float], list[float]]]] = {}  # by row
    for w in words:
        i = bisect_right(ys, (w.top + w.bottom) / 2) - 1  # Word.yc
        if not 0 <= i < nr:
            leftover.append(w)
            continue
        cuts = row_cuts.get(i)
        if cuts is None:
            cuts = row_cuts[i] = [xs[k] for k in range(1, nc) if vdrawn[k][i]]
        # a border strictly inside the word (more than 1 pt from its ends): cut it there
        wx0 = w.x0
        wx1 = w.x1
        k = bisect_right(cuts, wx0 + 1.0)
        # the common word is not cut: itself, without the splitting pass
        if k < len(cuts) and cuts[k] < wx1 - 1.0:
            inner = [c for c in cuts if wx0 + 1.0 < c < wx1 - 1.0]
            pos = positions(w)
            if cut_in_number(w.text, pos, inner):
                # digits printed across the border: placed once the grid's alignments are known
                crossing.setdefault(i, []).append((w, pos, inner))
                continue
            parts: list[Word] | tuple[Word] = split_at(w, inner, pos)
        else:
            parts = (w,)
        for part in parts:
            j = bisect_right(xs, (part.x0 + part.x1) / 2) - 1  # Word.xc
            j = 0 if j < 0 else nc - 1 if j >= nc else j
            root = root_of[i * nc + j]
            ws = texts.get(root)
            if ws is None:
                texts[root] = [part]
            else:
                ws.append(part)
    doubts: dict[int, str] = {}  # cells whose reading is not certain (root atom -> why)
    if crossing:
        _place_crossing(crossing, row_cuts, xs, nc, root_of, spans, texts, doubts)
    rows_out: list[list[RawCell]] = [[] for _ in range(nr)]
    any_text = False
    rx = [round(x, 2) for x in xs]  # the cell boxes' coordinates, rounded once
    ry = [round(y, 2) for y in ys]
    # _loc inlined (once per cell): the field dict is a copy of a template with the page set
    blank = _BLANK_LOC.copy()
    blank["page"] = page
    new_location, set_dict, set_fields_set, set_extra, set_private = (
        _new_location,
        _set_dict,
        _set_fields_set,
        _set_extra,
        _set_private,
    )
    cell = RawCell
    for a in order:
        if root_of[a] != a:
            continue  # an atom of a merged cell, not its first
        sp = spans.get(a)
        if sp is None:  # the common cell: one atom
            r0, c0 = divmod(a, nc)
            r1, c1 = r0, c0
        else:
            r0, c0, r1, c1 = sp
        ws = texts.get(a)
        if ws is None:
            text = ""
        elif len(ws) == 1:  # the common cell: one word
            text = ws[0].text
        else:
            text = "".join(_join_words(line, cell=True) for line in _group_lines(ws))
        if text:
            any_text = True
        loc = new_location(Location)
        fields = blank.copy()
        fields["bbox"] = (rx[c0], ry[r0], rx[c1 + 1], ry[r1 + 1])
        set_dict(loc, fields)
        set_fields_set(loc, {"page", "bbox"})
        set_extra(loc, None)
        set_private(loc, None)
        rows_out[r0].append(cell(text, loc, c1 - c0 + 1, r1 - r0 + 1))  # text, loc, colspan, rowspan
        if doubts and a in doubts:
            rows_out[r0][-1].doubt = doubts[a]
    if not any_text:
        return None
    rows_out = [r for r in rows_out if r]
    return RawGrid(rows_out, _loc(page, _bbox(xs[0], ys[0], xs[-1], ys[-1])))


def _place_crossing(
    crossing: dict[int, list[tuple[Word, list[float], list[float]]]],
    row_cuts: dict[int, list[float]],
    xs: list[float],
    nc: int,
    root_of: list[int],
    spans: dict[int, tuple[int, int, int, int]],
    texts: dict[int, list[Word]],
    doubts: dict[int, str],
) -> None:
    """Words a border cuts inside a number, row by row, into their cells (see :mod:`.overflow`);
    the cells whose reading is not certain into ``doubts``."""

    def bounds_of(root: int) -> tuple[float, float]:
        sp = spans.get(root)
        c0, c1 = (sp[1], sp[3]) if sp is not None else (root % nc, root % nc)
        return xs[c0], xs[c1 + 1]

    ev = Evidence(texts, {root: bounds_of(root) for root in texts})
    for i, words in crossing.items():
        edges = [xs[0], *row_cuts[i], xs[-1]]
        cells = list(zip(edges, edges[1:], strict=False))
        roots = [root_of[i * nc + bisect_right(xs, lo + TOL) - 1] for lo, _ in cells]
        placed, doubtful = place_across(words, cells, [texts.get(r, []) for r in roots], ev)
        for part, k in placed:
            texts.setdefault(roots[k], []).append(part)
        for k in doubtful:
            doubts[roots[k]] = DOUBT


_PAGE_NO = re.compile(r"^[-—－\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*\d+)?[-—－\s]*$")
_HEADING_START = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+(、|．|\.(?!\d))|注[:：]|附件)"
)


@dataclass
class _TextLine:
    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _PageBlocks:
    number: int
    items: list[tuple[float, _TextLine | RawGrid]]
    issues: list[tuple[str, str, Location | None]]
    width: float
    height: float


def _rules_only(regions: list[_Region], words: list[Word]) -> tuple[float, float, float, float] | None:
    """The box of a table drawn with horizontal rules only (three or more rules of the same
    width, less than 40 pt apart, with text between them), if the page has one."""
    singles = sorted((r for r in regions if not r.v and len(r.h) <= 2), key=lambda r: r.top)
    run: list[_Region] = []
    for r in singles + [None]:  # type: ignore[list-item]
        if (
            r is not None
            and run
            and abs(r.x0 - run[-1].x0) < 2
            and abs(r.x1 - run[-1].x1) < 2
            and r.top - run[-1].bottom < 40
        ):
            run.append(r)
            continue
        if len(run) >= 3:
            box = (run[0].x0, run[0].top, run[-1].x1, run[-1].bottom)
            if sum(1 for w in words if box[0] <= w.xc <= box[2] and box[1] <= w.yc <= box[3]) >= 2:
                return _bbox(*box)
        run = [r] if r is not None else []
    return None


def page_blocks(page: PageContent) -> _PageBlocks:
    """Tables and printed lines of one page, ordered top to bottom."""
    issues: list[tuple[str, str, Location | None]] = []
    off = [w for w in page.words if w.top >= page.height or w.bottom <= 0]
    if off:
        # words placed outside the page (below its crop box): no viewer or printer shows them
        # (a page whose content runs on past its bottom edge), so they are not the document's
        page = replace(page, words=[w for w in page.words if not (w.top >= page.height or w.bottom <= 0)])
        issues.append(
            (
                "pdf_off_page",
                f"第{page.number}页有 {len(off)} 处文字位于页面之外（不显示、不打印），未读取",
                Location(page=page.number),
            )
        )
    if len(page.hlines) + len(page.vlines) > MAX_SEGMENTS:
        # a drawing (a map, a chart), not ruled tables: read its words as text
        regions: list[_Region] = []
        issues.append(
            (
                "pdf_unstructured",
                f"第{page.number}页线条过多（可能是图形），未按表格读取",
                Location(page=page.number),
            )
        )
    else:
        found = _unframed(_regions(page), page)
        regions = [r for r in found if len(r.h) + len(r.v) >= 3]
        ruled = _rules_only(found, page.words)
        if ruled is not None:
            issues.append(
                (
                    "pdf_unstructured",
                    f"第{page.number}页有一处只有横线的表格，无法按框线还原，已按文本读取",
                    Location(page=page.number, bbox=ruled),
                )
            )
    inside: list[list[Word]] = [[] for _ in regions]
    free: list[Word] = []
    if regions:
        # each word to the first region holding its centre (_Region.contains inlined: once per
        # word and region)
        boxes = [(r.x0 - 1, r.top - 1, r.x1 + 1, r.bottom + 1, ws) for r, ws in zip(regions, inside, strict=True)]
        if len(boxes) == 1:  # the common page: one table, its box in locals
            bx0, btop, bx1, bbottom, ws = boxes[0]
            for w in page.words:
                x, y = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
                if bx0 <= x <= bx1 and btop <= y <= bbottom:
                    ws.append(w)
                else:
                    free.append(w)
        else:
            for w in page.words:
                x, y = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
                for bx0, btop, bx1, bbottom, ws in boxes:
                    if bx0 <= x <= bx1 and btop <= y <= bbottom:
                        ws.append(w)
                        break
                else:
                    free.append(w)
    else:
        free.extend(page.words)
    items: list[tuple[float, _TextLine | RawGrid]] = []
    for r, ws in zip(regions, inside, strict=True):
        if not ws:
            continue
        left: list[Word] = []
        grid = _grid(r, ws, page.number, left)
        if grid is None:
            if r.x1 - r.x0 > 50 and r.bottom - r.top > 30 and len(r.h) >= 3:
                issues.append(
                    (
                        "pdf_unstructured",
                        f"第{page.number}页有一处表格无法按框线还原，已按文本读取",
                        Location(page=page.number, bbox=_bbox(r.x0, r.top, r.x1, r.bottom)),
                    )
                )
            free.extend(ws)
            continue
        free.extend(left)
        items.append((r.top, grid))
    for line in _group_lines(free):
        text = _join_words(line)
        if len(line) == 1:  # the common printed line: one word
            w = line[0]
            x0, top, x1, bottom = w.x0, w.top, w.x1, w.bottom
        else:
            x0 = min(w.x0 for w in line)
            top = min(w.top for w in line)
            x1 = max(w.x1 for w in line)
            bottom = max(w.bottom for w in line)
        margin = 0.08 * page.height
        if _PAGE_NO.match(text) and (top > page.height - margin or bottom < margin):
            continue
        if len(line) == 1:
            size = round(w.size or (w.bottom - w.top), 1)
        else:
            sizes: Counter[float] = Counter()
            for w in line:
                sizes[round(w.size or (w.bottom - w.top), 1)] += len(w.text)
            size = sizes.most_common(1)[0][0]
        bold = sum(len(w.text) for w in line if w.bold) * 2 > len(text)
        items.append((top, _TextLine(text, page.number, x0, top, x1, bottom, size, bold)))
    items.sort(key=lambda t: t[0])
    return _PageBlocks(page.number, items, issues, page.width, page.height)


def _margins(pages: list[_PageBlocks]) -> dict[int, tuple[float, float]]:
    """Left and right text margins per page: the most common line start and the end of the
    long lines, taken over all pages of the same size (a table page has too few lines)."""
    classes: dict[tuple[int, int], list[_TextLine]] = {}
    for p in pages:
        key = (round(p.width), round(p.height))
        classes.setdefault(key, []).extend(b for _, b in p.items if isinstance(b, _TextLine))
    found: dict[tuple[int, int], tuple[float, float]] = {}
    for key, lines in classes.items():
        width = float(key[0])
        if len(lines) < 5:
            found[key] = (0.12 * width, 0.88 * width)
            continue
        starts = Counter(round(b.x0) for b in lines)
        top = starts.most_common(1)[0][1]
        left = float(min(x for x, n in starts.items() if n * 3 >= top))
        ends = sorted(b.x1 for b in lines)
        right = ends[int(0.9 * (len(ends) - 1))]
        found[key] = (left, right)
    return {p.number: found[(round(p.width), round(p.height))] for p in pages}


def _is_centred(ln: _TextLine, width: float, left: float, right: float) -> bool:
    size = ln.size or 10.0
    mid = (left + right) / 2 if right > left else width / 2
    return (
        abs((ln.x0 + ln.x1) / 2 - mid) < max(size, 0.02 * width)
        and ln.x0 > left + 3 * size
        and ln.x1 < right - 3 * size
    )


def _raw_line(lines: list[_TextLine], width: float, left: float, right: float) -> RawLine:
    first = lines[0]
    text = first.text
    for prev, nxt in zip(lines, lines[1:], strict=False):
        sep = (
            " " if _ascii_word(prev.text[-1]) and _ascii_word(nxt.text[0]) and prev.text[-1].isalpha() else ""
        )
        text += sep + nxt.text
    if len(lines) == 1:  # a one-line paragraph (titles, headings, table captions)
        bbox = _bbox(first.x0, first.top, first.x1, first.bottom)
        return RawLine(
            text, _loc(first.page, bbox), first.size, first.bold, _is_centred(first, width, left, right)
        )
    on_first = [ln for ln in lines if ln.page == first.page]
    bbox = _bbox(
        min(ln.x0 for ln in on_first),
        min(ln.top for ln in on_first),
        max(ln.x1 for ln in on_first),
        max(ln.bottom for ln in on_first),
    )
    centred = all(_is_centred(ln, width, left, right) for ln in lines)
    return RawLine(text, _loc(first.page, bbox), size=first.size, bold=first.bold, centered=centred)


def reconstruct(pages: list[PageContent], *, path: str = "", fmt: str = "pdf") -> RawDocument:
    """A :class:`RawDocument` from the primitives of every page, in page order."""
    per_page = [page_blocks(p) for p in pages]
    margins = _margins(per_page)
    sizes = Counter(round(b.size) for p in per_page for _, b in p.items if isinstance(b, _TextLine))
    body = float(sizes.most_common(1)[0][0]) if sizes else 10.0
    doc = RawDocument(path=path, format=fmt, pages=len(pages))
    para: list[_TextLine] = []
    para_width = 0.0

    def flush() -> None:
        nonlocal para
        if para:
            doc.blocks.append(_raw_line(para, para_width, *margins.get(para[0].page, (0.0, para_width))))
            para = []

    for p in per_page:
        doc.issues.extend(p.issues)
        for _, item in p.items:
            if isinstance(item, RawGrid):
                flush()
                doc.blocks.append(item)
                continue
            if para and _continues(para[-1], item, margins, p.width, body):
                para.append(item)
                continue
            flush()
            para = [item]
            para_width = p.width
    flush()
    return doc


def _continues(
    prev: _TextLine, nxt: _TextLine, margins: dict[int, tuple[float, float]], width: float, body: float
) -> bool:
    """Whether ``nxt`` continues the paragraph whose last printed line is ``prev``."""
    if (abs(prev.size - nxt.size) > 1.5 and max(prev.size, nxt.size) > 1.3 * body) or prev.bold != nxt.bold:
        return False
    pl, pr = margins.get(prev.page, (0.0, width))
    nl, nr = margins.get(nxt.page, (0.0, width))
    size = prev.size or 10.0
    if prev.size >= body + 2 and nxt.page == prev.page and nxt.top - prev.bottom < 0.8 * size:
        return True  # a large title printed on two lines
    if (
        prev.bold
        and nxt.bold
        and nxt.page == prev.page
        and abs(prev.size - nxt.size) < 0.5
        and nxt.top - prev.bottom < 1.5 * size
        and prev.x1 >= pr - 3.5 * size
        and not _HEADING_START.match(nxt.text)
    ):
        return True  # a bold title wrapped onto a second (often centred) line
    if _is_centred(prev, width, pl, pr) or _is_centred(nxt, width, nl, nr):
        # a title printed on two centred lines
        return (
            nxt.page == prev.page
            and abs(prev.size - nxt.size) < 0.5
            and _is_centred(prev, width, pl, pr)
            and _is_centred(nxt, width, nl, nr)
            and prev.x1 - prev.x0 > 0.5 * width
            and nxt.top - prev.bottom < 0.8 * size
        )
    if prev.x1 < pr - 3.5 * size:  # the line above ends short: paragraph end
        return False
    if prev.x0 > pl + 0.5 * (pr - pl):
        # the line above starts in the right half: a right-aligned label (单位：万元, a date, a
        # signature) that happens to reach the margin, not a paragraph wrapping onto this line
        return False
    if nxt.x0 > nl + 0.8 * size:  # indented: a new paragraph
        return False
    if _HEADING_START.match(nxt.text):
        return False
    if nxt.page == prev.page:
        gap = nxt.top - prev.bottom
        if gap > 1.5 * size:
            return False
    elif nxt.page != prev.page + 1:
        return False
    return True
