"""Quality of the findings on composed budgets (部门预算公开), configuration ``budget``::

    .venv/bin/python -m bench.quality --config budget [--record-floors | --check-floors]

Synthetic budgets (:func:`juesuan.compose.budget.synth_budget`) are printed as text in each layout
of the 收支预算总表 (:data:`LAYOUTS`: 功能分类 and 支出用途 side by side as ``compose`` writes it, as the
Jiangsu budgets print it, and the national template's 功能分类 only), one clean document per seed
and layout plus one per defect kind; each is read back with ``juesuan.ingest.read`` and checked.
Floors are kept per layout. A defect is detected when a warning- or error-level finding points at the injected
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
    SUMMARY_LAYOUTS,
    BudgetData,
    BudgetTable,
    budget_tables,
    narrative,
    pct,
    render_budget_txt,
    synth_budget,
)
from juesuan.compose.layout import fmt_amount
from juesuan.ingest import read
from juesuan.model import Finding, Severity, TableKind
from juesuan.rules import run_rules

from .inject import Target
from .score import finding_matches

K = TableKind
Parts = list[tuple[str, list[str]]]
SEEDS = [1, 2, 3, 4]
LAYOUTS = list(SUMMARY_LAYOUTS)


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
        BudgetKind("b_sangong_total", "“三公”经费预算表“三公”经费小计改动（与各项之和不符）", ("B",)),
        BudgetKind("b_basic_split", "一般公共预算基本支出预算表合计改动（不等于人员经费加公用经费）", ("B",)),
        BudgetKind("b_procurement_part", "政府采购预算表货物改动（各类之和不等于合计）", ("T",)),
        BudgetKind(
            "narr_last_year", "说明中一般公共预算支出的增减按错误的上年数计算（增减额与增减率自洽）", ("N",)
        ),
        BudgetKind(
            "t_alternative", "模板待选表述未选定（增加（减少）、增加/减少、（增加）（减少））", ("D",)
        ),
        BudgetKind("t_instruction", "模板填写说明未删除（按……填写）", ("D",)),
        BudgetKind("t_placeholder", "模板占位符未替换（XX万元）", ("D",)),
        BudgetKind("t_unfilled", "金额未填写（比上年增加万元）", ("D",)),
        BudgetKind("t_subject_level", "说明中的类级科目标为款", ("K",)),
        BudgetKind("t_stale_year", "情况说明的部分标题沿用上一年度", ("D",)),
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
    line = next(r for r in _table(tables, "收支预算总表").body if r[0] in ("收入合计", "收入总计"))
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


def _sangong_total(
    d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random
) -> list[Target]:
    t = next(t for t in tables if "三公" in t.title)
    col = t.header[0].index("“三公”经费小计")
    t.body[0][col] = _bump(rng, t.body[0][col])
    return [Target("cell", K.B09, "total", "amount"), Target("row", K.B09, "total")]


def _basic_split(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    line = next(r for r in _table(tables, "一般公共预算基本支出预算表").body if r[1] == "合计")
    line[2] = _bump(rng, line[2])
    return [Target("cell", K.B06, "total", "total"), Target("row", K.B06, "total")]


def _procurement_part(
    d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random
) -> list[Target]:
    line = next(r for r in _table(tables, "政府采购预算表").body if r[0] == "货物")
    line[1] = _bump(rng, line[1])
    return [Target("cell", K.B11, "goods", "amount"), Target("row", K.B11, "goods")]


def _change_words(now: Decimal, last: Decimal) -> str:
    """与上年相比 增加/减少 X 万元，增长/下降 Y%, as the composer writes it."""
    diff = now - last
    word, rate_word = ("增加", "增长") if diff > 0 else ("减少", "下降")
    return f"与上年相比{word}{fmt_amount(abs(diff))}万元，{rate_word}{pct(abs(diff), last)}%"


def _narr_last_year(
    d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random
) -> list[Target]:
    """The change stated from a wrong 上年 figure, its amount and rate agreeing with each other:
    only the table's 上年预算数 shows it (N-012)."""
    gen = d.general()
    wrong = d.last_total + Decimal(rng.choice([-1, 1]) * rng.randint(2000, 9000)) / 100
    old, new = _change_words(gen, d.last_total), _change_words(gen, wrong)
    return [Target("text", text=_edit(parts, lambda p: "一般公共预算支出预算" in p, old, new))]


def _alternative(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    para = next(p for _, ps in parts for p in ps if "机关运行经费预算" in p)
    word = "增加" if "增加" in para else "减少"
    other = "减少" if word == "增加" else "增加"
    form = rng.choice([f"{word}（{other}）", f"{word}/{other}", f"（{word}）（{other}）"])
    return [
        Target(
            "text",
            text=_edit(parts, lambda p: "机关运行经费预算" in p, f"与上年相比{word}", f"与上年相比{form}"),
        )
    ]


INSTRUCTION = "（按“一般公共预算基本支出预算表”中实际发生经济分类支出事项填写）"


def _instruction(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    old = f"项目支出{fmt_amount(d.general() - d.basic)}万元。"
    _edit(parts, lambda p: "一般公共预算支出预算" in p, old, old + INSTRUCTION)
    return [Target("text", text=INSTRUCTION)]


def _placeholder(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    old = f"政府采购服务预算{fmt_amount(d.procurement['services'])}万元"
    return [Target("text", text=_edit(parts, lambda p: True, old, "政府采购服务预算XX万元"))]


def _unfilled(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    """The amount of the 培训费's change left out (…与上年相比增加万元，增长Y%)."""
    s = d.sangong
    clause = _change_words(s["training"], d.last_sangong["training"])
    amount = clause.split("万元")[0]  # 与上年相比增加X
    blank = amount.rstrip("0123456789.,")
    new = f"培训费预算{fmt_amount(s['training'])}万元，{blank}万元"
    _edit(parts, lambda p: "培训费预算" in p, f"培训费预算{fmt_amount(s['training'])}万元，{amount}万元", new)
    return [Target("text", text=new)]


def _subject_level(
    d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random
) -> list[Target]:
    para = next(p for _, ps in parts for p in ps if p.startswith("按支出功能分类科目"))
    names = [x.split("（类）")[0] for x in para.removeprefix("按支出功能分类科目，").split("，")]
    name = rng.choice(names)
    return [
        Target(
            "text",
            text=_edit(parts, lambda p: p.startswith("按支出功能分类科目"), f"{name}（类）", f"{name}（款）"),
        )
    ]


def _heading_edit(d: BudgetData, text: str) -> tuple[str, list[Target]]:
    """The part heading of the 情况说明 in the body (not the 目录's) with the year before."""
    old = f"第三部分 {d.year}年部门预算情况说明"
    new = f"第三部分 {d.year - 1}年部门预算情况说明"
    at = text.rindex(old)
    return text[:at] + new + text[at + len(old) :], [Target("text", text=new)]


def _stale_year(d: BudgetData, tables: list[BudgetTable], parts: Parts, rng: random.Random) -> list[Target]:
    return []  # an edit of the printed text (RENDER_EDITS)


# edits of the printed text, where the defect is in what the composer prints around the parts
RENDER_EDITS: dict[str, Callable[[BudgetData, str], tuple[str, list[Target]]]] = {
    "t_stale_year": _heading_edit,
}


INJECT: dict[str, Callable[[BudgetData, list[BudgetTable], Parts, random.Random], list[Target]]] = {
    "b_row_off": _row_off,
    "b_unbalanced": _unbalanced,
    "b_sangong_item": _sangong_item,
    "b_basic_mismatch": _basic_mismatch,
    "narr_amount": _narr_amount,
    "narr_share": _narr_share,
    "narr_change_pct": _narr_change_pct,
    "b_sangong_total": _sangong_total,
    "b_basic_split": _basic_split,
    "b_procurement_part": _procurement_part,
    "narr_last_year": _narr_last_year,
    "t_alternative": _alternative,
    "t_instruction": _instruction,
    "t_placeholder": _placeholder,
    "t_unfilled": _unfilled,
    "t_subject_level": _subject_level,
    "t_stale_year": _stale_year,
}


@dataclass
class Result:
    seed: int
    kind: str | None  # None: the clean document
    findings: list[tuple[str, str, bool]]  # (rule id, severity, points at the injected place)
    tables: int
    layout: str = "side_by_side"  # how the 收支预算总表 is printed (LAYOUTS)

    @property
    def detected(self) -> bool:
        return any(hit for _, _, hit in self.findings)


@dataclass
class BudgetRun:
    seeds: list[int]
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    layouts: list[str] = field(default_factory=lambda: list(LAYOUTS))


def document(seed: int, kind: str | None, layout: str = "side_by_side") -> tuple[str, list[Target]]:
    """The printed budget of ``seed`` with its 收支预算总表 in ``layout``, with the defect ``kind``
    injected (None: clean)."""
    d = synth_budget(seed)
    tables, parts = budget_tables(d, layout), narrative(d)
    targets: list[Target] = []
    if kind is not None:
        tables, parts = copy.deepcopy(tables), copy.deepcopy(parts)
        targets = INJECT[kind](d, tables, parts, random.Random(f"budget-{seed}-{kind}"))
    text = render_budget_txt(d, tables, parts)
    if kind in RENDER_EDITS:
        text, targets = RENDER_EDITS[kind](d, text)
    return text, targets


def _serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]


def run(seeds: list[int], kinds: list[str] | None = None, layouts: list[str] | None = None) -> BudgetRun:
    t0 = time.perf_counter()
    r = BudgetRun(seeds=list(seeds), layouts=list(layouts or LAYOUTS))
    with TemporaryDirectory() as tmp:
        for layout in r.layouts:
            for seed in seeds:
                for kind in [None, *(kinds or list(KINDS))]:
                    text, targets = document(seed, kind, layout)
                    path = Path(tmp) / f"budget-{layout}-{seed}-{kind or 'clean'}.txt"
                    path.write_text(text, encoding="utf-8")
                    doc = read(path)
                    found = [
                        (f.rule_id, f.severity.value, finding_matches(f, targets))
                        for f in _serious(run_rules(doc))
                    ]
                    r.results.append(Result(seed, kind, found, len(doc.tables), layout))
    r.seconds = time.perf_counter() - t0
    return r


def _of(r: BudgetRun, layout: str | None) -> list[Result]:
    return [x for x in r.results if layout is None or x.layout == layout]


def recall(r: BudgetRun, layout: str | None = None) -> dict[str, float]:
    """Per defect kind: the share of its documents (of ``layout``, or of all) where it is found."""
    out = {}
    for k in KINDS:
        xs = [x for x in _of(r, layout) if x.kind == k]
        if xs:
            out[k] = sum(x.detected for x in xs) / len(xs)
    return out


def precision(r: BudgetRun, layout: str | None = None) -> dict[str, float]:
    """Per rule: its warning/error findings that point at the injected place / all of them (every
    finding on a clean document counts as false)."""
    hit: dict[str, int] = {}
    all_: dict[str, int] = {}
    for x in _of(r, layout):
        for rid, _, ok in x.findings:
            all_[rid] = all_.get(rid, 0) + 1
            hit[rid] = hit.get(rid, 0) + (1 if ok and x.kind is not None else 0)
    return {rid: hit[rid] / n for rid, n in sorted(all_.items())}


def clean_errors(r: BudgetRun, layout: str | None = None) -> int:
    return sum(1 for x in _of(r, layout) if x.kind is None for _, sev, _ in x.findings if sev == "error")


def clean_warnings(r: BudgetRun, layout: str | None = None) -> int:
    return sum(1 for x in _of(r, layout) if x.kind is None for _, sev, _ in x.findings if sev == "warning")


def record(r: BudgetRun, floor_of: Callable[[float], float], recorded: str) -> dict[str, object]:
    """Floors per layout of the 收支预算总表 (the documents are text)."""
    return {
        "seeds": r.seeds,
        "formats": ["txt"],
        "layouts": r.layouts,
        "recorded": recorded,
        "floors": {
            lay: {
                "txt": {
                    "recall": {k: floor_of(v) for k, v in recall(r, lay).items()},
                    "precision": {k: floor_of(v) for k, v in precision(r, lay).items()},
                    "clean_errors_max": clean_errors(r, lay),
                }
            }
            for lay in r.layouts
        },
    }


def breaches(r: BudgetRun, floors: dict[str, object]) -> list[str]:
    """Recall, precision or clean-document errors below the recorded floors of each layout, in Chinese."""
    per_layout = floors.get("floors", {})
    assert isinstance(per_layout, dict)
    out = []
    for lay, per_fmt in per_layout.items():
        if lay not in r.layouts:
            out.append(f"预算 {lay}：记录了下限，但本次未运行该版式")
            continue
        fl = per_fmt.get("txt", {})
        rec, prec = recall(r, lay), precision(r, lay)
        for k, lo in fl.get("recall", {}).items():
            if k in rec and rec[k] < lo:
                out.append(f"预算 {lay} txt：缺陷类型 {k} 的检出率 {rec[k]:.0%} 低于下限 {lo:.0%}")
        for rid, lo in fl.get("precision", {}).items():
            if rid in prec and prec[rid] < lo:
                out.append(f"预算 {lay} txt：规则 {rid} 的准确率 {prec[rid]:.0%} 低于下限 {lo:.0%}")
        if clean_errors(r, lay) > fl.get("clean_errors_max", 0):
            out.append(f"预算 {lay} txt：无缺陷文档上出现 {clean_errors(r, lay)} 条错误级问题")
    return out


def terminal(r: BudgetRun) -> str:
    lines = []
    for lay in r.layouts:
        clean = [x for x in _of(r, lay) if x.kind is None]
        lines.append(
            f"== 预算 {lay} txt ==  无缺陷文档 {len(clean)} 份，错误级问题 {clean_errors(r, lay)} 条，"
            f"警告 {clean_warnings(r, lay)} 条"
        )
        for k, v in recall(r, lay).items():
            xs = [x for x in _of(r, lay) if x.kind == k]
            rules = sorted({rid for x in xs for rid, _, ok in x.findings if ok})
            lines.append(
                f"  {k}（{KINDS[k].title}）：检出 {sum(x.detected for x in xs)}/{len(xs)}（{v:.0%}），规则 {'、'.join(rules) or '无'}"
            )
        lines.append("准确率：" + "；".join(f"{rid} {p:.0%}" for rid, p in precision(r, lay).items()))
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
        f"Seeds {', '.join(map(str, r.seeds))}, 收支预算总表 layouts {', '.join(r.layouts)}: one clean budget each "
        "plus one per defect kind, printed as text by `juesuan.compose.budget` and read back by "
        f"`juesuan.ingest.read`; {clean_errors(r)} error and {clean_warnings(r)} warning findings on the clean "
        f"budgets; total time {r.seconds:.0f} s. Recall over all layouts (floors are kept per layout).",
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
