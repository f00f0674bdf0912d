"""Ruling lines and skew of a page image (numpy only; no OCR engine needed).

A scanned table is drawn with ruling lines; in the image they are long runs of dark pixels along
one axis, a few pixels thick. :func:`find_lines` finds them as boxes in pixel coordinates;
:func:`erase_lines` paints them white so the text recogniser does not read a line touching a
digit as ``1`` or ``|``; :func:`estimate_skew` finds the small rotation of a scan (the angle at
which the rows of dark pixels are sharpest), which :func:`deskew` undoes before lines are looked
for, since a line tilted by one degree no longer forms long runs along a pixel row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Gray = NDArray[np.uint8]


@dataclass(frozen=True)
class PixelLine:
    """A ruling line as a box in pixels (x1/bottom exclusive)."""

    x0: int
    top: int
    x1: int
    bottom: int

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


def dark_mask(gray: Gray, threshold: int = 170) -> NDArray[np.bool_]:
    """Pixels dark enough to be ink (ruling lines are often grey after anti-aliasing)."""
    return gray < threshold


def _close_gaps(mask: NDArray[np.bool_], axis: int) -> NDArray[np.bool_]:
    """Binary closing with a 3-pixel structuring element along ``axis``: fills gaps of up to
    two pixels, which anti-aliasing and scanning noise leave in thin lines."""
    n = mask.shape[axis]
    if n < 3:
        return mask

    def shift(a: NDArray[np.bool_], k: int, fill: bool) -> NDArray[np.bool_]:
        out = np.full_like(a, fill)
        if axis == 1:
            if k > 0:
                out[:, k:] = a[:, :-k]
            else:
                out[:, :k] = a[:, -k:]
        else:
            if k > 0:
                out[k:, :] = a[:-k, :]
            else:
                out[:k, :] = a[-k:, :]
        return out

    dil = mask | shift(mask, 1, False) | shift(mask, -1, False)
    return dil & shift(dil, 1, True) & shift(dil, -1, True)


def _runs(mask: NDArray[np.bool_], min_len: int) -> NDArray[np.int64]:
    """Runs of True along axis 1 of at least ``min_len``: rows of (row, start, end)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    sr, sc = np.nonzero(d == 1)
    er, ec = np.nonzero(d == -1)
    # Both are in row-major order and every start has its end in the same row.
    lengths = ec - sc
    keep = lengths >= min_len
    return np.stack([sr[keep], sc[keep], ec[keep]], axis=1).astype(np.int64)


def _cluster(runs: NDArray[np.int64], max_thickness: int) -> list[tuple[int, int, int, int]]:
    """Join runs on consecutive rows that overlap into (start, first_row, end, last_row+1)."""
    open_: list[list[int]] = []  # [start, first_row, end, last_row]
    done: list[list[int]] = []
    for row, start, end in runs.tolist():
        still: list[list[int]] = []
        attached = False
        for c in open_:
            if c[3] < row - 1:
                done.append(c)
                continue
            if not attached and c[3] >= row - 1 and min(end, c[2]) - max(start, c[0]) > 0.5 * min(
                end - start, c[2] - c[0]
            ):
                c[0] = min(c[0], start)
                c[2] = max(c[2], end)
                c[3] = row
                attached = True
            still.append(c)
        if not attached:
            still.append([start, row, end, row])
        open_ = still
    done.extend(open_)
    out = []
    for start, first, end, last in done:
        if last - first + 1 <= max_thickness:
            out.append((start, first, end, last + 1))
    return out


def find_lines(
    gray: Gray, dpi: float, *, min_len_pt: float = 20.0, max_thickness_pt: float = 3.0, threshold: int = 170
) -> list[PixelLine]:
    """Horizontal and vertical ruling lines of a page image.

    A line is a run of dark pixels at least ``min_len_pt`` long (longer than the strokes of a
    character at body size) and at most ``max_thickness_pt`` thick (thicker dark areas are
    pictures, stamps or filled boxes, not rules)."""
    px = dpi / 72.0
    min_len = max(8, round(min_len_pt * px))
    max_thick = max(3, round(max_thickness_pt * px))
    mask = dark_mask(gray, threshold)
    lines: list[PixelLine] = []
    for x0, top, x1, bottom in _cluster(_runs(_close_gaps(mask, 1), min_len), max_thick):
        lines.append(PixelLine(x0, top, x1, bottom))
    vmask = _close_gaps(mask, 0).T
    for top, x0, bottom, x1 in _cluster(_runs(np.ascontiguousarray(vmask), min_len), max_thick):
        lines.append(PixelLine(x0, top, x1, bottom))
    return lines


def erase_lines(gray: Gray, lines: list[PixelLine], margin: int = 1) -> Gray:
    """A copy of the image with the ruling lines painted white."""
    out = gray.copy()
    h, w = out.shape
    for ln in lines:
        out[max(0, ln.top - margin) : min(h, ln.bottom + margin), max(0, ln.x0 - margin) : min(w, ln.x1 + margin)] = 255
    return out


def _rotate(gray: Gray, degrees: float) -> Gray:
    from PIL import Image

    img = Image.fromarray(gray)
    rot = img.rotate(degrees, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    return np.asarray(rot, dtype=np.uint8)


def estimate_skew(gray: Gray, *, max_degrees: float = 3.0, step: float = 0.1) -> float:
    """The rotation (degrees, counter-clockwise positive as in PIL) that makes the rows of ink
    sharpest: the angle maximising the variance of the row sums of the dark mask, searched
    coarse to fine on a reduced image. 0.0 for a straight page."""
    h, w = gray.shape
    factor = max(1, round(max(h, w) / 800))
    small = gray[::factor, ::factor]
    if small.size == 0 or not (small < 170).any():
        return 0.0

    def score(angle: float) -> float:
        rot = small if angle == 0 else _rotate(small, angle)
        rows = (rot < 170).sum(axis=1).astype(np.float64)
        return float(np.var(rows))

    coarse = np.arange(-max_degrees, max_degrees + 1e-9, 0.5)
    best = max(coarse, key=lambda a: (score(float(a)), -abs(float(a))))
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, step)
    base = score(0.0)
    best_f = max(fine, key=lambda a: (score(float(a)), -abs(float(a))))
    # Keep the page as it is unless turning it clearly sharpens the rows.
    if score(float(best_f)) <= base * 1.02:
        return 0.0
    return round(float(best_f), 2)


def deskew(gray: Gray, angle: float) -> Gray:
    return gray if abs(angle) < 0.05 else _rotate(gray, angle)
