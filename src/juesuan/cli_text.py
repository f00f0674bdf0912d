"""The command line in Chinese where typer's bundled click prints fixed English: the usage line,
the help option's text and the usage errors. Done through typer's own extension points (the
command classes a Typer app builds its commands from, and the exception objects click raises with
their fields), never by patching strings inside the library. The texts typer itself translates
(section titles, ``[default: …]``) come from the gettext catalogue in ``juesuan/locale``.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer._click import exceptions as click_exc
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperCommand, TyperGroup

USAGE = "用法："
HELP_TEXT = "显示本帮助并退出。"


class _Chinese:
    """The usage prefix and the help option's text of a command, in Chinese."""

    def format_usage(self, ctx: Any, formatter: HelpFormatter) -> None:
        # click's placeholders ([OPTIONS], COMMAND [ARGS]...) are constructor defaults, set as
        # the commands are built by typer: named in Chinese here, where the usage line is written
        setattr(self, "options_metavar", "[选项]")  # noqa: B010 (a click attribute, not declared here)
        if hasattr(self, "subcommand_metavar"):
            setattr(self, "subcommand_metavar", "命令 [参数]...")  # noqa: B010
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE)

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.help = HELP_TEXT
        return opt


# the kinds of value typer names in help (``<int>``, ``<list[str]>``), as a reader says them
_TYPE_NAMES = {"str": "文本", "int": "整数", "float": "数", "bool": "是/否", "path": "路径", "Path": "路径"}


class ChineseArgument(TyperArgument):
    """An argument whose help names the kind of its value in Chinese."""

    def display_type(self, ctx: Any) -> str:
        label = super().display_type(ctx).strip("<>")
        many = label.startswith("list[")
        label = _TYPE_NAMES.get(label.removeprefix("list[").removesuffix("]"), label)
        return f"<{label}{'，可多个' if many else ''}>"


class ChineseCommand(_Chinese, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in self.params:
            if type(p) is TyperArgument:
                p.__class__ = ChineseArgument  # the same argument, with the help text above


class ChineseGroup(_Chinese, TyperGroup):
    """The top command: also renders usage errors in Chinese and exits 2 (a usage error)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = functools.partial(
            super().main, args, prog_name, complete_var, windows_expand_args=windows_expand_args, **extra
        )
        if not standalone_mode:
            return run(standalone_mode=False)
        try:
            rv = run(standalone_mode=False)
        except click_exc.NoArgsIsHelpError as exc:
            typer.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click_exc.ClickException as exc:
            typer.echo(usage_error_text(exc), err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("已中止。", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def use_chinese(app: typer.Typer) -> None:
    """Build ``app`` and every command registered on it from the classes above."""
    app.info.cls = ChineseGroup
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):  # typer's default, not a class a command chose
            info.cls = ChineseCommand
    for group in app.registered_groups:  # sub-commands (``juesuan user add``) alike
        if group.typer_instance is not None:
            use_chinese(group.typer_instance)


def usage_error_text(exc: click_exc.ClickException) -> str:
    """What click would print for ``exc``, in Chinese: the usage line, where help is, the error."""
    lines: list[str] = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        names = ctx.help_option_names
        if ctx.command.get_help_option(ctx) is not None and names:
            lines.append(f"用“{ctx.command_path} {names[0]}”查看帮助。")
        lines.append("")
    lines.append(f"错误：{_message(exc)}")
    return "\n".join(lines)


def _hint(exc: click_exc.BadParameter) -> str:
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(hint)
    hint = str(hint or "").strip("'\"")
    return f"“{hint}”" if hint else ""


def _message(exc: click_exc.ClickException) -> str:
    if isinstance(exc, click_exc.NoSuchOption):
        near = f"（是不是指：{'、'.join(sorted(exc.possibilities))}？）" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}{near}"
    if isinstance(exc, click_exc.MissingParameter):
        kind = (
            "参数" if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "argument" else "选项"
        )
        return f"缺少{kind} {_hint(exc)}".rstrip()
    if isinstance(exc, click_exc.BadParameter):
        hint = _hint(exc)
        return f"{hint} 的值无效：{exc.message}" if hint else f"值无效：{exc.message}"
    if isinstance(exc, click_exc.UsageError) and exc.message.startswith("Got unexpected extra argument"):
        extra = exc.message[exc.message.rfind("(") + 1 : exc.message.rfind(")")]
        return f"多余的参数（{extra}）"
    return exc.format_message()
