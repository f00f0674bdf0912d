"""Corpus commands: ``batch``, ``query``, ``plot`` (registered on the main typer app)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console


@cache
def _err() -> Console:
    """The console for messages on stderr (rich is imported when the first message is printed)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _dec_text(v: Decimal, sep: bool = False) -> str:
    """Amounts are stored with six places; show them as printed (at least two places)."""
    q = v.normalize()
    exp = q.as_tuple().exponent
    if isinstance(exp, int) and exp > -2:
        q = v.quantize(Decimal("0.01"))
    return f"{q:,f}" if sep else f"{q:f}"


def _jsonable(v: Any) -> Any:
    return _dec_text(v) if isinstance(v, Decimal) else v


def _one_question(name: str, among: Iterable[str], what: str) -> str:
    """The one ready question (or chart) ``name`` means, else a usage error listing the choices."""
    from .store.queries import match_questions  # start-up: loaded when this command runs

    choices = list(among)
    hits = match_questions(name, choices)
    if len(hits) == 1:
        return hits[0]
    if hits:
        _err().print(f"错误：“{name}”可以指多个{what}：{'、'.join(hits)}；请写出其中一个的名称")
    else:
        _err().print(f"错误：没有名为“{name}”的{what}；可选：{'、'.join(choices)}")
    raise typer.Exit(2)


def batch(
    inputs: Annotated[list[str], typer.Argument(metavar="文件或文件夹", help="文件、文件夹或通配符")],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="文件夹", help="输出文件夹（Parquet 数据集与 corpus.duckdb）")],
    workers: Annotated[int, typer.Option("--workers", "-w", metavar="个数", help="并行进程数（默认为 CPU 核数）")] = 0,
    dask: Annotated[
        str | None, typer.Option("--dask", metavar="调度器地址", help="Dask 调度器地址，如 tcp://127.0.0.1:8786")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="秒", help="单个文件的处理时限（秒），0 为不限")] = 120.0,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="重新处理以前失败的文件")] = False,
    reader: Annotated[
        str | None,
        typer.Option("--reader", metavar="模块:函数", help="自定义读取函数“模块:函数”（默认按内容识别格式）", hidden=True),
    ] = None,
) -> None:
    """批量处理：读取、核对并写入语料库；可中断后续跑（按内容哈希跳过已完成的文件）。"""
    from .store import run_batch  # start-up: loaded when this command runs

    def _run(progress: Any) -> Any:
        return run_batch(
            inputs,
            out,
            workers=workers or None,
            dask_address=dask,
            timeout=timeout or None,
            progress=progress,
            reader=reader,
            retry_failed=retry_failed,
        )

    try:
        if _err().is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            with Progress(
                TextColumn("批量处理"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=_err(),
                transient=True,
            ) as prog:
                task = prog.add_task("", total=None)

                def cb(done: int, total: int) -> None:
                    prog.update(task, completed=done, total=total)

                summary = _run(cb)
        else:
            last = [-1]

            def cb(done: int, total: int) -> None:
                step = max(1, total // 10)
                if done == total or done - last[0] >= step:
                    _err().print(f"批量处理：{done}/{total}")
                    last[0] = done

            summary = _run(cb)
    except (RuntimeError, OSError) as exc:
        _err().print(f"错误：{exc}")
        raise typer.Exit(2) from None
    rate = f"，用时 {summary.seconds:.1f} 秒" + (
        f"（每小时约 {summary.processed / summary.seconds * 3600:,.0f} 个）"
        if summary.processed and summary.seconds
        else ""
    )
    _err().print(
        f"完成：输入 {summary.inputs} 个文件，本次处理 {summary.processed} 个，"
        f"已在语料库中跳过 {summary.skipped} 个，重复内容 {summary.duplicates} 个，失败 {len(summary.failed)} 个{rate}。"
    )
    if summary.retried:
        _err().print(f"重新处理了以前失败的 {summary.retried} 个文件。")
    for _path, msg in summary.failed:
        _err().print(f"  失败：{msg}")
    if summary.not_disclosures:
        _err().print(f"已跳过 {len(summary.not_disclosures)} 个不是决算/预算公开的文件（不影响退出码）：")
        for _path, msg in summary.not_disclosures:
            _err().print(f"  已跳过：{msg}")
    for w in summary.warnings:
        _err().print(f"注意：{w}")
    for _path, msg in summary.failed_before:
        _err().print(f"  以前失败、本次跳过：{msg}（加 --retry-failed 重新处理）")
    for joined in summary.joined:
        _err().print(f"  分文件公开合并核对（同一部门、年度、类型，说明与表格各一个文件）：{joined}")
    rel = summary.pairs_by_relation
    _err().print(
        f"跨文件核对：关联 {summary.crossyear_pairs} 对文件（同一部门相邻年度 {rel.get('previous_year', 0)} 对，"
        f"决算与同年预算 {rel.get('same_year_budget', 0)} 对），{summary.crossyear_findings} 条结论；"
        "查看：juesuan query 语料库 department-years / pairs / cross-year。"
    )
    _department_years(summary.out)
    sev = summary.severity
    _err().print(
        f"问题（本次输入的全部文件，含跨年度）：错误 {sev.get('error', 0)} 条，警告 {sev.get('warning', 0)} 条，"
        f"提示 {sev.get('info', 0)} 条；有错误级问题的文件 {summary.docs_with_errors} 个。"
    )
    _err().print(f"语料库：{summary.out / 'corpus.duckdb'}")
    raise typer.Exit(summary.exit_code)


SHOW_DEPARTMENT_YEARS = 40  # a bigger corpus is listed by ``query … department-years``


def _department_years(out: Path) -> None:
    """Per department and year: the budget and the final accounts checked, and the pairs linked."""
    import duckdb

    from .store import open_corpus  # start-up: loaded when this command runs
    from .store.queries import run_question

    try:
        con = open_corpus(out)
        try:
            cols, rows = run_question(con, "department-years")
        finally:
            con.close()
    except (duckdb.Error, OSError, KeyError):
        return
    if not rows or len(rows) > SHOW_DEPARTMENT_YEARS:
        return
    _err().print("各部门各年度：")
    for r in rows:
        v = dict(zip(cols, r, strict=True))
        parts = []
        if v["预算文件"]:
            parts.append(f"预算 错误 {v['预算错误'] or 0} 条、警告 {v['预算警告'] or 0} 条")
        if v["决算文件"]:
            parts.append(f"决算 错误 {v['决算错误'] or 0} 条、警告 {v['决算警告'] or 0} 条")
        links = [n for n, k in (("上年预算", "已关联上年预算"), ("上年决算", "已关联上年决算"), ("同年预算", "已关联同年预算")) if v[k] == "是"]
        parts.append(("已关联" + "、".join(links)) if links else "未关联其他文件")
        parts.append(f"跨文件问题 {v['跨文件问题']} 条")
        _err().print(f"  {v['部门'] or '部门未识别'} {v['年度'] or '年度未识别'}：{'；'.join(parts)}")


def query(
    corpus: Annotated[Path, typer.Argument(metavar="语料库", help="batch 的输出文件夹")],
    name: Annotated[str | None, typer.Argument(metavar="问题", help="预置问题名称，或标题中能唯一确定它的词（如“三公”）；省略则列出全部")] = None,
    sql: Annotated[
        str | None, typer.Option("--sql", metavar="SQL", help="直接执行 SQL（视图：documents、facts、claims、findings）")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="格式", help="输出格式：table、csv 或 json")] = "table",
) -> None:
    """查询语料库：预置问题或任意 SQL。"""
    import duckdb

    from .store import open_corpus  # start-up: loaded when this command runs
    from .store.queries import QUESTIONS, run_question, run_sql

    if name is None and sql is None:
        for q in QUESTIONS.values():
            typer.echo(f"{q.name:18} {q.title}")
        return
    try:
        con = open_corpus(corpus)
    except FileNotFoundError as exc:
        _err().print(f"错误：{exc}")
        raise typer.Exit(2) from None
    try:
        if sql:
            cols, rows = run_sql(con, sql)
        else:
            assert name is not None
            name = _one_question(name, QUESTIONS, "预置问题")
            cols, rows = run_question(con, name)
    except duckdb.Error as exc:
        _err().print(f"SQL 错误：{exc}")
        raise typer.Exit(2) from None
    finally:
        con.close()
    if fmt == "json":
        sys.stdout.write(
            json.dumps(
                [{c: _jsonable(v) for c, v in zip(cols, r, strict=True)} for r in rows],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    elif fmt == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows([[_jsonable(v) for v in r] for r in rows])
    else:
        from rich.console import Console
        from rich.table import Table as RichTable

        t = RichTable(title=QUESTIONS[name].title if name in QUESTIONS else None)
        for k, c in enumerate(cols):
            numeric = any(isinstance(r[k], (Decimal, int, float)) and not isinstance(r[k], bool) for r in rows)
            # folded onto the next line when the terminal is narrow, never cut with an ellipsis:
            # two bureaus cut to 上海市普陀… would look the same
            t.add_column(c, overflow="fold", justify="right" if numeric else "left")
        for r in rows:
            t.add_row(
                *[
                    "" if v is None else _dec_text(v, sep=True) if isinstance(v, Decimal) else str(v)
                    for v in r
                ]
            )
        # piped into a file or another program, lines are not cut to an imagined 80 columns
        Console(highlight=False, width=None if sys.stdout.isatty() else 240).print(t)


def plot(
    corpus: Annotated[Path, typer.Argument(metavar="语料库", help="batch 的输出文件夹")],
    name: Annotated[
        str,
        typer.Argument(metavar="图表", help="图表：sangong、jiguan、project-share、findings-by-rule、findings-by-department（或标题中的词，如“三公”）"),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="输出", help="输出文件（.png 或 .svg）")],
) -> None:
    """把预置问题画成图（PNG 或 SVG）。"""
    from .store import open_corpus  # start-up: loaded when this command runs
    from .store.plot import PLOTS
    from .store.plot import plot as do_plot

    name = _one_question(name, PLOTS, "图表")
    if output.suffix.lower() not in (".png", ".svg"):
        _err().print("错误：输出文件须以 .png 或 .svg 结尾。")
        raise typer.Exit(2)
    try:
        con = open_corpus(corpus)
    except FileNotFoundError as exc:
        _err().print(f"错误：{exc}")
        raise typer.Exit(2) from None
    try:
        do_plot(con, name, output)
    finally:
        con.close()
    _err().print(f"已写入 {output}")


def register(app: typer.Typer) -> None:
    app.command()(batch)
    app.command()(query)
    app.command()(plot)
