"""Quality of the findings on composed budgets (部门预算公开), configuration ``budget``::

    .venv/bin/python -m bench.quality --config budget [--record-floors | --check-floors]

Synthetic budgets (:func:`juesuan.compose.budget.synth_budget`) are printed as text, one clean
document per seed plus one per defect kind; each is read back with ``juesuan.ingest.read`` and
checked. A defect is detected when a warning- or error-level finding points at the injected
place (:func:`bench.quality.score.ref_matches`); a rule's precision is the share of its
warning/error findings that do. The defects are edits of the printed tables and sentences (the
data stay consistent; only what is printed is wrong), as a careless hand would make them.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

from juesuan.compose.budget import (
    BudgetData,
    BudgetTable,
    budget_tables,
    narrative,
    render_budget_txt,
    synth_budget,
)
from juesuan.ingest import read
from juesuan.model import Finding, Severity, TableKind
from juesuan.rules import run_rules

from .inject import Target
from .score import finding_matches

K = TableKind
Parts = list[tuple[str, list[str]]]
SEEDS = [1, 2, 3, 4]


@dataclass(frozen=True)
class BudgetKind:
    name: str
    title: str
    families: tuple[str, ...]


KINDS: dict[str, BudgetKind] = {
    k.name: k
    for k in (
        BudgetKind("b_row_off", "一般公共预算支出预算表一个项级科目的合计改动", ("B",)),
        BudgetKind("b_unbalanced", "收支预算总表收入合计改动（收支不平衡）", ("B",)),
        BudgetKind("b_sangong_item", "“三公”经费预算表公务接待费改动", ("B",)),
        BudgetKind("b_basic_mismatch", "财政拨款收支预算总表基本支出与基本支出表不一致", ("B",)),
        BudgetKind("narr_amount", "说明中的收入总计与表不符", ("N",)),
        BudgetKind("narr_share", "说明中基本支出的占比算错", ("N",)),
        BudgetKind("narr_change_pct", "说明中一般公共预算支出的增减率算错", ("N",)),
    )
}


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _bump(rng: random.Random, text: str) -> str:
    """A printed amount changed by 1–50 万元 (never a rounding difference)."""
    return f"{_amount(text) + Decimal(rng.randint(100, 5000)) / 100:,.2f}"


def _table(tables: list[BudgetTable], title: str) -> BudgetTable:
    return next(t for t in tables if t.title == title)


def _row_off(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    t = _table(tables, "一般公共预算支出预算表")
    lines = [r for r in t.body if len(r[0]) == 7 and r[2]]
    line = rng.choice(lines)
    line[2] = _bump(rng, line[2])
    return [Target("cell", K.B05, line[0], "total"), Target("row", K.B05, line[0])]


def _unbalanced(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    line = next(r for r in _table(tables, "收支预算总表").body if r[0] == "收入合计")
    line[1] = _bump(rng, line[1])
    return [Target("cell", K.B01, "inc_grand_total", "amount")]


def _sangong_item(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    t = next(t for t in tables if "三公" in t.title)
    col = t.header[0].index("公务接待费")
    t.body[0][col] = _bump(rng, t.body[0][col])
    return [Target("cell", K.B09, "reception", "amount"), Target("row", K.B09, "reception")]


def _basic_mismatch(
    d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random
) -> list[Target]:
    line = next(r for r in _table(tables, "财政拨款收支预算总表").body if r[4] == "一、基本支出")
    line[5] = _bump(rng, line[5])
    return [Target("cell", K.B04, "exp_basic", "amount")]


def _edit(parts: Parts, find: Callable[[str], bool], old: str, new: str) -> str:
    for _, paras in parts:
        for i, p in enumerate(paras):
            if find(p) and old in p:
                paras[i] = p.replace(old, new, 1)
                return new
    raise ValueError(f"no sentence holds {old}")


def _narr_amount(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    old = f"收入总计{d.total:,.2f}万元"
    new = f"收入总计{_bump(rng, f'{d.total:.2f}')}万元"
    return [Target("text", text=_edit(parts, lambda p: True, old, new))]


def _narr_share(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    para = next(p for _, ps in parts for p in ps if "支出预算合计" in p)
    share = para.split("基本支出")[1].split("占")[1].split("%")[0]
    bad = f"{Decimal(share) + Decimal(rng.randint(2, 9)):.2f}"
    return [Target("text", text=_edit(parts, lambda p: "支出预算合计" in p, f"占{share}%", f"占{bad}%"))]


def _narr_change_pct(
    d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random
) -> list[Target]:
    para = next(p for _, ps in parts for p in ps if "一般公共预算支出预算" in p)
    word = "增长" if "增长" in para.split("。")[0] else "下降"
    rate = para.split(word, 1)[1].split("%")[0]
    bad = f"{Decimal(rate) + Decimal(rng.randint(3, 9)):.2f}"
    return [
        Target(
            "text",
            text=_edit(parts, lambda p: "一般公共预算支出预算" in p, f"{word}{rate}%", f"{word}{bad}%"),
        )
    ]


INJECT: dict[str, Callable[[BudgetData, list[BudgetTable], Parts, random.Random], list[Target]]] = {
    "b_row_off": _row_off,
    "b_unbalanced": _unbalanced,
    "b_sangong_item": _sangong_item,
    "b_basic_mismatch": _basic_mismatch,
    "narr_amount": _narr_amount,
    "narr_share": _narr_share,
    "narr_change_pct": _narr_change_pct,
}


@dataclass
class Result:
    seed: int
    kind: str | None  # None: the clean document
    findings: list[tuple[str, str, bool]]  # (rule id, severity, points at the injected place)
    tables: int

    @property
    def detected(self) -> bool:
        return any(hit for _, _, hit in self.findings)


@dataclass
class BudgetRun:
    seeds: list[int]
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0


def document(seed: int, kind: str | None) -> tuple[str, list[Target]]:
    """The printed budget of ``seed``, with the defect ``kind`` injected (None: clean)."""
    d = synth_budget(seed)
    tables, parts = budget_tables(d), narrative(d)
    targets: list[Target] = []
    if kind is not None:
        tables, parts = copy.deepcopy(tables), copy.deepcopy(parts)
        targets = INJECT[kind](d, tables, parts, random.Random(f"budget-{seed}-{kind}"))
    return render_budget_txt(d, tables, parts), targets


def _serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]


def run(seeds: list[int], kinds: list[str] | None = None) -> BudgetRun:
    t0 = time.perf_counter()
    r = BudgetRun(seeds=list(seeds))
    with TemporaryDirectory() as tmp:
        for seed in seeds:
            for kind in [None, *(kinds or list(KINDS))]:
                text, targets = document(seed, kind)
                path = Path(tmp) / f"budget-{seed}-{kind or 'clean'}.txt"
                path.write_text(text, encoding="utf-8")
                doc = read(path)
                found = [
                    (f.rule_id, f.severity.value, finding_matches(f, targets))
                    for f in _serious(run_rules(doc))
                ]
                r.results.append(Result(seed, kind, found, len(doc.tables)))
    r.seconds = time.perf_counter() - t0
    return r


def recall(r: BudgetRun) -> dict[str, float]:
    out = {}
    for k in KINDS:
        xs = [x for x in r.results if x.kind == k]
        if xs:
            out[k] = sum(x.detected for x in xs) / len(xs)
    return out


def precision(r: BudgetRun) -> dict[str, float]:
    """Per rule: its warning/error findings that point at the injected place / all of them (every
    finding on a clean document counts as false)."""
    hit: dict[str, int] = {}
    all_: dict[str, int] = {}
    for x in r.results:
        for rid, _, ok in x.findings:
            all_[rid] = all_.get(rid, 0) + 1
            hit[rid] = hit.get(rid, 0) + (1 if ok and x.kind is not None else 0)
    return {rid: hit[rid] / n for rid, n in sorted(all_.items())}


def clean_errors(r: BudgetRun) -> int:
    return sum(1 for x in r.results if x.kind is None for _, sev, _ in x.findings if sev == "error")


def clean_warnings(r: BudgetRun) -> int:
    return sum(1 for x in r.results if x.kind is None for _, sev, _ in x.findings if sev == "warning")


def record(r: BudgetRun, floor_of: Callable[[float], float], recorded: str) -> dict[str, object]:
    return {
        "seeds": r.seeds,
        "formats": ["txt"],
        "recorded": recorded,
        "floors": {
            "txt": {
                "recall": {k: floor_of(v) for k, v in recall(r).items()},
                "precision": {k: floor_of(v) for k, v in precision(r).items()},
                "clean_errors_max": clean_errors(r),
            }
        },
    }


def breaches(r: BudgetRun, floors: dict[str, object]) -> list[str]:
    """Recall, precision or clean-document errors below the recorded floors, in Chinese."""
    per_fmt = floors.get("floors", {})
    assert isinstance(per_fmt, dict)
    fl = per_fmt.get("txt", {})
    out = []
    rec, prec = recall(r), precision(r)
    for k, lo in fl.get("recall", {}).items():
        if k in rec and rec[k] < lo:
            out.append(f"预算 txt：缺陷类型 {k} 的检出率 {rec[k]:.0%} 低于下限 {lo:.0%}")
    for rid, lo in fl.get("precision", {}).items():
        if rid in prec and prec[rid] < lo:
            out.append(f"预算 txt：规则 {rid} 的准确率 {prec[rid]:.0%} 低于下限 {lo:.0%}")
    if clean_errors(r) > fl.get("clean_errors_max", 0):
        out.append(f"预算 txt：无缺陷文档上出现 {clean_errors(r)} 条错误级问题")
    return out


def terminal(r: BudgetRun) -> str:
    clean = [x for x in r.results if x.kind is None]
    lines = [
        f"== 预算 txt ==  无缺陷文档 {len(clean)} 份，错误级问题 {clean_errors(r)} 条，警告 {clean_warnings(r)} 条"
    ]
    for k, v in recall(r).items():
        xs = [x for x in r.results if x.kind == k]
        rules = sorted({rid for x in xs for rid, _, ok in x.findings if ok})
        lines.append(
            f"  {k}（{KINDS[k].title}）：检出 {sum(x.detected for x in xs)}/{len(xs)}（{v:.0%}），规则 {'、'.join(rules) or '无'}"
        )
    lines.append("准确率：" + "；".join(f"{rid} {p:.0%}" for rid, p in precision(r).items()))
    lines.append(f"用时 {r.seconds:.1f} 秒")
    return "\n".join(lines)


def markdown(r: BudgetRun) -> str:
    """The section of docs/benchmarks.md: recall per defect kind and precision per rule."""
    lines = [
        "## Quality on composed budgets (`bench/quality --config budget`)",
        "",
        "Command: `.venv/bin/python -m bench.quality --config budget --write-docs`. "
        f"Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
        "",
        f"Seeds {', '.join(map(str, r.seeds))}: one clean budget each plus one per defect kind, printed as text by "
        "`juesuan.compose.budget` and read back by `juesuan.ingest.read`; "
        f"{clean_errors(r)} error and {clean_warnings(r)} warning findings on the clean budgets; "
        f"total time {r.seconds:.0f} s.",
        "",
        "| kind | defect | recall | rules that found it |",
        "|---|---|---|---|",
    ]
    for k, v in recall(r).items():
        xs = [x for x in r.results if x.kind == k]
        rules = sorted({rid for x in xs for rid, _, ok in x.findings if ok})
        lines.append(
            f"| `{k}` | {KINDS[k].title} | {v:.0%} ({sum(x.detected for x in xs)}/{len(xs)}) | {', '.join(rules)} |"
        )
    lines += ["", "| rule | precision |", "|---|---|"]
    lines += [f"| {rid} | {p:.0%} |" for rid, p in precision(r).items()]
    return "\n".join(lines) + "\n"
