"""Verdicts on bound claims: the arithmetic behind the N-* rules and ``juesuan explain``.

Each function takes the disclosure and one claim and returns :class:`Check` objects (one per
thing checked, passed or not), so the rules and ``explain`` say the same thing. A check that
passes has ``severity`` None. Rules read claims only; nothing here parses text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import TypeVar

from ..model import Binding, Claim, ClaimKind, Disclosure, Ref, Severity, TableKind
from ..model.trusted import trusted
from ..rules.arith import fmt
from ..tables.schema import column_label, row_label
from . import quantities as q
from .numbers import PLACE_NAMES, PctVerdict, check_pct, places, quantize

HALF = Decimal("0.005")  # half a unit of the 0.01 万元 every amount is rounded to
ZERO = Decimal(0)


@dataclass
class Check:
    rule: str
    severity: Severity | None  # None: the check passed
    message: str
    refs: list[Ref] = field(default_factory=list)
    expected: str | None = None
    found: str | None = None
    arithmetic: str | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None

    @property
    def mark(self) -> str:
        """✓ passed, ≈ within rounding / information, ✗ contradicted."""
        if self.severity is None:
            return "✓"
        return "✗" if self.severity is Severity.ERROR else "≈"


# --- per-run memo -------------------------------------------------------------------------------
_T = TypeVar("_T")


def _once(doc: Disclosure, what: object, obj: object, compute: Callable[[], _T]) -> _T:
    """Computed afresh: these checks move into the N rules, which share them through the run
    context (``RunContext.once``)."""
    return compute()


# During ``run_rules`` (``rules.run.memo``) each check function runs once per claim and each Ref
# is built once, whichever N rules read them (N-005 and N-006 share the completion checks, N-003
# reads N-002's shares, N-007 the completion it names); outside a run everything is computed
# afresh.


def claim_checks(fn: Callable[[Disclosure, Claim], Iterator[Check]], doc: Disclosure, c: Claim) -> list[Check]:
    """``list(fn(doc, c))``, computed once per run for the check functions several rules read."""
    if fn not in _SHARED_CHECKS:
        return list(fn(doc, c))
    return _once(doc, fn, c, lambda: list(fn(doc, c)))


# --- references -------------------------------------------------------------------------------
def sentence_ref(c: Claim) -> Ref:
    return trusted(Ref, text=c.sentence, loc=c.loc, value=c.value)


def _sentence_ref(doc: Disclosure, c: Claim) -> Ref:
    """:func:`sentence_ref`, built once per run."""
    return _once(doc, "sentence_ref", c, lambda: sentence_ref(c))


def binding_ref(doc: Disclosure, b: Binding) -> Ref | None:
    """The Ref of a bound cell (built once per run), or None when the cell cannot be found."""
    return _once(doc, "binding_ref", b, lambda: _binding_ref(doc, b))


def _binding_ref(doc: Disclosure, b: Binding) -> Ref | None:
    got = q.cell_of(doc, b)
    if got is None:
        return None
    tab, cell = got
    if b.row == "fields":
        rl, cl = "", column_label(tab.kind, b.column)
        loc = cell.loc  # type: ignore[attr-defined]
    else:
        r = tab.row(b.row, b.side)
        rl = (f"{r.code} {r.label}".strip() if r and r.code else (r.label if r and r.label else row_label(tab.kind, b.row)))
        cl = tab.column_label(b.column) if tab.column(b.column) else column_label(tab.kind, b.column)
        loc = cell.loc or (r.loc if r else None)  # type: ignore[attr-defined]
    return trusted(  # every value comes from the validated table and binding
        Ref,
        table=tab.kind,
        table_index=b.table_index,
        table_title=tab.name,
        row=b.row,
        row_label=rl,
        column=b.column,
        column_label=cl,
        value=cell.value,  # type: ignore[attr-defined]
        text=cell.raw or None,  # type: ignore[attr-defined]
        loc=loc,
    )


def cell_value(doc: Disclosure, b: Binding) -> Decimal | None:
    """The value of a bound cell (blank = 0), or None when it cannot be found."""
    got = q.cell_of(doc, b)
    if got is None:
        return None
    v = got[1].value  # type: ignore[attr-defined]
    return v if v is not None else ZERO


def binding(c: Claim, *roles: str | None) -> Binding | None:
    for b in c.bindings:
        if b.role in roles:
            return b
    return None


def _dec(v: object) -> Decimal | None:
    if v is None or (isinstance(v, str) and v == ""):  # (a Decimal compared with "" is slow)
        return None
    return v if isinstance(v, Decimal) else Decimal(str(v))


def _wan(c: Claim, v: Decimal, doc: Disclosure, b: Binding) -> Decimal:
    """A stated amount in the unit of the table it is compared with."""
    tab = doc.tables[b.table_index]
    unit = tab.unit.value if tab.unit else (doc.metadata.unit.value if doc.metadata.unit else "万元")
    if c.unit == "元" and unit == "万元":
        return v / Decimal(10000)
    if c.unit == "万元" and unit == "元":
        return v * Decimal(10000)
    if c.unit == "亿元":
        return v * Decimal(10000) if unit == "万元" else v * Decimal(100000000)
    return v


def num(v: Decimal) -> str:
    """A number as written in the arithmetic line: 900.28, 1,051.37, 0."""
    s = f"{v:,f}"
    return s


def pct(v: Decimal, d: int) -> str:
    return f"{quantize(v, d):f}%"


# --- N-001 amounts ----------------------------------------------------------------------------
_ROLE_WORDS = {"budget": "预算数", "actual": "决算数", "value": "金额", None: "金额"}


def amount_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    """Each stated amount (and the 预算/决算 of a completion) against the cell it restates."""
    if c.kind not in (ClaimKind.AMOUNT, ClaimKind.COMPLETION, ClaimKind.COUNT):
        return
    if c.kind is ClaimKind.AMOUNT and term_confusion(doc, c) is not None:
        return  # N-009 says it with the right words
    for b in c.bindings:
        if b.role not in (None, "value", "actual", "budget"):
            continue
        if b.role == "budget" and c.attrs.get("budget_from_table"):
            continue  # the 预算 was taken from this very cell
        if b.table in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT):
            continue  # 绩效 amounts against the 自评表 are P-006's: not restated here
        stated = _dec(c.attrs.get("budget")) if b.role == "budget" else c.value
        if b.role == "actual" and c.kind is ClaimKind.COMPLETION:
            stated = _dec(c.attrs.get("actual"))
        cell = cell_value(doc, b)
        ref = binding_ref(doc, b)
        if stated is None or cell is None or ref is None:
            continue
        v = _wan(c, stated, doc, b) if c.kind is not ClaimKind.COUNT else stated
        what = f"“{c.label or ref.row_label}”{_ROLE_WORDS.get(b.role, '金额') if c.kind is ClaimKind.COMPLETION else ''}"
        p = places(v)
        unit = "" if c.kind is ClaimKind.COUNT else "万元"
        refs = [_sentence_ref(doc, c), ref]
        if _same_amount(v, cell):
            yield Check("N-001", None, f"{what}{num(stated)}{c.unit} 与表中 {fmt(cell)} 一致", refs)
            continue
        other = _other_table_agreeing(doc, c, b, v)
        if other is not None:
            # 01表 and 02表 (or 06表 and 05表) disagree with each other; the text follows one of
            # them: that is the tables' break, reported by the cross-table rules
            yield Check("N-001", None, f"{what}{num(stated)}{c.unit} 与《{other.table_title}》一致"
                        f"（与《{ref.table_title}》的 {fmt(cell)} 不同，两表之差由表间规则报告）", [*refs, other])  # fmt: skip
            continue
        diff = v - cell
        exact = c.kind is ClaimKind.COUNT
        sev = Severity.ERROR
        note = ""
        if not exact and abs(diff) <= Decimal("0.01") and p >= 2:
            sev = Severity.WARNING
            note = "（相差一个末位单位，可能是由其他单元格推算所致）"
        elif not exact and p >= 2 and abs(v) >= 1:
            twin = _cell_with_value(doc, v, b)
            if twin is not None:
                note = f"（说明中的数与{twin.describe()}相同，可能取错了表或栏）"
                refs.append(twin)
        yield Check(
            "N-001",
            sev,
            f"说明中{what}为 {num(stated)}{c.unit or unit}，表中为 {fmt(cell, 0 if exact else 2)}，相差 {num(diff)}{note}",
            refs,
            expected=fmt(cell, 0 if exact else 2),
            found=num(stated),
            difference=diff,
            arithmetic=f"说明 {num(v)} − 表中 {fmt(cell, 0 if exact else 2)} = {num(diff)}",
        )


def _same_amount(v: Decimal, cell: Decimal) -> bool:
    """Equal at the precision the text printed (93 万元 = 93.00)."""
    p = places(v)
    if v == cell:
        return True
    return p < 2 and (quantize(cell, p, ROUND_HALF_UP) == v or quantize(cell, p, ROUND_HALF_EVEN) == v)


def _cell_with_value(doc: Disclosure, v: Decimal, skip: Binding) -> Ref | None:
    """The one amount cell of the document's tables printing exactly ``v`` (a hint of where a wrong
    number was taken from), or None when there is none or several."""
    hits: list[Binding] = []
    for i, tab in enumerate(doc.tables):
        if tab.kind in (TableKind.PERF_PROJECT, TableKind.PERF_DEPT, TableKind.OTHER):
            continue
        for r in tab.rows:
            for k, cell in r.cells.items():
                # (``is not None`` first: comparing None with a Decimal goes through the numbers ABCs)
                if (
                    cell.value is not None
                    and cell.value == v
                    and not (i == skip.table_index and r.key == skip.row and k == skip.column)
                ):
                    hits.append(Binding(table=tab.kind, table_index=i, row=r.key, column=k, side=r.side))
    if len({(h.table, h.row, h.column) for h in hits}) != 1:
        return None
    return binding_ref(doc, hits[0])


def _other_table_agreeing(doc: Disclosure, c: Claim, b: Binding, v: Decimal) -> Ref | None:
    """Another cell holding the same quantity in another table that equals the stated value."""
    if not c.quantity:
        return None
    found, _ = q.candidate_cells(doc, c.quantity, b.role or "value", str(c.attrs.get("ctx") or "other"))
    for alt in found:
        if (alt.table, alt.row, alt.column) == (b.table, b.row, b.column):
            continue
        val = cell_value(doc, alt)
        if val is not None and _same_amount(v, val):
            return binding_ref(doc, alt)
    return None


# --- N-009 terms ------------------------------------------------------------------------------
# 总计 words and the 合计 cell they are often confused with: (table, row, column, side, words).
_SIBLINGS: dict[str, list[tuple[TableKind, str, str, str, str]]] = {
    "inc_grand_total": [(TableKind.T01, "inc_total_year", "amount", "income", "本年收入合计")],
    "grand_total": [(TableKind.T01, "inc_total_year", "amount", "income", "本年收入合计"),
                    (TableKind.T01, "exp_total_year", "amount", "expense", "本年支出合计")],  # fmt: skip
    "exp_grand_total": [(TableKind.T01, "exp_total_year", "amount", "expense", "本年支出合计")],
    "fiscal_inc_grand_total": [(TableKind.T04, "inc_total_year", "amount", "income", "本年财政拨款收入合计")],
    "fiscal_grand_total": [(TableKind.T04, "inc_total_year", "amount", "income", "本年财政拨款收入合计"),
                           (TableKind.T04, "exp_total_year", "total", "expense", "本年财政拨款支出合计")],  # fmt: skip
    "fiscal_exp_grand_total": [(TableKind.T04, "exp_total_year", "total", "expense", "本年财政拨款支出合计")],
    "inc_total_year": [(TableKind.T01, "inc_grand_total", "amount", "income", "收入总计")],
    "exp_total_year": [(TableKind.T01, "exp_grand_total", "amount", "expense", "支出总计")],
}


def term_confusion(doc: Disclosure, c: Claim) -> tuple[Ref, Ref, str] | None:
    """(cell named, cell meant, words meant) when an amount named X equals the sibling Y instead
    (once per run: N-001 and N-009 both ask)."""
    return _once(doc, "term_confusion", c, lambda: _term_confusion(doc, c))


def _term_confusion(doc: Disclosure, c: Claim) -> tuple[Ref, Ref, str] | None:
    if c.kind is not ClaimKind.AMOUNT or c.value is None or c.quantity not in _SIBLINGS:
        return None
    b = binding(c, "value", None)
    if b is None:
        return None
    own = cell_value(doc, b)
    if own is None or own == c.value:
        return None
    for kind, row, col, side, words in _SIBLINGS[c.quantity]:
        tab = doc.table(kind)
        if tab is None:
            continue
        cell = tab.cell(row, col, side)
        if cell is None or cell.value is None:
            continue
        if abs(cell.value - c.value) <= Decimal("0.01") and abs(own - c.value) > Decimal("0.01"):
            sib = Binding(table=kind, table_index=doc.table_index(tab), row=row, column=col, side=side)
            r1, r2 = binding_ref(doc, b), binding_ref(doc, sib)
            if r1 and r2:
                return r1, r2, words
    return None


def term_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    got = term_confusion(doc, c)
    if got is None:
        return
    named, meant, words = got
    said = q.NAMES.get(c.quantity, c.label)
    yield Check(
        "N-009",
        Severity.ERROR,
        f"说明称“{c.label}”为 {num(c.value or ZERO)} 万元，但这是{words}（{fmt(meant.value)}）；"
        f"{said}应为 {fmt(named.value)} 万元",
        [_sentence_ref(doc, c), named, meant],
        expected=fmt(named.value),
        found=num(c.value or ZERO),
        difference=(c.value or ZERO) - (named.value or ZERO),
        arithmetic=f"{said} {fmt(named.value)} ≠ 说明 {num(c.value or ZERO)} = {words} {fmt(meant.value)}",
    )


# --- N-002 shares -----------------------------------------------------------------------------
def _share_values(doc: Disclosure, c: Claim) -> tuple[Decimal | None, Decimal | None, list[Ref]]:
    refs: list[Ref] = []
    part = _dec(c.attrs.get("part"))
    total = _dec(c.attrs.get("share_of"))
    bp, bt = binding(c, "part"), binding(c, "total")
    if part is None and bp is not None:
        part = cell_value(doc, bp)
    if total is None and bt is not None:
        total = cell_value(doc, bt)
    for b in (bp, bt):
        if b is not None:
            r = binding_ref(doc, b)
            if r is not None:
                refs.append(r)
    return part, total, refs


def _share_cells(doc: Disclosure, c: Claim) -> tuple[Decimal | None, Decimal | None]:
    bp, bt = binding(c, "part"), binding(c, "total")
    return (cell_value(doc, bp) if bp else None), (cell_value(doc, bt) if bt else None)


def share_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.SHARE or c.value is None:
        return
    part, total, refs = _share_values(doc, c)
    if part is None or total is None:
        label = str(c.attrs.get("share_of_label") or "")
        if c.value > 100 and not re.search(r"上年|去年|同期|预算", label):
            d = places(c.value)
            yield Check("N-002", Severity.WARNING, f"“{c.label}”为 {pct(c.value, d)}：部分占总数的比例不会超过 100%",
                        [_sentence_ref(doc, c), *refs], expected="≤ 100%", found=pct(c.value, d))  # fmt: skip
        return
    refs = [_sentence_ref(doc, c), *refs]
    d = places(c.value)
    if total == 0:
        if c.value != 0 and part == 0:
            yield Check("N-002", Severity.WARNING, f"“{c.label}”：总数为 0，不应表述占比 {pct(c.value, d)}", refs,
                        expected="不表述", found=pct(c.value, d))  # fmt: skip
        return
    chk = check_pct(c.value, part, total, h_num=HALF, h_den=HALF)
    if chk is None:
        return
    if chk.verdict is not PctVerdict.OK:
        # the text may state a wrong amount (N-001) and the right share of the cells: judge the
        # share against the cells too, so the wrong amount is not reported twice
        cp, ct = _share_cells(doc, c)
        if (cp, ct) != (part, total) and cp is not None and ct is not None and ct != 0:
            alt = check_pct(c.value, cp, ct, h_num=HALF, h_den=HALF)
            if alt is not None and alt.verdict is PctVerdict.OK:
                part, total, chk = cp, ct, alt
    arith = (
        f"{num(part)} ÷ {num(total)} = {pct(chk.exact, max(d, 2) if d < 2 else d + 1)} → "
        f"{pct(chk.expected, d)}（{PLACE_NAMES.get(d, f'{d}位小数')}）"
    )
    label = c.label or "占比"
    if chk.verdict is PctVerdict.OK:
        yield Check("N-002", None, f"“{label}”{pct(c.value, d)} 正确", refs, arithmetic=arith)
    elif chk.verdict is PctVerdict.TRUNCATED:
        yield Check("N-002", Severity.INFO, f"“{label}”{pct(c.value, d)} 为截尾取值，按四舍五入应为 {pct(chk.expected, d)}",
                    refs, expected=pct(chk.expected, d), found=pct(c.value, d), arithmetic=arith)  # fmt: skip
    else:
        yield Check("N-002", Severity.ERROR, f"“{label}”应为 {pct(chk.expected, d)}，说明中为 {pct(c.value, d)}",
                    refs, expected=pct(chk.expected, d), found=pct(c.value, d), arithmetic=arith,
                    difference=c.value - chk.expected)  # fmt: skip


def share_list_checks(doc: Disclosure) -> Iterator[Check]:
    """N-003: the shares of one list add up to about 100% (when the parts make up the whole)."""
    lists: dict[str, list[Claim]] = {}
    for c in doc.claims:
        if c.kind is ClaimKind.SHARE and c.value is not None and c.attrs.get("list"):
            lists.setdefault(str(c.attrs["list"]), []).append(c)
    for members in lists.values():
        if len(members) < 2:
            continue
        if any(ch.severity is Severity.ERROR for m in members for ch in claim_checks(share_checks, doc, m)):
            continue  # a wrong share is reported on its own
        total = sum((m.value or ZERO for m in members), ZERO)
        d = max(places(m.value or ZERO) for m in members)
        tol = Decimal(5).scaleb(-(min(places(m.value or ZERO) for m in members) + 1)) * len(members)
        parts = [_share_values(doc, m) for m in members]
        whole = parts[0][1]
        part_sum = sum((p[0] or ZERO for p in parts), ZERO)
        complete = whole is not None and abs(part_sum - whole) <= HALF * (len(members) + 1)
        shares = " + ".join(pct(m.value or ZERO, places(m.value or ZERO)) for m in members)
        arith = f"{shares} = {pct(total, d)}；容差 ±{tol.normalize():f}%（{len(members)} 项 × 半个末位单位）"
        refs = [_sentence_ref(doc, m) for m in members[:1]] + [r for p in parts[:1] for r in p[2][1:]]
        if total > 100 + tol:
            yield Check("N-003", Severity.WARNING, f"同一列举的占比之和为 {pct(total, d)}，超过 100%", refs,
                        expected="≤ 100%", found=pct(total, d), arithmetic=arith)  # fmt: skip
        elif complete and abs(total - 100) > tol:
            yield Check("N-003", Severity.WARNING, f"各部分金额之和等于总数，但占比之和为 {pct(total, d)}，不是 100%",
                        refs, expected="100%", found=pct(total, d), arithmetic=arith)  # fmt: skip
        else:
            yield Check("N-003", None, f"占比之和 {pct(total, d)}", refs, arithmetic=arith)


# --- N-004 changes ----------------------------------------------------------------------------
def change_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.CHANGE:
        return
    cur = c.value
    b = binding(c, "value", "actual", None)
    refs = [_sentence_ref(doc, c)]
    if b is not None:
        r = binding_ref(doc, b)
        if r is not None:
            refs.append(r)
        if cur is None:
            cur = cell_value(doc, b)
    d = _dec(c.attrs.get("change_amount"))
    p = _dec(c.attrs.get("change_pct"))
    direction = int(str(c.attrs.get("direction") or 0))
    pdir = c.attrs.get("pct_direction")
    if d is not None and p is not None and pdir is not None and int(str(pdir)) != direction and d != 0 and p != 0:
        words = ("增加", "增长") if direction > 0 else ("减少", "下降")
        yield Check("N-004", Severity.ERROR,
                    f"“{c.label}”增减方向前后矛盾：金额{words[0]} {num(d)} 万元，比率却是{'增长' if int(str(pdir)) > 0 else '下降'} {num(p)}%",
                    refs, expected=f"{words[1]} {num(p)}%", found=f"{'增长' if int(str(pdir)) > 0 else '下降'} {num(p)}%")  # fmt: skip
        return
    lb = binding(c, "last")
    if lb is not None and cur is not None and d is not None:
        last_cell = cell_value(doc, lb)
        lr = binding_ref(doc, lb)
        if last_cell is not None and lr is not None:
            actual_d = cur - last_cell
            stated_d = d * (direction or 1)
            if abs(actual_d - stated_d) > HALF * 3:
                yield Check("N-004", Severity.ERROR,
                            f"“{c.label}”比上年{'增加' if stated_d > 0 else '减少'} {num(d)} 万元，但表中上年数为 {fmt(last_cell)}，"
                            f"实际{'增加' if actual_d > 0 else '减少'} {fmt(abs(actual_d))} 万元",
                            [*refs, lr], expected=fmt(actual_d), found=num(stated_d),
                            arithmetic=f"{num(cur)} − {fmt(last_cell)} = {fmt(actual_d)}")  # fmt: skip
    if d is None or p is None or cur is None:
        return
    last = cur - d if direction >= 0 else cur + d
    if last <= 0:
        return
    dp = places(p)
    chk = check_pct(p, d, last, h_num=HALF, h_den=HALF * 2)
    if chk is None:
        return
    if chk.verdict is not PctVerdict.OK and b is not None:
        # a wrong amount in the text (N-001) with the change computed from the cell
        cell = cell_value(doc, b)
        if cell is not None and cell != cur:
            last2 = cell - d if direction >= 0 else cell + d
            alt = check_pct(p, d, last2, h_num=HALF, h_den=HALF * 2) if last2 > 0 else None
            if alt is not None and alt.verdict is PctVerdict.OK:
                cur, last, chk = cell, last2, alt
    sign = "−" if direction >= 0 else "+"
    arith = (
        f"{num(d)} ÷ ({num(cur)} {sign} {num(d)}) = {num(d)} ÷ {num(last)} = {pct(chk.exact, dp + 1 if dp >= 2 else 2)} → "
        f"{pct(chk.expected, dp)}（{PLACE_NAMES.get(dp, f'{dp}位小数')}）"
    )
    word = "下降" if direction < 0 else "增长"
    if chk.verdict is PctVerdict.OK:
        yield Check("N-004", None, f"“{c.label}”{word} {pct(p, dp)} 与增减额一致", refs, arithmetic=arith)
    elif chk.verdict is PctVerdict.TRUNCATED:
        yield Check("N-004", Severity.INFO, f"“{c.label}”{word} {pct(p, dp)} 为截尾取值，按四舍五入应为 {pct(chk.expected, dp)}",
                    refs, expected=pct(chk.expected, dp), found=pct(p, dp), arithmetic=arith)  # fmt: skip
    else:
        yield Check("N-004", Severity.ERROR,
                    f"“{c.label}”增减额 {num(d)} 万元对应的增减率应为 {pct(chk.expected, dp)}，说明中为 {pct(p, dp)}",
                    refs, expected=pct(chk.expected, dp), found=pct(p, dp), arithmetic=arith,
                    difference=p - chk.expected)  # fmt: skip


# --- N-005 / N-006 completion -----------------------------------------------------------------
def completion_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.COMPLETION:
        return
    a, b = _dec(c.attrs.get("budget")), _dec(c.attrs.get("actual"))
    rate = _dec(c.attrs.get("rate"))
    refs = [_sentence_ref(doc, c)] + [r for r in (binding_ref(doc, x) for x in c.bindings) if r is not None]
    if rate is None or a is None or b is None:
        return
    d = places(rate)
    if a == 0:
        yield Check("N-006", Severity.ERROR if b != 0 else Severity.WARNING,
                    f"“{c.label}”预算数为 0，不能表述完成率，说明中却写了 {pct(rate, d)}" +
                    ("" if b != 0 else "（预算数和决算数均为 0）"),
                    refs, expected="不表述完成率", found=pct(rate, d),
                    arithmetic=f"{num(b)} ÷ 0 无意义")  # fmt: skip
        return
    chk = check_pct(rate, b, a, h_num=HALF, h_den=HALF)
    if chk is None:
        return
    if chk.verdict is not PctVerdict.OK:
        # a wrong 决算 in the text (N-001) with the rate of the cell: not reported twice
        ba, bb = binding(c, "actual"), binding(c, "budget")
        ca = cell_value(doc, ba) if ba else None
        cb = cell_value(doc, bb) if bb and not c.attrs.get("budget_from_table") else None
        if (ca is not None and ca != b) or (cb is not None and cb != a):
            alt = check_pct(rate, ca if ca is not None else b, cb if cb is not None else a, h_num=HALF, h_den=HALF)
            if alt is not None and alt.verdict is PctVerdict.OK:
                b, a, chk = (ca if ca is not None else b), (cb if cb is not None else a), alt
    arith = (
        f"{num(b)} ÷ {num(a)} = {pct(chk.exact, d + 1 if d >= 2 else 2)} → {pct(chk.expected, d)}"
        f"（{PLACE_NAMES.get(d, f'{d}位小数')}）"
    )
    if chk.verdict is PctVerdict.OK:
        yield Check("N-005", None, f"“{c.label}”完成率 {pct(rate, d)} 正确", refs, arithmetic=arith)
    elif chk.verdict is PctVerdict.TRUNCATED:
        yield Check("N-005", Severity.INFO, f"“{c.label}”完成率 {pct(rate, d)} 为截尾取值，按四舍五入应为 {pct(chk.expected, d)}",
                    refs, expected=pct(chk.expected, d), found=pct(rate, d), arithmetic=arith)  # fmt: skip
    else:
        yield Check("N-005", Severity.ERROR, f"“{c.label}”完成率应为 {pct(chk.expected, d)}，说明中为 {pct(rate, d)}",
                    refs, expected=pct(chk.expected, d), found=pct(rate, d), arithmetic=arith,
                    difference=rate - chk.expected)  # fmt: skip


# --- N-007 / N-008 direction and reasons ------------------------------------------------------
_WORDS = {1: "大于", -1: "小于", 0: "等于"}


def direction_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.DIRECTION:
        return
    idx = c.attrs.get("completion")
    if idx is None:
        return
    target = doc.claims[int(str(idx))] if int(str(idx)) < len(doc.claims) else None
    if target is None:
        return
    a, b = _dec(target.attrs.get("budget")), _dec(target.attrs.get("actual"))
    if a is None or b is None:
        return
    stated = int(str(c.attrs.get("direction") or 0))
    real = (b > a) - (b < a)
    refs = [_sentence_ref(doc, c), _sentence_ref(doc, target)]
    if stated != real:
        # the word agrees with the 决算 of the table (the text misprints it: N-001) …
        ba = binding(target, "actual")
        cell = cell_value(doc, ba) if ba else None
        if cell is not None and (cell > a) - (cell < a) == stated:
            b, real = cell, stated
        # … or with the completion rate stated with it (the numbers contradict both: N-005)
        rate = _dec(target.attrs.get("rate"))
        if rate is not None and a != 0 and (rate > 100) - (rate < 100) == stated:
            if any(x.rule == "N-005" and x.severity is Severity.ERROR for x in claim_checks(completion_checks, doc, target)):
                return
    arith = f"决算 {num(b)} {'>' if real > 0 else '<' if real < 0 else '='} 预算 {num(a)}"
    if stated == real:
        yield Check("N-007", None, f"“{c.label}”与数字一致", refs, arithmetic=arith)
    else:
        yield Check("N-007", Severity.ERROR,
                    f"说明称决算数{_WORDS[stated]}预算数，但决算 {num(b)} 万元{_WORDS[real]}预算 {num(a)} 万元",
                    refs, expected=f"决算数{_WORDS[real]}预算数", found=c.label, arithmetic=arith)  # fmt: skip


def reason_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.COMPLETION or c.attrs.get("ctx") == "perf":
        return
    a, b = _dec(c.attrs.get("budget")), _dec(c.attrs.get("actual"))
    if a is None or b is None:
        return
    refs = [_sentence_ref(doc, c)]
    if a == b:
        return
    if c.attrs.get("reason"):
        yield Check("N-008", None, f"“{c.label}”决算与预算的差异已说明原因", refs)
        return
    yield Check("N-008", Severity.WARNING,
                f"“{c.label}”决算 {num(b)} 万元与预算 {num(a)} 万元不一致，未说明原因",
                refs, expected="说明差异原因", found="未说明",
                arithmetic=f"{num(b)} − {num(a)} = {num(b - a)}")  # fmt: skip


# --- N-010 科目 names -------------------------------------------------------------------------
def subject_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    problem = c.attrs.get("subject_problem")
    if not problem or c.kind not in (ClaimKind.AMOUNT, ClaimKind.COMPLETION):
        return
    refs = [_sentence_ref(doc, c)] + [r for r in (binding_ref(doc, x) for x in c.bindings) if r is not None]
    yield Check("N-010", Severity.WARNING, f"说明中的科目“{c.label}”：{problem}", refs)


# --- N-011 empty tables -----------------------------------------------------------------------
# "没有…支出" speaks of the spending columns only (09表 may still print a 预算数)
_EXPENSE_COLUMNS: dict[TableKind, set[str]] = {
    TableKind.T09: {"actual"},
    TableKind.T07: {"exp_total", "basic", "project"},
    TableKind.T08: {"exp_total", "basic", "project"},
    TableKind.T11: {"amount"},
    TableKind.T10: {"amount"},
}


def empty_checks(doc: Disclosure, c: Claim) -> Iterator[Check]:
    if c.kind is not ClaimKind.EMPTY_TABLE or not c.bindings:
        return
    b = c.bindings[0]
    tab = doc.tables[b.table_index]
    ref = Ref(table=tab.kind, table_index=b.table_index, table_title=tab.name, loc=tab.loc)
    cols = _EXPENSE_COLUMNS.get(tab.kind) if c.attrs.get("scope") == "expense" else None
    nz = [
        (r, k, cell)
        for r in tab.rows
        for k, cell in r.cells.items()
        if cell.value not in (None, ZERO) and (cols is None or k in cols)
    ]
    if not nz:
        what = "支出" if cols else "数据"
        yield Check("N-011", None, f"《{tab.name}》确无{what}", [_sentence_ref(doc, c), ref])
        return
    shown = "、".join(f"{r.label or row_label(tab.kind, r.key)}[{tab.column_label(k)}] {fmt(cell.value)}" for r, k, cell in nz[:3])
    yield Check("N-011", Severity.ERROR, f"说明称“{c.label}”，但《{tab.name}》中有数据：{shown}",
                [_sentence_ref(doc, c), ref], expected="表中无数据", found=shown)  # fmt: skip


CLAIM_CHECKS: list[Callable[[Disclosure, Claim], Iterator[Check]]] = [
    amount_checks,
    term_checks,
    share_checks,
    change_checks,
    completion_checks,
    direction_checks,
    reason_checks,
    subject_checks,
    empty_checks,
]


# The only kinds of claim each check function looks at (each returns at once for any other kind):
# the rules skip the other claims without calling it.
CHECK_KINDS: dict[Callable[[Disclosure, Claim], Iterator[Check]], frozenset[ClaimKind]] = {
    amount_checks: frozenset({ClaimKind.AMOUNT, ClaimKind.COMPLETION, ClaimKind.COUNT}),
    term_checks: frozenset({ClaimKind.AMOUNT}),
    share_checks: frozenset({ClaimKind.SHARE}),
    change_checks: frozenset({ClaimKind.CHANGE}),
    completion_checks: frozenset({ClaimKind.COMPLETION}),
    direction_checks: frozenset({ClaimKind.DIRECTION}),
    reason_checks: frozenset({ClaimKind.COMPLETION}),
    subject_checks: frozenset({ClaimKind.AMOUNT, ClaimKind.COMPLETION}),
    empty_checks: frozenset({ClaimKind.EMPTY_TABLE}),
}


# read by more than one rule (N-005 and N-006, N-007; N-002 and N-003)
_SHARED_CHECKS = {completion_checks, share_checks}


def checks_for(doc: Disclosure, c: Claim) -> list[Check]:
    out: list[Check] = []
    for fn in CLAIM_CHECKS:
        out.extend(fn(doc, c))
    return out
