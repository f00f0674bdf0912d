"""Every regular expression the readers apply to document text, against adversarial strings.

A pattern that backtracks super-linearly (two adjacent ``\\s*``, a run tried again from each of its
characters by a search, ``a*b*`` around a shared class …) turns one long line of a hostile or
broken file into minutes or hours. The patterns are gathered from the code itself, so a new one
is covered the day it is written: every module-level compiled pattern of ``juesuan.ingest`` and
``juesuan.tables``, and every literal pattern passed to ``re.search``/``re.sub``/… in their
source. Each is searched (the worst use: a search tries every start) over long runs of the
characters documents are made of, with and without a final character that makes the match fail.

The default run uses strings of 8 KB, where a quadratic pattern already takes a second and a
linear one under a millisecond; the slow run uses 1 MB strings, each search under a second.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest

import juesuan.ingest
import juesuan.tables

SRC = Path(juesuan.ingest.__file__).resolve().parent.parent
CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}

# What documents are made of: spaces of every kind, digits and separators, Chinese words and
# numerals, units, brackets, list marks, table rules and leaders.
UNITS = [
    " ", "\n", "\t", "\u3000", "1", "1,", "1.", "1，", " 1", "1 ", "0.", "一", "两", "第", "年", "度",
    "万元", "元", "预算", "决算数", "增长", "项目", "（", "(", "）", "、", "%", "|", "-", "|-", "| ", ":-",
    "- ", "#", "x", "X ", "×", "{", "a{", "<", "．", "…", ".", "·", "—", "_", "2023年", "部门",
]  # fmt: skip


def _module_patterns() -> dict[str, re.Pattern[str]]:
    out: dict[str, re.Pattern[str]] = {}
    for pkg in (juesuan.ingest, juesuan.tables):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if info.name.endswith((".ocr", ".ocr_lines", ".ocr_words")):
                continue  # numpy and the OCR engine: no text patterns, heavy to import
            mod = importlib.import_module(info.name)
            for attr, value in vars(mod).items():
                if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                    out[f"{info.name}.{attr}"] = value
    return out


# Patterns the code only ever matches at one place (``.match(text, pos)``, ``re.fullmatch``), never
# searches: measured as they are used, a match from the string's start.
MATCHED_ONLY = {
    "juesuan.ingest.narrative.claims._THRESHOLD",  # .match(text, tok.end): right after a number
}


def _literal_patterns() -> dict[str, re.Pattern[str]]:
    """Literal patterns passed to ``re.*`` inside functions (module-level ones are found above);
    those passed to ``re.match``/``re.fullmatch`` are listed in MATCHED_ONLY."""
    out: dict[str, re.Pattern[str]] = {}
    for path in sorted([*(SRC / "ingest").rglob("*.py"), *(SRC / "tables").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            flags = 0
            for kw in node.keywords:
                if kw.arg == "flags" and isinstance(kw.value, ast.Attribute):
                    flags |= getattr(re, kw.value.attr, 0)
            name = f"{path.relative_to(SRC)}:{node.lineno}"
            out[name] = re.compile(node.args[0].value, flags)
            if node.func.attr in ("match", "fullmatch"):
                MATCHED_ONLY.add(name)
    return out


_MODULE = _module_patterns()
_KNOWN = {p.pattern for p in _MODULE.values()}
PATTERNS = {**_MODULE, **{k: p for k, p in _literal_patterns().items() if p.pattern not in _KNOWN}}


def _inputs(size: int) -> list[str]:
    out = []
    for u in UNITS:
        run = u * (size // len(u))
        out += [run, run + "\x01"]
    # two units alternating in long runs (a digit run broken by separators, leaders and a number)
    out += [("1" * 50 + ",") * (size // 51), ("." * 40 + "1") * (size // 41), ("万元 " * 20 + "1") * (size // 61)]
    return out


def _worst(rx: re.Pattern[str], inputs: list[str], *, search: bool = True) -> tuple[float, str]:
    """The longest time the pattern takes on one of ``inputs``, and that input."""
    worst, which = 0.0, ""
    for s in inputs:
        t0 = time.perf_counter()
        if search:
            for _ in rx.finditer(s):
                pass
        else:
            rx.match(s)
        dt = time.perf_counter() - t0
        if dt > worst:
            worst, which = dt, s
    return worst, which


def test_patterns_are_gathered() -> None:
    # the gathering itself works: the known families are there (a broken walk would test nothing)
    names = " ".join(PATTERNS)
    for family in ("ingest.text", "ingest.office.html", "ingest.narrative", "ingest.assemble", "tables.numbers"):
        assert family in names
    assert len(PATTERNS) > 150


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_linear_on_8kb(name: str) -> None:
    search = name not in MATCHED_ONLY
    worst, which = _worst(PATTERNS[name], _INPUTS_8K, search=search)
    assert worst < 0.15, f"{name} {PATTERNS[name].pattern!r}: {worst:.2f} s on {which[:12]!r}…"
    if worst > 0.01:  # slow enough to measure its growth: on an input 4 times as long, a linear
        # pattern takes about 4 times as long, a quadratic one 16 times
        end = "\x01" if which.endswith("\x01") else ""
        longer, _ = _worst(PATTERNS[name], [which.removesuffix(end) * 4 + end], search=search)
        assert longer < 8 * worst, f"{name} {PATTERNS[name].pattern!r}: {worst:.3f} s -> {longer:.3f} s on 4 times {which[:12]!r}…"


_INPUTS_8K = _inputs(8 * 1024)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_under_a_second_on_1mb(name: str) -> None:
    worst, which = _worst(PATTERNS[name], _inputs(1 << 20), search=name not in MATCHED_ONLY)
    assert worst < 1.0, f"{name} {PATTERNS[name].pattern!r}: {worst:.2f} s on {which[:12]!r}…"


def test_a_quadratic_pattern_is_caught() -> None:
    # the measure tells the two apart: the stylesheet pattern the HTML reader had is quadratic
    slow, _ = _worst(re.compile(r"([^{}]+)\{([^{}]*)\}"), ["a{" + "b" * 8 * 1024])
    fast, _ = _worst(re.compile(r"\{[^{}]*\}"), ["a{" + "b" * 8 * 1024])
    assert slow > 20 * fast
