"""Splitting paragraphs into sentences, keeping offsets for locations."""

from __future__ import annotations

import re

from ...model import Location, Paragraph, Sentence

# A sentence ends at 。！？; or at ； (claims are usually one clause each); closing quotes and
# brackets stay with the sentence they close. (The whitespace after it, group 2, is no part of
# either sentence.)
_END = re.compile(r"([。！？!?；;]+[”’」』）)]*)(\s*)")

_set = object.__setattr__


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``: without its leading whitespace, never blank."""
    out: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    while start < n and text[start].isspace():
        start += 1
    # every sentence holds its end mark, so none is blank; the next starts after the whitespace
    for m in _END.finditer(text, start):
        out.append((start, m.end(1)))
        start = m.end()
    if start < n:  # the text after the last end mark, past its whitespace: not blank
        out.append((start, n))
    return out


def _at_col(loc: Location, col: int) -> Location:
    """``loc.model_copy(update={"col": col})`` without its generic copying, for a plain Location
    (no extras, no private attributes)."""
    if type(loc) is not Location:
        return loc.model_copy(update={"col": col})
    values = loc.__dict__.copy()
    values["col"] = col
    fields_set = loc.__pydantic_fields_set__.copy()
    fields_set.add("col")
    obj = Location.__new__(Location)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", fields_set)
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def _sentence(text: str, loc: Location | None, start: int, end: int) -> Sentence:
    """``Sentence(text=text, loc=loc, start=start, end=end)`` for a ``str``, a plain Location (or
    None) and ints, which validation would keep as they are: the same object, built without it
    (in about half the time; see ``ingest/trusted.py``, whose generic builder is no faster than
    validating so small a model)."""
    obj = _new_sentence(Sentence)
    _set(obj, "__dict__", {"text": text, "loc": loc, "start": start, "end": end})
    _set(obj, "__pydantic_fields_set__", {"text", "loc", "start", "end"})
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_new_sentence = Sentence.__new__


def make_paragraph(text: str, loc: Location | None = None) -> Paragraph:
    # (validated when ``text`` is a str subclass or ``loc`` a Location subclass, which validation
    # may convert)
    build = _sentence if type(text) is str and (loc is None or type(loc) is Location) else _validated
    sentences = []
    if loc is not None and loc.line is not None and loc.page is None:
        col0 = loc.col or 1  # a text reader's location: each sentence at its own column
        for s, e in split_sentences(text):
            sentences.append(build(text[s:e], _at_col(loc, col0 + s), s, e))
    else:
        for s, e in split_sentences(text):
            sentences.append(build(text[s:e], loc, s, e))
    return Paragraph(text=text, sentences=sentences, loc=loc)


def _validated(text: str, loc: Location | None, start: int, end: int) -> Sentence:
    return Sentence(text=text, loc=loc, start=start, end=end)
