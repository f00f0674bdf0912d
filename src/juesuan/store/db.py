"""DuckDB over the Parquet datasets."""

from __future__ import annotations

from pathlib import Path

import duckdb

from .writer import DATASETS, ensure_nonempty

DB_NAME = "corpus.duckdb"


def refresh_views(out: Path) -> Path:
    """(Re)create ``OUT/corpus.duckdb`` with one view per dataset over its Parquet files."""
    ensure_nonempty(out)
    db = out / DB_NAME
    con = duckdb.connect(str(db))
    try:
        for ds in DATASETS:
            glob = (out.resolve() / ds / "*.parquet").as_posix()
            con.execute(f"CREATE OR REPLACE VIEW {ds} AS SELECT * FROM read_parquet('{glob}', union_by_name = true)")
    finally:
        con.close()
    return db


def open_corpus(out: Path | str, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to a batch output folder (or a corpus.duckdb file) with the views current."""
    p = Path(out)
    folder = p.parent if p.suffix == ".duckdb" else p
    if not (folder / "documents").is_dir():
        raise FileNotFoundError(f"{folder}：不是 juesuan batch 的输出文件夹（缺少 documents/）")
    db = refresh_views(folder) if not read_only or not (folder / DB_NAME).exists() else folder / DB_NAME
    return duckdb.connect(str(db), read_only=read_only)


connect = open_corpus
