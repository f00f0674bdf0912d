"""A server for the connection tests and the hardening bench: the app on uvicorn in a thread with
the bounded protocol of web/serving.py, counting the bytes it reads from each connection; and an
unauthenticated 400 MB upload sent at it as fast as loopback allows."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from juesuan.web.app import Settings, create_app
from juesuan.web.serving import READ_CHUNK, TimedH11Protocol, options
from web_fixtures import fake_process

TOKEN = "s3cret"


class CountingProtocol(TimedH11Protocol):
    """Counts the bytes the server reads from each connection (what the goal bounds)."""

    read: list[int] = []

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        self._n = len(CountingProtocol.read)
        CountingProtocol.read.append(0)
        super().connection_made(transport)

    def data_received(self, data: bytes) -> None:
        CountingProtocol.read[self._n] += len(data)
        super().data_received(data)


@contextmanager
def served(tmp_path: Path, **settings: Any) -> Iterator[int]:
    """The app (shared token, the web tests' fake processor, ``settings``) on uvicorn with the
    bounded protocol, on a free loopback port."""
    app = create_app(Settings(data_dir=tmp_path / "data", token=TOKEN, processor=fake_process, **settings))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, **{**options(), "log_level": "error", "http": CountingProtocol})
    srv = uvicorn.Server(config)
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    end = time.monotonic() + 20
    while not (srv.started and srv.servers):
        assert time.monotonic() < end, "the server did not start"
        time.sleep(0.05)
    try:
        yield srv.servers[0].sockets[0].getsockname()[1]
    finally:
        srv.should_exit = True
        th.join(20)


def refused_upload(port: int) -> tuple[int, dict[str, Any], int, int]:
    """An upload without a token announcing 400 MB, its body sent as fast as the server takes it:
    (status, answer, bytes the client got into the socket, bytes the server read of it)."""
    CountingProtocol.read = []
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(
        b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        b"Content-Length: %d\r\n\r\n" % (400 << 20)
    )
    chunk = b"--x\r\n" + b"0" * (READ_CHUNK - 5)
    sent = 0
    s.settimeout(0.05)
    got = b""
    t0 = time.monotonic()
    while sent < 400 << 20 and time.monotonic() - t0 < 20:
        try:
            sent += s.send(chunk)
        except (TimeoutError, BlockingIOError):
            pass
        except (ConnectionResetError, BrokenPipeError):
            break
        try:
            data = s.recv(65536)
        except (TimeoutError, BlockingIOError):
            continue
        except ConnectionResetError:
            break
        if not data:
            break
        got += data
    s.close()
    time.sleep(0.2)  # the server has seen the connection end
    head, _, body = got.partition(b"\r\n\r\n")
    status = int(head.split()[1]) if head.startswith(b"HTTP/1.1") else 0
    (read,) = CountingProtocol.read
    return status, json.loads(body) if body else {}, sent, read
