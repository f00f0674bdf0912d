"""第三部分 情况说明: sentences generated from the tables and the facts.

Every number is computed here from cells (or taken from the facts); each sentence records the
cells it restates (:class:`SentenceTrace`), and its numeric claims go to ``Disclosure.claims`` with
their bindings. Percentages are rounded half-up to ``pct_places`` and printed without trailing
zeros; no completion rate is stated for a zero 年初预算.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field

from ..ingest.narrative.sentences import make_paragraph
from ..model import Binding, Claim, ClaimKind, Disclosure, Section, Table, TableKind
from ..tables import schema
from .facts import Facts
from .layout import fmt_amount
from .subjects import ECON_NAMES, FUNCTION_SUBJECTS, cn_num

ZERO = Decimal(0)
HUNDRED = Decimal(100)
T02_PART_NAMES = {
    "fiscal": "财政拨款收入",
    "superior": "上级补助收入",
    "business": "事业收入",
    "operating": "经营收入",
    "affiliated": "附属单位上缴收入",
    "other": "其他收入",
}
T03_PART_NAMES = {
    "basic": "基本支出",
    "project": "项目支出",
    "to_superior": "上缴上级支出",
    "operating": "经营支出",
    "to_affiliated": "对附属单位补助支出",
}


class SentenceTrace(BaseModel):
    """One composed sentence and where its numbers come from."""

    section: str
    sentence: str
    cells: list[Binding] = Field(default_factory=list)
    facts: list[str] = Field(default_factory=list)  # facts.yaml keys it uses


def pct(num: Decimal, den: Decimal, places: int) -> Decimal:
    """num / den in percent, rounded half-up (to nearest) at ``places`` decimals."""
    q = Decimal(1).scaleb(-places)
    return (num / den * HUNDRED).quantize(q, rounding=ROUND_HALF_UP)


def fmt_pct(p: Decimal) -> str:
    s = f"{p:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return f"{s}%"


def wan(v: Decimal) -> str:
    """1051.37 -> 1,051.37万元; a zero is written 0万元 as the disclosures do."""
    return "0万元" if v == 0 else f"{fmt_amount(v)}万元"


@dataclass
class Ref:
    value: Decimal
    binding: Binding | None = None
    fact: str | None = None


@dataclass
class _Sentence:
    text: str
    refs: list[Ref] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


class Narrator:
    def __init__(self, doc: Disclosure, facts: Facts, pct_places: int = 2):
        self.doc = doc
        self.facts = facts
        self.places = pct_places
        self.year = facts.year
        self.trace: list[SentenceTrace] = []
        self.claims: list[Claim] = []

    # -- access -------------------------------------------------------------------------------
    def table(self, kind: TableKind) -> Table | None:
        return self.doc.table(kind)

    def ref(self, kind: TableKind, row: str, column: str, side: str | None = None) -> Ref:
        t = self.table(kind)
        if t is None:
            return Ref(ZERO)
        c = t.cell(row, column, side)
        v = c.amount if c is not None else ZERO
        return Ref(v, Binding(table=kind, table_index=self.doc.table_index(t), row=row, column=column, side=side))

    def fact(self, key: str, value: Decimal) -> Ref:
        return Ref(value, fact=key)

    # -- sentence helpers ---------------------------------------------------------------------
    def change(self, cur: Ref, last: Ref | None, what: str) -> tuple[str, list[Claim]]:
        """与上年相比 clause: 增加X万元，增长Y% / 减少… / 持平."""
        if last is None:
            return "", []
        d = cur.value - last.value
        attrs: dict[str, Decimal | str | int | None] = {"last": last.value, "change_amount": d}
        if d == 0:
            text = f"与{self.year - 1}年度持平"
            attrs["direction"] = 0
        else:
            word, pword = ("增加", "增长") if d > 0 else ("减少", "下降")
            text = f"比{self.year - 1}年度{word}{wan(abs(d))}"
            attrs["direction"] = 1 if d > 0 else -1
            if last.value != 0:
                p = pct(abs(d), last.value, self.places)
                text += f"，{pword}{fmt_pct(p)}"
                attrs["change_pct"] = p
        claim = Claim(kind=ClaimKind.CHANGE, label=what, value=cur.value, unit="万元", year=self.year - 1,
                      attrs=attrs, bindings=[cur.binding] if cur.binding else [])  # fmt: skip
        return text, [claim]

    def amount_claim(self, label: str, r: Ref) -> Claim:
        return Claim(kind=ClaimKind.AMOUNT, label=label, value=r.value, unit="万元", bindings=[r.binding] if r.binding else [])

    def share(self, label: str, part: Ref, total: Ref) -> tuple[str, Claim | None]:
        if total.value == 0:
            return "", None
        p = pct(part.value, total.value, self.places)
        bs = [b for b in (part.binding, total.binding) if b]
        return f"占{fmt_pct(p)}", Claim(kind=ClaimKind.SHARE, label=label, value=p, unit="%", attrs={"part": part.value, "share_of": total.value}, bindings=bs)

    def completion(self, label: str, budget: Ref, actual: Ref, reason: str, budget_word: str = "年初预算") -> tuple[str, list[Claim]]:
        """年初预算为A万元，支出决算为B万元，完成年初预算的C%。决算数大于预算数的主要原因是…"""
        text = f"{budget_word}为{wan(budget.value)}，支出决算为{wan(actual.value)}"
        attrs: dict[str, Decimal | str | int | None] = {"budget": budget.value, "actual": actual.value}
        if budget.value != 0:
            r = pct(actual.value, budget.value, self.places)
            text += f"，完成{budget_word}的{fmt_pct(r)}"
            attrs["rate"] = r
        text += "。"
        if actual.value > budget.value:
            text += f"决算数大于预算数的主要原因是{_clause(reason) or '年度中追加了预算'}。"
        elif actual.value < budget.value:
            text += f"决算数小于预算数的主要原因是{_clause(reason) or '厉行节约，压减了支出'}。"
        else:
            text += "决算数与预算数一致。"
        bs = [b for b in (budget.binding, actual.binding) if b]
        return text, [Claim(kind=ClaimKind.COMPLETION, label=label, value=actual.value, unit="万元", attrs=attrs, bindings=bs)]

    def say(self, section: Section, sentences: list[_Sentence]) -> None:
        text = "".join(s.text for s in sentences)
        para = make_paragraph(text)
        section.paragraphs.append(para)
        offset = 0
        for s in sentences:
            refs = s.refs
            self.trace.append(
                SentenceTrace(
                    section=section.heading,
                    sentence=s.text,
                    cells=[r.binding for r in refs if r.binding is not None],
                    facts=[r.fact for r in refs if r.fact is not None],
                )
            )
            for c in s.claims:
                c.sentence = s.text
                c.section = section.heading
                c.span = (offset, offset + len(s.text))
                self.claims.append(c)
            offset += len(s.text)

    # -- the sections -------------------------------------------------------------------------
    def build(self) -> list[Section]:
        y = self.year
        out: list[Section] = []
        items = [
            ("收入支出决算总体情况说明", self.s_total),
            ("收入决算情况说明", self.s_income),
            ("支出决算情况说明", self.s_expense),
            ("财政拨款收入支出决算总体情况说明", self.s_fiscal),
            ("一般公共预算财政拨款支出决算情况说明", self.s_general),
            ("一般公共预算财政拨款基本支出决算情况说明", self.s_basic),
            ("政府性基金预算财政拨款收入支出决算情况说明", lambda s: self.s_fund(s, TableKind.T07, "政府性基金预算财政拨款")),
            ("国有资本经营预算财政拨款收入支出决算情况说明", lambda s: self.s_fund(s, TableKind.T08, "国有资本经营预算财政拨款")),
            ("财政拨款“三公”经费支出决算情况说明", self.s_sangong),
            ("机关运行经费支出情况说明", self.s_org_running),
            ("政府采购支出情况说明", self.s_procurement),
            ("国有资产占用情况说明", self.s_assets),
            (f"关于{y}年度绩效评价情况说明", self.s_performance),
            ("其他重要事项的情况说明", self.s_other),
        ]
        for i, (title, fn) in enumerate(items):
            sec = Section(heading=f"{cn_num(i + 1)}、{title}", level=2, number=cn_num(i + 1))
            fn(sec)
            out.append(sec)
        return out

    def s_total(self, sec: Section) -> None:
        inc = self.ref(TableKind.T01, "inc_grand_total", "amount", "income")
        exp = self.ref(TableKind.T01, "exp_grand_total", "amount", "expense")
        last = self.facts.last_year.grand_total
        y = self.year
        if inc.value == exp.value:
            text = f"{y}年度收入、支出总计{wan(inc.value)}"
            claims = [self.amount_claim("收入、支出总计", inc)]
            refs = [inc, exp]
        else:
            text = f"{y}年度收入总计{wan(inc.value)}，支出总计{wan(exp.value)}"
            claims = [self.amount_claim("收入总计", inc), self.amount_claim("支出总计", exp)]
            refs = [inc, exp]
        if last is not None:
            lr = self.fact("last_year.grand_total", last)
            ch, cc = self.change(inc, lr, "收入、支出总计")
            text += f"，{ch}"
            claims += cc
            refs.append(lr)
            text += self._reason(inc.value - last, self.facts.reasons.grand_total, refs, "reasons.grand_total")
        self.say(sec, [_Sentence(text + "。", refs, claims)])

    def _reason(self, diff: Decimal, reason: str, refs: list[Ref], key: str) -> str:
        if diff == 0 or not reason.strip():
            return ""
        refs.append(Ref(ZERO, fact=key))
        return f"，主要原因是{_clause(reason)}"

    def s_income(self, sec: Section) -> None:
        total = self.ref(TableKind.T02, "total", "total")
        text = f"{self.year}年度本年收入合计{wan(total.value)}"
        refs, claims = [total], [self.amount_claim("本年收入合计", total)]
        parts = []
        for key, name in T02_PART_NAMES.items():
            r = self.ref(TableKind.T02, "total", key)
            if r.value == 0:
                continue
            sh, c = self.share(name, r, total)
            parts.append(f"{name}{wan(r.value)}" + (f"，{sh}" if sh else ""))
            refs.append(r)
            claims.append(self.amount_claim(name, r))
            if c:
                claims.append(c)
        if parts:
            text += "，其中：" + "；".join(parts)
        sents = [_Sentence(text + "。", refs, claims)]
        last = self.facts.last_year.income_total
        if last is not None:
            lr = self.fact("last_year.income_total", last)
            ch, cc = self.change(total, lr, "本年收入合计")
            r2 = [total, lr]
            t2 = f"本年收入合计{ch}" + self._reason(total.value - last, self.facts.reasons.income_total, r2, "reasons.income_total")
            sents.append(_Sentence(t2 + "。", r2, cc))
        self.say(sec, sents)

    def s_expense(self, sec: Section) -> None:
        total = self.ref(TableKind.T03, "total", "total")
        text = f"{self.year}年度本年支出合计{wan(total.value)}"
        refs, claims = [total], [self.amount_claim("本年支出合计", total)]
        parts = []
        for key, name in T03_PART_NAMES.items():
            r = self.ref(TableKind.T03, "total", key)
            if r.value == 0:
                continue
            sh, c = self.share(name, r, total)
            parts.append(f"{name}{wan(r.value)}" + (f"，{sh}" if sh else ""))
            refs.append(r)
            claims.append(self.amount_claim(name, r))
            if c:
                claims.append(c)
        if parts:
            text += "，其中：" + "；".join(parts)
        sents = [_Sentence(text + "。", refs, claims)]
        last = self.facts.last_year.expense_total
        if last is not None:
            lr = self.fact("last_year.expense_total", last)
            ch, cc = self.change(total, lr, "本年支出合计")
            r2 = [total, lr]
            t2 = f"本年支出合计{ch}" + self._reason(total.value - last, self.facts.reasons.expense_total, r2, "reasons.expense_total")
            sents.append(_Sentence(t2 + "。", r2, cc))
        for key, name, fk in (("basic", "基本支出", "basic"), ("project", "项目支出", "project")):
            lv = getattr(self.facts.last_year, fk)
            if lv is None:
                continue
            r = self.ref(TableKind.T03, "total", key)
            lr = self.fact(f"last_year.{fk}", lv)
            ch, cc = self.change(r, lr, name)
            sents.append(_Sentence(f"{name}{wan(r.value)}，{ch}。", [r, lr], [self.amount_claim(name, r)] + cc))
        self.say(sec, sents)

    def s_fiscal(self, sec: Section) -> None:
        inc = self.ref(TableKind.T04, "inc_grand_total", "amount", "income")
        exp = self.ref(TableKind.T04, "exp_grand_total", "total", "expense")
        text = f"{self.year}年度财政拨款收入、支出总计{wan(inc.value)}"
        refs, claims = [inc, exp], [self.amount_claim("财政拨款收入、支出总计", inc)]
        last = self.facts.last_year.fiscal_grand_total
        if last is not None:
            lr = self.fact("last_year.fiscal_grand_total", last)
            ch, cc = self.change(inc, lr, "财政拨款收入、支出总计")
            text += f"，{ch}" + self._reason(inc.value - last, self.facts.reasons.fiscal_grand_total, refs, "reasons.fiscal_grand_total")
            refs.append(lr)
            claims += cc
        sents = [_Sentence(text + "。", refs, claims)]
        gi = self.ref(TableKind.T04, "inc_general_budget", "amount", "income")
        ge = self.ref(TableKind.T04, "exp_total_year", "general", "expense")
        sents.append(_Sentence(
            f"其中：本年一般公共预算财政拨款收入{wan(gi.value)}，本年一般公共预算财政拨款支出{wan(ge.value)}。",
            [gi, ge], [self.amount_claim("一般公共预算财政拨款收入", gi), self.amount_claim("一般公共预算财政拨款支出", ge)],
        ))  # fmt: skip
        self.say(sec, sents)

    def s_general(self, sec: Section) -> None:
        t05 = self.table(TableKind.T05)
        total = self.ref(TableKind.T05, "total", "total")
        exp_total = self.ref(TableKind.T03, "total", "total")
        y = self.year
        s1 = Section(heading="（一）一般公共预算财政拨款支出决算总体情况", level=3, number="（一）")
        text = f"{y}年度一般公共预算财政拨款支出{wan(total.value)}"
        refs, claims = [total, exp_total], [self.amount_claim("一般公共预算财政拨款支出", total)]
        sh, c = self.share("一般公共预算财政拨款支出占本年支出合计", total, exp_total)
        if sh:
            text += f"，{sh.replace('占', '占本年支出合计的')}"
            claims.append(c) if c else None
        last = self.facts.last_year.general_budget_expense
        if last is not None:
            lr = self.fact("last_year.general_budget_expense", last)
            ch, cc = self.change(total, lr, "一般公共预算财政拨款支出")
            text += f"。与{y - 1}年度相比，" + ch.replace(f"比{y - 1}年度", "").replace(f"与{y - 1}年度持平", "持平")
            text += self._reason(total.value - last, self.facts.reasons.general_budget_expense, refs, "reasons.general_budget_expense")
            refs.append(lr)
            claims += cc
        self.say(s1, [_Sentence(text + "。", refs, claims)])
        s2 = Section(heading="（二）一般公共预算财政拨款支出决算结构情况", level=3, number="（二）")
        parts, refs2, claims2 = [], [total], []
        for row in (t05.rows if t05 else []):
            if row.level != 1:
                continue
            r = self.ref(TableKind.T05, row.key, "total")
            if r.value == 0:
                continue
            name = row.label or FUNCTION_SUBJECTS.get(row.key, row.key)
            sh2, c2 = self.share(f"{name}（类）", r, total)
            parts.append(f"{name}（类）{wan(r.value)}" + (f"，{sh2}" if sh2 else ""))
            refs2.append(r)
            claims2.append(self.amount_claim(f"{name}（类）", r))
            if c2:
                claims2.append(c2)
        if parts:
            self.say(s2, [_Sentence(f"{y}年度一般公共预算财政拨款支出{wan(total.value)}，主要用于以下方面：" + "；".join(parts) + "。", refs2, claims2)])
        else:
            self.say(s2, [_Sentence(f"{y}年度本部门没有一般公共预算财政拨款支出。", refs2, [])])
        s3 = Section(heading="（三）一般公共预算财政拨款支出决算具体情况", level=3, number="（三）")
        begin = self.facts.general_budget_begin
        if begin is None:
            begin = sum((i.budget for i in self.facts.budget_items.values()), ZERO)
        br = self.fact("general_budget_begin", begin)
        text3, c3 = self.completion("一般公共预算财政拨款支出", br, total, self.facts.reasons.general_budget_vs_budget)
        self.say(s3, [_Sentence(f"{y}年度一般公共预算财政拨款支出" + text3 + "其中：", [br, total], c3)])
        n = 0
        for row in (t05.rows if t05 else []):
            if row.level != 3:
                continue
            actual = self.ref(TableKind.T05, row.key, "total")
            item = self.facts.budget_items.get(row.key)
            if actual.value == 0 and (item is None or item.budget == 0):
                continue
            n += 1
            b = self.fact(f"budget_items.{row.key}", item.budget if item else ZERO)
            name = _subject_path(self.doc, row.key, row.label)
            t, cc = self.completion(name, b, actual, item.reason if item else "")
            self.say(s3, [_Sentence(f"{n}. {name}。{t}", [b, actual], cc)])
        sec.children = [s1, s2, s3]

    def s_basic(self, sec: Section) -> None:
        basic = self.ref(TableKind.T05, "total", "basic")
        pers = self.ref(TableKind.T06, "personnel_total", "amount")
        pub = self.ref(TableKind.T06, "public_total", "amount")
        t06 = self.table(TableKind.T06)

        def items(side: str) -> str:
            if t06 is None:
                return ""
            names = [ECON_NAMES.get(r.key, r.label) for r in t06.rows
                     if r.side == side and r.code and len(r.code) == 5 and r.cells.get("amount") and r.cells["amount"].amount != 0]  # fmt: skip
            return "、".join(names)

        text = f"{self.year}年度一般公共预算财政拨款基本支出{wan(basic.value)}，其中：人员经费{wan(pers.value)}"
        pi = items("personnel")
        text += f"，主要包括：{pi}" if pi else ""
        text += f"；公用经费{wan(pub.value)}"
        qi = items("public")
        text += f"，主要包括：{qi}" if qi else ""
        claims = [self.amount_claim("基本支出", basic), self.amount_claim("人员经费", pers), self.amount_claim("公用经费", pub)]
        self.say(sec, [_Sentence(text + "。", [basic, pers, pub], claims)])

    def s_fund(self, sec: Section, kind: TableKind, name: str) -> None:
        t = self.table(kind)
        number = self._number(kind)
        if t is None or t.is_empty:
            sents = [_Sentence(f"{self.year}年度，本部门没有发生{name}收入支出，故{number}无数据。", [],
                               [Claim(kind=ClaimKind.EMPTY_TABLE, label=name, attrs={"table": kind.value})])]  # fmt: skip
            self.say(sec, sents)
            return
        refs = [self.ref(kind, "total", c) for c in ("begin_balance", "income", "exp_total", "end_balance")]
        b, i, e, end = refs
        text = (f"{self.year}年度{name}年初结转和结余{wan(b.value)}，本年收入{wan(i.value)}，本年支出{wan(e.value)}，"
                f"年末结转和结余{wan(end.value)}。")  # fmt: skip
        labels = ["年初结转和结余", "本年收入", "本年支出", "年末结转和结余"]
        self.say(sec, [_Sentence(text, refs, [self.amount_claim(f"{name}{lab}", r) for lab, r in zip(labels, refs, strict=True)])])

    def _number(self, kind: TableKind) -> str:
        t = self.table(kind)
        if t is not None and t.printed_number:
            return t.printed_number
        return "本表"

    def s_sangong(self, sec: Section) -> None:
        y = self.year
        k = TableKind.T09
        bt, at = self.ref(k, "total", "budget"), self.ref(k, "total", "actual")
        s1 = Section(heading="（一）“三公”经费财政拨款支出决算总体情况说明", level=3, number="（一）")
        t, cc = self.completion("“三公”经费", bt, at, self.facts.reasons.sangong_vs_budget, budget_word="预算")
        t = t.replace("，完成预算的", "，完成预算的")
        sents = [_Sentence(f"{y}年度“三公”经费财政拨款支出" + t, [bt, at], cc)]
        last = self.facts.last_year.sangong
        if last is not None:
            lr = self.fact("last_year.sangong", last)
            ch, c2 = self.change(at, lr, "“三公”经费支出决算")
            r2 = [at, lr]
            t2 = f"“三公”经费支出决算{ch}" + self._reason(at.value - last, self.facts.reasons.sangong, r2, "reasons.sangong")
            sents.append(_Sentence(t2 + "。", r2, c2))
        self.say(s1, sents)
        s2 = Section(heading="（二）“三公”经费财政拨款支出决算具体情况说明", level=3, number="（二）")
        ab, car, rec = self.ref(k, "abroad", "actual"), self.ref(k, "car", "actual"), self.ref(k, "reception", "actual")
        parts, claims = [], []
        for name, r in (("因公出国（境）费", ab), ("公务用车购置及运行费", car), ("公务接待费", rec)):
            sh, c = self.share(name, r, at)
            parts.append(f"{name}支出决算{wan(r.value)}" + (f"，{sh}" if sh else ""))
            claims.append(self.amount_claim(name, r))
            if c:
                claims.append(c)
        self.say(s2, [_Sentence(f"{y}年度“三公”经费财政拨款支出决算中，" + "；".join(parts) + "。具体情况如下：", [at, ab, car, rec], claims)])
        st = self.facts.sangong
        s9 = self.table(TableKind.T09S)

        def cnt(key: str, value: int) -> tuple[str, Ref]:
            if s9 is not None:
                r = self.ref(TableKind.T09S, key, "value")
                return str(int(r.value)), r
            return str(value), self.fact(f"sangong.{key}", Decimal(value))

        g, gr = cnt("abroad_groups", st.abroad_groups)
        p, pr = cnt("abroad_persons", st.abroad_persons)
        self.say(s2, [_Sentence(f"1. 因公出国（境）费支出{wan(ab.value)}，全年使用财政拨款安排因公出国（境）团组{g}个，{p}人次。", [ab, gr, pr],
                                [self.amount_claim("因公出国（境）费", ab), _count("因公出国（境）团组", gr, "个"), _count("因公出国（境）人次", pr, "人次")])])  # fmt: skip
        cp, crun = self.ref(k, "car_purchase", "actual"), self.ref(k, "car_run", "actual")
        n1, n1r = cnt("car_purchased", st.car_purchased)
        v, vr = cnt("vehicles", st.vehicles)
        self.say(s2, [_Sentence(
            f"2. 公务用车购置及运行费支出{wan(car.value)}。其中：公务用车购置费{wan(cp.value)}，购置公务用车{n1}辆；"
            f"公务用车运行费{wan(crun.value)}，截至{y}年12月31日，使用财政拨款开支的公务用车保有量为{v}辆。",
            [car, cp, crun, n1r, vr],
            [self.amount_claim("公务用车购置及运行费", car), self.amount_claim("公务用车购置费", cp),
             self.amount_claim("公务用车运行费", crun), _count("公务用车购置数", n1r, "辆"), _count("公务用车保有量", vr, "辆")],
        )])  # fmt: skip
        b, br = cnt("reception_batches", st.reception_batches)
        pp, ppr = cnt("reception_persons", st.reception_persons)
        self.say(s2, [_Sentence(f"3. 公务接待费支出{wan(rec.value)}，全部为国内公务接待，共接待{b}批次、{pp}人次。", [rec, br, ppr],
                                [self.amount_claim("公务接待费", rec), _count("国内公务接待批次", br, "批次"), _count("国内公务接待人次", ppr, "人次")])])  # fmt: skip
        sec.children = [s1, s2]

    def s_org_running(self, sec: Section) -> None:
        t10 = self.table(TableKind.T10)
        if t10 is not None:
            r = self.ref(TableKind.T10, "total", "amount")
        else:
            r = self.fact("org_running", self.facts.org_running or ZERO)
        text = f"{self.year}年度本部门机关运行经费支出{wan(r.value)}"
        refs, claims = [r], [self.amount_claim("机关运行经费", r)]
        last = self.facts.last_year.org_running
        if last is not None:
            lr = self.fact("last_year.org_running", last)
            ch, cc = self.change(r, lr, "机关运行经费")
            text += f"，{ch}" + self._reason(r.value - last, self.facts.reasons.org_running, refs, "reasons.org_running")
            refs.append(lr)
            claims += cc
        self.say(sec, [_Sentence(text + "。", refs, claims)])

    def s_procurement(self, sec: Section) -> None:
        k = TableKind.T11
        if self.table(k) is None:
            self.say(sec, [_Sentence(f"{self.year}年度本部门没有政府采购支出。", [], [])])
            return
        tot, g, w, s = (self.ref(k, key, "amount") for key in ("total", "goods", "works", "services"))
        sme, sm = self.ref(k, "sme", "amount"), self.ref(k, "small_micro", "amount")
        text = (f"{self.year}年度本部门政府采购支出总额{wan(tot.value)}，其中：政府采购货物支出{wan(g.value)}、"
                f"政府采购工程支出{wan(w.value)}、政府采购服务支出{wan(s.value)}。")  # fmt: skip
        claims = [self.amount_claim(n, r) for n, r in (("政府采购支出总额", tot), ("政府采购货物支出", g), ("政府采购工程支出", w), ("政府采购服务支出", s))]
        t2 = f"授予中小企业合同金额{wan(sme.value)}"
        c2 = [self.amount_claim("授予中小企业合同金额", sme), self.amount_claim("授予小微企业合同金额", sm)]
        sh, c = self.share("授予中小企业合同金额占政府采购支出总额", sme, tot)
        if sh:
            t2 += f"，{sh.replace('占', '占政府采购支出总额的')}"
            c2.append(c) if c else None
        t2 += f"，其中：授予小微企业合同金额{wan(sm.value)}"
        sh, c = self.share("授予小微企业合同金额占授予中小企业合同金额", sm, sme)
        if sh:
            t2 += f"，{sh.replace('占', '占授予中小企业合同金额的')}"
            c2.append(c) if c else None
        self.say(sec, [_Sentence(text, [tot, g, w, s], claims), _Sentence(t2 + "。", [sme, sm, tot], c2)])

    def s_assets(self, sec: Section) -> None:
        a = self.facts.assets
        text = f"截至{self.year}年12月31日，本部门共有车辆{a.vehicles}辆"
        if a.vehicle_kinds:
            text += "，其中：" + "、".join(f"{k}{v}辆" for k, v in a.vehicle_kinds.items())
        text += f"；单价100万元（含）以上设备（不含车辆）{a.equipment_over_1m}台（套）。"
        refs = [self.fact("assets.vehicles", Decimal(a.vehicles)), self.fact("assets.equipment_over_1m", Decimal(a.equipment_over_1m))]
        self.say(sec, [_Sentence(text, refs, [_count("车辆", refs[0], "辆"), _count("单价100万元（含）以上设备", refs[1], "台（套）")])])

    def s_performance(self, sec: Section) -> None:
        projects = self.facts.performance
        perf_tables = self.doc.tables_of(TableKind.PERF_PROJECT)
        s1 = Section(heading="（一）绩效评价工作开展情况", level=3, number="（一）")
        if not projects:
            self.say(s1, [_Sentence(f"{self.year}年度本部门未开展项目支出绩效自评。", [], [])])
            sec.children = [s1]
            return
        total = sum((p.budget_year for p in projects), ZERO)
        self.say(s1, [_Sentence(
            f"根据预算绩效管理要求，本部门组织对{self.year}年度{len(projects)}个项目支出开展了绩效自评，共涉及资金{wan(total)}，自评覆盖率为100%。",
            [self.fact("performance", total)], [])])  # fmt: skip
        s2 = Section(heading="（二）项目绩效自评结果", level=3, number="（二）")
        for i, (p, t) in enumerate(zip(projects, perf_tables, strict=False)):
            idx = self.doc.table_index(t)

            def fb(key: str, t: Table = t, idx: int = idx) -> Ref:
                c = t.fields.get(key)
                return Ref(c.amount if c else ZERO, Binding(table=TableKind.PERF_PROJECT, table_index=idx, row="fields", column=key))

            by, ay, sc, rate = fb("budget_year"), fb("actual_year"), fb("total_score"), fb("exec_rate")
            text = f"{i + 1}. {p.name}项目：根据年初设定的绩效目标，项目自评得分{_plain(sc.value)}分。全年预算数为{wan(by.value)}，执行数为{wan(ay.value)}"
            claims = [self.amount_claim(f"{p.name}全年预算数", by), self.amount_claim(f"{p.name}全年执行数", ay)]
            if by.value != 0:
                r = pct(ay.value, by.value, self.places)
                text += f"，执行率为{fmt_pct(r)}"
                claims.append(Claim(kind=ClaimKind.COMPLETION, label=f"{p.name}执行率", value=ay.value, unit="万元",
                                    attrs={"budget": by.value, "actual": ay.value, "rate": r}, bindings=[b for b in (by.binding, ay.binding, rate.binding) if b]))  # fmt: skip
            text += "。"
            if p.result:
                text += f"绩效目标完成情况：{_sentence(p.result)}"
            if p.problems:
                text += f"发现的主要问题：{_sentence(p.problems)}"
            if p.measures:
                text += f"下一步改进措施：{_sentence(p.measures)}"
            self.say(s2, [_Sentence(text, [by, ay, sc], claims)])
            s2.table_indices.append(idx)
        sec.children = [s1, s2]

    def s_other(self, sec: Section) -> None:
        if self.facts.other_matters:
            for para in self.facts.other_matters:
                self.say(sec, [_Sentence(_sentence(para), [], [])])
        else:
            self.say(sec, [_Sentence("本部门无其他需要说明的重要事项。", [], [])])


def _count(label: str, r: Ref, unit: str) -> Claim:
    return Claim(kind=ClaimKind.COUNT, label=label, value=r.value, unit=unit, bindings=[r.binding] if r.binding else [])


def _plain(v: Decimal) -> str:
    s = f"{v:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _clause(text: str) -> str:
    t = text.strip().rstrip("。；;，,.")
    for prefix in ("主要原因是", "主要原因：", "主要原因"):
        if t.startswith(prefix):
            t = t[len(prefix):]
    return t


def _sentence(text: str) -> str:
    t = text.strip()
    return t if t.endswith(("。", "！", "？")) else t + "。"


def _subject_path(doc: Disclosure, code: str, label: str) -> str:
    """社会保障和就业支出（类）人力资源和社会保障管理事务（款）社会保险经办机构（项）."""
    names: dict[str, str] = {}
    for t in doc.tables:
        if t.kind in (TableKind.T02, TableKind.T03, TableKind.T05):
            for r in t.rows:
                if r.code and r.label:
                    names.setdefault(r.code, r.label)
    lei = names.get(code[:3]) or schema.FUNCTION_CLASSES.get(code[:3]) or FUNCTION_SUBJECTS.get(code[:3], code[:3])
    kuan = names.get(code[:5]) or FUNCTION_SUBJECTS.get(code[:5], code[:5])
    xiang = label or names.get(code) or FUNCTION_SUBJECTS.get(code, code)
    return f"{lei}（类）{kuan}（款）{xiang}（项）"
