"""``juesuan explain PATH``: the numeric sentences of the narrative, their claims, bindings and
verdicts (registered on the main typer app)."""

from __future__ import annotations

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


def explain(
    path: Annotated[Path, typer.Argument(metavar="文件", help="要说明的决算公开文件")],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="格式", help="输出格式：text 或 json")] = "text",
) -> None:
    """列出情况说明中每个含数字的句子：其中的陈述、所对应的单元格和核对结论。"""
    from .ingest import InputError
    from .report.explain import explain_path, render_text

    if fmt not in ("text", "json"):
        _err().print(f"未知的输出格式“{fmt}”，可选 text 或 json")
        raise typer.Exit(2)
    try:
        ex = explain_path(path)
    except InputError as exc:
        _err().print(f"无法读取：{exc.message}")
        raise typer.Exit(2) from None
    if fmt == "json":
        sys.stdout.write(ex.model_dump_json(indent=2) + "\n")
        return
    from rich.console import Console

    render_text(ex, Console(highlight=False, soft_wrap=True))


def register(app: typer.Typer) -> None:
    app.command(name="explain")(explain)
