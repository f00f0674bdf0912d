"""Render the catalogue into ``docs/rules.md`` (``python -m juesuan.rules.docs``)."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from .base import PairRule, rule_docs
from .cases import case_file
from .engine import load_catalogue

FAMILY_TITLES = {
    "T01": "公开01表 收入支出决算总表",
    "T02": "公开02表 收入决算表",
    "T03": "公开03表 支出决算表",
    "T04": "公开04表 财政拨款收入支出决算总表",
    "T05": "公开05表 一般公共预算财政拨款支出决算表",
    "T06": "公开06表 一般公共预算财政拨款基本支出决算表",
    "T07": "政府性基金预算财政拨款收入支出决算表",
    "T08": "国有资本经营预算财政拨款支出决算表",
    "T09": "财政拨款“三公”经费支出决算表",
    "T10": "机关运行经费",
    "T11": "政府采购",
    "X": "表间勾稽",
    "N": "文字说明",
    "D": "文档完整性与一致性",
    "P": "绩效自评表",
    "K": "科目名称",
    "R": "读取",
    "Y": "跨年度核对 (cross-year, run by `juesuan batch`)",
    "C": "跨文件核对：预算与上年预算、决算与同年预算 (cross-document, run by `juesuan batch`)",
}
# what a family's heading cannot say
FAMILY_NOTES = {
    "Y": "Rules of a pair: each compares a document with the same department's previous-year document in the\n"
    "corpus (departments matched by normalised name); findings are attached to the later document.",
    "C": "Rules of a pair, each declaring the kinds of both documents: a budget against the same department's\n"
    "budget of the year before, a final account (决算) against the same department's budget of the same year.\n"
    "The corpus pairs documents whose normalised department names are equal and whose years and kinds are read;\n"
    "a disclosure published as narrative and tables files is paired as one. Findings name a place in each document.",
}


def render() -> str:
    cat = load_catalogue()
    by_family: dict[str, list[str]] = defaultdict(list)
    for rid, cls in cat.items():
        by_family[cls.family].append(rid)
    out = [
        "# 规则目录 (rule catalogue)",
        "",
        "Generated from the rule classes by `python -m juesuan.rules.docs`; do not edit by hand.",
        "A test fails when this file is stale.",
        "",
        f"{len(cat)} rules. Severity: error 错误 / warning 警告 / info 提示. Sums are compared with the",
        "rounding interval (n + 1) × 0.005: a difference inside it is reported as `info` (尾数误差).",
        "",
    ]
    order = list(FAMILY_TITLES)
    of_pairs = {cls.family for cls in cat.values() if issubclass(cls, PairRule)}
    # the rules of one document first, then those of a pair; each in the order of FAMILY_TITLES
    for fam in sorted(by_family, key=lambda f: (f in of_pairs, order.index(f) if f in order else 99, f)):
        out += [f"## {fam} — {FAMILY_TITLES.get(fam, fam)}", ""]
        if fam in FAMILY_NOTES:
            out += [FAMILY_NOTES[fam], ""]
        for rid in by_family[fam]:
            cls = cat[rid]
            summary, wrong, right = rule_docs(cls)
            cases = case_file(rid)
            kinds = "、".join(k.value for k in sorted(cls.kinds))
            if issubclass(cls, PairRule):  # the kinds of the other document of the pair too
                kinds += f" · Paired with: {'、'.join(k.value for k in sorted(cls.other_kinds))} ({cls.relation})"
            out += [
                f"### {rid} {cls.title}",
                "",
                f"Severity: {' / '.join(f'`{v.value}`' for v in (cls.severity, *cls.also))} · Applies to: {kinds}",
                "",
                summary,
                "",
            ]
            out += [
                "Wrong:",
                "",
                "```text",
                _dedent(wrong),
                "```",
                "",
                "Right:",
                "",
                "```text",
                _dedent(right),
                "```",
                "",
            ]
            if cases is not None:
                out += [f"Cases: `{cases.relative_to(_SRC).as_posix()}`", ""]
    return "\n".join(out).rstrip() + "\n"


_SRC = Path(__file__).resolve().parents[3]  # the project root: paths as a reader of the repository sees them


def _dedent(s: str) -> str:
    import textwrap

    return textwrap.dedent(s).strip("\n")


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/rules.md")
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
