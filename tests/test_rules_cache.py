"""The rule engine's shortcuts give what the plain computation gives: what several D rules derive
(the document's lines, its placeholders) is shared through the run context and equals a fresh
computation, a new run reads a changed document again, no rule writes to the document, and the
Refs the table helpers build only for findings are valid Refs."""

from __future__ import annotations

import pytest

from conftest import sample, seed
from juesuan.ingest import read
from juesuan.ingest.document_parts import read_document_parts
from juesuan.ingest.text_lines import placeholder_lines, text_lines
from juesuan.model import Disclosure, Paragraph, Ref, Section
from juesuan.rules import run_rules
from juesuan.rules.context import RunContext
from juesuan.rules.engine import select_rules
from juesuan.rules.families.document.common import document_lines, placeholders


def _doc(text: str) -> Disclosure:
    return read_document_parts(
        Disclosure(sections=[Section(heading="一、说明", paragraphs=[Paragraph(text=text)])])
    )


def test_document_changed_between_runs_is_read_again() -> None:
    doc = _doc("本年收入合计 2,106.35 万元。")
    assert not [f for f in run_rules(doc, select=["D"]) if f.rule_id == "D-008"]
    doc.sections[0].paragraphs[0].text = "本年收入合计 XXX 万元。"  # a placeholder now
    assert [f.rule_id for f in run_rules(doc, select=["D"]) if f.rule_id == "D-008"] == ["D-008"]


def test_same_rule_alone_twice_sees_the_change() -> None:
    doc = _doc("本年收入合计 2,106.35 万元。")
    assert run_rules(doc, select=["D-008"]) == []
    doc.sections[0].paragraphs[0].text = "本年收入合计 XXX 万元。"
    assert [f.rule_id for f in run_rules(doc, select=["D-008"])] == ["D-008"]


def test_template_is_the_readers_verdict_read_again_after_a_change() -> None:
    doc = read_document_parts(Disclosure())
    assert not doc.metadata.is_template
    assert not [f for f in run_rules(doc, select=["D"]) if f.rule_id == "D-001"]
    doc.metadata.department = "上海市XX局"  # now a blank template, once read again
    assert not run_rules(doc, select=["D-001"])  # rules judge what the reader read
    read_document_parts(doc)
    assert doc.metadata.is_template and doc.metadata.template_reason == "部门名称为“上海市XX局”"
    assert [f.rule_id for f in run_rules(doc, select=["D-001"])] == ["D-001"]


def _real_documents() -> list[Disclosure]:
    return [
        read(seed("000_28fcffc144f7be8d.txt")),
        read(seed("003_837dc0ef3549c6c2.txt")),
        read(sample("shanghai-template-2024.pdf")),
        read(sample("shanghai-putuo-planning-2024.pdf")),
    ]


@pytest.fixture(scope="module")
def real_documents() -> list[Disclosure]:
    return _real_documents()


def test_shared_derivations_are_a_fresh_computation(real_documents: list[Disclosure]) -> None:
    for doc in real_documents:
        ctx = RunContext(doc)
        assert document_lines(ctx) == text_lines(doc)
        assert placeholders(ctx) == placeholder_lines(text_lines(doc))
        assert document_lines(ctx) is document_lines(ctx)  # derived once in the run
        assert placeholders(ctx) is placeholders(ctx)
        assert document_lines(RunContext(doc)) is not document_lines(ctx)  # a new run derives again


def test_rules_sharing_a_run_find_what_each_finds_alone(real_documents: list[Disclosure]) -> None:
    for doc in real_documents:
        together = run_rules(doc, select=["D", "P"])
        alone = [f for rule in select_rules(["D", "P"]) for f in run_rules(doc, select=[rule.id])]
        key = lambda f: f.model_dump_json()  # noqa: E731
        assert sorted(together, key=key) == sorted(alone, key=key)


def test_no_rule_writes_to_the_document(real_documents: list[Disclosure]) -> None:
    for doc in real_documents:
        before = doc.model_dump_json()  # complete as read: the rules only judge it
        run_rules(doc)
        assert doc.model_dump_json() == before


def test_lazily_built_refs_are_valid_refs() -> None:
    doc = read(seed("000_28fcffc144f7be8d.txt"))
    found = run_rules(doc, select=["T", "X"])
    refs = [r for f in found for r in f.locations if r.row is not None]
    assert refs  # the seed has real table errors
    for r in refs:
        assert Ref.model_validate(r.model_dump()) == r
