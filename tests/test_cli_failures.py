"""When the program itself fails or runs out of time: a short Chinese message naming the file
(and the log holding the traceback), exit 3 for an internal error and 2 for a timeout, and the
other files still checked. Never a traceback on the terminal."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import juesuan.api as api_mod
import juesuan.cli as cli_mod
from juesuan.api import check_path, example_path
from juesuan.cli import app
from juesuan.ingest import read as real_read
from juesuan.model import Disclosure


@pytest.fixture
def logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv("JUESUAN_LOG_DIR", str(folder))
    return folder


def _bad_reader(bad: str, exc: BaseException | None = None, sleep: float = 0.0):  # type: ignore[no-untyped-def]
    def read(path: str | Path) -> Disclosure:
        if Path(path).name == bad:
            if sleep:
                deadline = time.monotonic() + sleep
                while time.monotonic() < deadline:  # Python code the time limit can interrupt
                    pass
            if exc is not None:
                raise exc
        return real_read(example_path())

    return read


def _two_files(tmp_path: Path) -> tuple[Path, Path]:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_bytes(example_path().read_bytes())
    bad.write_bytes(example_path().read_bytes())
    return good, bad


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_an_internal_error_names_the_file_and_the_log_and_exits_3(
    fmt: str, tmp_path: Path, logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = _two_files(tmp_path)
    monkeypatch.setattr(api_mod, "read", _bad_reader("bad.txt", ZeroDivisionError("division by zero")))
    args = ["check", str(bad), str(good), "-f", fmt]
    if fmt == "html":
        args += ["-o", str(tmp_path / "r.html")]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 3, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.output
    assert f"{bad}：内部错误（ZeroDivisionError）" in res.output
    (log,) = logs.iterdir()
    assert str(log) in res.output
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: division by zero" in text and str(bad) in text
    # the other file was checked all the same
    if fmt == "html":
        assert "示例市社会保险事业管理局" in (tmp_path / "r.html").read_text(encoding="utf-8")
    else:
        assert "T02-002" in res.output


def test_a_document_over_its_time_limit_is_a_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good, bad = _two_files(tmp_path)
    monkeypatch.setattr(api_mod, "read", _bad_reader("bad.txt", sleep=30))
    t0 = time.monotonic()
    res = CliRunner().invoke(app, ["check", str(bad), str(good), "--timeout", "0.5"])
    assert time.monotonic() - t0 < 20
    assert res.exit_code == 2, res.output
    assert f"{bad}：处理超过时限 0.5 秒" in res.output and "T02-002" in res.output


def test_a_timeout_wrapped_by_a_native_library_is_still_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """onnxruntime catches the asynchronous DocumentTimeout raised during OCR and raises its own
    error around it: still a timeout, not an internal error."""

    class OrtError(RuntimeError):
        pass

    monkeypatch.setattr(api_mod, "read", _bad_reader("x.txt", OrtError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : DocumentTimeout()")))
    r = check_path("x.txt", timeout=60)
    assert r.error_code == "timeout" and "处理超过时限 60 秒" in (r.error or "")


def test_memory_exhaustion_is_an_input_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_mod, "read", _bad_reader("big.pdf", MemoryError()))
    r = check_path("big.pdf")
    assert r.error_code == "memory" and "内存不足" in (r.error or "")
    assert cli_mod.exit_code([r]) == 2


def test_main_turns_any_exception_into_exit_3_without_a_traceback(
    logs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom() -> None:
        raise KeyError("unexpected")

    monkeypatch.setattr(cli_mod, "app", lambda **kw: boom())
    with pytest.raises(SystemExit) as ei:
        cli_mod.main()
    assert ei.value.code == 3
    err = capsys.readouterr().err
    assert "内部错误（KeyError）" in err and "Traceback" not in err
    (log,) = logs.iterdir()
    assert str(log) in err.replace("\n", "") and "KeyError: 'unexpected'" in log.read_text(encoding="utf-8")
