"""The document walk: a :class:`RawDocument` (lines and grids in reading order) becomes a
:class:`Disclosure` — cover, 目录, heading tree with paragraphs, tables with canonical keys,
metadata, and the problems met while reading (``read_issues``).

The walk is one pass over the blocks. Caption rows inside grids (a title, 公开NN表, 部门, 金额单位
or 注 printed in a table row) are first turned into lines, so a caption is handled the same way
whether a format prints it as text or as a table row. What a line is comes from :mod:`.lines`;
the tables are built from their drafts by :mod:`.tables`, the metadata by :mod:`.metadata`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ...model import Disclosure, Location, Paragraph, ReadIssue, Section, Table, TableKind, TocEntry
from ...tables.budget import budget_titles_in
from ...tables.recognize import kind_from_title, looks_like_title, norm, squash, strip_ordinal
from ..errors import InputError
from ..narrative.sentences import make_paragraph
from ..raw import RawCell, RawDocument, RawGrid, RawLine
from .grid import is_amount
from .lines import (
    DEPT,
    SENTENCE_END,
    caption_row,
    heading_of,
    is_caption,
    is_note,
    ordinal_value,
    split_caption,
)
from .metadata import metadata_of
from .tables import Draft, budget_title_in_grid, build_tables, title_row

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*/\s*共?\s*\d{1,3}\s*页?)?[-—–\s]*$")
# a 目录 line's ending: dot leaders and a page number, or a short number after a space. A leader
# run is tried from its first dot only (the lookbehind): tried from every dot of a long run of
# dots, the search was quadratic.
_TOC_ENDING = re.compile(r"(?<![.．·…])[.．·…]{2,}\s*\d+$|\s\d{1,3}$")
_TOC_LEADERS = frozenset(".．·…-—_")


def strip_toc_page(text: str) -> str:
    r"""``text`` without its trailing page number (up to 3 digits) and the leaders before it: what
    ``re.sub(r"[\s.．·…\-—_]*\d{0,3}$", "", text)`` gives, in one pass from the end (that search
    restarts at every leader and space of a long run, quadratic)."""
    i, digits = len(text), 0
    while i > 0 and digits < 3 and text[i - 1].isdecimal():
        i, digits = i - 1, digits + 1
    if digits == 3 and i > 0 and text[i - 1].isdecimal():
        return text[:i]  # a fourth digit before: no leaders can precede the three
    while i > 0 and (text[i - 1] in _TOC_LEADERS or text[i - 1].isspace()):
        i -= 1
    return text[:i]
_DISCLOSURE_WORDS = ("决算", "预算", "财政拨款", "部门概况")
# the parts and tables only a disclosure has, for a file with no table of a disclosure's kinds
_DISCLOSURE_PARTS = ("部门概况", "情况说明", "名词解释", "决算表", "收支总表")


@dataclass
class _Line:
    text: str
    loc: Location | None
    from_grid: bool = False
    md_depth: int = 0  # the depth of a Markdown heading (``##`` = 2), 0 otherwise
    size: float | None = None  # layout hints of the reader (font size in points, bold, centred)
    bold: bool = False
    centered: bool = False


@dataclass
class _Grid:
    rows: list[list[RawCell]]
    loc: Location | None


def _segment(raw: RawDocument) -> list[_Line | _Grid]:
    """Blocks in order, with caption rows of grids turned into lines (splitting the grid)."""
    out: list[_Line | _Grid] = []
    for b in raw.blocks:
        if isinstance(b, RawLine):
            for piece in split_caption(b.text.replace("\n", "")):
                depth = 7 - int(b.size) if raw.format == "md" and b.bold and b.size else 0
                out.append(_Line(piece, b.loc, md_depth=depth, size=b.size, bold=b.bold, centered=b.centered))
            continue
        if not isinstance(b, RawGrid):
            continue
        if all(sum(1 for c in row if c.text.strip()) <= 1 for row in b.rows):
            # no row with two cells: running text that happened to contain tabs, not a table
            for row in b.rows:
                for c in row:
                    if c.text.strip():
                        for piece in split_caption(c.text.replace("\n", "")):
                            out.append(_Line(piece, c.loc, from_grid=True))
            continue
        part: list[list[RawCell]] = []
        for row in b.rows:
            if caption_row(row):
                if part:
                    out.append(_Grid(part, part[0][0].loc if part[0] else b.loc))
                    part = []
                for c in row:
                    for piece in split_caption(c.text.replace("\n", "")) if c.text.strip() else []:
                        out.append(_Line(piece, c.loc, from_grid=True))
            else:
                part.append(row)
        if part:
            out.append(_Grid(part, part[0][0].loc if part[0] else b.loc))
    return out


@dataclass
class _State:
    raw: RawDocument
    cover: list[Paragraph] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    stack: list[Section] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    pending: list[_Line] = field(default_factory=list)
    heading_title: _Line | None = None
    mode: str = "cover"  # cover | toc | body
    last: str = ""  # what the previous block was: table | note | heading | text
    para: Paragraph | None = None
    para_lines: list[_Line] = field(default_factory=list)
    issues: list[ReadIssue] = field(default_factory=list)
    md_depths: dict[int, int] = field(default_factory=dict)  # id(section) -> Markdown depth
    layout: dict[int, tuple[float, bool]] = field(default_factory=dict)  # id(section) -> (size, bold)


# Words of the parts of a disclosure: an unnumbered layout heading before any numbered one (the
# cover is still being read) must name a part.
_PART_WORDS = ("概况", "情况说明", "名词解释", "决算表", "决算报表", "附件", "其他重要事项", "绩效")
_BANNER = re.compile(r"(?:部门|单位)决算(?:报)?表$")
# a number run is tried from its start only (the lookbehind), not again from each of its digits
_NOT_HEADING = re.compile(r"[。，；：:;!?！？,]|(?<![\d,.])[,.]*\d[\d,.]*\s*(?:万元|元|%|％)")


@dataclass
class _Body:
    """What body text looks like, to tell a heading by its layout: the usual font size and
    whether bold is the exception."""

    size: float | None
    bold_rare: bool

    @staticmethod
    def of(raw: RawDocument) -> _Body:
        sizes: Counter[float] = Counter()
        bold = total = 0
        for b in raw.blocks:
            if isinstance(b, RawLine) and len(b.text) >= 2:
                n = len(b.text)
                total += n
                bold += n if b.bold else 0
                if b.size:
                    sizes[round(b.size, 1)] += n
        size = sizes.most_common(1)[0][0] if sizes else None
        return _Body(size=size, bold_rare=total > 0 and bold < total * 0.25)

    def stands_out(self, ln: _Line) -> bool:
        """Larger than body text, or bold where bold is rare."""
        if ln.from_grid or ln.md_depth:
            return False
        larger = ln.size is not None and self.size is not None and ln.size >= self.size * 1.15
        return larger or ln.bold and self.bold_rare


class _Assembler:
    def __init__(self, raw: RawDocument) -> None:
        self.s = _State(raw=raw)
        self.body = _Body.of(raw)

    # -- paragraphs ------------------------------------------------------------------------------
    def _flush_para(self) -> None:
        s = self.s
        if not s.para_lines:
            return
        text = "".join(ln.text for ln in s.para_lines)
        loc = s.para_lines[0].loc
        if loc is not None and len(s.para_lines) > 1 and s.para_lines[-1].loc is not None:
            loc = loc.model_copy(update={"end_line": s.para_lines[-1].loc.line})
        p = make_paragraph(text, loc)
        if s.mode == "cover":
            s.cover.append(p)
        elif s.stack:
            s.stack[-1].paragraphs.append(p)
        else:
            s.cover.append(p)
        s.para_lines = []

    def _text(self, ln: _Line) -> None:
        s = self.s
        if s.para_lines and not s.para_lines[-1].text.endswith(SENTENCE_END) and s.mode == "body":
            s.para_lines.append(ln)
        else:
            self._flush_para()
            s.para_lines = [ln]
        s.last = "text"

    # -- headings --------------------------------------------------------------------------------
    def _heading(self, ln: _Line, level: int, number: str | None) -> None:
        s = self.s
        self._flush_para()
        sec = Section(heading=ln.text, level=level, number=number, loc=ln.loc)
        while s.stack and s.stack[-1].level >= level:
            s.stack.pop()
        if s.stack:
            s.stack[-1].children.append(sec)
        else:
            s.sections.append(sec)
        s.stack.append(sec)
        s.last = "heading"
        s.heading_title = ln if looks_like_title(strip_ordinal(ln.text)) else None

    def _md_level(self, depth: int) -> int:
        """The level of an unnumbered Markdown heading: one below the nearest heading of a
        smaller depth (headings numbered 第X部分/一、… keep their own level)."""
        for sec in reversed(self.s.stack):
            d = self.s.md_depths.get(id(sec))
            if d is None or d < depth:
                return min(sec.level + 1, 4)
        return 1

    def _layout_heading(self, ln: _Line) -> int | None:
        """The level of an unnumbered heading told only by its layout (a Word heading style, a
        bold or larger line of a PDF or web page), or None. Conservative: a short line without
        sentence punctuation or amounts that stands out from body text; never a caption or a
        note. Its level: a sibling of the last such heading of the same size and weight, below a
        larger one or a numbered one."""
        if not self.body.stands_out(ln):
            return None
        s = self.s
        t = squash(ln.text)
        if not (2 <= len(t) <= 30) or _NOT_HEADING.search(t):
            return None
        if len(re.findall(r"[\u4e00-\u9fff]", t)) < 2 or is_note(t) or heading_of(t) is not None:
            return None
        banner = bool(_BANNER.search(t)) and kind_from_title(t) is None
        if is_caption(t) and not banner:
            return None
        if banner:
            # the banner of the tables' part (XX局2024年度部门决算表) where no 第二部分 is printed;
            # inside a part that already holds the tables it is only a caption
            if any("决算表" in sec.heading or "决算报表" in sec.heading for sec in s.stack):
                return None
            return 1
        if s.mode != "body":
            return 1 if any(w in t for w in _PART_WORDS) else None
        sig = (ln.size or 0.0, ln.bold)
        for sec in reversed(s.stack):
            other = s.layout.get(id(sec))
            if other is None or other[0] > sig[0] or other[0] == sig[0] and other[1] and not sig[1]:
                return min(sec.level + 1, 4)
            if other == sig:
                return sec.level
        return 1

    def _continues(self, level: int, number: str | None) -> bool:
        """Whether a heading numbered ``number`` follows on from the last one of its level under
        the current parent (or starts a sequence at 1)."""
        n = ordinal_value(number)
        if n is None or n == 1:
            return True
        parent = next((sec for sec in reversed(self.s.stack) if sec.level < level), None)
        siblings = parent.children if parent is not None else self.s.sections
        same = [c for c in siblings if c.level == level]
        return bool(same) and ordinal_value(same[-1].number) == n - 1

    # -- 目录 ------------------------------------------------------------------------------------
    def _toc_line(self, ln: _Line) -> bool:
        """Take a line as a 目录 entry; False when the body has started."""
        s = self.s
        text = strip_toc_page(ln.text).strip() if _TOC_ENDING.search(ln.text) else ln.text
        h = heading_of(text)
        if s.toc:
            # the body starts where the first entry is printed again (its wording may differ:
            # 第一部分 部门概况 in the 目录, 第一部分 2024年度部门概况 in the body)
            first = s.toc[0]
            if norm(text) == norm(first.text) or (
                h is not None and h[0] == 1 and h == heading_of(first.text)
            ):
                return False
        if len(text) > 60 or "。" in text:
            return False
        level = h[0] if h else 2
        s.toc.append(TocEntry(text=text, level=level, loc=ln.loc))
        return True

    # -- tables ----------------------------------------------------------------------------------
    def _grid(self, g: _Grid) -> None:
        s = self.s
        self._flush_para()
        if s.mode != "body":
            s.mode = "body"
        has_caption = any(not is_note(p.text) for p in s.pending)
        budget_title = budget_title_in_grid(g.rows)
        if (
            not has_caption
            and s.drafts
            and s.last in ("table", "note")
            and (budget_title is None or budget_title == budget_title_in_grid(s.drafts[-1].grids[0]))
        ):
            s.drafts[-1].grids.append(g.rows)
            s.last = "table"
            return
        captions = list(s.pending)
        prev = s.drafts[-1] if s.drafts else None
        if (
            prev is not None
            and s.last in ("table", "caption")
            and _budget_title_only(prev)
            and not any(budget_titles_in(norm(c.text)) for c in captions)
        ):
            # a budget table's title row gridded apart from its table, the 部门/单位 line between:
            # one table (not when the captions between name a table of their own: a title printed
            # at the foot of one page, again on the next page over another table)
            # its lines (title, number, the department's name) become captions
            prev.captions.extend((c.text, c.loc) for r in prev.grids[0] for c in r if c.text.strip())
            prev.captions.extend((c.text, c.loc) for c in captions)
            prev.grids = [g.rows]
            s.pending = []
            s.last = "table"
            return
        d = Draft(
            captions=[(c.text, c.loc) for c in captions],
            grids=[g.rows],
            section=s.stack[-1] if s.stack else None,
        )
        if s.heading_title is not None:
            d.heading_title = (strip_ordinal(s.heading_title.text), s.heading_title.loc)
        s.drafts.append(d)
        s.pending = []
        s.heading_title = None
        s.last = "table"

    # -- the walk --------------------------------------------------------------------------------
    def feed(self, item: _Line | _Grid) -> None:
        s = self.s
        if isinstance(item, _Grid):
            self._grid(item)
            return
        ln = item
        t = ln.text
        if not t or _PAGE_NUMBER.match(t):
            return  # page numbers between the parts of a split table must not end it
        if norm(t) in ("目录", "目次"):
            self._drop_pending()
            self._flush_para()
            s.mode = "toc"
            return
        if s.mode == "toc":
            if self._toc_line(ln):
                return
            s.mode = "body"
        if (
            s.last in ("table", "note")
            and s.drafts
            and (
                is_note(t)
                or (s.last == "note" and re.match(r"^\d+[.．、]", t))
                or ("本表" in t and len(t) < 200 and heading_of(t) is None)
            )
        ):
            s.drafts[-1].notes.append((t, ln.loc))
            s.last = "note"
            return
        if s.mode != "toc":
            lvl = self._layout_heading(ln)
            if lvl is not None:
                s.mode = "body"
                self._drop_pending()
                self._heading(ln, lvl, None)
                s.layout[id(s.stack[-1])] = (ln.size or 0.0, ln.bold)
                return
        if is_caption(t) or not re.search(r"\w", t):
            self._flush_para()
            s.pending.append(ln)
            s.last = "caption"
            return
        h = heading_of(t)
        if h is not None and h[0] > 1 and re.search(r"[。，；]", t) and not self._continues(*h):
            h = None  # a sentence-like list item, not the next heading of its level
        if h is not None and (s.mode == "body" or h[0] == 1):
            s.mode = "body"
            if s.pending and not ln.from_grid:
                self._drop_pending()
            self._heading(ln, *h)
            if ln.md_depth:
                s.md_depths[id(s.stack[-1])] = ln.md_depth
            return
        if (
            h is None
            and ln.md_depth
            and (s.mode == "body" or ln.md_depth >= 2)
            and not is_caption(t)
            and len(t) <= 40
        ):
            s.mode = "body"
            h = (self._md_level(ln.md_depth), None)
            self._drop_pending()
            self._heading(ln, *h)
            self.s.md_depths[id(self.s.stack[-1])] = ln.md_depth
            return
        if s.mode == "cover" and h is not None:
            s.mode = "body"
            self._heading(ln, *h)
            return
        if self._wraps_department(ln):
            return
        self._drop_pending()
        self._text(ln)

    def _wraps_department(self, ln: _Line) -> bool:
        """Join to its caption a department's name wrapped onto a line of its own right under it,
        starting where the caption starts (部门名称：江苏省人大 / 常委会办公厅, the 单位 line printed
        between them on the right), so that the captions still name the table that follows."""
        s = self.s
        t = squash(ln.text)
        box = ln.loc.bbox if ln.loc is not None else None
        if not s.pending or box is None or not 2 <= len(t) <= 20 or _NOT_HEADING.search(t):
            return False
        for k in range(len(s.pending) - 1, -1, -1):
            d = s.pending[k]
            dbox = d.loc.bbox if d.loc is not None else None
            if not DEPT.match(d.text) or dbox is None or d.loc is None or ln.loc is None:
                continue
            if d.loc.page != ln.loc.page:
                return False
            x0, top, _, bottom = dbox
            if abs(box[0] - x0) <= 3 and 0 <= box[1] - bottom <= bottom - top:
                s.pending[k] = replace(d, text=d.text + ln.text)
                return True
            return False
        return False

    def _drop_pending(self) -> None:
        """Captions followed by running text were not a table's: they are paragraphs."""
        s = self.s
        pending, s.pending = s.pending, []
        for p in pending:
            self._text(p)

    def finish(self) -> Disclosure:
        s = self.s
        self._drop_pending()
        self._flush_para()
        doc = Disclosure(cover=s.cover, toc=s.toc, sections=s.sections)
        left: str | None = None  # a budget title run into the caption before, not yet used
        for d in s.drafts:
            built = build_tables(d)
            if left is not None and len(built) == 1 and built[0][0].kind is TableKind.OTHER:
                # the caption of the table before printed this table's title too
                d.heading_title = (left, built[0][0].loc)
                built = build_tables(d)
            left = _unused_budget_title(d, [t for t, _ in built])
            for table, issues in built:
                doc.tables.append(table)
                if d.section is not None:
                    d.section.table_indices.append(len(doc.tables) - 1)
                doc.read_issues.extend(issues)
        for code, msg, loc in s.raw.issues:
            doc.read_issues.append(ReadIssue(code=code, message=msg, loc=loc))
        doc.metadata = metadata_of(s.raw, doc)
        return doc



def _unused_budget_title(d: Draft, tables: list[Table]) -> str | None:
    """A budget table title a draft's captions name besides the one its table took (公开09表“三公”
    经费…预算表部门名称：…公开10表政府性基金预算财政拨款支出预算表: the next table's title)."""
    titles = [t for text, _ in d.captions for t in budget_titles_in(norm(text))]
    kinds = {t.kind for t in tables}
    rest = [t for t in titles if kind_from_title(t) not in kinds]
    return rest[-1] if rest and len(titles) >= 2 else None


def _budget_title_only(d: Draft) -> bool:
    """A draft that holds a budget table's title (in its captions or its grid) and no table yet:
    its grid has only title, number or stray single-cell lines (the department's name printed
    above the 部门：line), so its body is the next grid."""
    if len(d.grids) != 1 or any(sum(1 for c in r if c.text.strip()) > 1 for r in d.grids[0]):
        return False
    named = budget_title_in_grid(d.grids[0]) is not None or any(
        budget_title_in_grid([[RawCell(text=t)]]) is not None for t, _ in d.captions
    )
    return named and not any(is_amount(c.text) for r in d.grids[0] if not title_row(r) for c in r)


def assemble(raw: RawDocument) -> Disclosure:
    """The typed disclosure of a raw document. Raises :class:`InputError` when the document is
    not a disclosure at all (no table and no disclosure wording)."""
    a = _Assembler(raw)
    for item in _segment(raw):
        a.feed(item)
    doc = a.finish()
    if not any(t.kind is not TableKind.OTHER for t in doc.tables) and not any(
        i.code == "unrecognised_layout" for i in doc.read_issues  # a 决算 table of an unknown layout
    ):
        # no table of a disclosure's kinds: a narrative alone still names its department or year
        # (a README or a note that merely mentions 决算 in passing does not)
        words = "".join(b.text for b in raw.blocks[:400] if isinstance(b, RawLine))
        if not any(w in words for w in _DISCLOSURE_WORDS):
            problem = "既没有决算表格，也没有决算相关内容" if not doc.tables else "其中的表格都不是决算表格，也没有决算相关内容"
            raise InputError(raw.path, f"这不是部门决算公开文件：{problem}", code="not_a_disclosure")
        if (
            doc.metadata.department is None
            and doc.metadata.year is None
            and not any(w in words for w in _DISCLOSURE_PARTS)
        ):
            raise InputError(
                raw.path,
                "这不是部门决算公开文件：没有可识别的决算表格和说明章节，也识别不出部门和年度",
                code="not_a_disclosure",
            )
    return doc
