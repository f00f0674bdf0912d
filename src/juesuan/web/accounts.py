"""Local user accounts: roles, password hashes, API tokens, login sessions and login throttling,
kept in the web app's DuckDB file beside the documents.

Passwords are hashed with Argon2id (argon2-cffi, the reference implementation's maintained Python
binding, MIT licence; see docs/design.md). Tokens and session ids are random 256-bit strings of
which only a SHA-256 digest is stored: a copy of the database does not let anyone log in.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from .store import Store

ROLES = ("admin", "reviewer", "readonly")
ROLES_ZH = {"admin": "管理员", "reviewer": "审核人", "readonly": "只读"}
# Who may change things: upload, decide, comment, re-check, write letters.
WRITERS = ("admin", "reviewer")

MAX_FAILURES = 5  # wrong passwords in a row before the name is refused …
LOCKOUT = _dt.timedelta(minutes=15)  # … for this long
SESSION_LIFE = _dt.timedelta(hours=12)
NAME_RE = re.compile(r"^[\w.@-]{1,64}$")  # \w includes CJK: 张三 is a valid user name

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS users (
        name VARCHAR PRIMARY KEY, role VARCHAR, password_hash VARCHAR, created_at TIMESTAMP
    )""",
    "CREATE TABLE IF NOT EXISTS api_tokens (digest VARCHAR PRIMARY KEY, name VARCHAR, created_at TIMESTAMP)",
    """CREATE TABLE IF NOT EXISTS sessions (
        digest VARCHAR PRIMARY KEY, name VARCHAR, csrf VARCHAR, created_at TIMESTAMP, expires_at TIMESTAMP
    )""",
    "CREATE TABLE IF NOT EXISTS login_failures (name VARCHAR, failed_at TIMESTAMP)",
]


class AccountError(Exception):
    """A refused account operation, with a Chinese message for the user."""


class Throttled(Exception):
    """Too many wrong passwords for this name: refused until ``until``."""

    def __init__(self, until: _dt.datetime):
        super().__init__(str(until))
        self.until = until


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_write(self) -> bool:
        return self.role in WRITERS

    @property
    def role_zh(self) -> str:
        return ROLES_ZH.get(self.role, self.role)


@dataclass(frozen=True)
class Session:
    user: User
    csrf: str


def _now() -> _dt.datetime:
    return _dt.datetime.now().replace(microsecond=0)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Accounts:
    def __init__(self, store: Store):
        self.store = store
        self.hasher = PasswordHasher()
        for stmt in SCHEMA:
            store.execute(stmt)

    # -- users ----------------------------------------------------------------------------------
    def any_users(self) -> bool:
        return bool(self.store.query("SELECT 1 FROM users LIMIT 1"))

    def get(self, name: str) -> User | None:
        rows = self.store.query("SELECT name, role FROM users WHERE name=?", [name])
        return User(rows[0]["name"], rows[0]["role"]) if rows else None

    def users(self) -> list[User]:
        return [User(r["name"], r["role"]) for r in self.store.query("SELECT name, role FROM users ORDER BY name")]

    def add(self, name: str, role: str, password: str) -> User:
        """Create a user, or set a new role and password for an existing one."""
        if not NAME_RE.match(name):
            raise AccountError(f"用户名不合规：{name!r}（1–64 个字符，只能用汉字、字母、数字和 . _ @ -）")
        if role not in ROLES:
            raise AccountError(f"没有这个角色：{role}（可选 admin、reviewer、readonly）")
        if len(password) < 8:
            raise AccountError("密码太短：至少 8 个字符")
        pw_hash = self.hasher.hash(password)
        if self.get(name) is None:
            self.store.execute("INSERT INTO users VALUES (?, ?, ?, ?)", [name, role, pw_hash, _now()])
        else:
            self.store.execute("UPDATE users SET role=?, password_hash=? WHERE name=?", [role, pw_hash, name])
            self.store.execute("DELETE FROM sessions WHERE name=?", [name])  # a new password ends old logins
        return User(name, role)

    # -- passwords and throttling -----------------------------------------------------------------
    def locked_until(self, name: str) -> _dt.datetime | None:
        since = _now() - LOCKOUT
        rows = self.store.query(
            "SELECT count(*) AS n, max(failed_at) AS last FROM login_failures WHERE name=? AND failed_at>=?", [name, since]
        )
        if rows and int(rows[0]["n"]) >= MAX_FAILURES:
            last: _dt.datetime = rows[0]["last"]
            return last + LOCKOUT
        return None

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when the password is right; None when not (the failure is counted, the same
        for an unknown name, so that names cannot be probed). Raises ``Throttled`` after
        ``MAX_FAILURES`` failures within ``LOCKOUT``, before the password is even looked at."""
        until = self.locked_until(name)
        if until is not None:
            raise Throttled(until)
        rows = self.store.query("SELECT role, password_hash FROM users WHERE name=?", [name])
        ok = False
        if rows:
            try:
                ok = self.hasher.verify(rows[0]["password_hash"], password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
        else:
            self.hasher.hash(password)  # the same work as a real check: the timing does not tell
        if not ok:
            now = _now()
            self.store.execute("DELETE FROM login_failures WHERE failed_at<?", [now - LOCKOUT])  # only the window counts
            self.store.execute("INSERT INTO login_failures VALUES (?, ?)", [name, now])
            return None
        self.store.execute("DELETE FROM login_failures WHERE name=?", [name])
        if self.hasher.check_needs_rehash(rows[0]["password_hash"]):
            self.store.execute("UPDATE users SET password_hash=? WHERE name=?", [self.hasher.hash(password), name])
        return User(name, rows[0]["role"])

    # -- API tokens -------------------------------------------------------------------------------
    def new_token(self, name: str) -> str:
        if self.get(name) is None:
            raise AccountError(f"没有这个用户：{name}")
        token = "js_" + secrets.token_urlsafe(32)
        self.store.execute("INSERT INTO api_tokens VALUES (?, ?, ?)", [_digest(token), name, _now()])
        return token

    def by_token(self, token: str) -> User | None:
        rows = self.store.query(
            "SELECT u.name, u.role FROM api_tokens t JOIN users u ON u.name=t.name WHERE t.digest=?", [_digest(token)]
        )
        return User(rows[0]["name"], rows[0]["role"]) if rows else None

    # -- sessions ---------------------------------------------------------------------------------
    def new_session(self, user: User) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = _now()
        self.store.execute("DELETE FROM sessions WHERE expires_at<?", [now])
        self.store.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", [_digest(sid), user.name, csrf, now, now + SESSION_LIFE])
        return sid, Session(user, csrf)

    def session(self, sid: str) -> Session | None:
        rows = self.store.query(
            "SELECT u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.name=s.name "
            "WHERE s.digest=? AND s.expires_at>=?",
            [_digest(sid), _now()],
        )
        return Session(User(rows[0]["name"], rows[0]["role"]), rows[0]["csrf"]) if rows else None

    def end_session(self, sid: str) -> None:
        self.store.execute("DELETE FROM sessions WHERE digest=?", [_digest(sid)])
