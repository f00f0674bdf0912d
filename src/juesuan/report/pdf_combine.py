"""Several annotated PDFs in one file: an index page in front (department, year, kind, counts,
a link to each document), then each document with its own summary and bookmarks, nested under
a bookmark of its name."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import cast

from ..model import Metadata
from .pdf_annotate import text_pages
from .pdf_summary import index_lines, paginate, pdf_title


@dataclass
class Part:
    """One annotated document to combine."""

    name: str
    metadata: Metadata | None
    counts: dict[str, int]
    pdf: bytes


def combine(parts: list[Part], missing: list[str]) -> bytes:
    """One PDF of the annotated ``parts``; ``missing`` lists (in Chinese) the inputs left out."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    firsts: list[int] = []
    for part in parts:
        firsts.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(part.pdf)), outline_item=pdf_title(part.name, part.metadata))
    docs = [(p.name, p.metadata, p.counts, f) for p, f in zip(parts, firsts, strict=True)]
    n_index = len(paginate(index_lines(docs, missing, offset=0)))
    layout = paginate(index_lines(docs, missing, offset=n_index))
    page_refs = [p.indirect_reference for p in writer.pages]
    pages_root = cast(DictionaryObject, writer._root_object["/Pages"].get_object())

    def line_dest(target: int) -> ArrayObject:
        return ArrayObject([page_refs[target - n_index], NameObject("/Fit")])

    refs = text_pages(writer._add_object, pages_root.indirect_reference, layout, line_dest)
    kids = cast(ArrayObject, pages_root["/Kids"].get_object())
    for i, ref in enumerate(refs):
        kids.insert(i, ref)
    pages_root[NameObject("/Count")] = NumberObject(int(cast(NumberObject, pages_root["/Count"])) + len(refs))
    # the first bookmark (pypdf's ``before`` walks from the last item and cannot reach the first)
    item = DictionaryObject(
        {NameObject("/Title"): TextStringObject("文件一览"), NameObject("/Dest"): ArrayObject([refs[0], NameObject("/Fit")])}
    )
    item_ref = writer._add_object(item)
    outlines = cast(DictionaryObject, writer._root_object["/Outlines"].get_object())
    item[NameObject("/Parent")] = outlines.indirect_reference
    first = outlines.get("/First")
    if first is not None:
        item[NameObject("/Next")] = first
        cast(DictionaryObject, first.get_object())[NameObject("/Prev")] = item_ref
    else:
        outlines[NameObject("/Last")] = item_ref
    outlines[NameObject("/First")] = item_ref
    outlines[NameObject("/Count")] = NumberObject(int(outlines.get("/Count", 0)) + 1)
    title = f"决算/预算公开核对意见（{len(parts)} 个文件）"
    writer.add_metadata({"/Title": title, "/Producer": "juesuan"})
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    writer._root_object[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["Part", "combine"]
