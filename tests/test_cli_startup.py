"""Start-up of the ``juesuan`` command and the batch's per-document rows.

The command imports what a command uses when it runs: ``juesuan --help`` loads no pydantic model
and ``juesuan check`` loads no compose, corpus-store or web code (each fresh interpreter below
lists ``sys.modules`` after the command). The batch builds its rows as tuples turned into Arrow
columns; they must be the very tables the row dicts give."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from juesuan.compose import build_disclosure, synth
from juesuan.ingest.narrative import attach_claims
from juesuan.store import records

# Packages a command must not load unless it uses them.
HEAVY = ("duckdb", "pyarrow", "openpyxl", "docx", "weasyprint", "jinja2", "fastapi", "dask", "distributed", "matplotlib")


def _modules_after(*argv: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``juesuan ARGV`` (output discarded)."""
    code = (
        "import sys\n"
        "from juesuan.cli import main\n"
        f"sys.argv = ['juesuan', *{list(argv)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.__stderr__.write('\\n@@' + ' '.join(sorted(sys.modules)))\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "@@" in p.stderr, p.stderr
    return set(p.stderr.rsplit("@@", 1)[1].split())


def _loaded(mods: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in mods if m.split(".")[0] in prefixes or m.startswith(prefixes))


def test_help_loads_no_model_and_no_rich() -> None:
    mods = _modules_after("--help")
    assert "typer" in mods
    assert not _loaded(mods, ("pydantic", "rich", *HEAVY)), "--help needs typer only"
    commands = {"juesuan.cli", "juesuan.cli_corpus", "juesuan.cli_explain", "juesuan.cli_user", "juesuan.compose", "juesuan.compose.cli"}
    commands |= {"juesuan.locale", "juesuan.cli_text"}  # the command line in Chinese: no model, no rich
    assert {m for m in mods if m.startswith("juesuan.")} == commands


def test_check_loads_only_what_checking_needs() -> None:
    mods = _modules_after("check", "--example", "-f", "json")
    assert {"juesuan.api", "juesuan.rules.engine", "juesuan.report.jsonout"} <= mods  # it did check
    assert not _loaded(mods, HEAVY)
    assert not _loaded(mods, ("juesuan.store", "juesuan.web", "juesuan.report.html", "rich"))
    assert not [m for m in mods if m.startswith("juesuan.compose.") and m != "juesuan.compose.cli"]


def test_compose_package_names_resolve_on_first_use() -> None:
    import juesuan.compose as pkg
    from juesuan.compose import document, output

    for name in pkg.__all__:
        assert getattr(pkg, name) is not None
    assert pkg.compose is document.compose and pkg.render is output.render
    assert set(pkg.__all__) <= set(dir(pkg))
    with pytest.raises(AttributeError):
        _ = pkg.no_such_name


@pytest.mark.parametrize(
    "box",
    [
        (12.5, 100.25, 300.0, 112.75),
        (0.1, 1e-07, 1e16, -0.0),
        (1, 2, 3, 4),  # ints (a reader building Locations without validation)
        (1.0, float("nan"), 2.0, float("inf")),
        (1.5, 2.5),
    ],
)
def test_bbox_text_is_json_dumps(box: tuple[float, ...]) -> None:
    assert records._bbox_text(box) == json.dumps(box)  # type: ignore[arg-type]
    if all(isinstance(x, float) and math.isfinite(x) for x in box) and len(box) == 4:
        assert json.loads(records._bbox_text(box)) == list(box)  # type: ignore[arg-type]


def test_tuple_rows_give_the_tables_of_the_row_dicts() -> None:
    from juesuan.rules import run_rules

    tables, facts = synth(seed=7, department="示例市第七局", year=2024)
    doc, _ = build_disclosure(tables, facts)
    findings = run_rules(attach_claims(doc))  # the claims a reader reads from the composed text
    assert doc.claims and findings
    dicts = {
        "documents": [records.document_row("d", "x.txt", 3, doc=doc, findings=findings, seconds=0.5)],
        "facts": records.fact_rows("d", doc),
        "claims": records.claim_rows("d", doc),
        "findings": records.finding_rows("d", findings, related_doc_id="p"),
    }
    values = {
        "documents": [records.document_values("d", "x.txt", 3, doc=doc, findings=findings, seconds=0.5)],
        "facts": records.fact_values("d", doc),
        "claims": records.claim_values("d", doc),
        "findings": records.finding_values("d", findings, related_doc_id="p"),
    }
    a, b = records.to_tables(dicts), records.tables_from_values(values)
    for ds in records.SCHEMAS:
        assert a[ds].num_rows > 0
        assert a[ds].equals(b[ds], check_metadata=True), ds
    empty = records.tables_from_values({})
    assert all(empty[ds].num_rows == 0 and empty[ds].schema == s for ds, s in records.SCHEMAS.items())


def test_batch_reads_each_file_once_with_the_same_result(tmp_path: Path) -> None:
    """The default reader is given the bytes the batch read and hashed: same document as read()."""
    from juesuan.api import example_path
    from juesuan.ingest import read, read_data

    p = example_path()
    data = p.read_bytes()
    by_path = read(p)
    by_data = read_data(str(p), data, sha256=records.content_hash(data))
    assert by_data.model_dump_json() == by_path.model_dump_json()
    rows = records.process_file(str(p))
    assert rows["documents"][0][0] == by_path.metadata.sha256 and rows["documents"][0][10] == "ok"
    assert len(rows["facts"]) == len(records.fact_values("x", by_path))
    (tmp_path / "empty.txt").write_bytes(b" \n")
    failed = records.process_file(str(tmp_path / "empty.txt"))["documents"][0]
    assert failed[10:13] == ("error", "empty.txt：文件为空".replace("empty.txt", str(tmp_path / "empty.txt")), "empty")


def test_batch_workers_do_not_load_duckdb() -> None:
    """The fork server's preload and the modules a worker unpickles (initializer, task) leave
    DuckDB to the parent process."""
    code = (
        "import sys\n"
        "import juesuan.store.preload\n"
        "from juesuan.store.batch import _worker_init\n"
        "from juesuan.store.records import process_chunk\n"
        "assert 'juesuan.ingest.assemble' in sys.modules and 'juesuan.rules.families.tables.t01_summary' in sys.modules\n"
        "print('duckdb' in sys.modules)\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.stdout.strip() == "False", p.stderr
