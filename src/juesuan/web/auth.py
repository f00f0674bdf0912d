"""Who is asking: the identity of a request, the role checks, CSRF, and the login pages.

Three regimes, by what the database holds:
- no user and no ``JUESUAN_TOKEN``: the app is open, as a single-user tool on one's own machine;
- no user but ``JUESUAN_TOKEN``: that one shared token (bearer header or the login cookie);
- at least one user (``juesuan user add``): every page needs a login and every API call a
  login or that user's own bearer token; the shared token no longer opens anything, so that
  every change is made by a named user.

A logged-in browser carries its session in a cookie, which the browser sends by itself: every
change it asks for (POST, DELETE) must also carry the session's CSRF token (the
``X-CSRF-Token`` header or the form field ``csrf``), which a page of another site cannot read.
Bearer-token calls need none: a token is never sent by itself.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from .accounts import Accounts, Throttled, User

SESSION_COOKIE = "juesuan_session"
LOGIN_CSRF_COOKIE = "juesuan_login_csrf"
SHARED_COOKIE = "juesuan_token"  # the shared-token login of the regime without users
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Identity:
    user: User | None  # None: no accounts (the open app or the shared token)
    via: str  # open, shared-token, token, session
    csrf: str | None = None

    @property
    def name(self) -> str | None:
        return self.user.name if self.user else None

    @property
    def can_write(self) -> bool:
        return self.user is None or self.user.can_write

    @property
    def is_admin(self) -> bool:
        return self.user is None or self.user.role == "admin"


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def _bearer(request: Request) -> str:
    given = request.headers.get("authorization", "")
    return given[7:].strip() if given.lower().startswith("bearer ") else ""


class Auth:
    def __init__(self, accounts: Accounts, shared_token: str | None):
        self.accounts = accounts
        self.shared_token = shared_token

    def identify(self, request: Request) -> Identity | None:
        bearer = _bearer(request)
        if not self.accounts.any_users():
            if not self.shared_token:
                return Identity(None, "open")
            given = bearer or request.cookies.get(SHARED_COOKIE, "")
            return Identity(None, "shared-token") if _same(given, self.shared_token) else None
        if bearer:
            user = self.accounts.by_token(bearer)
            return Identity(user, "token") if user else None
        sid = request.cookies.get(SESSION_COOKIE, "")
        session = self.accounts.session(sid) if sid else None
        return Identity(session.user, "session", session.csrf) if session else None


def _auth(request: Request) -> Auth:
    return request.app.state.juesuan.auth  # type: ignore[no-any-return]


def identity(request: Request) -> Identity | None:
    """The request's identity, worked out once per request."""
    if not hasattr(request.state, "identity"):
        request.state.identity = _auth(request).identify(request)
    ident: Identity | None = request.state.identity
    return ident


def check_csrf(ident: Identity, request: Request, form_value: str | None = None) -> None:
    if ident.via != "session" or request.method in SAFE_METHODS:
        return
    given = request.headers.get("x-csrf-token") or form_value or ""
    if not (ident.csrf and _same(given, ident.csrf)):
        raise HTTPException(403, "缺少或无效的 CSRF 令牌：请刷新页面后重试")


def reader(request: Request) -> Identity:
    """Dependency: any logged-in user (or the open app)."""
    ident = identity(request)
    if ident is None:
        raise HTTPException(401, "需要登录或有效的访问令牌（Authorization: Bearer …）", headers={"WWW-Authenticate": "Bearer"})
    return ident


async def writer(request: Request) -> Identity:
    """Dependency: a user who may change things (admin, reviewer), CSRF checked for a session
    (the header, else the form field ``csrf``)."""
    ident = reader(request)
    if not ident.can_write:
        raise HTTPException(403, "只读用户不能进行此操作")
    if ident.via == "session" and request.method not in SAFE_METHODS and "x-csrf-token" not in request.headers:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            value = (await request.form()).get("csrf")  # parsed once: the route's own fields reuse it
            check_csrf(ident, request, value if isinstance(value, str) else None)
            return ident
    check_csrf(ident, request)
    return ident


async def admin(request: Request) -> Identity:
    ident = await writer(request)
    if not ident.is_admin:
        raise HTTPException(403, "只有管理员可以进行此操作")
    return ident


def page_identity(request: Request) -> Identity | RedirectResponse:
    ident = identity(request)
    if ident is None:
        return RedirectResponse("/login", status_code=303)
    return ident


def login_router(templates: Jinja2Templates) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def form(request: Request, *, error: str | None = None, status: int = 200) -> Response:
        auth = _auth(request)
        users = auth.accounts.any_users()
        token = secrets.token_urlsafe(24)
        ctx: dict[str, Any] = {"users": users, "error": error, "login_csrf": token}
        resp = templates.TemplateResponse(request, "login.html", ctx, status_code=status)
        resp.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
        return resp

    @router.get("/login")
    def login_page(request: Request) -> Response:
        return form(request)

    @router.post("/login")
    def login(
        request: Request, name: str = Form(""), password: str = Form(""), token: str = Form(""), csrf: str = Form("")
    ) -> Response:
        auth = _auth(request)
        if not auth.accounts.any_users():
            if auth.shared_token and _same(token, auth.shared_token):
                resp = RedirectResponse("/", status_code=303)
                resp.set_cookie(SHARED_COOKIE, token, httponly=True, samesite="strict")
                return resp
            return form(request, error="令牌不正确。", status=401)
        # Login CSRF: the form's token must match the cookie set with the form (double submit),
        # so another site cannot log a visitor in under its own account.
        if not _same(csrf, request.cookies.get(LOGIN_CSRF_COOKIE, "")):
            return form(request, error="登录表单已过期，请重新输入。", status=403)
        try:
            user = auth.accounts.authenticate(name.strip(), password)
        except Throttled as exc:
            return form(
                request,
                error=f"密码错误次数过多，该用户已被暂时锁定，请于 {exc.until:%H:%M} 之后再试。",
                status=429,
            )
        if user is None:
            return form(request, error="用户名或密码不正确。", status=401)
        sid, _ = auth.accounts.new_session(user)
        resp = RedirectResponse("/", status_code=303)
        resp.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="lax")
        resp.delete_cookie(LOGIN_CSRF_COOKIE)
        return resp

    @router.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        ident = identity(request)
        if ident is not None and ident.via == "session":
            check_csrf(ident, request, csrf)
            _auth(request).accounts.end_session(request.cookies.get(SESSION_COOKIE, ""))
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(SESSION_COOKIE)
        resp.delete_cookie(SHARED_COOKIE)
        return resp

    return router
