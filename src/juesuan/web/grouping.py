"""Parts of one disclosure uploaded as several files, grouped and checked as one.

Three Jiangsu departments publish their budget as two PDFs: the 情况说明 in one, the tables in
the other. Each upload is first read and checked alone (what it holds is known only then: its
department, year and kind, and whether it holds tables, a 情况说明 or both, as the engine judges
it, ``rules.parts_held``). After every job the uploads are grouped again, as ``batch`` groups a
corpus (store/parts.py): among the files of one normalised department, year and kind, exactly one
holding only a 情况说明 and exactly one holding only tables, and none holding both, are the parts
of one disclosure. Copies of one file count once (the first uploaded).

The grouping is a function of the files present, never of their order: a part uploaded later
forms its group when it has been read; a third candidate (a second narrative) dissolves it (no
guess), and deleting that candidate forms it again. A group is a document of its own (id: a
digest of its parts' ids, so a group formed again is the same document and finds its decisions
again), read by ``read_as_one`` from its parts' files (locations keep their file), listed in
its parts' place; a part's decisions are carried over to its group (same fingerprint, same
defect). Its pages are its parts' pages one after the other.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..ingest import InputError, read_as_one, sniff_format
from ..ingest.names import normalise_department
from ..model import Finding, Location, Metadata, Severity
from ..report.crops import BBox, SentenceLocator, ref_boxes
from ..report.extract import long_rows
from ..report.pdf_annotate import annotate_pdf
from ..report.pdf_combine import Part, combine
from ..rules import check_disclosure
from .store import Store
from .worker import ProcessError, part_role

ROLE_ZH = {"narrative": "情况说明", "tables": "表格", "both": "情况说明和表格"}


def group_id(part_ids: list[str]) -> str:
    """The group's document id (32 hex digits, as an upload's): the same parts, the same group."""
    return hashlib.sha256(("parts:" + ",".join(part_ids)).encode("ascii")).hexdigest()[:32]


@dataclass(frozen=True)
class Candidate:
    id: str
    seq: int
    filename: str
    sha256: str
    format: str | None
    size: int
    role: str | None
    key: tuple[str, int, str] | None  # normalised department, year, kind
    uploaded_by: str | None


def candidate(row: dict[str, Any]) -> Candidate:
    md = json.loads(row["metadata"]) if row.get("metadata") else {}
    md = md or {}
    dept, year, kind = normalise_department(md.get("department")), md.get("year"), md.get("kind")
    key = (dept, int(year), str(kind)) if dept and year and kind and not md.get("is_template") else None
    return Candidate(
        id=row["id"], seq=row["seq"], filename=row["filename"], sha256=row["sha256"], format=row["format"],
        size=row["size"] or 0, role=row.get("part_role"), key=key, uploaded_by=row.get("uploaded_by"),
    )  # fmt: skip


def wanted_groups(cands: list[Candidate]) -> dict[str, list[Candidate]]:
    """Group id → its parts (the narrative first), for the files present (see the module
    docstring): a function of the set of files, not of the order they came in."""
    by_key: dict[tuple[str, int, str], dict[str, Candidate]] = {}
    for c in sorted(cands, key=lambda c: c.seq):
        if c.key is not None:
            by_key.setdefault(c.key, {}).setdefault(c.sha256, c)  # a copy counts once: the first
    out: dict[str, list[Candidate]] = {}
    for files in by_key.values():
        roles = [c.role for c in files.values()]
        if roles.count("narrative") == 1 and roles.count("tables") == 1 and "both" not in roles:
            parts = [next(c for c in files.values() if c.role == r) for r in ("narrative", "tables")]
            out[group_id([c.id for c in parts])] = parts
    return out


class Grouper:
    """Keeps the groups of the store in line with its files (:meth:`regroup`)."""

    def __init__(self, store: Store, decisions: Any, submit: Callable[[str], None], cache: Path):
        self.store = store
        self.decisions = decisions
        self.submit = submit
        self.cache = cache
        self._lock = threading.Lock()  # worker threads and requests regroup; one at a time

    def regroup(self) -> list[str]:
        """Form the groups the files call for and dissolve the others; returns the ids of the
        groups formed (queued for checking)."""
        with self._lock:
            wanted = wanted_groups([candidate(r) for r in self.store.group_candidates()])
            have = {g["id"]: g["parts"].split(",") for g in self.store.groups()}
            for gid, part_ids in have.items():
                if gid not in wanted:
                    self.dissolve(gid, part_ids)
            formed = []
            for gid, parts in wanted.items():
                if gid in have:
                    continue
                self._form(gid, parts)
                formed.append(gid)
        for gid in formed:
            self.submit(gid)
        return formed

    def _form(self, gid: str, parts: list[Candidate]) -> None:
        fmts = {p.format for p in parts}
        sha = hashlib.sha256("".join(p.sha256 for p in parts).encode("ascii")).hexdigest()
        later = max(parts, key=lambda p: p.seq)
        self.store.add(
            gid, filename=" + ".join(p.filename for p in parts), stored=None, size=sum(p.size for p in parts),
            sha256=sha, fmt=fmts.pop() if len(fmts) == 1 else "mixed", uploaded_by=later.uploaded_by,
            parts=[p.id for p in parts],
        )  # fmt: skip
        ids = [p.id for p in parts]
        self.store.set_group(ids, gid)
        self.decisions.carry_over(ids, gid)
        self.decisions.log(later.uploaded_by, "grouped", gid, parts=ids, filenames=[p.filename for p in parts])

    def dissolve(self, gid: str, part_ids: list[str]) -> None:
        """The group's row, findings and derived files go; its parts are listed again (their own
        results stand). Its decisions stay: the same parts grouped again find them."""
        self.store.delete([gid])
        self.store.set_group(part_ids, None)
        shutil.rmtree(self.cache / gid, ignore_errors=True)
        self.decisions.log(None, "ungrouped", gid, parts=part_ids)


# -- pages ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartPages:
    """One part's pages within its group's: page ``k`` of the part is the group's ``offset + k``."""

    id: str
    name: str
    pages: int
    offset: int


def part_pages(row: dict[str, Any]) -> list[PartPages]:
    """The parts of a group row, with their pages (empty for a single file, or before the group
    was checked)."""
    if not row.get("parts") or not row.get("part_pages"):
        return []
    out, offset = [], 0
    for pid, p in zip(row["parts"].split(","), json.loads(row["part_pages"]), strict=False):
        n = int(p.get("pages") or 0)
        out.append(PartPages(pid, p["name"], n, offset))
        offset += n
    return out


def page_of(parts: list[PartPages]) -> Callable[[Location | None], int | None]:
    """A location's page in the group's numbering (the page itself for a single file)."""
    by_name = {p.name: p for p in parts}

    def page(loc: Location | None) -> int | None:
        if loc is None or loc.page is None:
            return None
        if not parts:
            return loc.page
        part = by_name.get(loc.file or "")
        return part.offset + loc.page if part is not None and 1 <= loc.page <= part.pages else None

    return page


def page_label(parts: list[PartPages], n: int) -> str:
    """How the page view names the group's page ``n``: 《file》第 k 页."""
    for p in parts:
        if p.offset < n <= p.offset + p.pages:
            return f"《{p.name}》第 {n - p.offset} 页"
    return f"第 {n} 页"


def locate(parts: list[PartPages], n: int) -> tuple[PartPages, int] | None:
    """The part holding the group's page ``n`` and the page within it."""
    for p in parts:
        if p.offset < n <= p.offset + p.pages:
            return p, n - p.offset
    return None


def group_boxes(parts: list[tuple[PartPages, bytes | None]], findings: list[Finding]) -> list[dict[int, list[BBox]]]:
    """Per finding, the group's page → boxes, each place on its own file's page, quoted sentences
    narrowed to their printed lines (as ``App.finding_boxes`` for one file). Call under pdfium's
    lock."""
    import pypdfium2 as pdfium

    locators: dict[str, tuple[PartPages, SentenceLocator | None]] = {}
    opened = []
    try:
        for p, data in parts:
            loc: SentenceLocator | None = None
            if data is not None:
                try:
                    pdf = pdfium.PdfDocument(data)
                    opened.append(pdf)
                    loc = SentenceLocator(pdf)
                except Exception:  # unreadable now: the reader's boxes as they are
                    loc = None
            locators[p.name] = (p, loc)
        out: list[dict[int, list[BBox]]] = []
        for f in findings:
            boxes: dict[int, list[BBox]] = {}
            for ref in f.locations:
                if ref.loc is None or ref.loc.page is None:
                    continue
                hit = locators.get(ref.loc.file or "")
                if hit is None or not 1 <= ref.loc.page <= hit[0].pages:
                    continue
                page = boxes.setdefault(hit[0].offset + ref.loc.page, [])
                for b in ref_boxes(ref, hit[1]):
                    if b not in page:
                        page.append(b)
            out.append(boxes)
        return out
    finally:
        for pdf in opened:
            pdf.close()


def _only_file(f: Finding, name: str, first: bool) -> Finding | None:
    """The finding with only its places in file ``name`` (a finding placed in no file goes with
    the first part); None when it has none there."""
    mine = [r for r in f.locations if r.loc is not None and r.loc.file == name]
    if mine:
        return f.model_copy(update={"locations": mine})
    if first and not any(r.loc is not None and r.loc.file for r in f.locations):
        return f
    return None


def group_pdf(parts: list[tuple[str, bytes]], findings: list[Finding], metadata: Metadata | None) -> bytes:
    """The annotated PDF of a group: each part annotated with its own places of the findings, the
    parts combined behind an index page."""
    out = []
    for i, (name, data) in enumerate(parts):
        mine = [g for f in findings if (g := _only_file(f, name, i == 0)) is not None]
        counts = {s.value: sum(1 for f in mine if f.severity is s) for s in Severity}
        out.append(Part(name=name, metadata=metadata, counts=counts, pdf=annotate_pdf(data, mine, name=name, metadata=metadata)))
    return combine(out, [])


# -- the job (runs in the worker's child process) -------------------------------------------------
def _unique(names: list[str]) -> Iterator[str]:
    """The parts' names, a repeated one numbered: places name their file by it."""
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        yield n if seen[n] == 1 else f"{Path(n).stem}（{seen[n]}）{Path(n).suffix}"


def process_parts(
    parts: list[tuple[str, str]], filename: str, max_pages: int, stage: Callable[[str, int], None]
) -> dict[str, Any]:
    """Read the files of one disclosure as one (``read_as_one``, as ``check --as-one``) and check
    it; the payload of ``worker.process_file`` plus each part's name and pages."""
    if len(parts) < 2:
        raise ProcessError(f"{filename}：合并核对的文件不全（部分文件已删除）", "missing_part")
    names = list(_unique([n for _, n in parts]))
    sizes: list[list[float]] | None = []
    pages: list[dict[str, Any]] = []
    for (path, _), name in zip(parts, names, strict=True):
        try:
            data = Path(path).read_bytes()
        except OSError:
            raise ProcessError(f"{name}：文件已不存在（可能已被删除）", "missing_part") from None
        n: int | None = None
        if sniff_format(data) != "pdf":
            sizes = None
        else:
            import pypdfium2 as pdfium

            try:
                pdf = pdfium.PdfDocument(data)
            except Exception as exc:
                raise ProcessError(f"{name}：PDF 文件已损坏或加密，无法打开", "bad_pdf") from exc
            n = len(pdf)
            if sizes is not None:
                sizes += [[round(float(v), 2) for v in pdf[i].get_size()] for i in range(n)]
            pdf.close()
        pages.append({"name": name, "pages": n})
    total = sum(p["pages"] or 0 for p in pages)
    if total > max_pages:
        raise ProcessError(f"{filename}：共 {total} 页，超过上限 {max_pages} 页", "too_many_pages")
    stage("reading", 20)
    try:
        doc = read_as_one([p for p, _ in parts], names)
    except InputError as exc:
        msg = exc.message
        for (path, _), name in zip(parts, names, strict=True):
            msg = msg.replace(path, name)
        raise ProcessError(msg, exc.code) from None
    doc.metadata.source_path = " + ".join(names)
    doc.metadata.pages = total or None
    stage("checking", 60)
    checked = check_disclosure(doc)
    stage("saving", 90)
    return {
        "metadata": doc.metadata.model_dump(mode="json"),
        "findings": [f.model_dump(mode="json") for f in checked.findings],
        "unchecked": [u.model_dump(mode="json") for u in checked.unchecked],
        "part": part_role(doc),
        "parts": pages,
        "disclosure": doc.model_dump_json(),
        "cells": long_rows(doc),
        "pages": total or None,
        "page_sizes": sizes if sizes else None,
    }
