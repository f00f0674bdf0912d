"""Every verdict on a claim, passed ones too, in the order ``juesuan explain`` lists them: the
check functions of the N rules, computed once per run (``claim_checks``), so the rules and
``explain`` say the same thing. Registers no rule."""

from __future__ import annotations

from ....model import Claim
from ...context import RunContext
from .amounts import amount_checks
from .changes import change_checks
from .common import Check, Checker, claim_checks
from .completion import completion_checks
from .direction import direction_checks
from .empty_tables import empty_checks
from .reasons import reason_checks
from .shares import share_checks, share_list_checks
from .subjects import subject_checks
from .terms import term_checks

CLAIM_CHECKS: list[Checker] = [
    amount_checks,
    term_checks,
    share_checks,
    change_checks,
    completion_checks,
    direction_checks,
    reason_checks,
    subject_checks,
    empty_checks,
]

__all__ = ["CLAIM_CHECKS", "Check", "claim_verdicts", "share_list_checks"]


def claim_verdicts(ctx: RunContext, c: Claim) -> list[Check]:
    """Every check of every N rule on one claim (each function returns at once for the kinds it
    does not read)."""
    out: list[Check] = []
    for fn in CLAIM_CHECKS:
        out.extend(claim_checks(ctx, fn, c))
    return out
