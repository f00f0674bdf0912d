"""A composed budget disclosure (部门预算公开): synthetic budget data consistent by construction,
the budget tables printed with the titles and columns the budget readers recognise, and the
情况说明 written from the same data.

Every amount is drawn in whole 0.01 万元 (百元) and summed exactly in Decimal, so each printed
total equals the sum of its printed parts with no rounding at all: the B rules find nothing on
a composed budget unless a defect is injected into it.
"""

from __future__ import annotations

import html
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..tables.schema import FUNCTION_CLASSES
from .layout import fmt_amount
from .render_html import CSS
from .subjects import ECON_NAMES, cn_num

ZERO = Decimal(0)
CENT = Decimal("0.01")

# 功能分类 科目 of the synthetic department (a 社会保险 agency), names as the national chart prints
FUNCTION_NAMES = {
    "201": "一般公共服务支出", "208": "社会保障和就业支出", "210": "卫生健康支出", "221": "住房保障支出",
    "20801": "人力资源和社会保障管理事务", "2080101": "行政运行", "2080107": "社会保险业务管理事务",
    "2080108": "信息化建设", "2080109": "社会保险经办机构",
    "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出", "2080506": "机关事业单位职业年金缴费支出",
    "20899": "其他社会保障和就业支出", "2089999": "其他社会保障和就业支出",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101103": "公务员医疗补助",
    "22102": "住房改革支出", "2210201": "住房公积金",
}  # fmt: skip
# 项 whose basic expenditure is one 经济分类 item (the rest of the personnel and all public
# expenditure sits on 行政运行 and 社会保险经办机构)
LINKED = {"2080505": "30108", "2080506": "30109", "2101101": "30110", "2101103": "30111", "2210201": "30113"}
PERSONNEL = {  # 万元 ranges of the 人员经费 items
    "30101": (150, 300), "30102": (100, 250), "30103": (20, 80), "30107": (5, 30), "30108": (50, 80),
    "30109": (20, 40), "30110": (20, 40), "30111": (5, 25), "30112": (0.3, 1), "30113": (40, 60),
    "30199": (1, 10), "30302": (1, 50), "30305": (1, 3),
}  # fmt: skip
PUBLIC = {  # 万元 ranges of the 公用经费 items (30215 会议费, 30216 培训费, 30217 公务接待费, 30231 公务用车运行维护费)
    "30201": (3, 10), "30202": (0.2, 5), "30205": (0.1, 1), "30206": (1, 5), "30207": (0.5, 2),
    "30211": (2, 7), "30213": (0.3, 1), "30215": (0.5, 3), "30216": (0.5, 4), "30217": (0.1, 1),
    "30228": (3, 6), "30231": (1, 5), "30239": (1, 5), "30299": (1, 8),
}  # fmt: skip
PROJECTS = {"2080107": (10, 40), "2080108": (20, 80), "2089999": (50, 300)}
OTHER_FUNDED = "2080109"  # a project paid from 事业收入, not from 财政拨款


def _draw(rng: random.Random, lo: float, hi: float) -> Decimal:
    """An amount in 万元 with two decimals, drawn in whole 百元."""
    return Decimal(rng.randint(int(lo * 100), int(hi * 100))) / 100


def _last(rng: random.Random, now: Decimal, lo: int, hi: int) -> Decimal:
    """Last year's amount of ``now``: a ratio lo..hi % of it, never exactly equal (a 与上年持平
    next to a change in one sentence is misattributed by the narrative reader: see the report)."""
    v = (now * Decimal(rng.randint(lo, hi)) / 100).quantize(CENT)
    return v + CENT if v == now else v


def pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP) if whole else ZERO


def shares(parts: list[Decimal], whole: Decimal) -> list[Decimal]:
    """The shares of a complete list of parts, the largest one taking the rounding residue so
    that they add up to exactly 100% (调整尾差, as the printed budgets do)."""
    out = [pct(p, whole) for p in parts]
    if whole and sum(parts, ZERO) == whole:
        big = max(range(len(parts)), key=lambda i: parts[i])
        out[big] += Decimal(100) - sum(out, ZERO)
    return out


@dataclass
class BudgetData:
    """One budget year of a department, all amounts in 万元 (Decimal)."""

    department: str
    year: int
    # 项 code -> (基本支出 人员经费, 基本支出 公用经费, 项目支出), all 一般公共预算财政拨款
    fiscal: dict[str, tuple[Decimal, Decimal, Decimal]]
    # 项 code -> 项目支出 paid from 事业收入
    business: dict[str, Decimal]
    econ: dict[str, Decimal]  # 经济分类 款 -> 财政拨款基本支出
    carry: Decimal  # 上年结转 (财政拨款), spent on projects this year
    last_year: dict[str, Decimal]  # 项 code -> 上年一般公共预算支出预算数
    last_sangong: dict[str, Decimal]
    last_admin: Decimal  # 上年机关运行经费
    procurement: dict[str, Decimal]  # 货物 / 工程 / 服务
    duties: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # 功能分类 names typed in the workbook

    # -- totals --------------------------------------------------------------------------------
    def general(self, code: str | None = None) -> Decimal:
        items = [self.fiscal[code]] if code else list(self.fiscal.values())
        return sum((p + q + r for p, q, r in items), ZERO)

    @property
    def basic(self) -> Decimal:
        return sum((p + q for p, q, _ in self.fiscal.values()), ZERO)

    @property
    def project(self) -> Decimal:
        return sum((r for _, _, r in self.fiscal.values()), ZERO) + self.business_total

    @property
    def business_total(self) -> Decimal:
        return sum(self.business.values(), ZERO)

    @property
    def fiscal_income(self) -> Decimal:
        """一般公共预算拨款收入 of the year (its expense less the 上年结转 spent)."""
        return self.general() - self.carry

    @property
    def total(self) -> Decimal:
        return self.general() + self.business_total

    @property
    def last_total(self) -> Decimal:
        return sum(self.last_year.values(), ZERO)

    @property
    def personnel(self) -> Decimal:
        return sum((v for k, v in self.econ.items() if k[:3] in ("301", "303")), ZERO)

    @property
    def public(self) -> Decimal:
        return sum((v for k, v in self.econ.items() if k[:3] == "302"), ZERO)

    @property
    def sangong(self) -> dict[str, Decimal]:
        s = {
            "abroad": ZERO,
            "car_purchase": ZERO,
            "car_run": self.econ["30231"],
            "reception": self.econ["30217"],
        }
        s["car"] = s["car_purchase"] + s["car_run"]
        s["total"] = s["abroad"] + s["car"] + s["reception"]
        s["meeting"] = self.econ["30215"]
        s["training"] = self.econ["30216"]
        s["grand_total"] = s["total"] + s["meeting"] + s["training"]
        return s

    def by_class(self, values: dict[str, Decimal]) -> dict[str, Decimal]:
        """项 values summed up to their 类 and 款 (keys of 3, 5 and 7 digits)."""
        out: dict[str, Decimal] = {}
        for code, v in values.items():
            for key in (code[:3], code[:5], code):
                out[key] = out.get(key, ZERO) + v
        return dict(sorted(out.items()))


def synth_budget(seed: int = 1, department: str = "示例市社会保险事业管理局", year: int = 2025) -> BudgetData:
    """A synthetic department's budget: 一般公共预算 basic and project expenditure by 功能分类 项,
    the basic expenditure by 经济分类 款 adding up to it, a 事业收入-funded project, an 上年结转,
    last year's budget per 项 and the 三公, 机关运行经费 and 政府采购 derived from the items."""
    rng = random.Random(seed)
    pers = {k: _draw(rng, *r) for k, r in PERSONNEL.items()}
    pub = {k: _draw(rng, *r) for k, r in PUBLIC.items()}
    fiscal: dict[str, tuple[Decimal, Decimal, Decimal]] = {
        c: (pers[e], ZERO, ZERO) for c, e in LINKED.items()
    }
    rest = sum((v for k, v in pers.items() if k not in LINKED.values()), ZERO)
    part = (rest * Decimal("0.6")).quantize(CENT)
    fiscal["2080101"] = (part, sum(pub.values(), ZERO), ZERO)
    fiscal["2080109"] = (rest - part, ZERO, ZERO)
    for code, (lo, hi) in PROJECTS.items():
        p, q, _ = fiscal.get(code, (ZERO, ZERO, ZERO))
        fiscal[code] = (p, q, _draw(rng, lo, hi))
    fiscal = dict(sorted(fiscal.items()))
    econ = {**pers, **pub}
    project_fiscal = sum((r for _, _, r in fiscal.values()), ZERO)
    carry = (project_fiscal * Decimal(rng.randint(5, 20)) / 100).quantize(CENT)
    last_year = {}
    for code in fiscal:
        p, q, r = fiscal[code]
        last_year[code] = _last(rng, p + q + r, 85, 112)
    sangong_now = {
        "car_run": econ["30231"],
        "reception": econ["30217"],
        "meeting": econ["30215"],
        "training": econ["30216"],
    }
    last_sangong = {k: _last(rng, v, 90, 125) for k, v in sangong_now.items()}
    public = sum(pub.values(), ZERO)
    last_admin = _last(rng, public, 90, 115)
    goods = _draw(rng, 5, 30)
    services = _draw(rng, 10, 60)
    return BudgetData(
        department=department,
        year=year,
        fiscal=fiscal,
        business={OTHER_FUNDED: _draw(rng, 5, 20)},
        econ=econ,
        carry=carry,
        last_year=last_year,
        last_sangong=last_sangong,
        last_admin=last_admin,
        procurement={"goods": goods, "works": ZERO, "services": services},
        duties=[
            "贯彻执行国家和省、市有关社会保险的法律法规和政策，承担本地区社会保险经办服务工作。",
            "负责社会保险参保登记、缴费核定、待遇核定与支付、关系转移接续和社会化管理服务等工作。",
        ],
    )


# -- printed tables ------------------------------------------------------------------------------
@dataclass
class BudgetTable:
    """A budget table as printed: title, 公开NN表, header lines, body lines, notes."""

    number: str
    title: str
    header: list[list[str]]
    body: list[list[str]]
    notes: list[str] = field(default_factory=list)


def _a(v: Decimal | None) -> str:
    return fmt_amount(v) if v is not None else ""


def _fname(code: str, names: Mapping[str, str] | None = None) -> str:
    return (names or {}).get(code) or FUNCTION_NAMES.get(code) or FUNCTION_CLASSES.get(code, "")


def _coded(values: Mapping[str, tuple[Decimal, ...]], cols: int, names: Mapping[str, str]) -> list[list[str]]:
    """合计 line and 类/款/项 lines of 项-level amount tuples, each column summed exactly."""
    agg: dict[str, list[Decimal]] = {}
    for code, vs in values.items():
        for key in (code[:3], code[:5], code):
            a = agg.setdefault(key, [ZERO] * cols)
            for i, v in enumerate(vs):
                a[i] += v
    total = [sum((vs[i] for vs in values.values()), ZERO) for i in range(cols)]
    lines = [["", "合计", *(_a(v) for v in total)]]
    for key in sorted(agg):
        lines.append([key, _fname(key, names), *(_a(v) for v in agg[key])])
    return lines


def _econ_lines(values: Mapping[str, tuple[Decimal, ...]], cols: int) -> list[list[str]]:
    """合计 line and 经济分类 类/款 lines (类 summed from its 款)."""
    agg: dict[str, list[Decimal]] = {}
    for code, vs in values.items():
        for key in (code[:3], code):
            a = agg.setdefault(key, [ZERO] * cols)
            for i, v in enumerate(vs):
                a[i] += v
    total = [sum((vs[i] for vs in values.values()), ZERO) for i in range(cols)]
    lines = [["", "合计", *(_a(v) for v in total)]]
    for key in sorted(agg):
        lines.append([key, ECON_NAMES.get(key, ""), *(_a(v) for v in agg[key])])
    return lines


# How the 收支预算总表 is printed: ``side_by_side`` (what ``compose`` writes: income | 功能分类 |
# 支出用途, the 类 the department has), ``jiangsu`` (as the Jiangsu budgets print it: three header
# lines naming the 功能分类 and 支出用途 groups, every 类 of the chart listed and blank where there
# is none, 单位预留机动经费 among the uses, the year's 小计 across both expense groups) and
# ``national`` (the national template: income | 功能分类 only, 本年收入合计, 上年结转结余, 收入总计).
SUMMARY_LAYOUTS = ("side_by_side", "jiangsu", "national")


def _two_sided(d: BudgetData, fiscal_only: bool, layout: str = "side_by_side") -> list[list[str]]:
    """收支预算总表 (fiscal_only: 财政拨款收支预算总表): income | 功能分类 | 支出用途, each with its amount."""
    if fiscal_only:
        income = [("一、一般公共预算拨款收入", d.fiscal_income), ("二、政府性基金预算拨款收入", None)]
        carry_label = "上年结转"
        spend = {c: p + q + r for c, (p, q, r) in d.fiscal.items()}
        uses: list[tuple[str, Decimal | None]] = [
            ("一、基本支出", d.basic),
            ("二、项目支出", d.project - d.business_total),
        ]
    else:
        income = [
            ("一、财政拨款", d.fiscal_income), ("1.一般公共预算", d.fiscal_income), ("2.政府性基金预算", None),
            ("二、事业收入", d.business_total), ("三、其他收入", None),
        ]  # fmt: skip
        carry_label = "上年结转资金"
        spend = {c: d.general(c) + d.business.get(c, ZERO) for c in d.fiscal}
        uses = [("一、基本支出", d.basic), ("二、项目支出", d.project)]
    by_class = {k: v for k, v in d.by_class(spend).items() if len(k) == 3}
    classes: list[tuple[str, Decimal | None]] = [
        (f"{cn_num(i + 1)}、{_fname(c, d.names)}", v) for i, (c, v) in enumerate(by_class.items())
    ]
    year_income = d.fiscal_income + (ZERO if fiscal_only else d.business_total)
    year_spend = sum(spend.values(), ZERO)
    if layout == "jiangsu" and not fiscal_only:
        income = [
            ("一、财政拨款", d.fiscal_income), ("1.一般公共预算", d.fiscal_income), ("2.政府性基金预算", None),
            ("二、财政专户管理资金", None), ("三、其他资金", d.business_total),
        ]  # fmt: skip
        classes = [
            (f"{cn_num(i + 1)}、{name}", by_class.get(code))
            for i, (code, name) in enumerate(FUNCTION_CLASSES.items())
        ]
        uses = [*uses, ("三、单位预留机动经费", None)]
    if layout == "national" and not fiscal_only:
        income = [
            ("一、一般公共预算拨款收入", d.fiscal_income), ("二、政府性基金预算拨款收入", None),
            ("三、国有资本经营预算拨款收入", None), ("四、财政专户管理资金收入", None),
            ("五、事业收入", d.business_total), ("六、事业单位经营收入", None), ("七、其他收入", None),
        ]  # fmt: skip
        lines = []
        for i in range(max(len(income), len(classes))):
            a, av = income[i] if i < len(income) else ("", None)
            b, bv = classes[i] if i < len(classes) else ("", None)
            lines.append([a, _a(av), b, _a(bv)])
        lines.append(["本年收入合计", _a(year_income), "本年支出合计", _a(year_spend)])
        lines.append(["上年结转结余", _a(d.carry), "结转下年", ""])
        lines.append(["收入总计", _a(year_income + d.carry), "支出总计", _a(year_spend)])
        return lines
    n = max(len(income), len(classes), len(uses))
    lines = []
    for i in range(n):
        line = []
        for side in (income, classes, uses):
            lab, v = side[i] if i < len(side) else ("", None)
            line += [lab, _a(v)]
        lines.append(line)
    if layout == "jiangsu" and not fiscal_only:
        # the year's 小计, 结转 and 合计 of the expense side span both groups, their amount at the right
        lines.append(["当年收入小计", _a(year_income), "当年支出小计", "", "", _a(year_spend)])
        lines.append(["上年结转资金", _a(d.carry), "结转下年资金", "", "", ""])
        lines.append(["收入合计", _a(year_income + d.carry), "支出合计", "", "", _a(year_spend)])
        return lines
    lines.append(["当年收入小计", _a(year_income), "当年支出小计", _a(year_spend), "", ""])
    lines.append([carry_label, _a(d.carry), "结转下年资金", "", "", ""])
    lines.append(["收入合计", _a(year_income + d.carry), "支出合计", _a(year_spend), "", ""])
    return lines


def _summary_header(layout: str) -> list[list[str]]:
    if layout == "jiangsu":
        return [
            ["收入", "", "支出", "", "", ""],
            ["项目名称", "金额", "功能分类", "", "支出用途", ""],
            ["", "", "功能科目名称", "金额", "项目名称", "金额"],
        ]
    if layout == "national":
        return [["收入", "", "支出", ""], ["项目", "预算数", "项目（按功能分类）", "预算数"]]
    return [
        ["收入", "", "支出", "", "", ""],
        ["项目", "预算数", "项目（按功能分类）", "预算数", "项目（按支出用途）", "预算数"],
    ]


def budget_tables(d: BudgetData, layout: str = "side_by_side") -> list[BudgetTable]:
    """The budget tables of the national/Jiangsu template, in the order the departments print them
    (``layout``: how the 收支预算总表 is printed, one of :data:`SUMMARY_LAYOUTS`)."""
    if layout not in SUMMARY_LAYOUTS:
        raise ValueError(f"未知的收支预算总表版式：{layout}")
    y = d.year
    general = {c: (p + q + r, p + q, r) for c, (p, q, r) in d.fiscal.items()}
    # the 一般公共预算 table prints last year's budget beside this year's (the narrative compares them)
    general_last = {c: (*v, d.last_year.get(c, ZERO)) for c, v in general.items()}
    all_spend = {
        c: (p + q + r + d.business.get(c, ZERO), p + q, r + d.business.get(c, ZERO))
        for c, (p, q, r) in d.fiscal.items()
    }
    income = {
        c: (p + q + r + d.business.get(c, ZERO), p + q + r, d.business.get(c, ZERO))
        for c, (p, q, r) in d.fiscal.items()
    }
    basic_econ = {
        k: (v, v if k[:3] in ("301", "303") else ZERO, v if k[:3] == "302" else ZERO)
        for k, v in d.econ.items()
    }
    admin = {k: (v,) for k, v in d.econ.items() if k[:3] == "302"}
    s = d.sangong
    head_two = [
        ["收入", "", "支出", "", "", ""],
        ["项目", "预算数", "项目（按功能分类）", "预算数", "项目（按支出用途）", "预算数"],
    ]
    head_coded = ["科目编码", "科目名称"]
    empty_fund = f"注：本部门{y}年度没有政府性基金预算拨款安排的支出，故本表无数据。"
    tables = [
        BudgetTable("公开01表", "收支预算总表", _summary_header(layout), _two_sided(d, False, layout)),
        BudgetTable(
            "公开02表",
            "收入预算总表",
            [[*head_coded, "合计", "一般公共预算", "事业收入"]],
            _coded(income, 3, d.names),
            notes=[f"注：上年结转资金{fmt_amount(d.carry)}万元列于收支预算总表。"],
        ),
        BudgetTable(
            "公开03表",
            "支出预算总表",
            [[*head_coded, "合计", "基本支出", "项目支出"]],
            _coded(all_spend, 3, d.names),
        ),
        BudgetTable("公开04表", "财政拨款收支预算总表", head_two, _two_sided(d, True)),
        BudgetTable(
            "公开05表",
            "财政拨款支出预算表",
            [[*head_coded, "合计", "基本支出", "项目支出"]],
            _coded(general, 3, d.names),
        ),
        BudgetTable(
            "公开06表",
            "财政拨款基本支出预算表",
            [[*head_coded, "合计", "人员经费", "公用经费"]],
            _econ_lines(basic_econ, 3),
        ),
        BudgetTable(
            "公开07表",
            "一般公共预算支出预算表",
            [[*head_coded, "合计", "基本支出", "项目支出", "上年预算数"]],
            _coded(general_last, 4, d.names),
        ),
        BudgetTable(
            "公开08表",
            "一般公共预算基本支出预算表",
            [[*head_coded, "合计", "人员经费", "公用经费"]],
            _econ_lines(basic_econ, 3),
        ),
        BudgetTable(
            "公开09表",
            "政府性基金预算支出预算表",
            [[*head_coded, "合计", "基本支出", "项目支出"]],
            [["", "合计", "", "", ""]],
            notes=[empty_fund],
        ),
        BudgetTable(
            "公开10表",
            "一般公共预算“三公”经费支出预算表",
            [
                [
                    "合计",
                    "“三公”经费小计",
                    "因公出国（境）费",
                    "公务用车购置及运行维护费",
                    "公务用车购置费",
                    "公务用车运行维护费",
                    "公务接待费",
                    "会议费",
                    "培训费",
                ]
            ],
            [
                [
                    _a(s[k])
                    for k in (
                        "grand_total",
                        "total",
                        "abroad",
                        "car",
                        "car_purchase",
                        "car_run",
                        "reception",
                        "meeting",
                        "training",
                    )
                ]
            ],
        ),
        BudgetTable(
            "公开11表",
            "一般公共预算机关运行经费支出预算表",
            [[*head_coded, "机关运行经费"]],
            _econ_lines(admin, 1),
        ),
        BudgetTable(
            "公开12表",
            "政府采购预算表",
            [["采购品目", "金额"]],
            [
                ["合计", _a(sum(d.procurement.values(), ZERO))],
                ["货物", _a(d.procurement["goods"])],
                ["工程", _a(d.procurement["works"] or None)],
                ["服务", _a(d.procurement["services"])],
            ],
        ),  # fmt: skip
    ]
    return tables


# -- 情况说明 -------------------------------------------------------------------------------------
def _change(now: Decimal, last: Decimal, what: str) -> str:
    """与上年相比 sentence tail: 增加/减少 X 万元，增长/下降 Y%."""
    diff = now - last
    if diff == 0:
        return "与上年持平"
    word, rate_word = ("增加", "增长") if diff > 0 else ("减少", "下降")
    return f"与上年相比{word}{fmt_amount(abs(diff))}万元，{rate_word}{pct(abs(diff), last)}%"


def narrative(d: BudgetData) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of the 情况说明, every number computed from ``d``."""
    y = d.year
    total = d.total  # 收入合计 = 当年收入 + 上年结转 = 支出合计
    gen = d.general()
    s = d.sangong
    last_s = d.last_sangong
    last_sg_total = last_s["car_run"] + last_s["reception"]
    procurement = sum(d.procurement.values(), ZERO)
    inc = shares([d.fiscal_income, d.business_total, d.carry], total)
    exp = shares([d.basic, d.project], total)
    out = [
        ("一、收支预算总体情况", [
            f"按照综合预算的原则，{d.department}所有收入和支出均纳入部门预算管理。{y}年度收入总计{fmt_amount(total)}万元，"
            f"支出总计{fmt_amount(total)}万元。",
            f"{y}年度收入预算合计{fmt_amount(total)}万元，其中：一般公共预算拨款收入{fmt_amount(d.fiscal_income)}万元，"
            f"占{inc[0]}%；事业收入{fmt_amount(d.business_total)}万元，"
            f"占{inc[1]}%；上年结转资金{fmt_amount(d.carry)}万元，"
            f"占{inc[2]}%。",
            f"{y}年度支出预算合计{fmt_amount(total)}万元，其中：基本支出{fmt_amount(d.basic)}万元，"
            f"占{exp[0]}%；项目支出{fmt_amount(d.project)}万元，"
            f"占{exp[1]}%。",
        ]),
        ("二、一般公共预算支出预算情况", [
            f"{d.department}{y}年度一般公共预算支出预算{fmt_amount(gen)}万元，{_change(gen, d.last_total, '一般公共预算支出')}。"
            f"其中：基本支出{fmt_amount(d.basic)}万元，项目支出{fmt_amount(gen - d.basic)}万元。",
            "按支出功能分类科目，" + "，".join(
                f"{_fname(c, d.names)}（类）{fmt_amount(v)}万元" for c, v in d.by_class(
                    {k: p + q + r for k, (p, q, r) in d.fiscal.items()}).items() if len(c) == 3
            ) + "。",
        ]),
        ("三、“三公”经费预算情况", [
            f"{y}年度一般公共预算“三公”经费预算{fmt_amount(s['total'])}万元，{_change(s['total'], last_sg_total, '三公')}。"
            f"其中：因公出国（境）费0万元；公务用车购置及运行维护费{fmt_amount(s['car'])}万元，"
            f"{_change(s['car'], last_s['car_run'], '公务用车')}；公务接待费{fmt_amount(s['reception'])}万元，"
            f"{_change(s['reception'], last_s['reception'], '公务接待')}。",
            f"{y}年度会议费预算{fmt_amount(s['meeting'])}万元，{_change(s['meeting'], last_s['meeting'], '会议费')}；"
            f"培训费预算{fmt_amount(s['training'])}万元，{_change(s['training'], last_s['training'], '培训费')}。",
        ]),
        ("四、机关运行经费预算情况", [
            f"{y}年度{d.department}机关运行经费预算{fmt_amount(d.public)}万元，{_change(d.public, d.last_admin, '机关运行经费')}。",
        ]),
        ("五、政府采购预算情况", [
            f"{y}年度{d.department}政府采购预算总额{fmt_amount(procurement)}万元，其中：政府采购货物预算"
            f"{fmt_amount(d.procurement['goods'])}万元，政府采购服务预算{fmt_amount(d.procurement['services'])}万元。",
        ]),
    ]  # fmt: skip
    return out


# -- the whole document --------------------------------------------------------------------------
def _heading_lines(d: BudgetData) -> tuple[list[str], list[tuple[str, list[str]]]]:
    cover = [d.department, f"{d.year}年度部门预算"]
    return cover, narrative(d)


def render_budget_txt(
    d: BudgetData, tables: list[BudgetTable] | None = None, parts: list[tuple[str, list[str]]] | None = None
) -> str:
    """The budget disclosure as text: cover, 目录, 部门概况, the tables (title, 公开NN表, 部门 and
    单位 lines, tab-separated lines), 情况说明."""
    y = d.year
    cover, written = _heading_lines(d)
    parts = written if parts is None else parts  # the quality bench prints its own edited copies
    tables = budget_tables(d) if tables is None else tables
    out = [*cover, ""]
    out += [
        "目 录",
        "",
        "第一部分 部门概况",
        "第二部分 " + f"{y}年部门预算表",
        "第三部分 " + f"{y}年部门预算情况说明",
        "",
    ]
    out += ["第一部分 部门概况", "", "一、部门职责", ""]
    for p in d.duties:
        out += [p, ""]
    out += [f"第二部分 {y}年部门预算表", ""]
    for t in tables:
        out += [t.title, "", t.number, "", f"部门：{d.department}", "", "单位：万元", ""]
        out += ["\t".join(r) for r in [*t.header, *t.body]]
        for n in t.notes:
            out += ["", n]
        out.append("")
    out += [f"第三部分 {y}年部门预算情况说明", ""]
    for heading, paras in parts:
        out += [heading, ""]
        for p in paras:
            out += [p, ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _num_class(text: str) -> str:
    return ' class="num"' if text and text.replace(",", "").replace(".", "").isdigit() else ""


def render_budget_html(d: BudgetData) -> str:
    """The budget disclosure as one HTML page in the 决算 composer's print style (each table on its
    own landscape page, ruled cells), so that WeasyPrint lays out the same page as a PDF."""
    y = d.year
    cover, parts = _heading_lines(d)
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{e(d.department)}{y}年度部门预算</title><style>{CSS}</style></head><body>",
        f'<div class="cover"><div class="dept">{e(cover[0])}</div><div class="what">{e(cover[1])}</div></div>',
        '<div class="part"><h1>第一部分 部门概况</h1><h2>一、部门职责</h2>',
    ]
    out += [f"<p>{e(p)}</p>" for p in d.duties]
    out.append(f'</div><div class="part"><h1>第二部分 {y}年部门预算表</h1></div>')
    for t in budget_tables(d):
        out += [
            '<div class="tblsec wide"><div class="tbl">',
            f'<div class="title">{e(t.title)}</div>',
            f'<div class="meta"><span>部门：{e(d.department)}</span><span>{e(t.number)}</span><span>单位：万元</span></div>',
            "<table>",
        ]
        for r in t.header:
            out.append("<tr>" + "".join(f"<th>{e(c)}</th>" for c in r) + "</tr>")
        for r in t.body:
            out.append("<tr>" + "".join(f"<td{_num_class(c)}>{e(c)}</td>" for c in r) + "</tr>")
        out.append("</table>")
        out += [f'<p class="note">{e(n)}</p>' for n in t.notes]
        out.append("</div></div>")
    out.append(f'<div class="part"><h1>第三部分 {y}年部门预算情况说明</h1>')
    for heading, paras in parts:
        out.append(f"<h2>{e(heading)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in paras]
    out.append("</div></body></html>")
    return "\n".join(out) + "\n"
