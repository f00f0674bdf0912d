"""Shared base of the narrative rule families (N-*): each rule reports the failed checks of
``narrative.checks`` that carry its id. Rules read ``doc.claims`` only; claims are read from the
sentences by ``narrative.bind.attach_claims`` before any rule runs."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ...model import Claim, Disclosure, Finding
from ...narrative.checks import CHECK_KINDS, Check, claim_checks
from ..base import Rule
from ..context import RunContext


class ClaimRule(Rule):
    """Base class (not registered): findings from one check function over every claim."""

    checker: Callable[[Disclosure, Claim], Iterator[Check]]

    def checks(self, doc: Disclosure) -> Iterator[Check]:
        fn = type(self).checker
        kinds = CHECK_KINDS.get(fn)
        for c in doc.claims:
            if kinds is None or c.kind in kinds:
                yield from claim_checks(fn, doc, c)

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        for ch in self.checks(doc):
            if ch.rule != self.id or ch.severity is None:
                continue
            yield self.finding(
                ch.message,
                ch.refs,
                severity=ch.severity,
                expected=ch.expected,
                found=ch.found,
                difference=ch.difference,
                tolerance=ch.tolerance,
                arithmetic=ch.arithmetic,
            )
