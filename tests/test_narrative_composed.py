"""Composed disclosures are the clean corpus: their narratives give no error or warning from the
N rules, the claims read back from the text match the composer's own claims, and one wrong cell
makes the sentence restating it wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from juesuan.compose import synth
from juesuan.compose.document import build_disclosure
from juesuan.ingest.narrative import attach_claims
from juesuan.model import ClaimKind, Severity, TableKind
from juesuan.rules import run_rules


def composed(seed: int):  # type: ignore[no-untyped-def]
    tables, facts = synth(seed)
    doc, _ = build_disclosure(tables, facts)
    return doc


@pytest.mark.parametrize("seed", [1, 2, 3, 5, 8, 13])
def test_composed_narrative_gives_no_error_or_warning(seed: int) -> None:
    doc = attach_claims(composed(seed))  # the claims a reader reads from the composed text
    findings = run_rules(doc, select=["N"], min_severity=Severity.WARNING)
    assert not findings, "\n".join(f"{f.rule_id} {f.message} | {f.arithmetic}" for f in findings)


@pytest.mark.parametrize("seed", [2, 7])
def test_read_claims_cover_the_composers_claims(seed: int) -> None:
    doc = composed(seed)
    written = list(doc.claims)
    attach_claims(doc)
    read = doc.claims
    for kind in (ClaimKind.AMOUNT, ClaimKind.SHARE, ClaimKind.CHANGE, ClaimKind.COMPLETION, ClaimKind.COUNT):
        want = [c for c in written if c.kind is kind and c.bindings]
        for w in want:
            # the same number of the same sentence, bound to a cell (the composer may name 02表's
            # 合计 where the reader names 01表's 本年收入合计: both are that quantity)
            hit = [
                r
                for r in read
                if r.bindings
                and r.sentence.strip() in w.sentence
                and (
                    (r.kind is kind and r.value == w.value)
                    or (kind is ClaimKind.AMOUNT and r.kind is ClaimKind.COMPLETION
                        and w.value in (r.attrs.get("budget"), r.attrs.get("actual")))  # fmt: skip
                )
            ]
            assert hit, f"{kind.value} “{w.label}” {w.value} of “{w.sentence}” was not read back"
    assert sum(1 for c in read if c.bindings) >= 0.9 * sum(1 for c in written if c.bindings)


def test_one_wrong_cell_makes_its_sentences_wrong() -> None:
    doc = composed(4)
    t03 = doc.table(TableKind.T03)
    assert t03 is not None
    cell = t03.cell("total", "project")
    assert cell is not None and cell.value is not None
    cell.value += Decimal("10.00")
    cell.raw = f"{cell.value:,.2f}"
    findings = run_rules(attach_claims(doc), select=["N"], min_severity=Severity.WARNING)
    n001 = [f for f in findings if f.rule_id == "N-001"]
    assert n001 and all(f.severity is Severity.ERROR for f in n001)
    assert all(any(r.table is TableKind.T03 and r.column == "project" for r in f.locations) for f in n001)
    # the sentence is quoted with its place, and the arithmetic is shown
    f = n001[0]
    assert f.locations[0].text and "项目支出" in f.locations[0].text
    assert f.arithmetic and "−" in f.arithmetic


def test_wrong_percentage_in_composed_text_is_found() -> None:
    doc = composed(6)
    for sec in doc.walk_sections():
        for p in sec.paragraphs:
            if "占本年支出合计的" in p.text:
                import re

                from juesuan.ingest.narrative.sentences import make_paragraph

                new = re.sub(r"占本年支出合计的([\d.]+)%", "占本年支出合计的50.5%", p.text, count=1)
                p2 = make_paragraph(new, p.loc)
                p.text, p.sentences = p2.text, p2.sentences
    findings = [f for f in run_rules(attach_claims(doc), select=["N-002"]) if f.severity is Severity.ERROR]
    assert len(findings) == 1 and "50.5%" in (findings[0].found or "")
    assert findings[0].arithmetic and "÷" in findings[0].arithmetic


@pytest.mark.parametrize(
    "fmt", ["txt", "html", pytest.param("docx", marks=pytest.mark.slow), pytest.param("pdf", marks=pytest.mark.slow)]
)
def test_composed_file_read_back_gives_the_same_claims_and_no_finding(fmt: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Compose → write the file → read it with the real reader → the narrative reads the same."""
    from juesuan.compose import compose
    from juesuan.compose.output import write_output
    from juesuan.ingest import read
    from juesuan.report.explain import explain_document

    tables, facts = synth(3)
    res = compose(tables, facts)
    direct = explain_document(attach_claims(res.disclosure.model_copy(deep=True)))
    doc = read(write_output(res, tmp_path / f"composed.{fmt}"))
    assert not run_rules(doc, select=["N"], min_severity=Severity.INFO)
    back = explain_document(doc)
    assert back.counts()["claims"] == direct.counts()["claims"] and back.counts()["wrong"] == 0

    def bound(ex):  # type: ignore[no-untyped-def]
        # 绩效 sentences bind to the 自评表, which not every reader recognises yet
        return [(c.kind, c.value, bool(c.cells)) for s in ex.sentences if "绩效" not in (s.section or "") for c in s.claims]

    assert bound(back) == bound(direct)


def test_one_wrong_number_in_the_text_gives_exactly_one_finding() -> None:
    """Every 万元 amount of a composed narrative, raised by 10.00 in the text one at a time, gives
    exactly one error or warning across the narrative and 绩效 rules: the wrong amount (N-001), or the
    rate, change or total it breaks (N-005, N-004, P-006) — never a restatement of it."""
    import re

    from juesuan.ingest.narrative.sentences import make_paragraph
    from juesuan.ingest.perf_statements import read_perf_statements

    tables, facts = synth(9)
    base, _ = build_disclosure(tables, facts)
    places = [(si, pi) for si, s in enumerate(base.walk_sections()) for pi, _ in enumerate(s.paragraphs)]
    tried = seen = 0
    for si, pi in places:
        text = list(base.walk_sections())[si].paragraphs[pi].text
        for m in re.finditer(r"\d[\d,]*\.\d\d(?=万元)", text):
            seen += 1
            if seen % 2:  # every other number keeps the test fast; the rest are alike
                continue
            doc = base.model_copy(deep=True)
            para = list(doc.walk_sections())[si].paragraphs[pi]
            v = Decimal(m.group(0).replace(",", "")) + Decimal("10.00")
            p2 = make_paragraph(text[: m.start()] + f"{v:,.2f}" + text[m.end() :], para.loc)
            para.text, para.sentences = p2.text, p2.sentences
            doc.perf_statements = read_perf_statements(doc)  # the reader reads the edited text
            found = [f for f in run_rules(attach_claims(doc), select=["N", "P"]) if f.severity is not Severity.INFO]
            assert len(found) == 1, (p2.text[max(0, m.start() - 30) : m.end() + 10], [(f.rule_id, f.message) for f in found])
            tried += 1
    assert tried >= 25
