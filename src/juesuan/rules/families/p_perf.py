"""Family P: 项目支出 / 部门整体支出绩效自评表 — 执行率, scores, targets, blank forms, and the 绩效
section of the narrative against the tables.

Fields of a 绩效 table are the keys of ``tables.schema.PERF_FIELDS`` (``budget_year``,
``actual_year``, ``exec_rate``, ``exec_weight``, ``exec_score``, ``total_weight``,
``total_score`` …); indicator rows are ``ind:N`` with the columns of ``PERF_COLUMNS``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from ...model import Cell, Disclosure, Finding, Ref, Severity, Table, TableKind
from ...model.claims import ClaimKind
from ...tables.numbers import cn_to_int, try_amount
from ..arith import fmt
from ..base import Rule, not_above_finding, register
from ..context import RunContext
from .d_document import is_template, quote

PERF_KINDS = (TableKind.PERF_PROJECT, TableKind.PERF_DEPT)
_FIELD_LABELS = {
    "budget_begin": "年初预算数",
    "budget_year": "全年预算数",
    "actual_year": "全年执行数",
    "exec_rate": "执行率",
    "exec_weight": "分值",
    "exec_score": "得分",
    "total_weight": "总分值",
    "total_score": "总分",
}


def perf_tables(doc: Disclosure) -> list[Table]:
    return [t for t in doc.tables if t.kind in PERF_KINDS]


def project_name(t: Table) -> str:
    c = t.fields.get("project_name")
    return (c.raw.strip() if c else "") or t.name


def _tname(t: Table) -> str:
    name = project_name(t)
    return f"《{t.name}》" if name == t.name else f"《{t.name}》（{name}）"


def _num(c: Cell | None) -> Decimal | None:
    """The number in a cell: its value, or the number in its text (97.04%, 10分)."""
    if c is None:
        return None
    if c.value is not None:
        return c.value
    m = re.search(r"[-+]?\d[\d,]*(?:\.\d+)?", c.raw.replace(" ", ""))
    if not m:
        return None
    try:
        return Decimal(m.group(0).replace(",", ""))
    except InvalidOperation:
        return None


def _places(raw: str) -> int:
    m = re.search(r"\d+(?:\.(\d+))?", raw.replace(" ", ""))
    return len(m.group(1)) if m and m.group(1) else 0


def field_ref(doc: Disclosure, t: Table, key: str, value: Decimal | None = None) -> Ref:
    c = t.fields.get(key)
    return Ref(
        table=t.kind,
        table_index=doc.table_index(t),
        table_title=t.name,
        row="fields",
        row_label=project_name(t),
        column=key,
        column_label=_FIELD_LABELS.get(key, key),
        value=value if value is not None else _num(c),
        text=c.raw if c else None,
        loc=c.loc if c and c.loc else t.loc,
    )


def ind_ref(doc: Disclosure, t: Table, row_key: str, col: str) -> Ref | None:
    r = t.row(row_key)
    if r is None:
        return None
    c = r.cell(col)
    if c is None:
        return None
    label = r.cell("level3")
    return Ref(
        table=t.kind,
        table_index=doc.table_index(t),
        table_title=t.name,
        row=r.key,
        row_label=(label.raw if label and label.raw else r.label) or r.key,
        column=col,
        column_label={"weight": "分值", "score": "得分", "target": "年度指标值", "actual": "实际完成值"}.get(
            col, col
        ),
        value=_num(c) if col in ("weight", "score") else None,  # a target (≥95%) is text, not a number
        text=c.raw or None,
        loc=c.loc or r.loc,
    )


def indicator_rows(t: Table) -> list[str]:
    return [r.key for r in t.rows if r.key.startswith("ind:")]


def is_blank_form(t: Table) -> bool:
    """A 绩效 table left as the empty form: no project name, no amount, no indicator value."""
    if project_name(t) != t.name:
        return False
    if any(
        c.value is not None or (c.raw.strip() and k not in ("department", "unit"))
        for k, c in t.fields.items()
    ):
        return False
    for r in t.rows:
        for k in ("level3", "target", "actual", "weight", "score"):
            c = r.cell(k)
            if c is not None and c.raw.strip():
                return False
    return True


@register
class ExecutionRate(Rule):
    """执行率 = 全年执行数 ÷ 全年预算数 × 100%, compared at the printed decimals with the
    rounding of the two amounts (each ± half a unit of their last printed digit) allowed as 提示.
    A rate printed over a zero budget is an error.

    Wrong:
        全年预算数 77.00 | 全年执行数 74.72 | 执行率 97.30%
    Right:
        全年预算数 77.00 | 全年执行数 74.72 | 执行率 97.04%
    """

    id = "P-001"
    title = "执行率等于执行数除以预算数"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in perf_tables(doc):
            bc, ac, rc = t.fields.get("budget_year"), t.fields.get("actual_year"), t.fields.get("exec_rate")
            b, a, r = _num(bc), _num(ac), _num(rc)
            if b is None or a is None or r is None or rc is None:
                continue
            refs = [
                field_ref(doc, t, "actual_year"),
                field_ref(doc, t, "budget_year"),
                field_ref(doc, t, "exec_rate", r),
            ]
            if b == 0:
                if r != 0:
                    yield self.finding(
                        f"{_tname(t)}全年预算数为 0，无法计算执行率，却印为 {rc.raw.strip()}",
                        refs,
                        found=rc.raw.strip(),
                    )
                continue
            k = _places(rc.raw) if rc.raw.strip() else 2
            computed = a / b * 100
            half = Decimal(5).scaleb(-(k + 1))
            du = Decimal(5).scaleb(-(max(bc.decimals if bc else 2, ac.decimals if ac else 2) + 1))
            # the rates the unrounded amounts allow: each amount ± half a unit of its last digit
            lo = max(abs(a) - du, Decimal(0)) / (abs(b) + du) * 100
            hi = (abs(a) + du) / (abs(b) - du) * 100 if abs(b) > du else None
            diff = r - computed
            shown = computed.quantize(Decimal(1).scaleb(-k))
            within = r >= lo - half and (hi is None or r <= hi + half)
            bounds = f"{lo:.4f}%～{hi:.4f}%" if hi is not None else f"≥ {lo:.4f}%"
            arithmetic = (
                f"{fmt(a, ac.decimals if ac else 2)} ÷ {fmt(b, bc.decimals if bc else 2)} × 100% = {computed:.4f}% ≈ "
                f"{shown}%；印为 {r}%，差 {diff.quantize(Decimal('0.0001'))}；金额尾数允许的范围 {bounds}"
            )
            if abs(diff) <= half:
                continue
            if within:
                yield self.finding(
                    f"{_tname(t)}执行率 {r}% 与执行数÷预算数 {shown}% 相差在金额尾数误差范围内",
                    refs,
                    severity=Severity.INFO,
                    expected=f"{shown}%",
                    found=f"{r}%",
                    arithmetic=arithmetic,
                )
                continue
            yield self.finding(
                f"{_tname(t)}执行率应为 {shown}%，实为 {r}%",
                refs,
                expected=f"{shown}%",
                found=f"{r}%",
                difference=diff,
                arithmetic=arithmetic,
            )


@register
class ScoreNotAboveWeight(Rule):
    """Each 得分 is at most its 分值 (every indicator, the 预算执行率 score, and 总分 ≤ 总分值).

    Wrong:
        满意度指标 | 分值 10 | 得分 12
    Right:
        满意度指标 | 分值 10 | 得分 9
    """

    id = "P-002"
    title = "得分不超过分值"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in perf_tables(doc):
            for rk in indicator_rows(t):
                w, s = ind_ref(doc, t, rk, "weight"), ind_ref(doc, t, rk, "score")
                if w is None or s is None or w.value is None or s.value is None:
                    continue
                f = not_above_finding(
                    self, ctx, f"{_tname(t)}指标“{s.row_label}”得分超过分值", s, w, exact=True
                )
                if f:
                    yield f
            for score, weight, what in (
                ("exec_score", "exec_weight", "预算执行率得分"),
                ("total_score", "total_weight", "总分"),
            ):
                s_, w_ = _num(t.fields.get(score)), _num(t.fields.get(weight))
                if s_ is None or w_ is None:
                    continue
                f = not_above_finding(
                    self,
                    ctx,
                    f"{_tname(t)}{what}超过分值",
                    field_ref(doc, t, score, s_),
                    field_ref(doc, t, weight, w_),
                    exact=True,
                )
                if f:
                    yield f


@register
class TotalScore(Rule):
    """总分 = 预算执行率得分 + Σ 指标得分, and 总分值 = Σ 分值 (the same sum of the weights).

    Wrong:
        执行率得分 5 | 指标得分 20, 15, 10, 10, 15, 10, 10 | 总分 100
    Right:
        执行率得分 5 | 指标得分 20, 15, 10, 10, 15, 10, 10 | 总分 95
    """

    id = "P-003"
    title = "总分等于各项得分之和"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in perf_tables(doc):
            for total_key, part_field, col, what in (
                ("total_score", "exec_score", "score", "总分"),
                ("total_weight", "exec_weight", "weight", "总分值"),
            ):
                tv = _num(t.fields.get(total_key))
                if tv is None:
                    continue
                parts: list[Ref] = []
                pv = _num(t.fields.get(part_field))
                if pv is not None:
                    parts.append(field_ref(doc, t, part_field, pv))
                for rk in indicator_rows(t):
                    r = ind_ref(doc, t, rk, col)
                    if r is not None and r.value is not None:
                        parts.append(r)
                if len(parts) < 2:
                    continue
                f = self.sum_finding(
                    ctx, f"{_tname(t)}{what}不等于各项之和", field_ref(doc, t, total_key, tv), parts
                )
                if f:
                    yield f


_OPS = {"≥": "ge", ">=": "ge", "＞=": "ge", "≧": "ge", ">": "gt", "＞": "gt", "≤": "le", "<=": "le", "≦": "le",
        "<": "lt", "＜": "lt", "=": "eq", "＝": "eq"}  # fmt: skip
_TARGET = re.compile(
    r"^\s*(≥|>=|≧|＞=|>|＞|≤|<=|≦|<|＜|=|＝)?\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*([%％]|[^\d\s]{0,4})\s*$"
)
_WORD_OPS = [("不低于", "ge"), ("不少于", "ge"), ("大于等于", "ge"), ("以上", "ge"), ("不高于", "le"), ("不超过", "le"),
             ("小于等于", "le"), ("以内", "le"), ("以下", "le")]  # fmt: skip


_OP_SIGN = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "="}


def parse_target(text: str) -> tuple[str, Decimal, str] | None:
    """(op, number, unit) of a 年度指标值 like ≥95%, >=6, =100%, ≤3天, 不低于90%; None for a target
    without an explicit comparison or number (长期, 按时足额, 早于12月末)."""
    s = text.strip().replace("％", "%")
    op = None
    for word, o in _WORD_OPS:
        if word in s:
            op, s = o, s.replace(word, "")
            break
    m = _TARGET.match(s)
    if not m:
        return None
    sym, num, unit = m.groups()
    if sym:
        op = _OPS[sym]
    if op is None:
        return None
    return op, Decimal(num.replace(",", "")), unit.strip()


def parse_value(text: str) -> tuple[Decimal, str] | None:
    m = re.match(r"^\s*([-+]?\d[\d,]*(?:\.\d+)?)\s*([%％]|[^\d\s]{0,4})\s*$", text.replace("％", "%"))
    if not m:
        return None
    return Decimal(m.group(1).replace(",", "")), m.group(2).strip()


def target_met(op: str, target: Decimal, actual: Decimal) -> bool:
    return {
        "ge": actual >= target,
        "gt": actual > target,
        "le": actual <= target,
        "lt": actual < target,
        "eq": actual == target,
    }[op]


@register
class FullScoreUnmetTarget(Rule):
    """An indicator whose 实际完成值 misses its explicit 年度指标值 (≥95% → 13.33%, =100% → 98%) gets
    less than its full 分值. A full score for a target that was not met is a warning: the score or
    the value is wrong, or the deviation needs its reason. Targets without an explicit comparison
    (长期, 按时足额, 早于12月末) are not judged.

    Wrong:
        数量指标 | 年度指标值 ≥95% | 实际完成值 13.33% | 分值 20 | 得分 20
    Right:
        数量指标 | 年度指标值 ≥95% | 实际完成值 13.33% | 分值 20 | 得分 2.8（偏差原因：…）
    """

    id = "P-004"
    title = "未完成指标不得满分"
    family = "P"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for t in perf_tables(doc):
            for rk in indicator_rows(t):
                row = t.row(rk)
                assert row is not None
                tc, ac = row.cell("target"), row.cell("actual")
                w, s = ind_ref(doc, t, rk, "weight"), ind_ref(doc, t, rk, "score")
                if tc is None or ac is None or w is None or s is None or w.value is None or s.value is None:
                    continue
                if s.value < w.value:
                    continue
                tgt, act = parse_target(tc.raw), parse_value(ac.raw)
                if tgt is None or act is None:
                    continue
                op, tv, tu = tgt
                av, au = act
                if tu != au or target_met(op, tv, av):
                    continue
                target_ref = ind_ref(doc, t, rk, "target")
                actual_ref = ind_ref(doc, t, rk, "actual")
                yield self.finding(
                    f"{_tname(t)}指标“{s.row_label}”目标 {tc.raw.strip()} 未完成（实际 {ac.raw.strip()}），却得满分 "
                    f"{fmt(s.value, 0 if s.value == s.value.to_integral() else 2)}",
                    [r for r in (target_ref, actual_ref, s, w) if r is not None],
                    expected=f"< {fmt(w.value, 0 if w.value == w.value.to_integral() else 2)}",
                    found=fmt(s.value, 0 if s.value == s.value.to_integral() else 2),
                    arithmetic=f"目标 {_OP_SIGN[op]} {tv}{tu}，实际 {av}{au}：未达到；得分 {s.value} = 分值 {w.value}",
                )


@register
class BlankPerformanceForm(Rule):
    """A 绩效自评表 left as the empty form (no project name, no amount, no indicator value) in a
    real disclosure: the form of the template was published instead of the self-evaluation.

    Wrong:
        2024年度年初预算项目支出绩效自评表 | 项目名称 （空） | 年初预算数 （空） | 指标值 （空） …
    Right:
        项目支出绩效自评表 | 项目名称 城乡居民基本养老保险 | 全年预算数 429.79 | 全年执行数 429.79 …
    """

    id = "P-005"
    title = "绩效自评表未填写"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if is_template(doc):
            return
        for t in perf_tables(doc):
            if is_blank_form(t):
                yield self.finding(
                    f"《{t.name}》是未填写的空白表样（没有项目名称、金额和指标值）",
                    [Ref(table=t.kind, table_index=doc.table_index(t), table_title=t.name, loc=t.loc)],
                )


# --- the 绩效 section of the narrative -------------------------------------------------------------

_AMOUNT = r"(\d[\d,，\s]*(?:\.\s*\d+)?)\s*万元"
_BUDGET_ACTUAL = re.compile(
    rf"(?:全年)?预算(?:数|金额)?为?\s*{_AMOUNT}\s*[，,、]?\s*(?:全年)?执行数?为?\s*{_AMOUNT}"
)
_COUNT = re.compile(r"(\d+|[一二三四五六七八九十两]+)\s*(?:个|项)(?:单位)?(?:项目|项目支出)")
_TOTAL = re.compile(rf"共?涉及(?:一般公共预算)?(?:项目)?(?:资金|预算金额|金额|支出)\s*{_AMOUNT}")


def _dec(s: str) -> Decimal | None:
    v, ok = try_amount(s.replace("，", ",").replace(" ", ""))
    return v if ok else None


def perf_paragraphs(doc: Disclosure) -> list[tuple[str, Ref]]:
    """Paragraph texts of the sections about 绩效 (their heading or an ancestor's mentions 绩效)."""
    out: list[tuple[str, Ref]] = []

    def walk(sections: list, inside: bool) -> None:  # type: ignore[type-arg]
        for s in sections:
            here = inside or "绩效" in s.heading
            if here:
                for p in s.paragraphs:
                    out.append((p.text, Ref(text=p.text, loc=p.loc)))
            walk(s.children, here)

    walk(doc.sections, False)
    return out


def stated_pairs(doc: Disclosure) -> list[tuple[Decimal, Decimal, Ref]]:
    """(预算数, 执行数, sentence) pairs the 绩效 section states: from claims when the narrative layer
    gave completion claims with both numbers, else from the paragraphs' words."""
    out: list[tuple[Decimal, Decimal, Ref]] = []
    for c in doc.claims:
        if c.kind is ClaimKind.COMPLETION and "绩效" in (c.section or ""):
            b, a = c.attrs.get("budget"), c.attrs.get("actual")
            if isinstance(b, Decimal) and isinstance(a, Decimal):
                out.append((b, a, Ref(text=c.sentence, loc=c.loc)))
    stated = {(b, a) for b, a, _ in out}
    for text, ref in perf_paragraphs(doc):
        for m in _BUDGET_ACTUAL.finditer(text):
            b, a = _dec(m.group(1)), _dec(m.group(2))
            if b is not None and a is not None and (b, a) not in stated:
                stated.add((b, a))
                sent = _sentence_around(text, m.start(), m.end())
                out.append((b, a, Ref(text=sent, loc=ref.loc)))
    return out


def _sentence_around(text: str, start: int, end: int) -> str:
    s = max(text.rfind("。", 0, start), text.rfind("；", 0, start)) + 1
    e = text.find("。", end)
    return text[s : (e + 1 if e >= 0 else len(text))].strip()


def _close(a: Decimal, b: Decimal, places: int) -> bool:
    """Equal at the precision the narrative printed (77 万元 for 77.00; 15.5 for 15.50)."""
    return abs(a - b) <= Decimal(5).scaleb(-(places + 1))


@register
class PerformanceNarrative(Rule):
    """The 绩效 section of the narrative agrees with the 绩效自评表: a project stated with the
    全年预算数 of a table has that table's 全年执行数 (error otherwise), and one stated with the
    执行数 of exactly one table (≥ 10 万元) has that table's 全年预算数; the number of projects it
    says were self-evaluated is not smaller than the number of project tables attached (warning);
    and when they are equal, the total it states (共涉及资金 X 万元) equals the tables' 全年预算数 or
    全年执行数 summed (error, rounding-aware).

    Wrong:
        自评表：全年预算数 77.00 | 全年执行数 74.72；说明：项目全年预算数为 77 万元，执行数为 74.92 万元
    Right:
        自评表：全年预算数 77.00 | 全年执行数 74.72；说明：项目全年预算数为 77 万元，执行数为 74.72 万元
    """

    id = "P-006"
    title = "绩效说明与绩效自评表一致"
    family = "P"

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        tables = [t for t in perf_tables(doc) if not is_blank_form(t)]
        if not tables or is_template(doc):
            return
        yield from self._pairs(doc, tables)
        yield from self._count_and_total(ctx, tables)

    def _pairs(self, doc: Disclosure, tables: list[Table]) -> Iterator[Finding]:
        for b, a, ref in stated_pairs(doc):
            bp = max(0, -int(b.as_tuple().exponent))
            ap = max(0, -int(a.as_tuple().exponent))
            same_budget = [
                t for t in tables if (v := _num(t.fields.get("budget_year"))) is not None and _close(b, v, bp)
            ]
            if not same_budget:
                yield from self._by_actual(doc, tables, b, a, ref)
                continue
            if any(
                (v := _num(t.fields.get("actual_year"))) is not None and _close(a, v, ap) for t in same_budget
            ):
                continue
            if len(same_budget) > 1:
                continue  # several projects share the budget: which one is meant is not known
            t = same_budget[0]
            actual = _num(t.fields.get("actual_year"))
            if actual is None:
                continue
            yield self.finding(
                f"绩效说明称执行数为 {a} 万元，但{_tname(t)}（全年预算数 {fmt(_num(t.fields.get('budget_year')))}）"
                f"的全年执行数为 {fmt(actual)} 万元：“{quote(ref.text or '', 50)}”",
                [ref, field_ref(doc, t, "actual_year", actual), field_ref(doc, t, "budget_year")],
                expected=fmt(actual),
                found=str(a),
                difference=a - actual,
                arithmetic=f"说明 {a} ≠ 表中全年执行数 {fmt(actual)}；差 {a - actual:+}（全年预算数 {b} 与表中一致）",
            )

    def _by_actual(
        self, doc: Disclosure, tables: list[Table], b: Decimal, a: Decimal, ref: Ref
    ) -> Iterator[Finding]:
        """No table has the stated 预算数: when exactly one has the stated 执行数 (an amount of at
        least 10 万元, so not a coincidence of small round numbers), its 全年预算数 is what the
        sentence should state."""
        if a < 10:
            return
        ap = max(0, -int(a.as_tuple().exponent))
        same_actual = [
            t for t in tables if (v := _num(t.fields.get("actual_year"))) is not None and _close(a, v, ap)
        ]
        if len(same_actual) != 1:
            return
        t = same_actual[0]
        budget = _num(t.fields.get("budget_year"))
        if budget is None:
            return
        yield self.finding(
            f"绩效说明称预算为 {b} 万元，但执行数同为 {a} 万元的{_tname(t)}全年预算数为 {fmt(budget)} 万元："
            f"“{quote(ref.text or '', 50)}”",
            [ref, field_ref(doc, t, "budget_year", budget), field_ref(doc, t, "actual_year")],
            expected=fmt(budget),
            found=str(b),
            difference=b - budget,
            arithmetic=f"说明 {b} ≠ 表中全年预算数 {fmt(budget)}；差 {b - budget:+}（执行数 {a} 与表中一致）",
        )

    def _count_and_total(self, ctx: RunContext, tables: list[Table]) -> Iterator[Finding]:
        projects = [t for t in tables if t.kind is TableKind.PERF_PROJECT]
        for text, ref in perf_paragraphs(ctx.doc):
            cm = _COUNT.search(text)
            if not cm:
                continue
            n = cn_to_int(cm.group(1))
            if n is None or n == 0:
                continue
            sent = _sentence_around(text, cm.start(), cm.end())
            sref = Ref(text=sent, loc=ref.loc)
            if len(projects) > n:
                yield self.finding(
                    f"绩效说明称对 {n} 个项目开展自评，但文件附了 {len(projects)} 张项目支出绩效自评表：“{quote(sent, 50)}”",
                    [
                        sref,
                        *(
                            Ref(table=t.kind, table_index=ctx.table_index(t), table_title=t.name, loc=t.loc)
                            for t in projects
                        ),
                    ],
                    severity=Severity.WARNING,
                    expected=str(len(projects)),
                    found=str(n),
                )
                return
            tm = _TOTAL.search(text, cm.end())
            if len(projects) != n or not tm:
                return
            total = _dec(tm.group(1))
            if total is None:
                return
            total_ref = Ref(text=_sentence_around(text, tm.start(), tm.end()), loc=ref.loc, value=total)
            best = None
            for key in ("budget_year", "actual_year"):
                parts = [field_ref(ctx.doc, t, key) for t in projects]
                if any(p.value is None for p in parts):
                    continue
                f = self.sum_finding(
                    ctx,
                    f"绩效说明所称项目资金合计与 {n} 张项目自评表的{_FIELD_LABELS[key]}之和不符",
                    total_ref,
                    parts,
                )
                if f is None or f.severity is Severity.INFO:
                    return  # agrees with one of the two sums
                if best is None or abs(f.difference or Decimal(0)) < abs(best.difference or Decimal(0)):
                    best = f
            if best is not None:
                yield best
            return


# --- 部门整体支出绩效自评表 against the tables ------------------------------------------------------


def _dept_totals(ctx: RunContext) -> list[Ref]:
    """The department's totals a 部门整体支出 self-evaluation may cover: 本年支出合计 (01, 03),
    财政拨款 本年支出合计 (04), 一般公共预算财政拨款支出 合计 (05)."""

    out: list[Ref] = []
    for kind, row, col, side in (
        (TableKind.T03, "total", "total", None),
        (TableKind.T01, "exp_total_year", "amount", "expense"),
        (TableKind.T04, "exp_total_year", "total", "expense"),
        (TableKind.T05, "total", "total", None),
    ):
        t = ctx.doc.table(kind)
        if t is None:
            continue
        r = ctx.ref(t, row, col, side)
        if r is not None and r.value is not None:
            out.append(r)
    return out


@register
class DepartmentPerformanceAmounts(Rule):
    """The 全年执行数 of the 部门整体支出绩效自评表 is one of the department's totals in the tables
    (本年支出合计, 财政拨款支出合计, 一般公共预算财政拨款支出合计), within rounding. A warning: some
    regions evaluate a narrower scope, which the table should then say.

    Wrong:
        部门整体支出绩效自评表 全年执行数 891.98 | 支出决算表 本年支出合计 881.98 | 一般公共预算 881.98
    Right:
        部门整体支出绩效自评表 全年执行数 881.98 | 支出决算表 本年支出合计 881.98
    """

    id = "P-007"
    title = "部门整体绩效自评金额与决算表一致"
    family = "P"
    severity = Severity.WARNING

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        totals = _dept_totals(ctx)
        if not totals:
            return
        for t in doc.tables_of(TableKind.PERF_DEPT):
            actual = _num(t.fields.get("actual_year"))
            if actual is None:
                continue
            ref = field_ref(doc, t, "actual_year", actual)
            verdicts = [
                self.sum_finding(ctx, "部门整体支出绩效自评表全年执行数与决算表合计不一致", ref, [r])
                for r in totals
            ]
            if any(v is None or v.severity is Severity.INFO for v in verdicts):
                continue
            shown = "、".join(f"{r.table_title}{r.row_label or ''} {fmt(r.value)}" for r in totals)
            yield self.finding(
                f"《{t.name}》全年执行数 {fmt(actual)} 万元与决算表的支出合计都不一致（{shown}）",
                [ref, *totals],
                found=fmt(actual),
                expected=" / ".join(dict.fromkeys(fmt(r.value) for r in totals)),
                arithmetic="；".join(f"{fmt(actual)} ≠ {fmt(r.value)}" for r in totals),
            )
