"""Disclosures published as several files, found in a corpus: the narrative (情况说明) in one file,
the tables in another, as three Jiangsu departments publish their budgets.

After a batch, the documents of the corpus are grouped by normalised department name, year and
kind: where a group holds exactly one file with narrative claims and no table, exactly one file
with tables and no narrative claim, and no file holding both, the two are the parts of one
disclosure and are read again as one (:func:`~juesuan.store.records.process_parts`, what
``check --as-one`` does). The joined disclosure is a document of its own (path ``A + B``, its row
naming its parts); the cross-document pass pairs it, never its parts. A group the rule above does
not settle (two narratives, a year or department not read) is left as it is: no guess.
"""

from __future__ import annotations

from typing import Any

_GROUPS_SQL = """
WITH n AS (SELECT doc_id, count(*) AS n_claims FROM claims GROUP BY doc_id),
joined AS (SELECT unnest(string_split(parts, ',')) AS doc_id FROM documents WHERE parts IS NOT NULL),
d AS (
  SELECT d.doc_id, d.path, d.department_norm, d.year, d.kind, d.n_tables, coalesce(n.n_claims, 0) AS n_claims,
         d.parts
  FROM documents d LEFT JOIN n USING (doc_id)
  WHERE d.status = 'ok' AND d.department_norm IS NOT NULL AND d.year IS NOT NULL AND d.kind IS NOT NULL
    AND NOT coalesce(d.is_template, false)
),
g AS (
  SELECT department_norm, year, kind,
         count(*) FILTER (WHERE parts IS NULL AND n_tables = 0 AND n_claims > 0) AS narratives,
         count(*) FILTER (WHERE parts IS NULL AND n_tables > 0 AND n_claims = 0) AS tables,
         count(*) FILTER (WHERE parts IS NULL AND n_tables > 0 AND n_claims > 0) AS whole,
         count(*) FILTER (WHERE parts IS NOT NULL) AS done,
         min(doc_id) FILTER (WHERE parts IS NULL AND n_tables = 0 AND n_claims > 0) AS narrative_id,
         min(path) FILTER (WHERE parts IS NULL AND n_tables = 0 AND n_claims > 0) AS narrative_path,
         min(doc_id) FILTER (WHERE parts IS NULL AND n_tables > 0 AND n_claims = 0) AS tables_id,
         min(path) FILTER (WHERE parts IS NULL AND n_tables > 0 AND n_claims = 0) AS tables_path
  FROM d GROUP BY ALL
)
SELECT narrative_path, tables_path, narrative_id, tables_id FROM g
WHERE narratives = 1 AND tables = 1 AND whole = 0 AND done = 0
ORDER BY narrative_path
"""


def part_groups(con: Any) -> list[tuple[list[str], list[str]]]:
    """(paths, document ids) of each disclosure in parts the corpus holds and has not joined yet:
    the narrative's file first, then the tables' (see the module docstring)."""
    rows = con.sql(_GROUPS_SQL).fetchall()
    return [([n_path, t_path], [n_id, t_id]) for n_path, t_path, n_id, t_id in rows]
