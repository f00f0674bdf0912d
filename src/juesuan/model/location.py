"""Source locations carried by every item of the model (provenance)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Location(BaseModel):
    """Where an item was read from.

    Text readers fill ``line``/``col`` (1-based); the PDF reader fills ``page`` (1-based) and
    ``bbox`` (x0, top, x1, bottom in PDF points, origin top-left); other readers put their own
    address in ``ref`` (``Sheet1!B7``, a DOM path, ``table 3 row 2 cell 4``).
    """

    model_config = ConfigDict(frozen=True)

    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    ref: str | None = None
    # the file the item was read from, set only when one disclosure is read from several files
    # (its narrative in one PDF, its tables in another); None for a single file
    file: str | None = None

    def describe(self) -> str:
        """Human (Chinese) rendering: 第3页 / 第12行第5列 / Sheet1!B7 (《file》第3页 for a part
        of a disclosure read from several files)."""
        parts: list[str] = [f"《{self.file}》"] if self.file else []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行" + (f"第{self.col}列" if self.col is not None else ""))
        if self.ref:
            parts.append(self.ref)
        return "".join(parts) if parts else "位置未知"


def merge_bbox(
    a: tuple[float, float, float, float] | None, b: tuple[float, float, float, float] | None
) -> tuple[float, float, float, float] | None:
    if a is None:
        return b
    if b is None:
        return a
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
