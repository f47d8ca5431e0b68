"""The package's imports point one way: no import inside a function, no cycle, each layer only uses layers below.

Read from the source with `ast` (nothing is imported), so a new module or a new import is checked the day it
is written. The layers, bottom to top (docs/petugas/arsitektur.md explains them):
core (records, configuration, YAML, schema) → history (git reader, replay, audit, calendar) → status and
projections → outputs, forge adapter and intake → cli.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "pengaduan"

CORE, HISTORY, PROJECTIONS, EDGE, CLI = range(5)
LAYER_NAMES = ["core", "history", "status/projections", "outputs/forge/intake", "cli"]
LAYERS = {  # an entry names a module, or a package and all it holds; the longest entry that matches counts
    CORE: ["core", "data"],
    HISTORY: ["history"],
    PROJECTIONS: ["history.status", "queue", "outputs.projection", "outputs.recap", "outputs.status_report"],
    EDGE: ["outputs", "forge", "intake", "demo", "periksa", "office"],
    CLI: ["cli"],
}

# Imports allowed inside a function, each with why. The CLI defers the modules of commands that start GitPython,
# Jinja/Pandoc, MkDocs, the e-mail parser, the queue or the holidays data: importing them all at the top made `pengaduan --help`
# (bench/cli.py) take about twice as long (0.35 s → 0.7 s of imports, measured). openpyxl loads
# only for the recap formats that need it (about 0.1 s).
DEFERRED = {
    "pengaduan.cli.main": {
        "pengaduan.demo", "pengaduan.outputs.documents", "pengaduan.outputs.evaluation", "pengaduan.forge.gate",
        "pengaduan.intake.identity", "pengaduan.intake.eml", "pengaduan.outputs.letters", "pengaduan.periksa",
        "pengaduan.outputs.publish", "pengaduan.outputs.recap", "pengaduan.queue", "pengaduan.outputs.status_report",
        "pengaduan.intake.workflow"},
    "pengaduan.outputs.documents": {"openpyxl", "openpyxl.styles", "openpyxl.utils"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def _imports(name: str) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function, line) of every import statement of module `name`."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((alias.name, in_function, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[:len(base) - child.level + 1]
                    module = ".".join(base + ([child.module] if child.module else []))
                else:
                    module = child.module or ""
                for alias in child.names:  # `from . import yamlio` imports a module; `from .x import f` uses x
                    sub = f"{module}.{alias.name}"
                    found.append((sub if sub in MODULES else module, in_function, child.lineno))
            walk(child, inside)

    walk(ast.parse(path.read_text("utf-8")), False)
    return found


def _layer(name: str) -> int:
    """The layer of the longest entry of LAYERS that names the module or a package holding it."""
    if name == "pengaduan":
        return CORE  # the package's __init__: the environment every git call needs, nothing else
    short = name.removeprefix("pengaduan.")
    found = [(len(entry), layer) for layer, entries in LAYERS.items() for entry in entries
             if short == entry or short.startswith(entry + ".")]
    assert found, f"{name} is in no layer: add it to LAYERS in {__file__}"
    return max(found)[1]


@functools.cache
def _graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports (a submodule's import also runs its package's __init__)."""
    graph: dict[str, set[str]] = {}
    for name in MODULES:
        targets = set()
        for module, _, _ in _imports(name):
            while module and module not in MODULES:
                module = module.rpartition(".")[0]
            if module and module != name and module != "pengaduan":
                targets.add(module)
                package = module.rpartition(".")[0]
                if package not in ("pengaduan", name) and not name.startswith(package + "."):
                    targets.add(package)  # importing pengaduan.forge.api runs pengaduan/forge/__init__.py
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_is_read():
    assert {"pengaduan.cli", "pengaduan.history.audit", "pengaduan.forge.api"} <= MODULES.keys()
    assert {"pengaduan.forge.api", "pengaduan.forge.github"} <= _graph()["pengaduan.forge.connection"]
    assert "pengaduan.forge" in _graph()["pengaduan.demo"]
    assert "pengaduan.core.errors" in _graph()["pengaduan.core.yamlio"]


def test_no_import_inside_a_function():
    found = [f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {module}"
             for name in MODULES for module, inside, line in _imports(name)
             if inside and module not in DEFERRED.get(name, set())]
    assert not found, "imports inside functions (move them to the top, or a shared part down):\n" + "\n".join(found)


def test_deferred_imports_are_still_needed():
    """Each allowed exception is still in use: the list only shrinks."""
    for name, allowed in DEFERRED.items():
        used = {module for module, inside, _ in _imports(name) if inside}
        assert allowed <= used, f"{name}: no longer deferred, remove from DEFERRED: {sorted(allowed - used)}"


def test_no_import_cycle():
    assert _cycles(_graph()) == []


def test_cycle_detection_can_fail():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_layers_point_down(name):
    mine = _layer(name)
    upward = sorted(f"{target} ({LAYER_NAMES[_layer(target)]})" for target in _graph()[name]
                    if _layer(target) > mine)
    assert not upward, f"{name} ({LAYER_NAMES[mine]}) imports from a higher layer: {', '.join(upward)}"
