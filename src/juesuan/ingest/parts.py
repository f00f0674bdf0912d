"""One disclosure published as several files: the narrative (情况说明) in one PDF and the tables in
another, as three of the Jiangsu departments publish their budgets.

Each file is read and assembled on its own; every location is marked with its file's name (so a
finding on a table says which file the table is in); the parts are joined in the order given
(cover, 目录, sections, tables, what the reader met); then the reader stages run once on the whole,
so the narrative's claims are read and bound to the other file's tables as in a single file.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel

from ..model import Disclosure, Location, Metadata


def _stamp(obj: Any, name: str, seen: set[int]) -> None:
    """Mark every Location under ``obj`` with the file ``name`` (Locations are frozen: replaced in
    their holder)."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, BaseModel):
        for field, value in list(obj.__dict__.items()):
            if isinstance(value, Location):
                object.__setattr__(obj, field, value.model_copy(update={"file": name}))
            elif isinstance(value, (BaseModel, list, dict)):
                _stamp(value, name, seen)
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            if isinstance(value, Location):
                obj[i] = value.model_copy(update={"file": name})
            elif isinstance(value, (BaseModel, list, dict)):
                _stamp(value, name, seen)
    elif isinstance(obj, dict):
        for k, value in list(obj.items()):
            if isinstance(value, Location):
                obj[k] = value.model_copy(update={"file": name})
            elif isinstance(value, (BaseModel, list, dict)):
                _stamp(value, name, seen)


def stamp_file(doc: Disclosure, name: str) -> None:
    """Mark every location of an assembled disclosure with the file it was read from."""
    _stamp(doc, name, set())


def joined_metadata(parts: list[Disclosure], names: list[str], data: list[bytes]) -> Metadata:
    """The joined metadata: each field from the first part that has it."""
    md = Metadata()
    for p in parts:
        for field in Metadata.model_fields:
            if getattr(md, field) is None and getattr(p.metadata, field) is not None:
                setattr(md, field, getattr(p.metadata, field))
    md.pages = None  # each part counts its own pages
    md.source_path = " + ".join(names)
    md.sha256 = hashlib.sha256(b"".join(hashlib.sha256(d).digest() for d in data)).hexdigest()
    return md


def join_parts(parts: list[Disclosure]) -> Disclosure:
    """The parts as one disclosure, in order; sections keep pointing at their tables."""
    doc = Disclosure()
    for p in parts:
        shift = len(doc.tables)
        for s in p.walk_sections():
            s.table_indices = [i + shift for i in s.table_indices]
        doc.cover += p.cover
        doc.toc += p.toc
        doc.sections += p.sections
        doc.tables += p.tables
        doc.read_issues += p.read_issues
    return doc
