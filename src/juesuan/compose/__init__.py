"""Compose a complete disclosure from data: the 决算报表 workbook plus ``facts.yaml``.

    from juesuan.compose import compose, write_output, write_template
    write_template("模板")                      # 决算报表.xlsx + facts.yaml
    result = compose("决算报表.xlsx", "facts.yaml")
    write_output(result, "决算公开.docx")       # .docx .html .pdf .txt
"""

from __future__ import annotations

from .document import ComposeRefused, ComposeResult, build_disclosure, compose, load_tables
from .facts import Facts, load_facts
from .narrative import SentenceTrace
from .output import FORMATS, render, write_output, write_template
from .synth import synth

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
