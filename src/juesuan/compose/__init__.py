"""Compose a complete disclosure from data: the 决算报表 workbook plus ``facts.yaml``.

    from juesuan.compose import compose, write_output, write_template
    write_template("模板")                      # 决算报表.xlsx + facts.yaml
    result = compose("决算报表.xlsx", "facts.yaml")
    write_output(result, "决算公开.docx")       # .docx .html .pdf .txt

The names below are imported from their modules on first use (module ``__getattr__``), so
importing ``juesuan.compose.cli`` to register the ``compose`` and ``template`` commands, or any
one submodule, does not load the whole package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import ComposeRefused, ComposeResult, build_disclosure, compose, load_tables
    from .facts import Facts, load_facts
    from .narrative import SentenceTrace
    from .output import FORMATS, render, write_output, write_template
    from .synth import synth

_SOURCES = {
    "ComposeRefused": "document",
    "ComposeResult": "document",
    "build_disclosure": "document",
    "compose": "document",
    "load_tables": "document",
    "Facts": "facts",
    "load_facts": "facts",
    "SentenceTrace": "narrative",
    "FORMATS": "output",
    "render": "output",
    "write_output": "output",
    "write_template": "output",
    "synth": "synth",
}

__all__ = [
    "FORMATS",
    "ComposeRefused",
    "ComposeResult",
    "Facts",
    "SentenceTrace",
    "build_disclosure",
    "compose",
    "load_facts",
    "load_tables",
    "render",
    "synth",
    "write_output",
    "write_template",
]


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{source}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
