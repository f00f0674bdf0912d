"""What the browser walks share: the app served on a free loopback port, and waiting for a
condition in the page."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on 127.0.0.1; yields its base address."""
    import uvicorn

    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error"))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    end = time.monotonic() + 20
    while not (srv.started and srv.servers):
        assert time.monotonic() < end, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{srv.servers[0].sockets[0].getsockname()[1]}"
    finally:
        srv.should_exit = True
        th.join(20)


def until(page: Any, condition: str, seconds: float = 20) -> None:
    """Wait until the JavaScript expression ``condition`` holds in the page. Polled from here:
    wait_for_function evaluates a string inside the page, which the app's content security
    policy (no 'unsafe-eval') forbids, as it should."""
    end = time.monotonic() + seconds
    while not page.evaluate(f"() => ({condition})"):
        assert time.monotonic() < end, f"not reached: {condition}"
        time.sleep(0.1)
