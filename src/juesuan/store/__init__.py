"""The corpus: Parquet datasets of documents, facts, claims and findings, with DuckDB views."""

from .batch import BatchSummary, run_batch
from .db import connect, open_corpus

__all__ = ["BatchSummary", "connect", "open_corpus", "run_batch"]
