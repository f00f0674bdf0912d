"""The built-in example: it reads, and ``juesuan check --example`` reports the planted defects."""

from __future__ import annotations

import json
from decimal import Decimal

from typer.testing import CliRunner

from juesuan.api import example_path
from juesuan.cli import app
from juesuan.ingest import read
from juesuan.model import Finding, Severity, TableKind
from juesuan.rules import run_rules

# Sum rules whose differences in an honestly rounded document are information only.
SUM_FAMILIES = ("T0", "T1")


def _findings() -> list[Finding]:
    return run_rules(read(example_path()))


def test_example_reads_completely() -> None:
    doc = read(example_path())
    assert doc.metadata.department == "示例市社会保险事业管理局" and doc.metadata.year == 2024
    kinds = {t.kind for t in doc.tables}
    assert {
        TableKind.T01,
        TableKind.T02,
        TableKind.T06,
        TableKind.T09,
        TableKind.T09S,
        TableKind.T11,
    } <= kinds
    assert doc.read_issues == []
    t03 = doc.table(TableKind.T03)
    assert t03 is not None and t03.department == "样板县医疗保障局"  # planted defect 4, as printed


def test_planted_table_defects_are_errors() -> None:
    fs = _findings()
    errors = {
        (f.rule_id, next((r.row for r in f.locations if r.row), None))
        for f in fs
        if f.severity is Severity.ERROR
    }
    assert ("T02-001", "2080109") in errors  # defect 1: the changed cell breaks its row
    assert ("T02-002", "20801") in errors  # … and its 款
    assert any(rid == "X-009" for rid, _ in errors)  # defect 2: 06表 no longer matches 05表
    warnings = {f.rule_id for f in fs if f.severity is Severity.WARNING}
    assert "X-010" in warnings


def test_honest_rounding_is_never_an_error() -> None:
    fs = _findings()
    planted_rows = {"2080109", "20801", "total"}
    for f in fs:
        if f.rule_id.startswith(SUM_FAMILIES) and f.severity is Severity.ERROR:
            assert any(r.row in planted_rows for r in f.locations), f"{f.rule_id} {f.message}"
        if f.severity is Severity.INFO and f.difference is not None:
            assert f.tolerance is not None and abs(f.difference) <= f.tolerance
    rounding = [f for f in fs if f.severity is Severity.INFO and f.rule_id.startswith(SUM_FAMILIES)]
    assert rounding, "the composed example carries honest rounding differences"
    assert all(f.difference is not None and abs(f.difference) <= Decimal("0.05") for f in rounding)


def test_cli_check_example_exits_1() -> None:
    res = CliRunner().invoke(app, ["check", "--example", "--format", "json"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    doc = data["documents"][0]
    ids = {f["rule_id"] for f in doc["findings"] if f["severity"] == "error"}
    assert {"T02-001", "T02-002", "X-009"} <= ids
    assert {"N-001", "D-002"} <= ids  # defect 3 (narrative amount) and defect 4 (another department)
