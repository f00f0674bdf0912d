"""Punctuation left doubled by editing (D-011)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ....ingest.text_lines import norm
from ....model import ALL_KINDS, Finding, Severity
from ...base import Rule, register
from ...context import RunContext
from .common import document_lines, line_ref, quote

REPEATED_PUNCT = re.compile(r"([，。、；：！？,;:!?])\s*\1+|[，、；：][。]|[。][，、；：]")


@register
class RepeatedPunctuation(Rule):
    """Repeated or doubled punctuation (。。 ，， 、、 ，。) left by editing. Ellipses (……) and
    dashes (——) are not punctuation errors.

    Wrong:
        主要原因是人员减少，，导致支出减少。。
    Right:
        主要原因是人员减少，导致支出减少。
    """

    id = "D-011"
    title = "标点重复"
    family = "D"
    severity = Severity.WARNING
    kinds = ALL_KINDS  # names, placeholders and punctuation mean the same in a budget

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        for line in document_lines(ctx):
            if line.role == "cell":
                continue
            found = [m.group(0) for m in REPEATED_PUNCT.finditer(line.text)]
            if found:
                shown = "、".join(dict.fromkeys(norm(f) for f in found))
                yield self.finding(
                    f"标点重复“{shown}”：“{quote(line.text)}”", [line_ref(doc, line)], found=shown
                )
