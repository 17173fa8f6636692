"""The engine's layout: imports in track/ go one way, and none reaches into tests/.

The import graph is read with `ast` from every file under track/, imports inside functions
included (an import moved into a function to dodge a cycle is still the cycle). Two levels are
checked: modules, and the units track/ is made of (each package, each top-level module). The
order of the packages is `track.PACKAGES` (explained in track/__init__.py's docstring): a
package imports only from itself and the packages before it. The top-level modules (cli.py,
__main__.py: the front door) may import any package; the cycle check keeps them out of the
packages.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import track
from track.model.course import ROOT

TRACK = ROOT / "track"
Graph = dict[str, set[str]]


def module_names(root: Path) -> dict[str, Path]:
    """`track.web.app` -> its file, for every module and package under `root` (named like the folder)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: dict[str, Path]) -> list[str]:
    """The modules one import statement names, resolved: `from pkg import mod` is `pkg.mod`, relative ones too."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]


def parents(name: str) -> list[str]:
    """`track.web.app` -> [`track.web`]: the packages below the root that importing it runs first."""
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(2, len(parts))]


def import_graph(root: Path) -> Graph:
    """module -> the modules of the same tree, and of tests/, that it imports anywhere in its file."""
    known = module_names(root)
    graph: Graph = {}
    for module, path in known.items():
        names = [name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path)))
                 if isinstance(node, ast.Import | ast.ImportFrom)
                 for name in imported(node, module, path.name == "__init__.py", known)]
        # Importing `pkg.mod` runs `pkg/__init__.py` first: an __init__ that imports a module of its
        # package which imports the package back is a cycle too.
        names += [parent for name in names for parent in parents(name) if parent != module]
        graph[module] = {name for name in names
                         if name.partition(".")[0] == "tests" or (name in known and name not in (module, root.name))}
    return graph


def imports_of_tests(graph: Graph) -> list[str]:
    return sorted(f"{module} imports {name}" for module, names in graph.items() for name in names
                  if name.partition(".")[0] == "tests")


def unit_of(module: str) -> str:
    """`track.grading.engine` -> `track.grading.checks`; a top-level module is its own unit."""
    return ".".join(module.split(".")[:2])


def unit_graph(graph: Graph) -> Graph:
    """The graph between units (packages and top-level modules), imports inside a unit left out."""
    units: Graph = {}
    for module, names in graph.items():
        edges = units.setdefault(unit_of(module), set())
        edges.update(unit_of(name) for name in names if name in graph and unit_of(name) != unit_of(module))
    return units


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle for every group of nodes that import each other (strongly connected), e.g. [a, b, a]."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graphs here are a few dozen nodes deep at most
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = {stack.pop()}
            while node not in group:
                group.add(stack.pop())
            if len(group) > 1 or node in graph.get(node, ()):
                found.append(cycle_through(graph, group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def cycle_through(graph: Graph, group: set[str]) -> list[str]:
    """A path from the group's first node back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for target in sorted(graph.get(node, set()) & group):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                frontier.append(target)
    raise AssertionError(f"no cycle through {sorted(group)}")


def order_violations(units: Graph, order: tuple[str, ...], root: str = "track") -> list[str]:
    """Imports against the package order: a package importing a package after it."""
    rank = {f"{root}.{name}": position for position, name in enumerate(order)}
    return sorted(f"{unit} imports {target}" for unit, targets in units.items() if unit in rank
                  for target in targets if target in rank and rank[target] > rank[unit])


def shown(found: list[list[str]]) -> str:
    return "\n".join(" -> ".join(cycle) for cycle in found)


TRACK_GRAPH = import_graph(TRACK)


def test_track_modules_import_each_other_in_one_direction():
    found = cycles(TRACK_GRAPH)
    assert not found, f"import cycles between modules of track/ (imports inside functions count):\n{shown(found)}"


def test_track_packages_import_each_other_in_one_direction():
    found = cycles(unit_graph(TRACK_GRAPH))
    assert not found, f"import cycles between the packages of track/:\n{shown(found)}"


def test_nothing_in_track_imports_tests():
    assert not imports_of_tests(TRACK_GRAPH), (
        "track/ is the engine, tests/ its graders and tests: move what the engine needs into track/\n"
        + "\n".join(imports_of_tests(TRACK_GRAPH)))


def test_packages_import_only_packages_before_them():
    order = getattr(track, "PACKAGES", ())
    violations = order_violations(unit_graph(TRACK_GRAPH), order)
    assert not violations, (f"the package order is {' < '.join(order)} (track/__init__.py); "
                            "these imports go the other way:\n" + "\n".join(violations))


def test_every_package_has_its_place_in_the_order():
    packages = {path.parent.name for path in TRACK.glob("*/__init__.py")}
    assert packages == set(getattr(track, "PACKAGES", ())), (
        f"track.PACKAGES {getattr(track, 'PACKAGES', ())} should list exactly the packages of track/: {sorted(packages)}")


# --- the checks can fail: a small tree of their own, with each fault planted -------------------

def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_through_an_import_inside_a_function_is_named(tmp_path):
    root = write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/low/__init__.py": "",
        "pkg/low/a.py": "from pkg.low import b\n",
        "pkg/low/b.py": "def later():\n    from pkg.high.c import thing\n",
        "pkg/high/__init__.py": "",
        "pkg/high/c.py": "from ..low import a\n",
        "pkg/high/d.py": "import pkg.low.b\n",
    })
    graph = import_graph(root)
    assert graph["pkg.high.c"] == {"pkg.low.a", "pkg.low"}, "a relative import resolves to the module it names (and its package)"
    assert cycles(graph) == [["pkg.high.c", "pkg.low.a", "pkg.low.b", "pkg.high.c"]]
    assert cycles(unit_graph(graph)) == [["pkg.high", "pkg.low", "pkg.high"]]


def test_a_package_init_importing_a_module_that_imports_the_package_is_a_cycle(tmp_path):
    root = write_tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/web/__init__.py": "from pkg.web.app import create_app\n",
        "pkg/web/app.py": "from pkg.web import console\n",
        "pkg/web/console.py": "",
    })
    assert cycles(import_graph(root)) == [["pkg.web", "pkg.web.app", "pkg.web"]]


def test_a_tree_without_cycles_passes(tmp_path):
    root = write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "import pkg.b\n", "pkg/b.py": "import json\n"})
    assert cycles(import_graph(root)) == [] and import_graph(root) == {"pkg": set(), "pkg.a": {"pkg.b"}, "pkg.b": set()}


def test_an_import_of_tests_is_reported(tmp_path):
    root = write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/a.py": "def f():\n    from tests.fuzz import STORE\n"})
    assert imports_of_tests(import_graph(root)) == ["pkg.a imports tests.fuzz"]


@pytest.mark.parametrize(("order", "expected"), [
    (("low", "high"), ["pkg.low imports pkg.high"]),
    (("high", "low"), ["pkg.high imports pkg.low"]),
])
def test_an_import_against_the_package_order_is_reported(tmp_path, order, expected):
    root = write_tree(tmp_path, {
        "pkg/__init__.py": "", "pkg/top.py": "import pkg.high.c\n",
        "pkg/low/__init__.py": "", "pkg/low/a.py": "import pkg.high.c\nimport pkg.top\n",
        "pkg/high/__init__.py": "", "pkg/high/c.py": "from pkg.low import a\n",
    })
    assert order_violations(unit_graph(import_graph(root)), order, root="pkg") == expected
