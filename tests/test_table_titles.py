"""One classifier of table titles (``tables.recognize.kind_from_title``) with two readings, and the
reader stage that reads the 目录 and the headings (``ingest/document_parts.py``): both give, on the
real documents, the rule cases and composed documents, exactly what the code they replaced gave.

Before, the reader recognised a table by its title with ``kind_from_title`` and the document rules
named the table of a 目录 line (or of a table the reader left as OTHER) with their own
``title_kind``; the document rules parsed 目录 lines and headings with their own patterns. The two
classifiers disagree on some titles (``一般公共预算支出预算表``: T05 for the reader, none for the
目录), so the one classifier keeps both readings (``contents=True`` for the 目录's). The functions
``_old_*`` below are those replaced, kept here as the reference.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES, SEEDS
from juesuan.compose import compose, synth
from juesuan.ingest import read
from juesuan.ingest.document_parts import read_document_parts
from juesuan.model import Disclosure, Location, Section, Table, TableKind
from juesuan.rules.cases import all_case_files, build_disclosure, load_cases
from juesuan.rules.families.document.common import effective_kind
from juesuan.rules.families.document.contents import Heading, body_outline, toc_outline
from juesuan.rules.families.document.table_numbering import toc_tables
from juesuan.tables import recognize
from juesuan.tables.budget import BUDGET_TABLE_KINDS, budget_kind_from_title
from juesuan.tables.numbers import cn_to_int
from juesuan.tables.recognize import kind_from_title

# --- the replaced code -------------------------------------------------------------------------

_OLD_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_OLD_BRACKETS = str.maketrans({"(": "（", ")": "）", "“": "", "”": "", '"': "", "*": ""})
_OLD_TITLE_RULES: list[tuple[TableKind, tuple[str, ...]]] = [
    (TableKind.PERF_DEPT, ("整体支出", "绩效")),
    (TableKind.PERF_PROJECT, ("绩效", "自评")),
    (TableKind.PERF_PROJECT, ("绩效", "评价表")),
    (TableKind.T09S, ("三公", "统计")),
    (TableKind.T09S, ("相关统计数",)),
    (TableKind.T09, ("三公",)),
    (TableKind.T10, ("机关运行经费",)),
    (TableKind.T11, ("政府采购",)),
    (TableKind.T06, ("基本支出",)),
    (TableKind.T07, ("政府性基金",)),
    (TableKind.T08, ("国有资本经营",)),
    (TableKind.T05, ("一般公共预算", "支出")),
    (TableKind.T04, ("财政拨款收入支出",)),
    (TableKind.T01, ("收入支出决算总表",)),
    (TableKind.T01, ("收支决算总表",)),
    (TableKind.T02, ("收入决算表",)),
    (TableKind.T03, ("支出决算表",)),
]


def _old_kind_from_title(title: str) -> TableKind | None:
    """``tables.recognize.kind_from_title`` before: the reader's."""
    t = _OLD_SPACE.sub("", title).translate(_OLD_BRACKETS)
    if not t:
        return None
    for kind, need in _OLD_TITLE_RULES:
        if all(w in t for w in need):
            return kind
    return None


_OLD_WS = re.compile(r"[\s\u3000]+")


def _old_title_kind(title: str) -> TableKind | None:
    """``rules.families.d_document.title_kind`` before: the 目录's."""
    t = _OLD_WS.sub("", title)
    if "绩效" in t and "表" in t:
        return TableKind.PERF_DEPT if "整体" in t else TableKind.PERF_PROJECT
    if "三公" in t:
        return TableKind.T09
    if "机关运行经费" in t:
        return TableKind.T10
    if "政府采购" in t:
        return TableKind.T11
    if "政府性基金" in t:
        return TableKind.T07
    if "国有资本经营" in t:
        return TableKind.T08
    if "一般公共预算财政拨款基本支出" in t:
        return TableKind.T06
    if "一般公共预算财政拨款支出" in t:
        return TableKind.T05
    if "财政拨款收入支出" in t and "总表" in t:
        return TableKind.T04
    if "收入支出决算总表" in t or "收入支出总表" in t:
        return TableKind.T01
    if "收入决算表" in t:
        return TableKind.T02
    if "支出决算表" in t:
        return TableKind.T03
    return None


_OLD_TOC_NUM = re.compile(
    r"^[\s\-–•·*]*(?:([一二三四五六七八九十〇两]+)[、.．]|(\d{1,2})[、.．]|（([一二三四五六七八九十]+)）)"
)
_OLD_PUBLIC_NO = re.compile(r"公开\s*(\d{1,2})\s*表")


def _old_toc_tables(
    doc: Disclosure,
) -> list[tuple[int, str, TableKind, int | None, int | None, Location | None]]:
    """``d_document.toc_tables`` before: (entry index, text, kind, ordinal, 公开NN表 number, loc)."""
    out = []
    for i, e in enumerate(doc.toc):
        text = _OLD_WS.sub("", e.text).strip("*")
        text_wo_page = re.sub(r"[.·…\s]*\d+$", "", text)
        if not text_wo_page.endswith("表") and not _OLD_PUBLIC_NO.search(text):
            continue
        kind = _old_title_kind(text_wo_page)
        if kind is None:
            continue
        m = _OLD_TOC_NUM.match(e.text)
        ordinal = None
        if m:
            ordinal = (
                cn_to_int(m.group(1) or m.group(3) or "") if (m.group(1) or m.group(3)) else int(m.group(2))
            )
        n = _OLD_PUBLIC_NO.search(text)
        out.append((i, e.text.strip(), kind, ordinal, int(n.group(1)) if n else None, e.loc))
    return out


_OLD_PART = re.compile(r"^\s*第\s*([一二三四五六七八九十\d]{1,3})\s*部分")
_OLD_ITEM = re.compile(r"^\s*([一二三四五六七八九十〇两]{1,3})\s*[、.．]")
_OLD_PAGE_TAIL = re.compile(r"[\s.·…\-—_]*\d{1,3}\s*$")
_OLD_NOT_WORDS = re.compile(r"(?:19|20)\d{2}\s*年度?|[\s。：:；;，,.、（）()“”\"'《》]")

# (text, ordinal, words, loc, the title kind of a 目录 line's text)
_OldHeading = tuple[str, int | None, str, Location | None, TableKind | None]


def _old_heading(text: str, loc: Location | None, toc: bool) -> _OldHeading:
    if toc:
        text = _OLD_PAGE_TAIL.sub("", text) if not re.search(r"(?:19|20)\d{2}\s*$", text) else text
    m = _OLD_PART.match(text) or _OLD_ITEM.match(text)
    ordinal = cn_to_int(m.group(1)) if m else None
    rest = text[m.end() :] if m else text
    return (
        text.strip(),
        ordinal,
        _OLD_NOT_WORDS.sub("", rest),
        loc,
        _old_title_kind(text.strip()) if toc else None,
    )


def _old_toc_outline(doc: Disclosure) -> tuple[dict[int, _OldHeading], dict[int, list[_OldHeading]]]:
    parts: dict[int, _OldHeading] = {}
    items: dict[int, list[_OldHeading]] = {}
    part: int | None = None
    for e in doc.toc:
        h = _old_heading(e.text, e.loc, True)
        if _OLD_PART.match(e.text) and h[1] is not None:
            part = h[1]
            parts[part] = h
            items[part] = []
        elif _OLD_ITEM.match(e.text) and part is not None:
            items[part].append(h)
    return parts, items


def _old_body_outline(doc: Disclosure) -> tuple[dict[int, _OldHeading], dict[int, list[_OldHeading]]]:
    parts: dict[int, _OldHeading] = {}
    items: dict[int, list[_OldHeading]] = {}

    def visit(sections: list[Section], part: int | None, inside: bool) -> int | None:
        for sec in sections:
            is_item = False
            if _OLD_PART.match(sec.heading):
                h = _old_heading(sec.heading, sec.loc, False)
                if h[1] is not None:
                    part = h[1]
                    parts.setdefault(part, h)
                    items.setdefault(part, [])
            elif _OLD_ITEM.match(sec.heading) and part is not None and not inside:
                items[part].append(_old_heading(sec.heading, sec.loc, False))
                is_item = True
            part = visit(sec.children, part, inside or is_item)
        return part

    visit(doc.sections, None, False)
    return parts, items


def _old_effective_kind(t: Table) -> TableKind:
    if t.kind is not TableKind.OTHER:
        return t.kind
    for text in [t.title, *(h.text for h in t.header_texts)]:
        k = _old_title_kind(text or "")
        if k is not None:
            return k
    return t.kind


# --- the inputs ----------------------------------------------------------------------------------


def _real_paths() -> list[Path]:
    return sorted([*SAMPLES.glob("*.pdf"), *SAMPLES.glob("jiangsu-budget/*.pdf"), *SEEDS.glob("*.txt")])


def _read_recording(paths: list[Path]) -> tuple[list[Disclosure], set[str]]:
    """Read ``paths``, recording every text the reader asks ``kind_from_title`` about."""
    if paths:
        read(paths[0])  # the readers' modules imported, so that each holds the function below
    original: Callable[..., TableKind | None] = recognize.kind_from_title
    seen: set[str] = set()

    def recording(title: str, **kw: Any) -> TableKind | None:
        seen.add(title)
        return original(title, **kw)

    with pytest.MonkeyPatch.context() as mp:  # wherever a reader module holds the function
        for mod in list(sys.modules.values()):
            name = getattr(mod, "__name__", "")
            if name.startswith("juesuan.") and getattr(mod, "kind_from_title", None) is original:
                mp.setattr(mod, "kind_from_title", recording)
        return [read(p) for p in paths], seen


def _case_documents() -> list[Disclosure]:
    return [build_disclosure(c["doc"]) for p in all_case_files() for c in load_cases(p)["cases"]]


def _composed_documents() -> list[Disclosure]:
    return [compose(*synth(n), check=False).disclosure for n in (1, 3)]


def _texts(doc: Disclosure) -> Iterator[str]:
    """Every text of the document, and each 目录 line as the 目录 check read it."""
    for line in doc.text_lines():
        yield line.text
    for t in doc.tables:
        if t.department:
            yield t.department
    for e in doc.toc:
        text = _OLD_WS.sub("", e.text).strip("*")
        yield re.sub(r"[.·…\s]*\d+$", "", text)
        yield _old_heading(e.text, e.loc, True)[0]


@pytest.fixture(scope="module")
def documents_and_reader_inputs() -> tuple[list[Disclosure], set[str]]:
    real, seen = _read_recording(_real_paths())
    return real + _case_documents() + _composed_documents(), seen


# --- the tests -----------------------------------------------------------------------------------


def test_both_readings_answer_as_the_classifiers_they_replace(
    documents_and_reader_inputs: tuple[list[Disclosure], set[str]],
) -> None:
    docs, reader_inputs = documents_and_reader_inputs
    texts = reader_inputs | {t for d in docs for t in _texts(d)}
    assert len(texts) > 500
    budget_titles = 0
    for t in sorted(texts):
        bk = budget_kind_from_title(recognize.norm(t))
        if bk is not None:
            # a budget table's name (收支预算总表, 政府采购预算表) now names its budget kind in
            # both readings; the replaced classifiers knew no budget kinds
            assert kind_from_title(t) is bk and kind_from_title(t, contents=True) is bk, t
            budget_titles += 1
            continue
        assert kind_from_title(t) is _old_kind_from_title(t), t
        assert kind_from_title(t, contents=True) is _old_title_kind(t), t
    if _real_paths():
        assert len(reader_inputs) > 50
        assert budget_titles > 50
        # the readings differ on real titles (the Jiangsu 预算 tables): both are needed
        assert any(_old_kind_from_title(t) is not _old_title_kind(t) for t in reader_inputs)


def test_the_readings_differ_where_the_two_classifiers_did() -> None:
    # budget tables name their budget kind in both readings
    assert kind_from_title("一般公共预算支出预算表") is TableKind.B05
    assert kind_from_title("一般公共预算支出预算表", contents=True) is TableKind.B05
    assert kind_from_title("财政拨款基本支出预算表") is TableKind.B06F
    assert kind_from_title("财政拨款基本支出预算表", contents=True) is TableKind.B06F
    assert kind_from_title("一般公共预算财政拨款支出决算表") is TableKind.T05
    assert kind_from_title("部门预算调整追加项目支出绩效自评表") is TableKind.PERF_PROJECT
    assert kind_from_title("“三公”经费相关统计数") is TableKind.T09S
    assert kind_from_title("“三公”经费相关统计数", contents=True) is TableKind.T09
    assert kind_from_title("收入支出总表") is None
    assert kind_from_title("收入支出总表", contents=True) is TableKind.T01
    assert kind_from_title("政府性基金预算财政拨款基本支出表") is TableKind.T06
    assert kind_from_title("政府性基金预算财政拨款基本支出表", contents=True) is TableKind.T07


TABLE_KINDS_OF_OLD = frozenset(k for k in TableKind if not k.value.startswith("B"))


def _heading(h: Heading) -> _OldHeading:
    return h.text, h.ordinal, h.words, h.loc, h.named_table


def test_contents_and_headings_are_read_as_the_rules_read_them(
    documents_and_reader_inputs: tuple[list[Disclosure], set[str]],
) -> None:
    docs, _ = documents_and_reader_inputs
    with_toc = with_outline = 0
    budget_entries = 0
    for doc in docs:
        if doc.metadata.kind is not None and doc.metadata.kind.is_budget:
            # a budget's 目录 names budget tables, which the replaced code did not know: each
            # 目录 table line names the budget kind its text names
            for e, kind in toc_tables(doc):
                assert kind is kind_from_title(e.text, contents=True) or kind in TABLE_KINDS_OF_OLD, e.text
                budget_entries += kind.value.startswith("B")
            continue
        old_tables = _old_toc_tables(doc)
        new_tables = [
            (doc.toc.index(e), e.text.strip(), kind, e.ordinal, e.table_number, e.loc)
            for e, kind in toc_tables(doc)
        ]
        assert new_tables == old_tables
        with_toc += bool(old_tables)
        for new, old in (
            (toc_outline(doc), _old_toc_outline(doc)),
            (body_outline(doc), _old_body_outline(doc)),
        ):
            parts, items = new
            assert {p: _heading(h) for p, h in parts.items()} == old[0]
            assert {p: [_heading(h) for h in hs] for p, hs in items.items()} == old[1]
            with_outline += bool(old[1])
        # a budget table the replaced code did not know (OTHER) may now be its budget kind
        for t in doc.tables:
            new_kind, old_kind = effective_kind(t), _old_effective_kind(t)
            if not (new_kind in BUDGET_TABLE_KINDS and old_kind is TableKind.OTHER):
                assert new_kind == old_kind, t.title
    assert with_toc and with_outline
    if _real_paths():
        assert budget_entries > 20


def test_reading_the_parts_again_changes_nothing(
    documents_and_reader_inputs: tuple[list[Disclosure], set[str]],
) -> None:
    for doc in documents_and_reader_inputs[0][:25]:
        before = doc.model_dump_json()
        assert read_document_parts(doc).model_dump_json() == before
