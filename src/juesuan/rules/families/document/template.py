"""Template remnants: a blank template is one finding (D-001); in a real disclosure, the
template's placeholders (D-008), its alternative wordings left unresolved (D-009), its filling
instructions (D-010) and its blanks never filled in (D-013: 比上年增加万元, 主要原因是……) left in the
published text.

The reader decides whether the file is a blank template (``metadata.is_template``,
``ingest/document_parts.py``); on a template D-001 speaks and the others here stay silent, so a
template gives one clear finding, not hundreds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ....ingest.text_lines import holds_any, norm, unfilled_blanks
from ....model import ALL_KINDS, Finding, Ref, Severity
from ...base import Rule, register
from ...context import RunContext
from .common import document_lines, line_ref, placeholders, quote

_ALT_WORDS = "增加|减少|增长|下降|上升|降低|大于|小于|高于|低于"
ALTERNATIVE = re.compile(rf"({_ALT_WORDS})\s*[（(]\s*({_ALT_WORDS})\s*[)）]")
# the forms budget templates print: 增加/减少, （增加）（减少）. Judged in the text only: a table's
# header may name one column 增加/减少 on purpose
ALTERNATIVE_TEXT = re.compile(
    rf"({_ALT_WORDS})\s*[/／]\s*({_ALT_WORDS})|[（(]\s*({_ALT_WORDS})\s*[)）]\s*[（(]\s*({_ALT_WORDS})\s*[)）]"
)
_TEXT_ROLES = ("paragraph", "heading", "table_note")
INSTRUCTIONS = [
    "作下述说明",
    "仍保留该表格式",
    "填写说明",
    "填报说明",
    "请填写",
    "此处填写",
    "根据三定方案",
    "不涉及的不列",
    "如持平作持平表述",
    "按上述格式依次说明",
    "列明公务",
    "（制度名称）",
    "(制度名称)",
]
_INSTRUCTIONS_NORM = [(p, re.sub(r"\s+", "", p)) for p in INSTRUCTIONS]
_INSTRUCTIONS_ANY = re.compile("|".join(re.escape(q) for _, q in _INSTRUCTIONS_NORM))  # one search for all
# Words that address the writer of the document, not its reader: a bracketed remark holding one is
# the template's instruction (（请根据本部门“三定”方案填写）, （此处填写…，无则删除本段）, （不涉及的不列）,
# （如持平作持平表述）). 申请/邀请/提请/聘请 are not 请; a 填写 outside brackets may be a real
# statement (组织各单位填写自评表), so only bracketed remarks and 请…填写 sentences count.
_TO_WRITER = (
    r"(?<![申邀提聘报恳])请(?!示)|此处|填写|填列|填报|删除|删去|不列(?![入支示])|无则|"
    r"作[^，。；]{0,6}表述|保留[^，。；]{0,12}(?:格式|解释|说明|表样)"
)
_INSTRUCTION_PAREN = re.compile(rf"[（(][^（）()]{{0,80}}?(?:{_TO_WRITER})[^（）()]{{0,80}}?[)）]")
_INSTRUCTION_SENTENCE = re.compile(
    r"(?<![申邀提聘报恳])请[^，。；！？]{0,24}?(?:填写|填列|填报|删除|补充完整)"
    r"|由[^，。；]{0,12}根据[^。；]{0,30}填写"
)
_QUOTES = re.compile(r"[“”\"'‘’「」『』]")
# each pattern with the characters one of which any match holds (a cheap test before the search)
_INSTRUCTION_RXS = ((_INSTRUCTION_PAREN, "（("), (_INSTRUCTION_SENTENCE, "请由"))
# a line holding none of these holds no instruction (normalising only removes characters): each
# known phrase holds one (a rare one where it has a choice), each pattern needs one of "（(请由"
_INSTRUCTION_CHARS = "述留填请涉案列（(由"
if not all(holds_any(q, _INSTRUCTION_CHARS) for _, q in _INSTRUCTIONS_NORM):
    raise AssertionError("_INSTRUCTION_CHARS must hold a character of every phrase of INSTRUCTIONS")


def instruction_texts(text: str) -> list[str]:
    """The template instructions a line holds: the known phrases (作下述说明, 仍保留该表格式 …) and
    any bracketed remark or 请…填写 sentence addressed to the writer."""
    if not holds_any(text, _INSTRUCTION_CHARS):
        return []  # nothing below can match
    t = _QUOTES.sub("", norm(text))
    found = [p for p, q in _INSTRUCTIONS_NORM if q in t] if _INSTRUCTIONS_ANY.search(t) else []
    for rx, needs in _INSTRUCTION_RXS:
        if not holds_any(t, needs):
            continue  # the pattern cannot match without one of these characters
        for m in rx.finditer(t):
            if not any(f in m.group(0) or m.group(0) in f for f in found):
                found.append(m.group(0))
    return list(dict.fromkeys(found)) if found else found


@register
class BlankTemplate(Rule):
    """The file is a blank template, not a disclosure: its department name is a placeholder
    (上海市XX局) or placeholders fill it while its tables are empty (the reader's verdict,
    ``metadata.is_template``). Reported once; the placeholder rules (D-008…D-010) are then silent.

    Wrong:
        封面：上海市 XX 局 2024 年度部门决算；说明：收入支出总计 XXX 万元，增长（下降）XX%
    Right:
        封面：上海市普陀区财政局 2024 年度部门决算；说明：收入支出总计 2995.39 万元，下降 1.87%
    """

    id = "D-001"
    title = "空白模板"
    family = "D"
    severity = Severity.WARNING
    kinds = ALL_KINDS  # names, placeholders and punctuation mean the same in a budget

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if not doc.metadata.is_template:
            return
        hits = placeholders(ctx)
        n = sum(len(f) for _, f in hits)
        refs = [line_ref(doc, ln) for ln, _ in hits[:3]]
        why = doc.metadata.template_reason or "已标记为模板"
        yield self.finding(
            f"本文件是空白模板（{why}），不是可核对的决算公开文件：共 {n} 处占位符，"
            "占位符、待选表述和填写说明不再逐条列出",
            refs or [Ref(text=doc.metadata.title or doc.metadata.department or "文件")],
        )


@register
class Placeholders(Rule):
    """Template placeholders left in a real disclosure: XX, XXX, ××, 某某 where a name, an amount
    or a percentage should be.

    Wrong:
        本年收入合计 XXX 万元，其中：财政拨款收入 XXX 万元，占 XX%
    Right:
        本年收入合计 2,106.35 万元，其中：财政拨款收入 2,106.35 万元，占 100%
    """

    id = "D-008"
    title = "模板占位符未替换"
    family = "D"
    kinds = ALL_KINDS  # names, placeholders and punctuation mean the same in a budget

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        for line, found in placeholders(ctx):
            shown = "、".join(dict.fromkeys(f.replace(" ", "") for f in found))
            yield self.finding(
                f"模板占位符“{shown}”未替换：“{quote(line.text)}”",
                [line_ref(doc, line)],
                found=shown,
            )


@register
class UnresolvedAlternative(Rule):
    """A template's alternative wording left unresolved: 增加（减少）, 下降（增长）, 大于（小于), and in
    the text the budget templates' 增加/减少 and （增加）（减少） — the writer must keep the one that
    applies.

    Wrong:
        “三公”经费支出决算数比 2023 年度减少 0.15 万元，下降（增长）27.78%
    Right:
        “三公”经费支出决算数比 2023 年度减少 0.15 万元，下降 27.78%
    """

    id = "D-009"
    title = "待选表述未选定"
    family = "D"
    kinds = ALL_KINDS  # names, placeholders and punctuation mean the same in a budget

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        for line in document_lines(ctx):
            text = line.text
            found = []
            if "（" in text or "(" in text:  # ALTERNATIVE needs a bracket
                found = [m.group(0) for m in ALTERNATIVE.finditer(text) if m.group(1) != m.group(2)]
            if line.role in _TEXT_ROLES and holds_any(text, "/／（("):
                for m in ALTERNATIVE_TEXT.finditer(text):
                    a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                    if a != b and not any(m.group(0) in f or f in m.group(0) for f in found):
                        found.append(m.group(0))
            if found:
                shown = "、".join(dict.fromkeys(norm(f) for f in found))
                yield self.finding(
                    f"模板中的待选表述“{shown}”未按实际情况选定：“{quote(line.text)}”",
                    [line_ref(doc, line)],
                    found=shown,
                )


@register
class TemplateInstructions(Rule):
    """Instructions of the template left in the published text (在本表下方作下述说明, 仍保留该表格式,
    不涉及的不列, 如持平作持平表述, 列明公务接待批次, 填写说明 …), and any bracketed remark addressed
    to the writer — （请根据本部门“三定”方案填写…）, （此处填写…，无则删除本段） — or sentence asking
    for something to be filled in (请…填写, 由主管部门根据…填写). 申请, 据实, 不列入 and a statement
    that someone filled in a form (组织各单位填写自评表) are not instructions.

    Wrong:
        无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：
    Right:
        说明：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。
    """

    id = "D-010"
    title = "模板填写说明未删除"
    family = "D"
    kinds = ALL_KINDS  # names, placeholders and punctuation mean the same in a budget

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        for line in document_lines(ctx):
            found = instruction_texts(line.text)
            if found:
                yield self.finding(
                    f"模板的填写说明未删除（“{'、'.join(found)}”）：“{quote(line.text)}”",
                    [line_ref(doc, line)],
                    found="、".join(found),
                )


@register
class UnfilledBlank(Rule):
    """A blank of the template never filled in: an amount whose number is missing between its
    change or total word and its unit (比上年增加万元, 共计万元, 增长%), or a reason that is only the
    template's dots (主要原因是……). Judged in the text (paragraphs, headings, table notes), never
    in a table's header, where 合计万元 may name a column.

    Wrong:
        2018年政府采购预算共计万元，比上年增加万元，增长%。
    Right:
        2018年政府采购预算共计86.50万元，比上年增加6.50万元，增长8.13%。
    """

    id = "D-013"
    title = "模板留空未填写"
    family = "D"
    kinds = ALL_KINDS  # a blank is a blank in a budget as in final accounts

    def check(self, ctx: RunContext) -> Iterator[Finding]:
        doc = ctx.doc
        if doc.metadata.is_template:
            return
        for line in document_lines(ctx):
            if line.role not in _TEXT_ROLES:
                continue
            found = unfilled_blanks(line.text)
            if found:
                shown = "、".join(dict.fromkeys(found))
                yield self.finding(
                    f"模板中的空白未填写（“{shown}”缺少数字或内容）：“{quote(line.text)}”",
                    [line_ref(doc, line)],
                    found=shown,
                )
