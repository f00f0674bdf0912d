"""What a reviewer meets at the command line: a mistyped rule id is a usage error with the closest
ids, and the terminal shows errors and warnings first, counting the 提示 it leaves out."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import SAMPLES, SEEDS
from juesuan.api import check_path, example_path
from juesuan.cli import app
from juesuan.model import Severity
from juesuan.rules import load_catalogue, unknown_rule_selectors


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_unknown_rule_id_is_a_usage_error_naming_the_closest() -> None:
    out = _run("check", "--example", "-r", "T5-001")
    assert out.exit_code == 2
    assert "T5-001" in out.output and "T05-001" in out.output
    out = _run("check", "--example", "--exclude", "ZZZ")
    assert out.exit_code == 2 and "juesuan rules" in out.output


def test_prefixes_and_ids_are_known() -> None:
    assert unknown_rule_selectors(["T05", "t05-001", "N-00", "D", "Y-001"]) == {}
    assert set(unknown_rule_selectors(["T5", "X-999"])) == {"T5", "X-999"}


def test_terminal_shows_errors_and_warnings_and_counts_the_hidden_hints() -> None:
    out = _run("check", "--example")
    assert out.exit_code == 1
    text = out.output
    assert "[错误]" in text and "[提示]" not in text
    assert "另有" in text and "条尾数等提示（--min-severity info 显示）" in text
    everything = _run("check", "--example", "--min-severity", "info").output
    assert "[提示]" in everything and "条尾数等提示" not in everything


def test_json_keeps_every_finding_by_default() -> None:
    data = json.loads(_run("check", "--example", "-f", "json").stdout)
    severities = {f["severity"] for d in data["documents"] for f in d["findings"]}
    assert "info" in severities
    only_errors = json.loads(_run("check", "--example", "-f", "json", "--min-severity", "error").stdout)
    assert {f["severity"] for d in only_errors["documents"] for f in d["findings"]} == {"error"}


def test_a_file_that_is_no_disclosure_inside_a_folder_is_skipped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from juesuan.api import example_path

    (tmp_path / "example.txt").write_bytes(example_path().read_bytes())
    (tmp_path / "README.md").write_text("# 说明\n这是一个说明文件，不是部门决算。\n", encoding="utf-8")
    out = _run("check", str(tmp_path))
    assert out.exit_code == 1  # the example's errors; the README does not make it an input error
    assert "已跳过：不是决算/预算公开文件" in out.output and "1 个不是公开文件已跳过" in out.output
    data = json.loads(_run("check", str(tmp_path), "-f", "json").stdout)
    readme = next(d for d in data["documents"] if d["path"].endswith("README.md"))
    assert readme["skipped"] is True
    # named on the command line, it is still an input error
    assert _run("check", str(tmp_path / "README.md")).exit_code == 2


def test_template_names_the_department_in_the_facts_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    out = _run("template", str(tmp_path), "-d", "上海市普陀区测试局", "--year", "2025")
    assert out.exit_code == 0, out.output
    facts = yaml.safe_load((tmp_path / "facts.yaml").read_text(encoding="utf-8"))
    assert facts["department"] == "上海市普陀区测试局" and facts["year"] == 2025
    assert "示例市某某局" not in (tmp_path / "facts.yaml").read_text(encoding="utf-8")


def test_only_regular_files_within_the_size_limit_are_read(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os

    import pytest

    from juesuan.ingest import InputError, read

    with pytest.raises(InputError) as e:
        read("/dev/zero")  # a device: never read (it would never end)
    assert e.value.code == "not_a_file"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as e:
        read(fifo)  # a pipe: never opened (it would hang)
    assert e.value.code == "not_a_file"
    big = tmp_path / "big.pdf"
    with big.open("wb") as fh:
        fh.truncate(3 * 2**20)  # sparse: no disk used
    monkeypatch.setenv("JUESUAN_MAX_FILE_MB", "2")
    with pytest.raises(InputError) as e:
        read(big)
    assert e.value.code == "too_large" and "JUESUAN_MAX_FILE_MB" in e.value.message
    out = _run("check", "/dev/zero")
    assert out.exit_code == 2 and "不是普通文件" in out.output


def test_help_and_usage_errors_are_in_chinese() -> None:
    help_text = _run("check", "--help").output
    for english in ("Usage:", "Options", "Arguments", "Show this message and exit.", "[default:", "<list[str]>", "[OPTIONS]"):
        assert english not in help_text, english
    for group in ([], ["user"]):  # the groups' usage lines name their placeholders in Chinese too
        text = _run(*group, "--help").output
        assert "[OPTIONS]" not in text and "COMMAND" not in text and "[ARGS]" not in text, text
        assert "[选项] 命令 [参数]..." in text
    assert "用法：" in help_text and "显示本帮助并退出。" in help_text and "选项" in help_text
    for args, word in ((["check", "--bogus"], "没有选项 --bogus"), (["plot"], "缺少参数"), (["rules", "extra"], "多余的参数")):
        out = _run(*args)
        assert out.exit_code == 2, args
        assert word in out.output and "Error" not in out.output and "Usage" not in out.output, out.output


def test_the_compiled_catalogue_is_current() -> None:
    from juesuan.locale import CATALOGUE, COMPILED, compile_mo, parse_po

    assert COMPILED.read_bytes() == compile_mo(parse_po(CATALOGUE.read_text(encoding="utf-8"))), (
        "python -m juesuan.locale"
    )


def test_rules_list_every_level_a_rule_reports_at() -> None:
    # a rule that reports errors and warnings is listed with both (N-006 listed as 错误 alone while
    # its findings were 警告 looked like a wrong catalogue); every error or warning met on the
    # real documents and the example is at a level its rule declares
    out = _run("rules").output
    line = next(ln for ln in out.splitlines() if ln.startswith("N-006"))
    assert "错误/警告" in line
    cat = load_catalogue()
    files = [example_path(), *sorted(SAMPLES.glob("*.pdf")), *sorted(SEEDS.glob("*.txt"))]
    for path in files:
        for f in check_path(path).findings:
            rule = cat.get(f.rule_id)
            if rule is None or f.severity is Severity.INFO:
                continue
            assert f.severity in (rule.severity, *rule.also), (path.name, f.rule_id, f.severity)
