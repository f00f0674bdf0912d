"""Documents of one department linked to each other in the desk, and the findings of each pair.

A budget is linked to last year's budget of the same department, a final account (决算) to last
year's 决算 and to the budget of the same year it executes: the relations and the pairing of the
corpus (:func:`juesuan.store.crossyear.find_pairs`, the same SQL, run here over a table of the
desk's finished documents), judged by the corpus's rules of a pair
(:func:`juesuan.rules.run_pair_rules`, the C and Y families). Nothing is judged here.

What makes two documents "the same department" is the desk's own knowledge first: the
organisation each document belongs to (a reviewer's assignment, else the match by name,
organizations.py), else an organisation whose name is the department's by the corpus's looser
normalisation (中国共产党 = 中共 …), else the department's normalised name itself.

A pair's findings are kept in the ``findings`` table beside the document's own, attached to the
pair's first document (the later year; the 决算 of a 决算 and its budget) with ``related_doc_id``
naming the other, so that decisions, comments, review counts, the letter and the summary treat
them as any finding. Their fingerprints are made as the own findings' are; they never meet an
own finding's, since the rule id is part of a fingerprint and pair rules run only on pairs (and
each relation has its own rules). ``sides`` says, per location, which document it is a place
of: the rules name places of both, and the page of one must not be drawn on the other.

The pairs are brought up to date after every finished document (``Store.on_finish``), when the
organisations change, and before a page or an API call shows them (:meth:`Related.refresh`):
a pair is recomputed only when one of its documents was checked again, renamed, or the rules
changed; a pair no longer wanted (a document deleted, reassigned) is dropped with its findings.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import json
import threading
from typing import Any

import duckdb
import pyarrow as pa

from ..ingest.names import normalise_department
from ..model import Disclosure, Finding, Location
from ..rules import run_pair_rules
from ..rules.pair import PREVIOUS_YEAR, RELATIONS, SAME_YEAR_BUDGET, DocPair, PairCell, PairDoc
from ..runtime.crashlog import write_crash_log
from ..store.crossyear import find_pairs
from .fingerprint import fingerprints
from .organizations import Organizations
from .store import Store
from .worker import rules_version

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS doc_pairs (
        doc_id VARCHAR, other_id VARCHAR, relation VARCHAR, stamp VARCHAR, n_findings INTEGER,
        computed_at TIMESTAMP, PRIMARY KEY (doc_id, relation)
    )""",
]

# How a document names the other one of its pair: (seen from the pair's first document, from
# the other). The first of a previous_year pair is the later year; of a same_year_budget pair, the 决算.
RELATION_ZH = {
    PREVIOUS_YEAR: ("上年{kind}", "下一年度{kind}"),
    SAME_YEAR_BUDGET: ("同年预算", "同年决算"),
}
# A pair finding's idx: after the document's own findings, grouped by relation.
IDX_BASE = 1_000_000
# Marks a place of a paired document with that document's id while the rules run (see _marked).
MARK = "\x00"

_FRAME = pa.schema(
    [
        ("doc_id", pa.string()), ("path", pa.string()), ("department", pa.string()),
        ("department_norm", pa.string()), ("year", pa.int32()), ("kind", pa.string()), ("unit", pa.string()),
        ("n_tables", pa.int64()), ("status", pa.string()), ("is_template", pa.bool_()), ("parts", pa.string()),
    ]
)  # fmt: skip


# What a pair of documents is, named for the page showing both.
PAIR_ZH = {PREVIOUS_YEAR: "上下年度{kind}", SAME_YEAR_BUDGET: "同年决算与预算"}


def pair_zh(relation: str, kind: str | None) -> str:
    return PAIR_ZH.get(relation, "关联文件").format(kind="预算" if kind and "预算" in kind else "决算")


def relation_zh(relation: str, kind: str | None, first: bool) -> str:
    """How a document of a pair names the other: 上年预算, 同年预算, 下一年度决算 …"""
    here, there = RELATION_ZH.get(relation, ("关联文件", "关联文件"))
    k = "预算" if kind and "预算" in kind else "决算"
    return (here if first else there).format(kind=k)


def _marked(loc: Location | None, doc_id: str) -> Location | None:
    """``loc`` carrying the id of its document in ``file`` (its own file name kept after it):
    the rules copy a cell's or a sentence's location into a finding, so each place of a
    finding can be told to be of one document or the other, whatever the files are called."""
    if loc is None:
        return None
    return loc.model_copy(update={"file": f"{MARK}{doc_id}{MARK}{loc.file or ''}"})


def pair_doc(doc: Disclosure, doc_id: str, filename: str) -> PairDoc:
    """A desk document as a document of a pair, its places marked with its id."""
    d = PairDoc.from_disclosure(doc, doc_id, path=filename)
    d.cells = {k: PairCell(c.value, c.raw, c.label, c.table_index, _marked(c.loc, doc_id)) for k, c in d.cells.items()}
    d.claims = [dataclasses.replace(c, loc=_marked(c.loc, doc_id)) for c in d.claims]
    return d


def unmark(finding: Finding, names: dict[str, str]) -> tuple[dict[str, Any], list[str | None]]:
    """The finding as stored (``model_dump(mode="json")``) with each place's file its own file name
    (a part of a disclosure in several files keeps its part's), and per place the id of the
    document it is a place of (None for a place without location)."""
    data = finding.model_dump(mode="json")
    sides: list[str | None] = []
    for ref in data.get("locations") or []:
        loc = ref.get("loc") or {}
        file = loc.get("file") or ""
        if file.startswith(MARK):
            _, doc_id, own = file.split(MARK, 2)
            loc["file"] = own or names.get(doc_id)
            sides.append(doc_id)
        else:
            sides.append(None)
    return data, sides


def compute_pair(doc: PairDoc, other: PairDoc, relation: str) -> list[tuple[dict[str, Any], list[str | None], str]]:
    """(finding, sides, fingerprint) of each finding of the pair, most severe first."""
    found = run_pair_rules(DocPair(doc, other, relation))
    names = {doc.doc_id: doc.path, other.doc_id: other.path}
    rows = [unmark(f, names) for f in found]
    fps = fingerprints([d for d, _ in rows])
    return [(d, s, fp) for (d, s), fp in zip(rows, fps, strict=True)]


def _now() -> _dt.datetime:
    return _dt.datetime.now().replace(microsecond=0)


class Related:
    def __init__(self, store: Store, organizations: Organizations):
        self.store = store
        self.organizations = organizations
        self._lock = threading.Lock()
        self._seen: tuple[Any, ...] | None = None  # what the last refresh saw (see _signature)
        # documents whose results were just stored: their pairs are checked again whatever the
        # stamps say (a check finishing within the second of the last leaves the same time)
        self._dirty: set[str] = set()
        self._dirty_lock = threading.Lock()
        for stmt in SCHEMA:
            store.execute(stmt)

    # -- pairing ----------------------------------------------------------------------------------
    def _documents(self) -> tuple[pa.Table, dict[str, dict[str, Any]]]:
        """The finished documents as the corpus's ``documents`` dataset (what find_pairs reads),
        and each one's row. A disclosure published as several files pairs as its group (grouping.py),
        read as one; the files checked within a group never pair on their own (as ``batch`` pairs
        the joined disclosure, store/parts.py)."""
        rows = self.store.query(
            "SELECT id, filename, metadata, finished_at FROM documents "
            "WHERE status='done' AND metadata IS NOT NULL AND group_id IS NULL"
        )
        tables = {
            r["doc_id"]: int(r["n"])
            for r in self.store.query("SELECT doc_id, count(DISTINCT table_index) AS n FROM cells GROUP BY doc_id")
        }
        mds = {r["id"]: (json.loads(r["metadata"]) or {}) for r in rows}
        orgs = self.organizations.matches([{"id": i, "department": md.get("department")} for i, md in mds.items()])
        by_norm: dict[str, set[str]] = {}
        for o in self.organizations.all():
            if (n := normalise_department(o["name"])) is not None:
                by_norm.setdefault(n, set()).add(o["code"])
        out = []
        for r in rows:
            md = mds[r["id"]]
            norm = normalise_department(md.get("department"))
            org = orgs.get(r["id"])
            codes = by_norm.get(norm or "", set())
            if org is not None:
                key: str | None = "org:" + org["code"]
            elif len(codes) == 1:  # the organisation, named as the corpus's normalisation names it
                key = "org:" + next(iter(codes))
            else:
                key = "dept:" + norm if norm else None
            out.append(
                {
                    "doc_id": r["id"], "path": r["filename"], "department": md.get("department"), "department_norm": key,
                    "year": md.get("year"), "kind": md.get("kind"), "unit": md.get("unit"),
                    "n_tables": tables.get(r["id"], 0), "status": "ok", "is_template": bool(md.get("is_template")),
                    "parts": None,
                }
            )  # fmt: skip
        return pa.Table.from_pylist(out, schema=_FRAME), {r["id"]: r for r in rows}

    def wanted(self) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """The pairs the desk's documents make now (doc_id, prev_doc_id, relation …), and the rows."""
        frame, rows = self._documents()
        con = duckdb.connect()
        try:
            con.register("documents", frame)
            return find_pairs(con).to_pylist(), rows
        finally:
            con.close()

    def _signature(self) -> tuple[Any, ...]:
        """What pairing depends on, in a few aggregates: the finished documents (each checked
        again changes its finish time; a file joining or leaving a group changes its group), the
        organisations and the assignments, the rules."""
        q = self.store.query
        docs = q("SELECT count(*) AS n, bit_xor(hash(id || '|' || filename || '|' || coalesce(CAST(finished_at AS VARCHAR), '') "
                 "|| '|' || coalesce(group_id, ''))) AS h FROM documents WHERE status='done'")[0]  # fmt: skip
        orgs = q("SELECT count(*) AS n, bit_xor(hash(code || '|' || coalesce(name, '') || '|' || coalesce(parent, ''))) AS h FROM organizations")[0]
        assigned = q("SELECT count(*) AS n, bit_xor(hash(doc_id || '|' || coalesce(code, ''))) AS h FROM document_orgs")[0]
        return (docs["n"], docs["h"], orgs["n"], orgs["h"], assigned["n"], assigned["h"], rules_version())

    def refresh(self, *, force: bool = False) -> int:
        """Bring the stored pairs and their findings up to date; the number of pairs (re)computed.
        Nothing is read again when nothing pairing depends on changed since the last refresh."""
        with self._lock:
            with self._dirty_lock:
                dirty, self._dirty = self._dirty, set()
            seen = self._signature()
            if seen == self._seen and not force and not dirty:
                return 0
            pairs, rows = self.wanted()
            have = {(r["doc_id"], r["relation"]): r for r in self.store.query("SELECT * FROM doc_pairs")}
            version = rules_version()
            loaded: dict[str, PairDoc] = {}

            def load(doc_id: str) -> PairDoc:
                if doc_id not in loaded:
                    raw = self.store.disclosure_json(doc_id) or "{}"
                    loaded[doc_id] = pair_doc(Disclosure.model_validate_json(raw), doc_id, rows[doc_id]["filename"])
                return loaded[doc_id]

            done = 0
            keep: set[tuple[str, str]] = set()
            for p in pairs:
                doc_id, other_id, relation = p["doc_id"], p["prev_doc_id"], p["relation"]
                key = (doc_id, relation)
                keep.add(key)
                a, b = rows[doc_id], rows[other_id]
                stamp = json.dumps([version, other_id, str(a["finished_at"]), str(b["finished_at"]), a["filename"], b["filename"]])
                old = have.get(key)
                if old is not None and old["stamp"] == stamp and not dirty & {doc_id, other_id}:
                    continue
                found = compute_pair(load(doc_id), load(other_id), relation)
                base = IDX_BASE * (RELATIONS.index(relation) + 1 if relation in RELATIONS else len(RELATIONS) + 1)
                self.store.transaction(
                    [
                        ("DELETE FROM findings WHERE doc_id=? AND relation=? AND related_doc_id IS NOT NULL", [doc_id, relation], False),
                        (
                            "INSERT INTO findings (doc_id, idx, rule_id, severity, message, data, fingerprint, related_doc_id, "
                            "relation, sides) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [
                                [doc_id, base + i, d["rule_id"], d["severity"], d["message"], json.dumps(d, ensure_ascii=False),
                                 fp, other_id, relation, json.dumps(s)]
                                for i, (d, s, fp) in enumerate(found)
                            ],
                            True,
                        ),
                        ("DELETE FROM doc_pairs WHERE doc_id=? AND relation=?", [doc_id, relation], False),
                        ("INSERT INTO doc_pairs VALUES (?, ?, ?, ?, ?, ?)", [doc_id, other_id, relation, stamp, len(found), _now()], False),
                    ]
                )  # fmt: skip
                done += 1
            for doc_id, relation in set(have) - keep:
                self.store.transaction(
                    [
                        ("DELETE FROM findings WHERE doc_id=? AND relation=? AND related_doc_id IS NOT NULL", [doc_id, relation], False),
                        ("DELETE FROM doc_pairs WHERE doc_id=? AND relation=?", [doc_id, relation], False),
                    ]
                )
            self._seen = seen
            return done

    def after_finish(self, doc_id: str) -> None:
        """Store.on_finish: pair the finished document (a failure here must not fail the document,
        whose own results are stored: it is logged, and the next refresh tries again)."""
        with self._dirty_lock:
            self._dirty.add(doc_id)
        self.catch_up(f"文件 {doc_id} 的关联文件核对")

    def catch_up(self, what: str = "关联文件核对") -> None:
        """:meth:`refresh`, a failure logged rather than raised (the server's start, a worker)."""
        try:
            self.refresh()
        except Exception as exc:
            with contextlib.suppress(Exception):
                write_crash_log(what, exc)

    # -- reading ------------------------------------------------------------------------------------
    def pairs_of(self, doc_id: str) -> list[dict[str, Any]]:
        """The pairs a document is in, with the other document's id and whether it is the first."""
        rows = self.store.query(
            "SELECT doc_id, other_id, relation, n_findings FROM doc_pairs WHERE doc_id=? OR other_id=? ORDER BY relation, doc_id",
            [doc_id, doc_id],
        )
        return [dict(r, first=r["doc_id"] == doc_id, other=r["other_id"] if r["doc_id"] == doc_id else r["doc_id"]) for r in rows]

    def all_pairs(self) -> list[dict[str, Any]]:
        return self.store.query("SELECT doc_id, other_id, relation, n_findings FROM doc_pairs ORDER BY doc_id, relation")

    def findings(self, doc_id: str, other_id: str | None = None) -> list[dict[str, Any]]:
        """The findings of the pairs a document is in (with ``other_id``: of that pair only), each
        as {data, fingerprint, doc_id (the document it is attached to), other_id, relation, sides}."""
        if other_id is None:
            where, params = "(doc_id=? OR related_doc_id=?)", [doc_id, doc_id]
        else:
            where, params = "((doc_id=? AND related_doc_id=?) OR (doc_id=? AND related_doc_id=?))", [doc_id, other_id, other_id, doc_id]
        rows = self.store.query(
            f"SELECT doc_id, related_doc_id, relation, data, fingerprint, sides FROM findings "
            f"WHERE related_doc_id IS NOT NULL AND {where} ORDER BY doc_id, idx",
            params,
        )
        return [
            {
                "data": json.loads(r["data"]),
                "fingerprint": r["fingerprint"],
                "doc_id": r["doc_id"],
                "other_id": r["related_doc_id"],
                "relation": r["relation"],
                "sides": json.loads(r["sides"]) if r["sides"] else [],
            }
            for r in rows
        ]
