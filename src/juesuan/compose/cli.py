"""CLI commands ``template`` and ``compose`` (registered on the main typer app)."""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console


@cache
def _err() -> Console:
    """The console for messages on stderr (rich is imported when the first message is printed)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)
EXIT_CLEAN, EXIT_REFUSED, EXIT_INPUT = 0, 1, 2


def template(
    out_dir: Annotated[Path, typer.Argument(metavar="文件夹", help="写入模板的文件夹")],
    department: Annotated[str, typer.Option("--department", "-d", metavar="部门", help="部门名称（写入各表“部门：”行）")] = "",
    year: Annotated[int | None, typer.Option("--year", metavar="年度", help="决算年度")] = None,
    example: Annotated[bool, typer.Option("--example", help="写入已填好的示例数据（虚构部门），而非空白模板")] = False,
    kind: Annotated[str, typer.Option("--kind", metavar="类型", help="final（决算，默认）或 budget（部门预算）")] = "final",
) -> None:
    """写出空白的决算报表工作簿（决算报表.xlsx）或预算数据工作簿（预算数据.xlsx，--kind budget）和补充资料（facts.yaml）。"""
    from ..ingest.errors import InputError  # start-up: loaded when this command runs

    if kind not in ("final", "budget"):
        _err().print(f"错误：--kind 应为 final（决算）或 budget（部门预算），而不是“{kind}”。")
        raise typer.Exit(EXIT_INPUT)
    if kind == "budget":
        _budget_template(out_dir, department, year, example)
        return
    from .facts import dump_facts
    from .output import FACTS_NAME, WORKBOOK_NAME, write_template
    from .synth import synth
    from .workbook import write_workbook

    try:
        if example:
            tables, facts = (
                synth(1, department=department, year=year or 2024) if department else synth(1, year=year or 2024)
            )
            out_dir.mkdir(parents=True, exist_ok=True)
            files = [write_workbook(out_dir / WORKBOOK_NAME, tables, facts.department, facts.year)]
            (out_dir / FACTS_NAME).write_text("# 示例数据（虚构部门），金额单位：万元\n" + dump_facts(facts), encoding="utf-8")
            files.append(out_dir / FACTS_NAME)
        else:
            files = write_template(out_dir, department, year)
    except (InputError, OSError) as exc:
        _err().print(f"无法写入：{getattr(exc, 'message', exc)}")
        raise typer.Exit(EXIT_INPUT) from None
    for f in files:
        _err().print(f"已写入 {f}")


def _budget_template(out_dir: Path, department: str, year: int | None, example: bool) -> None:
    from ..ingest.errors import InputError  # start-up: loaded when this command runs
    from .budget import synth_budget
    from .budget_io import write_budget_template

    data = None
    if example:
        data = synth_budget(1, year=year or 2025, **({"department": department} if department else {}))
    try:
        files = write_budget_template(out_dir, data)
        if data is None and (department or year):
            # the blank facts name the department and year given
            text = files[1].read_text(encoding="utf-8")
            if department:
                text = text.replace("示例市某某局", department)
            if year:
                text = text.replace("year: 2025", f"year: {year}")
            files[1].write_text(text, encoding="utf-8")
    except (InputError, OSError) as exc:
        _err().print(f"无法写入：{getattr(exc, 'message', exc)}")
        raise typer.Exit(EXIT_INPUT) from None
    for f in files:
        _err().print(f"已写入 {f}")


def _budget_compose(workbook: Path, facts: Path, output: Path, force: bool) -> None:
    """Compose a budget: data from the workbook, tables derived, read back and checked."""
    from ..ingest.errors import InputError  # start-up: loaded when this command runs
    from ..model import Severity
    from .budget import budget_tables
    from .budget_io import BUDGET_FORMATS, budget_data, check_budget, render_budget

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in BUDGET_FORMATS:
        _err().print(f"错误：部门预算可输出为 {'、'.join('.' + f for f in BUDGET_FORMATS)}，不支持“{output.name}”。")
        raise typer.Exit(EXIT_INPUT)
    try:
        data = budget_data(workbook, facts)
    except InputError as exc:
        _err().print(f"无法读取：{exc.message}")
        raise typer.Exit(EXIT_INPUT) from None
    findings = check_budget(data)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    warnings = [f for f in findings if f.severity is Severity.WARNING]
    if errors and not force:
        _err().print(f"生成的预算有 {len(errors)} 处勾稽关系错误，未写出文件（确认无误后可加 --force 强制生成）：")
        for i, f in enumerate(errors, 1):
            _err().print(f"{i}. [{f.rule_id}] {f.message}")
        raise typer.Exit(EXIT_REFUSED)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(render_budget(data, fmt))
    except (OSError, RuntimeError) as exc:
        _err().print(f"无法写出 {output}：{exc}")
        raise typer.Exit(EXIT_INPUT) from None
    if errors or warnings:
        _err().print(f"注意：核对发现 {len(errors)} 个错误、{len(warnings)} 个警告（运行 juesuan check {output} 查看详情）。")
    _err().print(f"已生成 {output}（{data.year}年度部门预算，{len(budget_tables(data))} 张表）")
    sys.stderr.flush()


def compose(
    workbook: Annotated[Path, typer.Argument(metavar="工作簿", help="决算报表工作簿或预算数据工作簿（.xlsx，模板格式）")],
    facts: Annotated[Path, typer.Argument(metavar="补充资料", help="补充资料 facts.yaml")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="输出", help="输出文件：.docx、.html、.pdf 或 .txt")],
    force: Annotated[bool, typer.Option("--force", help="数据有勾稽错误时仍然生成")] = False,
    pct_places: Annotated[int, typer.Option("--pct-places", metavar="位数", help="百分比保留的小数位数（四舍五入）")] = 2,
    trace: Annotated[Path | None, typer.Option("--trace", metavar="文件", help="把每句话引用的单元格写入此 JSON 文件")] = None,
) -> None:
    """由决算报表工作簿（或预算数据工作簿）和补充资料生成完整的决算（或部门预算）公开文件。"""
    from ..ingest.errors import InputError  # start-up: loaded when this command runs
    from .budget_io import is_budget_workbook

    if is_budget_workbook(workbook):
        _budget_compose(workbook, facts, output, force)
        return
    from ..model import Severity
    from .document import ComposeRefused
    from .document import compose as do_compose
    from .output import FORMATS, write_output

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        _err().print(f"错误：无法从文件名“{output.name}”判断输出格式，请使用 .docx、.html、.pdf 或 .txt。")
        raise typer.Exit(EXIT_INPUT)
    if not 0 <= pct_places <= 4:
        _err().print("错误：--pct-places 应在 0 到 4 之间。")
        raise typer.Exit(EXIT_INPUT)
    try:
        result = do_compose(workbook, facts, force=force, pct_places=pct_places)
    except InputError as exc:
        _err().print(f"无法读取：{exc.message}")
        raise typer.Exit(EXIT_INPUT) from None
    except ComposeRefused as exc:
        _err().print(str(exc))
        raise typer.Exit(EXIT_REFUSED) from None
    try:
        write_output(result, output)
    except (OSError, RuntimeError) as exc:
        _err().print(f"无法写出 {output}：{exc}")
        raise typer.Exit(EXIT_INPUT) from None
    if trace is not None:
        data = [t.model_dump(mode="json", exclude_none=True) for t in result.trace]
        trace.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    if errors or warnings:
        _err().print(f"注意：核对发现 {errors} 个错误、{warnings} 个警告（运行 juesuan check {output} 查看详情）。")
    d = result.disclosure
    _err().print(f"已生成 {output}（{len(d.tables)} 张表，{len(result.trace)} 句含数字的说明）")
    sys.stderr.flush()


def register(app: typer.Typer) -> None:
    app.command("template")(template)
    app.command("compose")(compose)
