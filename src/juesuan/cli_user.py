"""Account commands of the web app: ``juesuan user add|token|list`` (registered on the main app).

They write the same DuckDB file ``juesuan serve`` uses. DuckDB lets one process hold a file
for writing: run them before the server starts, or stop it first."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from .web.accounts import Accounts

DEFAULT_DB = Path("juesuan-data") / "juesuan.duckdb"  # what `serve` uses with its default data directory

user_app = typer.Typer(help="网页应用的用户：添加用户、生成 API 令牌、列出用户。", no_args_is_help=True, rich_markup_mode=None)

DbOption = Annotated[Path, typer.Option("--db", metavar="数据库", help="DuckDB 数据库文件（与 serve 使用的相同）")]


def _open(db: Path) -> Accounts:
    import duckdb  # start-up: loaded when a user command runs

    from .web.accounts import Accounts
    from .web.store import Store

    try:
        return Accounts(Store(db))
    except duckdb.IOException as exc:
        typer.echo(f"无法打开数据库 {db}：{exc}（网页应用正在运行时请先停止它）", err=True)
        raise typer.Exit(2) from None


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("密码：")
        if getpass.getpass("再输一次：") != first:
            typer.echo("两次输入的密码不一致。", err=True)
            raise typer.Exit(2)
        return first
    return sys.stdin.readline().rstrip("\r\n")  # one line from a pipe: `echo … | juesuan user add`


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(metavar="用户名", help="用户名")],
    role: Annotated[str, typer.Option("--role", metavar="角色", help="角色：admin（管理员）、reviewer（审核人）、readonly（只读）")] = "reviewer",
    db: DbOption = DEFAULT_DB,
) -> None:
    """添加用户（已有同名用户时更新其角色和密码）；密码从标准输入读取。"""
    from .web.accounts import ROLES_ZH, AccountError

    accounts = _open(db)
    existed = accounts.get(name) is not None
    try:
        user = accounts.add(name, role, _read_password())
    except AccountError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    finally:
        accounts.store.close()
    typer.echo(f"{'已更新' if existed else '已添加'}用户 {user.name}（{ROLES_ZH[user.role]}）。")


@user_app.command("token")
def token(name: Annotated[str, typer.Argument(metavar="用户名", help="用户名")], db: DbOption = DEFAULT_DB) -> None:
    """为用户生成一个新的 API 令牌并打印（只显示这一次）；调用时使用 Authorization: Bearer 令牌。"""
    from .web.accounts import AccountError

    accounts = _open(db)
    try:
        typer.echo(accounts.new_token(name))
    except AccountError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    finally:
        accounts.store.close()


@user_app.command("list")
def list_users(db: DbOption = DEFAULT_DB) -> None:
    """列出用户及其角色。"""
    accounts = _open(db)
    try:
        for u in accounts.users():
            typer.echo(f"{u.name}\t{u.role_zh}")
    finally:
        accounts.store.close()


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
