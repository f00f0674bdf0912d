"""What every report says of what was not checked (``DocumentResult.unchecked``): the summary
lines (``report.text.unchecked_lines``) and one row per place left unchecked, with the reason,
for the HTML list and the XLSX sheet “未核对”."""

from __future__ import annotations

from dataclasses import dataclass

from ..api import DocumentResult
from ..model import Unchecked


@dataclass(frozen=True)
class UncheckedRow:
    rule: str  # the rule that did not judge it, or the rules not run
    place: str  # where, as a reviewer finds it (empty for a whole-document reason)
    what: str
    reason: str


def _rules(u: Unchecked) -> str:
    if u.rule_id:
        return u.rule_id
    shown = "、".join(u.rules[:6])
    return shown + (f" 等 {len(u.rules)} 条" if len(u.rules) > 6 else "")


def unchecked_rows(r: DocumentResult) -> list[UncheckedRow]:
    """Every not-checked item of a document: the whole-document reasons first, then each place."""
    out = []
    for u in sorted(r.unchecked, key=lambda u: not u.rules):  # stable: reader order kept
        places = "；".join(dict.fromkeys(ref.describe() for ref in u.locations if ref.describe()))
        out.append(UncheckedRow(rule=_rules(u), place=places, what=u.what, reason=u.reason))
    return out


__all__ = ["UncheckedRow", "unchecked_rows"]
