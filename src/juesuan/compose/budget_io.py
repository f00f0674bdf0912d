"""The budget's inputs: the 部门预算 workbook (预算数据.xlsx) and its ``facts.yaml``, and the composed
budget written out.

The workbook holds the data a budget is made of, not its printed tables: the 项-level 功能分类
lines (人员经费, 公用经费, 项目支出, 上年预算数), the 经济分类 款 of the basic expenditure, the
上年结转 and the 政府采购 categories. Every printed table is derived from these, so the composed
tables agree with each other by construction; the only thing the data can get wrong is the
基本支出 by 经济分类 disagreeing with it by 功能分类, and that is refused in Chinese.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..ingest import read_data
from ..ingest.errors import InputError
from ..model import Finding
from ..rules import run_rules
from ..tables.numbers import try_amount
from .budget import FUNCTION_NAMES, ZERO, BudgetData, render_budget_html, render_budget_txt
from .subjects import ECON_NAMES

BUDGET_WORKBOOK_NAME = "预算数据.xlsx"
FUNCTION_SHEET = "功能分类支出"
ECON_SHEET = "基本支出经济分类"
OTHER_SHEET = "其他收支"
FUNCTION_HEAD = [
    "科目编码",
    "科目名称",
    "人员经费",
    "公用经费",
    "项目支出（财政拨款）",
    "项目支出（事业收入）",
    "上年预算数",
]
ECON_HEAD = ["科目编码", "科目名称", "金额"]
OTHER_ROWS = [
    ("carry", "上年结转资金"),
    ("goods", "政府采购货物"),
    ("works", "政府采购工程"),
    ("services", "政府采购服务"),
]
BUDGET_FORMATS = ("txt", "html", "docx", "pdf")

BUDGET_FACTS_TEMPLATE = """\
# 部门预算补充资料（金额单位：万元）。“预算数据.xlsx”中没有的内容在这里填写。
department: 示例市某某局  # 部门名称（封面、各表“部门：”行和说明中使用）
year: 2025  # 预算年度
duties:  # 部门职责，每条一段
  - 贯彻执行国家和省、市有关方针政策和法律法规。
last_year:  # 上年预算数，用于说明中“与上年相比增加/减少”
  car_run: 0  # 公务用车运行维护费
  reception: 0  # 公务接待费
  meeting: 0  # 会议费
  training: 0  # 培训费
  org_running: 0  # 机关运行经费
"""


def is_budget_workbook(path: str | Path) -> bool:
    """A workbook in the budget layout: it has the 功能分类支出 sheet (the 决算 template has 公开NN表)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(str(path), read_only=True)
    except Exception:  # not a workbook at all: the 决算 loader reports why
        return False
    try:
        return FUNCTION_SHEET in wb.sheetnames
    finally:
        wb.close()


def write_budget_workbook(path: str | Path, data: BudgetData | None) -> Path:
    """The workbook, blank (headers and the standard 经济分类 lines) or filled from ``data``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    ws = wb.create_sheet(FUNCTION_SHEET)
    ws.append(["按功能分类科目（项级）填写，类、款由程序汇总。金额单位：万元"])
    ws.append(FUNCTION_HEAD)
    if data is not None:
        for code, (p, q, r) in data.fiscal.items():
            biz = data.business.get(code)
            ws.append(
                [
                    code,
                    data.names.get(code) or FUNCTION_NAMES.get(code, ""),
                    _n(p),
                    _n(q),
                    _n(r),
                    _n(biz),
                    _n(data.last_year.get(code)),
                ]
            )
    ws = wb.create_sheet(ECON_SHEET)
    ws.append(
        ["基本支出按经济分类科目（款级）填写，合计应等于功能分类支出的人员经费与公用经费之和。金额单位：万元"]
    )
    ws.append(ECON_HEAD)
    if data is not None:
        for code, v in data.econ.items():
            ws.append([code, ECON_NAMES.get(code, ""), _n(v)])
    else:
        for code, name in ECON_NAMES.items():
            if len(code) == 5 and code[:3] in ("301", "302", "303"):
                ws.append([code, name, None])
    ws = wb.create_sheet(OTHER_SHEET)
    ws.append(["项目", "金额（万元）"])
    for key, label in OTHER_ROWS:
        amount = None if data is None else (data.carry if key == "carry" else data.procurement.get(key))
        ws.append([label, _n(amount)])
    for sheet in wb.worksheets:
        for c in sheet[2 if sheet.title != OTHER_SHEET else 1]:
            c.font = bold
        sheet.column_dimensions["B"].width = 30
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(out))
    return out


def _n(v: Decimal | None) -> Decimal | None:
    """A Decimal as the workbook stores it: a number cell (openpyxl writes Decimal as a number;
    a two-decimal amount reads back exactly through :func:`_amount`)."""
    return v


def _amount(name: str, sheet: str, row: int, v: Any) -> Decimal:
    if v is None or (isinstance(v, str) and not v.strip()):
        return ZERO
    if isinstance(v, (int, float)):
        return Decimal(repr(v)).quantize(Decimal("0.01"))
    val, ok = try_amount(str(v))
    if not ok or val is None:
        raise InputError(name, f"“{v}”不是金额", code="bad_amount", where=f"{sheet}第{row}行")
    return val


def read_budget_workbook(path: str | Path) -> tuple[dict[str, tuple[Decimal, Decimal, Decimal]], dict[str, Decimal], dict[str, Decimal], dict[str, Decimal], dict[str, Decimal], dict[str, str]]:  # fmt: skip
    """(功能分类 项 -> (人员, 公用, 项目), 项 -> 事业收入项目, 项 -> 上年预算数, 经济分类 款 -> 金额,
    其他收支) from the workbook; a problem becomes an :class:`InputError` in Chinese."""
    from openpyxl import load_workbook

    name = str(path)
    if not Path(path).exists():
        raise InputError(name, "文件不存在", code="not_found")
    try:
        wb = load_workbook(name, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(name, f"不是可读取的 Excel 工作簿（{exc}）", code="bad_workbook") from exc
    for sheet in (FUNCTION_SHEET, ECON_SHEET, OTHER_SHEET):
        if sheet not in wb.sheetnames:
            raise InputError(name, f"缺少工作表“{sheet}”", code="bad_workbook")
    fiscal: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    business: dict[str, Decimal] = {}
    last: dict[str, Decimal] = {}
    names: dict[str, str] = {}
    for i, row in enumerate(wb[FUNCTION_SHEET].iter_rows(min_row=3, values_only=True), 3):
        code = str(row[0] or "").strip()
        if not code:
            continue
        if not (code.isdigit() and len(code) == 7):
            raise InputError(
                name, f"科目编码“{code}”应为7位项级编码", code="bad_code", where=f"{FUNCTION_SHEET}第{i}行"
            )
        vals = [_amount(name, FUNCTION_SHEET, i, row[j] if j < len(row) else None) for j in range(2, 7)]
        fiscal[code] = (vals[0], vals[1], vals[2])
        if vals[3]:
            business[code] = vals[3]
        last[code] = vals[4]
        if row[1]:
            names[code] = str(row[1]).strip()
    econ: dict[str, Decimal] = {}
    for i, row in enumerate(wb[ECON_SHEET].iter_rows(min_row=3, values_only=True), 3):
        code = str(row[0] or "").strip()
        if not code:
            continue
        if not (code.isdigit() and len(code) == 5 and code[:3] in ("301", "302", "303")):
            raise InputError(
                name,
                f"科目编码“{code}”应为301、302或303下的5位款级编码",
                code="bad_code",
                where=f"{ECON_SHEET}第{i}行",
            )
        v = _amount(name, ECON_SHEET, i, row[2] if len(row) > 2 else None)
        if v:
            econ[code] = v
    other: dict[str, Decimal] = {}
    labels = {label: key for key, label in OTHER_ROWS}
    for i, row in enumerate(wb[OTHER_SHEET].iter_rows(min_row=2, values_only=True), 2):
        key = labels.get(str(row[0] or "").strip())
        if key:
            other[key] = _amount(name, OTHER_SHEET, i, row[1] if len(row) > 1 else None)
    wb.close()
    if not fiscal:
        raise InputError(name, f"工作表“{FUNCTION_SHEET}”没有填写任何科目", code="empty_workbook")
    return fiscal, business, last, econ, other, names


def load_budget_facts(path: str | Path) -> dict[str, Any]:
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError(name, "文件不存在", code="not_found")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(name, f"不是可读取的 YAML 文件（{exc}）", code="bad_yaml") from exc
    if not isinstance(data, dict) or not data.get("department") or not isinstance(data.get("year"), int):
        raise InputError(name, "应写明 department（部门名称）和 year（预算年度）", code="bad_facts")
    return data


def budget_data(workbook: str | Path, facts: str | Path) -> BudgetData:
    """The budget of a workbook and its facts; raises :class:`InputError` (Chinese) when the
    基本支出 by 经济分类 does not add up to the 人员经费 and 公用经费 by 功能分类."""
    fiscal, business, last, econ, other, names = read_budget_workbook(workbook)
    f = load_budget_facts(facts)
    personnel = sum((p for p, _, _ in fiscal.values()), ZERO)
    public = sum((q for _, q, _ in fiscal.values()), ZERO)
    e_pers = sum((v for k, v in econ.items() if k[:3] in ("301", "303")), ZERO)
    e_pub = sum((v for k, v in econ.items() if k[:3] == "302"), ZERO)
    problems = []
    if e_pers != personnel:
        problems.append(f"经济分类人员经费合计{e_pers}万元，与功能分类人员经费合计{personnel}万元不等")
    if e_pub != public:
        problems.append(f"经济分类公用经费合计{e_pub}万元，与功能分类公用经费合计{public}万元不等")
    carry = other.get("carry", ZERO)
    project = sum((r for _, _, r in fiscal.values()), ZERO)
    if carry > project:
        problems.append(f"上年结转资金{carry}万元超过财政拨款项目支出{project}万元")
    if problems:
        raise InputError(str(workbook), "；".join(problems), code="inconsistent")
    ly = f.get("last_year") or {}

    def dec(key: str) -> Decimal:
        v = ly.get(key)
        return ZERO if v is None else Decimal(str(v))

    return BudgetData(
        department=str(f["department"]),
        year=int(f["year"]),
        fiscal=dict(sorted(fiscal.items())),
        business=business,
        econ=dict(sorted(econ.items())),
        carry=carry,
        last_year=last,
        last_sangong={k: dec(k) for k in ("car_run", "reception", "meeting", "training")},
        last_admin=dec("org_running"),
        procurement={k: other.get(k, ZERO) for k in ("goods", "works", "services")},
        duties=[str(x) for x in f.get("duties") or []],
        names=names,
    )


def dump_budget_facts(d: BudgetData) -> str:
    """The ``facts.yaml`` of ``d`` with the template's Chinese comments."""
    text = BUDGET_FACTS_TEMPLATE.replace("示例市某某局", d.department).replace(
        "year: 2025", f"year: {d.year}"
    )
    text = text.replace(
        "  - 贯彻执行国家和省、市有关方针政策和法律法规。\n", "".join(f"  - {x}\n" for x in d.duties)
    )
    values = {**d.last_sangong, "org_running": d.last_admin}
    for key, v in values.items():
        text = text.replace(f"  {key}: 0  #", f'  {key}: "{v}"  #', 1)
    return text


def write_budget_template(out_dir: str | Path, example: BudgetData | None) -> list[Path]:
    d = Path(out_dir)
    if d.exists() and not d.is_dir():
        raise InputError(str(d), "已存在同名文件，不是文件夹", code="not_a_directory")
    d.mkdir(parents=True, exist_ok=True)
    wb = write_budget_workbook(d / BUDGET_WORKBOOK_NAME, example)
    facts = d / "facts.yaml"
    head = "# 示例数据（虚构部门）\n" if example is not None else ""
    facts.write_text(
        head + (dump_budget_facts(example) if example is not None else BUDGET_FACTS_TEMPLATE),
        encoding="utf-8",
    )
    return [wb, facts]


def render_budget(d: BudgetData, fmt: str) -> bytes:
    fmt = fmt.lower().lstrip(".")
    if fmt == "txt":
        return render_budget_txt(d).encode("utf-8")
    if fmt in ("html", "htm"):
        return render_budget_html(d).encode("utf-8")
    if fmt == "docx":
        from .budget_docx import render_budget_docx

        return render_budget_docx(d)
    if fmt == "pdf":
        try:
            from weasyprint import HTML
        except (ImportError, OSError) as exc:  # OSError: pango missing
            raise RuntimeError(
                f"无法生成 PDF：缺少 WeasyPrint 或其系统库（{exc}），请运行 scripts/setup"
            ) from exc
        buf = io.BytesIO()
        HTML(string=render_budget_html(d)).write_pdf(buf)
        return buf.getvalue()
    raise ValueError(f"预算文件暂不支持输出格式“{fmt}”，可选 {'、'.join(BUDGET_FORMATS)}")


def check_budget(d: BudgetData) -> list[Finding]:
    """The findings of the composed budget read back as a reader reads its text: the proof that
    what is printed agrees with itself (nothing is found unless the data were forced through)."""
    doc = read_data(f"{d.department}{d.year}年度部门预算.txt", render_budget_txt(d).encode("utf-8"))
    return run_rules(doc)
