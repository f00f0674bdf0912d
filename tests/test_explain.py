"""``juesuan explain`` and ``report.explain.explain_path``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import seed
from juesuan.cli import app
from juesuan.model import Disclosure
from juesuan.report.explain import explain_document, explain_path
from juesuan.rules.cases import build_disclosure

SPEC = {
    "tables": [
        {
            "kind": "T01",
            "rows": {
                "income:inc_total_year": {"amount": "900.28"},
                "income:inc_begin_balance": {"amount": "151.09"},
                "income:inc_grand_total": {"amount": "1,051.37"},
            },
        }
    ],
    "sections": [
        {
            "heading": "一、收入支出决算总体情况说明",
            "paragraphs": [
                "2024 年度收入总计为 900.28 万元。与 2023 年度相比，收入总计减少 16.22 万元，下降 1.8%。",
                "主要原因：2024 年度职工人数 60 人。",
            ],
        }
    ],
}


def spec_doc() -> Disclosure:
    return build_disclosure(SPEC)


def test_explain_document_lists_sentences_claims_cells_and_verdicts() -> None:
    ex = explain_document(spec_doc())
    assert [s.sentence for s in ex.sentences] == [
        "2024 年度收入总计为 900.28 万元。",
        "与 2023 年度相比，收入总计减少 16.22 万元，下降 1.8%。",
        "主要原因：2024 年度职工人数 60 人。",
    ]
    amount = ex.sentences[0].claims[0]
    assert amount.kind == "amount" and amount.cells[0].row == "总计" and str(amount.cells[0].value) == "1051.37"
    assert amount.verdict == "✗" and amount.checks[0].rule == "N-009"
    change = ex.sentences[1].claims[0]
    assert change.verdict == "✓" and "16.22 ÷ (900.28 + 16.22)" in (change.checks[0].arithmetic or "")
    other = ex.sentences[2].claims[0]
    assert other.verdict == "○" and other.unbound_reason
    n = ex.counts()
    assert n == {**n, "sentences": 3, "claims": 3, "wrong": 1, "ok": 1, "unchecked": 1}


def test_cli_text_and_json(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import juesuan.ingest as ingest

    monkeypatch.setattr(ingest, "read", lambda p: spec_doc())
    f = tmp_path / "x.txt"
    f.write_text("占位", encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["explain", str(f)])
    assert r.exit_code == 0, r.output
    assert "收入总计" in r.output and "N-009" in r.output and "未绑定" in r.output
    assert "共 3 个含数字的句子" in r.output
    r = runner.invoke(app, ["explain", str(f), "--format", "json"])
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["sentences"][0]["claims"][0]["checks"][0]["rule"] == "N-009"


def test_cli_bad_input_exits_2_in_chinese(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["explain", str(tmp_path / "没有这个文件.pdf")])
    assert r.exit_code == 2
    assert "无法读取" in r.output and "Traceback" not in r.output
    bad = tmp_path / "x.txt"
    bad.write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["explain", str(bad), "--format", "yaml"])
    assert r.exit_code == 2 and "text 或 json" in r.output


def test_api_on_a_seed() -> None:
    ex = explain_path(seed("003_837dc0ef3549c6c2.txt"))
    assert ex.path and ex.metadata and ex.metadata.year == 2024
    wrong = [c for s in ex.sentences for c in s.claims if c.verdict == "✗"]
    assert [c.checks[-1].rule for c in wrong] == ["N-005"]
