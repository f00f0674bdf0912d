"""How ``juesuan serve`` runs the app: uvicorn with bounds on every connection.

uvicorn's HTTP/1.1 protocol (h11) bounds the size of a request's headers but not the time a
client takes to send them: a client that connects and sends its headers a byte every few seconds
(slowloris) held a connection as long as it liked, and a few hundred of them took every
connection the server allows. :class:`TimedH11Protocol` adds the missing clocks:

- **headers**: from the moment a connection is made (on a kept-alive connection: from the first
  byte of the next request) the request's headers must be complete within
  ``JUESUAN_HEADER_SECONDS``;
- **body**: once the headers are in, the body must keep arriving (no pause longer than
  ``JUESUAN_BODY_IDLE_SECONDS``) and be complete within ``JUESUAN_BODY_SECONDS``. A pause the
  server makes itself (flow control while the app is busy with what it has) does not count.

A client over a clock is answered 408 (JSON with a request id and a Chinese message, when no
answer has been started) and the connection is closed. The server reads at most 64 KB from a
socket at a time, so a request refused from its headers (no token, too large) costs at most that
much reading before its connection is closed.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..runtime.limits import LIMITS

READ_CHUNK = 64 * 1024


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with header and body read timeouts (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._idle_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._reading_body = False
        self._awaiting_headers = True  # between requests: the next request's headers are due

    # -- the clocks -------------------------------------------------------------------------------
    def _cancel(self, name: str) -> None:
        timer = getattr(self, name)
        if timer is not None:
            timer.cancel()
            setattr(self, name, None)

    def _arm_header_clock(self) -> None:
        self._cancel("_header_timer")
        self._header_timer = self.loop.call_later(LIMITS.header_seconds.value(), self._too_slow, "header")

    def _arm_idle_clock(self) -> None:
        self._cancel("_idle_timer")
        self._idle_timer = self.loop.call_later(LIMITS.body_idle_seconds.value(), self._too_slow, "idle")

    def _stop_body_clocks(self) -> None:
        self._reading_body = False
        self._cancel("_idle_timer")
        self._cancel("_body_timer")

    def _too_slow(self, which: str) -> None:
        if which == "header":
            self._header_timer = None
        elif which == "idle":
            self._idle_timer = None
            if self.flow is not None and self.flow.read_paused:  # the server's own pause: wait on
                self._arm_idle_clock()
                return
        else:
            self._body_timer = None
        if self.transport is None or self.transport.is_closing():
            return
        limit = {"header": LIMITS.header_seconds, "idle": LIMITS.body_idle_seconds, "body": LIMITS.body_seconds}[which]
        what = {"header": "请求头", "idle": "请求体", "body": "请求体"}[which]
        detail = (
            f"{what}发送过慢，连接已关闭（{limit.what}上限 {limit.value():g} {limit.unit}；可用环境变量 {limit.env} 调整）"
        )
        answered = self.cycle is not None and self.cycle.response_started and which != "header"
        if not answered:
            rid = uuid.uuid4().hex[:12]
            body = json.dumps({"detail": detail, "request_id": rid}, ensure_ascii=False).encode("utf-8")
            head = (
                b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json; charset=utf-8\r\n"
                b"content-length: %d\r\nconnection: close\r\nx-request-id: %s\r\n\r\n" % (len(body), rid.encode())
            )
            self.transport.write(head + body)
        self.logger.info("%s: %s", f"{self.client[0]}:{self.client[1]}" if self.client else "?", detail)
        self._stop_body_clocks()
        self._cancel("_header_timer")
        self.transport.close()

    # -- uvicorn's protocol, with the clocks wound and stopped ------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if hasattr(transport, "max_size"):  # asyncio's socket transport: bytes per recv()
            transport.max_size = READ_CHUNK
        self._arm_header_clock()

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers and self._header_timer is None:
            # the first byte of the next request on a kept-alive connection: its headers are timed
            # from now (the idle time before it is uvicorn's keep-alive timeout)
            self._arm_header_clock()
        super().data_received(data)

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not before and self.cycle is not None:  # a request's headers are in
            self._awaiting_headers = False
            self._cancel("_header_timer")
            self._stop_body_clocks()
            if self.conn.their_state is h11.SEND_BODY:
                self._reading_body = True
                self._body_timer = self.loop.call_later(LIMITS.body_seconds.value(), self._too_slow, "body")
        if self._reading_body:
            if self.conn.their_state is h11.SEND_BODY:
                self._arm_idle_clock()  # a piece arrived (or the headers just did): wait for the next
            else:
                self._stop_body_clocks()

    def on_response_complete(self) -> None:
        self._awaiting_headers = True
        super().on_response_complete()  # (a pipelined request already in is handled in here)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel("_header_timer")
        self._stop_body_clocks()
        super().connection_lost(exc)


def options() -> dict[str, Any]:
    """uvicorn's settings for ``juesuan serve`` (and for the tests that serve the app the same way)."""
    return {
        "log_level": "warning",
        "http": TimedH11Protocol,
        # an idle client does not hold a connection for long, headers are bounded in size, and a
        # flood of connections is answered 503 rather than exhausting the server
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 64 * 1024,
        "limit_concurrency": 200,
        # a stop (SIGTERM) lets requests in flight end for this long; then the app's own stop
        # lets running jobs end for JUESUAN_STOP_GRACE_SECONDS and leaves the rest queued
        "timeout_graceful_shutdown": 30,
    }


def run(app: Any, *, host: str, port: int) -> None:
    """Serve ``app`` with the bounds of this module (and uvicorn's own, :func:`options`)."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, **options())


__all__ = ["READ_CHUNK", "TimedH11Protocol", "options", "run"]
