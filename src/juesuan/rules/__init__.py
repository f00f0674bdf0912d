"""The rule catalogue and the engine that runs it."""

from .base import REGISTRY, Rule, register
from .engine import (
    CheckResult,
    check_disclosure,
    has_errors,
    load_catalogue,
    prepare,
    run_rules,
    select_rules,
)

__all__ = [
    "REGISTRY",
    "CheckResult",
    "Rule",
    "check_disclosure",
    "has_errors",
    "load_catalogue",
    "prepare",
    "register",
    "run_rules",
    "select_rules",
]
