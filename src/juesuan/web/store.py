"""Documents, extracted facts, findings and job state in one embedded DuckDB file.

One connection per store, every statement under one lock (DuckDB connections are not meant to be
shared between threads unguarded; the web app has few, short statements).
"""

from __future__ import annotations

import datetime as _dt
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from .fingerprint import fingerprints

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS documents (
        id VARCHAR PRIMARY KEY,
        seq BIGINT,
        filename VARCHAR,
        stored VARCHAR,
        size BIGINT,
        sha256 VARCHAR,
        format VARCHAR,
        status VARCHAR,          -- queued, running, done, failed
        stage VARCHAR,
        progress INTEGER,
        error VARCHAR,
        error_code VARCHAR,
        created_at TIMESTAMP,
        started_at TIMESTAMP,
        finished_at TIMESTAMP,
        pages INTEGER,
        page_sizes VARCHAR,      -- JSON [[w, h], ...] in points
        metadata VARCHAR,        -- JSON Metadata
        disclosure VARCHAR,      -- JSON Disclosure (the extracted facts, with places)
        n_error INTEGER,
        n_warning INTEGER,
        n_info INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS findings (
        doc_id VARCHAR, idx INTEGER, rule_id VARCHAR, severity VARCHAR, message VARCHAR, data VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS cells (
        doc_id VARCHAR, table_index INTEGER, table_kind VARCHAR, table_title VARCHAR, side VARCHAR,
        row_key VARCHAR, row_code VARCHAR, row_label VARCHAR, column_key VARCHAR, column_label VARCHAR,
        raw VARCHAR, value VARCHAR, page INTEGER, line INTEGER, ref VARCHAR
    )""",
    "CREATE SEQUENCE IF NOT EXISTS doc_seq START 1",
    # Added after the first release: databases made before them gain the columns on open.
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS uploaded_by VARCHAR",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS rules_version VARCHAR",
    "ALTER TABLE findings ADD COLUMN IF NOT EXISTS fingerprint VARCHAR",  # see fingerprint.py
    # what the engine could not check (JSON [Unchecked]); which part of a disclosure a file
    # holds (narrative, tables, both); a group row's parts (ids, narrative first) and their
    # names and pages (JSON); a part's group; where an upload came from (a zip's or folder's name)
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS unchecked VARCHAR",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS part_role VARCHAR",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS parts VARCHAR",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS part_pages VARCHAR",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS group_id VARCHAR",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS source VARCHAR",
    # A finding of a pair of documents (related.py): attached to ``doc_id``, comparing it with
    # ``related_doc_id``; ``sides`` names, per location, the document it is a place of (JSON).
    # NULL for a document's own findings.
    "ALTER TABLE findings ADD COLUMN IF NOT EXISTS related_doc_id VARCHAR",
    "ALTER TABLE findings ADD COLUMN IF NOT EXISTS relation VARCHAR",
    "ALTER TABLE findings ADD COLUMN IF NOT EXISTS sides VARCHAR",
]
OWN = "related_doc_id IS NULL"  # a document's own findings, not those of a pair it is in

LIST_COLUMNS = (
    "id, filename, size, format, status, stage, progress, error, error_code, created_at, finished_at, "
    "pages, n_error, n_warning, n_info, sha256, metadata, uploaded_by, rules_version, seq, "
    "part_role, parts, group_id, source"
)


def _now() -> _dt.datetime:
    return _dt.datetime.now().replace(microsecond=0)


class Store:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._con = duckdb.connect(str(path))
        # called with a document's id once its results are stored (related.py pairs it)
        self.on_finish: list[Callable[[str], None]] = []
        with self._lock:
            for stmt in SCHEMA:
                self._con.execute(stmt)

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def _rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._con.execute(sql, params or [])
            names = [d[0] for d in cur.description or []]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def _exec(self, sql: str, params: list[Any] | None = None) -> None:
        with self._lock:
            self._con.execute(sql, params or [])

    # The desk's modules (accounts, decisions, organisations) keep their own tables in the same
    # file and go through the same lock.
    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        return self._rows(sql, params)

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self._exec(sql, params)

    def transaction(self, steps: list[tuple[str, list[Any], bool]]) -> None:
        """``(sql, params, many)`` steps as one change: a reader sees all of them or none
        (``many``: ``params`` is a list of rows for one statement each)."""
        with self._lock:
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                for sql, params, many in steps:
                    if many:
                        if params:
                            con.executemany(sql, params)
                    else:
                        con.execute(sql, params)
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise

    # -- jobs -----------------------------------------------------------------------------------
    def add(
        self,
        doc_id: str,
        *,
        filename: str,
        stored: str | None,
        size: int,
        sha256: str,
        fmt: str | None,
        status: str = "queued",
        error: str | None = None,
        error_code: str | None = None,
        uploaded_by: str | None = None,
        source: str | None = None,
        parts: list[str] | None = None,
    ) -> None:
        finished = _now() if status == "failed" else None
        self._exec(
            "INSERT INTO documents (id, seq, filename, stored, size, sha256, format, status, stage, progress, "
            "error, error_code, created_at, finished_at, uploaded_by, source, parts) "
            "VALUES (?, nextval('doc_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                doc_id,
                filename,
                stored,
                size,
                sha256,
                fmt,
                status,
                status,
                100 if status == "failed" else 0,
                error,
                error_code,
                _now(),
                finished,
                uploaded_by,
                source,
                ",".join(parts) if parts else None,
            ],
        )

    def requeue(self, doc_id: str) -> bool:
        """Check a finished document again (new rules, a fixed reader); its findings are replaced
        when the job finishes, decisions stay with their fingerprints."""
        rows = self._rows("SELECT status, format FROM documents WHERE id=?", [doc_id])
        if not rows or rows[0]["status"] not in ("done", "failed") or rows[0]["format"] is None:
            return False
        self._exec(
            "UPDATE documents SET status='queued', stage='queued', progress=0, error=NULL, error_code=NULL, "
            "finished_at=NULL WHERE id=?",
            [doc_id],
        )
        return True

    def requeue_interrupted(self) -> list[str]:
        """Put every job left running (its server stopped or was killed while it ran) back in the
        queue; returns their ids. Only the server that owns the store calls this, at its start and
        at the end of its stop, when none of its jobs runs."""
        with self._lock:
            ids = [r[0] for r in self._con.execute("SELECT id FROM documents WHERE status='running'").fetchall()]
            if ids:
                self._con.execute(
                    "UPDATE documents SET status='queued', stage='queued', progress=0 WHERE status='running'"
                )
        return ids

    def set_stage(self, doc_id: str, stage: str, progress: int) -> None:
        if stage == "starting":
            self._exec(
                "UPDATE documents SET status='running', stage=?, progress=?, started_at=? WHERE id=?",
                [stage, progress, _now(), doc_id],
            )
        else:
            self._exec("UPDATE documents SET stage=?, progress=? WHERE id=?", [stage, progress, doc_id])

    def fail(self, doc_id: str, error: str, code: str) -> None:
        self._exec(
            "UPDATE documents SET status='failed', stage='failed', progress=100, error=?, error_code=?, "
            "finished_at=? WHERE id=?",
            [error, code, _now(), doc_id],
        )

    def finish(self, doc_id: str, payload: dict[str, Any], rules_version: str | None = None) -> None:
        findings: list[dict[str, Any]] = payload["findings"]
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in findings:
            counts[f["severity"]] = counts.get(f["severity"], 0) + 1
        cells = payload.get("cells") or []
        with self._lock:
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                if not con.execute("SELECT 1 FROM documents WHERE id=?", [doc_id]).fetchall():
                    con.execute("ROLLBACK")  # deleted while it was being checked: nothing to keep
                    return
                # the pairs' findings are replaced by related.py once the document is done
                con.execute(f"DELETE FROM findings WHERE doc_id=? AND {OWN}", [doc_id])
                con.execute("DELETE FROM cells WHERE doc_id=?", [doc_id])
                if findings:
                    con.executemany(
                        "INSERT INTO findings (doc_id, idx, rule_id, severity, message, data, fingerprint) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [
                            [doc_id, i, f["rule_id"], f["severity"], f["message"], json.dumps(f, ensure_ascii=False), fp]
                            for i, (f, fp) in enumerate(zip(findings, fingerprints(findings), strict=True))
                        ],
                    )
                if cells:
                    keys = [
                        "table_index", "table_kind", "table_title", "side", "row_key", "row_code", "row_label",
                        "column", "column_label", "raw", "value", "page", "line", "ref",
                    ]  # fmt: skip
                    ints = {"table_index", "page", "line"}
                    con.executemany(
                        "INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            [doc_id]
                            + [
                                (int(c[k]) if c.get(k) else None) if k in ints else (c.get(k) or None)
                                for k in keys
                            ]
                            for c in cells
                        ],
                    )
                con.execute(
                    "UPDATE documents SET status='done', stage='done', progress=100, finished_at=?, pages=?, "
                    "page_sizes=?, metadata=?, disclosure=?, n_error=?, n_warning=?, n_info=?, rules_version=?, "
                    "unchecked=?, part_role=?, part_pages=? WHERE id=?",
                    [
                        _now(),
                        payload.get("pages"),
                        json.dumps(payload.get("page_sizes")),
                        json.dumps(payload.get("metadata"), ensure_ascii=False),
                        payload.get("disclosure"),
                        counts["error"],
                        counts["warning"],
                        counts["info"],
                        rules_version,
                        json.dumps(payload.get("unchecked") or [], ensure_ascii=False),
                        payload.get("part"),
                        json.dumps(payload["parts"], ensure_ascii=False) if payload.get("parts") else None,
                        doc_id,
                    ],
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        for hook in self.on_finish:
            hook(doc_id)

    # -- reading --------------------------------------------------------------------------------
    def get(self, doc_id: str) -> dict[str, Any] | None:
        rows = self._rows(
            f"SELECT {LIST_COLUMNS}, stored, page_sizes, unchecked, part_pages FROM documents WHERE id=?", [doc_id]
        )
        return rows[0] if rows else None

    def disclosure_json(self, doc_id: str) -> str | None:
        rows = self._rows("SELECT disclosure FROM documents WHERE id=?", [doc_id])
        return rows[0]["disclosure"] if rows else None

    def findings(self, doc_id: str) -> list[dict[str, Any]]:
        """The document's own findings (what its single-file reports hold)."""
        rows = self._rows(f"SELECT data FROM findings WHERE doc_id=? AND {OWN} ORDER BY idx", [doc_id])
        return [json.loads(r["data"]) for r in rows]

    def findings_with_fingerprints(self, doc_id: str) -> list[tuple[dict[str, Any], str]]:
        """The findings (in order) each with its fingerprint, read in one statement so that a job
        finishing meanwhile cannot pair one run's findings with another's fingerprints; made
        now for rows stored before fingerprints were kept. The findings of the pairs the document
        is attached to (related.py) come after its own, their fingerprints made when stored."""
        rows = self._rows("SELECT idx, data, fingerprint FROM findings WHERE doc_id=? ORDER BY idx", [doc_id])
        data = [json.loads(r["data"]) for r in rows]
        if rows and any(r["fingerprint"] is None for r in rows):  # only own rows predate fingerprints
            fps = fingerprints(data)
            with self._lock:
                self._con.executemany(
                    "UPDATE findings SET fingerprint=? WHERE doc_id=? AND idx=? AND fingerprint IS NULL",
                    [[fp, doc_id, r["idx"]] for fp, r in zip(fps, rows, strict=True)],
                )
            return list(zip(data, fps, strict=True))
        return [(d, r["fingerprint"]) for d, r in zip(data, rows, strict=True)]

    def list_documents(self, limit: int = 500, *, parts: bool = False) -> list[dict[str, Any]]:
        """The newest documents first; the files checked as parts of a group only with ``parts``
        (the list shows their group in their place)."""
        where = "" if parts else "WHERE group_id IS NULL "
        return self._rows(f"SELECT {LIST_COLUMNS} FROM documents {where}ORDER BY seq DESC LIMIT ?", [limit])

    # -- groups (see grouping.py) ------------------------------------------------------------------
    def group_candidates(self) -> list[dict[str, Any]]:
        """Every file that was read and did not fail since (a re-check in progress keeps its last
        reading) with what grouping needs; group rows themselves are not candidates."""
        return self._rows(
            "SELECT id, seq, filename, sha256, format, size, metadata, part_role, group_id, uploaded_by "
            "FROM documents WHERE parts IS NULL AND status <> 'failed' AND metadata IS NOT NULL "
            "AND metadata <> 'null' ORDER BY seq"
        )

    def part_names(self) -> dict[str, str]:
        """The file names of the documents checked within a group, by id."""
        return {r["id"]: r["filename"] for r in self._rows("SELECT id, filename FROM documents WHERE group_id IS NOT NULL")}

    def groups(self) -> list[dict[str, Any]]:
        return self._rows("SELECT id, parts FROM documents WHERE parts IS NOT NULL ORDER BY seq")

    def set_group(self, part_ids: list[str], group_id: str | None) -> None:
        if not part_ids:
            return
        with self._lock:
            self._con.executemany("UPDATE documents SET group_id=? WHERE id=?", [[group_id, p] for p in part_ids])

    def delete(self, doc_ids: list[str]) -> None:
        """The documents' rows, findings and cells (their files and decisions: the caller's)."""
        if not doc_ids:
            return
        with self._lock:
            con = self._con
            con.execute("BEGIN TRANSACTION")
            try:
                for table, key in (("findings", "doc_id"), ("cells", "doc_id"), ("documents", "id")):
                    con.executemany(f"DELETE FROM {table} WHERE {key}=?", [[d] for d in doc_ids])
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise

    def unfinished(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM documents WHERE status IN ('queued', 'running') ORDER BY seq")]

    def counts(self) -> dict[str, int]:
        rows = self._rows("SELECT status, count(*) AS n FROM documents GROUP BY status")
        return {r["status"]: int(r["n"]) for r in rows}

    def cell_count(self, doc_id: str) -> int:
        return int(self._rows("SELECT count(*) AS n FROM cells WHERE doc_id=?", [doc_id])[0]["n"])
