"""The rule engine's shortcuts give what the plain computation gives: the run context's memo
and row index (``rules/context.py``) change no finding, the bounded edit distance of D-002 is the edit distance
where it matters, the 功能分类 tree plan has the children ``startswith`` gives, binding takes the
first candidate cell."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from conftest import seed
from juesuan.ingest import read
from juesuan.ingest.narrative import quantities as q
from juesuan.model import ClaimKind, Disclosure, Finding, Row
from juesuan.rules import run_rules
from juesuan.rules.context import RowIndex, RunContext
from juesuan.rules.engine import select_rules
from juesuan.rules.families.document.one_department import edit_distance
from juesuan.rules.families.narrative.common import claim_checks
from juesuan.rules.families.narrative.completion import completion_checks
from juesuan.rules.families.narrative.shares import share_checks
from juesuan.rules.families.narrative.terms import term_confusion
from juesuan.rules.identities import _tree_steps, function_rows


def _plain_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


_CHARS = st.text(alphabet="规划和与自然资源局社会保险", max_size=10)


@given(_CHARS, _CHARS, st.integers(min_value=0, max_value=6))
def test_bounded_distance_is_the_distance_up_to_the_limit(a: str, b: str, limit: int) -> None:
    d = _plain_distance(a, b)
    assert edit_distance(a, b) == d
    assert edit_distance(a, b, limit) == (d if d <= limit else limit + 1)


def test_memo_lives_for_one_run_of_one_document() -> None:
    doc = Disclosure()
    calls: list[int] = []

    def compute(value: int) -> int:
        calls.append(value)
        return value

    ctx = RunContext(doc)
    assert ctx.once("x", doc, lambda: compute(7)) == 7
    assert ctx.once("x", doc, lambda: compute(8)) == 7  # computed once
    assert ctx.once("y", doc, lambda: compute(9)) == 9  # another question
    assert RunContext(doc).once("x", doc, lambda: compute(10)) == 10  # another run: afresh
    assert calls == [7, 9, 10]


def _dump(findings: list[Finding]) -> list[str]:
    return [f.model_dump_json() for f in findings]


def test_rules_with_the_memo_find_what_each_rule_alone_finds() -> None:
    doc = read(seed("000_28fcffc144f7be8d.txt"))
    found = run_rules(doc)
    assert found  # the seed has real errors
    alone = []
    for rule in select_rules():
        ctx = RunContext(doc)  # nothing shared
        # as the engine does: what rests on a cell not read for certain is withheld
        alone += [f for f in rule.check(ctx) if not rule.withheld(ctx, f)]
    alone.sort(key=Finding.sort_key)
    assert _dump(found) == _dump(alone)


def test_narrative_checks_are_computed_once_per_run() -> None:
    """The N rules that read the same checks share one computation through ``ctx.once``: N-006
    and N-007 the completion checks N-005 made, N-003 the shares N-002 made, N-009 the 总计/合计
    confusion N-001 looked for; a new run computes afresh."""
    doc = read(seed("000_28fcffc144f7be8d.txt"))  # its claims read and bound
    completions = [c for c in doc.claims if c.kind is ClaimKind.COMPLETION]
    shares = [c for c in doc.claims if c.kind is ClaimKind.SHARE]
    amounts = [c for c in doc.claims if c.kind is ClaimKind.AMOUNT]
    assert completions and shares and amounts
    ctx = RunContext(doc)
    for rule in select_rules(["N-001", "N-002", "N-005"]):
        list(rule.check(ctx))
    made = {
        **{id(c): claim_checks(ctx, completion_checks, c) for c in completions},
        **{id(c): claim_checks(ctx, share_checks, c) for c in shares},
    }
    confusions = {id(c): term_confusion(ctx, c) for c in amounts}
    assert any(v is not None for v in confusions.values())  # the seed confuses 总计 and 合计
    size = len(ctx.memo)
    for rule in select_rules(["N-003", "N-006", "N-007", "N-009"]):
        list(rule.check(ctx))
    for c in completions:
        assert claim_checks(ctx, completion_checks, c) is made[id(c)]
    for c in shares:
        assert claim_checks(ctx, share_checks, c) is made[id(c)]
    for c in amounts:
        assert term_confusion(ctx, c) is confusions[id(c)]
    # N-006/N-007/N-003/N-009 computed nothing already there (only their own checks were added)
    added = [k for k in list(ctx.memo)[size:] if k[0] in (completion_checks, share_checks, "term_confusion")]
    assert added == []
    fresh = RunContext(doc)
    assert claim_checks(fresh, completion_checks, completions[0]) is not made[id(completions[0])]


def test_tree_plan_children_are_the_rows_whose_code_starts_with_the_parents() -> None:
    doc = read(seed("003_837dc0ef3549c6c2.txt"))
    tables = [t for t in doc.tables if function_rows(t)]
    assert tables
    for t in tables:
        by_code: dict[str, Row] = {}
        for r in function_rows(t):
            by_code.setdefault(r.code or "", r)
        for col, steps in _tree_steps(RunContext(doc), t, [c.key for c in t.columns]):
            for lvl, parent, kids, *_ in steps:
                if lvl == 0:
                    continue
                want = [
                    k
                    for k in by_code.values()
                    if k.level == lvl + 1 and (k.code or "").startswith(parent.code or "")
                ]
                assert kids == want, (t.kind, col, parent.code)


def test_binding_takes_the_first_candidate_cell() -> None:
    doc = read(seed("000_28fcffc144f7be8d.txt"))  # its claims read and bound
    tables = q.TableLookup(doc)
    seen = 0
    for c in doc.claims:
        if not c.quantity:
            continue
        for role in ("value", "actual", "budget"):
            ctx = str(c.attrs.get("ctx") or "other")
            found, reason = q.candidate_cells(tables, c.quantity, role, ctx)
            b, why = q.cells_for(tables, c.quantity, role, ctx)
            assert (b, why) == ((found[0], None) if found else (None, reason))
            seen += 1
    assert seen > 50


def test_indexed_row_lookup_finds_the_row_the_linear_search_finds() -> None:
    doc = read(seed("003_837dc0ef3549c6c2.txt"))
    asks = [
        (t, key, side)
        for t in doc.tables
        for key in {r.key for r in t.rows} | {"total", "no_such_row"}
        for side in (None, "income", "expense", "personnel", "public")
    ]
    plain = [t.row(key, side) for t, key, side in asks]
    indexed = [RowIndex(t).row(key, side) for t, key, side in asks]
    assert all(a is b for a, b in zip(plain, indexed, strict=True))
    assert any(r is not None for r in plain)


def test_trusted_objects_equal_validated_ones() -> None:
    from decimal import Decimal

    from juesuan.ingest.trusted import trusted
    from juesuan.model import Claim, ClaimKind, Location, Ref, TableKind

    loc = Location(page=3, bbox=(1.0, 2.0, 3.0, 4.0))
    ref = {"table": TableKind.T01, "table_index": 0, "row": "total", "value": Decimal("1.20"), "loc": loc}
    claim = {"kind": ClaimKind.AMOUNT, "value": Decimal("900.28"), "span": (3, 10), "attrs": {"ctx": "general"}}
    for cls, fields in ((Ref, ref), (Claim, claim)):
        got, want = trusted(cls, **fields), cls(**fields)  # type: ignore[arg-type]
        assert got == want
        assert got.model_dump_json() == want.model_dump_json()
        assert got.model_fields_set == want.model_fields_set
