"""HTML reader: a saved government web page (also a web archive, .mht), or the pages of one
disclosure (gathered from a folder or a zip by :mod:`.pages`).

The bytes are decoded by BOM, then the declared charset (``<meta charset>``, ``http-equiv``, the
XML declaration; GB2312/GBK are read as their superset GB18030), then UTF-8, then GB18030.
lxml's HTML parser builds the tree; the walk emits, in document order:

- a :class:`RawLine` per block of running text (``p``, ``h1``–``h6``, ``div``, ``li`` …, with
  ``<br>`` as a line break), located by its DOM path (``/html/body/div[3]/p[2]``);
- a :class:`RawGrid` per data table: ``td``/``th`` with ``colspan``/``rowspan`` as printed, one
  cell per printed cell. A table that holds other tables, or a single cell, is page layout and
  is walked as blocks instead.

``script``, ``style``, ``nav`` and form controls are ignored. Children of a flex or grid
container (by inline style or a class in the page's own ``<style>``) are separate blocks, as a
browser lays them out.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

from ...model import Disclosure, Location
from ...runtime.limits import LIMITS, over_budget
from ..assemble import assemble
from ..errors import InputError
from ..raw import RawCell, RawDocument, RawGrid, RawLine

BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
    "header", "footer", "main", "aside", "blockquote", "pre", "center", "address", "figure", "figcaption",
    "form", "fieldset", "hr", "body", "html", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
    "details", "summary", "legend",
}  # fmt: skip
IGNORE = {"script", "style", "noscript", "nav", "template", "iframe", "object", "embed", "svg", "math", "button",
          "select", "input", "textarea", "option", "head", "title", "meta", "link", "base", "map", "canvas", "audio", "video"}  # fmt: skip
HEADINGS = {"h1": 22.0, "h2": 18.0, "h3": 15.0, "h4": 13.0, "h5": 12.0, "h6": 11.0}
_WS = re.compile(r"[ \t\r\n\f\v]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XMLDECL = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.]+)["']""", re.I)
_FONT_SIZE = re.compile(r"font-size\s*:\s*([0-9]{1,3}(?:\.[0-9]+)?)\s*(pt|px)", re.I)
_FLEX = re.compile(r"display\s*:\s*(inline-)?(flex|grid)", re.I)
MAX_SPAN = 1000
MAX_COLS = 200  # no disclosure table is wider; a wider layout is a broken page
MAX_GRID = 200_000


# -- decoding ----------------------------------------------------------------------------------
def _codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "gb18030", "cp936", "euc-cn", "csgb2312", "chinese"):
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, encoding used): BOM, declared charset, UTF-8, then GB18030."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace"), enc
    head = data[:8192]
    m = _XMLDECL.match(head) or _CHARSET.search(head)
    if m:
        declared = _codec(m.group(1).decode("ascii", "replace"))
        if declared and not declared.startswith("utf-16"):
            try:
                return data.decode(declared), declared
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), "utf-8"


# -- the walk ----------------------------------------------------------------------------------
def _flex_classes(root: Any) -> set[str]:
    """Classes the page's own stylesheet lays out as flex/grid containers."""
    out: set[str] = set()
    for st in root.iter("style"):
        for selectors, body in css_rules(st.text or ""):
            if _FLEX.search(body):
                for sel in selectors.split(","):
                    last = sel.strip().split()[-1] if sel.strip() else ""
                    for cls in re.findall(r"\.([A-Za-z0-9_-]+)", last):
                        out.add(cls)
    return out


def css_rules(css: str) -> Iterator[tuple[str, str]]:
    """(selectors, declarations) of each innermost rule of a stylesheet: the text between the
    last brace and a ``{``, and what follows up to its ``}`` (what ``([^{}]+)[{]([^{}]*)[}]``
    finds, in one pass: that pattern backtracks quadratically on a long unclosed rule)."""
    for chunk in css.split("}")[:-1]:  # the text after the last ``}`` closes no rule
        parts = chunk.split("{")
        if len(parts) >= 2 and parts[-2]:
            yield parts[-2], parts[-1]


def _span(value: str | None) -> int:
    if value is None:
        return 1
    if value.isdigit():
        return max(1, min(int(value), MAX_SPAN))
    try:
        n = int(re.sub(r"[^0-9]", "", value or "") or "1")
    except ValueError:
        return 1
    return max(1, min(n, MAX_SPAN))


def _tag(el: Any) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


class _Walker:
    def __init__(self, raw: RawDocument, tree: Any, prefix: str, flex: set[str]) -> None:
        self.raw = raw
        self.tree = tree
        self.prefix = prefix
        self.flex = flex
        self.buf: list[str] = []
        self.buf_el: Any = None
        self.buf_size: float | None = None
        self.buf_bold = False
        self.buf_center = False
        self.cur_block: Any = None

    def path(self, el: Any) -> str:
        return self.prefix + self.tree.getpath(el)

    # text lines
    def flush(self) -> None:
        text = "".join(self.buf)
        self.buf = []
        el, self.buf_el = self.buf_el, None
        for piece in text.split("\n"):
            t = _WS.sub(" ", piece.replace("\u00a0", " ")).strip()
            if t:
                self.raw.blocks.append(RawLine(text=t, loc=Location(ref=self.path(el)) if el is not None else None,
                                               size=self.buf_size, bold=self.buf_bold, centered=self.buf_center))  # fmt: skip

    def add_text(self, text: str | None, owner: Any) -> None:
        if not text:
            return
        if self.buf_el is None:
            if not text.strip():
                return
            self.buf_el = owner
        self.buf.append(text)

    def is_flex(self, el: Any) -> bool:
        if _FLEX.search(el.get("style") or ""):
            return True
        return bool(self.flex and self.flex.intersection((el.get("class") or "").split()))

    def block(self, el: Any, size: float | None = None, bold: bool = False, center: bool = False) -> None:
        """Walk a block element: its text and inline children form lines; block children end them."""
        self.flush()
        tag = _tag(el)
        size = HEADINGS.get(tag, size)
        bold = bold or tag in HEADINGS or tag in ("th",)
        center = center or tag == "center" or (el.get("align") or "").lower() == "center" or "text-align:center" in (el.get("style") or "").replace(" ", "").lower()
        self.buf_size, self.buf_bold, self.buf_center = size, bold, center
        flex = self.is_flex(el)
        outer, self.cur_block = self.cur_block, el
        self.add_text(el.text, el)
        for child in el:
            ct = _tag(child)
            if ct in IGNORE or not ct:
                pass
            elif ct == "br":
                self.buf.append("\n")
            elif ct == "table":
                self.flush()
                self.table(child)
                self.buf_size, self.buf_bold, self.buf_center = size, bold, center
            elif ct in BLOCK or flex:
                self.block(child, size, bold, center)
                self.buf_size, self.buf_bold, self.buf_center = size, bold, center
            else:
                self.inline(child, size, bold, center)
            if child.tail:
                self.add_text(child.tail, el)
        self.flush()
        self.cur_block = outer

    def inline(self, el: Any, size: float | None, bold: bool, center: bool) -> None:
        tag = _tag(el)
        if tag in ("b", "strong") and not self.buf:
            self.buf_bold = True
        m = _FONT_SIZE.search(el.get("style") or "")
        if m:
            pt = float(m.group(1)) * (0.75 if m.group(2).lower() == "px" else 1.0)
            if self.buf_size is None or pt > self.buf_size:
                self.buf_size = pt
        self.add_text(el.text, self.cur_block)
        for child in el:
            ct = _tag(child)
            if ct in IGNORE or not ct:
                pass
            elif ct == "br":
                self.buf.append("\n")
            elif ct == "table":
                self.flush()
                self.table(child)
            elif ct in BLOCK:
                self.block(child, size, bold, center)
            else:
                self.inline(child, size, bold, center)
            if child.tail:
                self.add_text(child.tail, self.cur_block)

    # tables
    def rows_of(self, table: Any) -> list[Any]:
        out: list[Any] = []
        for child in table:
            ct = _tag(child)
            if ct == "tr":
                out.append(child)
            elif ct in ("thead", "tbody", "tfoot"):
                out.extend(c for c in child if _tag(c) == "tr")
        return out

    def table(self, table: Any) -> None:
        rows = self.rows_of(table)
        nested = any(_tag(t) == "table" for t in table.iter() if t is not table)
        cells = [[c for c in tr if _tag(c) in ("td", "th")] for tr in rows]
        n_cells = sum(len(r) for r in cells)
        if nested or n_cells <= 1 or any(_is_layout_cell(c) for row in cells for c in row):
            # page layout, not a data table: walk its cells as blocks
            for child in table:
                if _tag(child) not in IGNORE:
                    self.block(child)
            return
        for cap in table:
            if _tag(cap) == "caption":
                self.block(cap, bold=True, center=True)
        grid_rows: list[list[RawCell]] = []
        for row in cells:
            out: list[RawCell] = []
            for c in row:
                out.append(RawCell(text=_cell_text(c), loc=Location(ref=self.path(c)),
                                   colspan=_span(c.get("colspan")), rowspan=_span(c.get("rowspan"))))  # fmt: skip
            grid_rows.append(out)
        while grid_rows and not grid_rows[-1]:
            grid_rows.pop()
        if not _bounded(grid_rows):
            for row in grid_rows:
                for cell in row:
                    cell.colspan = cell.rowspan = 1
            self.raw.issues.append(("bad_spans", "网页表格的合并单元格（rowspan/colspan）超出表格范围，已按未合并读取", Location(ref=self.path(table))))
        prev = self.raw.blocks[-1] if self.raw.blocks else None
        if isinstance(prev, RawGrid):
            n = _repeated_header(prev.rows, grid_rows)
            if n:  # a long table cut into several <table>s, its header repeated: one table
                prev.rows.extend(grid_rows[n:])
                return
        self.raw.blocks.append(RawGrid(rows=grid_rows, loc=Location(ref=self.path(table))))


_LAYOUT_BLOCKS = {"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre"}


def _is_layout_cell(cell: Any) -> bool:
    """A cell holding a page's running text (headings, several paragraphs, long text) rather
    than a printed table cell: its table is page layout."""
    blocks = 0
    for el in cell.iter():
        tag = _tag(el)
        if tag in HEADINGS:
            return True
        if tag in _LAYOUT_BLOCKS and el is not cell:
            blocks += 1
            if blocks >= 3:
                return True
    return len(cell.text_content()) > 300


def _repeated_header(first: list[list[RawCell]], nxt: list[list[RawCell]]) -> int:
    """How many leading rows of ``nxt`` repeat the leading rows of ``first`` (rows with at least
    two filled cells, same texts and spans)."""
    n = 0
    while n < len(first) and n < len(nxt) - 1:
        a = [(c.text, c.colspan, c.rowspan) for c in first[n]]
        b = [(c.text, c.colspan, c.rowspan) for c in nxt[n]]
        if a != b or sum(1 for t, _, _ in a if t) < 2:
            break
        n += 1
    return n


def _bounded(rows: list[list[RawCell]]) -> bool:
    """Clip each rowspan to the rows left in the table (as browsers do) and tell whether the
    laid-out table stays of a sane size (at most MAX_COLS columns and MAX_GRID cells)."""
    taken: set[tuple[int, int]] = set()
    width = 0
    for r, row in enumerate(rows):
        row_width = 0
        c = 0
        for cell in row:
            cell.rowspan = min(cell.rowspan, len(rows) - r)
            while (r, c) in taken:
                c += 1
            if c + cell.colspan > MAX_COLS or len(taken) + cell.colspan * cell.rowspan > MAX_GRID:
                return False
            for dr in range(1, cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
            row_width = c
        width = max(width, row_width)
    return width * len(rows) <= MAX_GRID


def _cell_text(cell: Any) -> str:
    parts: list[str] = []

    def walk(el: Any) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            ct = _tag(child)
            if ct == "br":
                parts.append("\n")
            elif ct in IGNORE or not ct:
                pass
            else:
                if ct in BLOCK and parts and not parts[-1].endswith("\n"):
                    parts.append("\n")
                walk(child)
                if ct in BLOCK:
                    parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    lines = [_WS.sub(" ", x.replace("\u00a0", " ")).strip() for x in "".join(parts).split("\n")]
    return "\n".join(x for x in lines if x)


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _parse(name: str, data: bytes) -> Any:
    import lxml.html
    from lxml import etree

    text, _ = decode_html(data)
    # control characters (a damaged page): lxml keeps them in the tree but refuses them in any
    # text set later (unwrapping deep wrappers), so they become the reader's mark of a damaged place
    text = _CONTROL.sub("\ufffd", text.replace("\x00", ""))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        raise InputError(name, "网页为空", code="empty")
    try:
        # huge_tree: libxml2 otherwise stops at 256 levels of nesting and drops what is deeper,
        # so a page wrapped in 300 <div>s lost its whole content
        parser = lxml.html.HTMLParser(huge_tree=True)
        root = lxml.html.document_fromstring(text, parser=parser)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            # deeper still (2,048 levels even so): the wrappers' tags become paragraph breaks,
            # which the parser does not nest, and the page is parsed again, flat
            flat = _WRAPPER_TAG.sub(lambda m: "</p>" if m.group(1) else "<p>", text)
            root = lxml.html.document_fromstring(flat, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(name, "无法解析网页内容", code="bad_html") from exc
    _flatten_deep(root)
    # wrappers nested deeper than MAX_DEPTH are unwrapped above; what still nests beyond the
    # budget (tables in tables in tables…) is no disclosure a person could read
    depth = _depth(root)
    if depth > LIMITS.html_depth.count():
        raise InputError(name, over_budget(LIMITS.html_depth, depth), code="too_deep")
    return root


_WRAPPER_TAG = re.compile(r"<(/?)(?:div|section|article|main|center|blockquote)\b[^<>]{0,2000}>", re.IGNORECASE)  # bounded: linear


# Nesting below this depth is unwrapped (its text kept) before the walk, which recurses per level.
MAX_DEPTH = 120
# what may be unwrapped: containers whose tag carries no structure the reader uses
_WRAPPERS = frozenset({"div", "span", "font", "section", "article", "main", "center", "b", "i", "u", "em", "strong", "small", "big", "a", "blockquote", "form", "nav", "header", "footer", "aside"})


def _flatten_deep(root: Any) -> None:
    """Unwrap the wrapper elements nested deeper than ``MAX_DEPTH`` (their text and children
    stay where they were), so a page buried in thousands of <div>s reads like the page itself."""
    from lxml import etree

    deep: list[Any] = []
    depth = 0
    for action, el in etree.iterwalk(root, events=("start", "end")):
        if action == "start":
            depth += 1
            if depth > MAX_DEPTH and _tag(el) in _WRAPPERS:
                deep.append(el)
        else:
            depth -= 1
    for el in deep:  # outermost first: each drop moves up one wrapper, not everything inside it
        el.drop_tag()


def _depth(root: Any) -> int:
    """How deeply the elements of a tree nest (the root is level 1), counted without recursion."""
    from lxml import etree

    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def is_mht(data: bytes) -> bool:
    """A web archive (.mht/.mhtml, Word's “single file web page”): a MIME message."""
    head = data[:4096].lstrip().lower()
    return head.startswith((b"mime-version:", b"from:", b"content-type:", b"date:", b"subject:")) and b"multipart/related" in head


def mht_page(name: str, data: bytes) -> bytes:
    """The HTML part of a web archive, re-encoded as UTF-8 with a BOM."""
    import email
    import email.policy

    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in msg.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if not isinstance(payload, bytes):
                    continue
                charset = _codec(part.get_content_charset() or "") if part.get_content_charset() else None
                text = payload.decode(charset, errors="replace") if charset else decode_html(payload)[0]
                return codecs.BOM_UTF8 + text.encode("utf-8")
    except (ValueError, LookupError, TypeError, IndexError, AttributeError) as exc:
        raise InputError(name, "网页存档（.mht）已损坏，无法解开", code="corrupt") from exc
    raise InputError(name, "网页存档（.mht）中没有网页内容", code="no_disclosure")


def _walk_page(raw: RawDocument, name: str, data: bytes, prefix: str = "") -> None:
    if is_mht(data):
        data = mht_page(name, data)
    root = _parse(name, data)
    tree = root.getroottree()
    body = root.find("body")
    walker = _Walker(raw, tree, prefix, _flex_classes(root))
    try:
        walker.block(body if body is not None else root)
    except RecursionError as exc:  # a depth budget set above what the interpreter's stack allows
        raise InputError(name, "网页元素嵌套过深，无法读取（请调低环境变量 JUESUAN_MAX_HTML_DEPTH）", code="too_deep") from exc


def _check(raw: RawDocument, name: str) -> RawDocument:
    has_grid = any(isinstance(b, RawGrid) and len(b.rows) >= 2 for b in raw.blocks)
    has_text = any(isinstance(b, RawLine) and "决算" in b.text for b in raw.blocks)
    if not (has_grid or has_text):
        raise InputError(name, "网页中没有找到部门决算内容（既没有表格，也没有提到“决算”的文字）", code="no_disclosure")
    return raw


def read_html_raw(name: str, data: bytes) -> RawDocument:
    """The raw layout of one saved web page."""
    raw = RawDocument(path=name, format="html")
    _walk_page(raw, name, data)
    return _check(raw, name)


def raw_from_pages(name: str, pages: list[tuple[str, bytes]]) -> RawDocument:
    """Several pages of one disclosure (in the given order) as one document; each location is
    prefixed with its page's file name (``page2.html:/html/body/table``)."""
    raw = RawDocument(path=name, format="html")
    for page_name, data in pages:
        if not data.strip():
            continue
        try:
            _walk_page(raw, f"{name}/{page_name}", data, prefix=f"{page_name}:")
        except InputError:
            raise
    return _check(raw, name)


def read_html_bytes(name: str, data: bytes) -> Disclosure:
    """Read one saved web page to the typed model."""
    return assemble(read_html_raw(name, data))


__all__ = ["decode_html", "raw_from_pages", "read_html_bytes", "read_html_raw"]
