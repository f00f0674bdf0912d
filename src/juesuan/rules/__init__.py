"""The rule catalogue and the engine that runs it."""

from .base import REGISTRY, Rule, register
from .engine import has_errors, load_catalogue, run_rules, select_rules

__all__ = ["REGISTRY", "Rule", "has_errors", "load_catalogue", "register", "run_rules", "select_rules"]
