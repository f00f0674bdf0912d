"""The faster paths of sentence splitting and claim reading answer as the plain ones they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from juesuan.ingest.narrative import claims
from juesuan.ingest.narrative import quantities as q
from juesuan.ingest.narrative.numbers import NUMBER, parse_number
from juesuan.ingest.narrative.sentences import make_paragraph, split_sentences
from juesuan.model import Location, Paragraph, Sentence

_TEXT = st.text(alphabet="。！？!?；; ”’」』）)甲乙1 \t\n\u3000\xa0", max_size=30)
_LOCS = [
    None,
    Location(line=3),
    Location(line=3, col=5),
    Location(line=1, end_line=4),
    Location(page=2, bbox=(1.0, 2.0, 3.0, 4.0)),
    Location(line=2, page=1),
    Location(ref="Sheet1!B7"),
]


def _split_reference(text: str) -> list[tuple[int, int]]:
    """split_sentences as first written: slice, strip and trim each span."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[。！？!?；;]+[”’」』）)]*", text):
        if text[start : m.end()].strip():
            spans.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        out.append((s, e))
    return out


def _paragraph_reference(text: str, loc: Location | None) -> Paragraph:
    sentences = []
    for s, e in _split_reference(text):
        sloc = loc
        if loc is not None and loc.line is not None and loc.page is None:
            sloc = loc.model_copy(update={"col": (loc.col or 1) + s})
        sentences.append(Sentence(text=text[s:e], loc=sloc, start=s, end=e))
    return Paragraph(text=text, sentences=sentences, loc=loc)


def _same(a: object, b: object) -> None:
    assert type(a) is type(b)
    if isinstance(a, (Paragraph, Sentence, Location)):
        assert isinstance(b, type(a))
        assert a.model_fields_set == b.model_fields_set
        assert list(a.__dict__) == list(b.__dict__)
        for k, v in a.__dict__.items():
            _same(v, b.__dict__[k])
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


@given(_TEXT)
def test_split_sentences_as_before(text: str) -> None:
    assert split_sentences(text) == _split_reference(text)


@settings(max_examples=300)
@given(_TEXT, st.sampled_from(_LOCS))
def test_make_paragraph_as_validated(text: str, loc: Location | None) -> None:
    got, want = make_paragraph(text, loc), _paragraph_reference(text, loc)
    _same(got, want)
    assert got.model_dump_json() == want.model_dump_json()
    assert got.loc is loc
    for s in got.sentences:  # a page location is shared, a line location copied per column
        assert (s.loc is loc) == (loc is None or loc.line is None or loc.page is not None)


_TOKEN_REFERENCE = re.compile(NUMBER.pattern + r"\s*" + claims._UNIT)


def _matches(rx: re.Pattern[str], text: str, pos: int) -> list[tuple[object, ...]]:
    return [(m.span(), m.span("num"), m.span("unit"), m.group(0)) for m in rx.finditer(text, pos)]


@settings(max_examples=500)
@given(st.text(alphabet="0123456789١.,， \u3000aZ万元亿%％辆批次人个台套（）()分项家民员中", max_size=16), st.integers(0, 16))
def test_token_pattern_is_number_and_unit(text: str, pos: int) -> None:
    assert _matches(claims._TOKEN, text, pos) == _matches(_TOKEN_REFERENCE, text, pos)


@given(st.from_regex(NUMBER, fullmatch=True))
def test_number_fast_path(num: str) -> None:
    assert claims._number(num) == parse_number(num)
    v, w = claims._number(num), parse_number(num)
    assert v is not None and w is not None and v.as_tuple() == w.as_tuple()


def test_name_index_answers_as_the_names() -> None:
    names = {
        "208": "社会保障和就业支出",
        "20801": "人力资源和社会保障管理事务",
        "2080101": "行政运行",
        "2080109": "社会保险经办机构",
        "201": "一般公共服务支出",
        "20101": "人大事务",
        "2010101": "行政运行",
        "210": "卫生健康",
    }
    ix = q.name_index(names)
    labels = ["社会保障和就业", "社会保障和就业支出", "卫生健康支出（类）", "本部门一般公共服务（类）支出", "行政运行", "教育", "支出"]
    for label in labels:
        assert q.class_key(label, names, ix) == q.class_key(label, names)
    paths = [
        [("项", "行政运行")],
        [("类", "社会保障和就业"), ("款", "人力资源和社会保障管理事务"), ("项", "行政运行")],
        [("类", "一般公共服务"), ("项", "行政运行")],
        [("款", "人大事务"), ("项", "社会保险经办机构")],
        [("项", "不存在的科目")],
        [("类", "卫生健康支出")],
    ]
    for parts in paths:
        for hint in (None, "社会保障和就业", "一般公共服务支出"):
            assert q.resolve_subject(parts, names, hint, ix) == q.resolve_subject(parts, names, hint)


def test_first_table_is_table_and_its_index() -> None:
    from juesuan.compose import synth
    from juesuan.compose.document import build_disclosure
    from juesuan.model import TableKind

    tables, facts = synth(1)
    doc = build_disclosure(tables, facts)[0]
    doc.tables.append(doc.tables[0].model_copy())  # a second table of the first kind
    lookup = q.TableLookup(doc)
    for kind in TableKind:
        tab = doc.table(kind)
        want = (doc.table_index(tab), tab) if tab is not None else (-1, None)
        got = lookup.first(kind)
        assert got[0] == want[0] and got[1] is want[1]


def test_binding_lookup_finds_the_row_and_cell_the_linear_search_finds() -> None:
    """Binding looks rows up through ``TableLookup``: the row ``Table.row`` finds, for every key
    and side, also for a table with repeated keys."""
    from juesuan.compose import synth
    from juesuan.compose.document import build_disclosure

    tables, facts = synth(2)
    doc = build_disclosure(tables, facts)[0]
    t = doc.tables[0]
    t.rows.append(t.rows[0].model_copy(update={"side": "other"}))  # a key again, on another side
    lookup = q.TableLookup(doc)
    seen = 0
    for tab in doc.tables:
        for key in {r.key for r in tab.rows} | {"total", "no_such_row"}:
            for side in (None, "income", "expense", "personnel", "public", "other"):
                assert lookup.row(tab, key, side) is tab.row(key, side)
                for col in [c.key for c in tab.columns] + ["no_such_column"]:
                    assert lookup.cell(tab, key, col, side) is tab.cell(key, col, side)
                    seen += 1
    assert seen > 1000
