"""Numbers printed across a ruled cell border, and the cell they belong to.

A long amount (a table in 元: ``10,812,792.53``) may not fit its column. The producer prints it
anyway, across the border: WeasyPrint and browsers start it at the cell's left padding and let it
run on to the right (CSS start-aligned overflow), spreadsheet exports keep it right-aligned and let
it run on to the left. The text layer then holds one run of characters that a border cuts, often
glued to the neighbouring cell's text (``7,124,186.18302``: the amount and the next cell's 科目代码;
``2710,812,792.53``: the 行次 27 and the amount). Cutting such a run at the border, as a word that
merely touches a border is cut, puts some digits in the wrong cell: two wrong amounts, each read
as certain, and false errors on both.

A run a border cuts inside a number is placed as a whole only when the page makes its place
certain:

- the digits are divided into amounts only by what the grid itself prints: the decimal places
  every other amount of the grid shows (``7,124,186.18`` + ``302``), or thousands separators that
  fix where a whole amount ends (``12,345,678``);
- an amount that still spans cells belongs to the one cell whose alignment it shows: its right
  end where the grid's amounts end (right-aligned, run on to the left), its left end where the
  grid's labels start in their cells (started at its cell's edge, run on to the right), or its
  centre where its column centres amounts; both ends must be measurable on the grid, and a cell
  before its own that prints whole numbers (行次, codes) may have its number glued in front, so
  such an amount is not placed.

Otherwise the run is cut at the borders as printed (a label's cell keeps its label, its share of
the digits going to the nearest cell that is not a label's) and the cells the digits may belong
to are marked uncertain (:data:`DOUBT`, ``RawCell.doubt``). The reader records, it does not
judge: the assembler lists those cells in ``TableReading.cells_uncertain`` and the rules withhold
every error or warning resting on them (``RunContext.doubt``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from statistics import median

from .primitives import Word

__all__ = ["DOUBT", "NUMERIC", "Evidence", "cut_in_number", "place_across", "positions", "split_at"]

# why a cell is marked uncertain (RawCell.doubt): said to the reviewer as the reason a check was
# not made
DOUBT = "数字越出单元格边框，无法确定属于哪一格"

# the characters of a printed amount (the sign only at its start)
NUMERIC = frozenset("0123456789,.-")
_DIGITS = frozenset("0123456789")

ALIGN_TOL = 1.0  # points: an amount is at a column's alignment when within this of it
STEADY = 1.0  # points: the amounts of a column share an alignment when they spread less than this

_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+")
_INTEGER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)")


def positions(w: Word) -> list[float]:
    """Where each character of ``w`` starts, and where the word ends (``len(text) + 1`` values):
    the characters' boxes when the text layer gave them, else an estimate from their advances
    (CJK and full-width one em, others about half)."""
    if w.lefts is not None and len(w.lefts) == len(w.text):
        return [*w.lefts, w.x1]
    weights = [1.0 if ord(ch) > 0x2E80 else 0.55 for ch in w.text]
    scale = (w.x1 - w.x0) / (sum(weights) or 1.0)
    pos = [w.x0]
    for wt in weights:
        pos.append(pos[-1] + wt * scale)
    return pos


def _first_right_of(pos: list[float], c: float, start: int = 0) -> int:
    """The first character (from ``start``) whose centre is right of ``c``."""
    k = start
    n = len(pos) - 1
    while k < n and (pos[k] + pos[k + 1]) / 2 < c:
        k += 1
    return k


def _part(w: Word, pos: list[float], a: int, b: int) -> Word | None:
    """Characters ``a``..``b - 1`` of ``w`` as a word of their own (None when only spaces)."""
    text = w.text[a:b]
    if not text.strip():
        return None
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    a2, b2 = a + lead, b - trail
    lefts = w.lefts[a2:b2] if w.lefts is not None and len(w.lefts) == len(w.text) else None
    return Word(w.text[a2:b2], pos[a2], w.top, pos[b2], w.bottom, w.size, w.confidence, w.bold, lefts)


def split_at(w: Word, inner: list[float], pos: list[float]) -> list[Word]:
    """``w`` cut at the x positions ``inner`` (ascending, strictly inside it): each character goes
    to the side of a cut its centre is on."""
    out: list[Word] = []
    start = 0
    for c in [*inner, w.x1 + 1.0]:
        end = _first_right_of(pos, c, start)
        if end > start:
            part = _part(w, pos, start, end)
            if part is not None:
                out.append(part)
        start = end
    return out or [w]


def cut_in_number(text: str, pos: list[float], inner: list[float]) -> bool:
    """Whether one of the cuts ``inner`` falls between two characters of a number (a digit or an
    amount's separator on both sides, a digit among them)."""
    for c in inner:
        k = _first_right_of(pos, c)
        if 0 < k < len(text):
            a, b = text[k - 1], text[k]
            if a in NUMERIC and b in NUMERIC and (a in _DIGITS or b in _DIGITS) and b != "-":
                return True
    return False


class Evidence:
    """What the other words of a grid show (those inside one cell): where its left-aligned labels
    start in their cells (the left padding), where its right-aligned amounts end (the right
    padding), how each column aligns its amounts, which columns print whole numbers (行次, codes,
    栏次: a whole number glued before an amount cannot be told from its first digits), and the
    decimal places every amount prints (None when they differ, or fewer than two amounts show
    them)."""

    def __init__(self, texts: dict[int, list[Word]], bounds: dict[int, tuple[float, float]]) -> None:
        lefts: list[float] = []  # left gaps of text that is not a number (labels)
        rights: list[float] = []  # right gaps of amounts
        self.columns: dict[tuple[float, float], tuple[list[float], list[float], list[float]]] = {}
        wholes: Counter[tuple[float, float]] = Counter()
        places: Counter[int] = Counter()
        for root, ws in texts.items():
            lo, hi = bounds[root]
            mid = (lo + hi) / 2
            for w in ws:
                t = w.text
                if not _is_number(t):
                    lefts.append(w.x0 - lo)
                elif "." in t or "," in t:  # an amount
                    col = self.columns.setdefault((lo, hi), ([], [], []))
                    col[0].append(w.x0 - lo)
                    col[1].append(hi - w.x1)
                    col[2].append((w.x0 + w.x1) / 2 - mid)
                    rights.append(hi - w.x1)
                    if "." in t:
                        places[len(t) - t.rindex(".") - 1] += 1
                else:
                    wholes[(lo, hi)] += 1
        self.left_pad = _lowest(lefts)
        self.right_pad = _lowest(rights)
        self.places = next(iter(places)) if len(places) == 1 and sum(places.values()) >= 2 else None
        # columns where at least two words are whole numbers (one is a 栏次 row's number)
        self.whole_columns = {c for c, n in wholes.items() if n >= 2}

    def owners(self, x0: float, x1: float, cells: list[tuple[float, float]]) -> set[int] | None:
        """Which of ``cells`` (left to right, the cells an amount printed from ``x0`` to ``x1``
        spans) its alignment places it in; None when the grid does not show both where its cells'
        text starts and where its amounts end (an amount that starts at its first cell's edge may
        as well end, by chance, at the last cell's: only both measures rule one out)."""
        out: set[int] = set()
        first, last = 0, len(cells) - 1
        for k, (lo, hi) in enumerate(cells):
            col = self.columns.get((lo, hi))
            left = _steady(col[0]) if col else None
            right = _steady(col[1]) if col else None
            centre = _steady(col[2]) if col else None
            if k == first:  # begins at its cell's left edge and runs on to the right
                pads = [p for p in (left, self.left_pad) if p is not None]
                if not pads:
                    return None
                if any(abs(x0 - lo - pad) <= ALIGN_TOL for pad in pads):
                    out.add(k)
            if k == last:  # ends where its column's amounts end and runs on to the left
                pad = right if right is not None else self.right_pad
                if pad is None:
                    return None
                if abs(hi - x1 - pad) <= ALIGN_TOL:
                    out.add(k)
            if centre is not None and abs((x0 + x1) / 2 - (lo + hi) / 2 - centre) <= ALIGN_TOL:
                out.add(k)
        return out


def _is_number(text: str) -> bool:
    return any(ch in _DIGITS for ch in text) and all(ch in NUMERIC for ch in text)


def _steady(values: list[float]) -> float | None:
    """The common value of at least two measures that agree (spread under :data:`STEADY`)."""
    if len(values) < 2 or max(values) - min(values) > STEADY:
        return None
    return median(values)


def _lowest(values: list[float]) -> float | None:
    """The smallest gap at least three words share (within :data:`STEADY`): the padding of text
    aligned to that side of its cell (text centred or aligned to the other side keeps larger,
    varying gaps)."""
    ordered = sorted(values)
    for i in range(len(ordered) - 2):
        if ordered[i + 2] - ordered[i] <= STEADY:
            near = [v for v in ordered[i:] if v - ordered[i] <= STEADY]
            return median(near)
    return None


def _amounts(run: str, places: int | None) -> list[tuple[int, int]] | None:
    """The amounts a run of number characters holds, as (start, end) offsets, or None when the
    digits cannot be divided for certain. When every amount of the grid prints ``places``
    decimals, each amount ends after them (an amount glued to the next cell's amount or code is
    cut there: ``7,124,186.18302`` -> ``7,124,186.18`` + ``302``), and a whole number may end the
    run. Without that evidence only an amount whose thousands separators fix where it ends can
    be taken (``12,345,678``; ``12,345,678302`` is not one)."""
    if not places:
        return [(0, len(run))] if _GROUPED.fullmatch(run) else None
    one = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\." + r"\d" * places)
    out: list[tuple[int, int]] = []
    at = 0
    while at < len(run):
        m = one.match(run, at)
        if m is None:
            if not out or _INTEGER.fullmatch(run, at) is None:
                return None
            out.append((at, len(run)))  # a whole number after the amounts: the next cell's code
            break
        out.append((at, m.end()))
        at = m.end()
    return out


def place_across(
    crossing: list[tuple[Word, list[float], list[float]]],
    cells: list[tuple[float, float]],
    cell_words: list[list[Word]],
    evidence: Evidence,
) -> tuple[list[tuple[Word, int]], set[int]]:
    """The parts of the words of one row that a border cuts inside a number, each with the cell
    it goes to (an index into ``cells``, the row's printed cells left to right; ``cell_words``
    are the words already in each), and the cells whose reading is not certain."""
    placed: list[tuple[Word, int]] = []
    doubtful: set[int] = set()
    los = [lo for lo, _ in cells]

    def cell_of(x: float) -> int:
        k = bisect_right(los, x) - 1
        return 0 if k < 0 else k

    # cells printing text (a label): digits a border pushes into one are not its own
    text_cells = {k for k, ws in enumerate(cell_words) if any(not _is_number(w.text) for w in ws)}
    for w, pos, inner in crossing:
        text = w.text
        runs = _runs(text)
        for a, b, num in runs:
            if not num and text[a:b].strip():
                text_cells.update(range(cell_of(pos[a] + 0.1), cell_of(pos[b] - 0.1) + 1))
        for a, b, num in runs:
            first, last = cell_of(_centre(pos, a)), cell_of(_centre(pos, b - 1))
            if first == last:  # inside one cell: placed there
                part = _part(w, pos, a, b)
                if part is not None:
                    placed.append((part, first))
                continue
            if num:
                pieces = _pieces(w, pos, a, b, cells, evidence, cell_of)
                if pieces is not None:
                    placed.extend(pieces)
                    continue
            # text, or digits not placed for certain: cut at the borders, each character to the
            # cell its centre is in
            parts: list[tuple[Word, int]] = []
            start = a
            for c in [*inner, pos[b] + 1.0]:
                end = min(_first_right_of(pos, c, start), b)
                if end > start:
                    part = _part(w, pos, start, end)
                    if part is not None:
                        parts.append((part, cell_of(_centre(pos, start))))
                start = end
            if num:
                # the cells the digits may belong to are uncertain; a label's cell keeps its
                # label, its share of the digits going to the nearest cell that is not a label's
                spanned = range(first, last + 1)
                targets = [k for k in spanned if k not in text_cells] or list(spanned)
                parts = [(p, _nearest(targets, k)) for p, k in parts]
                doubtful.update(targets)
            placed.extend(parts)
    return placed, doubtful


def _nearest(targets: list[int], k: int) -> int:
    """The index of ``targets`` closest to ``k`` (the leftmost on a tie)."""
    return min(targets, key=lambda t: abs(t - k))


def _runs(text: str) -> list[tuple[int, int, bool]]:
    """``text`` as runs of number characters and of other text (a sign starts a number)."""
    runs: list[tuple[int, int, bool]] = []
    a = 0
    while a < len(text):
        num = text[a] in NUMERIC
        b = a + 1
        while b < len(text) and (text[b] in NUMERIC) == num and not (num and text[b] == "-"):
            b += 1
        runs.append((a, b, num))
        a = b
    return runs


def _centre(pos: list[float], k: int) -> float:
    return (pos[k] + pos[k + 1]) / 2


def _pieces(
    w: Word,
    pos: list[float],
    a: int,
    b: int,
    cells: list[tuple[float, float]],
    evidence: Evidence,
    cell_of: Callable[[float], int],
) -> list[tuple[Word, int]] | None:
    """The amounts of the number run ``a``..``b - 1`` of ``w``, each with its cell, or None when
    the digits cannot be divided or an amount that spans cells cannot be placed for certain."""
    spans = _amounts(w.text[a:b], evidence.places)
    if spans is None:
        return None
    out: list[tuple[Word, int]] = []
    for s, e in spans:
        part = _part(w, pos, a + s, a + e)
        if part is None:
            continue
        p0 = cell_of(_centre(pos, a + s))
        p1 = cell_of(_centre(pos, a + e - 1))
        if p0 == p1:  # a code or an amount glued to the one that overflowed, inside its cell
            out.append((part, p0))
            continue
        owners = evidence.owners(part.x0, part.x1, cells[p0 : p1 + 1])
        if owners is None or len(owners) != 1:
            return None
        owner = p0 + owners.pop()
        # digits reaching back into a column of whole numbers may be that column's own number
        # glued in front (行次 20 + 1,234,567.00 reads 201,234,567.00): not certain
        if any(cells[k] in evidence.whole_columns for k in range(p0, owner)):
            return None
        out.append((part, owner))
    return out
