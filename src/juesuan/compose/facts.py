"""Facts the tables do not hold (typed by hand in practice): duties, units, last year's totals,
年初预算 per 项 with reasons, staff, 三公 statistics, vehicles, 绩效 projects.

``facts.yaml`` is read into :class:`Facts`; :data:`FACTS_TEMPLATE` is the commented blank file
``juesuan template`` writes. Amounts are 万元 as printed (strings or numbers; kept exact).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from ..ingest.errors import InputError


def _dec(v: Any) -> Any:
    if v is None or isinstance(v, Decimal):
        return v
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, str):
        s = v.replace(",", "").strip()
        if not s:
            return None
        try:
            return Decimal(s)
        except ArithmeticError:
            return v  # pydantic reports it as not a number
    return v


class Amounts(BaseModel):
    @field_validator("*", mode="before")
    @classmethod
    def _to_decimal(cls, v: Any) -> Any:
        return _dec(v)


class LastYear(Amounts):
    """上年决算数 (万元) for each year-on-year sentence; leave out what is not to be compared."""

    grand_total: Decimal | None = None  # 收入、支出总计 (公开01表 总计)
    income_total: Decimal | None = None  # 本年收入合计
    expense_total: Decimal | None = None  # 本年支出合计
    basic: Decimal | None = None  # 基本支出
    project: Decimal | None = None  # 项目支出
    fiscal_grand_total: Decimal | None = None  # 财政拨款收入、支出总计 (公开04表 总计)
    general_budget_expense: Decimal | None = None  # 一般公共预算财政拨款支出
    sangong: Decimal | None = None  # “三公”经费支出决算合计
    abroad: Decimal | None = None
    car: Decimal | None = None
    reception: Decimal | None = None
    org_running: Decimal | None = None  # 机关运行经费


class Reasons(BaseModel):
    """主要原因 for each change or difference (a clause, without 主要原因是)."""

    grand_total: str = ""
    income_total: str = ""
    expense_total: str = ""
    fiscal_grand_total: str = ""
    general_budget_expense: str = ""
    general_budget_vs_budget: str = ""  # 决算数与年初预算的差异
    sangong: str = ""  # 三公增减
    sangong_vs_budget: str = ""
    org_running: str = ""


class BudgetItem(BaseModel):
    """年初预算 of one 功能分类 项 (一般公共预算财政拨款) and the reason its 决算 differs."""

    budget: Decimal = Decimal(0)
    reason: str = ""

    @field_validator("budget", mode="before")
    @classmethod
    def _budget(cls, v: Any) -> Any:
        d = _dec(v)
        return Decimal(0) if d is None else d

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, v: Any) -> Any:
        return "" if v is None else str(v)


class Staff(BaseModel):
    current: int | None = None
    last_year: int | None = None


class Sangong(BaseModel):
    """“三公”经费相关统计数."""

    abroad_groups: int = 0
    abroad_persons: int = 0
    car_purchased: int = 0
    vehicles: int = 0  # 公务用车保有量
    reception_batches: int = 0
    reception_persons: int = 0


class Assets(BaseModel):
    vehicles: int = 0
    vehicle_kinds: dict[str, int] = Field(default_factory=dict)  # 用途 -> 辆
    equipment_over_1m: int = 0  # 单价100万元（含）以上设备（不含车辆）台（套）


class Indicator(BaseModel):
    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal
    reason: str = ""

    @field_validator("weight", "score", mode="before")
    @classmethod
    def _d(cls, v: Any) -> Any:
        return _dec(v)

    @field_validator("target", "actual", "reason", mode="before")
    @classmethod
    def _s(cls, v: Any) -> Any:
        return "" if v is None else str(v)


class PerfProject(BaseModel):
    name: str
    unit: str = ""  # 实施单位 (the department when empty)
    budget_begin: Decimal
    budget_year: Decimal
    actual_year: Decimal
    exec_weight: Decimal = Decimal(10)
    exec_score: Decimal | None = None  # computed from the rate when left out
    goal: str = ""
    result: str = ""
    indicators: list[Indicator] = Field(default_factory=list)
    problems: str = ""
    measures: str = ""

    @field_validator("budget_begin", "budget_year", "actual_year", "exec_weight", "exec_score", mode="before")
    @classmethod
    def _d(cls, v: Any) -> Any:
        return _dec(v)


class Facts(BaseModel):
    department: str
    year: int
    publish_date: str | None = None
    duties: list[str] = Field(default_factory=list)
    institutions: str = ""
    units: list[str] = Field(default_factory=list)
    last_year: LastYear = Field(default_factory=LastYear)
    reasons: Reasons = Field(default_factory=Reasons)
    general_budget_begin: Decimal | None = None  # 一般公共预算财政拨款支出 年初预算 total
    budget_items: dict[str, BudgetItem] = Field(default_factory=dict)  # 项 code -> 年初预算
    staff: Staff = Field(default_factory=Staff)
    sangong: Sangong = Field(default_factory=Sangong)
    org_running: Decimal | None = None  # only when the workbook has no 公开10表
    assets: Assets = Field(default_factory=Assets)
    performance: list[PerfProject] = Field(default_factory=list)
    other_matters: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        """A key left empty in the YAML (only comments under it) means "use the default"."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None}
        return data

    @field_validator("general_budget_begin", "org_running", mode="before")
    @classmethod
    def _d(cls, v: Any) -> Any:
        return _dec(v)

    @field_validator("budget_items", mode="before")
    @classmethod
    def _codes(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): (b if isinstance(b, dict | BudgetItem) else {"budget": b}) for k, b in v.items()}
        return v

    @field_validator("duties", "units", "other_matters", mode="before")
    @classmethod
    def _lines(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [p.strip() for p in v.splitlines() if p.strip()]
        return [] if v is None else v


def load_facts(path: str | Path) -> Facts:
    """Read ``facts.yaml``; problems become an :class:`InputError` in Chinese."""
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError(name, "文件不存在", code="not_found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(name, "不是 UTF-8 编码的文本文件", code="bad_encoding") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark is not None else None
        raise InputError(name, f"YAML 格式错误（{getattr(exc, 'problem', exc)}）", code="bad_yaml", where=where) from exc
    if not isinstance(data, dict):
        raise InputError(name, "内容应为“键: 值”形式的 YAML", code="bad_yaml")
    try:
        return Facts.model_validate(data)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            loc = ".".join(str(x) for x in e["loc"])
            kind = e["type"]
            msg = {"missing": "缺少此项", "decimal_parsing": "应为数字", "int_parsing": "应为整数"}.get(kind, e["msg"])
            problems.append(f"{loc}：{msg}")
        raise InputError(name, "；".join(problems), code="bad_facts") from exc


def dump_facts(facts: Facts) -> str:
    """YAML text of ``facts`` (amounts as strings, so nothing passes through float), every key
    with the Chinese comment the blank template gives it: the keys stay identifiers, and the
    file still says what each one means."""
    data = facts.model_dump(mode="json", exclude_none=True)
    notes, heads = _template_comments()
    out: list[str] = []
    for key, value in data.items():
        block = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=200).splitlines()
        if key in heads:
            out += ["", *heads[key]]
        for k, line in enumerate(block):
            child = line[2:].split(":", 1)[0] if line.startswith("  ") and not line.startswith("   ") else None
            note = notes.get(key) if k == 0 else notes.get(f"{key}.{child}") if child else None
            out.append(f"{line}  # {note}" if note else line)
    return "\n".join(out).lstrip("\n") + "\n"


def _template_comments() -> tuple[dict[str, str], dict[str, list[str]]]:
    """From :data:`FACTS_TEMPLATE`: the comment after each key (``last_year.basic`` -> 基本支出)
    and the comment lines standing above a top-level key."""
    notes: dict[str, str] = {}
    heads: dict[str, list[str]] = {}
    above: list[str] = []
    parent = ""
    for line in FACTS_TEMPLATE.splitlines():
        bare = line.strip()
        if not bare:
            above = []
            continue
        if bare.startswith("#"):
            if not line.startswith(" "):
                above.append(bare)
            continue
        key = bare.split(":", 1)[0].strip()
        note = line.split("  # ", 1)[1].strip() if "  # " in line else ""
        if not line.startswith(" "):
            parent = key
            if above and key != "department":
                heads[key] = above
            above = []
            path = key
        elif line.startswith("  ") and not line.startswith("   ") and ":" in bare and not bare.startswith("-"):
            path = f"{parent}.{key}"
        else:
            continue
        if note:
            notes[path] = note
    return notes, heads


FACTS_TEMPLATE = """\
# 决算公开“情况说明”所需的补充资料（表格里没有的数据）。
# 金额单位：万元，两位小数，可写成 "1051.37" 或 1051.37；没有的项目可以删去或留空。
# 填好后运行：juesuan compose 决算报表.xlsx facts.yaml -o 决算公开.docx

department: 示例市某某局          # 部门全称（与报表“部门：”一致）
year: 2024                        # 决算年度
publish_date: "2025年8月"          # 封面日期，可不填

# 第一部分 部门概况
duties: |                         # 部门职责，每段一行
  贯彻执行……（请填写本部门主要职责）。
institutions: "本部门内设X个科室，分别为：……。"   # 机构设置
units:                            # 纳入本年度部门决算编制范围的单位
  - 示例市某某局本级

# 上年决算数，用于“与上年相比增加/减少……”的句子；不比较的项目留空
last_year:
  grand_total: ""                 # 收入、支出总计（公开01表“总计”）
  income_total: ""                # 本年收入合计
  expense_total: ""               # 本年支出合计
  basic: ""                       # 基本支出
  project: ""                     # 项目支出
  fiscal_grand_total: ""          # 财政拨款收入、支出总计（公开04表“总计”）
  general_budget_expense: ""      # 一般公共预算财政拨款支出
  sangong: ""                     # “三公”经费支出决算合计
  abroad: ""                      # 因公出国（境）费
  car: ""                         # 公务用车购置及运行费
  reception: ""                   # 公务接待费
  org_running: ""                 # 机关运行经费

# 增减变化和预决算差异的主要原因（只写原因本身，不写“主要原因是”）
reasons:
  grand_total: ""                 # 收入、支出总计比上年增减
  income_total: ""                # 本年收入合计比上年增减
  expense_total: ""               # 本年支出合计比上年增减
  fiscal_grand_total: ""          # 财政拨款收入、支出总计比上年增减
  general_budget_expense: ""      # 一般公共预算财政拨款支出比上年增减
  general_budget_vs_budget: ""    # 一般公共预算财政拨款支出决算与年初预算的差异
  sangong: ""                     # “三公”经费比上年增减
  sangong_vs_budget: ""           # “三公”经费决算与预算的差异
  org_running: ""                 # 机关运行经费比上年增减

# 一般公共预算财政拨款支出年初预算：合计与每个“项”（7位功能分类科目代码）
general_budget_begin: ""          # 年初预算数合计
budget_items:                     # 各“项”的年初预算数（budget）和决算与预算差异的原因（reason）
  # "2080109": {budget: "573.82", reason: "人员工资调整，工资福利支出增加"}
  # 年初预算为0的项目不计算完成率，但仍需说明原因

staff:                            # 在职人数（说明人员变化时使用）
  current:
  last_year:

sangong:                          # “三公”经费相关统计数
  abroad_groups: 0                # 因公出国（境）团组数（个）
  abroad_persons: 0               # 因公出国（境）人次
  car_purchased: 0                # 公务用车购置数（辆）
  vehicles: 0                     # 公务用车保有量（辆）
  reception_batches: 0            # 国内公务接待批次
  reception_persons: 0            # 国内公务接待人次

org_running: ""                   # 机关运行经费（报表中没有公开10表时填写）

assets:                           # 国有资产占用情况（截至12月31日）
  vehicles: 0                     # 车辆总数
  vehicle_kinds: {}               # 按用途，例如 {"机要通信用车": 1}
  equipment_over_1m: 0            # 单价100万元（含）以上设备（不含车辆）台（套）

performance:                      # 项目支出绩效自评（每个项目一项）
  # - name: 某某项目
  #   unit: 示例市某某局          # 实施单位
  #   budget_begin: "100.00"      # 年初预算数
  #   budget_year: "100.00"       # 全年预算数
  #   actual_year: "95.00"        # 全年执行数
  #   exec_weight: 10             # 预算执行率分值
  #   goal: "年度总体目标……"
  #   result: "实际完成情况……"
  #   indicators:
  #     - {level1: 产出指标, level2: 数量指标, level3: 服务人数, target: "≥1000人", actual: "1050人", weight: 20, score: 20}
  #   problems: "发现的主要问题……"
  #   measures: "下一步改进措施……"

other_matters: []                 # 其他重要事项，每段一行
"""
