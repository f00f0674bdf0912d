"""What one ``run_rules`` call derives once and every rule reads: a memo scoped to the run.

While :func:`juesuan.rules.engine.run_rules` checks a disclosure, :func:`memo` returns a dict that
lives for that run only (rules do not change the document they check, so whatever is computed
from it stays true until the run ends). Outside a run — a rule checked on its own, ``explain``,
a test — it returns None and every helper computes afresh, so a document changed between two
runs is always read again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

# (the disclosure being checked, its memo); a context variable so that threads running rules on
# different documents never see each other's memo
_CURRENT: ContextVar[tuple[object, dict[Any, Any]] | None] = ContextVar("juesuan_rule_run", default=None)


@contextmanager
def rule_run(doc: object) -> Iterator[dict[Any, Any]]:
    """Scope a memo to the checking of ``doc`` (nested runs each get their own)."""
    store: dict[Any, Any] = {}
    token = _CURRENT.set((doc, store))
    try:
        yield store
    finally:
        _CURRENT.reset(token)


def memo(doc: object) -> dict[Any, Any] | None:
    """The memo of the run checking ``doc``, or None when no run is checking it."""
    cur = _CURRENT.get()
    if cur is None or cur[0] is not doc:
        return None
    return cur[1]


_T = TypeVar("_T")


def once(doc: object, what: object, obj: object, compute: Callable[[], _T]) -> _T:
    """``compute()`` for ``(what, obj)``, computed once in the run checking ``doc`` (afresh outside
    a run). The entry keeps ``obj``, so its ``id()`` is never taken for another object's."""
    cur = _CURRENT.get()  # memo(doc), without the call: this runs hundreds of times per run
    if cur is None or cur[0] is not doc:
        return compute()
    m = cur[1]
    key = (what, id(obj))
    got = m.get(key)
    if got is None or got[0] is not obj:
        got = m[key] = (obj, compute())
    value: _T = got[1]
    return value
