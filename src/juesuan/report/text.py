"""Terminal report in Chinese, one block per finding."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..api import DocumentResult
from ..model import Finding, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_finding(f: Finding) -> Text:
    t = Text()
    t.append(f"[{f.severity.zh}] ", style=_STYLE[f.severity])
    t.append(f"{f.rule_id} ", style="bold")
    if f.rule_title:
        t.append(f"{f.rule_title}\n", style="dim")
    else:
        t.append("\n")
    t.append(f"  {f.message}\n")
    for ref in f.locations:
        t.append("  位置：", style="dim")
        t.append(ref.describe())
        if ref.value is not None and ref.column:
            t.append(f" = {ref.value:,}")
        elif ref.text and (ref.table_title or ref.row):
            t.append(f" “{ref.text}”")
        t.append("\n")
    if f.expected is not None or f.found is not None:
        t.append("  应为：", style="dim")
        t.append(f"{f.expected if f.expected is not None else '—'}")
        t.append("  实为：", style="dim")
        t.append(f"{f.found if f.found is not None else '—'}\n")
    if f.arithmetic:
        t.append("  计算：", style="dim")
        t.append(f"{f.arithmetic}\n")
    if f.ocr:
        t.append("  注意：涉及的数字来自 OCR 识别，请对照原件核实\n", style="yellow")
    return t


def unchecked_lines(r: DocumentResult) -> list[str]:
    """What a report says of what was not checked: a whole-document reason on its own line (预算
    公开文件：决算规则不适用), then one line counting the places left unchecked."""
    out = [u.reason for u in r.unchecked if u.rules]
    places = [u for u in r.unchecked if not u.rules]
    if places:
        out.append(f"另有 {len(places)} 处因读取不确定未核对，见 explain")
    return out


def print_results(
    results: list[DocumentResult], console: Console | None = None, *, show: Severity = Severity.INFO
) -> None:
    """Each document's findings at or above ``show`` (the counts cover them all, and one line says
    how many 提示 were left out and how to see them)."""
    console = console or Console(highlight=False, soft_wrap=True)
    for r in results:
        console.print(Text(f"== {r.path}", style="bold"))
        if r.skipped:
            console.print(Text(f"  已跳过：不是决算/预算公开文件（{r.error}）", style="dim"))
            continue
        if r.error:
            console.print(Text(f"  无法检查：{r.error}", style="bold red"))
            continue
        md = r.metadata
        if md is not None:
            info = "，".join(
                x
                for x in [
                    md.department or "部门未识别",
                    f"{md.year} 年度" if md.year else "年度未识别",
                    md.kind.value if md.kind else "",
                    f"金额单位：{md.unit.value}" if md.unit else "",
                    "（模板）" if md.is_template else "",
                ]
                if x
            )
            console.print(Text(f"  {info}", style="dim"))
        hidden = 0
        for f in r.findings:
            if f.severity.rank < show.rank:
                hidden += 1
                continue
            console.print(render_finding(f))
        c = r.counts()
        console.print(
            Text(
                f"  共 {len(r.findings)} 条：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}",
                style="bold",
            )
        )
        if hidden:
            console.print(Text(f"  另有 {hidden} 条尾数等提示（--min-severity info 显示）", style="dim"))
        for line in unchecked_lines(r):
            console.print(Text(f"  {line}", style="dim"))
    bad = sum(1 for r in results if r.error and not r.skipped)
    skipped = sum(1 for r in results if r.skipped)
    if len(results) > 1:
        errs = sum(r.counts()["error"] for r in results)
        tail = f"，{skipped} 个不是公开文件已跳过" if skipped else ""
        console.print(
            Text(f"合计 {len(results)} 个文件，{bad} 个无法读取{tail}，错误级问题 {errs} 条", style="bold")
        )
