"""Cross-year checks: a department's document against its previous year's document.

These rules compare two documents, so they run in the corpus (after a batch, over the Parquet
datasets), not in the single-document rule engine. They read both documents through the same
long-form rows the corpus stores (:class:`DocFacts`), whether built from the datasets or from a
:class:`~juesuan.model.Disclosure` (tests, case files), and produce ordinary
:class:`~juesuan.model.Finding` objects attached to the later document, with the earlier one
named in ``related_doc_id`` of the findings dataset.

Documents are paired when their normalised department names are equal
(:func:`~juesuan.store.records.normalise_department`), their years differ by one, and their kinds
(部门决算 / 单位决算) agree where both are known. When the corpus holds several documents of the
previous year (a PDF and a Word copy), the one with the most tables is taken.

The pass after each batch is incremental: a document's rows never change (its id is its
content's hash), so a pair checked by the same rules before keeps its findings and only the pairs
new documents make are checked. Cells are read column by column from the facts dataset, the
first table of a kind only, and a cell's location is built only when a finding names it.
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import Disclosure, Finding, Location, Ref, Severity, TableKind
from ..model.table import TABLE_NAMES
from ..rules.arith import Verdict, compare, fmt, fmt_signed
from ..tables.schema import column_label, row_label
from .records import FINDINGS, claim_rows, document_row, fact_rows, finding_rows

Key = tuple[str, str | None, str, str]  # (table kind, side, row key, column)
WAN = Decimal(10000)


class Fact:
    """One cell as the corpus stores it; its :class:`Location` is built only when a finding
    names the cell (a corpus holds hundreds of thousands of cells, few of them in a finding)."""

    __slots__ = ("value", "raw", "label", "table_index", "_row", "_loc")

    def __init__(
        self,
        value: Decimal | None,
        raw: str,
        label: str | None,
        table_index: int,
        row: dict[str, Any] | tuple[Any, ...],
    ) -> None:
        self.value = value
        self.raw = raw
        self.label = label
        self.table_index = table_index
        self._row: dict[str, Any] | tuple[Any, ...] | None = row  # page, line, ref, bbox
        self._loc: Location | None = None

    @property
    def loc(self) -> Location | None:
        row = self._row
        if row is not None:
            if isinstance(row, tuple):
                row = dict(zip(("page", "line", "ref", "bbox"), row, strict=True))
            self._loc, self._row = _loc(row), None
        return self._loc


@dataclass
class ClaimFact:
    kind: str
    quantity: str
    label: str
    value: Decimal | None
    unit: str
    year: int | None
    sentence: str
    section: str | None
    loc: Location | None
    bindings: list[dict[str, Any]]
    attrs: dict[str, Any]


@dataclass
class DocFacts:
    """What the cross-year rules read of one document."""

    doc_id: str
    path: str
    department: str | None
    year: int | None
    unit: str | None
    cells: dict[Key, Fact] = field(default_factory=dict)
    claims: list[ClaimFact] = field(default_factory=list)

    def fact(self, kind: TableKind | str, row: str, column: str, side: str | None = None) -> Fact | None:
        return self.cells.get((str(kind), side, row, column))

    def amount(self, f: Fact | None) -> Decimal | None:
        """A cell's value in 万元 (blank: zero; None when the cell is missing)."""
        if f is None:
            return None
        v = f.value if f.value is not None else Decimal(0)
        return v / WAN if self.unit == "元" else v

    @classmethod
    def from_rows(
        cls, doc: dict[str, Any], facts: Iterable[dict[str, Any]], claims: Iterable[dict[str, Any]] = ()
    ) -> DocFacts:
        out = cls(doc_id=doc["doc_id"], path=doc.get("path") or "", department=doc.get("department"),
                  year=doc.get("year"), unit=doc.get("unit"))  # fmt: skip
        cells = out.cells
        for r in facts:
            if r["row_key"] == "@field":
                continue
            key: Key = (r["table_kind"], r["side"], r["row_key"], r["column"])
            prev = cells.get(key)
            if prev is not None and prev.table_index <= r["table_index"]:
                continue  # the first table of a kind, as the single-document rules do
            cells[key] = Fact(r["value"], r["raw"] or "", r["row_label"], r["table_index"], r)
        for c in claims:
            out.claims.append(
                ClaimFact(
                    kind=c["kind"],
                    quantity=c["quantity"] or "",
                    label=c["label"] or "",
                    value=c["value"],
                    unit=c["unit"] or "",
                    year=c["year"],
                    sentence=c["sentence"] or "",
                    section=c["section"],
                    loc=_loc(c),
                    bindings=json.loads(c["bindings"]) if c.get("bindings") else [],
                    attrs=json.loads(c["attrs"]) if c.get("attrs") else {},
                )  # fmt: skip
            )
        return out

    @classmethod
    def from_disclosure(cls, doc: Disclosure, doc_id: str = "doc", path: str = "") -> DocFacts:
        return cls.from_rows(
            document_row(doc_id, path, 0, doc=doc), fact_rows(doc_id, doc), claim_rows(doc_id, doc)
        )


def _loc(r: dict[str, Any]) -> Location | None:
    page, line, ref, bbox = r.get("page"), r.get("line"), r.get("ref"), r.get("bbox")
    if page is None and line is None and not ref and not bbox:
        return None
    box = tuple(json.loads(bbox)) if bbox else None
    return Location(page=page, line=line, ref=ref, bbox=box)  # type: ignore[arg-type]


# --- rules -------------------------------------------------------------------------------------------

CROSS_YEAR_RULES: dict[str, type[CrossYearRule]] = {}


def cross_year_rule(cls: type[CrossYearRule]) -> type[CrossYearRule]:
    doc = inspect.getdoc(cls) or ""
    if "Wrong:" not in doc or "Right:" not in doc:
        raise ValueError(f"rule {cls.id} needs a docstring with 'Wrong:' and 'Right:' examples")
    CROSS_YEAR_RULES[cls.id] = cls
    return cls


class CrossYearRule:
    """Base of the cross-year rules: ``check(current, previous)`` yields findings on ``current``."""

    id: ClassVar[str]
    title: ClassVar[str]
    family: ClassVar[str] = "Y"
    severity: ClassVar[Severity] = Severity.WARNING

    def check(self, cur: DocFacts, prev: DocFacts) -> Iterator[Finding]:
        raise NotImplementedError

    # -- helpers ----------------------------------------------------------------------------------
    def ref(self, d: DocFacts, kind: str, row: str, column: str, side: str | None, *, previous: bool) -> Ref:
        f = d.fact(kind, row, column, side)
        tk = TableKind(kind)
        title = TABLE_NAMES[tk]
        if previous:
            title = f"{d.year}年度决算·{title}"
        label = (f.label if f and f.label else None) or row_label(tk, row)
        return Ref(
            table=tk, table_index=f.table_index if f else None, table_title=title, row=row, row_label=label,
            column=column, column_label=column_label(tk, column), value=d.amount(f),
            text=(f"上年文件：{d.path}" if previous else (f.raw if f else None)) or None, loc=f.loc if f else None,
        )  # fmt: skip

    def compare_finding(
        self, what: str, cur: DocFacts, prev: DocFacts, now: Ref, before: Ref, extra: str = ""
    ) -> Finding | None:
        """``now`` should equal ``before`` (the same quantity printed in two documents)."""
        cmp = compare(now.value, [before.value], decimals=2)
        if cmp.verdict is Verdict.EQUAL:
            return None
        arithmetic = (
            f"{fmt(cmp.found)}（{cur.year}年度）{'≠' if cmp.verdict is Verdict.MISMATCH else '≈'} {fmt(cmp.expected)}"
            f"（{prev.year}年度）；差 {fmt_signed(cmp.difference)}，容差 ±{cmp.tolerance.normalize():f}"
        )
        if cmp.verdict is Verdict.ROUNDING:
            return Finding(rule_id=self.id, rule_title=self.title, severity=Severity.INFO, locations=[now, before],
                           message=f"{what}：与上年决算相差 {fmt_signed(cmp.difference)}，在尾数误差范围内",
                           expected=fmt(cmp.expected), found=fmt(cmp.found), difference=cmp.difference,
                           tolerance=cmp.tolerance, arithmetic=arithmetic)  # fmt: skip
        return Finding(
            rule_id=self.id, rule_title=self.title, severity=self.severity, locations=[now, before],
            message=f"{what}：{cur.year}年度为 {fmt(cmp.found)}，{prev.year}年度决算（{prev.path or '上年文件'}）为 "
                    f"{fmt(cmp.expected)}，相差 {fmt_signed(cmp.difference)}{extra}",
            expected=fmt(cmp.expected), found=fmt(cmp.found), difference=cmp.difference, tolerance=cmp.tolerance,
            arithmetic=arithmetic,
        )  # fmt: skip


_ADJUST = "；如因口径调整，应在说明中写明原因"


@cross_year_rule
class BeginBalanceT01(CrossYearRule):
    """收入支出决算总表的年初结转和结余应等于上年决算的年末结转和结余。

    The carry-over a year starts with is the one the previous year ended with; a difference
    means one of the two documents is wrong or the scope changed without explanation.

    Wrong:
        2023年度 公开01表 年末结转和结余 120.50
        2024年度 公开01表 年初结转和结余 102.50

    Right:
        2023年度 公开01表 年末结转和结余 120.50
        2024年度 公开01表 年初结转和结余 120.50
    """

    id = "Y-001"
    title = "年初结转和结余与上年年末一致"

    def check(self, cur: DocFacts, prev: DocFacts) -> Iterator[Finding]:
        if cur.fact("T01", "inc_begin_balance", "amount", "income") is None:
            return
        if prev.fact("T01", "exp_end_balance", "amount", "expense") is None:
            return
        now = self.ref(cur, "T01", "inc_begin_balance", "amount", "income", previous=False)
        before = self.ref(prev, "T01", "exp_end_balance", "amount", "expense", previous=True)
        f = self.compare_finding("年初结转和结余与上年年末结转和结余不一致", cur, prev, now, before, _ADJUST)
        if f:
            yield f


# T04: this year's income-side 年初 rows against last year's expense-side 年末 row, column by column.
T04_SPLITS = [
    ("inc_begin_general", "general", "年初一般公共预算财政拨款结转和结余"),
    ("inc_begin_fund", "fund", "年初政府性基金预算财政拨款结转和结余"),
    ("inc_begin_capital", "capital", "年初国有资本经营预算财政拨款结转和结余"),
]


@cross_year_rule
class BeginBalanceT04(CrossYearRule):
    """财政拨款收入支出决算总表的年初财政拨款结转和结余（合计及一般公共预算、政府性基金、国有资本经营
    三个部分）应分别等于上年决算的年末财政拨款结转和结余。

    Each part is compared on its own; the total is reported only when the parts already reported
    do not account for its difference.

    Wrong:
        2023年度 公开04表 年末财政拨款结转和结余：合计 80.00，一般公共预算 80.00
        2024年度 公开04表 年初一般公共预算财政拨款结转和结余 60.00（合计 80.00）

    Right:
        2023年度 公开04表 年末财政拨款结转和结余：合计 80.00，一般公共预算 80.00
        2024年度 公开04表 年初财政拨款结转和结余 80.00，其中一般公共预算 80.00
    """

    id = "Y-002"
    title = "年初财政拨款结转和结余与上年年末一致（分资金性质）"

    def check(self, cur: DocFacts, prev: DocFacts) -> Iterator[Finding]:
        explained = Decimal(0)
        for now_key, col, label in T04_SPLITS:
            if (
                cur.fact("T04", now_key, "amount", "income") is None
                or prev.fact("T04", "exp_end_balance", col, "expense") is None
            ):
                continue
            now = self.ref(cur, "T04", now_key, "amount", "income", previous=False)
            before = self.ref(prev, "T04", "exp_end_balance", col, "expense", previous=True)
            f = self.compare_finding(f"{label}与上年年末不一致", cur, prev, now, before, _ADJUST)
            if f:
                if f.severity is self.severity and f.difference is not None:
                    explained += f.difference
                yield f
        if (
            cur.fact("T04", "inc_begin_balance", "amount", "income") is None
            or prev.fact("T04", "exp_end_balance", "total", "expense") is None
        ):
            return
        now = self.ref(cur, "T04", "inc_begin_balance", "amount", "income", previous=False)
        before = self.ref(prev, "T04", "exp_end_balance", "total", "expense", previous=True)
        f = self.compare_finding("年初财政拨款结转和结余与上年年末不一致", cur, prev, now, before, _ADJUST)
        if f and not (explained and f.difference == explained):
            yield f


@cross_year_rule
class BeginBalanceFunds(CrossYearRule):
    """政府性基金、国有资本经营预算财政拨款支出决算表合计行的年初结转和结余应等于上年该表的年末结转和结余。

    Wrong:
        2023年度 政府性基金预算财政拨款收入支出决算表 合计 年末结转和结余 15.00
        2024年度 同表 合计 年初结转和结余 0.00

    Right:
        2023年度 政府性基金预算财政拨款收入支出决算表 合计 年末结转和结余 15.00
        2024年度 同表 合计 年初结转和结余 15.00
    """

    id = "Y-003"
    title = "政府性基金、国有资本经营年初结转和结余与上年年末一致"

    def check(self, cur: DocFacts, prev: DocFacts) -> Iterator[Finding]:
        for kind, name in (("T07", "政府性基金预算财政拨款"), ("T08", "国有资本经营预算财政拨款")):
            if (
                cur.fact(kind, "total", "begin_balance") is None
                or prev.fact(kind, "total", "end_balance") is None
            ):
                continue
            now = self.ref(cur, kind, "total", "begin_balance", None, previous=False)
            before = self.ref(prev, kind, "total", "end_balance", None, previous=True)
            f = self.compare_finding(f"{name}年初结转和结余与上年年末不一致", cur, prev, now, before, _ADJUST)
            if f:
                yield f


@cross_year_rule
class AdminCostLastYear(CrossYearRule):
    """机关运行经费支出情况表的“上年数”应等于上年决算公开的机关运行经费。

    Wrong:
        2023年度 机关运行经费支出情况表 合计 金额 52.30
        2024年度 同表 合计 上年数 55.30

    Right:
        2023年度 机关运行经费支出情况表 合计 金额 52.30
        2024年度 同表 合计 上年数 52.30
    """

    id = "Y-004"
    title = "机关运行经费上年数与上年决算一致"

    def check(self, cur: DocFacts, prev: DocFacts) -> Iterator[Finding]:
        if cur.fact("T10", "total", "last_year") is None or prev.fact("T10", "total", "amount") is None:
            return
        now = self.ref(cur, "T10", "total", "last_year", None, previous=False)
        before = self.ref(prev, "T10", "total", "amount", None, previous=True)
        f = self.compare_finding("机关运行经费“上年数”与上年决算不一致", cur, prev, now, before)
        if f:
            yield f


def _dec(v: Any) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        return Decimal(str(v))
    except ArithmeticError:
        return None


@cross_year_rule
class NarrativeLastYear(CrossYearRule):
    """情况说明中与上年比较的数字（上年数、增减额）应与上年决算公开的同一数字相符。

    The previous-year value a sentence implies (the current amount minus the stated change, or
    the 上年数 it states) is compared with the same cell of last year's document; the stated
    amount, the change and last year's value are each rounded, so a difference inside
    3 × 0.005 is rounding.

    Wrong:
        2023年度决算：本年收入合计 916.50 万元
        2024年度：本年收入合计 900.28 万元，与2023年度相比减少 26.22 万元（即上年 926.50）

    Right:
        2023年度决算：本年收入合计 916.50 万元
        2024年度：本年收入合计 900.28 万元，与2023年度相比减少 16.22 万元
    """

    id = "Y-005"
    title = "情况说明的上年数与上年决算一致"

    def check(self, cur: DocFacts, prev: DocFacts) -> Iterator[Finding]:
        if cur.year is None or prev.year is None:
            return
        for c in cur.claims:
            if c.year is not None and c.year != prev.year:
                continue
            if c.kind not in ("change", "amount") or not c.bindings:
                continue
            if c.kind == "amount" and c.year != prev.year:
                continue
            b = next((x for x in c.bindings if x.get("role") in (None, "value")), c.bindings[0])
            f = prev.fact(b["table"], b["row"], b["column"], b.get("side"))
            if f is None:
                continue
            scale = WAN if c.unit == "元" else Decimal(1)
            if c.value is not None:
                value = c.value / scale
            else:  # 本年收入合计比上年减少 42.09 万元: the current amount is the bound cell's
                own = cur.amount(cur.fact(b["table"], b["row"], b["column"], b.get("side")))
                if own is None:
                    continue
                value = own
            if c.kind == "amount":
                parts: list[Decimal | None] = [value]
                stated = "上年数"
            else:
                change = _signed_change(c.attrs)
                if change is None:
                    continue
                parts = [value, -change / scale]
                stated = f"本年 {fmt(value)} 减增减额 {fmt_signed(change / scale)}"
            last = prev.amount(f)
            cmp = compare(last, parts, decimals=2)
            if cmp.verdict is Verdict.EQUAL:
                continue
            now = Ref(table=TableKind(b["table"]), table_index=b.get("table_index"), row=b["row"], column=b["column"],
                      row_label=c.label or None, value=value, text=c.sentence, loc=c.loc)  # fmt: skip
            before = self.ref(prev, b["table"], b["row"], b["column"], b.get("side"), previous=True)
            arithmetic = (
                f"{stated} = {fmt(cmp.expected)}；上年决算 {fmt(cmp.found)}；差 {fmt_signed(cmp.expected - cmp.found)}，"
                f"容差 ±{cmp.tolerance.normalize():f}"
            )
            label = c.label or "该项"
            if cmp.verdict is Verdict.ROUNDING:
                yield Finding(rule_id=self.id, rule_title=self.title, severity=Severity.INFO, locations=[now, before],
                              message=f"“{label}”的上年数与上年决算相差 {fmt_signed(cmp.expected - cmp.found)}，在尾数误差范围内",
                              expected=fmt(cmp.found), found=fmt(cmp.expected), difference=cmp.expected - cmp.found,
                              tolerance=cmp.tolerance, arithmetic=arithmetic)  # fmt: skip
                continue
            yield Finding(
                rule_id=self.id, rule_title=self.title, severity=self.severity, locations=[now, before],
                message=f"说明中“{label}”隐含的{prev.year}年度数为 {fmt(cmp.expected)}，而{prev.year}年度决算"
                        f"（{prev.path or '上年文件'}）为 {fmt(cmp.found)}，相差 {fmt_signed(cmp.expected - cmp.found)}{_ADJUST}",
                expected=fmt(cmp.found), found=fmt(cmp.expected), difference=cmp.expected - cmp.found,
                tolerance=cmp.tolerance, arithmetic=arithmetic,
            )  # fmt: skip


def _signed_change(attrs: dict[str, Any]) -> Decimal | None:
    """The signed change of a CHANGE claim: ``change_amount`` with ``direction`` (+1/-1/0) when
    given (a sentence states 减少 16.22 as an amount and a direction), else as signed."""
    amount = _dec(attrs.get("change_amount"))
    direction = attrs.get("direction")
    if direction is not None and str(direction).lstrip("+-").isdigit():
        d = int(direction)
        if d == 0:
            return Decimal(0)
        if amount is None:
            return None
        return abs(amount) * d
    return amount


def run_cross_year(cur: DocFacts, prev: DocFacts, select: Iterable[str] | None = None) -> list[Finding]:
    """Every cross-year rule (or those whose id starts with one of ``select``) on one pair."""
    sel = [s.upper() for s in select] if select else None
    out: list[Finding] = []
    for rid, cls in sorted(CROSS_YEAR_RULES.items()):
        if sel is not None and not any(rid.startswith(s) for s in sel):
            continue
        try:
            out.extend(cls().check(cur, prev))
        except Exception as exc:  # one broken rule must not hide the others
            out.append(Finding(rule_id=rid, rule_title=cls.title, severity=Severity.WARNING,
                               message=f"规则 {rid} 执行出错（{type(exc).__name__}: {exc}），其结论缺失，请报告此问题"))  # fmt: skip
    out.sort(key=Finding.sort_key)
    return out


# --- over the corpus ------------------------------------------------------------------------------------

PAIRS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("prev_doc_id", pa.string()),
        ("department", pa.string()),
        ("department_norm", pa.string()),
        ("year", pa.int32()),
        ("prev_year", pa.int32()),
    ]
)
_PAIRS_SQL = """
WITH d AS (
  SELECT doc_id, path, department, department_norm, year, kind, unit, n_tables
  FROM documents
  WHERE status = 'ok' AND department_norm IS NOT NULL AND year IS NOT NULL AND NOT coalesce(is_template, false)
),
p AS (
  SELECT cur.doc_id, prev.doc_id AS prev_doc_id, cur.department, cur.department_norm, cur.year, prev.year AS prev_year,
         row_number() OVER (PARTITION BY cur.doc_id ORDER BY prev.n_tables DESC, prev.doc_id) AS rn
  FROM d cur JOIN d prev
    ON prev.department_norm = cur.department_norm AND prev.year = cur.year - 1
   AND (cur.kind IS NULL OR prev.kind IS NULL OR cur.kind = prev.kind)
)
SELECT doc_id, prev_doc_id, department, department_norm, year, prev_year FROM p WHERE rn = 1 ORDER BY doc_id
"""
BATCH_PAIRS = 200


def find_pairs(con: Any) -> pa.Table:
    return con.sql(_PAIRS_SQL).to_arrow_table().cast(PAIRS)


def _load(con: Any, ids: list[str], with_claims: set[str]) -> dict[str, DocFacts]:
    con.register("_ids", pa.table({"doc_id": pa.array(ids, pa.string())}))
    try:
        docs = con.sql("SELECT d.* FROM documents d JOIN _ids USING (doc_id)").to_arrow_table().to_pylist()
        # what DocFacts reads, the first table of each kind only (as the single-document rules)
        facts = con.sql(
            f"SELECT {', '.join(_FACT_COLUMNS)} FROM facts f JOIN _ids USING (doc_id) "
            "WHERE row_key <> '@field' QUALIFY row_number() OVER (PARTITION BY doc_id, table_kind, side, "
            'row_key, "column" ORDER BY table_index, file_row_number) = 1 ORDER BY doc_id'
        ).to_arrow_table()
        claims = (
            con.sql(
                "SELECT c.* FROM claims c JOIN _ids USING (doc_id) WHERE c.year IS NOT NULL OR c.kind = 'change' "
                "ORDER BY doc_id, claim_index"
            )
            .to_arrow_table()
            .to_pylist()
        )
    finally:
        con.unregister("_ids")
    cells = _cells_by_doc(facts)
    by_doc_claims: dict[str, list[dict[str, Any]]] = {}
    for r in claims:
        if r["doc_id"] in with_claims:
            by_doc_claims.setdefault(r["doc_id"], []).append(r)
    seen: set[str] = set()
    out = {}
    for d in docs:
        if d["doc_id"] in seen:
            continue
        seen.add(d["doc_id"])
        doc = DocFacts.from_rows(d, (), by_doc_claims.get(d["doc_id"], []))
        doc.cells = cells.get(d["doc_id"], {})
        out[d["doc_id"]] = doc
    return out


_FACT_COLUMNS = (
    "doc_id", "table_kind", "side", "row_key", '"column"', "value", "raw", "row_label", "table_index",
    "page", "line", "ref", "bbox",
)  # fmt: skip


def _cells_by_doc(facts: pa.Table) -> dict[str, dict[Key, Fact]]:
    """The cells of each document from the facts rows (one per cell, sorted by document), column
    by column: the same :class:`Fact` objects ``DocFacts.from_rows`` builds, without a dict per row."""
    cols = [facts.column(i).to_pylist() for i in range(facts.num_columns)]
    out: dict[str, dict[Key, Fact]] = {}
    cur_id: str | None = None
    cells: dict[Key, Fact] = {}
    for doc_id, kind, side, row, col, value, raw, label, ti, page, line, ref, bbox in zip(*cols, strict=True):
        if doc_id != cur_id:
            cur_id, cells = doc_id, out.setdefault(doc_id, {})
        cells[(kind, side, row, col)] = Fact(value, raw or "", label, ti, (page, line, ref, bbox))
    return out


def check_corpus(con: Any, previous: tuple[pa.Table, pa.Table] | None = None) -> tuple[pa.Table, pa.Table]:
    """(pairs, findings) of every cross-year pair in the corpus the connection sees.

    ``previous``: the (pairs, findings) of an earlier pass by the same rules; a pair found again
    keeps its findings (a document's rows never change: its id is its content's hash), so only
    new pairs are checked."""
    pairs = find_pairs(con)
    rows: list[dict[str, Any]] = []
    plist = pairs.to_pylist()
    kept: pa.Table | None = None
    if previous is not None:
        old_pairs, old_findings = previous
        same = {(p["doc_id"], p["prev_doc_id"]) for p in plist} & set(
            zip(old_pairs.column("doc_id").to_pylist(), old_pairs.column("prev_doc_id").to_pylist(), strict=True)
        )
        mask = [
            (d, r) in same
            for d, r in zip(
                old_findings.column("doc_id").to_pylist(), old_findings.column("related_doc_id").to_pylist(), strict=True
            )
        ]
        kept = old_findings.filter(pa.array(mask, pa.bool_())).select(FINDINGS.names).cast(FINDINGS)
        plist = [p for p in plist if (p["doc_id"], p["prev_doc_id"]) not in same]
    for i in range(0, len(plist), BATCH_PAIRS):
        part = plist[i : i + BATCH_PAIRS]
        ids = sorted({p["doc_id"] for p in part} | {p["prev_doc_id"] for p in part})
        loaded = _load(con, ids, {p["doc_id"] for p in part})
        for p in part:
            cur, prev = loaded.get(p["doc_id"]), loaded.get(p["prev_doc_id"])
            if cur is None or prev is None:
                continue
            rows.extend(finding_rows(cur.doc_id, run_cross_year(cur, prev), related_doc_id=prev.doc_id))
    findings = pa.Table.from_pylist(rows, schema=FINDINGS)
    if kept is not None and kept.num_rows:
        # one pair per document: by document (a stable sort), as a full pass orders them
        findings = pa.concat_tables([kept, findings]).sort_by("doc_id")
    return pairs, findings


_FINGERPRINT_KEY = b"juesuan_crossyear_rules"


def _fingerprint() -> bytes:
    """What the cross-year findings depend on besides the documents: the rules' code (this
    module, the arithmetic, the labels, the findings' rows) and the package version."""
    import hashlib

    from .. import __version__
    from ..rules import arith
    from ..tables import schema
    from . import records

    h = hashlib.sha256(__version__.encode())
    for mod in (__name__, arith.__name__, schema.__name__, records.__name__):
        path = getattr(__import__(mod, fromlist=["_"]), "__file__", None)
        try:
            h.update(Path(path).read_bytes() if path else mod.encode())
        except OSError:
            h.update(mod.encode())
    return h.hexdigest().encode()


def _previous(folder: Path, fingerprint: bytes) -> tuple[pa.Table, pa.Table] | None:
    """The last pass's (pairs, findings) when both were written by the same rules, else None."""
    try:
        tables = [pq.read_table(folder / f"{name}.parquet") for name in ("pairs", "findings")]
    except (OSError, pa.ArrowException):
        return None
    for t in tables:
        if (t.schema.metadata or {}).get(_FINGERPRINT_KEY) != fingerprint:
            return None
    return tables[0], tables[1]


def _write_atomic(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def refresh_crossyear(out: Path, *, full: bool = False) -> tuple[int, int]:
    """Bring ``OUT/crossyear/{pairs,findings}.parquet`` up to date with the datasets; (pairs,
    findings). Only pairs the last pass did not check are checked, unless ``full`` or the rules
    changed since (findings are written before pairs, so a pass killed in between is redone)."""
    import duckdb

    from .writer import ensure_nonempty

    ensure_nonempty(out)
    folder = out / "crossyear"
    folder.mkdir(exist_ok=True)
    con = duckdb.connect()
    try:
        for ds in ("documents", "facts", "claims"):
            glob = (out.resolve() / ds / "*.parquet").as_posix()
            # a document's rows are in one chunk file, in table order: file_row_number breaks ties
            # between rows of one key (the first one counts, as in the single-document rules)
            extra = ", file_row_number = true" if ds == "facts" else ""
            con.execute(
                f"CREATE VIEW {ds} AS SELECT * FROM read_parquet('{_sql_str(glob)}', union_by_name = true{extra})"
            )
        fingerprint = _fingerprint()
        pairs, findings = check_corpus(con, None if full else _previous(folder, fingerprint))
    finally:
        con.close()
    meta = {_FINGERPRINT_KEY: fingerprint}
    _write_atomic(findings.replace_schema_metadata(meta), folder / "findings.parquet")
    _write_atomic(pairs.replace_schema_metadata(meta), folder / "pairs.parquet")
    return pairs.num_rows, findings.num_rows


def _sql_str(s: str) -> str:
    return s.replace("'", "''")


CASES_DIR = Path(__file__).parent / "cases"


def case_pair(case: dict[str, Any]) -> tuple[Disclosure, Disclosure]:
    """(previous, current) of a case in ``store/cases/Y-*.yaml``: each side in the compact form
    of :mod:`juesuan.rules.cases`, plus ``claims`` (Claim objects as mappings)."""
    from ..model import Claim
    from ..rules.cases import build_disclosure

    docs = []
    for side in ("previous", "current"):
        spec = case[side]
        d = build_disclosure(spec)
        d.claims = [Claim.model_validate(c) for c in spec.get("claims") or []]
        docs.append(d)
    return docs[0], docs[1]
