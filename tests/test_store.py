"""The corpus as users query it: ready questions, raw SQL, plots, and the CLI around them."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.cli import app
from juesuan.model import TableKind
from juesuan.store import open_corpus, run_batch
from juesuan.store.plot import PLOTS, plot
from juesuan.store.queries import QUESTIONS, run_question
from store_support import STANDIN, composed, make_inputs, write_json

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inputs = tmp_path_factory.mktemp("in")
    make_inputs(inputs, n=6, corrupt=True)
    out = tmp_path_factory.mktemp("corpus")
    run_batch([str(inputs)], out, reader=STANDIN, in_process=True)
    return out


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_ready_question_runs(corpus: Path, name: str) -> None:
    cols, rows = run_question(open_corpus(corpus), name)
    assert cols
    if name not in ("failed",):
        assert rows, f"{name} gives no rows on a corpus of composed disclosures"


def test_sangong_by_department_and_year(corpus: Path) -> None:
    cols, rows = run_question(open_corpus(corpus), "sangong")
    assert cols[:4] == ["部门", "年度", "预算合计", "决算合计"]
    assert len(rows) == 6 and {r[1] for r in rows} == {2023, 2024}
    for r in rows:
        parts = [v or Decimal(0) for v in r[4:7]]
        assert abs(r[3] - sum(parts)) <= Decimal("0.02")  # 合计 = items, up to rounding


def test_jiguan_change_is_against_the_same_department(corpus: Path) -> None:
    cols, rows = run_question(open_corpus(corpus), "jiguan")
    by = {(r[0], r[1]): r for r in rows}
    for (dept, year), r in by.items():
        if year == 2024:
            assert r[cols.index("比上年增减")] == r[2] - by[(dept, 2023)][2]
        else:
            assert r[cols.index("比上年增减")] is None


def test_project_share_is_a_percentage(corpus: Path) -> None:
    _cols, rows = run_question(open_corpus(corpus), "project-share")
    for r in rows:
        assert 0 < r[4] < 100
        assert abs(Decimal(100) * r[3] / r[2] - r[4]) <= Decimal("0.05")


def test_findings_by_rule_counts_departments(corpus: Path) -> None:
    cols, rows = run_question(open_corpus(corpus), "findings-by-rule")
    y = [r for r in rows if r[0] == "Y-001"]
    assert y and y[0][cols.index("部门数")] == 3
    # one row per rule, its severities in columns that add up to its count
    assert len({r[0] for r in rows}) == len(rows)
    for r in rows:
        assert r[cols.index("错误")] + r[cols.index("警告")] + r[cols.index("提示")] == r[cols.index("问题数")]


def test_cli_query_formats_and_sql(corpus: Path) -> None:
    r = runner.invoke(app, ["query", str(corpus), "sangong", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data) == 6 and isinstance(data[0]["决算合计"], str) and data[0]["决算合计"].count(".") == 1
    assert len(data[0]["决算合计"].split(".")[1]) == 2, "amounts shown as printed, two places"
    r = runner.invoke(
        app, ["query", str(corpus), "--sql", "SELECT count(*) AS n FROM documents", "-f", "csv"]
    )
    assert r.exit_code == 0 and r.stdout.splitlines() == ["n", "9"]
    r = runner.invoke(app, ["query", str(corpus), "findings-by-department"])
    assert r.exit_code == 0 and "示例市统计局" in r.stdout
    r = runner.invoke(app, ["query", str(corpus)])
    assert r.exit_code == 0 and all(q in r.stdout for q in QUESTIONS)


def test_cli_query_table_keeps_whole_names_and_aligns_amounts(corpus: Path) -> None:
    r = runner.invoke(app, ["query", str(corpus), "sangong"])
    assert r.exit_code == 0, r.output
    _cols, rows = run_question(open_corpus(corpus), "sangong")
    for dept in {row[0] for row in rows}:
        assert dept in r.stdout, f"{dept} cut in the table"
    assert "…" not in r.stdout
    amount = f"{rows[0][3]:,.2f}"
    line = next(ln for ln in r.stdout.splitlines() if amount in ln)
    assert f" {amount} │" in line  # right-aligned: the amount ends at its column's edge


def test_cli_query_errors_are_chinese(corpus: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["query", str(corpus), "--sql", "SELECT nonsense FROM nowhere"])
    assert r.exit_code == 2 and "SQL 错误" in r.output
    r = runner.invoke(app, ["query", str(corpus), "no-such-question"])
    assert r.exit_code == 2 and "没有名为" in r.output
    r = runner.invoke(app, ["query", str(tmp_path), "sangong"])
    assert r.exit_code == 2 and "不是 juesuan batch 的输出文件夹" in r.output


def test_questions_by_words_of_their_titles(corpus: Path, tmp_path: Path) -> None:
    by_name = runner.invoke(app, ["query", str(corpus), "sangong", "--format", "json"])
    by_words = runner.invoke(app, ["query", str(corpus), "三公", "--format", "json"])
    assert by_words.exit_code == 0 and by_words.output == by_name.output
    r = runner.invoke(app, ["query", str(corpus), "机关运行", "--format", "csv"])
    assert r.exit_code == 0 and "机关运行经费" in r.output.splitlines()[0]
    r = runner.invoke(app, ["query", str(corpus), "问题"])  # three questions are about findings
    assert r.exit_code == 2 and "可以指多个预置问题" in r.output and "findings-by-rule" in r.output
    r = runner.invoke(app, ["plot", str(corpus), "项目支出", "-o", str(tmp_path / "p.svg")])
    assert r.exit_code == 0 and (tmp_path / "p.svg").read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize("name", sorted(PLOTS))
def test_plots_png_and_svg(corpus: Path, tmp_path: Path, name: str) -> None:
    con = open_corpus(corpus)
    png = plot(con, name, tmp_path / f"{name}.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    svg = plot(con, name, tmp_path / f"{name}.svg")
    assert b"<svg" in svg.read_bytes()[:2000]


def test_cli_plot(corpus: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["plot", str(corpus), "jiguan", "-o", str(tmp_path / "j.svg")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "j.svg").exists()
    r = runner.invoke(app, ["plot", str(corpus), "jiguan", "-o", str(tmp_path / "j.gif")])
    assert r.exit_code == 2 and ".png 或 .svg" in r.output
    r = runner.invoke(app, ["plot", str(corpus), "nope", "-o", str(tmp_path / "j.png")])
    assert r.exit_code == 2


def test_empty_corpus_plots_a_message(tmp_path: Path) -> None:
    run_batch([], tmp_path, in_process=True)
    out = plot(open_corpus(tmp_path), "sangong", tmp_path / "e.png")
    assert out.stat().st_size > 1000


def test_moved_corpus_still_opens(corpus: Path, tmp_path: Path) -> None:
    first = tmp_path / "first"
    shutil.copytree(corpus, first)
    open_corpus(first, read_only=False).close()  # views now point into first/
    moved = tmp_path / "moved"
    first.rename(moved)
    con = open_corpus(moved)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (9,)


def test_cli_batch_end_to_end(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in", n=3, corrupt=True)
    args = [
        "batch",
        str(tmp_path / "in"),
        "--out",
        str(tmp_path / "out"),
        "--reader",
        STANDIN,
        "--workers",
        "1",
    ]
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output  # corrupt inputs are reported, the batch goes on
    assert "失败 2 个" in r.output and "empty.txt：文件为空" in r.output
    assert "已跳过 1 个不是决算/预算公开的文件" in r.output and "已跳过：" in r.output and "binary.dat" in r.output
    assert (tmp_path / "out" / "corpus.duckdb").exists()
    assert "问题（本次输入的全部文件，含跨年度）：错误 " in r.output
    r = runner.invoke(app, args)
    assert "已在语料库中跳过 6 个" in r.output
    # a rerun reports the same verdict as the first run: the bad files (skipped now) and exit 2
    assert r.exit_code == 2, r.output
    assert r.output.count("以前失败、本次跳过") == 2 and "empty.txt：文件为空" in r.output
    assert "已跳过 1 个不是决算/预算公开的文件" in r.output
    # the good documents alone: exit 0 when clean, 1 for error-level findings, as a linter would
    good = [str(p) for p in sorted((tmp_path / "in").glob("doc*.json"))]
    r = runner.invoke(app, ["batch", *good, "--out", str(tmp_path / "out"), "--reader", STANDIN])
    assert "失败 0 个" in r.output and "以前失败" not in r.output
    assert r.exit_code == 0 and "错误 0 条" in r.output, r.output
    doc = composed(7, "示例市审计局", 2024)
    t01 = doc.table(TableKind.T01)
    assert t01 is not None
    row = t01.row("inc_total_year")
    assert row is not None
    total = row.cells["amount"]
    total.value = (total.value or 0) + 1000
    bad = write_json(doc, tmp_path / "in2" / "wrong-total.json")
    r = runner.invoke(app, ["batch", *good, str(bad), "--out", str(tmp_path / "out"), "--reader", STANDIN])
    assert r.exit_code == 1, r.output
    assert "有错误级问题的文件 1 个" in r.output


def test_charts_name_departments_and_rules_in_full(corpus: Path, tmp_path: Path) -> None:
    """Horizontal bars labelled with the whole department name and year, the rule's id, name and
    severity in Chinese, and each bar's value written on it."""
    con = open_corpus(corpus)
    _, rows = run_question(con, "sangong")
    svg = plot(con, "sangong", tmp_path / "s.svg").read_text(encoding="utf-8")
    for r in rows:
        assert f"{r[0]}（{r[1]}）" in svg
    total = sum(float(r[i] or 0) for i in (4, 5, 6) for r in rows[:1])
    assert f"{total:,.2f}" in svg
    cols, by_rule = run_question(con, "findings-by-rule")
    assert len({r[0] for r in by_rule}) == len(by_rule)  # one row per rule, its severities in columns
    assert cols[2:6] == ["错误", "警告", "提示", "问题数"] and all(r[2] + r[3] + r[4] == r[5] for r in by_rule)
    svg = plot(con, "findings-by-rule", tmp_path / "r.svg").read_text(encoding="utf-8")
    first = by_rule[0]
    assert f"{first[0]} {first[1][:10]}" in svg and f">{first[5]}<" in svg
    assert all(w in svg for w in ("错误", "警告", "提示")) and "warning" not in svg and "(info)" not in svg
