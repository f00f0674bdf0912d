"""The model: JSON round trip, blank/zero/missing, the published JSON Schema."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from juesuan.model import Cell, Disclosure, Location, Ref, Row, Table, TableKind
from juesuan.model.finding import QUOTE_CHARS
from juesuan.model.jsonschema import schemas
from juesuan.rules.cases import build_disclosure

ROOT = Path(__file__).resolve().parents[1]


def _doc() -> Disclosure:
    return build_disclosure(
        {
            "metadata": {"department": "示例市测试局", "year": 2024, "unit": "万元"},
            "tables": [
                {
                    "kind": "T05",
                    "number": "公开05表",
                    "rows": {
                        "total": {"total": "881.98", "basic": "771.45", "project": "110.54"},
                        "208": {"total": "793.87", "basic": "", "project": "0.00"},
                    },
                }
            ],
            "sections": [{"heading": "一、收入支出决算总体情况说明", "paragraphs": ["收入总计1,051.37万元。其中：本年收入900.28万元。"]}],
        }
    )


def test_json_round_trip_is_exact() -> None:
    doc = _doc()
    text = doc.model_dump_json()
    back = Disclosure.model_validate_json(text)
    assert back == doc
    t = back.table(TableKind.T05)
    assert t is not None
    assert t.value("total", "basic") == D("771.45")
    # amounts travel as strings in JSON: no float anywhere
    raw = json.loads(text)
    assert raw["tables"][0]["rows"][0]["cells"]["total"]["value"] == "881.98"


def test_blank_zero_missing_are_distinct() -> None:
    t = _doc().tables[0]
    blank = t.cell("208", "basic")
    zero = t.cell("208", "project")
    assert blank is not None and blank.blank and blank.value is None
    assert zero is not None and not zero.blank and zero.value == 0
    assert t.cell("208", "personnel") is None  # missing


def test_sentences_and_locations() -> None:
    doc = _doc()
    p = doc.sections[0].paragraphs[0]
    assert [s.text for s in p.sentences] == ["收入总计1,051.37万元。", "其中：本年收入900.28万元。"]
    assert p.sentences[1].loc is not None and p.sentences[1].loc.col == 1 + p.sentences[1].start


def test_published_schema_is_current() -> None:
    for name, text in schemas().items():
        path = ROOT / "docs/schema" / name
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: python -m juesuan.model.jsonschema"


@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[0-9]{3,7}", fullmatch=True),
            st.one_of(st.none(), st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False)),
        ),
        max_size=20,
    )
)
def test_round_trip_any_cells(rows: list[tuple[str, D | None]]) -> None:
    t = Table(
        kind=TableKind.T02,
        rows=[
            Row(key=k, code=k, cells={"total": Cell(raw="" if v is None else str(v), value=v, loc=Location(page=1, bbox=(1.0, 2.0, 3.5, 4.25)))})
            for k, v in rows
        ],
    )
    doc = Disclosure(tables=[t])
    assert Disclosure.model_validate_json(doc.model_dump_json()) == doc


def test_a_long_paragraph_is_quoted_cut_in_a_place() -> None:
    short = Ref(text="与上年相比增加（减少）0万元。")
    assert short.describe() == "“与上年相比增加（减少）0万元。”"
    long = Ref(text="说明" * 400)
    quoted = long.describe()
    assert len(quoted) == QUOTE_CHARS + 2 and quoted.endswith("…”")
