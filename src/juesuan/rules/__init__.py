"""The rule catalogue and the engine that runs it."""

from .base import REGISTRY, PairRule, Rule, register
from .engine import (
    has_errors,
    load_catalogue,
    prepare,
    run_pair_rules,
    run_rules,
    select_pair_rules,
    select_rules,
)
from .pair import DocPair, PairDoc

__all__ = [
    "REGISTRY",
    "DocPair",
    "PairDoc",
    "PairRule",
    "Rule",
    "has_errors",
    "load_catalogue",
    "prepare",
    "register",
    "run_pair_rules",
    "run_rules",
    "select_pair_rules",
    "select_rules",
]
