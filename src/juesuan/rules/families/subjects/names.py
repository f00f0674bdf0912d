"""Family K: 科目 names — the name printed beside a 支出功能分类 or 部门支出经济分类 code agrees with the
official 科目 of the report year (``juesuan.tables.subjects``), and one code has one name within a
document."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ....model import Disclosure, Finding, Ref, Row, Severity, Table, TableKind
from ....tables.subjects import kind_of_code, lookup, normalize_name
from ...base import Rule, register
from ...context import RunContext

_CJK = re.compile(r"[\u4e00-\u9fff]")

# Tables whose rows carry a 科目 code and its printed name.
CODED_KINDS = [
    TableKind.T02,
    TableKind.T03,
    TableKind.T05,
    TableKind.T06,
    TableKind.T07,
    TableKind.T08,
    TableKind.T10,
]


def coded_rows(doc: Disclosure) -> Iterator[tuple[Table, Row]]:
    for t in doc.tables:
        if t.kind not in CODED_KINDS:
            continue
        for r in t.rows:
            # a label without a Chinese character (“01”) is a code column read as the name: a
            # reading problem (family R), not a wrong name
            if r.code and r.label and _CJK.search(r.label) and kind_of_code(r.code):
                yield t, r


def named_rows(ctx: RunContext) -> list[tuple[Table, Row, str]]:
    """:func:`coded_rows` with each row's name as compared (``normalize_name``), once per run
    (K-001 and K-002 both read them)."""
    return ctx.once(
        "k_named_rows", ctx.doc, lambda: [(t, r, normalize_name(r.label)) for t, r in coded_rows(ctx.doc)]
    )


def _row_ref(doc: Disclosure, t: Table, r: Row) -> Ref:
    return Ref(
        table=t.kind,
        table_index=doc.table_index(t),
        table_title=t.name,
        row=r.key,
        row_label=f"{r.code} {r.label}",
        text=r.label,
        loc=r.loc,
    )


def _truncated(printed: str, full: str) -> bool:
    """A name cut where the cell wrapped (机关事业单位基本养老保险缴 for …缴费支出): a reading
    artefact, not a wrong name."""
    return len(printed) >= 4 and full.startswith(printed) and printed != full


@register
class SubjectName(Rule):
    """The name printed beside a 科目 code is the official name of that code in the report year's
    支出功能分类 / 部门支出经济分类 (brackets full- or half-width and spaces do not count). A name
    differing from a verified dictionary entry is a warning; from an entry marked uncertain, 提示
    only. One finding per code and printed name, with every table that prints it.

    Wrong:
        30399 其他对个人和家庭的补助支出
    Right:
        30399 其他对个人和家庭的补助
    """

    id = "K-001"
    title = "科目名称与科目代码一致"
    family = "K"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        year = doc.metadata.year
        groups: dict[tuple[str, str], list[tuple[Table, Row]]] = defaultdict(list)
        for t, r, name in named_rows(ctx):
            groups[(r.code or "", name)].append((t, r))
        for (code, printed), rows in groups.items():
            kind = kind_of_code(code)
            if kind is None:
                continue
            entry = lookup(kind, code, year)
            if entry is None or entry.accepts(printed):
                continue
            if _truncated(printed, normalize_name(entry.name)):
                continue
            what = "支出功能分类" if kind == "function" else "部门支出经济分类"
            tables = "、".join(dict.fromkeys(f"《{t.name}》" for t, _ in rows))
            sure = "" if entry.certain else "（字典中该条目名称未经核实，仅作提示）"
            yield self.finding(
                f"{what}科目 {code} 的名称印为“{rows[0][1].label}”，{entry.year}年科目名称为“{entry.name}”"
                f"（见{tables}）{sure}",
                [_row_ref(doc, t, r) for t, r in rows],
                severity=Severity.WARNING if entry.certain else Severity.INFO,
                expected=entry.name,
                found=rows[0][1].label,
            )


@register
class OneNamePerCode(Rule):
    """Within one document a 科目 code has one name in every table. Checked for codes the
    dictionary does not know (for known codes K-001 already names each wrong spelling).

    Wrong:
        公开02表 2089901 企业退休人员补助 … 公开03表 2089901 退休人员补助
    Right:
        公开02表 2089901 企业退休人员补助 … 公开03表 2089901 企业退休人员补助
    """

    id = "K-002"
    title = "同一科目代码名称一致"
    family = "K"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        year = doc.metadata.year
        by_code: dict[str, dict[str, list[tuple[Table, Row]]]] = defaultdict(lambda: defaultdict(list))
        for t, r, name in named_rows(ctx):
            by_code[r.code or ""][name].append((t, r))
        for code, names in by_code.items():
            if len(names) < 2:
                continue
            kind = kind_of_code(code)
            entry = lookup(kind, code, year) if kind else None
            if entry is not None and entry.certain:
                continue  # K-001 names every spelling that differs from the dictionary
            distinct = list(names)
            # names that are a cut-off form of another (cell wrap) are the same name
            distinct = [n for n in distinct if not any(_truncated(n, m) for m in distinct if m != n)]
            if len(distinct) < 2:
                continue
            refs = [_row_ref(doc, t, r) for n in distinct for t, r in names[n]]
            shown = "、".join(f"“{names[n][0][1].label}”（{names[n][0][0].name}）" for n in distinct)
            yield self.finding(
                f"科目代码 {code} 在本文件中有 {len(distinct)} 个不同名称：{shown}",
                refs,
                found="、".join(names[n][0][1].label for n in distinct),
            )
