"""Quality of the findings, in one command::

    .venv/bin/python -m bench.quality                       # the full configuration
    .venv/bin/python -m bench.quality --config ci           # the small CI configuration
    .venv/bin/python -m bench.quality --seeds 3 --formats model,txt --kinds narr_amount,cell_changed
    .venv/bin/python -m bench.quality --config ci --record-floors   # write floors.json
    .venv/bin/python -m bench.quality --write-docs          # per-kind table into docs/benchmarks.md
    .venv/bin/python -m bench.quality --config layouts --check-floors   # every regional layout

Exit code 1 when ``--check-floors`` finds a recall or precision below the recorded floor or an
error-level finding on a clean document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import sys
from pathlib import Path

from . import budget
from .generate import FORMATS
from .inject import KINDS
from .layouts import LAYOUTS
from .score import FormatSummary, Run, explain, misses, run, summarise, summarise_layouts

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FLOORS = HERE / "floors.json"
DOCS = ROOT / "docs" / "benchmarks.md"
BUDGET_BEGIN = "<!-- bench.quality.budget:begin -->"
BUDGET_END = "<!-- bench.quality.budget:end -->"
BEGIN = "<!-- bench.quality:begin -->"
END = "<!-- bench.quality:end -->"

CONFIGS: dict[str, dict[str, object]] = {
    "ci": {"seeds": [1, 3], "formats": ["model", "txt"], "max_seeds": {}},  # education + social insurance
    # PDF (WeasyPrint + our reader) and DOCX cost seconds per document: fewer seeds for them.
    "full": {"seeds": list(range(6)), "formats": list(FORMATS), "max_seeds": {"docx": 1, "pdf": 1}},
    # every regional layout (bench/quality/layouts.py); floors per layout and format
    "layouts": {"seeds": [1, 3], "formats": ["model", "txt"], "max_seeds": {}, "layouts": list(LAYOUTS)},
    "layouts-full": {"seeds": [0, 1, 2], "formats": list(FORMATS), "max_seeds": {"docx": 1, "pdf": 1},
                     "layouts": list(LAYOUTS)},
    # composed budgets (部门预算), read back from text: bench/quality/budget.py
    "budget": {"seeds": budget.SEEDS, "formats": ["txt"], "max_seeds": {}},
}


def floor_of(x: float) -> float:
    """The recorded floor: the measured value rounded down a little (to the 0.05 below x − 0.02)."""
    return max(0.0, math.floor((x - 0.02) * 20 + 1e-9) / 20)


def _format_floors(sums: dict[str, FormatSummary]) -> dict[str, object]:
    per_fmt: dict[str, object] = {}
    for fmt, s in sums.items():
        per_fmt[fmt] = {
            "recall": {k: floor_of(ks.recall) for k, ks in s.kinds.items() if ks.has_rule and ks.recall is not None},
            "precision": {rid: floor_of(rs.precision) for rid, rs in s.rules.items() if rs.precision is not None},
            "clean_errors_max": s.clean_errors,
        }
    return per_fmt


def record_layout_floors(r: Run) -> dict[str, object]:
    """Floors per regional layout and format (configurations that run several layouts)."""
    return {
        "seeds": r.seeds,
        "formats": list(r.formats),
        "layouts": list(r.layouts),
        "recorded": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "floors": {lay: _format_floors(sums) for lay, sums in summarise_layouts(r).items()},
    }


def check_layout_floors(r: Run, floors: dict[str, object]) -> list[str]:
    """Breaches of the per-layout floors, each prefixed with its layout."""
    out: list[str] = []
    per_layout = floors.get("floors", {})
    assert isinstance(per_layout, dict)
    sums = summarise_layouts(r)
    for lay, fl in per_layout.items():
        if lay not in sums:
            out.append(f"{lay}：记录了下限，但本次未运行该版式")
            continue
        out += [f"{lay} {b}" for b in check_floors(sums[lay], {"floors": fl})]
    return out


def record_floors(r: Run, sums: dict[str, FormatSummary]) -> dict[str, object]:
    per_fmt: dict[str, object] = {}
    for fmt, s in sums.items():
        per_fmt[fmt] = {
            "recall": {k: floor_of(ks.recall) for k, ks in s.kinds.items() if ks.has_rule and ks.recall is not None},
            "precision": {rid: floor_of(rs.precision) for rid, rs in s.rules.items() if rs.precision is not None},
            "clean_errors_max": s.clean_errors,
        }
    return {
        "seeds": r.seeds,
        "formats": [f for f in r.formats if f in sums],
        "recorded": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "floors": per_fmt,
    }


def check_floors(sums: dict[str, FormatSummary], floors: dict[str, object]) -> list[str]:
    """Breaches of the recorded floors, in Chinese (empty when all hold)."""
    out: list[str] = []
    per_fmt = floors.get("floors", {})
    assert isinstance(per_fmt, dict)
    for fmt, fl in per_fmt.items():
        s = sums.get(fmt)
        if s is None:
            out.append(f"{fmt}：记录了下限，但本次未能运行（读取器不可用或未选择该格式）")
            continue
        for k, lo in fl.get("recall", {}).items():
            ks = s.kinds.get(k)
            if ks is None or ks.recall is None:
                continue
            if ks.recall < lo:
                out.append(f"{fmt}：缺陷类型 {k} 的检出率 {ks.recall:.0%} 低于下限 {lo:.0%}")
        for rid, lo in fl.get("precision", {}).items():
            rs = s.rules.get(rid)
            if rs is None or rs.precision is None:
                continue
            if rs.precision < lo:
                out.append(f"{fmt}：规则 {rid} 的准确率 {rs.precision:.0%} 低于下限 {lo:.0%}")
        if s.clean_errors > fl.get("clean_errors_max", 0):
            out.append(f"{fmt}：无缺陷文档上出现 {s.clean_errors} 条错误级问题（上限 {fl.get('clean_errors_max', 0)}）")
    return out


# -- report ---------------------------------------------------------------------------------------
def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}" if x in (0, 1) else f"{x:.1%}"


def markdown(r: Run, sums: dict[str, FormatSummary], config: str) -> str:
    fmts = list(sums)
    lines = [
        "## Quality of the findings (`bench/quality`)",
        "",
        f"Command: `.venv/bin/python -m bench.quality --config {config} --write-docs`. "
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores shared with other work, Python {platform.python_version()}, "
        f"{platform.system()}. Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
        "",
        f"Configuration `{config}`: seeds {r.seeds[0]}–{r.seeds[-1]} ({len(r.seeds)} synthetic departments, one clean "
        f"document each plus one document per applicable defect kind), formats {', '.join(r.formats)}; "
        + (f"{', '.join(f'{f} on the first {n} seed(s)' for f, n in r.max_seeds.items() if f in r.formats)}; " if r.max_seeds else "")
        + f"{len(r.catalogue)} rules in the catalogue; total time {r.seconds:.0f} s.",
        "`model` checks the composed typed disclosure directly (rules only); the other formats are written by the "
        "composer and read back by `juesuan.ingest.read` (reader + rules).",
        "",
    ]
    for fmt, why in r.unavailable.items():
        lines.append(f"- **{fmt}: reader not available** ({why})")
    if r.unavailable:
        lines.append("")
    lines += ["### Recall per defect kind", "", "| kind | defect | families | " + " | ".join(fmts) + " |",
              "|---|---|---|" + "---|" * len(fmts)]  # fmt: skip
    for k in r.kinds:
        cells = []
        for f in fmts:
            ks = sums[f].kinds[k]
            if not ks.n:
                cells.append("n/a")
            elif not ks.has_rule:
                cells.append(f"no rule yet ({ks.detected}/{ks.n})")
            else:
                cells.append(f"{_pct(ks.recall)} ({ks.detected}/{ks.n})" + (f", {ks.read_failed} unread" if ks.read_failed else ""))
        lines.append(f"| `{k}` | {KINDS[k].title} | {', '.join(KINDS[k].families)} | " + " | ".join(cells) + " |")
    lines += ["", "### Clean documents", "", "| format | documents | error findings | per document | warnings | read failures | s / document |",
              "|---|---|---|---|---|---|---|"]  # fmt: skip
    for f in fmts:
        s = sums[f]
        lines.append(f"| {f} | {s.clean_docs} | {s.clean_errors} | {s.errors_per_clean_doc:.2f} | {s.clean_warnings} | "
                     f"{s.clean_read_failed} | {s.seconds / max(s.docs, 1):.2f} |")  # fmt: skip
    lines += ["", "### Precision per rule (warning and error findings)", "",
              "| rule | " + " | ".join(f"{f}: on target / all (on clean)" for f in fmts) + " |", "|---|" + "---|" * len(fmts)]  # fmt: skip
    rules = sorted({rid for s in sums.values() for rid in s.rules})
    for rid in rules:
        cells = []
        for f in fmts:
            rs = sums[f].rules.get(rid)
            cells.append("—" if rs is None else f"{_pct(rs.precision)} ({rs.on_target}/{rs.findings}, {rs.on_clean})")
        lines.append(f"| {rid} | " + " | ".join(cells) + " |")
    lines += ["", "### Below the goal (bugs for the owners)", ""]
    below = False
    for f in fmts:
        s = sums[f]
        low = [f"`{k}` {_pct(ks.recall)}" for k, ks in s.kinds.items() if ks.n and ks.has_rule and (ks.recall or 0) < 0.99]
        norule = [f"`{k}`" for k, ks in s.kinds.items() if ks.n and not ks.has_rule]
        noisy = [f"{rid} ({rs.errors_on_clean})" for rid, rs in s.rules.items() if rs.errors_on_clean]
        imprecise = [f"{rid} {_pct(rs.precision)}" for rid, rs in s.rules.items() if (rs.precision or 0) < 1]
        if low:
            lines.append(f"- {f}: recall < 99%: " + ", ".join(low))
        if norule:
            lines.append(f"- {f}: no rule yet: " + ", ".join(norule))
        if noisy:
            lines.append(f"- {f}: error findings on clean documents: " + ", ".join(noisy))
        if imprecise:
            lines.append(f"- {f}: precision < 100%: " + ", ".join(imprecise))
        below = below or bool(low or norule or noisy or imprecise)
    if not below:
        lines.append("- none")
    lines += ["", "Findings on defective documents that point at the injected place: " + ", ".join(
        f"{f} {_pct(sums[f].on_target_share)} ({sums[f].defect_findings_on_target}/{sums[f].defect_findings})" for f in fmts) + "."]  # fmt: skip
    return "\n".join(lines) + "\n"


LAYOUTS_BEGIN = "<!-- bench.quality.layouts:begin -->"
LAYOUTS_END = "<!-- bench.quality.layouts:end -->"


def layouts_markdown(r: Run, config: str) -> str:
    """Recall and precision per regional layout and format (one row each), and what is below 99%."""
    per = summarise_layouts(r)
    lines = [
        "## Quality per regional layout (`bench/quality`, layouts)",
        "",
        f"Command: `.venv/bin/python -m bench.quality --config {config} --write-docs`. "
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores shared with other work, Python {platform.python_version()}, "
        f"{platform.system()}. Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.",
        "",
        f"Seeds {', '.join(map(str, r.seeds))} in each layout ({', '.join(r.layouts)}), formats {', '.join(r.formats)}"
        + (f" ({', '.join(f'{f} on the first {n} seed(s)' for f, n in r.max_seeds.items() if f in r.formats)})" if r.max_seeds else "")
        + f"; total time {r.seconds:.0f} s. The layouts are described in `bench/quality/layouts.py` and "
        "`src/juesuan/tables/regions.py`. Recall: injected defects found / injected (kinds that have a rule); "
        "precision: warning/error findings on the injected place / all warning/error findings.",
        "",
        "| layout | format | clean docs | errors on clean | warnings on clean | recall | precision | kinds below 99% |",
        "|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for lay, sums in per.items():
        for fmt, s in sums.items():
            n = sum(ks.n for ks in s.kinds.values() if ks.has_rule)
            det = sum(ks.detected for ks in s.kinds.values() if ks.has_rule)
            fnd = sum(rs.findings for rs in s.rules.values())
            hit = sum(rs.on_target for rs in s.rules.values())
            low = [f"`{k}` {ks.detected}/{ks.n}" for k, ks in s.kinds.items() if ks.n and ks.has_rule and (ks.recall or 0) < 0.99]
            lines.append(f"| {lay} | {fmt} | {s.clean_docs} | {s.clean_errors} | {s.clean_warnings} | "
                         f"{_pct(det / n if n else None)} ({det}/{n}) | {_pct(hit / fnd if fnd else None)} ({hit}/{fnd}) | "
                         f"{', '.join(low) or '—'} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def write_docs(text: str, path: Path = DOCS, begin: str = BEGIN, end: str = END) -> None:
    """Replace the block between ``begin`` and ``end`` in ``path`` by ``text`` (append it if absent)."""
    block = f"{begin}\n{text}{end}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if begin in old and end in old:
        a = old.index(begin)
        b = old.index(end) + len(end)
        new = old[:a] + block.rstrip("\n") + old[b:]
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new, encoding="utf-8")


def terminal(r: Run, sums: dict[str, FormatSummary]) -> str:
    out = []
    for fmt, why in r.unavailable.items():
        out.append(f"{fmt}：读取器不可用（{why}）")
    for fmt, s in sums.items():
        out.append(f"\n== {fmt} ==  无缺陷文档 {s.clean_docs} 份，错误级问题 {s.clean_errors} 条，警告 {s.clean_warnings} 条")
        low, norule = [], []
        for k, ks in s.kinds.items():
            if not ks.n:
                continue
            if not ks.has_rule:
                norule.append(k)
            elif (ks.recall or 0) < 0.99:
                low.append(f"  {k}（{KINDS[k].title}）：检出 {ks.detected}/{ks.n}")
                for m in misses(r, fmt, k)[:3]:
                    extra = f"，读取失败：{m.message}" if m.status == "read_failed" else ""
                    found = "、".join(sorted({x[0] for x in m.findings})) or "无"
                    low.append(f"    种子 {m.seed}：{m.description}；发现的规则：{found}{extra}")
        ok = [k for k, ks in s.kinds.items() if ks.n and ks.has_rule and (ks.recall or 0) >= 0.99]
        out.append(f"检出率 ≥99% 的缺陷类型 {len(ok)} 个：{'、'.join(ok)}")
        if low:
            out.append("检出率 <99% 的缺陷类型：")
            out += low
        if norule:
            out.append(f"尚无对应规则的缺陷类型 {len(norule)} 个：{'、'.join(norule)}")
        bad = [f"{rid} {_pct(rs.precision)}（{rs.on_target}/{rs.findings}，无缺陷文档上 {rs.on_clean} 条）"
               for rid, rs in s.rules.items() if (rs.precision or 0) < 1]  # fmt: skip
        if bad:
            out.append("准确率 <100% 的规则：" + "；".join(bad))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.quality", description="核对结论质量基准：合成文档、注入缺陷、统计检出率与准确率")
    ap.add_argument("--config", choices=sorted(CONFIGS), default="full", help="预设配置（默认 full）")
    ap.add_argument("--seeds", type=int, help="合成部门数（覆盖预设）")
    ap.add_argument("--seed0", type=int, default=0, help="第一个种子")
    ap.add_argument("--formats", help=f"逗号分隔：{','.join(FORMATS)}")
    ap.add_argument("--kinds", help="逗号分隔的缺陷类型（默认全部）")
    ap.add_argument("--layouts", help=f"逗号分隔的地区版式：{','.join(LAYOUTS)}（默认按配置，通常为 shanghai）")
    ap.add_argument("--json", type=Path, help="把逐文档结果写入 JSON 文件")
    ap.add_argument("--keep", type=Path, help="保留生成的文档到此文件夹")
    ap.add_argument("--write-docs", action="store_true", help="把结果表写入 docs/benchmarks.md")
    ap.add_argument("--record-floors", action="store_true", help="把本次结果（略向下取整）记为下限，写入 floors.json")
    ap.add_argument("--check-floors", action="store_true", help="与 floors.json 中该配置的下限比较，不达标时退出码为 1")
    ap.add_argument("--explain", metavar="KIND", help="逐条列出某缺陷类型（clean 为干净文档）在各种子上的发现及是否命中注入位置")
    ap.add_argument("--list-kinds", action="store_true", help="列出全部缺陷类型")
    a = ap.parse_args(argv)
    if a.list_kinds:
        for k in KINDS.values():
            print(f"{k.name}\t{'、'.join(k.families)}\t{k.title}")
        return 0
    cfg = CONFIGS[a.config]
    if a.config == "budget":
        return budget_main(a)
    if a.explain:
        seeds_e = range(a.seed0, a.seed0 + (a.seeds or 1))
        for fmt in (a.formats or "model").split(","):
            for seed in seeds_e:
                print("\n".join(explain(seed, None if a.explain == "clean" else a.explain, fmt)))
        return 0
    seeds_cfg = cfg["seeds"]
    assert isinstance(seeds_cfg, list)
    seeds = list(range(a.seed0, a.seed0 + a.seeds)) if a.seeds else [a.seed0 + s for s in seeds_cfg]
    formats_cfg = cfg["formats"]
    assert isinstance(formats_cfg, list)
    formats = a.formats.split(",") if a.formats else list(formats_cfg)
    kinds = a.kinds.split(",") if a.kinds else None
    try:
        max_seeds = cfg["max_seeds"]
        assert isinstance(max_seeds, dict)
        layouts_cfg = cfg.get("layouts", ["shanghai"])
        assert isinstance(layouts_cfg, list)
        layouts = a.layouts.split(",") if a.layouts else layouts_cfg
        r = run(seeds, formats, kinds, workdir=a.keep, progress=lambda m: print(m, file=sys.stderr), max_seeds=max_seeds,
                layouts=layouts)  # fmt: skip
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    sums = summarise(r)
    several = r.layouts != ["shanghai"]
    if several:
        for lay, lsums in summarise_layouts(r).items():
            print(f"\n######## 版式 {lay} ########")
            print(terminal(r, lsums))
    else:
        print(terminal(r, sums))
    print(f"\n用时 {r.seconds:.1f} 秒")
    if a.json:
        a.json.write_text(json.dumps([x.__dict__ for x in r.results], ensure_ascii=False, indent=1), encoding="utf-8")
    if a.write_docs and several:
        write_docs(layouts_markdown(r, a.config), begin=LAYOUTS_BEGIN, end=LAYOUTS_END)
        print(f"已写入 {DOCS}")
    elif a.write_docs:
        write_docs(markdown(r, sums, a.config))
        print(f"已写入 {DOCS}")
    all_floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
    if a.record_floors:
        all_floors[a.config] = record_layout_floors(r) if several else record_floors(r, sums)
        FLOORS.write_text(json.dumps(all_floors, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"已记录下限到 {FLOORS}（配置 {a.config}）")
    if a.check_floors:
        if a.config not in all_floors:
            print(f"floors.json 中没有配置 {a.config} 的下限", file=sys.stderr)
            return 2
        fl = all_floors[a.config]
        breaches = check_layout_floors(r, fl) if "layouts" in fl else check_floors(sums, fl)
        for b in breaches:
            print(f"未达标：{b}")
        return 1 if breaches else 0
    return 0


def budget_main(a: argparse.Namespace) -> int:
    """The ``budget`` configuration: composed budgets with defects injected (bench/quality/budget.py)."""
    seeds = list(range(a.seed0, a.seed0 + a.seeds)) if a.seeds else [a.seed0 + s for s in budget.SEEDS]
    kinds = a.kinds.split(",") if a.kinds else None
    if kinds and not set(kinds) <= set(budget.KINDS):
        print(f"错误：预算的缺陷类型为 {'、'.join(budget.KINDS)}", file=sys.stderr)
        return 2
    r = budget.run(seeds, kinds)
    print(budget.terminal(r))
    if a.write_docs:
        write_docs(budget.markdown(r), begin=BUDGET_BEGIN, end=BUDGET_END)
        print(f"已写入 {DOCS}")
    all_floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
    if a.record_floors:
        all_floors["budget"] = budget.record(r, floor_of, dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
        FLOORS.write_text(json.dumps(all_floors, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"已记录下限到 {FLOORS}（配置 budget）")
    if a.check_floors:
        if "budget" not in all_floors:
            print("floors.json 中没有配置 budget 的下限", file=sys.stderr)
            return 2
        found = budget.breaches(r, all_floors["budget"])
        for b in found:
            print(f"未达标：{b}")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
