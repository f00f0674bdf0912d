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
            matplotlib.rcParams["svg.fonttype"] = "none"  # SVG text stays text: searchable, editable
            return n
    return None


def _num(v: Any) -> float:
    # plotting is the one place amounts become floats: pixels, not money
    return float(v) if isinstance(v, (Decimal, int, float)) else 0.0


SEVERITY_COLORS = {"错误": "#e53935", "警告": "#fb8c00", "提示": "#64b5f6"}


def _height(n: int) -> float:
    """Inches for ``n`` horizontal bars: readable on an A4 page (one label line each)."""
    return min(11.0, max(3.5, 1.6 + 0.32 * n))


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _label_bars(ax: Any, values: list[float], lefts: list[float] | None = None, fmt: str = "{:,.2f}") -> None:
    """Write each bar's value just past its end."""
    top = max([*values, 0.0]) or 1.0
    for i, v in enumerate(values):
        x = (lefts[i] if lefts else 0.0) + v
        ax.text(x + top * 0.01, i, fmt.format(v), va="center", fontsize=8)
    ax.set_xlim(0, top * 1.15)


def plot(con: duckdb.DuckDBPyConnection, name: str, out: Path) -> Path:
    """Draw chart ``name`` to ``out`` (PNG or SVG): A4 width, Chinese labels, values written on
    the bars, full department names (horizontal bars, so long names never overlap); the ready
    questions leave templates out."""
    if name not in PLOTS:
        raise KeyError(name)
    _setup_fonts()
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    cols, rows = run_question(con, name)
    n = len(rows[:25]) if name == "findings-by-rule" else len(rows[:30])
    fig, ax = plt.subplots(figsize=(8.27, _height(n)), dpi=150)
    if not rows:
        ax.text(0.5, 0.5, "语料库中没有可绘制的数据", ha="center", va="center", fontsize=14)
        ax.set_axis_off()
    elif name == "sangong":
        rows = rows[:30]
        labels = [f"{r[0] or '未识别'}（{r[1] or '年度未识别'}）" for r in rows]
        left = [0.0] * len(rows)
        for idx, part in ((4, "因公出国（境）费"), (5, "公务用车购置及运行费"), (6, "公务接待费")):
            vals = [_num(r[idx]) for r in rows]
            ax.barh(labels, vals, left=left, label=part)
            left = [a + v for a, v in zip(left, vals, strict=True)]
        _label_bars(ax, left)
        ax.invert_yaxis()
        ax.set_xlabel("决算数（万元）")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 * 5.5 / _height(n)), ncol=3, fontsize=8, frameon=False)
    elif name == "jiguan":
        by_dept: dict[str, list[tuple[int, float]]] = {}
        for r in rows:
            by_dept.setdefault(r[0] or "未识别", []).append((r[1], _num(r[2])))
        for dept, pts in by_dept.items():
            pts.sort()
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=dept)
            for x, y in pts:
                ax.annotate(f"{y:,.2f}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7)
        ax.legend(fontsize=8)
        ax.set_xlabel("年度")
        ax.set_ylabel("万元")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, not 2023.5
    elif name == "project-share":
        rows = rows[:30]
        vals = [_num(r[4]) for r in rows]
        ax.barh([f"{r[0] or '未识别'}（{r[1] or '年度未识别'}）" for r in rows], vals)
        _label_bars(ax, vals, fmt="{:.1f}%")
        ax.set_xlim(0, 115)
        ax.invert_yaxis()
        ax.set_xlabel("项目支出占比（%）")
    elif name == "findings-by-department":
        rows = rows[:30]
        labels = [f"{r[0] or '未识别'}（{r[1] or '年度未识别'}{' ' + r[2] if r[2] else ''}）" for r in rows]
        left = [0.0] * len(labels)
        for part in ("错误", "警告"):
            vals = [_num(r[cols.index(part)]) for r in rows]
            ax.barh(labels, vals, left=left, label=part, color=SEVERITY_COLORS[part])
            left = [a + v for a, v in zip(left, vals, strict=True)]
        _label_bars(ax, left, fmt="{:.0f}")
        ax.invert_yaxis()
        ax.set_xlabel("问题数（条）")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 * 5.5 / _height(n)), ncol=2, fontsize=8, frameon=False)
    else:  # findings-by-rule: the rule's id and name, its findings by severity
        rows = rows[:25]
        labels = [f"{r[0]} {_short(r[1] or '')}" for r in rows]
        left = [0.0] * len(rows)
        for idx, part in ((2, "错误"), (3, "警告"), (4, "提示")):
            vals = [_num(r[idx]) for r in rows]
            ax.barh(labels, vals, left=left, label=part, color=SEVERITY_COLORS[part])
            left = [a + v for a, v in zip(left, vals, strict=True)]
        _label_bars(ax, left, fmt="{:.0f}")
        ax.invert_yaxis()
        ax.set_xlabel("问题数（条）")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 * 5.5 / _height(n)), ncol=3, fontsize=8, frameon=False)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(PLOTS[name])
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="svg" if out.suffix.lower() == ".svg" else "png")
    plt.close(fig)
    return out
