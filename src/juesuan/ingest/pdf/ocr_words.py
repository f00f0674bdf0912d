"""From OCR text boxes to words in PDF points (no OCR engine needed).

The recogniser gives one box per line of text, with its text, a score and, for each character
(CJK) or run of Latin/digits, a sub-box and a score. A box may run across a cell border when two
cells' texts stand close; :func:`boxes_to_words` cuts it into words at whitespace, at wide gaps and
at every vertical ruling line it crosses, so each word lies inside one cell. Each word keeps the
lowest score of its parts as its ``confidence``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .ocr_lines import PixelLine

Quad = Sequence[Sequence[float]]  # four (x, y) points


@dataclass
class OcrBox:
    """One recognised line of text as the engine gives it (pixel coordinates)."""

    quad: Quad
    text: str
    score: float
    # (text, score, quad) of each character or Latin/digit run, when the engine gives them.
    parts: list[tuple[str, float, Quad]] | None = None


@dataclass
class PixelWord:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


def _bounds(quad: Quad) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


@dataclass
class _Piece:
    text: str
    x0: float
    x1: float
    score: float


def _split_even(text: str, x0: float, x1: float, score: float) -> list[_Piece]:
    """Pieces of a text whose characters are spread evenly over [x0, x1], cut at whitespace."""
    n = len(text)
    if n == 0:
        return []
    w = (x1 - x0) / n
    out = []
    for m in re.finditer(r"\S+", text):
        out.append(_Piece(m.group(), x0 + m.start() * w, x0 + m.end() * w, score))
    return out


def _cut_at(piece: _Piece, x: float) -> list[_Piece]:
    """Cut a piece at pixel x, characters shared out evenly (a run crossing a ruling line)."""
    n = len(piece.text)
    w = (piece.x1 - piece.x0) / n
    k = round((x - piece.x0) / w)
    if k <= 0 or k >= n:
        return [piece]
    return [
        _Piece(piece.text[:k], piece.x0, piece.x0 + k * w, piece.score),
        _Piece(piece.text[k:], piece.x0 + k * w, piece.x1, piece.score),
    ]


def _pieces(box: OcrBox) -> list[_Piece]:
    x0, _, x1, _ = _bounds(box.quad)
    if not box.parts or "".join(t for t, _, _ in box.parts).replace(" ", "") != box.text.replace(" ", ""):
        return _split_even(box.text, x0, x1, box.score)
    out: list[_Piece] = []
    for text, score, quad in box.parts:
        px0, _, px1, _ = _bounds(quad)
        out.extend(_split_even(text, px0, px1, score))
    return out


def boxes_to_words(
    boxes: Sequence[OcrBox], vlines: Sequence[PixelLine], *, gap_factor: float = 0.9
) -> list[PixelWord]:
    """Words of the OCR boxes, cut at whitespace, at gaps wider than ``gap_factor`` × the line
    height and at vertical ruling lines, in pixel coordinates."""
    words: list[PixelWord] = []
    for box in boxes:
        if not box.text.strip():
            continue
        bx0, top, bx1, bottom = _bounds(box.quad)
        height = max(1.0, bottom - top)
        mid = (top + bottom) / 2
        # Vertical lines that pass through this box's height.
        cuts = sorted(
            (ln.x0 + ln.x1) / 2
            for ln in vlines
            if ln.top <= mid <= ln.bottom and bx0 < (ln.x0 + ln.x1) / 2 < bx1
        )
        pieces: list[_Piece] = []
        for p in _pieces(box):
            for x in cuts:
                if p.x0 + 1 < x < p.x1 - 1 and len(p.text) > 1:
                    head, *rest = _cut_at(p, x)
                    if rest:
                        pieces.append(head)
                        p = rest[0]
            pieces.append(p)
        # Join neighbouring pieces into words unless whitespace, a wide gap or a line parts them.
        group: list[_Piece] = []
        for p in pieces:
            if group:
                prev = group[-1]
                gap = p.x0 - prev.x1
                crossed = any(prev.x1 - 1 <= x <= p.x0 + 1 for x in cuts)
                if gap > gap_factor * height or crossed or _separate(prev.text, p.text, gap, height):
                    words.append(_joined(group, top, bottom))
                    group = []
            group.append(p)
        if group:
            words.append(_joined(group, top, bottom))
    return words


def _joined(group: list[_Piece], top: float, bottom: float) -> PixelWord:
    return PixelWord(
        "".join(g.text for g in group), group[0].x0, top, group[-1].x1, bottom, min(g.score for g in group)
    )


def _separate(prev: str, nxt: str, gap: float, height: float) -> bool:
    """Two pieces of one box that the engine split itself (it splits Latin/digit runs at spaces)
    are separate words when both are numbers or codes: ``60.99 60.99``, ``201 06``."""
    if not prev or not nxt:
        return False
    return prev[-1].isascii() and nxt[0].isascii() and prev[-1].isalnum() and nxt[0].isalnum() and gap > 0.15 * height


_DIGITISH = re.compile(r"^[-−–(（]?[0-9OoIl|,，.．。]+[)）%]?$")
_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "，": ",", "．": ".", "。": ".", "−": "-", "–": "-"})


def normalize_number(text: str) -> str:
    """Undo the recogniser's usual confusions inside a token that is otherwise a number
    (``1,O51.37`` → ``1,051.37``, ``2.940.05`` → ``2,940.05``, full-width ``，`` → ``,``). Any other
    text is returned unchanged: only the form of the digits is repaired, never their value."""
    if not _DIGITISH.match(text) or sum(ch.isdigit() for ch in text) < max(1, len(text) // 2):
        return text
    t = text.translate(_FIX)
    # Several dots where the last group has two digits and the others three: thousands marks.
    if t.count(".") > 1:
        groups = re.split(r"[.,]", t.lstrip("-(（"))
        if len(groups[-1]) == 2 and all(len(g) == 3 for g in groups[1:-1]) and 1 <= len(groups[0]) <= 3:
            head, _, tail = t.rpartition(".")
            t = head.replace(".", ",") + "." + tail
    return t


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF


_HALF_TO_FULL = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "?": "？", "!": "！"}


def normalize_punctuation(text: str) -> str:
    """Half-width punctuation the recogniser gives inside Chinese text, made full-width as
    printed (``(项）`` → ``（项）``, ``用于:`` → ``用于：``). A mark is changed only when a
    Chinese character or full-width mark stands next to it, so numbers (``1,051.37``) and Latin
    text keep theirs."""
    if not any(ch in _HALF_TO_FULL for ch in text):
        return text
    out = list(text)
    for i, ch in enumerate(text):
        full = _HALF_TO_FULL.get(ch)
        if full is None:
            continue
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == "(":
            near = bool(after) and is_cjk(after) or (bool(before) and is_cjk(before) and not after.isdigit())
        elif ch == ")":
            near = bool(before) and is_cjk(before) or (bool(after) and is_cjk(after) and not before.isdigit())
        elif ch == ",":
            near = bool(before) and bool(after) and (is_cjk(before) or is_cjk(after))
        else:  # : ; ? ! in a Chinese sentence, unless between digits (12:30)
            near = any(is_cjk(c) for c in text) and not (before.isdigit() and after.isdigit())
        if near:
            out[i] = full
    return "".join(out)


def normalize_text(text: str) -> str:
    """The text of one OCR word as it would be printed: number forms repaired
    (:func:`normalize_number`), punctuation in Chinese text made full-width."""
    fixed = normalize_number(text)
    if fixed != text:
        return fixed
    return normalize_punctuation(text)


def regularise_sizes(heights: Sequence[float], lengths: Sequence[int]) -> list[float]:
    """Font sizes for words whose OCR boxes vary in height around the same printed size.

    The body size is the median height weighted by characters. A word within 15 % of it (short
    words, whose boxes are noisier, within 30 %/-25 %) is given exactly the body size, so the
    layout layer sees one size for one font, as with a text layer; clearly larger or smaller
    words (titles, notes) keep their own height."""
    if not heights:
        return []
    pairs = sorted(zip(heights, lengths, strict=True))
    total = sum(n for _, n in pairs)
    acc = 0
    body = pairs[-1][0]
    for h, n in pairs:
        acc += n
        if acc * 2 >= total:
            body = h
            break
    out = []
    for h, n in zip(heights, lengths, strict=True):
        lo, hi = (0.75, 1.3) if n <= 4 else (0.85, 1.15)
        out.append(body if lo * body <= h <= hi * body else round(h * 2) / 2)
    return out


def bold_flags(densities: Sequence[float], lengths: Sequence[int], *, factor: float = 1.35) -> list[bool]:
    """Which words are printed bold, from the share of dark pixels in their boxes: a heavier
    face inks clearly more of its box than the page's usual text (the median over words of at
    least four characters). Words of one character are never called bold (too noisy)."""
    ref = sorted(d for d, n in zip(densities, lengths, strict=True) if n >= 4)
    if len(ref) < 3:
        return [False] * len(densities)
    median = ref[len(ref) // 2]
    if median <= 0:
        return [False] * len(densities)
    return [n >= 2 and d >= factor * median for d, n in zip(densities, lengths, strict=True)]
