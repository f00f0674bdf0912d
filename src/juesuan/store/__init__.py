"""The corpus: Parquet datasets of documents, facts, claims and findings, with DuckDB views.

The names below are imported from their modules on first use (module ``__getattr__``): a batch
worker, which imports ``juesuan.store.records``, does not load DuckDB.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .batch import BatchSummary, run_batch
    from .db import connect, open_corpus

_SOURCES = {"BatchSummary": "batch", "run_batch": "batch", "connect": "db", "open_corpus": "db"}

__all__ = ["BatchSummary", "connect", "open_corpus", "run_batch"]


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{source}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
