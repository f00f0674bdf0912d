"""The cross-document pass of a corpus: pair each document with the documents it relates to and run
the rules of a pair (the Y and C families) on every pair.

Two relations (``relation`` of a pair, :mod:`juesuan.rules.pair`):

- ``previous_year``: a document and its department's document of the year before, of the same
  side (决算 with 决算, 预算 with 预算; 部门 with 部门 where both are known);
- ``same_year_budget``: a final account (决算) and the budget (预算) of the same department and
  year it executes (部门决算 with 部门预算, 单位决算 with 单位预算).

The rules are rules of a pair (:class:`~juesuan.rules.base.PairRule`, each declaring the kinds of
both documents) run by :func:`~juesuan.rules.engine.run_pair_rules`; this module only feeds them.
Each document of a pair is a :class:`~juesuan.rules.pair.PairDoc` built from the rows the corpus
stores (no disclosure is rebuilt), and the findings are attached to the pair's first document,
with the other one named in ``related_doc_id`` of the findings dataset.

Documents are paired only when their normalised department names are equal
(:func:`~juesuan.store.records.normalise_department`) and their years and kinds are read: a
document whose department, year or kind the reader did not find is in no pair (no guess). When
the corpus holds several candidates (a PDF and a Word copy), the one with the most tables is
taken. The files of a disclosure published in parts are paired as the joined disclosure
(:mod:`.parts`), never one by one.

The pass after each batch is incremental: a document's rows never change (its id is its
content's hash), so a pair checked by the same rules before keeps its findings and only the pairs
new documents make are checked. Cells are read column by column from the facts dataset, the
first table of a kind only, and a cell's location is built only when a finding names it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .. import __version__
from ..model import Location
from ..rules import arith, base, engine, pair
from ..rules.engine import run_pair_rules, select_pair_rules
from ..rules.pair import PREVIOUS_YEAR, CellKey, DocPair, PairCell, PairClaim, PairDoc
from ..tables import schema
from . import records
from .records import FINDINGS, finding_rows
from .writer import ensure_nonempty


class StoredCell(PairCell):
    """A cell read from the facts dataset: its place is the row's (page, line, ref, bbox)."""

    __slots__ = ()

    @staticmethod
    def locate(place: Any) -> Location | None:
        page, line, ref, bbox, file = place
        return _loc(page, line, ref, bbox, file)


def _loc(
    page: int | None, line: int | None, ref: str | None, bbox: str | None, file: str | None = None
) -> Location | None:
    if page is None and line is None and not ref and not bbox:
        return None
    box = tuple(json.loads(bbox)) if bbox else None
    return Location(page=page, line=line, ref=ref, bbox=box, file=file)  # type: ignore[arg-type]


def _claim(c: dict[str, Any]) -> PairClaim:
    """A claims row as a claim of a paired document."""
    return PairClaim(
        kind=c["kind"],
        quantity=c["quantity"] or "",
        label=c["label"] or "",
        value=c["value"],
        unit=c["unit"] or "",
        year=c["year"],
        sentence=c["sentence"] or "",
        section=c["section"],
        loc=_loc(c["page"], c["line"], None, None, c.get("file")),  # a claim's row keeps its page and line
        bindings=json.loads(c["bindings"]) if c.get("bindings") else [],
        attrs=json.loads(c["attrs"]) if c.get("attrs") else {},
    )


# --- over the corpus ------------------------------------------------------------------------------------

PAIRS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("prev_doc_id", pa.string()),
        ("department", pa.string()),
        ("department_norm", pa.string()),
        ("year", pa.int32()),
        ("prev_year", pa.int32()),
        # previous_year (prev_doc_id: the year before) or same_year_budget (prev_doc_id: the budget
        # of the same year a 决算 executes)
        ("relation", pa.string()),
    ]
)
_PAIRS_SQL = """
WITH parts AS (SELECT unnest(string_split(parts, ',')) AS doc_id FROM documents WHERE parts IS NOT NULL),
d AS (
  SELECT doc_id, path, department, department_norm, year, kind, unit, n_tables,
         kind IN ('部门预算', '单位预算') AS budget, kind IN ('单位决算', '单位预算') AS unit_level
  FROM documents
  WHERE status = 'ok' AND department_norm IS NOT NULL AND year IS NOT NULL AND NOT coalesce(is_template, false)
    AND doc_id NOT IN (SELECT doc_id FROM parts)
),
p AS (
  SELECT cur.doc_id, prev.doc_id AS prev_doc_id, cur.department, cur.department_norm, cur.year, prev.year AS prev_year,
         'previous_year' AS relation,
         row_number() OVER (PARTITION BY cur.doc_id ORDER BY prev.n_tables DESC, prev.doc_id) AS rn
  FROM d cur JOIN d prev
    ON prev.department_norm = cur.department_norm AND prev.year = cur.year - 1
   AND (cur.kind IS NULL OR prev.kind IS NULL OR cur.kind = prev.kind)
   -- a budget only with a budget (a 决算 of unknown kind is a 决算, as the rules take it)
   AND coalesce(cur.budget, false) = coalesce(prev.budget, false)
  UNION ALL
  SELECT cur.doc_id, b.doc_id, cur.department, cur.department_norm, cur.year, b.year, 'same_year_budget',
         row_number() OVER (PARTITION BY cur.doc_id ORDER BY b.n_tables DESC, b.doc_id)
  FROM d cur JOIN d b
    ON b.department_norm = cur.department_norm AND b.year = cur.year AND b.budget AND NOT cur.budget
   AND b.unit_level = cur.unit_level
)
SELECT doc_id, prev_doc_id, department, department_norm, year, prev_year, relation FROM p WHERE rn = 1
ORDER BY doc_id, relation
"""
BATCH_PAIRS = 200


def find_pairs(con: Any) -> pa.Table:
    return con.sql(_PAIRS_SQL).to_arrow_table().cast(PAIRS)


def load_documents(con: Any, ids: list[str], with_claims: set[str]) -> dict[str, PairDoc]:
    """The documents ``ids`` as documents of a pair (the claims of those in ``with_claims`` only)."""
    con.register("_ids", pa.table({"doc_id": pa.array(ids, pa.string())}))
    try:
        docs = con.sql("SELECT d.* FROM documents d JOIN _ids USING (doc_id)").to_arrow_table().to_pylist()
        # the cells a PairDoc holds: of the first table of a kind that prints each
        facts = con.sql(
            f"SELECT {', '.join(_FACT_COLUMNS)} FROM facts f JOIN _ids USING (doc_id) "
            "WHERE row_key <> '@field' QUALIFY row_number() OVER (PARTITION BY doc_id, table_kind, side, "
            'row_key, "column" ORDER BY table_index, file_row_number) = 1 ORDER BY doc_id'
        ).to_arrow_table()
        claims = (
            con.sql(
                "SELECT c.* FROM claims c JOIN _ids USING (doc_id) "
                "WHERE c.year IS NOT NULL OR c.kind IN ('change', 'completion') "
                "ORDER BY doc_id, claim_index"
            )
            .to_arrow_table()
            .to_pylist()
        )
    finally:
        con.unregister("_ids")
    cells = _cells_by_doc(facts)
    by_doc_claims: dict[str, list[dict[str, Any]]] = {}
    for r in claims:
        if r["doc_id"] in with_claims:
            by_doc_claims.setdefault(r["doc_id"], []).append(r)
    seen: set[str] = set()
    out = {}
    for d in docs:
        if d["doc_id"] in seen:
            continue
        seen.add(d["doc_id"])
        out[d["doc_id"]] = PairDoc(
            doc_id=d["doc_id"], path=d.get("path") or "", department=d.get("department"), year=d.get("year"),
            unit=d.get("unit"), kind=d.get("kind"), cells=cells.get(d["doc_id"], {}),
            claims=[_claim(c) for c in by_doc_claims.get(d["doc_id"], [])],
        )  # fmt: skip
    return out


_FACT_COLUMNS = (
    "doc_id", "table_kind", "side", "row_key", '"column"', "value", "raw", "row_label", "table_index",
    "page", "line", "ref", "bbox", "file",
)  # fmt: skip


def _cells_by_doc(facts: pa.Table) -> dict[str, dict[CellKey, PairCell]]:
    """The cells of each document from the facts rows (one per cell, sorted by document), column
    by column, without a dict per row."""
    cols = [facts.column(i).to_pylist() for i in range(facts.num_columns)]
    out: dict[str, dict[CellKey, PairCell]] = {}
    cur_id: str | None = None
    cells: dict[CellKey, PairCell] = {}
    for doc_id, kind, side, row, col, value, raw, label, ti, page, line, ref, bbox, file in zip(*cols, strict=True):
        if doc_id != cur_id:
            cur_id, cells = doc_id, out.setdefault(doc_id, {})
        cells[(kind, side, row, col)] = StoredCell(value, raw or "", label, ti, (page, line, ref, bbox, file))
    return out


def check_corpus(con: Any, previous: tuple[pa.Table, pa.Table] | None = None) -> tuple[pa.Table, pa.Table]:
    """(pairs, findings) of every cross-year pair in the corpus the connection sees.

    ``previous``: the (pairs, findings) of an earlier pass by the same rules; a pair found again
    keeps its findings (a document's rows never change: its id is its content's hash), so only
    new pairs are checked."""
    pairs = find_pairs(con)
    rows: list[dict[str, Any]] = []
    plist = pairs.to_pylist()
    kept: pa.Table | None = None
    if previous is not None:
        old_pairs, old_findings = previous
        same = {(p["doc_id"], p["prev_doc_id"]) for p in plist} & set(
            zip(old_pairs.column("doc_id").to_pylist(), old_pairs.column("prev_doc_id").to_pylist(), strict=True)
        )
        mask = [
            (d, r) in same
            for d, r in zip(
                old_findings.column("doc_id").to_pylist(), old_findings.column("related_doc_id").to_pylist(), strict=True
            )
        ]
        kept = old_findings.filter(pa.array(mask, pa.bool_())).select(FINDINGS.names).cast(FINDINGS)
        plist = [p for p in plist if (p["doc_id"], p["prev_doc_id"]) not in same]
    for i in range(0, len(plist), BATCH_PAIRS):
        part = plist[i : i + BATCH_PAIRS]
        ids = sorted({p["doc_id"] for p in part} | {p["prev_doc_id"] for p in part})
        loaded = load_documents(con, ids, {p["doc_id"] for p in part})
        for p in part:
            cur, prev = loaded.get(p["doc_id"]), loaded.get(p["prev_doc_id"])
            if cur is None or prev is None:
                continue
            found = run_pair_rules(DocPair(cur, prev, p["relation"] or PREVIOUS_YEAR))
            rows.extend(finding_rows(cur.doc_id, found, related_doc_id=prev.doc_id))
    findings = pa.Table.from_pylist(rows, schema=FINDINGS)
    if kept is not None and kept.num_rows:
        # one pair per document: by document (a stable sort), as a full pass orders them
        findings = pa.concat_tables([kept, findings]).sort_by("doc_id")
    return pairs, findings


_FINGERPRINT_KEY = b"juesuan_crossyear_rules"


def _fingerprint() -> bytes:
    """What the cross-year findings depend on besides the documents: the code of the rules run on
    a pair (their modules and base classes, the engine, the pair, the arithmetic, the labels),
    this module, the findings' rows, and the package version."""
    modules = {m.__name__: m for m in (sys.modules[__name__], records, schema, arith, base, engine, pair)}
    for rule in select_pair_rules():
        for cls in type(rule).__mro__:
            modules.setdefault(cls.__module__, sys.modules[cls.__module__])
    h = hashlib.sha256(__version__.encode())
    for name in sorted(modules):
        path = getattr(modules[name], "__file__", None)
        try:
            h.update(Path(path).read_bytes() if path else name.encode())
        except OSError:
            h.update(name.encode())
    return h.hexdigest().encode()


def _previous(folder: Path, fingerprint: bytes) -> tuple[pa.Table, pa.Table] | None:
    """The last pass's (pairs, findings) when both were written by the same rules, else None."""
    try:
        tables = [pq.read_table(folder / f"{name}.parquet") for name in ("pairs", "findings")]
    except (OSError, pa.ArrowException):
        return None
    for t in tables:
        if (t.schema.metadata or {}).get(_FINGERPRINT_KEY) != fingerprint:
            return None
    return tables[0], tables[1]


def _write_atomic(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def refresh_crossyear(out: Path, *, full: bool = False) -> tuple[int, int]:
    """Bring ``OUT/crossyear/{pairs,findings}.parquet`` up to date with the datasets; (pairs,
    findings). Only pairs the last pass did not check are checked, unless ``full`` or the rules
    changed since (findings are written before pairs, so a pass killed in between is redone)."""
    ensure_nonempty(out)
    folder = out / "crossyear"
    folder.mkdir(exist_ok=True)
    con = connect_datasets(out)
    try:
        fingerprint = _fingerprint()
        pairs, findings = check_corpus(con, None if full else _previous(folder, fingerprint))
    finally:
        con.close()
    meta = {_FINGERPRINT_KEY: fingerprint}
    _write_atomic(findings.replace_schema_metadata(meta), folder / "findings.parquet")
    _write_atomic(pairs.replace_schema_metadata(meta), folder / "pairs.parquet")
    return pairs.num_rows, findings.num_rows


def connect_datasets(out: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with views of the datasets the pass reads (documents, facts, claims)."""
    con = duckdb.connect()
    for ds in ("documents", "facts", "claims"):
        glob = (out.resolve() / ds / "*.parquet").as_posix()
        # a document's rows are in one chunk file, in table order: file_row_number breaks ties
        # between rows of one key (the first one counts, as in the single-document rules)
        extra = ", file_row_number = true" if ds == "facts" else ""
        src = f"read_parquet('{_sql_str(glob)}', union_by_name = true{extra})"
        have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
        # a corpus written before a column was added: the column read as not known
        added = "".join(f", NULL::VARCHAR AS {c}" for c in _ADDED.get(ds, ()) if c not in have)
        con.execute(f"CREATE VIEW {ds} AS SELECT *{added} FROM {src}")
    return con


_ADDED = {"documents": ("parts",), "facts": ("file",), "claims": ("file",)}


def _sql_str(s: str) -> str:
    return s.replace("'", "''")

