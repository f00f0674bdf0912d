"""Valid synthetic disclosures for the quality benchmark, built on the composer.

``juesuan.compose.synth`` draws every amount in 分, sums exactly and rounds each printed value
from 元 to 万元 on its own, so honest one-cent rounding differences appear in every sum. This
module varies what the composer lets us vary (the 功能分类 tree and size of the department through
``synth`` profiles, its name, the year, percentage places, an empty 政府采购 table, narrative numbers with or without
thousands separators) and writes the disclosure in every format the composer supports, applying the
text edits an injected defect may carry (see :mod:`bench.quality.inject`).

``model`` is a pseudo-format: the typed disclosure is checked directly, without writing and
reading back, so rule quality is measured apart from reader quality.
"""

from __future__ import annotations

import importlib
import io
import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from unittest import mock

from juesuan.compose import compose, render, synth
from juesuan.compose.synth import PROFILES
from juesuan.ingest.narrative.sentences import make_paragraph
from juesuan.model import Cell, Disclosure, Table, TableKind

from .layouts import apply_layout, in_yuan

_THOUSANDS = re.compile(r"(\d),(\d{3})")
FORMATS = ("model", "txt", "html", "docx", "pdf")

# Department names per synth profile (the profile fixes the 功能分类 tree they spend on).
NAMES = {
    "social_insurance": ["示例市社会保险事业管理局", "示例县社会保险中心", "示例区机关事业单位社会保险中心"],
    "education": ["示例县教育局", "示例市教育局", "示例区教育和体育局"],
    "forestry": ["示例县林业和草原局", "示例市林业局", "示例县自然保护地管理中心"],
}
DEPARTMENTS = [n for names in NAMES.values() for n in names]


@dataclass
class CleanDoc:
    """One valid synthetic disclosure and the parameters it was made with."""

    seed: int
    profile: str
    department: str
    year: int
    pct_places: int
    empty_procurement: bool
    plain_numbers: bool  # the narrative writes 1089.59 rather than 1,089.59 (both are common)
    disclosure: Disclosure
    layout: str = "shanghai"  # the region whose table set, titles and numbering it prints

    @property
    def name(self) -> str:
        return f"s{self.seed:03d}" + ("" if self.layout == "shanghai" else f"-{self.layout}")


def generate(seed: int, layout: str = "shanghai") -> CleanDoc:
    """A valid disclosure for ``seed`` (deterministic) in a regional ``layout`` (see
    :mod:`bench.quality.layouts`; the composer's own is Shanghai's)."""
    rng = random.Random(f"quality-{seed}")
    profile = list(PROFILES)[seed % len(PROFILES)]
    department = rng.choice(NAMES[profile])
    year = rng.choice([2023, 2024, 2024])
    pct_places = rng.choice([2, 2, 1])
    empty_procurement = rng.random() < 0.25
    plain_numbers = rng.random() < 0.35
    tables, facts = synth(seed, department=department, year=year, profile=PROFILES[profile])
    # Work-around: the composer prints 绩效 scores with no decimals (9.5 -> "10", 98.5 -> "99")
    # while the narrative states 98.5, so a computed half-point score would make the clean
    # document contradict itself. Whole-point 执行率 scores keep table and narrative equal.
    for p in facts.performance:
        if p.exec_score is None and p.budget_year:
            rate = min(p.actual_year / p.budget_year, Decimal(1))
            p.exec_score = (p.exec_weight * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if empty_procurement:
        for t in tables:
            if t.kind is TableKind.T11:
                for r in t.rows:
                    r.cells = {k: Cell() for k in r.cells}
    result = compose(tables, facts, pct_places=pct_places, check=False)
    doc = result.disclosure
    if plain_numbers:
        for sec in doc.sections[2].walk():
            sec.paragraphs = [make_paragraph(_THOUSANDS.sub(r"\1\2", p.text), p.loc) for p in sec.paragraphs]
    if layout == "yuan":
        in_yuan(doc, _tables_in_yuan(seed, department, year, profile))
    apply_layout(doc, layout, seed)
    return CleanDoc(seed, profile, department, year, pct_places, empty_procurement, plain_numbers, doc, layout)


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _tables_in_yuan(seed: int, department: str, year: int, profile: str) -> list[Table]:
    """The tables of ``synth`` for the same seed with every amount printed in 元 (its amounts are
    drawn in 分 and rounded to 万元 by ``wan``; the draws do not depend on the rounding)."""
    mod = importlib.import_module("juesuan.compose.synth")
    with mock.patch.object(mod, "wan", _yuan):
        tables, _ = synth(seed, department=department, year=year, profile=PROFILES[profile])
    return tables


# -- writing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextEdit:
    """Replace the ``nth`` (0-based) occurrence of ``old`` by ``new`` in the written document.

    Used for what the composer's model cannot express per table (the 部门 line of one table
    header, the unit line of one table). Each edit carries its model equivalent separately.
    """

    old: str
    new: str
    nth: int = 0


class EditNotApplied(RuntimeError):
    pass


def _replace_nth(text: str, e: TextEdit, where: str) -> str:
    pos = -1
    for _ in range(e.nth + 1):
        pos = text.find(e.old, pos + 1)
        if pos < 0:
            raise EditNotApplied(f"{where}: occurrence {e.nth} of {e.old!r} not found")
    return text[:pos] + e.new + text[pos + len(e.old) :]


def _edit_docx(data: bytes, edits: list[TextEdit]) -> bytes:
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(io.BytesIO(data))
    for e in edits:
        seen = 0
        done = False
        for t in d.element.body.iter(qn("w:t")):
            s = t.text or ""
            start = 0
            while True:
                pos = s.find(e.old, start)
                if pos < 0:
                    break
                if seen == e.nth:
                    t.text = s[:pos] + e.new + s[pos + len(e.old) :]
                    done = True
                    break
                seen += 1
                start = pos + 1
            if done:
                break
        if not done:
            raise EditNotApplied(f"docx: occurrence {e.nth} of {e.old!r} not found in one run")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write(doc: Disclosure, fmt: str, edits: list[TextEdit] | None = None) -> bytes:
    """The document written in ``fmt`` (txt, html, docx, pdf) with ``edits`` applied."""
    edits = edits or []
    if fmt == "txt":
        text = render(doc, "txt").decode("utf-8")
        for e in edits:
            text = _replace_nth(text, e, "txt")
        return text.encode("utf-8")
    if fmt in ("html", "pdf"):
        from juesuan.compose.render_html import render_html

        html = render_html(doc)
        for e in edits:
            html = _replace_nth(html, e, "html")
        if fmt == "html":
            return html.encode("utf-8")
        import logging

        from weasyprint import HTML

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        buf = io.BytesIO()
        HTML(string=html).write_pdf(buf)
        return buf.getvalue()
    if fmt == "docx":
        data = render(doc, "docx")
        return _edit_docx(data, edits) if edits else data
    raise ValueError(f"unknown format {fmt}")
