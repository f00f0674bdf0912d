"""Command-line interface. Output in Chinese; exit codes follow linter conventions:
0 no error-level finding, 1 error-level findings, 2 usage or input error (a file that cannot be
read, or that ran out of time or memory), 3 internal error (the program failed: a short Chinese
message names the file and the log file holding the traceback; no traceback on the terminal).

Start-up: this module imports only typer. Each command imports what it uses inside its function
(the readers, the rules, rich, the report writers, compose, the corpus store, the web app), so
``juesuan --help`` loads no pydantic model and ``juesuan check`` loads no compose, store or web
code."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from .locale import install as _install_locale

_install_locale()  # before click and typer are imported: their own texts in Chinese

import typer  # noqa: E402

from . import __version__  # noqa: E402
from .cli_text import use_chinese  # noqa: E402

if TYPE_CHECKING:
    from rich.console import Console

    from .api import DocumentResult
    from .model import Severity

app = typer.Typer(
    name="juesuan",
    help="部门决算公开文件的读取、核对与编制工具。",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@cache
def _err() -> Console:
    """The console for messages on stderr (rich is imported when the first message is printed)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _version(value: bool) -> None:
    if value:
        typer.echo(f"juesuan {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")] = False,
) -> None:
    """部门决算公开文件的读取、核对与编制工具。"""


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given, folders expanded to the files inside (sorted), globs expanded."""
    import glob

    out: list[str] = []
    for p in paths:
        pp = Path(p)
        if pp.is_dir():
            out.extend(str(f) for f in sorted(pp.rglob("*")) if f.is_file() and not f.name.startswith("."))
        elif any(ch in p for ch in "*?[") and not pp.exists():
            out.extend(sorted(glob.glob(p, recursive=True)))
        else:
            out.append(p)
    return out


def _check_rule_ids(names: list[str]) -> None:
    """A rule id or prefix that names no rule is a usage error (exit 2), with the closest ids: a
    mistyped id must not look like a clean document."""
    if not names:
        return
    from .rules import unknown_rule_selectors  # start-up: loaded when this command runs

    for name, close in unknown_rule_selectors(names).items():
        hint = f"相近的规则：{'、'.join(close)}" if close else "用 juesuan rules 列出全部规则"
        _err().print(f"错误：没有编号为“{name}”的规则（也不是任何规则编号的前缀）。{hint}")
        raise typer.Exit(EXIT_INPUT)


def _severity(value: str) -> Severity:
    from .model import Severity  # start-up: --help loads no pydantic model

    v = value.strip().lower()
    aliases = {"错误": "error", "警告": "warning", "提示": "info"}
    v = aliases.get(v, v)
    try:
        return Severity(v)
    except ValueError:
        raise typer.BadParameter(f"未知的严重程度“{value}”，可选 error、warning、info") from None


@app.command()
def check(
    paths: Annotated[list[str] | None, typer.Argument(metavar="文件或文件夹", help="要检查的文件或文件夹")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="格式", help="输出格式：text、json、html、xlsx 或 pdf（后三种需用 -o 指定输出文件）")] = "text",
    min_severity: Annotated[
        str | None,
        typer.Option("--min-severity", metavar="级别", help="只显示不低于此级别的问题：error、warning、info（文字输出默认 warning，其他格式默认 info）"),
    ] = None,
    select: Annotated[list[str] | None, typer.Option("--rule", "-r", metavar="规则", help="只运行这些规则（编号或前缀，可重复）")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", metavar="规则", help="不运行这些规则（编号或前缀，可重复）")] = None,
    example: Annotated[bool, typer.Option("--example", help="检查内置的示例决算公开文件")] = False,
    timeout: Annotated[float, typer.Option("--timeout", metavar="秒", help="每个文件的处理时限（秒），0 为不限")] = 300.0,
    output_arg: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="输出", help="把报告写入文件而非屏幕；多个文件合为一份报告，以 / 结尾的文件夹则每个文件一份"),
    ] = None,
    as_one: Annotated[
        bool,
        typer.Option("--as-one", help="把给出的各文件作为同一份公开文件的各部分一起核对（如情况说明和表格分为两个文件）"),
    ] = False,
) -> None:
    """核对决算公开文件：表内、表间和文字说明的勾稽关系。"""
    output = Path(output_arg) if output_arg else None
    # a trailing slash asks for a folder: Path() would drop it
    per_file = output_arg is not None and output_arg.endswith(("/", "\\"))
    files = expand_paths(paths or [])
    if example:
        from .api import example_path  # start-up: loaded when this command runs

        files.insert(0, str(example_path()))
    if not files:
        _err().print("错误：请给出要检查的文件，或使用 --example 检查内置示例。")
        raise typer.Exit(EXIT_INPUT)
    fmt = fmt.lower()
    if fmt not in ("text", "json", "html", "xlsx", "pdf"):
        _err().print(f"错误：未知的输出格式“{fmt}”，可选 text、json、html、xlsx、pdf。")
        raise typer.Exit(EXIT_INPUT)
    _check_rule_ids([*(select or []), *(exclude or [])])
    # the terminal shows errors and warnings unless asked for more (with a line counting the
    # 提示 left out); the files people keep (json, html, xlsx, pdf) hold everything by default
    shown = _severity(min_severity) if min_severity else None
    sev = shown if shown is not None and fmt != "text" else _severity("info")
    if as_one:
        if len(files) < 2:
            _err().print("错误：--as-one 需要给出同一份公开文件的至少两个文件。")
            raise typer.Exit(EXIT_INPUT)
        if fmt not in ("text", "json"):
            _err().print("错误：--as-one 目前只支持 text 和 json 格式。")
            raise typer.Exit(EXIT_INPUT)
    named = {str(Path(p)) for p in paths or [] if Path(p).is_file()}
    if fmt in ("html", "xlsx", "pdf"):
        raise typer.Exit(
            _check_forwarded(
                files, fmt, output, named, per_file=per_file, select=select, exclude=exclude, min_severity=sev, timeout=timeout or None
            )
        )
    if as_one:
        from .api import check_as_one  # start-up: loaded when this command runs

        results = [check_as_one(files, select=select, exclude=exclude, min_severity=sev)]
    else:
        results = _run_checks(files, select=select, exclude=exclude, min_severity=sev, timeout=timeout or None)
    for r in results:
        # a README or a picture inside a folder is skipped; a file named on the command line is
        # an input error as before
        r.skipped = r.not_a_disclosure and str(Path(r.path)) not in named
    if fmt == "json":
        from .report.jsonout import results_to_json  # start-up: loaded when this command runs

        text = results_to_json(results)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            sys.stdout.write(text + "\n")
    else:
        from rich.console import Console

        from .report.text import print_results  # start-up: loaded when this command runs

        if output:
            with output.open("w", encoding="utf-8") as fh:
                console = Console(file=fh, highlight=False, soft_wrap=True, no_color=True)
                print_results(results, console, show=shown or _severity("warning"))
        else:
            print_results(results, show=shown or _severity("warning"))
    raise typer.Exit(exit_code(results))


def _check_forwarded(
    files: list[str],
    fmt: str,
    output: Path | None,
    named: set[str],
    *,
    per_file: bool,
    select: list[str] | None,
    exclude: list[str] | None,
    min_severity: Severity,
    timeout: float | None,
) -> int:
    """``check --format html|xlsx|pdf -o OUT``: the reports people forward."""
    from .report.forwarded import write_forwarded  # start-up: loaded when this command runs
    from .report.items import collect

    if output is None:
        _err().print(f"错误：{fmt} 格式需要用 -o 指定输出文件。")
        return EXIT_INPUT
    items = collect(files, select=select, exclude=exclude, min_severity=min_severity, timeout=timeout)
    for it in items:
        r = it.result
        # as in the terminal: a file inside a folder that is no disclosure is skipped and listed
        r.skipped = r.not_a_disclosure and str(Path(r.path)) not in named
        if r.skipped:
            _err().print(f"已跳过：不是决算/预算公开文件（{r.error}）")
        elif r.error:
            _err().print(f"无法检查：{r.error}")
    try:
        for line in write_forwarded(items, fmt, output, per_file=per_file):
            _err().print(line)
    except ValueError as exc:
        _err().print(f"错误：{exc}")
        return EXIT_INPUT
    except OSError as exc:
        _err().print(f"错误：无法写入 {output}（{exc.strerror}）")
        return EXIT_INPUT
    return exit_code([it.result for it in items])


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", metavar="地址", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="端口", help="监听端口")] = 8000,
    db: Annotated[Path | None, typer.Option("--db", metavar="数据库", help="DuckDB 数据库文件（默认在数据目录下）")] = None,
    data_dir: Annotated[Path, typer.Option("--data-dir", metavar="文件夹", help="数据目录：上传文件、数据库、页面图片")] = Path("juesuan-data"),
    workers: Annotated[int, typer.Option("--workers", metavar="个数", help="同时处理的文件数")] = 2,
    timeout: Annotated[float, typer.Option("--timeout", metavar="秒", help="每个文件的处理时限（秒）")] = 300.0,
) -> None:
    """启动网页应用和 REST API（上传、核对、查看、下载报告）。"""
    from .web.app import serve as _serve  # start-up: loaded when this command runs

    _serve(host=host, port=port, data_dir=data_dir, db_path=db, workers=workers, timeout=timeout)


def exit_code(results: list[DocumentResult]) -> int:
    from .api import INTERNAL  # start-up: --help loads no pydantic model
    from .model import Severity

    if any(r.error_code in INTERNAL for r in results):
        return EXIT_INTERNAL
    if any(r.error and not r.skipped for r in results):
        return EXIT_INPUT
    if any(f.severity is Severity.ERROR for r in results for f in r.findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _run_checks(
    files: list[str],
    *,
    select: list[str] | None,
    exclude: list[str] | None,
    min_severity: Severity,
    timeout: float | None,
) -> list[DocumentResult]:
    from .api import check_path  # start-up: loaded when this command runs

    results: list[DocumentResult] = []
    show = len(files) > 1 and _err().is_terminal
    if not show:
        for f in files:
            results.append(check_path(f, select=select, exclude=exclude, min_severity=min_severity, timeout=timeout))
        return results
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("核对中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=_err(),
        transient=True,
    ) as prog:
        task = prog.add_task("", total=len(files))
        for f in files:
            prog.update(task, description=Path(f).name)
            results.append(check_path(f, select=select, exclude=exclude, min_severity=min_severity, timeout=timeout))
            prog.advance(task)
    return results


@app.command()
def extract(
    path: Annotated[str, typer.Argument(metavar="文件", help="要提取表格的文件")],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="格式", help="输出格式：json、csv 或 xlsx")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="输出", help="输出文件（xlsx 必须指定）")] = None,
) -> None:
    """把决算公开文件读成结构化数据（全部表格、单元格及其位置）。"""
    from .ingest import InputError, read  # start-up: loaded when this command runs
    from .report.extract import write_extract

    fmt = fmt.lower()
    if fmt not in ("json", "csv", "xlsx"):
        _err().print(f"错误：未知的输出格式“{fmt}”，可选 json、csv、xlsx。")
        raise typer.Exit(EXIT_INPUT)
    if fmt == "xlsx" and output is None:
        _err().print("错误：xlsx 格式需要用 -o 指定输出文件。")
        raise typer.Exit(EXIT_INPUT)
    try:
        doc = read(path)
    except InputError as exc:
        _err().print(f"无法读取：{exc.message}")
        raise typer.Exit(EXIT_INPUT) from None
    text = write_extract(doc, fmt, output)
    if text is not None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        _err().print(f"已写入 {output}（{len(doc.tables)} 张表）")


@app.command()
def rules(
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="格式", help="输出格式：text 或 json")] = "text",
) -> None:
    """列出全部规则。"""
    import json

    from .model import BUDGETS, FINAL_ACCOUNTS, DisclosureKind  # start-up: loaded when this command runs
    from .rules import load_catalogue  # start-up: loaded when this command runs
    from .rules.base import PairRule  # start-up: loaded when this command runs

    cat = load_catalogue()
    if fmt == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {
                        "id": rid,
                        "title": c.title,
                        "family": c.family,
                        "severity": c.severity.value,
                        "also": [v.value for v in c.also],
                        "kinds": sorted(k.value for k in c.kinds),
                        # a rule of a pair: the other document's kinds and how the two relate
                        **(
                            {"other_kinds": sorted(k.value for k in c.other_kinds), "relation": c.relation}
                            if issubclass(c, PairRule)
                            else {}
                        ),
                    }
                    for rid, c in cat.items()
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return
    def named(kinds: frozenset[DisclosureKind]) -> str:
        # the kinds of document a rule judges, as a reviewer names them
        final, budget = bool(kinds & FINAL_ACCOUNTS), bool(kinds & BUDGETS)
        return "决算和预算" if final and budget else "预算" if budget else "决算"

    for rid, c in cat.items():
        kinds = named(c.kinds)
        if issubclass(c, PairRule):  # a rule of two documents: both kinds (预算↔预算, 决算↔预算)
            kinds = f"{kinds}↔{named(c.other_kinds)}"
        levels = "/".join(v.zh for v in (c.severity, *c.also))
        typer.echo(f"{rid:10} {levels.ljust(5, chr(0x3000))}  {kinds.ljust(5, chr(0x3000))}  {c.title}")


from .cli_corpus import register as _register_corpus  # noqa: E402

_register_corpus(app)

from .compose.cli import register as _register_compose  # noqa: E402

_register_compose(app)

from .cli_explain import register as _register_explain  # noqa: E402

_register_explain(app)

from .cli_user import register as _register_user  # noqa: E402

_register_user(app)


use_chinese(app)  # after every command is registered: usage, help and usage errors in Chinese


def main() -> None:
    """Entry point: typer's usage errors exit 2; no traceback ever reaches the user: an
    unexpected exception is a short Chinese message naming the log file, exit 3."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        _err().print("已中断。")
        sys.exit(130)
    except MemoryError:
        _err().print("错误：内存不足，无法完成（输入文件可能过大，或页面尺寸异常）。")
        sys.exit(EXIT_INPUT)
    except Exception as exc:
        from .runtime.crashlog import internal_message  # loaded only when something failed

        _err().print(f"错误：{internal_message('juesuan ' + ' '.join(sys.argv[1:]), exc)}")
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
