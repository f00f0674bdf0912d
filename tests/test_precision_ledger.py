"""The precision ledger (tests/ledger/*.yaml, see its README) holds, for every real document under
``../shared``, each error- and warning-level finding with a verdict reached by reading the
rendered page. The checker must not accuse without the ledger's backing:

* an error-level finding that the ledger does not hold as a true defect fails the test;
* a true defect the ledger holds that the checker no longer reports fails it too (no recall
  lost to precision);
* every warning is in the ledger (so the ledger stays complete), and at most one per document is
  a false alarm.

Documents absent from ``../shared`` are skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bench.bench_ledger import Key, entry_key, finding_key, ledger_check, ledger_files

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "tests" / "ledger"
SHARED = ROOT.parent / "shared"
MAX_FALSE_WARNINGS = 1

def _ledgers() -> list[Path]:
    return sorted(LEDGER.glob("*.yaml"))


def _describe(k: Key) -> str:
    rule, sev, page, line, expected, found = k
    where = f"第 {page} 页" if page is not None else f"第 {line} 行" if line is not None else "全文"
    return f"{rule} {sev} {where} 应为 {expected} 实为 {found}"


def test_every_ledger_names_a_file_and_judges_every_entry() -> None:
    ledgers = _ledgers()
    assert ledgers, "the precision ledger is empty"
    for p in ledgers:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        assert data["file"] and data["kind"], p.name
        for e in data.get("findings") or []:
            assert e["verdict"] in (True, False), (p.name, e)
            assert e["severity"] in ("error", "warning"), (p.name, e)
            assert (e.get("why") or "").strip(), f"{p.name}: a verdict needs its reason: {e}"


@pytest.mark.parametrize("ledger", _ledgers(), ids=lambda p: p.stem)
def test_findings_on_real_documents_match_the_ledger(ledger: Path) -> None:
    data = yaml.safe_load(ledger.read_text(encoding="utf-8"))
    missing = [p for p in ledger_files(data) if not p.exists()]
    if missing:
        pytest.skip(f"{missing[0]} is not here (the shared documents are absent)")
    result = ledger_check(data)
    assert result.error is None, result.error
    entries: dict[Key, list[bool]] = {}
    for e in data.get("findings") or []:
        entries.setdefault(entry_key(e), []).append(bool(e["verdict"]))
    found = [finding_key(f) for f in result.findings]
    problems: list[str] = []
    false_warnings = 0
    for k in found:
        verdicts = entries.get(k)
        if verdicts is None:
            problems.append(f"不在台账中的{'错误' if k[1] == 'error' else '警告'}：{_describe(k)}")
        elif k[1] == "error" and not all(verdicts):
            problems.append(f"台账判为误报的错误仍被报告：{_describe(k)}")
        elif k[1] == "warning" and not all(verdicts):
            false_warnings += 1
    for k, verdicts in entries.items():
        if k[1] == "error" and all(verdicts) and k not in found:
            problems.append(f"台账中的真实错误未再报告：{_describe(k)}")
    if false_warnings > MAX_FALSE_WARNINGS:
        problems.append(f"误报的警告 {false_warnings} 条，多于 {MAX_FALSE_WARNINGS} 条")
    assert not problems, f"{data['file']}:\n" + "\n".join(problems)
