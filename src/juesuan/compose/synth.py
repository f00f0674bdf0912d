"""A synthetic but realistic department: tables consistent across 01–11 and matching facts.

Amounts are drawn in 分 (integers), summed exactly, and every printed value is rounded from 元 to
万元 on its own, so sums of printed parts differ from printed totals by honest rounding only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..model import AmountUnit, Cell, Column, Row, Table, TableKind
from ..tables import schema
from .facts import Assets, BudgetItem, Facts, Indicator, LastYear, PerfProject, Reasons, Sangong, Staff
from .subjects import ECON_NAMES, FUNCTION_SUBJECTS, T01_CLASS_ORDER, T06_GROUPS, T10_CODES

WAN = 1_000_000  # 分 per 万元


def wan(fen: int) -> Decimal:
    """Round an amount in 分 to 万元 with two decimals (half-up), as the 决算 software prints."""
    return (Decimal(fen) / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _cell(fen: int | None) -> Cell:
    if not fen:
        return Cell(raw="", value=None)
    v = wan(fen)
    return Cell(raw=f"{v:,.2f}", value=v)


PERSONNEL_RANGES = {  # 万元 ranges
    "30101": (150, 300), "30102": (100, 250), "30103": (20, 80), "30107": (5, 30), "30108": (50, 80),
    "30109": (20, 40), "30110": (20, 40), "30111": (5, 25), "30112": (0.3, 1), "30113": (40, 60),
    "30199": (1, 10), "30302": (0, 50), "30305": (1, 3), "30307": (0, 10),
}  # fmt: skip
PUBLIC_RANGES = {
    "30201": (3, 10), "30202": (0.2, 5), "30205": (0.1, 1), "30206": (1, 5), "30207": (0.5, 2),
    "30208": (2, 16), "30211": (2, 7), "30213": (0.3, 1), "30217": (0.1, 1), "30226": (0.5, 2),
    "30228": (3, 6), "30231": (1, 5), "30239": (1, 5), "30299": (1, 8), "31002": (0.2, 2),
}  # fmt: skip
PROJECT_RANGES = {"2080107": (1, 5), "2080108": (10, 20), "2080109": (10, 30), "2080705": (5, 12), "2089999": (50, 300)}
# 功能分类 项 that carry a 经济分类 item one to one (basic expenditure).
LINKED = {"2080505": ["30108"], "2080506": ["30109"], "2101101": ["30110"], "2101103": ["30111"], "2210201": ["30113"]}



@dataclass(frozen=True)
class Profile:
    """The shape of a synthetic department's 功能分类 tree (the default: a 社会保险 agency).

    ``admin`` carries the basic expenditure not linked to a 经济分类 item (personnel and all
    public), ``second`` a share of the personnel; ``projects`` are drawn from their ranges (万元);
    ``other_funded`` also spends 其他收入; ``carry_up``/``carry_down`` take more/less 财政拨款
    than they spend; ``unbudgeted`` has no 年初预算; ``perf`` are the two 绩效自评 projects
    (code, name). ``names`` names codes the composer's subject list lacks.
    """

    admin: str = "2080101"
    second: str = "2080109"
    projects: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(PROJECT_RANGES))
    other_funded: str = "2080109"
    carry_up: str = "2089999"
    carry_down: str = "2080705"
    unbudgeted: str = "2080108"
    perf: tuple[tuple[str, str], ...] = (("2089999", "企业退休人员一次性生活补助"), ("2080108", "社会保险信息系统运行维护"))
    names: dict[str, str] = field(default_factory=dict)
    duties: tuple[str, ...] = (
        "贯彻执行国家和省、市有关社会保险的法律法规和政策，承担本地区社会保险经办服务工作。",
        "负责社会保险参保登记、缴费核定、待遇核定与支付、关系转移接续和社会化管理服务等工作。",
    )
    institutions: str = "本部门内设办公室、财务科、待遇审核科、信息档案科4个科室。"
    scale: float = 1.0  # amounts of projects multiplied by this (department size)


PROFILES: dict[str, Profile] = {
    "social_insurance": Profile(),
    "education": Profile(
        admin="2050101", second="2080501",
        projects={"2050102": (5, 20), "2050199": (10, 40), "2050201": (30, 120), "2050202": (100, 500), "2050203": (80, 400)},
        other_funded="2050202", carry_up="2050202", carry_down="2050102", unbudgeted="2050199",
        perf=(("2050202", "义务教育学校公用经费保障"), ("2050199", "教育信息化平台运行维护")),
        names={"20501": "教育管理事务", "2050101": "行政运行", "2050102": "一般行政管理事务", "2050199": "其他教育管理事务支出",
               "20502": "普通教育", "2050201": "学前教育", "2050202": "小学教育", "2050203": "初中教育"},
        duties=("贯彻执行国家和省、市有关教育工作的方针政策和法律法规，统筹管理本地区各级各类教育。",
                "负责本地区义务教育均衡发展和学前教育的规划与管理，指导学校教育教学和教师队伍建设。"),
        institutions="本部门内设办公室、计划财务科、基础教育科、人事科、督导室5个科室。",
        scale=2.5,
    ),
    "forestry": Profile(
        admin="2130201", second="2080501",
        projects={"2130202": (5, 15), "2130234": (30, 150), "2130299": (10, 60)},
        other_funded="2130299", carry_up="2130234", carry_down="2130202", unbudgeted="2130299",
        perf=(("2130234", "森林草原防火能力提升"), ("2130299", "林业有害生物防治")),
        names={"21302": "林业和草原", "2130201": "行政运行", "2130202": "一般行政管理事务", "2130234": "林业草原防灾减灾",
               "2130299": "其他林业和草原支出"},
        duties=("贯彻执行国家和省、市有关林业和草原的方针政策和法律法规，负责本地区林业和草原及其生态保护修复的监督管理。",
                "负责森林草原防火、林业有害生物防治和野生动植物保护工作。"),
        institutions="本部门内设办公室、资源管理科、生态保护修复科、森林草原防火科4个科室。",
        scale=0.6,
    ),
}  # fmt: skip

REASONS_UP = ["人员工资标准调整，工资福利支出相应增加", "年度中追加了专项业务经费", "业务量增加，相关支出随之增加"]
REASONS_DOWN = ["严格落实过紧日子要求，压减一般性支出", "部分项目按进度支付，资金尚未全部支出", "人员减少，相关支出随之减少"]


def _fen(rng: random.Random, lo: float, hi: float) -> int:
    return rng.randint(int(lo * WAN), int(hi * WAN))


def _coded_table(kind: TableKind, cols: list[str], values: dict[str, dict[str, int]], names: dict[str, str] | None = None) -> Table:
    """Rows 类/款/项 from 项-level values in 分 (summed exactly), plus the 合计 row."""
    agg: dict[str, dict[str, int]] = {}
    for code, cv in values.items():
        for key in (code[:3], code[:5], code):
            a = agg.setdefault(key, {})
            for c, v in cv.items():
                a[c] = a.get(c, 0) + v
    total: dict[str, int] = {}
    for cv in values.values():
        for c, v in cv.items():
            total[c] = total.get(c, 0) + v
    rows = [Row(key="total", label="合计", cells={c: _cell(total.get(c)) for c in cols})]
    for key in sorted(agg):
        label = (names or {}).get(key) or FUNCTION_SUBJECTS[key]
        rows.append(Row(key=key, code=key, label=label, cells={c: _cell(agg[key].get(c)) for c in cols}))
    return Table(kind=kind, unit=AmountUnit.WAN_YUAN, rows=rows,
                 columns=[Column(key=c, label=schema.column_label(kind, c)) for c in cols])  # fmt: skip


def synth(seed: int = 1, department: str = "示例市社会保险事业管理局", year: int = 2024,
          profile: Profile | None = None) -> tuple[list[Table], Facts]:  # fmt: skip
    """Tables 01–11 and facts of a synthetic department; ``profile`` varies the 功能分类 tree
    (the default profile gives exactly the department this function always made)."""
    pf = profile or Profile()
    rng = random.Random(seed)
    pers = {k: _fen(rng, *r) for k, r in PERSONNEL_RANGES.items()}
    pub = {k: _fen(rng, *r) for k, r in PUBLIC_RANGES.items()}
    # basic expenditure by 功能分类 项: (personnel, public)
    basic: dict[str, tuple[int, int]] = {code: (sum(pers[e] for e in econ), 0) for code, econ in LINKED.items()}
    linked = {e for econ in LINKED.values() for e in econ}
    rest = sum(v for k, v in pers.items() if k not in linked)
    part = rest * 6 // 10
    basic[pf.admin] = (part, sum(pub.values()))
    basic[pf.second] = (rest - part, 0)
    project = {code: _fen(rng, lo * pf.scale, hi * pf.scale) for code, (lo, hi) in pf.projects.items()}
    other_project = {pf.other_funded: _fen(rng, 5 * pf.scale, 20 * pf.scale)}  # spent from 其他收入
    codes = sorted(set(basic) | set(project))
    # T05 (一般公共预算财政拨款) and T03 (all funds)
    t05v = {}
    t03v = {}
    for code in codes:
        p, q = basic.get(code, (0, 0))
        pr = project.get(code, 0)
        t05v[code] = {"total": p + q + pr, "basic": p + q, "personnel": p, "public": q, "project": pr}
        op = other_project.get(code, 0)
        t03v[code] = {"total": p + q + pr + op, "basic": p + q, "project": pr + op}
    # income: fiscal income = fiscal expense + carry (unspent project money), other = other expense
    carry = {pf.carry_up: _fen(rng, 5, 20), pf.carry_down: -_fen(rng, 1, 3)}
    t02v = {}
    for code in codes:
        fiscal = t05v[code]["total"] + carry.get(code, 0)
        other = other_project.get(code, 0)
        t02v[code] = {"total": fiscal + other, "fiscal": fiscal, "other": other}
    t02 = _coded_table(TableKind.T02, list(schema.T02_COLUMNS), t02v, pf.names)
    t03 = _coded_table(TableKind.T03, list(schema.T03_COLUMNS), t03v, pf.names)
    t05 = _coded_table(TableKind.T05, list(schema.T05_COLUMNS), t05v, pf.names)
    fiscal_income = sum(v["fiscal"] for v in t02v.values())
    other_income = sum(v["other"] for v in t02v.values())
    fiscal_exp = sum(v["total"] for v in t05v.values())
    all_exp = sum(v["total"] for v in t03v.values())
    begin = _fen(rng, 50, 150)
    end = begin + fiscal_income - fiscal_exp
    by_class_all: dict[str, int] = {}
    by_class_fiscal: dict[str, int] = {}
    for code in codes:
        by_class_all[code[:3]] = by_class_all.get(code[:3], 0) + t03v[code]["total"]
        by_class_fiscal[code[:3]] = by_class_fiscal.get(code[:3], 0) + t05v[code]["total"]
    # T01
    inc = {"inc_general_budget": fiscal_income, "inc_other": other_income}
    rows01 = [Row(key=k, side="income", label=schema.T01_INCOME_ROWS[k], cells={"amount": _cell(inc.get(k))}) for k in schema.T01_INCOME_PARTS]
    rows01 += [Row(key=c, code=c, side="expense", label=FUNCTION_SUBJECTS[c], cells={"amount": _cell(by_class_all.get(c))}) for c in T01_CLASS_ORDER]
    tail01 = {
        ("inc_total_year", "income"): fiscal_income + other_income, ("inc_use_balance", "income"): 0,
        ("inc_begin_balance", "income"): begin, ("inc_grand_total", "income"): fiscal_income + other_income + begin,
        ("exp_total_year", "expense"): all_exp, ("exp_distribution", "expense"): 0,
        ("exp_end_balance", "expense"): end, ("exp_grand_total", "expense"): all_exp + end,
    }  # fmt: skip
    rows01 += [Row(key=k, side=s, label=schema.row_label(TableKind.T01, k), cells={"amount": _cell(v)}) for (k, s), v in tail01.items()]
    t01 = Table(kind=TableKind.T01, rows=rows01, columns=[Column(key="amount", label="金额")])
    # T04
    rows04 = [Row(key=k, side="income", label=schema.T04_INCOME_ROWS[k], cells={"amount": _cell(fiscal_income if k == "inc_general_budget" else 0)})
              for k in schema.T04_INCOME_PARTS]  # fmt: skip

    def four(v: int) -> dict[str, Cell]:
        return {"total": _cell(v), "general": _cell(v), "fund": _cell(0), "capital": _cell(0)}

    rows04 += [Row(key=c, code=c, side="expense", label=FUNCTION_SUBJECTS[c], cells=four(by_class_fiscal.get(c, 0))) for c in T01_CLASS_ORDER]
    for k, v in (("inc_total_year", fiscal_income), ("inc_begin_balance", begin), ("inc_begin_general", begin),
                 ("inc_begin_fund", 0), ("inc_begin_capital", 0), ("inc_grand_total", fiscal_income + begin)):  # fmt: skip
        rows04.append(Row(key=k, side="income", label=schema.T04_INCOME_ROWS[k], cells={"amount": _cell(v)}))
    for k, v in (("exp_total_year", fiscal_exp), ("exp_end_balance", end), ("exp_grand_total", fiscal_exp + end)):
        rows04.append(Row(key=k, side="expense", label=schema.T04_EXPENSE_ROWS[k], cells=four(v)))
    t04 = Table(kind=TableKind.T04, rows=rows04, columns=[Column(key=k, label=v) for k, v in schema.T04_COLUMNS.items()])
    # T06
    items = {**pers, **pub}
    rows06: list[Row] = []
    cls_sum: dict[str, int] = {}
    for code, v in items.items():
        cls_sum[code[:3]] = cls_sum.get(code[:3], 0) + v
    for side, group in T06_GROUPS:
        for code in group:
            v = cls_sum.get(code, 0) if len(code) == 3 else items.get(code, 0)
            rows06.append(Row(key=code, code=code, side=side, label=ECON_NAMES[code], cells={"amount": _cell(v)}))
    pt = cls_sum.get("301", 0) + cls_sum.get("303", 0)
    qt = sum(v for k, v in cls_sum.items() if k not in ("301", "303"))
    rows06.append(Row(key="personnel_total", label="人员经费合计", cells={"amount": _cell(pt)}))
    rows06.append(Row(key="public_total", label="公用经费合计", cells={"amount": _cell(qt)}))
    t06 = Table(kind=TableKind.T06, rows=rows06, columns=[Column(key="amount", label="决算数")])
    # T07 / T08: no such funds
    empty_cols = list(schema.T07_COLUMNS)
    t07 = Table(kind=TableKind.T07, rows=[Row(key="total", label="合计", cells={c: Cell() for c in empty_cols})])
    t08 = Table(kind=TableKind.T08, rows=[Row(key="total", label="合计", cells={c: Cell() for c in empty_cols})])
    # T09 三公: 公务接待 and 公务用车运行 from the basic expenditure items
    actual = {"abroad": 0, "car_purchase": 0, "car_run": pub["30231"], "reception": pub["30217"]}
    budget = {k: (0 if v == 0 else (v * rng.randint(100, 130) // 100 // 10000 + 1) * 10000) for k, v in actual.items()}
    rows09 = []
    for k in ("total", "abroad", "car", "car_purchase", "car_run", "reception"):
        def val(d: dict[str, int], k: str = k) -> int:
            if k == "total":
                return sum(d.values())
            if k == "car":
                return d["car_purchase"] + d["car_run"]
            return d[k]

        rows09.append(Row(key=k, label=schema.T09_ROWS[k], cells={"budget": _cell(val(budget)), "actual": _cell(val(actual))}))
    t09 = Table(kind=TableKind.T09, rows=rows09, columns=[Column(key="budget", label="预算数"), Column(key="actual", label="决算数")])
    # T10 机关运行经费 = 公用经费 (a purely administrative department)
    rows10 = [Row(key="total", label="合计", cells={"amount": _cell(qt)})]
    for code in T10_CODES:
        v = cls_sum.get(code, 0) if len(code) == 3 else pub.get(code, 0)
        rows10.append(Row(key=code, code=code, label=ECON_NAMES[code], cells={"amount": _cell(v)}))
    t10 = Table(kind=TableKind.T10, rows=rows10, columns=[Column(key="amount", label="金额")])
    # T11 政府采购
    goods, services = _fen(rng, 5, 30), _fen(rng, 0, 20)
    total_p = goods + services
    sme = total_p * rng.randint(60, 90) // 100
    small = sme * rng.randint(50, 90) // 100
    pv = {"total": total_p, "goods": goods, "works": 0, "services": services, "sme": sme, "small_micro": small}
    t11 = Table(kind=TableKind.T11, rows=[Row(key=k, label=schema.T11_ROWS[k], cells={"amount": _cell(v)}) for k, v in pv.items()],
                columns=[Column(key="amount", label="金额")])  # fmt: skip
    tables = [t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11]
    for t in tables:
        t.department = department
        t.unit = AmountUnit.WAN_YUAN
    return tables, _facts(rng, department, year, tables, t05v, pv, pf)


def _vary(rng: random.Random, v: Decimal, lo: float = 0.85, hi: float = 1.15) -> Decimal:
    f = Decimal(rng.randint(int(lo * 1000), int(hi * 1000))) / 1000
    return (v * f).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _facts(rng: random.Random, dept: str, year: int, tables: list[Table], t05v: dict[str, dict[str, int]], pv: dict[str, int],
           pf: Profile | None = None) -> Facts:  # fmt: skip
    pf = pf or Profile()
    by = {t.kind: t for t in tables}

    def v(kind: TableKind, row: str, col: str, side: str | None = None) -> Decimal:
        c = by[kind].cell(row, col, side)
        return c.amount if c else Decimal(0)

    last = LastYear(
        grand_total=_vary(rng, v(TableKind.T01, "inc_grand_total", "amount", "income")),
        income_total=_vary(rng, v(TableKind.T02, "total", "total")),
        expense_total=_vary(rng, v(TableKind.T03, "total", "total")),
        basic=_vary(rng, v(TableKind.T03, "total", "basic")),
        project=_vary(rng, v(TableKind.T03, "total", "project")),
        fiscal_grand_total=_vary(rng, v(TableKind.T04, "inc_grand_total", "amount", "income")),
        general_budget_expense=_vary(rng, v(TableKind.T05, "total", "total")),
        sangong=_vary(rng, v(TableKind.T09, "total", "actual")),
        org_running=_vary(rng, v(TableKind.T10, "total", "amount")),
    )
    items: dict[str, BudgetItem] = {}
    for i, code in enumerate(sorted(t05v)):
        actual = wan(t05v[code]["total"])
        if code == pf.unbudgeted:
            b = Decimal(0)
        elif i % 5 == 3:
            b = actual
        else:
            b = _vary(rng, actual, 0.8, 1.2)
        reason = ""
        if actual > b:
            reason = "年初未安排预算，年度中追加预算" if b == 0 else rng.choice(REASONS_UP)
        elif actual < b:
            reason = rng.choice(REASONS_DOWN)
        items[code] = BudgetItem(budget=b, reason=reason)
    begin_total = sum((i.budget for i in items.values()), Decimal(0))
    gb = v(TableKind.T05, "total", "total")
    reasons = Reasons(
        grand_total=rng.choice(REASONS_UP if v(TableKind.T01, "inc_grand_total", "amount", "income") > (last.grand_total or 0) else REASONS_DOWN),
        income_total="财政拨款收入相应变化",
        expense_total="人员经费和项目支出变化",
        fiscal_grand_total="财政拨款安排的项目资金变化",
        general_budget_expense="人员经费和项目支出变化",
        general_budget_vs_budget="年度中追加了专项业务经费" if gb > begin_total else "厉行节约，压减一般性支出",
        sangong="公务接待和公务用车使用需求增加" if v(TableKind.T09, "total", "actual") > (last.sangong or 0) else "严格控制公务接待规模",
        sangong_vs_budget="厉行节约，严格控制“三公”经费支出",
        org_running="办公设备更新和日常运行费用增加" if v(TableKind.T10, "total", "amount") > (last.org_running or 0) else "落实过紧日子要求，压减日常公用经费",
    )
    proj = []
    for n_perf, (code, name) in enumerate(pf.perf):
        actual = wan(t05v[code]["project"])
        budget = (actual * Decimal("1.05")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if n_perf == 0 else actual
        inds = [
            Indicator(level1="产出指标", level2="数量指标", level3="服务对象人数", target="≥5000人", actual="5120人", weight=Decimal(30), score=Decimal(30)),
            Indicator(level1="产出指标", level2="时效指标", level3="资金按时发放率", target="100%", actual="100%", weight=Decimal(20), score=Decimal(20)),
            Indicator(level1="效益指标", level2="社会效益指标", level3="待遇按时足额发放", target="按时足额", actual="按时足额", weight=Decimal(30), score=Decimal(30)),
            Indicator(level1="满意度指标", level2="服务对象满意度指标", level3="参保人员满意度", target="≥95%", actual="97%", weight=Decimal(10), score=Decimal(9),
                      reason="个别办理时限偏长，将优化经办流程"),  # fmt: skip
        ]
        proj.append(PerfProject(name=name, unit=dept, budget_begin=budget, budget_year=budget, actual_year=actual, goal="按规定及时足额发放补助资金，保障服务对象基本生活。",
                                result="补助资金按月足额发放，服务对象满意度较高。", indicators=inds, problems="部分资金按进度支付，预算执行率有待提高。",
                                measures="加强预算执行监控，提高预算编制的精准度。"))  # fmt: skip
    return Facts(
        department=dept,
        year=year,
        publish_date=f"{year + 1}年8月",
        duties=list(pf.duties),
        institutions=pf.institutions,
        units=[f"{dept}本级"],
        last_year=last,
        reasons=reasons,
        general_budget_begin=begin_total,
        budget_items=items,
        staff=Staff(current=60, last_year=63),
        sangong=Sangong(abroad_groups=0, abroad_persons=0, car_purchased=0, vehicles=2, reception_batches=rng.randint(2, 12), reception_persons=rng.randint(20, 90)),
        assets=Assets(vehicles=2, vehicle_kinds={"机要通信用车": 1, "应急保障用车": 1}, equipment_over_1m=0),
        performance=proj,
    )
