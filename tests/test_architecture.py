"""The import graph of ``src/juesuan``, read with ``ast`` (nothing is imported):

(a) no import cycle among modules, function-level imports counted too (an import inside a
    function only postpones a cycle, it does not remove it);
(b) the packages form a stack: model ← tables ← ingest ← rules ← api ← report/store/web/compose
    ← cli, each importing only packages below it (``TYPE_CHECKING`` imports included);
(c) no function-level import of juesuan code in the lower packages (model, tables, ingest,
    report, runtime), except where a reader is loaded only when a file of its format arrives
    because it brings a heavy third-party library (listed below);
(d) no module of those packages imports a private name (``_LOCK``) of another module.

Function-level imports above them (the commands, web, store, compose) postpone subsystems for
start-up time and are allowed, as long as they close no cycle (a).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "juesuan"

# Which packages each top-level package (or module) of juesuan may import. ``juesuan`` is the root
# module (``__version__``); ``runtime`` holds what runs below everything (the GC pause).
BELOW_RULES = {"model", "tables", "ingest", "runtime"}
ALLOWED: dict[str, set[str]] = {
    "juesuan": set(),
    "runtime": set(),
    "locale": set(),  # the gettext catalogue of the command line
    "model": set(),
    "tables": {"model"},
    "ingest": {"model", "tables", "runtime"},
    "rules": BELOW_RULES,
    # the checking facade (read + rules -> DocumentResult) that report, store and web build on
    "api": BELOW_RULES | {"rules", "juesuan"},
    "report": BELOW_RULES | {"rules", "api", "juesuan"},
    "store": BELOW_RULES | {"rules", "api", "juesuan"},
    "compose": BELOW_RULES | {"rules", "juesuan"},
    "web": BELOW_RULES | {"rules", "api", "report", "store", "juesuan"},
}
TOP = {"cli", "cli_corpus", "cli_explain", "cli_text", "cli_user", "__main__"}  # the commands: may import anything

# Lower packages: no function-level import of juesuan code, except these format dispatches,
# which load a reader only when a file of its format arrives (importer, imported: the library).
NO_FUNCTION_IMPORTS = ("model", "tables", "ingest", "rules", "report", "runtime")
HEAVY_READER_DISPATCH = {
    ("juesuan.ingest", "juesuan.ingest.pdf"): "pypdfium2",
    ("juesuan.ingest", "juesuan.ingest.office"): "the office readers, lxml, openpyxl, xlrd, olefile",
    ("juesuan.ingest.pdf", "juesuan.ingest.pdf.ocr"): "numpy, and onnxruntime with the OCR extra",
}


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    line: int
    kind: str  # module | function | type_checking

    def __str__(self) -> str:
        return f"{self.importer} -> {self.imported} ({self.kind}, line {self.line})"


def _modules(src: Path) -> dict[str, Path]:
    out = {}
    for p in sorted(src.rglob("*.py")):
        parts = list(p.relative_to(src.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = p
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.Module) -> list[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every import statement with where it runs: at import (module), in a function, or never
    (under ``if TYPE_CHECKING``)."""
    found: list[tuple[ast.Import | ast.ImportFrom, str]] = []

    def visit(node: ast.AST, kind: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, kind))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, "function" if kind == "module" else kind)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    visit(ast.Module(body=[stmt], type_ignores=[]), "type_checking")
                for stmt in child.orelse:
                    visit(ast.Module(body=[stmt], type_ignores=[]), kind)
            else:
                visit(child, kind)

    visit(tree, "module")
    return found


def _edges(src: Path) -> tuple[dict[str, Path], list[Edge], list[tuple[str, int, str, str]]]:
    """The modules, the edges between them, and the private names imported from other modules
    (importer, line, module, name)."""
    mods = _modules(src)
    edges: list[Edge] = []
    private: list[tuple[str, int, str, str]] = []
    for mod, path in mods.items():
        is_pkg = path.name == "__init__.py"
        for node, kind in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name == "juesuan" or a.name.startswith("juesuan."):
                        edges.append(Edge(mod, a.name, node.lineno, kind))
                continue
            if node.level:
                base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name != "juesuan" and not name.startswith("juesuan."):
                continue
            for a in node.names:
                target = f"{name}.{a.name}" if f"{name}.{a.name}" in mods else name
                assert target in mods, f"{mod}: line {node.lineno} imports {target}, which is no module"
                edges.append(Edge(mod, target, node.lineno, kind))
                if a.name.startswith("_") and not a.name.startswith("__") and target == name:
                    private.append((mod, node.lineno, name, a.name))
    return mods, list(dict.fromkeys(edges)), private


def _cycles(nodes: list[str], edges: list[Edge]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        graph[e.importer].add(e.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                out.append(sorted(comp))

    for v in nodes:
        if v not in index:
            strongconnect(v)
    return out


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


@pytest.fixture(scope="module")
def graph() -> tuple[dict[str, Path], list[Edge], list[tuple[str, int, str, str]]]:
    return _edges(SRC)


def _one_cycle(component: list[str], edges: list[Edge]) -> list[Edge]:
    """The shortest cycle through the component's first module, as its edges."""
    start = component[0]
    inside = set(component)
    out: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        if e.importer in inside and e.imported in inside:
            out[e.importer].append(e)
    paths: dict[str, list[Edge]] = {start: []}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for e in out[v]:
            if e.imported == start:
                return [*paths[v], e]
            if e.imported not in paths:
                paths[e.imported] = [*paths[v], e]
                queue.append(e.imported)
    return []


def test_no_import_cycle_among_modules(graph) -> None:
    mods, edges, _ = graph
    runtime = [e for e in edges if e.kind != "type_checking"]
    cycles = _cycles(sorted(mods), runtime)
    detail = [
        f"{len(c)} modules, e.g.:\n" + "\n".join(f"    {e}" for e in _one_cycle(c, runtime)) for c in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(detail)


def test_packages_import_only_packages_below_them(graph) -> None:
    mods, edges, _ = graph
    packages = {_package(m) for m in mods} - {"examples"}
    unplaced = packages - set(ALLOWED) - TOP
    assert not unplaced, f"packages with no place in the stack (add them to ALLOWED): {sorted(unplaced)}"
    bad = []
    for e in edges:
        a, b = _package(e.importer), _package(e.imported)
        if a == b or a in TOP or b in ALLOWED.get(a, set()):
            continue
        bad.append(str(e))
    assert not bad, "imports against the package stack:\n" + "\n".join(bad)


def test_no_function_level_imports_in_the_lower_packages(graph) -> None:
    _, edges, _ = graph
    bad = [
        str(e)
        for e in edges
        if e.kind == "function"
        and _package(e.importer) in NO_FUNCTION_IMPORTS
        and (e.importer, e.imported) not in HEAVY_READER_DISPATCH
    ]
    assert not bad, "function-level imports of juesuan code:\n" + "\n".join(bad)
    used = {(e.importer, e.imported) for e in edges if e.kind == "function"}
    assert set(HEAVY_READER_DISPATCH) <= used, "an allowed dispatch is gone: remove it from the list"


def test_no_private_names_imported_across_modules(graph) -> None:
    _, _, private = graph
    bad = [
        f"{m}: line {line} imports {name} from {src}"
        for m, line, src, name in private
        if _package(m) in NO_FUNCTION_IMPORTS
    ]
    assert not bad, "private names imported from another module:\n" + "\n".join(bad)


def test_the_checks_see_what_they_must_refuse(tmp_path: Path) -> None:
    """The analysis itself: a cycle hidden in a function, an upward import, a function-level
    import in ingest and a private import are all found in a small tree."""
    pkg = tmp_path / "juesuan"
    for d in ("model", "ingest"):
        (pkg / d).mkdir(parents=True)
        (pkg / d / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "model" / "a.py").write_text("from ..ingest import b\n_X = 1\n")
    (pkg / "ingest" / "b.py").write_text("def f():\n    from ..model.a import _X\n")
    mods, edges, private = _edges(pkg)
    assert _cycles(sorted(mods), edges) == [["juesuan.ingest.b", "juesuan.model.a"]]
    assert [(e.importer, e.imported, e.kind) for e in edges] == [
        ("juesuan.ingest.b", "juesuan.model.a", "function"),
        ("juesuan.model.a", "juesuan.ingest.b", "module"),
    ]
    assert private == [("juesuan.ingest.b", 2, "juesuan.model.a", "_X")]
    assert "ingest" not in ALLOWED["model"]
