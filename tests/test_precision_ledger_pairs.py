"""The precision ledger of document pairs (tests/ledger/pairs/*.yaml, see tests/ledger/README.md):
for the real Jiangsu budgets, ``batch`` over their folder links exactly the pairs the ledger names
(the two departments publishing narrative and tables as separate files paired as one disclosure
each year), and every error and warning of the rules of a pair on them is in the ledger, judged
on both rendered pages, with no false alarm:

* an error or warning the ledger does not hold fails the test;
* a finding the ledger holds as true that is no longer reported fails it too;
* the ledger holds no false finding (a false alarm of a rule of a pair is a bug to fix).

Skipped when the shared documents are absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from juesuan.store import run_batch

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "tests" / "ledger" / "pairs"
SHARED = ROOT.parent / "shared"
JIANGSU = SHARED / "samples" / "jiangsu-budget"

Key = tuple[str, str, int | None, int | None, str | None, str | None]


def _ledgers() -> list[Path]:
    return sorted(LEDGER.glob("*.yaml"))


def _name(paths: str) -> tuple[str, ...]:
    """A document of the corpus (one path, or ``A + B`` for a disclosure in parts) by its files'
    paths under ``shared/``."""
    return tuple(Path(p).resolve().relative_to(SHARED.resolve()).as_posix() for p in paths.split(" + "))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not JIANGSU.is_dir():
        pytest.skip(f"{JIANGSU} is not here (the shared documents are absent)")
    out = tmp_path_factory.mktemp("pairs-corpus")
    summary = run_batch([str(JIANGSU)], out, in_process=True)
    con = duckdb.connect()
    try:
        docs = f"read_parquet('{(out / 'documents').as_posix()}/*.parquet', union_by_name = true)"
        paths = dict(con.execute(f"SELECT doc_id, path FROM {docs}").fetchall())
        pairs = con.execute(
            f"SELECT doc_id, prev_doc_id, relation FROM read_parquet('{(out / 'crossyear' / 'pairs.parquet').as_posix()}')"
        ).fetchall()
        findings = con.execute(
            "SELECT doc_id, related_doc_id, rule_id, severity, expected, found, locations, message FROM "
            f"read_parquet('{(out / 'crossyear' / 'findings.parquet').as_posix()}') WHERE severity <> 'info'"
        ).fetchall()
    finally:
        con.close()
    linked = {(_name(paths[d]), _name(paths[o])): rel for d, o, rel in pairs}
    by_pair: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[Key, str]]] = {}
    for d, o, rule, sev, expected, found, locations, message in findings:
        locs = json.loads(locations)
        pages = [(x.get("loc") or {}).get("page") for x in locs]
        key: Key = (rule, sev, pages[0] if pages else None, pages[1] if len(pages) > 1 else None, expected, found)
        by_pair.setdefault((_name(paths[d]), _name(paths[o])), []).append((key, message))
    return {"summary": summary, "linked": linked, "findings": by_pair, "out": out}


def _pair_of(data: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(data["doc"]), tuple(data["other"])


def test_every_pair_ledger_judges_every_entry() -> None:
    ledgers = _ledgers()
    assert ledgers, "the pair ledger is empty"
    for p in ledgers:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        assert data["relation"] in ("previous_year", "same_year_budget"), p.name
        assert data["doc"] and data["other"] and data["kind"], p.name
        for e in data.get("findings") or []:
            assert e["verdict"] in (True, False), (p.name, e)
            assert (e.get("why") or "").strip(), f"{p.name}: a verdict needs its reason: {e}"


def test_batch_links_exactly_the_pairs_of_the_ledger(corpus: dict[str, Any]) -> None:
    """The five departments' 2018 budgets each linked to their 2017 budget, the narrative and
    tables files of two of them joined into one disclosure per year, nothing else linked."""
    expected = {}
    for p in _ledgers():
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        if all(f.startswith("samples/jiangsu-budget/") for f in [*data["doc"], *data["other"]]):
            expected[_pair_of(data)] = data["relation"]
    assert corpus["linked"] == expected
    joined = sorted(" + ".join(_name(j)) for j in corpus["summary"].joined)
    assert len(joined) == 4, joined  # party-office and cppcc-office, 2017 and 2018
    assert all("-narrative.pdf + " in j and j.endswith("-tables.pdf") for j in joined), joined
    # the joined disclosures' findings stand for their parts': a run given the folder again (every
    # file skipped as done) tells the same verdict
    again = run_batch([str(JIANGSU)], corpus["out"], in_process=True)
    assert again.processed == 0 and again.joined == []
    assert again.severity == corpus["summary"].severity and again.docs_with_errors == corpus["summary"].docs_with_errors


@pytest.mark.parametrize("ledger", _ledgers(), ids=lambda p: p.stem)
def test_pair_findings_match_the_ledger(ledger: Path, corpus: dict[str, Any]) -> None:
    data = yaml.safe_load(ledger.read_text(encoding="utf-8"))
    pair = _pair_of(data)
    if pair not in corpus["linked"]:
        pytest.fail(f"{ledger.name}: the pair is not linked by batch")
    reported = {k: m for k, m in corpus["findings"].get(pair, [])}
    entries = {
        (e["rule"], e["severity"], e.get("page"), e.get("other_page"), e.get("expected"), e.get("found")): e
        for e in data.get("findings") or []
    }
    problems = [f"不在台账中的结论：{k} {m}" for k, m in reported.items() if k not in entries]
    problems += [f"台账中的真实问题未再报告：{k}" for k, e in entries.items() if e["verdict"] and k not in reported]
    problems += [f"误报（应修复规则而不是记入台账）：{k}" for k, e in entries.items() if not e["verdict"]]
    assert not problems, f"{ledger.name}:\n" + "\n".join(problems)
