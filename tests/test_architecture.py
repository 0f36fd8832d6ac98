"""The floors of docs/architecture.md, held against the code's own imports (read with ``ast``):
an app imports only from the floors below it and the domain relations the page lists; no two
files import each other in a circle; no import of a Mulin module hides inside a function."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOC = ROOT / "docs" / "architecture.md"
# Not apps: the tests themselves, the benchmarks and the scripts stand outside the house.
OUTSIDE = {"tests", "bench", "scripts"}


@dataclass(frozen=True)
class Import:
    path: Path  # the importing file
    line: int
    module: str  # the module imported, e.g. "registry.selectors"
    in_function: str  # the enclosing function's name, "" at module level

    @property
    def app(self) -> str:
        return self.module.split(".")[0]

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.module}"


def _table(heading: str) -> list[list[str]]:
    """The rows of the first table under ``heading`` in the doc, as lists of cells."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("## "):
            break
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows[1:]  # without the header


@cache
def floors() -> list[set[str]]:
    """The rows of the floors table, lowest first: each a set of apps."""
    return [{app.strip() for app in row[1].split(",")} for row in _table("Floors")]


@cache
def relations() -> set[tuple[str, str]]:
    return {(row[0], row[1]) for row in _table("Relations between domain apps")}


def floor_of(app: str) -> int:
    for n, apps in enumerate(floors()):
        if app in apps:
            return n
    raise AssertionError(f"{app} is on no floor of docs/architecture.md: add it to the floors table.")


def the_apps() -> set[str]:
    """Every top-level package of the project: the Mulin apps of settings and the rest."""
    return {
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in OUTSIDE and not p.parent.name.startswith(".")
    }


def _modules() -> dict[str, Path]:
    found = {}
    for app in the_apps():
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports_of(path: Path, apps: set[str]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[Import] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Import):
                out.extend(Import(path, child.lineno, a.name, function) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                # "from registry import selectors" imports the module registry.selectors.
                out.extend(
                    Import(path, child.lineno, f"{child.module}.{a.name}", function) for a in child.names
                )
            visit(child, inner)

    visit(tree, "")
    return [i for i in out if i.app in apps]


@cache
def imports() -> list[Import]:
    apps = the_apps()
    return [i for path in _modules().values() for i in _imports_of(path, apps)]


def _app_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


def test_every_app_of_the_settings_stands_on_a_floor():
    for app in [*settings.MULIN_APPS, *the_apps()]:
        floor_of(app)
    assert "common" in floors()[0] and len(floors()[0]) == 1, "the ground floor is common alone"


def test_apps_import_only_from_below_and_along_the_listed_relations():
    wrong = []
    for i in imports():
        here, there = _app_of(i.path), i.app
        if here == there or floor_of(there) < floor_of(here) or (here, there) in relations():
            continue
        wrong.append(f"{i}: {here} may not import {there}")
    assert not wrong, (
        "Imports that run up or sideways between apps (move the helper to common/ or to the app "
        "that owns the noun; or, for a real domain relation, list it in docs/architecture.md):\n"
        + "\n".join(sorted(wrong))
    )


def test_the_listed_relations_are_between_domain_apps_and_used():
    domain = floor_of("notices")
    used = {(_app_of(i.path), i.app) for i in imports()}
    for here, there in relations():
        assert floor_of(here) == floor_of(there) == domain, f"{here} → {there} is not between domain apps"
        assert (here, there) in used, f"{here} → {there} is listed but no longer imported: remove the row"


def test_the_ground_floor_imports_no_app():
    """common/ stands on nothing of Mulin's but itself (common.forms' days take their range
    from common.schemas, which the API's take it from: one range)."""
    assert not [str(i) for i in imports() if _app_of(i.path) == "common" and i.app != "common"]


def test_no_import_hides_inside_a_function():
    """An import inside a function dodges a circle instead of removing it; Django's
    ``AppConfig.ready()`` is the one place that must import late."""
    hidden = [f"{i} inside {i.in_function}()" for i in imports() if i.in_function not in ("", "ready")]
    assert not hidden, "\n".join(hidden)


def test_no_two_files_import_each_other_in_a_circle():
    modules = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for i in imports():
        if i.in_function:
            continue
        importer = next(name for name, path in modules.items() if path == i.path)
        # "from registry import selectors" names a module, "from registry.models import Resident" a name.
        target = i.module if i.module in modules else i.module.rsplit(".", 1)[0]
        if target in modules and target != importer:
            graph[importer].add(target)
    circles = _circles(graph)
    assert not circles, "Files that import each other:\n" + "\n".join(" → ".join(c) for c in circles)


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return found


def test_the_checks_see_what_they_should(tmp_path):
    """The reader finds an upward import, a hidden one and a circle where they are."""
    (tmp_path / "a.py").write_text(
        "from registry.models import Resident\ndef f():\n    import notices.tasks\n"
    )
    found = _imports_of(tmp_path / "a.py", {"registry", "notices"})
    assert [(i.module, i.in_function) for i in found] == [
        ("registry.models.Resident", ""),
        ("notices.tasks", "f"),
    ]
    assert _circles({"x": {"y"}, "y": {"z"}, "z": {"x"}, "w": {"x"}}) == [["x", "y", "z"]]
