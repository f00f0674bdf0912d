"""Where an unexpected exception goes: the traceback into a log file whose path the user is
shown, never the traceback itself on the terminal or in a report.

The folder is ``JUESUAN_LOG_DIR`` when set, else ``~/.cache/juesuan/logs``, else (no writable
home) ``juesuan-logs`` in the system's temporary folder."""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import time
import traceback
from pathlib import Path

from .timeout import DocumentTimeout


def log_dir() -> Path:
    env = os.environ.get("JUESUAN_LOG_DIR")
    if env:
        return Path(env)
    return Path.home() / ".cache" / "juesuan" / "logs"


def write_crash_log(what: str, exc: BaseException) -> Path | None:
    """Write ``exc``'s traceback (``what``: the file or command it happened on) to a new log
    file and return its path; ``None`` when no folder can be written (the message then says so)."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = f"juesuan 内部错误 {stamp}\n对象：{what}\n\n" + "".join(traceback.format_exception(exc))
    for folder in (log_dir(), Path(tempfile.gettempdir()) / "juesuan-logs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"crash-{stamp}-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    return None


def internal_message(what: str, exc: BaseException) -> str:
    """The Chinese message for an unexpected exception on ``what``, with the log written."""
    log = write_crash_log(what, exc)
    where = f"，详细信息已写入 {log}" if log else "（日志无法写入）"
    return f"{what}：内部错误（{type(exc).__name__}）{where}，请报告此问题"


def is_timeout(exc: BaseException, started: float, seconds: float | None) -> bool:
    """Whether ``exc`` is the time limit firing, also when a native library (onnxruntime during
    OCR) caught the asynchronous DocumentTimeout and raised its own error around it."""
    if isinstance(exc, DocumentTimeout):
        return True
    if "DocumentTimeout" in f"{type(exc).__name__} {exc}":
        return True
    return bool(seconds) and time.monotonic() - started >= (seconds or 0)


__all__ = ["internal_message", "is_timeout", "log_dir", "write_crash_log"]
