"""Hold off Python's cyclic garbage collector while one document is read or checked.

Reading a disclosure builds tens of thousands of small objects (words, cells, locations, claims)
that live until the document is dropped. Each burst of allocations makes the collector walk the
tracked objects again, and now and then all of them (a full collection over the whole
interpreter). The objects of a document form almost no reference cycles, so those collections
find nearly nothing and only cost time; pausing the collector for the read and for the check
removes that cost (the measurements are in docs/design.md, "Garbage collection"). Memory freed by
reference counting is unaffected; the few cycles made meanwhile are collected at the next
collection after the pause.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block if it is enabled, and enable it again after
    (also on error). Nested or concurrent blocks are harmless: a block that finds the collector
    already disabled leaves it as it is; the worst a thread race can do is let a collection run."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
