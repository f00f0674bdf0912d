"""DuckDB over the Parquet datasets.

Views: ``documents``, ``facts``, ``claims``, ``findings`` (single-document findings and the
cross-year findings of ``crossyear/findings.parquet``, told apart by ``related_doc_id``) and
``year_pairs`` (the pairs of the cross-document pass: each document with the same department's
document of the year before, ``relation`` previous_year, or a 决算 with the budget of the same
year, same_year_budget).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .writer import DATASETS, ensure_nonempty

DB_NAME = "corpus.duckdb"


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ensure_crossyear(out: Path) -> None:
    from .crossyear import PAIRS
    from .records import FINDINGS

    folder = out / "crossyear"
    folder.mkdir(exist_ok=True)
    for name, schema in (("pairs", PAIRS), ("findings", FINDINGS)):
        f = folder / f"{name}.parquet"
        if not f.exists():
            pq.write_table(pa.Table.from_pylist([], schema=schema), f)


def view_sql(out: Path) -> dict[str, str]:
    """The SELECT behind each view of a corpus folder."""
    root = out.resolve()
    sql = {}
    for ds in DATASETS:
        globs = [(root / ds / "*.parquet").as_posix()]
        if ds == "findings":
            globs.append((root / "crossyear" / "findings.parquet").as_posix())
        files = "[" + ", ".join(_q(g) for g in globs) + "]"
        sql[ds] = f"SELECT * FROM read_parquet({files}, union_by_name = true)"
    sql["year_pairs"] = f"SELECT * FROM read_parquet({_q((root / 'crossyear' / 'pairs.parquet').as_posix())})"
    return sql


# columns added after corpora were written: a view over older files reads them as not known
_ADDED = {"documents": ("parts",), "facts": ("file",), "claims": ("file",), "year_pairs": ("relation",)}


def _create_view(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> None:
    con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
    have = {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}
    added = "".join(f", NULL::VARCHAR AS {c}" for c in _ADDED.get(name, ()) if c not in have)
    if added:
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT *{added} FROM ({sql})")


def refresh_views(out: Path) -> Path:
    """(Re)create ``OUT/corpus.duckdb`` with one view per dataset over its Parquet files."""
    ensure_nonempty(out)
    _ensure_crossyear(out)
    db = out / DB_NAME
    con = duckdb.connect(str(db))
    try:
        for name, sql in view_sql(out).items():
            _create_view(con, name, sql)
    finally:
        con.close()
    return db


def open_corpus(out: Path | str, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to a batch output folder (or its corpus.duckdb file) with the views current.

    Read-only connections to a folder whose database is missing or was moved (views hold absolute
    paths) get an in-memory database with the same views, so a copied corpus still opens."""
    p = Path(out)
    folder = p.parent if p.suffix == ".duckdb" else p
    if not (folder / "documents").is_dir():
        raise FileNotFoundError(f"{folder}：不是 juesuan batch 的输出文件夹（缺少 documents/）")
    db = folder / DB_NAME
    if not read_only or not db.exists():
        with contextlib.suppress(OSError):  # a read-only medium: in-memory views below
            refresh_views(folder)
    if db.exists():
        con = duckdb.connect(str(db), read_only=read_only)
        try:
            con.execute("SELECT count(*) FROM documents").fetchone()
            return con
        except duckdb.Error:
            con.close()
    con = duckdb.connect()
    for name, sql in view_sql(folder).items():
        try:
            _create_view(con, name, sql)
        except duckdb.Error:
            continue
    return con


connect = open_corpus
