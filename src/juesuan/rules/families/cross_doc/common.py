"""What the cross-document rules share: naming a cell of the other document (its file and page)
and comparing one quantity printed in both documents. Registers no rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import ClassVar

from ....model import BUDGETS, DisclosureKind, Finding, Location, Ref, Severity, TableKind
from ....model.table import TABLE_NAMES
from ....tables.schema import column_label, row_label
from ...arith import Verdict, compare, fmt, fmt_signed
from ...base import PairRule
from ...pair import PairClaim, PairDoc

# a difference that a changed scope could explain
ADJUST = "；如因口径调整或预算调整，应在说明中写明原因"


def with_file(loc: Location | None, d: PairDoc) -> Location | None:
    """``loc`` naming the file of ``d`` (a part of a disclosure published as several files keeps
    its own file's name)."""
    if loc is None or loc.file or not d.path:
        return loc
    return loc.model_copy(update={"file": PurePath(d.path.split(" + ")[0]).name})


def doc_title(d: PairDoc) -> str:
    """``2017年度部门预算`` / ``2023年度部门决算``: how a finding names a document of the pair."""
    kind = DisclosureKind(d.kind).value if d.kind else "文件"
    return f"{d.year}年度{kind}" if d.year else kind


class CrossDocRule(PairRule):
    """Base of the cross-document rules: findings on ``pair.doc`` name a place in each document."""

    family: ClassVar[str] = "C"
    severity: ClassVar[Severity] = Severity.WARNING
    kinds: ClassVar[frozenset[DisclosureKind]] = BUDGETS
    other_kinds: ClassVar[frozenset[DisclosureKind]] = BUDGETS

    def cell_ref(self, d: PairDoc, kind: str, row: str, column: str, side: str | None, *, other: bool) -> Ref:
        """A cell of either document; the other one's is titled with its document and names its file."""
        c = d.cell(kind, row, column, side)
        tk = TableKind(kind)
        title = TABLE_NAMES[tk]
        if other:
            title = f"{doc_title(d)}·{title}"
        label = (c.label if c and c.label else None) or row_label(tk, row)
        return Ref(
            table=tk, table_index=c.table_index if c else None, table_title=title, row=row, row_label=label,
            column=column, column_label=column_label(tk, column), value=d.amount(c),
            text=(f"文件：{d.path}" if other else (c.raw if c else None)) or None,
            loc=with_file(c.loc if c else None, d),
        )  # fmt: skip

    @staticmethod
    def claim_ref(d: PairDoc, c: PairClaim, b: dict[str, object] | None, value: object) -> Ref:
        """The sentence of a claim as a place of its document."""
        return Ref(
            table=TableKind(str(b["table"])) if b else TableKind.OTHER,
            table_index=b.get("table_index") if b else None,  # type: ignore[arg-type]
            row=str(b["row"]) if b else "",
            column=str(b["column"]) if b else "",
            row_label=c.label or None, value=value, text=c.sentence, loc=with_file(c.loc, d),  # type: ignore[arg-type]
        )

    def equal_finding(
        self,
        what: str,
        here: Ref,
        there: Ref,
        here_doc: PairDoc,
        there_doc: PairDoc,
        parts: list[Decimal | None] | None = None,
        stated: str | None = None,
    ) -> Finding | None:
        """The figure of ``here`` (in ``pair.doc``; the sum of ``parts`` when given, e.g. an amount
        minus a stated change, each rounded) should equal ``there`` (in the other document)."""
        terms = parts if parts is not None else [here.value]
        cmp = compare(there.value, terms, decimals=2)
        if cmp.verdict is Verdict.EQUAL:
            return None
        mine, theirs = cmp.expected, cmp.found
        arithmetic = (
            f"{stated + ' = ' if stated else ''}{fmt(mine)}（{doc_title(here_doc)}）"
            f"{'≠' if cmp.verdict is Verdict.MISMATCH else '≈'} {fmt(theirs)}（{doc_title(there_doc)}）；"
            f"差 {fmt_signed(mine - theirs)}，容差 ±{cmp.tolerance.normalize():f}"
        )
        if cmp.verdict is Verdict.ROUNDING:
            return Finding(rule_id=self.id, rule_title=self.title, severity=Severity.INFO, locations=[here, there],
                           message=f"{what}：与{doc_title(there_doc)}相差 {fmt_signed(mine - theirs)}，在尾数误差范围内",
                           expected=fmt(theirs), found=fmt(mine), difference=mine - theirs,
                           tolerance=cmp.tolerance, arithmetic=arithmetic)  # fmt: skip
        return Finding(
            rule_id=self.id, rule_title=self.title, severity=self.severity, locations=[here, there],
            message=f"{what}：本文件为 {fmt(mine)}，{doc_title(there_doc)}（{there_doc.path or '另一文件'}）为 "
                    f"{fmt(theirs)}，相差 {fmt_signed(mine - theirs)}{ADJUST}",
            expected=fmt(theirs), found=fmt(mine), difference=mine - theirs, tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )  # fmt: skip
