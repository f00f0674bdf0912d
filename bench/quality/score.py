"""Scoring: run the reader and the rules on clean and defective documents and measure

* **recall per defect kind**: a defect is detected when at least one warning- or error-level
  finding has a location that points at an injected place (:func:`ref_matches`);
* **precision per rule**: the share of the rule's warning/error findings that point at an
  injected place (on a clean document every such finding is false);
* **false error-level findings per clean document** (honest rounding included).

Matching a finding's :class:`~juesuan.model.Ref` with a :class:`~bench.quality.inject.Target`:

* ``cell``: same table kind and row key (or the same printed row label in that table) and the
  same column key, or a row-level ref (no column);
* ``row``: same row key (in the target's table, or in any table when the target names none);
* ``field``: a 绩效表 ref whose row or column key is the field key;
* ``table``: a ref to that table kind, or a text quoting the table's title;
* ``text``: the ref's quoted text and the target text overlap — one contains the other
  (whitespace removed; a contained ref text must be at least 6 characters);
* ``message`` (only for an absence, such as a deleted table): the finding's message names it.
"""

from __future__ import annotations

import contextlib
import random
import re
import signal
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from juesuan.compose.layout import TITLES
from juesuan.ingest import InputError, read
from juesuan.ingest.narrative import attach_claims
from juesuan.model import TABLE_NAMES, Disclosure, Finding, Ref, Severity
from juesuan.rules import load_catalogue, run_rules

from .generate import FORMATS, generate, write
from .inject import KINDS, Defect, Target, inject
from .layouts import LAYOUTS

_WS = re.compile(r"\s+")
DOC_SECONDS = 120  # a document that takes longer (a reader or rule hanging) counts as read_failed


def _norm(s: str | None) -> str:
    return _WS.sub("", s or "")


def ref_matches(ref: Ref, t: Target) -> bool:
    if t.what == "text":
        rt, tt = _norm(ref.text), _norm(t.text)
        if not rt or not tt:
            return False
        return tt in rt or (len(rt) >= 6 and rt in tt)
    if t.table is not None and ref.table != t.table:
        if t.what == "table":
            titles = [x for x in (TITLES.get(t.table), TABLE_NAMES.get(t.table)) if x]
            return any(x in _norm(ref.text) or x in _norm(ref.table_title) for x in titles)
        return False
    if t.what == "table":
        return True
    if t.what == "field":
        return t.column in (ref.row, ref.column)
    same_row = ref.row == t.row or (t.label is not None and t.table is not None and ref.row_label == t.label)
    if not same_row:
        return False
    if t.what == "cell":
        return ref.column is None or ref.column == t.column
    return True


def finding_matches(f: Finding, targets: Iterable[Target]) -> bool:
    ts = list(targets)
    if any(t.what == "message" and t.text and _norm(t.text) in _norm(f.message) for t in ts):
        return True
    return any(ref_matches(r, t) for r in f.locations for t in ts if t.what != "message")


# -- running ------------------------------------------------------------------------------------
class ReaderUnavailable(Exception):
    pass


@dataclass
class DocResult:
    fmt: str
    seed: int
    kind: str | None  # None = clean document
    status: str  # ok | not_applicable | read_failed
    description: str = ""
    detected: bool = False
    # (rule_id, severity, points at an injected place)
    findings: list[tuple[str, str, bool]] = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0
    layout: str = "shanghai"  # the regional layout of the document (bench.quality.layouts)


class DocumentTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise :class:`DocumentTimeout` after ``seconds`` (SIGALRM; a no-op off the main thread)."""
    if (
        seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "SIGALRM")
    ):
        yield
        return

    def _raise(signum: int, frame: object) -> None:
        raise DocumentTimeout(f"处理超过 {seconds} 秒")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_document(
    doc: Disclosure, defect: Defect | None, fmt: str, workdir: Path, name: str
) -> list[Finding]:
    """Findings of the catalogue on ``doc`` as given (``model``) or as written and read back."""
    if fmt == "model":
        # The document is not used again after this (``run`` checks the model last): no copy. Its
        # claims are read from its (possibly injected) text, as a reader reads them.
        return run_rules(attach_claims(doc))
    data = write(doc, fmt, defect.edits if defect else None)
    path = workdir / f"{name}.{fmt}"
    path.write_bytes(data)
    try:
        d = read(path)
    except ImportError as exc:
        raise ReaderUnavailable(f"{type(exc).__name__}: {exc}") from exc
    except InputError as exc:
        if exc.code == "unsupported":
            raise ReaderUnavailable(exc.message) from exc
        raise
    return run_rules(d)


@dataclass
class Run:
    seeds: list[int]
    formats: list[str]
    kinds: list[str]
    results: list[DocResult] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)  # format -> why
    max_seeds: dict[str, int] = field(default_factory=dict)
    catalogue: list[str] = field(default_factory=list)
    seconds: float = 0.0
    layouts: list[str] = field(default_factory=lambda: ["shanghai"])


def run(seeds: Iterable[int], formats: Iterable[str], kinds: Iterable[str] | None = None,
        workdir: Path | None = None, progress: Callable[[str], None] | None = None,
        max_seeds: dict[str, int] | None = None, layouts: Iterable[str] = ("shanghai",)) -> Run:  # fmt: skip
    """Generate, inject, write, read back and check, for each seed in each regional layout.
    ``max_seeds`` limits slow formats (PDF, DOCX) to the first N seeds."""
    formats = list(formats)
    layouts = list(layouts)
    for lay in layouts:
        if lay not in LAYOUTS:
            raise ValueError(f"未知版式“{lay}”，可选：{'、'.join(LAYOUTS)}")
    for fm in formats:
        if fm not in FORMATS:
            raise ValueError(f"未知格式“{fm}”，可选：{'、'.join(FORMATS)}")
    kinds = list(kinds) if kinds else list(KINDS)
    for k in kinds:
        if k not in KINDS:
            raise ValueError(f"未知缺陷类型“{k}”")
    r = Run(
        seeds=list(seeds),
        formats=formats,
        kinds=kinds,
        catalogue=sorted(load_catalogue()),
        max_seeds=dict(max_seeds or {}),
        layouts=layouts,
    )
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="juesuan-quality-") as tmp:
        wd = workdir or Path(tmp)
        wd.mkdir(parents=True, exist_ok=True)
        for n_seed, seed, layout in ((n, s, lay) for lay in layouts for n, s in enumerate(r.seeds)):
            clean = generate(seed, layout)
            docs: list[tuple[str | None, Disclosure, Defect | None]] = [(None, clean.disclosure, None)]
            for k in kinds:
                got = inject(clean.disclosure, k, random.Random(f"{seed}-{k}"))
                if got is None:
                    for fmt in formats:
                        r.results.append(DocResult(fmt, seed, k, "not_applicable", layout=layout))
                    continue
                docs.append((k, got[0], got[1]))
            # written formats first: rules on the model may fill doc.claims
            for fmt in sorted(formats, key=lambda f: f == "model"):
                if fmt in r.unavailable or n_seed >= (max_seeds or {}).get(fmt, len(r.seeds)):
                    continue
                if progress:
                    progress(f"seed {seed} {fmt}: {len(docs)} documents")
                for kname, doc, defect in docs:
                    name = f"{clean.name}-{kname or 'clean'}"
                    res = DocResult(fmt, seed, kname, "ok", description=defect.description if defect else "", layout=layout)
                    t1 = time.perf_counter()
                    try:
                        with time_limit(DOC_SECONDS):
                            findings = check_document(doc, defect, fmt, wd, name)
                    except ReaderUnavailable as exc:
                        r.unavailable[fmt] = str(exc)
                        break
                    except Exception as exc:  # a reader failure is a measured outcome, not a crash
                        res.status = "read_failed"
                        res.message = f"{type(exc).__name__}: {exc}"[:300]
                        findings = []
                    res.seconds = time.perf_counter() - t1
                    targets = defect.targets if defect else []
                    for fd in findings:
                        if fd.severity.rank >= Severity.WARNING.rank:
                            hit = finding_matches(fd, targets)
                            res.findings.append((fd.rule_id, fd.severity.value, hit))
                            res.detected = res.detected or hit
                    r.results.append(res)
    r.seconds = time.perf_counter() - t0
    return r


# -- aggregation --------------------------------------------------------------------------------
def has_rule(families: Iterable[str], catalogue: Iterable[str]) -> bool:
    cat = list(catalogue)
    return any(rid.startswith(f) for f in families for rid in cat)


@dataclass
class KindScore:
    kind: str
    n: int = 0
    detected: int = 0
    read_failed: int = 0
    has_rule: bool = False

    @property
    def recall(self) -> float | None:
        return self.detected / self.n if self.n else None


@dataclass
class RuleScore:
    rule: str
    findings: int = 0
    on_target: int = 0
    on_clean: int = 0
    errors_on_clean: int = 0

    @property
    def precision(self) -> float | None:
        return self.on_target / self.findings if self.findings else None


@dataclass
class FormatSummary:
    fmt: str
    kinds: dict[str, KindScore]
    rules: dict[str, RuleScore]
    clean_docs: int = 0
    clean_errors: int = 0
    clean_warnings: int = 0
    clean_read_failed: int = 0
    defect_findings: int = 0  # warning/error findings on defective documents
    defect_findings_on_target: int = 0
    seconds: float = 0.0
    docs: int = 0

    @property
    def errors_per_clean_doc(self) -> float:
        return self.clean_errors / self.clean_docs if self.clean_docs else 0.0

    @property
    def on_target_share(self) -> float | None:
        return self.defect_findings_on_target / self.defect_findings if self.defect_findings else None


def summarise(r: Run, layout: str | None = None) -> dict[str, FormatSummary]:
    """Per format; ``layout``: only the documents of that regional layout (None: all)."""
    out: dict[str, FormatSummary] = {}
    for fmt in r.formats:
        if fmt in r.unavailable:
            continue
        kinds = {k: KindScore(k, has_rule=has_rule(KINDS[k].families, r.catalogue)) for k in r.kinds}
        rules: dict[str, RuleScore] = defaultdict(lambda: RuleScore(""))
        s = FormatSummary(fmt, kinds, {})
        for res in r.results:
            if res.fmt != fmt or res.status == "not_applicable" or layout is not None and res.layout != layout:
                continue
            s.docs += 1
            s.seconds += res.seconds
            if res.kind is None:
                s.clean_docs += 1
                s.clean_read_failed += res.status == "read_failed"
            else:
                ks = kinds[res.kind]
                ks.n += 1
                ks.detected += res.detected
                ks.read_failed += res.status == "read_failed"
            for rid, sev, hit in res.findings:
                rs = rules[rid]
                rs.rule = rid
                rs.findings += 1
                rs.on_target += hit
                if res.kind is None:
                    rs.on_clean += 1
                    rs.errors_on_clean += sev == "error"
                    s.clean_errors += sev == "error"
                    s.clean_warnings += sev == "warning"
                else:
                    s.defect_findings += 1
                    s.defect_findings_on_target += hit
        s.rules = dict(sorted(rules.items()))
        out[fmt] = s
    return out


def summarise_layouts(r: Run) -> dict[str, dict[str, FormatSummary]]:
    """Per regional layout, per format."""
    return {lay: summarise(r, lay) for lay in r.layouts}


def misses(r: Run, fmt: str, kind: str) -> list[DocResult]:
    return [
        x
        for x in r.results
        if x.fmt == fmt and x.kind == kind and x.status != "not_applicable" and not x.detected
    ]


def explain(seed: int, kind: str | None, fmt: str = "model", layout: str = "shanghai") -> list[str]:
    """The defect, its targets and every warning/error finding with whether it points at an
    injected place: what a rule owner reads to see why a kind is missed or a finding is off."""
    clean = generate(seed, layout)
    doc, defect = clean.disclosure, None
    if kind is not None:
        got = inject(clean.disclosure, kind, random.Random(f"{seed}-{kind}"))
        if got is None:
            return [f"种子 {seed}：缺陷类型 {kind} 不适用于此文档"]
        doc, defect = got
    out = [
        f"种子 {seed} 格式 {fmt} 缺陷 {kind or '（无，干净文档）'}：{defect.description if defect else ''}"
    ]
    targets = defect.targets if defect else []
    out += [f"  注入位置：{t.describe()}" for t in targets]
    with tempfile.TemporaryDirectory(prefix="juesuan-quality-") as tmp:
        findings = check_document(doc, defect, fmt, Path(tmp), "explain")
    for f in findings:
        if f.severity.rank < Severity.WARNING.rank:
            continue
        hit = finding_matches(f, targets)
        out.append(f"  [{'命中' if hit else '偏离'}] {f.rule_id} {f.severity.value}：{f.message}")
        for ref in f.locations:
            text = (ref.text or "")[:60]
            out.append(
                f"      位置：{ref.table and ref.table.value} 行={ref.row} 列={ref.column} 行名={ref.row_label} 文字={text!r}"
            )
    return out
