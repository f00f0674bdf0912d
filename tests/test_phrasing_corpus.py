"""The phrasing corpus (``tests/data/phrasing/*.yaml``): real sentence shapes of 决算 and 预算
narratives (the seeds, the samples, the Jiangsu budgets, and public disclosure pages paraphrased),
each with the claims the narrative reader must yield from it.

A file gives the document the sentences come from (``source``, ``kind``, ``year``, ``department``)
and its cases. A case gives the headings of the section the sentence stands in (outermost first),
the paragraphs read before it (``before``: what the sentence's claims may refer back to; their own
claims are not compared), the paragraph itself (``text``) and the claims it yields, in reading order,
one line each::

    change 「基本支出」 v=18570.82 d=+1447.63 p=8.45 q=basic how=previous_sentence

The line starts with the claim's kind, then its label in 「」 (left out for counts, whose words
follow the number), then fields: ``v`` value, ``u`` unit (万元 when left out), ``year`` (a number of
another year), ``q`` quantity key (the lexicon's; keys that need the document's tables are left
out), ``d`` change amount with its direction (``+`` / ``-``; ``0`` for 持平), ``p`` change rate or
share, ``dir`` direction of a change without an amount or of a 大于/小于 word, ``last`` last year's
amount the sentence states, ``part`` / ``total`` of a share, ``budget`` / ``actual`` / ``rate`` of a
completion, ``how`` how the subject was found (``BindingHow``) and ``n`` the number of candidate
amounts when not one. Numbers the reader leaves unrecognised (``other``) are not listed.

A field left out of a line is still compared where leaving it out says something: a change or an
amount without ``v`` has no stated amount, a share without ``part`` / ``total`` has none, a
completion without ``rate`` has none. Compared only where a line gives them: ``base`` / ``rbase`` the
base of a completion's budget and the base its rate names (年初预算, 全年预算, 调整预算, ``-`` for
none), ``basis`` what a change compares with (上年预算, 上年决算, 同口径, ``-``), ``ratio=1`` a share
of a base of comparison rather than of a whole.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from juesuan.model import Claim, ClaimKind
from juesuan.rules.cases import build_disclosure

CORPUS = Path(__file__).parent / "data" / "phrasing"
MIN_SHAPES = 300
# the shapes the corpus must show (by the ``shape`` note of a case)
REQUIRED = ["此外", "其中", "分别为", "持平", "元", "页码", "空格数字", "中文数字", "年初预算", "全年预算", "调整预算",
            "change(previous_sentence)", "change(explicit)", "share(explicit)", "句中写上年数"]  # fmt: skip

_LINE = re.compile(r"^(?P<kind>\w+)(?:\s+「(?P<label>[^」]*)」)?(?P<fields>(?:\s+\w+=\S+)*)\s*$")
_FIELD = re.compile(r"(\w+)=(\S+)")


def _files() -> list[Path]:
    return sorted(CORPUS.glob("*.yaml"))


def _cases() -> list[Any]:
    out = []
    for f in _files():
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            out.append(pytest.param(data, case, id=f"{f.stem}[{i}]"))
    return out


def _section(headings: list[str], paragraphs: list[str]) -> dict[str, Any]:
    sec: dict[str, Any] = {"heading": headings[-1], "paragraphs": paragraphs}
    for h in reversed(headings[:-1]):
        sec = {"heading": h, "children": [sec]}
    return sec


def read_case(meta: dict[str, Any], case: dict[str, Any]) -> list[Claim]:
    """The claims the reader yields from the case's ``text`` (read after its ``before``)."""
    metadata = {k: meta[k] for k in ("kind", "year", "department") if meta.get(k)}
    before = list(case.get("before") or [])

    def doc(paragraphs: list[str]):  # type: ignore[no-untyped-def]
        return build_disclosure({"metadata": metadata, "sections": [_section(case["headings"], paragraphs)]})

    skip = len(doc(before).claims) if before else 0
    claims = doc(before + list(case["text"])).claims[skip:]
    return [c for c in claims if c.kind is not ClaimKind.OTHER]


def _dec(v: object) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def mismatches(line: str, c: Claim) -> list[str]:
    """What of the expected ``line`` the claim ``c`` does not match."""
    m = _LINE.match(line)
    assert m, f"not a claim line: {line}"
    f = dict(_FIELD.findall(m.group("fields") or ""))
    a = c.attrs
    got: dict[str, object] = {"kind": c.kind.value}
    want: dict[str, object] = {"kind": m.group("kind")}
    if m.group("label") is not None:
        got["label"], want["label"] = c.label, m.group("label")
    for key, attr in (("u", "unit"), ("q", "quantity")):
        if key in f:
            got[key], want[key] = getattr(c, attr), f[key]
    if "year" in f or c.year is not None:
        got["year"], want["year"] = c.year, int(f["year"]) if "year" in f else None
    if "n" in f or (c.how is not None and c.candidates != 1 and c.kind is not ClaimKind.COUNT):
        got["n"], want["n"] = c.candidates, int(f.get("n", 1))
    if c.kind in (ClaimKind.AMOUNT, ClaimKind.CHANGE, ClaimKind.SHARE, ClaimKind.COMPLETION):
        got["how"], want["how"] = (c.how.value if c.how else None), f.get("how")
    if c.kind is ClaimKind.SHARE:
        if "ratio" in f:  # 1: a ratio to a base of comparison (占年初预算的), not a part of a whole
            got["ratio"], want["ratio"] = int(str(a.get("ratio") or 0)), int(f["ratio"])
        for key, attr in (("part", "part"), ("total", "share_of")):
            got[key], want[key] = _dec(a.get(attr)), _dec(f.get(key))
        got["p"], want["p"] = c.value, _dec(f.get("p"))
    elif c.kind is ClaimKind.COMPLETION:
        for key in ("budget", "actual", "rate"):
            got[key], want[key] = _dec(a.get(key)), _dec(f.get(key))
        # the base of the budget and the base the rate names (年初预算, 全年预算, 调整预算; - for
        # none named), compared where the line gives them
        for key, attr in (("base", "budget_base"), ("rbase", "rate_base")):
            if key in f:
                got[key], want[key] = str(a.get(attr) or "-"), f[key]
    elif c.kind is ClaimKind.CHANGE:
        if "basis" in f:  # what it compares with: 上年预算, 上年决算, 同口径 (- for unqualified)
            got["basis"], want["basis"] = str(a.get("basis") or "-"), f["basis"]
        got["v"], want["v"] = c.value, _dec(f.get("v"))
        got["last"], want["last"] = _dec(a.get("last_year_amount")), _dec(f.get("last"))
        got["p"], want["p"] = _dec(a.get("change_pct")), _dec(f.get("p"))
        d = a.get("change_amount")
        direction = int(str(a.get("direction") or 0))
        if "d" in f:
            sign = {"+": 1, "-": -1}.get(f["d"][0], 0)
            got["d"], want["d"] = (_dec(d), direction), (Decimal(f["d"].lstrip("+-")), sign)
        else:
            got["d"], want["d"] = _dec(d), None
            if "dir" in f:
                got["dir"], want["dir"] = direction, int(f["dir"])
    elif c.kind is ClaimKind.DIRECTION:
        if "dir" in f:
            got["dir"], want["dir"] = int(str(a.get("direction"))), int(f["dir"])
    else:
        got["v"], want["v"] = c.value, _dec(f.get("v"))
    return [f"{k}: 应为 {want[k]!r}，读出 {got[k]!r}" for k in want if got.get(k) != want[k]]


@pytest.mark.parametrize(("meta", "case"), _cases())
def test_sentence_yields_its_claims(meta: dict[str, Any], case: dict[str, Any]) -> None:
    claims = read_case(meta, case)
    lines = list(case["claims"])
    read = [f"{c.kind.value} 「{c.label}」 v={c.value} {dict((k, v) for k, v in c.attrs.items() if k != 'ctx')}"
            for c in claims]  # fmt: skip
    assert len(claims) == len(lines), "claims read:\n" + "\n".join(read)
    problems = [
        f"{line}\n    " + "；".join(p)
        for line, c in zip(lines, claims, strict=True)
        if (p := mismatches(line, c))
    ]
    assert not problems, "\n".join(problems)


def test_the_corpus_holds_enough_distinct_shapes() -> None:
    texts: set[str] = set()
    shapes: set[str] = set()
    for f in _files():
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        assert data.get("source") and data.get("cases"), f.name
        for case in data["cases"]:
            texts.add(re.sub(r"\s+", "", "".join(case["text"])))
            shapes.add(case.get("shape", ""))
    assert len(texts) >= MIN_SHAPES, f"{len(texts)} sentences in the corpus, fewer than {MIN_SHAPES}"
    notes = " ".join(shapes)
    missing = [s for s in REQUIRED if s not in notes]
    assert not missing, f"shapes without a case: {missing}"
