"""What the document page and the pair page show: the findings in display order, each with its
boxes on the page images (of the documents shown), its cells in the extracted tables and its
quoted sentences; the extracted tables themselves as HTML, cells addressable by the page's script.

A document's own findings are placed on it; the findings of a pair it is in (related.py) are
placed on each document by ``sides``: a place of the other document is listed, never drawn here.
A disclosure checked from several files (grouping.py) shows its files' pages one after the other,
each labelled 《文件》第 k 页, each place on its own file's page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from ..ingest.errors import NOT_A_DISCLOSURE
from ..model import Disclosure, Finding, Location, Ref, Severity, Unchecked
from ..model.table import Table
from ..report.crops import sentence_fragment
from ..report.items import family_of, rule_families
from ..tables.schema import PERF_FIELDS
from .decisions import finding_id
from .grouping import ROLE_ZH, PartPages, page_label, page_of, part_pages
from .related import pair_zh, relation_zh

FIELD_ROW = "@field"  # the row key of a table's key/value fields (绩效自评表) in the table pane


@dataclass
class Item:
    """One finding as the pages show it: attached to ``owner``; of a pair with ``other`` when set,
    ``sides`` naming the document of each location."""

    f: Finding
    fp: str
    owner: str
    other: str | None = None
    relation: str | None = None
    sides: list[str | None] = field(default_factory=list)

    @property
    def id(self) -> str:
        return finding_id(self.owner, self.fp)

    def refs_of(self, doc_id: str) -> list[Ref]:
        """The places of this finding in the document ``doc_id``."""
        if self.other is None:
            return list(self.f.locations) if doc_id == self.owner else []
        return [r for r, s in zip(self.f.locations, self.sides, strict=False) if s == doc_id]


def document_items(a: Any, doc_id: str) -> list[Item]:
    """The document's own findings and those of every pair it is in."""
    cross = a.related.findings(doc_id)
    attached = {c["fingerprint"] for c in cross if c["doc_id"] == doc_id}
    items = [
        Item(Finding.model_validate(d), fp, doc_id)
        for d, fp in a.store.findings_with_fingerprints(doc_id)
        if fp not in attached
    ]
    items += [_cross_item(c) for c in cross]
    return items


def pair_items(a: Any, doc_id: str, other_id: str) -> list[Item]:
    return [_cross_item(c) for c in a.related.findings(doc_id, other_id)]


def _cross_item(c: dict[str, Any]) -> Item:
    return Item(Finding.model_validate(c["data"]), c["fingerprint"], c["doc_id"], c["other_id"], c["relation"], c["sides"])


def _same_place(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    return (a.page, a.bbox, a.line, a.ref) == (b.page, b.bbox, b.line, b.ref)


def cell_specs(
    doc: Disclosure, refs: list[Ref], doc_id: str, said: set[str] | None = None
) -> tuple[list[list[Any]], list[Markup]]:
    """The cells of ``refs`` in the table pane — ``[document, table, row, side, column]``, the
    row or the column None for a whole row or a whole table — and the sentences they quote,
    marked in their paragraph. ``said``: the sentences of the document's claims (a place of a
    cell quoting one is the sentence bound to the cell; other text of a cell's place is not
    the document's words, e.g. the file a rule names)."""
    if said is None:
        said = {c.sentence for c in doc.claims}
    cells: list[list[Any]] = []
    lines: list[Markup] = []
    for ref in refs:
        ti = ref.table_index
        if ti is not None and 0 <= ti < len(doc.tables):
            t = doc.tables[ti]
            if ref.row is not None and ref.column in t.fields and t.row(ref.row) is None:
                cells.append([doc_id, ti, FIELD_ROW, None, ref.column])
            elif ref.row is not None:
                rows = [r for r in t.rows if r.key == ref.row]
                side = None
                if len(rows) > 1:  # a two-sided table: the row whose cell is the one named
                    hit = [r for r in rows if ref.column and _same_place((r.cells.get(ref.column) or r).loc, ref.loc)]
                    side = (hit[0] if hit else rows[0]).side
                cells.append([doc_id, ti, ref.row, side, ref.column])
                if ref.text and ref.text in said:
                    lines.append(sentence_fragment(doc, ref))  # the sentence bound to the cell
            else:
                cells.append([doc_id, ti, None, None, None])
                if ref.text:
                    lines.append(Markup('<p class="snip-para"><mark>') + escape(ref.text.strip()) + Markup("</mark></p>"))
        elif ref.text and (ti is None or ti < 0):
            lines.append(sentence_fragment(doc, ref))
    return cells, list(dict.fromkeys(lines))


def table_html(t: Table, ti: int, doc_id: str) -> Markup:
    """The whole extracted table, each row and cell addressable (``data-r``, ``data-s``, ``data-c``)."""
    cols = [c.key for c in t.columns] or sorted({k for r in t.rows for k in r.cells})
    out = [Markup('<div class="xtable" data-doc="{}" data-t="{}" hidden>').format(doc_id, ti)]
    out.append(Markup('<div class="snip-title">《{}》{}</div>').format(t.name, f"（{t.unit.value}）" if t.unit else ""))
    if t.rows:
        out.append(Markup('<table class="snip xt"><thead><tr><th>科目代码</th><th>项目</th>'))
        out += [Markup("<th>{}</th>").format(t.column_label(c)) for c in cols]
        out.append(Markup("</tr></thead><tbody>"))
        for r in t.rows:
            out.append(Markup('<tr data-r="{}" data-s="{}"><td>{}</td><td>{}</td>').format(r.key, r.side or "", r.code or "", r.label))
            for c in cols:
                cell = r.cells.get(c)
                out.append(Markup('<td data-c="{}">{}</td>').format(c, cell.raw if cell else ""))
            out.append(Markup("</tr>"))
        out.append(Markup("</tbody></table>"))
    if t.fields:
        out.append(Markup('<table class="snip xt"><tbody>'))
        for k, fc in t.fields.items():
            out.append(Markup('<tr data-r="{}" data-s=""><th>{}</th><td data-c="{}">{}</td></tr>').format(FIELD_ROW, PERF_FIELDS.get(k, k), k, fc.raw))
        out.append(Markup("</tbody></table>"))
    if not t.rows and not t.fields:
        out.append(Markup('<p class="hint">（此表没有读出数据行）</p>'))
    out.append(Markup("</div>"))
    return Markup("").join(out)


@dataclass
class Pane:
    """One document as a page shows it: its page images (a PDF) and its extracted tables. The
    pages of a group (a disclosure in several files) are its files' one after the other."""

    row: dict[str, Any]
    doc: Disclosure | None
    sizes: list[list[float]]
    parts: list[PartPages] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def pages(self) -> list[dict[str, Any]]:
        return [{"n": i + 1, "ratio": h / w, "label": page_label(self.parts, i + 1)} for i, (w, h) in enumerate(self.sizes)]

    def page(self, loc: Location | None) -> int | None:
        """A place's page in this document's pages (a group's: its file's page, offset)."""
        return page_of(self.parts)(loc)

    @classmethod
    def load(cls, a: Any, row: dict[str, Any]) -> Pane:
        raw = a.store.disclosure_json(row["id"])
        doc = Disclosure.model_validate_json(raw) if raw else None
        sizes = (json.loads(row["page_sizes"]) if row.get("page_sizes") else None) or []
        return cls(row, doc, sizes if row.get("format") == "pdf" else [], part_pages(row))


def _pagers(a: Any, panes: list[Pane]) -> Callable[[str | None, Location | None], int | None]:
    """A place's page in the numbering of the document it is a place of (shown here or not)."""
    known: dict[str, Callable[[Location | None], int | None]] = {p.id: p.page for p in panes}

    def page(doc_id: str | None, loc: Location | None) -> int | None:
        if doc_id is None or loc is None:
            return None
        if doc_id not in known:
            row = a.store.get(doc_id)
            known[doc_id] = page_of(part_pages(row) if row is not None else [])
        return known[doc_id](loc)

    return page


def _percent(boxes: dict[int, list[Any]], sizes: list[list[float]]) -> list[dict[str, Any]]:
    out = []
    for page, bbs in sorted(boxes.items()):
        if not 1 <= page <= len(sizes):
            continue
        w, h = sizes[page - 1]
        for x0, t, x1, b in bbs:
            out.append({"page": page, "left": round(100 * x0 / w, 3), "top": round(100 * t / h, 3),
                        "width": round(100 * (x1 - x0) / w, 3), "height": round(100 * (b - t) / h, 3)})  # fmt: skip
    return out


def build_views(a: Any, items: list[Item], panes: list[Pane]) -> tuple[list[dict[str, Any]], dict[str, list[Markup]]]:
    """The findings in display order with, per document shown, their boxes, cells and sentences;
    and per document the tables the findings name (HTML)."""
    families = rule_families()
    order = sorted(range(len(items)), key=lambda i: Finding.sort_key(items[i].f))
    per_pane: dict[str, dict[str, Any]] = {}
    for p in panes:
        refs = [items[i].refs_of(p.id) for i in range(len(items))]
        placed = [f.model_copy(update={"locations": r}) for f, r in zip((it.f for it in items), refs, strict=True)]
        boxes = a.finding_boxes(p.row, placed) if p.sizes else [{} for _ in items]
        said = {c.sentence for c in p.doc.claims} if p.doc is not None else set()
        specs = [cell_specs(p.doc, r, p.id, said) if p.doc is not None else ([], []) for r in refs]
        per_pane[p.id] = {"refs": refs, "boxes": boxes, "specs": specs}
    decided: dict[str, dict[str, Any]] = {}
    comments: dict[str, dict[str, Any]] = {}
    names = {p.id: p.row["filename"] for p in panes}
    page_in = _pagers(a, panes)
    views = []
    used: dict[str, set[int]] = {p.id: set() for p in panes}
    for n, i in enumerate(order, start=1):
        it = items[i]
        if it.owner not in decided:
            decided[it.owner] = a.decisions.of(it.owner)
            comments[it.owner] = a.decisions.comments(it.owner)
        boxes, cells, lines, first_page, first_label = [], [], [], None, None
        for p in panes:
            pp = per_pane[p.id]
            for b in _percent(pp["boxes"][i], p.sizes):
                boxes.append(dict(b, doc=p.id))
            c, ls = pp["specs"][i]
            cells += c
            used[p.id] |= {x[1] for x in c}
            lines.append({"doc": p.id, "lines": ls})
            if first_page is None and p.sizes:
                pages = [pg for r in pp["refs"][i] if (pg := p.page(r.loc)) is not None]
                if pages:
                    first_page, first_label = pages[0], page_label(p.parts, pages[0])
        places = []
        for j, ref in enumerate(it.f.locations):
            side = it.sides[j] if it.other is not None and j < len(it.sides) else (it.owner if it.other is None else None)
            # the page in the pages of the document the place is in (a group's: its file's, offset)
            page = page_in(side, ref.loc)
            places.append({"text": ref.describe(), "doc": side, "page": page, "shown": side in names,
                           "name": names.get(side or ""), "where": ref.loc.describe() if ref.loc else ""})  # fmt: skip
        cross = None
        if it.other is not None:
            cross = {"owner": it.owner, "other": it.other, "relation": it.relation}
        views.append(
            {
                "n": n, "f": it.f, "id": it.id, "owner": it.owner, "family": family_of(it.f.rule_id, families),
                "decision": decided[it.owner].get(it.fp), "comments": comments[it.owner].get(it.fp, []),
                "boxes": boxes, "cells": cells, "lines": lines, "page": first_page, "page_label": first_label,
                "places": places, "cross": cross,
            }
        )  # fmt: skip
    tables = {
        p.id: [table_html(p.doc.tables[ti], ti, p.id) for ti in sorted(used[p.id])] if p.doc is not None else []
        for p in panes
    }
    return views, tables


def counts(views: list[dict[str, Any]]) -> dict[str, int]:
    return {s.value: sum(1 for v in views if v["f"].severity is s) for s in Severity}


def related_documents(a: Any, doc_id: str) -> list[dict[str, Any]]:
    """The documents linked to ``doc_id``: id, file, department, year, kind, how it relates and
    how many findings the pair has."""
    out = []
    for p in a.related.pairs_of(doc_id):
        row = a.store.get(p["other"])
        if row is None:
            continue
        md = json.loads(row["metadata"]) if row.get("metadata") else {}
        md = md or {}
        first_id, second_id = (doc_id, p["other"]) if p["first"] else (p["other"], doc_id)
        out.append(
            {
                "id": row["id"], "filename": row["filename"], "department": md.get("department"),
                "year": md.get("year"), "kind": md.get("kind"), "relation": p["relation"],
                "relation_zh": relation_zh(p["relation"], md.get("kind"), p["first"]),
                "pair_zh": pair_zh(p["relation"], md.get("kind")),
                "findings": p["n_findings"], "url": f"/pairs/{second_id}/{first_id}",
            }
        )  # fmt: skip
    return out


def document_context(a: Any, row: dict[str, Any]) -> dict[str, Any]:
    """What document.html shows: the findings (own and of the document's pairs), the page images
    with every finding's boxes, the extracted tables of the findings, the linked documents."""
    a.related.refresh()
    pane = Pane.load(a, row)
    items = document_items(a, row["id"]) if row["status"] == "done" else []
    views, tables = build_views(a, items, [pane])
    md = pane.doc.metadata if pane.doc else None
    related = related_documents(a, row["id"])
    return {
        "row": row,
        "md": md,
        "views": views,
        "rules": sorted({v["f"].rule_id for v in views}),
        "pages": pane.pages,
        "tables": tables[pane.id],
        "severities": [(s.value, s.zh) for s in Severity],
        "counts": counts(views),
        "related": related,
        "related_by_id": {d["id"]: d for d in related},
        "orgs": a.organizations.tree(),
        "org": a.organizations.matches([{"id": row["id"], "department": md.department if md else None}]).get(row["id"]),
        # several files checked as one, or the group a file was checked in; what was not checked
        "parts": a.parts_view(row),
        "group": a.store.get(row["group_id"]) if row.get("group_id") else None,
        "role_zh": ROLE_ZH.get(row.get("part_role") or "", ""),
        "unchecked": [Unchecked.model_validate(u) for u in json.loads(row.get("unchecked") or "[]")],
        "skipped": row["status"] == "failed" and row.get("source") and row.get("error_code") in NOT_A_DISCLOSURE,
    }


def pair_context(a: Any, left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    """What pair.html shows: two documents side by side (page images, or extracted tables for
    other formats) and the findings of their pair between them."""
    a.related.refresh()
    panes = [Pane.load(a, left), Pane.load(a, right)]
    items = pair_items(a, left["id"], right["id"])
    views, tables = build_views(a, items, panes)
    linked = {d["id"]: d for d in related_documents(a, left["id"])}.get(right["id"])
    docs = []
    for p in panes:
        md = p.doc.metadata if p.doc else None
        docs.append({"row": p.row, "md": md, "pages": p.pages, "tables": tables[p.id]})
    return {
        "docs": docs,
        "views": views,
        "link": linked,
        "rules": sorted({v["f"].rule_id for v in views}),
        "severities": [(s.value, s.zh) for s in Severity],
        "counts": counts(views),
    }
