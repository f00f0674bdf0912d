"""Hold off Python's cyclic garbage collector while one document is read or checked.

Reading a disclosure builds tens of thousands of small objects (words, cells, locations, claims)
that live until the document is dropped; each allocation burst makes the collector walk every
tracked object again, and now and then all of them (a full collection over the whole
interpreter, tens of milliseconds). The objects of a document form almost no reference cycles,
so the collections find nearly nothing: measured on the 25-page finance sample, 25 collections
per read + check, 5–6 ms, and 23 ms when a full collection falls inside (docs/design.md,
"Garbage collection"). Memory freed by reference counting is unaffected; the few cycles made
meanwhile are collected at the next collection after the pause.
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
