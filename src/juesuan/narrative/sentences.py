"""Splitting paragraphs into sentences, keeping offsets for locations."""

from __future__ import annotations

import re

from ..model import Location, Paragraph, Sentence

# A sentence ends at 。！？; or at ； (claims are usually one clause each); closing quotes and
# brackets stay with the sentence they close.
_END = re.compile(r"[。！？!?；;]+[”’」』）)]*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    # trim leading whitespace from each span
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        out.append((s, e))
    return out


def make_paragraph(text: str, loc: Location | None = None) -> Paragraph:
    sentences = []
    for s, e in split_sentences(text):
        sloc = loc
        if loc is not None and loc.line is not None and loc.page is None:
            sloc = loc.model_copy(update={"col": (loc.col or 1) + s})
        sentences.append(Sentence(text=text[s:e], loc=sloc, start=s, end=e))
    return Paragraph(text=text, sentences=sentences, loc=loc)
