"""Imported once by the web worker's fork server: the readers, the rule catalogue, the report
writers and what the pipeline builds on its first document are loaded before any per-upload or
per-render child is forked, so a child starts with all of it instead of importing it again."""

import contextlib

from ..api import example_path
from ..rules import load_catalogue
from . import render  # noqa: F401  (the report writers, for render children)
from .grouping import process_parts  # noqa: F401  (a group's job, as the children run it)
from .worker import process_file

for _mod in ("pypdfium2", "juesuan.ingest.text", "juesuan.ingest.pdf", "juesuan.ingest.office"):
    with contextlib.suppress(ImportError):
        __import__(_mod)
load_catalogue()
with contextlib.suppress(Exception):  # warming up only: any problem shows on real uploads
    process_file(str(example_path()), "example.txt", 1000, lambda stage, progress: None)
