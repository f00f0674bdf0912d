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


def plot(con: duckdb.DuckDBPyConnection, name: str, out: Path) -> Path:
    if name not in PLOTS:
        raise KeyError(name)
    _setup_fonts()
    import matplotlib.pyplot as plt

    cols, rows = run_question(con, name)
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    if not rows:
        ax.text(0.5, 0.5, "语料库中没有可绘制的数据", ha="center", va="center", fontsize=14)
        ax.set_axis_off()
    elif name == "sangong":
        labels = [f"{r[0]}\n{r[1]}" for r in rows]
        bottom = [0.0] * len(rows)
        for idx, part in ((4, "因公出国（境）费"), (5, "公务用车购置及运行费"), (6, "公务接待费")):
            vals = [_num(r[idx]) for r in rows]
            ax.bar(labels, vals, bottom=bottom, label=part)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.legend()
    elif name == "jiguan":
        by_dept: dict[str, list[tuple[int, float]]] = {}
        for r in rows:
            by_dept.setdefault(r[0] or "未识别", []).append((r[1], _num(r[2])))
        for dept, pts in by_dept.items():
            pts.sort()
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=dept)
        ax.legend(fontsize=8)
        ax.set_xlabel("年度")
    elif name == "project-share":
        ax.barh([f"{r[0]} {r[1]}" for r in rows], [_num(r[4]) for r in rows])
        ax.set_xlim(0, 100)
    elif name == "findings-by-department":
        labels = [f"{r[0] or '未识别'}\n{r[1] or ''}" for r in rows[:20]]
        bottom = [0.0] * len(labels)
        for idx, part in ((2, "错误"), (3, "警告")):
            vals = [_num(r[idx]) for r in rows[:20]]
            ax.bar(labels, vals, bottom=bottom, label=part)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.legend()
        ax.tick_params(axis="x", labelsize=7)
    else:  # findings-by-rule
        ax.bar([f"{r[0]}\n({r[2]})" for r in rows[:25]], [_num(r[3]) for r in rows[:25]])
    ax.set_title(PLOTS[name])
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format="svg" if out.suffix.lower() == ".svg" else "png")
    plt.close(fig)
    return out
