"""Every verdict on a claim, passed ones too, in the order ``juesuan explain`` lists them: the
check functions of the N rules, computed once per run (``claim_checks``), so the rules and
``explain`` say the same thing. Registers no rule."""

from __future__ import annotations

from ....model import Claim, DisclosureKind
from ...base import REGISTRY
from ...context import RunContext
from .amounts import amount_checks
from .changes import change_checks, change_table_checks
from .common import Check, Checker, claim_checks
from .completion import completion_checks
from .direction import direction_checks
from .empty_tables import empty_checks
from .lists import implied_share_checks, list_sum_checks
from .reasons import reason_checks
from .shares import share_checks, share_list_checks
from .subjects import subject_checks
from .terms import term_checks

CLAIM_CHECKS: list[Checker] = [
    amount_checks,
    term_checks,
    share_checks,
    change_checks,
    change_table_checks,
    completion_checks,
    direction_checks,
    reason_checks,
    subject_checks,
    empty_checks,
]

__all__ = ["CLAIM_CHECKS", "Check", "claim_verdicts", "list_checks", "share_list_checks"]


def claim_verdicts(ctx: RunContext, c: Claim) -> list[Check]:
    """Every check of every N rule that judges this kind of document on one claim (each function
    returns at once for the kinds of claim it does not read)."""
    out: list[Check] = []
    kind = ctx.doc.metadata.kind or DisclosureKind.DEPARTMENT
    for fn in CLAIM_CHECKS:
        out.extend(x for x in claim_checks(ctx, fn, c) if _applies(x.rule, kind))
    return out


def _applies(rule_id: str, kind: DisclosureKind) -> bool:
    """Whether the rule of a check judges documents of ``kind`` (a 决算 comparison is no verdict
    on a budget)."""
    cls = REGISTRY.get(rule_id)
    return cls is None or kind in cls.kinds


def list_checks(ctx: RunContext) -> list[tuple[Claim, Check]]:
    """The checks of the lists the narrative states (N-013 parts against their total, N-014 shares
    of one list), each with the claim it belongs to (the total; the share)."""
    kind = ctx.doc.metadata.kind or DisclosureKind.DEPARTMENT
    out = [*list_sum_checks(ctx), *implied_share_checks(ctx)]
    return [(c, x) for c, x in out if _applies(x.rule, kind)]
