"""The corpus's cross-year pass: department matching, and the pairs it feeds the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.ingest.narrative import attach_claims
from juesuan.model import Disclosure, Finding
from juesuan.rules import DocPair, PairDoc, run_pair_rules
from juesuan.store import run_batch
from juesuan.store.crossyear import connect_datasets, find_pairs, load_documents
from juesuan.store.records import normalise_department
from store_support import STANDIN, make_inputs


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("上海市普陀区财政局", "上海市普陀区财政局 "),
        ("中共上海市普陀区委社会工作部", "中共上海市普陀区委 社会工作部"),
        ("某某市（本级）", "某某市(本级)"),
        ("“某某”局", "某某局"),
        ("ＡＢ市统计局", "AB市统计局"),
    ],
)
def test_department_names_match_across_years(a: str, b: str) -> None:
    assert normalise_department(a) == normalise_department(b)


def test_different_departments_do_not_match() -> None:
    assert normalise_department("上海市普陀区财政局") != normalise_department("上海市普陀区审计局")
    assert normalise_department("  ") is None


def test_pairs_from_the_corpus_rows_judge_as_pairs_of_disclosures(tmp_path: Path) -> None:
    """A pair read from the stored rows (cells column by column, locations built late) gives the
    findings the same two disclosures give, but for what storing changes: amounts at six decimals
    and locations without a column."""
    inputs = make_inputs(tmp_path / "in", n=6, corrupt=False)
    out = tmp_path / "out"
    run_batch([str(p) for p in inputs], out, reader=STANDIN, in_process=True, crossyear=False)
    con = connect_datasets(out)
    try:
        pairs = find_pairs(con).to_pylist()
        ids = sorted({p["doc_id"] for p in pairs} | {p["prev_doc_id"] for p in pairs})
        stored = load_documents(con, ids, {p["doc_id"] for p in pairs})
    finally:
        con.close()
    assert len(pairs) == 3
    paths = {d.doc_id: d.path for d in stored.values()}
    compared = 0
    for p in pairs:
        cur, prev = stored[p["doc_id"]], stored[p["prev_doc_id"]]
        from_rows = run_pair_rules(DocPair(cur, prev))
        docs = [
            attach_claims(Disclosure.model_validate_json(Path(paths[i]).read_bytes()))
            for i in (cur.doc_id, prev.doc_id)
        ]
        from_docs = run_pair_rules(
            DocPair(
                PairDoc.from_disclosure(docs[0], cur.doc_id, cur.path),
                PairDoc.from_disclosure(docs[1], prev.doc_id, prev.path),
            )
        )
        assert [_judged(f) for f in from_rows] == [_judged(f) for f in from_docs]
        for a, b in zip(from_rows, from_docs, strict=True):
            for ra, rb in zip(a.locations, b.locations, strict=True):
                assert ra.model_copy(update={"loc": None}) == rb.model_copy(update={"loc": None})
                assert (ra.loc is None) == (rb.loc is None)
                if ra.loc is not None and rb.loc is not None:
                    assert (ra.loc.page, ra.loc.line, ra.loc.bbox) == (rb.loc.page, rb.loc.line, rb.loc.bbox)
        compared += len(from_rows)
    assert compared > 0


def _judged(f: Finding) -> tuple:
    return (f.rule_id, f.severity, f.message, f.expected, f.found, f.difference, f.tolerance, f.arithmetic)
