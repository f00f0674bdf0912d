"""What every request passes before the app sees it (a plain ASGI middleware, so it runs before
a byte of an upload's body is read):

- an upload (``POST /api/documents``, ``POST /upload``) is refused from its headers alone when the
  token is missing or wrong (401, or the login page) or its declared length is over the limit
  (413), and its connection closed; a body sent without a length (chunked) is counted as it
  arrives and cut off at the limit, so no one can fill the disk with a request;
- a client that keeps presenting wrong tokens is slowed down: after ``FAILURES`` refusals within
  ``WINDOW`` seconds it gets 429 until the window has passed;
- the API description (``/docs``, ``/openapi.json``, ``/redoc``) needs the token when one is set;
- every response carries a request id and the security headers (no MIME sniffing, a content
  security policy that loads nothing from elsewhere and allows no framing, no referrer).
"""

from __future__ import annotations

import hmac
import json
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "juesuan_token"
UPLOADS = {"/api/documents", "/upload"}
DOCS = {"/docs", "/openapi.json", "/redoc", "/docs/oauth2-redirect"}
MULTIPART_SLACK = 64 * 1024  # the form's boundaries and headers around the file itself
# An upload refused before its body is read closes its connection: kept alive, the server would
# have to read (and throw away) the rest of the body before the next request could be read.
CLOSE = (b"connection", b"close")
FAILURES = 10
WINDOW = 60.0

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        # the pages and reports are self-contained: inline styles and scripts, pictures as data:
        # URIs or from this server; nothing from elsewhere, no framing by other sites
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
]


def token_of(scope: Scope) -> str:
    """The token a request presents: ``Authorization: Bearer …``, else the login cookie."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header presents no token
        return ""
    morsel = cookie.get(COOKIE)
    return morsel.value if morsel else ""


def token_ok(given: str, token: str | None) -> bool:
    if not token:
        return True
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


class Guard:
    """The ASGI middleware; ``settings`` needs ``token`` and ``max_bytes``."""

    def __init__(self, app: ASGIApp, settings: Any, authorize: Callable[[Scope], bool] | None = None):
        self.app = app
        self.settings = settings
        # who may pass, judged from the headers alone (the accounts' sessions and tokens); the
        # shared token of ``settings`` when the app gives no judge
        self.authorize = authorize
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    # -- throttling -------------------------------------------------------------------------------
    def _recent(self, client: str) -> deque[float]:
        q = self.failures[client]
        now = time.monotonic()
        while q and now - q[0] > WINDOW:
            q.popleft()
        if not q:
            self.failures.pop(client, None)
        return q

    def throttled(self, client: str) -> float:
        """Seconds this client must wait (0: none)."""
        q = self._recent(client)
        if len(q) < FAILURES:
            return 0.0
        return max(1.0, WINDOW - (time.monotonic() - q[0]))

    def refused(self, client: str) -> None:
        self.failures[client].append(time.monotonic())

    # -- the middleware ---------------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex[:12]
        scope.setdefault("state", {})["request_id"] = rid
        client = (scope.get("client") or ("?", 0))[0]
        path = scope.get("path", "")
        headers = [(b"x-request-id", rid.encode()), *SECURITY_HEADERS]

        async def reply(status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
            body = json.dumps({"detail": detail, "request_id": rid}, ensure_ascii=False).encode("utf-8")
            hs = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": status, "headers": hs + headers + (extra or [])})
            await send({"type": "http.response.body", "body": body})

        wait = self.throttled(client)
        if wait and path != "/healthz" and not path.startswith("/static/"):
            await reply(429, f"令牌错误次数过多，请 {wait:.0f} 秒后再试", [(b"retry-after", str(int(wait) + 1).encode())])
            return
        if self.authorize is not None:
            authorized = self.authorize(scope)
        else:
            authorized = token_ok(token_of(scope), self.settings.token)
        if path in DOCS and not authorized and self.authorize is None:
            # (with the app's own judge, its routes answer: the page of the docs sends a stranger
            # to the login, the schema answers 401)
            self.refused(client)
            await reply(401, "需要有效的访问令牌（Authorization: Bearer …）", [(b"www-authenticate", b"Bearer")])
            return
        limit = self.settings.max_bytes + MULTIPART_SLACK
        cut = {"over": False}
        if scope.get("method") == "POST" and path in UPLOADS:
            if not authorized:
                self.refused(client)
                if path == "/upload":  # the form of the pages: back to the login page
                    await send({"type": "http.response.start", "status": 303, "headers": [(b"location", b"/login"), CLOSE, *headers]})
                    await send({"type": "http.response.body", "body": b""})
                else:
                    await reply(401, "需要有效的访问令牌（Authorization: Bearer …）", [(b"www-authenticate", b"Bearer"), CLOSE])
                return
            declared = dict(scope.get("headers", [])).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                await reply(413, f"文件过大：超过上限 {self.settings.max_bytes / 1024 / 1024:g} MB", [CLOSE])
                return
            seen = {"n": 0}
            inner = receive

            async def counted() -> Message:
                if cut["over"]:
                    return {"type": "http.disconnect"}
                msg = await inner()
                if msg["type"] == "http.request":
                    seen["n"] += len(msg.get("body", b""))
                    if seen["n"] > limit:  # stop reading: what arrives later is never stored
                        cut["over"] = True
                        return {"type": "http.disconnect"}
                return msg

            receive = counted
        started = {"sent": False, "swallow": False}

        async def send_wrapped(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                if cut["over"]:  # whatever the app made of the cut-off body, the answer is 413
                    started["swallow"] = True
                    started["sent"] = True
                    await reply(413, f"文件过大：超过上限 {self.settings.max_bytes / 1024 / 1024:g} MB", [CLOSE])
                    return
                if msg.get("status") == 401:
                    self.refused(client)
                msg = dict(msg)
                msg["headers"] = [*msg.get("headers", []), *headers]
                started["sent"] = True
            elif started["swallow"]:
                return
            await send(msg)

        try:
            await self.app(scope, receive, send_wrapped)
        except Exception:
            if cut["over"] and not started["sent"]:
                await reply(413, f"文件过大：超过上限 {self.settings.max_bytes / 1024 / 1024:g} MB", [CLOSE])
                return
            raise


__all__ = ["Guard", "token_of", "token_ok"]
