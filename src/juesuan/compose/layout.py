"""The printed layout of every 公开表: title, 公开NN表, header rows with merges, body rows.

One layout drives every writer (XLSX template, TXT, HTML, DOCX, PDF) and the workbook loader, so
what is written is what is read back. Body cells that hold an amount carry a :class:`Slot`, the
canonical (row, column, side) address of the cell in the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..model import AmountUnit, Cell, Row, Table, TableKind
from ..tables import regions, schema
from .subjects import ECON_NAMES, T01_CLASS_ORDER, T06_GROUPS, T10_CODES, class_name, cn_num

# Canonical table order and printed numbers of the national template.
NUMBERED_KINDS: list[TableKind] = [
    TableKind.T01,
    TableKind.T02,
    TableKind.T03,
    TableKind.T04,
    TableKind.T05,
    TableKind.T06,
    TableKind.T07,
    TableKind.T08,
    TableKind.T09,
    TableKind.T10,
    TableKind.T11,
]
TITLES: dict[TableKind, str] = {
    TableKind.T01: "收入支出决算总表",
    TableKind.T02: "收入决算表",
    TableKind.T03: "支出决算表",
    TableKind.T04: "财政拨款收入支出决算总表",
    TableKind.T05: "一般公共预算财政拨款支出决算表",
    TableKind.T06: "一般公共预算财政拨款基本支出决算明细表",
    TableKind.T07: "政府性基金预算财政拨款收入支出决算表",
    TableKind.T08: "国有资本经营预算财政拨款收入支出决算表",
    TableKind.T09: "财政拨款“三公”经费支出决算表",
    TableKind.T09S: "“三公”经费相关统计数",
    TableKind.T10: "机关运行经费支出情况表",
    TableKind.T11: "政府采购支出情况表",
    TableKind.PERF_PROJECT: "项目支出绩效自评表",
}
WIDE_KINDS = {TableKind.T01, TableKind.T02, TableKind.T04, TableKind.T06, TableKind.T09, TableKind.PERF_PROJECT}

CENT = Decimal("0.01")


def number_of(kind: TableKind) -> str | None:
    if kind in NUMBERED_KINDS:
        return f"公开{NUMBERED_KINDS.index(kind) + 1:02d}表"
    return None


def fmt_amount(value: Decimal | None, places: int = 2) -> str:
    """``Decimal('1051.37')`` -> ``1,051.37``; None -> blank."""
    if value is None:
        return ""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}"


def cell_text(cell: Cell | None, places: int = 2) -> str:
    if cell is None:
        return ""
    if cell.value is not None:
        return fmt_amount(cell.value, places)
    return cell.raw


@dataclass(frozen=True)
class Slot:
    """Address of an amount cell in the model (``field`` set for 绩效 table fields)."""

    row: str
    column: str
    side: str | None = None
    field: str | None = None


@dataclass
class PCell:
    text: str = ""
    slot: Slot | None = None
    label: bool = False  # a row label (left-aligned text) rather than an amount


@dataclass
class PrintedTable:
    kind: TableKind
    title: str
    number: str | None
    department: str
    unit_line: str
    header: list[list[str]]
    merges: list[tuple[int, int, int, int]]  # (row0, col0, row1, col1) inside the header, inclusive
    body: list[list[PCell]]
    notes: list[str] = field(default_factory=list)
    body_merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    wide: bool = False
    col_widths: list[float] = field(default_factory=list)  # relative widths

    @property
    def ncols(self) -> int:
        return max(len(r) for r in self.header) if self.header else max(len(r) for r in self.body)

    def text_rows(self) -> list[list[str]]:
        return [list(r) for r in self.header] + [[c.text for c in r] for r in self.body]


def _span(merges: list[tuple[int, int, int, int]], r: int, c0: int, c1: int, r1: int | None = None) -> None:
    merges.append((r, c0, r if r1 is None else r1, c1))


def _amount(table: Table | None, slot: Slot) -> PCell:
    text = ""
    if table is not None:
        if slot.field is not None:
            text = cell_text(table.fields.get(slot.field), table.decimals)
        else:
            text = cell_text(table.cell(slot.row, slot.column, slot.side), table.decimals)
    return PCell(text=text, slot=slot)


def _coded_rows(table: Table | None) -> list[Row]:
    if table is None:
        return []
    return [r for r in table.rows if r.code]


# -- per-kind layouts ---------------------------------------------------------------------------
def _coded(kind: TableKind, table: Table | None, columns: list[str], top: list[tuple[str, int]] | None, sub: list[str] | None) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]]]:
    """Tables keyed by 功能分类 code: 项目 | 功能分类科目代码 | 科目名称 | amounts; 合计 first.

    ``top`` is an optional grouped header row (text, span) over the amount columns and ``sub``
    the leaf labels under it when they differ from the canonical labels.
    """
    labels = sub or [schema.column_label(kind, c) for c in columns]
    n = 2 + len(columns)
    header: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    if top:
        row0 = ["项目", ""]
        c = 2
        for text, span in top:
            row0 += [text] + [""] * (span - 1)
            if span > 1:
                _span(merges, 0, c, c + span - 1)
            c += span
        header.append(row0)
        _span(merges, 0, 0, 1)
        header.append(["功能分类科目代码", "科目名称"] + labels)
        # a grouped column whose leaf is its own header: merge vertically
        c = 2
        for text, span in top:
            if span == 1 and labels[c - 2] == text:
                header[1][c] = ""
                _span(merges, 0, c, c, 1)
            c += span
    else:
        header.append(["项目", ""] + labels)
        _span(merges, 0, 0, 1)
        header.append(["功能分类科目代码", "科目名称"] + [""] * len(columns))
        for i in range(len(columns)):
            _span(merges, 0, 2 + i, 2 + i, 1)
    header.append(["", "栏次"] + [str(i + 1) for i in range(len(columns))])
    assert all(len(r) == n for r in header)
    body: list[list[PCell]] = [[PCell("合计", label=True), PCell("", label=True)] + [_amount(table, Slot("total", c)) for c in columns]]
    for r in _coded_rows(table):
        body.append([PCell(r.code or "", label=True), PCell(r.label, label=True)] + [_amount(table, Slot(r.key, c)) for c in columns])
    return header, merges, body


def _t01(table: Table | None) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]]]:
    header = [
        ["收入", "", "", "支出", "", ""],
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["栏次", "", "1", "栏次", "", "2"],
    ]
    merges = [(0, 0, 0, 2), (0, 3, 0, 5)]
    inc = [(k, f"{cn_num(i + 1)}、{schema.T01_INCOME_ROWS[k]}") for i, k in enumerate(schema.T01_INCOME_PARTS)]
    n = len(T01_CLASS_ORDER)
    body: list[list[PCell]] = []
    for i in range(n):
        code = T01_CLASS_ORDER[i]
        left = [PCell("", label=True), PCell(str(i + 1)), PCell("")]
        if i < len(inc):
            k, lab = inc[i]
            left = [PCell(lab, label=True), PCell(str(i + 1)), _amount(table, Slot(k, "amount", "income"))]
        right = [PCell(f"{cn_num(i + 1)}、{class_name(code)}", label=True), PCell(str(n + 4 + i + 1)), _amount(table, Slot(code, "amount", "expense"))]
        body.append(left + right)
    tail = [
        ("inc_total_year", "本年收入合计", "exp_total_year", "本年支出合计"),
        ("inc_use_balance", "使用非财政拨款结余（含专用结余）", "exp_distribution", "结余分配"),
        ("inc_begin_balance", "年初结转和结余", "exp_end_balance", "年末结转和结余"),
        ("inc_grand_total", "总计", "exp_grand_total", "总计"),
    ]
    for j, (ik, il, ek, el) in enumerate(tail):
        body.append(
            [PCell(il, label=True), PCell(str(n + j + 1)), _amount(table, Slot(ik, "amount", "income")),
             PCell(el, label=True), PCell(str(2 * n + 4 + j + 1)), _amount(table, Slot(ek, "amount", "expense"))]
        )  # fmt: skip
    return header, merges, body


def _t04(table: Table | None) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]]]:
    cols = ["total", "general", "fund", "capital"]
    header = [
        ["收入", "", "", "支出", "", "", "", "", ""],
        ["项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"],
        ["栏次", "", "1", "栏次", "", "2", "3", "4", "5"],
    ]
    merges = [(0, 0, 0, 2), (0, 3, 0, 8)]
    inc = [(k, f"{cn_num(i + 1)}、{schema.T04_INCOME_ROWS[k]}") for i, k in enumerate(schema.T04_INCOME_PARTS)]
    n = len(T01_CLASS_ORDER)
    body: list[list[PCell]] = []
    for i, code in enumerate(T01_CLASS_ORDER):
        left = [PCell("", label=True), PCell(str(i + 1)), PCell("")]
        if i < len(inc):
            k, lab = inc[i]
            left = [PCell(lab, label=True), PCell(str(i + 1)), _amount(table, Slot(k, "amount", "income"))]
        right = [PCell(f"{cn_num(i + 1)}、{class_name(code)}", label=True), PCell(str(n + 6 + i + 1))]
        right += [_amount(table, Slot(code, c, "expense")) for c in cols]
        body.append(left + right)
    tail: list[tuple[str, str, str | None, str]] = [
        ("inc_total_year", "本年收入合计", "exp_total_year", "本年支出合计"),
        ("inc_begin_balance", "年初财政拨款结转和结余", "exp_end_balance", "年末财政拨款结转和结余"),
        ("inc_begin_general", "一般公共预算财政拨款", None, ""),
        ("inc_begin_fund", "政府性基金预算财政拨款", None, ""),
        ("inc_begin_capital", "国有资本经营预算财政拨款", None, ""),
        ("inc_grand_total", "总计", "exp_grand_total", "总计"),
    ]
    for j, (ik, il, ek, el) in enumerate(tail):
        row = [PCell(il, label=True), PCell(str(n + j + 1)), _amount(table, Slot(ik, "amount", "income")),
               PCell(el, label=True), PCell(str(2 * n + 6 + j + 1))]  # fmt: skip
        row += [_amount(table, Slot(ek, c, "expense")) if ek else PCell("") for c in cols]
        body.append(row)
    return header, merges, body


def _t06(table: Table | None) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]], list[tuple[int, int, int, int]]]:
    header = [
        ["人员经费", "", "", "公用经费", "", "", "", "", ""],
        ["科目代码", "科目名称", "决算数"] * 3,
    ]
    merges = [(0, 0, 0, 2), (0, 3, 0, 8)]
    height = max(len(g) for _, g in T06_GROUPS)
    body: list[list[PCell]] = []
    for i in range(height):
        row: list[PCell] = []
        for side, group in T06_GROUPS:
            codes = list(group)
            if i < len(codes):
                code = codes[i]
                row += [PCell(code, label=True), PCell(group[code], label=True), _amount(table, Slot(code, "amount", side))]
            else:
                row += [PCell("", label=True), PCell("", label=True), PCell("")]
        body.append(row)
    body.append(
        [PCell("人员经费合计", label=True), PCell("", label=True), _amount(table, Slot("personnel_total", "amount")),
         PCell("公用经费合计", label=True)] + [PCell("", label=True)] * 4 + [_amount(table, Slot("public_total", "amount"))]
    )  # fmt: skip
    last = len(body) - 1
    body_merges = [(last, 0, last, 1), (last, 3, last, 7)]
    return header, merges, body, body_merges


def _t09(table: Table | None) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]]]:
    group = ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"]
    header = [
        ["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""],
        group + group,
        ["", "", "小计", "公务用车购置费", "公务用车运行费", ""] * 2,
        [str(i + 1) for i in range(12)],
    ]
    merges = [(0, 0, 0, 5), (0, 6, 0, 11)]
    for base in (0, 6):
        merges += [(1, base, 2, base), (1, base + 1, 2, base + 1), (1, base + 2, 1, base + 4), (1, base + 5, 2, base + 5)]
    keys = ["total", "abroad", "car", "car_purchase", "car_run", "reception"]
    body = [[_amount(table, Slot(k, "budget")) for k in keys] + [_amount(table, Slot(k, "actual")) for k in keys]]
    return header, merges, body


T09S_ORDER = [
    ("abroad_groups", "因公出国（境）团组数（个）", "abroad_persons", "因公出国（境）人次（人）"),
    ("car_purchased", "公务用车购置数（辆）", "vehicles", "公务用车保有量（辆）"),
    ("reception_batches", "国内公务接待批次（个）", "reception_persons", "国内公务接待人次（人）"),
]


def _t09s(table: Table | None) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]]]:
    header = [["项目", "统计数", "项目", "统计数"]]
    body: list[list[PCell]] = []
    for k1, l1, k2, l2 in T09S_ORDER:
        body.append([PCell(l1, label=True), _count(table, k1), PCell(l2, label=True), _count(table, k2)])
    return header, [], body


def _count(table: Table | None, key: str) -> PCell:
    slot = Slot(key, "value")
    if table is None:
        return PCell("", slot=slot)
    c = table.cell(key, "value")
    if c is None or c.value is None:
        return PCell("" if c is None else c.raw, slot=slot)
    return PCell(str(int(c.value)), slot=slot)


def _t10(table: Table | None) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]]]:
    header = [["项目", "", "机关运行经费支出决算数"], ["经济分类编码", "经济分类名称", ""]]
    merges = [(0, 0, 0, 1), (0, 2, 1, 2)]
    body = [[PCell("合计", label=True), PCell("", label=True), _amount(table, Slot("total", "amount"))]]
    for code in T10_CODES:
        body.append([PCell(code, label=True), PCell(ECON_NAMES[code], label=True), _amount(table, Slot(code, "amount"))])
    return header, merges, body


T11_PRINTED = [
    ("total", "（一）政府采购支出合计"),
    ("goods", "1. 政府采购货物支出"),
    ("works", "2. 政府采购工程支出"),
    ("services", "3. 政府采购服务支出"),
    ("sme", "（二）政府采购授予中小企业合同金额"),
    ("small_micro", "其中：授予小微企业合同金额"),
]


def _t11(table: Table | None) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]]]:
    header = [["政府采购支出信息", "行次", "金额"], ["栏次", "", "1"]]
    body = [
        [PCell(label, label=True), PCell(str(i + 1)), _amount(table, Slot(key, "amount"))]
        for i, (key, label) in enumerate(T11_PRINTED)
    ]
    return header, [], body


def score_text(cell: Cell | None) -> str:
    """A 绩效 分值/得分 at the precision it carries: 98.5 -> "98.5", 90 -> "90", never rounded to
    whole points (a 98.5 printed as "99" breaks 总分 = Σ 得分 on read-back)."""
    if cell is None or cell.value is None:
        return cell_text(cell)
    exp = cell.value.normalize().as_tuple().exponent
    return fmt_amount(cell.value, max(0, -exp) if isinstance(exp, int) else 0)


def _perf(table: Table) -> tuple[list[list[str]], list[tuple[int, int, int, int]], list[list[PCell]], list[tuple[int, int, int, int]]]:
    f = table.fields

    def ft(key: str) -> PCell:
        return PCell(cell_text(f.get(key)), slot=Slot("fields", key, field=key))

    def tx(key: str) -> PCell:
        c = f.get(key)
        return PCell(c.raw if c else "", label=True)

    header: list[list[str]] = []
    bm: list[tuple[int, int, int, int]] = []
    body: list[list[PCell]] = []
    n = 9
    body.append([PCell("项目名称", label=True), tx("project_name")] + [PCell("")] * 7)
    bm.append((0, 1, 0, 8))
    body.append([PCell("主管部门", label=True), tx("department"), PCell(""), PCell(""), PCell("实施单位", label=True), tx("unit"), PCell(""), PCell(""), PCell("")])
    bm += [(1, 1, 1, 3), (1, 5, 1, 8)]
    body.append([PCell("项目资金（万元）", label=True), PCell(""), PCell("年初预算数"), PCell("全年预算数"), PCell("全年执行数"), PCell("分值"), PCell("执行率"), PCell("得分"), PCell("")])
    rate = f.get("exec_rate")
    body.append([PCell(""), PCell("年度资金总额", label=True), ft("budget_begin"), ft("budget_year"), ft("actual_year"),
                 PCell(score_text(f.get("exec_weight")), slot=Slot("fields", "exec_weight", field="exec_weight")),
                 PCell(rate.raw if rate else "", slot=Slot("fields", "exec_rate", field="exec_rate")),
                 PCell(score_text(f.get("exec_score")) if f.get("exec_score") else "", slot=Slot("fields", "exec_score", field="exec_score")),
                 PCell("")])  # fmt: skip
    bm += [(2, 0, 3, 0)]
    body.append([PCell("年度总体目标", label=True), PCell("预期目标", label=True), PCell(""), PCell(""), PCell(""), PCell("实际完成情况", label=True), PCell(""), PCell(""), PCell("")])
    body.append([PCell(""), tx("goal"), PCell(""), PCell(""), PCell(""), tx("result"), PCell(""), PCell(""), PCell("")])
    bm += [(4, 0, 5, 0), (4, 1, 4, 4), (4, 5, 4, 8), (5, 1, 5, 4), (5, 5, 5, 8)]
    body.append([PCell("绩效指标", label=True)] + [PCell(t, label=True) for t in ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]])
    first = len(body) - 1
    for r in table.rows:
        c = r.cells
        body.append(
            [PCell("")]
            + [PCell(c[k].raw if k in c else "", label=True) for k in ("level1", "level2", "level3", "target", "actual")]
            + [PCell(score_text(c.get("weight")), slot=Slot(r.key, "weight")), PCell(score_text(c.get("score")), slot=Slot(r.key, "score"))]
            + [PCell(c["reason"].raw if "reason" in c else "", label=True)]
        )
    bm.append((first, 0, len(body) - 1, 0))
    body.append([PCell("总分", label=True), PCell(""), PCell(""), PCell(""), PCell(""), PCell(""),
                 PCell(score_text(f.get("total_weight")), slot=Slot("fields", "total_weight", field="total_weight")),
                 PCell(score_text(f.get("total_score")), slot=Slot("fields", "total_score", field="total_score")), PCell("")])  # fmt: skip
    bm.append((len(body) - 1, 0, len(body) - 1, 5))
    assert all(len(r) == n for r in body)
    return header, [], body, bm


def _plain_amount(v: Decimal | None) -> str:
    return "" if v is None else f"{v.normalize():f}"


# -- public -------------------------------------------------------------------------------------
def printed_table(kind: TableKind, table: Table | None, department: str, year: int | None) -> PrintedTable:
    """The printed form of ``table`` (or of a blank table of ``kind`` when ``table`` is None)."""
    body_merges: list[tuple[int, int, int, int]] = []
    widths: list[float] = []
    regional = regional_printed(kind, table)
    if regional is not None:
        header, merges, body = regional
    elif kind is TableKind.T01:
        header, merges, body = _t01(table)
        widths = [3.0, 0.5, 1.3, 3.0, 0.5, 1.3]
    elif kind is TableKind.T02:
        header, merges, body = _coded(kind, table, list(schema.T02_COLUMNS), None, None)
    elif kind is TableKind.T03:
        header, merges, body = _coded(kind, table, list(schema.T03_COLUMNS), None, None)
    elif kind is TableKind.T04:
        header, merges, body = _t04(table)
        widths = [2.6, 0.5, 1.1, 2.6, 0.5, 1.1, 1.3, 1.3, 1.3]
    elif kind is TableKind.T05:
        cols = ["total", "basic", "personnel", "public", "project"]
        header, merges, body = _coded(kind, table, cols, [("本年支出", 5)], None)
    elif kind is TableKind.T06:
        header, merges, body, body_merges = _t06(table)
        widths = [0.8, 2.4, 1.0] * 3
    elif kind in (TableKind.T07, TableKind.T08):
        cols = list(schema.T07_COLUMNS)
        header, merges, body = _coded(
            kind, table, cols,
            [("年初结转和结余", 1), ("本年收入", 1), ("本年支出", 3), ("年末结转和结余", 1)],
            ["年初结转和结余", "本年收入", "小计", "基本支出", "项目支出", "年末结转和结余"],
        )  # fmt: skip
    elif kind is TableKind.T09:
        header, merges, body = _t09(table)
    elif kind is TableKind.T09S:
        header, merges, body = _t09s(table)
    elif kind is TableKind.T10:
        header, merges, body = _t10(table)
    elif kind is TableKind.T11:
        header, merges, body = _t11(table)
        widths = [4, 1, 2]
    elif kind is TableKind.PERF_PROJECT and table is not None:
        header, merges, body, body_merges = _perf(table)
        widths = [1.2, 1.2, 1.2, 2.0, 1.2, 1.2, 0.7, 0.7, 1.8]
    else:
        raise ValueError(f"no printed layout for {kind}")
    if kind in (TableKind.T02, TableKind.T03, TableKind.T05, TableKind.T07, TableKind.T08):
        widths = [1.2, 3.2] + [1.2] * (len(header[0]) - 2)
    title = (table.title if table is not None and table.title else TITLES.get(kind, kind.value))
    notes = [n.text for n in table.notes] if table is not None else []
    # "" = printed without a number (a regional layout); None = the template's number
    number = table.printed_number if table is not None and table.printed_number is not None else number_of(kind)
    unit = "金额单位：万元" if kind not in (TableKind.T09S, TableKind.PERF_PROJECT) else ""
    yuan = table is not None and table.unit is AmountUnit.YUAN
    if unit and table is not None and table.unit is not None:
        unit = f"金额单位：{table.unit.value}"  # a regional layout printing its tables in 元
    return PrintedTable(
        kind=kind,
        title=title,
        number=number,
        department=department,
        unit_line=unit,
        header=header,
        merges=merges,
        body=body,
        notes=notes,
        body_merges=body_merges,
        # amounts in 元 take twice the digits: every table printed landscape, the label columns narrower
        wide=kind in WIDE_KINDS or yuan,
        col_widths=[w if i >= 2 or not yuan or len(widths) < 4 else w * 0.7 for i, w in enumerate(widths)],
    )


# == 决算 tables of regional layouts (see juesuan.tables.regions) ===================================
# printed_table asks here first: the kinds of regional layouts, and the regional variants of national
# kinds that a table's own rows or columns announce (a 三公 table holding 会议费/培训费 or a 机关运行
# 经费 line, a 国有资本经营 table with only its expense columns, a 政府采购 table with 机构运行经费).
Header = list[list[str]]
Merges = list[tuple[int, int, int, int]]


def _label_rows(table: Table | None) -> list[Row]:
    """The rows under 合计, in order: 科目-coded rows, or one row per 单位/项目."""
    if table is None:
        return []
    return [r for r in table.rows if r.key != "total"]


def _keyed(
    table: Table | None, columns: list[str], first: tuple[str, str], labels: list[str] | None = None
) -> tuple[Header, Merges, list[list[PCell]]]:
    """项目 | 名称 | amounts, 合计 first: ``first`` names the two label columns (代码 and 名称 for coded
    rows; 序号 and 单位名称/项目名称 for the tables with one row per 单位/项目)."""
    kind = table.kind if table is not None else TableKind.OTHER
    labels = labels or [schema.column_label(kind, c) for c in columns]
    header = [["项目", ""] + labels, [first[0], first[1]] + [""] * len(columns)]
    merges: Merges = [(0, 0, 0, 1)] + [(0, 2 + i, 1, 2 + i) for i in range(len(columns))]
    header.append(["", "栏次"] + [str(i + 1) for i in range(len(columns))])
    body: list[list[PCell]] = [[PCell("合计", label=True), PCell("", label=True)] + [_amount(table, Slot("total", c)) for c in columns]]
    for i, r in enumerate(_label_rows(table)):
        code = r.code or str(i + 1)
        body.append([PCell(code, label=True), PCell(r.label, label=True)] + [_amount(table, Slot(r.key, c)) for c in columns])
    return header, merges, body


def _t09_extras(table: Table) -> tuple[Header, Merges, list[list[PCell]]]:
    """Jiangsu: the three items, then 会议费 and 培训费 as columns of their own (预算数, 决算数)."""
    keys = ["total", "abroad", "car", "car_purchase", "car_run", "reception", "meeting", "training"]
    group = ["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费", "会议费", "培训费"]
    n = len(keys)
    header = [
        ["预算数"] + [""] * (n - 1) + ["决算数"] + [""] * (n - 1),
        group + group,
        ["", "", "小计", "公务用车购置费", "公务用车运行费", "", "", ""] * 2,
        [str(i + 1) for i in range(2 * n)],
    ]
    merges: Merges = [(0, 0, 0, n - 1), (0, n, 0, 2 * n - 1)]
    for base in (0, n):
        merges += [(1, base, 2, base), (1, base + 1, 2, base + 1), (1, base + 2, 1, base + 4)]
        merges += [(1, base + k, 2, base + k) for k in (5, 6, 7)]
    body: list[list[PCell]] = [[_amount(table, Slot(k, "budget")) for k in keys] + [_amount(table, Slot(k, "actual")) for k in keys]]
    return header, merges, body


T09_ROW_LABELS = [
    ("total", "合计"),
    ("abroad", "1.因公出国（境）费"),
    ("car", "2.公务用车购置及运行费"),
    ("car_purchase", "（1）公务用车购置费"),
    ("car_run", "（2）公务用车运行费"),
    ("reception", "3.公务接待费"),
]


def _t09_rows(table: Table) -> tuple[Header, Merges, list[list[PCell]]]:
    """Yunnan: items as rows (预算数 | 决算数), the 机关运行经费 line under the 三公 items."""
    header = [["项目", "预算数", "决算数"]]
    body: list[list[PCell]] = []
    for key, label in T09_ROW_LABELS:
        body.append([PCell(label, label=True), _amount(table, Slot(key, "budget")), _amount(table, Slot(key, "actual"))])
    admin = table.row(ADMIN_ROW)
    if admin is not None:
        body.append([PCell("4.机关运行经费", label=True), _amount(table, Slot(ADMIN_ROW, "budget")), _amount(table, Slot(ADMIN_ROW, "actual"))])
    return header, [], body


def _t11_with_admin(table: Table) -> tuple[Header, Merges, list[list[PCell]]]:
    """Inner Mongolia: 机构运行经费支出 above the 政府采购 lines, then 国有资产占用 counts."""
    header = [["项目", "金额（数量）"]]
    body: list[list[PCell]] = [[PCell("一、机构运行经费支出", label=True), _amount(table, Slot(ADMIN_ROW, "amount"))]]
    body.append([PCell("二、政府采购支出信息", label=True), PCell("")])
    for key, label in T11_PRINTED:
        body.append([PCell(label, label=True), _amount(table, Slot(key, "amount"))])
    body.append([PCell("三、国有资产占用情况", label=True), PCell("")])
    body += [[PCell(label, label=True), PCell("")] for label in ASSET_LINES]  # counts, not amounts
    return header, [], body


# The row a regional combined table prints its 机关运行经费 line from (the composer's own key; the
# reader yields that line as a T10 table of its own).
ADMIN_ROW = "admin_cost"
# 国有资产占用 lines of Inner Mongolia's combined table, printed as counts (not checked).
ASSET_LINES = ["车辆数（辆）", "单价50万元以上通用设备（台、套）", "单价100万元以上专用设备（台、套）"]


def regional_printed(kind: TableKind, table: Table | None) -> tuple[Header, Merges, list[list[PCell]]] | None:
    """(header, merges, body) of a regional layout, None for a national one."""
    if table is None:
        return None
    if kind in (TableKind.T02U, TableKind.T03U):
        cols = list(schema.T02_COLUMNS if kind is TableKind.T02U else schema.T03_COLUMNS)
        return _keyed(table, cols, ("序号", "单位名称"))
    if kind in (TableKind.T05D, TableKind.T05GD):
        return _keyed(table, ["total", "basic", "project"], ("经济分类科目编码", "科目名称"))
    if kind is TableKind.T05P:
        return _keyed(table, ["amount"], ("功能分类科目编码", "科目名称"), ["项目支出决算数"])
    if kind is TableKind.PROJ:
        return _keyed(table, list(regions.PROJ_COLUMNS), ("序号", "项目名称"))
    if kind is TableKind.T08 and {c.key for c in table.columns} == {"exp_total", "basic", "project"}:
        return _keyed(table, ["exp_total", "basic", "project"], ("功能分类科目编码", "科目名称"), ["合计", "基本支出", "项目支出"])
    if kind is TableKind.T09 and table.row(ADMIN_ROW) is not None:
        return _t09_rows(table)
    if kind is TableKind.T09 and (table.row("meeting") is not None or table.row("training") is not None):
        return _t09_extras(table)
    if kind is TableKind.T11 and table.row(ADMIN_ROW) is not None:
        return _t11_with_admin(table)
    return None
