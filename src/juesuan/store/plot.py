"""``juesuan plot``: PNG/SVG charts of the ready questions (matplotlib, Agg backend)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from .queries import run_question

PLOTS = {
    "sangong": "各部门“三公”经费决算数（万元）",
    "jiguan": "机关运行经费（万元）",
    "project-share": "项目支出占本年支出合计的比重（%）",
    "findings-by-rule": "各规则问题数",
    "findings-by-department": "各部门各年度问题数",
}

_CJK_FONTS = [
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "SimHei",
    "AR PL UMing CN",
]


def _setup_fonts() -> str | None:
    """Use a CJK font when one is installed; returns its name (None: labels may not render)."""
    import matplotlib
    from matplotlib import font_manager

    matplotlib.use("Agg")
    names = {f.name for f in font_manager.fontManager.ttflist}
    for n in _CJK_FONTS:
        if n in names:
            matplotlib.rcParams["font.sans-serif"] = [n, "DejaVu Sans"]
            matplotlib.rcParams["axes.unicode_minus"] = False
            return n
    return None


def _num(v: Any) -> float:
    # plotting is the one place amounts become floats: pixels, not money
    return float(v) if isinstance(v, (Decimal, int, float)) else 0.0


# A4 landscape: a chart pasted into a report page is read at this size
A4 = (11.69, 8.27)
MAX_BARS = 25


# severities in the report's colours; other series take matplotlib's cycle
_COLOURS = {"错误": "#c0392b", "警告": "#e67e22", "提示": "#7f8c8d"}


def _wrap(text: str, width: int = 12) -> str:
    """A long Chinese name on several lines (no spaces to break at): labels never overlap."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width)) or " "


def _amount(v: float) -> str:
    return f"{v:,.2f}"


def _stacked_barh(ax: Any, labels: list[str], parts: list[tuple[str, list[float]]], fmt: Any) -> None:
    """Horizontal stacked bars, first row on top, each bar's total written at its end."""
    ys = list(range(len(labels)))[::-1]
    left = [0.0] * len(labels)
    for name, vals in parts:
        ax.barh(ys, vals, left=left, label=name, color=_COLOURS.get(name))
        left = [a + b for a, b in zip(left, vals, strict=True)]
    top = max(left, default=0.0) or 1.0
    for y, total in zip(ys, left, strict=True):
        ax.text(total + top * 0.01, y, fmt(total), va="center", fontsize=9)
    ax.set_yticks(ys, labels, fontsize=9)
    ax.set_xlim(0, top * 1.15)
    if len(parts) > 1:
        ax.legend(loc="lower right", fontsize=9)


def plot(con: duckdb.DuckDBPyConnection, name: str, out: Path) -> Path:
    if name not in PLOTS:
        raise KeyError(name)
    _setup_fonts()
    import matplotlib.pyplot as plt

    cols, rows = run_question(con, name)
    fig, ax = plt.subplots(figsize=A4, dpi=150)
    note = ""
    if len(rows) > MAX_BARS and name != "jiguan":
        note = f"（只画出前 {MAX_BARS} 项，共 {len(rows)} 项）"
    if not rows:
        ax.text(0.5, 0.5, "语料库中没有可绘制的数据", ha="center", va="center", fontsize=14)
        ax.set_axis_off()
    elif name == "sangong":
        shown = rows[:MAX_BARS]
        parts = [
            (part, [_num(r[idx]) for r in shown])
            for idx, part in ((4, "因公出国（境）费"), (5, "公务用车购置及运行费"), (6, "公务接待费"))
        ]
        _stacked_barh(ax, [f"{_wrap(r[0] or '未识别部门')} {r[1] or ''}" for r in shown], parts, _amount)
        ax.set_xlabel("决算数（万元）")
    elif name == "jiguan":
        shown = rows[:MAX_BARS]
        _stacked_barh(ax, [f"{_wrap(r[0] or '未识别部门')} {r[1] or ''}" for r in shown],
                      [("机关运行经费", [_num(r[2]) for r in shown])], _amount)  # fmt: skip
        ax.set_xlabel("万元")
    elif name == "project-share":
        shown = rows[:MAX_BARS]
        _stacked_barh(ax, [f"{_wrap(r[0] or '未识别部门')} {r[1] or ''}" for r in shown],
                      [("项目支出占比", [_num(r[4]) for r in shown])], lambda v: f"{v:.1f}%")  # fmt: skip
        ax.set_xlim(0, 110)
        ax.set_xlabel("%")
    elif name == "findings-by-department":
        shown = rows[:MAX_BARS]
        parts = [(part, [_num(r[idx]) for r in shown]) for idx, part in ((2, "错误"), (3, "警告"))]
        _stacked_barh(ax, [f"{_wrap(r[0] or '未识别部门')} {r[1] or ''}" for r in shown], parts, lambda v: f"{v:.0f}")
        ax.set_xlabel("问题数（不含提示）")
    else:  # findings-by-rule: one bar per rule, its severities stacked, named as well as numbered
        shown = rows[:MAX_BARS]
        note = f"（只画出前 {MAX_BARS} 条规则，共 {len(rows)} 条）" if len(rows) > MAX_BARS else ""
        parts = [(sev, [_num(r[cols.index(sev)]) for r in shown]) for sev in ("错误", "警告", "提示")]
        _stacked_barh(ax, [f"{r[0]} {_wrap(r[1] or '', 22)}" for r in shown],
                      [p for p in parts if any(p[1])], lambda v: f"{v:.0f}")  # fmt: skip
        ax.set_xlabel("问题数")
    ax.set_title(PLOTS[name] + note, fontsize=14)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="svg" if out.suffix.lower() == ".svg" else "png")
    plt.close(fig)
    return out
