"""The rule engine's shortcuts (per-run derived data of the D rules, Refs built only for
findings in the table helpers) give what the plain computation gives."""

from __future__ import annotations

import gc

from conftest import seed
from juesuan.ingest import read
from juesuan.model import Disclosure, Ref
from juesuan.rules import run_rules
from juesuan.rules.families import d_document


def test_document_changed_between_runs_is_read_again() -> None:
    doc = Disclosure()
    assert not [f for f in run_rules(doc, select=["D"]) if f.rule_id == "D-001"]
    doc.metadata.department = "上海市XX局"  # now a blank template
    assert [f.rule_id for f in run_rules(doc, select=["D"]) if f.rule_id == "D-001"] == ["D-001"]


def test_same_rule_alone_twice_sees_the_change() -> None:
    doc = Disclosure()
    assert run_rules(doc, select=["D-001"]) == []
    doc.metadata.department = "上海市XX局"
    assert [f.rule_id for f in run_rules(doc, select=["D-001"])] == ["D-001"]


def test_cache_entry_goes_with_its_document() -> None:
    doc = Disclosure()
    run_rules(doc, select=["D"])
    key = id(doc)
    assert key in d_document._DERIVED
    del doc
    gc.collect()
    assert key not in d_document._DERIVED


def test_helpers_outside_a_run_compute_afresh() -> None:
    doc = Disclosure()
    assert not d_document.is_template(doc)
    doc.metadata.department = "上海市XX局"
    assert d_document.is_template(doc)


def test_lazily_built_refs_are_valid_refs() -> None:
    doc = read(seed("000_28fcffc144f7be8d.txt"))
    found = run_rules(doc, select=["T", "X"])
    refs = [r for f in found for r in f.locations if r.row is not None]
    assert refs  # the seed has real table errors
    for r in refs:
        assert Ref.model_validate(r.model_dump()) == r
