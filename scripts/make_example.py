"""Write the built-in example (``src/juesuan/examples/example.txt`` and its README).

A fictitious disclosure is composed by the project's own composer (``juesuan.compose``) as TXT in
the seeds' shape, then a few deliberate, documented defects are planted in the text:

1. 收入决算表: one cell of a 项 row changed, so its row and its 款 no longer add up;
2. 基本支出明细表: 办公费 raised by 1.00 together with its class and 公用经费合计, so the table
   itself still adds up but no longer matches the 一般公共预算财政拨款支出决算表 (and 机关运行经费);
3. the narrative's 本年支出合计 differs from the cell it restates;
4. another department's name left in the 部门 line of the 支出决算表.

Honest rounding (0.01 differences inside the (n+1)×0.005 interval) is left as composed.

Run: ``.venv/bin/python scripts/make_example.py`` (deterministic; the output is committed).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from juesuan.compose import compose, synth
from juesuan.compose.layout import fmt_amount
from juesuan.compose.render_txt import render_txt
from juesuan.model import TableKind

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/juesuan/examples"
SEED = 1
OTHER_DEPARTMENT = "样板县医疗保障局"


@dataclass
class Defect:
    where: str  # human description of the place
    line: int  # 1-based line of example.txt
    what: str
    caught_by: str


def _block_start(lines: list[str], number: str) -> int:
    """Index of the line printing ``公开NN表``."""
    idx = [i for i, ln in enumerate(lines) if ln.strip() == number]
    if len(idx) != 1:
        raise SystemExit(f"{number}: expected exactly one such line, found {len(idx)}")
    return idx[0]


def _find(lines: list[str], start: int, pred: str) -> int:
    for i in range(start, len(lines)):
        if lines[i].startswith(pred) or f"\t{pred}" in lines[i]:
            return i
    raise SystemExit(f"no line with {pred!r} after line {start + 1}")


def _replace_after(line: str, label: str, old: Decimal, new: Decimal) -> str:
    """Replace the amount ``old`` in the cell right after ``label`` (code\\tname) by ``new``."""
    cells = line.split("\t")
    for i, c in enumerate(cells):
        if c == label and i + 2 < len(cells) + 1:
            j = i + 2 if i + 1 < len(cells) and not re.fullmatch(r"[\d,.]+", cells[i + 1]) else i + 1
            if cells[j] != fmt_amount(old):
                raise SystemExit(f"expected {fmt_amount(old)} after {label!r}, found {cells[j]!r}")
            cells[j] = fmt_amount(new)
            return "\t".join(cells)
    raise SystemExit(f"no cell {label!r} in line {line!r}")


def build() -> tuple[str, list[Defect]]:
    tables, facts = synth(SEED)
    res = compose(tables, facts)
    doc = res.disclosure
    lines = render_txt(doc).split("\n")
    defects: list[Defect] = []

    # 1. 收入决算表: 2080109 财政拨款收入 changed by +10.00 (本年收入合计 left as it was)
    t02 = doc.table(TableKind.T02)
    assert t02 is not None
    fiscal = t02.value("2080109", "fiscal")
    assert fiscal is not None
    i = _find(lines, _block_start(lines, "公开02表"), "2080109\t")
    cells = lines[i].split("\t")
    assert cells[3] == fmt_amount(fiscal)
    cells[3] = fmt_amount(fiscal + 10)
    lines[i] = "\t".join(cells)
    defects.append(
        Defect(
            "公开02表 收入决算表，2080109 社会保险经办机构，财政拨款收入",
            i + 1,
            f"{fmt_amount(fiscal)} 改为 {fmt_amount(fiscal + 10)}：本行本年收入合计不再等于各项收入之和，"
            "20801 款的财政拨款收入也不再等于其下各项之和",
            "T02-001、T02-002（错误）",
        )
    )

    # 2. 基本支出明细表: 30201 办公费, 302 and 公用经费合计 all +1.00 (consistent inside the table)
    t06 = doc.table(TableKind.T06)
    assert t06 is not None
    start = _block_start(lines, "公开06表")
    line_30201 = 0
    for key in ("30201", "302"):
        v = t06.value(key, "amount")
        assert v is not None
        j = _find(lines, start, f"{key}\t")
        lines[j] = _replace_after(lines[j], key, v, v + 1)
        if key == "30201":
            line_30201 = j
    public = t06.value("public_total", "amount")
    assert public is not None
    k = _find(lines, start, "人员经费合计")
    cells = lines[k].split("\t")
    assert cells[-1] == fmt_amount(public)
    cells[-1] = fmt_amount(public + 1)
    lines[k] = "\t".join(cells)
    defects.append(
        Defect(
            "公开06表 基本支出明细表，30201 办公费、302 商品和服务支出、公用经费合计",
            line_30201 + 1,
            "三处同时多计 1.00 万元：本表自身仍然平衡，但公用经费合计不再等于公开05表的公用经费，"
            "人员经费与公用经费之和不再等于公开05表的基本支出",
            "X-009（错误），X-010（机关运行经费，警告）",
        )
    )

    # 3. narrative: 本年支出合计 restated wrongly in 三、支出决算情况说明
    t01 = doc.table(TableKind.T01)
    assert t01 is not None
    total = t01.value("exp_total_year", "amount", "expense")
    assert total is not None
    wrong = total + Decimal("5.00")
    n = next(
        i
        for i, ln in enumerate(lines)
        if ln.startswith(f"{doc.metadata.year}年度本年支出合计{fmt_amount(total)}万元")
    )
    lines[n] = lines[n].replace(fmt_amount(total), fmt_amount(wrong), 1)
    defects.append(
        Defect(
            "第三部分 三、支出决算情况说明，第一句",
            n + 1,
            f"本年支出合计写作 {fmt_amount(wrong)} 万元，公开01表为 {fmt_amount(total)} 万元",
            "N-001 说明中的金额与表中数一致（错误）",
        )
    )

    # 4. another department's name in the 部门 line of 公开03表
    start = _block_start(lines, "公开03表")
    d = _find(lines, start, "部门：")
    lines[d] = f"部门：{OTHER_DEPARTMENT}"
    defects.append(
        Defect(
            "公开03表 支出决算表，表头“部门：”行",
            d + 1,
            f"写成了另一个部门“{OTHER_DEPARTMENT}”（复制模板时遗留）",
            "D-002 部门名称前后一致（错误）",
        )
    )
    return "\n".join(lines), defects


def readme(defects: list[Defect]) -> str:
    out = [
        "# 内置示例",
        "",
        "`example.txt` 是一份**虚构**的部门决算公开文件（示例市社会保险事业管理局，2024年度），",
        "由本项目的撰写功能（`juesuan.compose`）按真实文件的版式生成，再人为埋入下列问题，",
        "用来演示 `juesuan check --example`。由 `scripts/make_example.py` 生成，请勿手工修改。",
        "",
        "| # | 位置 | 行 | 埋入的问题 | 由哪些规则发现 |",
        "|---|---|---|---|---|",
    ]
    for i, d in enumerate(defects, 1):
        out.append(f"| {i} | {d.where} | {d.line} | {d.what} | {d.caught_by} |")
    out += [
        "",
        "其余 0.01 万元级别的差异是元转万元时逐项四舍五入造成的尾数误差，只作为“提示”，不是错误。",
        "",
    ]
    return "\n".join(out)


def main() -> int:
    text, defects = build()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "example.txt").write_text(text, encoding="utf-8")
    (OUT / "README.md").write_text(readme(defects), encoding="utf-8")
    print(f"wrote {OUT / 'example.txt'} with {len(defects)} planted defects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
