"""The rule catalogue and the engine that runs it."""

from .base import REGISTRY, PairRule, Rule, register
from .engine import (
    CheckResult,
    check_disclosure,
    has_errors,
    load_catalogue,
    parts_held,
    run_pair_rules,
    run_rules,
    select_pair_rules,
    select_rules,
    unknown_rule_selectors,
)
from .pair import DocPair, PairDoc

__all__ = [
    "REGISTRY",
    "CheckResult",
    "DocPair",
    "PairDoc",
    "PairRule",
    "Rule",
    "check_disclosure",
    "has_errors",
    "load_catalogue",
    "parts_held",
    "register",
    "run_pair_rules",
    "run_rules",
    "select_pair_rules",
    "select_rules",
    "unknown_rule_selectors",
]
