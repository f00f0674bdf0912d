"""Precision on real documents: per document of the ledger (tests/ledger), the error- and
warning-level findings `juesuan check` reports today, split into true defects and false alarms by
the ledger's verdicts (reached on the rendered pages), the defects seen but not reported, and how
many places were left unchecked because the reading was uncertain.

A finding the ledger does not judge is counted as "未判定" and makes the command exit 1, so the
table can never silently pass an unjudged accusation off as true.

Run: ``.venv/bin/python bench/bench_ledger.py`` (writes its section of docs/benchmarks.md).
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bench.common import machine, write_section
from juesuan.api import DocumentResult, check_as_one, check_path
from juesuan.model import Finding, Severity

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "tests" / "ledger"
SHARED = ROOT.parent / "shared"
HEADING = "## Precision on real documents (`bench/bench_ledger.py`)"

Key = tuple[str, str, int | None, int | None, str | None, str | None]


def place(f: Finding) -> tuple[int | None, int | None]:
    """(page, line) of the finding's first location that has one, as the ledger records it."""
    for ref in f.locations:
        if ref.loc and ref.loc.page is not None:
            return ref.loc.page, None
        if ref.loc and ref.loc.line is not None:
            return None, ref.loc.line
    return None, None


def ledger_files(data: dict[str, Any]) -> list[Path]:
    """The files a ledger judges: its ``file``, or every part of a disclosure published in several
    files and checked as one (``as_one``, the parts in the order ``check --as-one`` is given them)."""
    return [SHARED / p for p in data.get("as_one") or [data["file"]]]


def ledger_check(data: dict[str, Any]) -> DocumentResult:
    """``juesuan check --min-severity warning`` of what the ledger judges (``--as-one`` for parts)."""
    files = ledger_files(data)
    if len(files) > 1:
        return check_as_one(files, min_severity=Severity.WARNING)
    return check_path(files[0], min_severity=Severity.WARNING)


def finding_key(f: Finding) -> Key:
    """What identifies a finding in the ledger: rule, severity, place, expected and found."""
    page, line = place(f)
    return (f.rule_id, f.severity.value, page, line, f.expected, f.found)


def entry_key(e: dict[str, Any]) -> Key:
    """The same key of a ledger entry."""
    return (e["rule"], e["severity"], e.get("page"), e.get("line"), e.get("expected"), e.get("found"))


@dataclass
class Row:
    name: str
    kind: str
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (severity, verdict)
    missed: int = 0
    unchecked: int = 0


def measure(ledger: Path) -> Row | None:
    data = yaml.safe_load(ledger.read_text(encoding="utf-8"))
    if not all(p.exists() for p in ledger_files(data)):
        return None
    verdicts: dict[Key, bool] = {entry_key(e): bool(e["verdict"]) for e in data.get("findings") or []}
    result = ledger_check(data)
    row = Row(ledger.stem, data["kind"], missed=len(data.get("real_defects") or []))
    row.unchecked = len(result.unchecked)
    for f in result.findings:
        if f.severity not in (Severity.ERROR, Severity.WARNING):
            continue
        verdict = verdicts.get(finding_key(f))
        label = "未判定" if verdict is None else "真" if verdict else "误"
        row.counts[(f.severity.value, label)] += 1
    return row


def render(rows: list[Row]) -> str:
    def cell(r: Row, sev: str) -> str:
        c = r.counts
        text = f"{c[(sev, '真')]} / {c[(sev, '误')]}"
        return text + (f"（未判定 {c[(sev, '未判定')]}）" if c[(sev, "未判定")] else "")

    lines = [
        HEADING,
        "",
        f"{date.today().isoformat()}, {machine()}. Verdicts: tests/ledger (each reached on the rendered page); "
        "findings: `juesuan check FILE --min-severity warning` today. 错误/警告 columns: true / false. "
        "漏报: defects a reviewer saw on the pages that were not reported (`real_defects`). "
        "未核对: places left unchecked because the reading was uncertain.",
        "",
        "| 文件 | 种类 | 错误 真/误 | 警告 真/误 | 漏报 | 未核对 |",
        "|---|---|---|---|---|---|",
    ]
    total = Row("合计", "")
    for r in rows:
        lines.append(f"| {r.name} | {r.kind} | {cell(r, 'error')} | {cell(r, 'warning')} | {r.missed} | {r.unchecked} |")
        total.counts.update(r.counts)
        total.missed += r.missed
        total.unchecked += r.unchecked
    lines.append(
        f"| **合计** | {len(rows)} 份 | {cell(total, 'error')} | {cell(total, 'warning')} | "
        f"{total.missed} | {total.unchecked} |"
    )
    errors = total.counts[("error", "真")] + total.counts[("error", "误")]
    if errors:
        lines += ["", f"Error-level precision: {total.counts[('error', '真')]}/{errors}."]
    return "\n".join(lines)


def main() -> int:
    rows = [r for p in sorted(LEDGER.glob("*.yaml")) if (r := measure(p)) is not None]
    if not rows:
        print("共享文件夹不在此处，无法测量", file=sys.stderr)
        return 2
    text = render(rows)
    print(text)
    write_section(HEADING, text)
    unjudged = sum(r.counts[(s, "未判定")] for r in rows for s in ("error", "warning"))
    return 1 if unjudged else 0


if __name__ == "__main__":
    sys.exit(main())
