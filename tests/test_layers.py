"""The package's layers, read from its imports with `ast`: which layer may import which, and what stays private.

- the client (`bigcommerce_orders_mcp.client`) imports nothing of ours above it;
- the tools (`.tools`) import the client only;
- the server (every other module) is the composition root and may import every layer;
- the demo store (`.sandbox`) imports none of them.
The package's root holds only `__version__`, which any layer may import. No module imports a private (underscore)
name of another package, no two modules import each other, even through others, and nor do tests, the bench,
the examples or the bundle reach past a public name.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

import bigcommerce_orders_mcp

ROOT = "bigcommerce_orders_mcp"
REPO = Path(__file__).resolve().parent.parent
# What each layer may import besides itself and the package's root.
ALLOWED = {
    "client": frozenset(),
    "tools": frozenset({"client"}),
    "sandbox": frozenset(),
    "server": frozenset({"client", "tools", "sandbox"}),
}


@dataclass(frozen=True)
class Import:
    """One name a module imports: `module` is the module it comes from, `name` the name taken (or None)."""

    importer: str
    module: str
    name: str | None
    line: int


def layer(module: str) -> str | None:
    """The layer a module of ours belongs to; None for the package's root and for what is not ours."""
    if module == ROOT or not module.startswith(ROOT + "."):
        return None
    first = module.split(".")[1]
    return first if first in ("client", "tools", "sandbox") else "server"


def package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def imports_in(source: str, module: str, is_package: bool) -> Iterator[Import]:
    """Every import in `source`, relative ones resolved, type-only ones included."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package_of(module, is_package).split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                yield Import(module, base, alias.name, node.lineno)


def target(found: Import, modules: Iterable[str]) -> str:
    """The module an import reaches: `from pkg import sub` reaches the submodule when there is one."""
    if found.name is not None and f"{found.module}.{found.name}" in modules:
        return f"{found.module}.{found.name}"
    return found.module


def private_part(found: Import, modules: Iterable[str]) -> str | None:
    """The underscore part of what is imported from our package (`_pool`, `_Quota`), if any; dunders aside."""
    reached = target(found, modules)
    if not reached.startswith(ROOT):
        return None
    parts = [*reached.split("."), *([found.name] if found.name and reached == found.module else [])]
    return next((part for part in parts if part.startswith("_") and not part.startswith("__")), None)


def layering_problems(sources: Mapping[str, tuple[str, bool]]) -> list[str]:
    """What breaks the rules in `sources` (module name -> (source, is package)), one line each."""
    problems: list[str] = []
    graph: dict[str, set[str]] = {module: set() for module in sources}
    for module, (source, is_package) in sorted(sources.items()):
        own = layer(module)
        for found in imports_in(source, module, is_package):
            reached = target(found, sources)
            if not (reached == ROOT or reached.startswith(ROOT + ".")):
                continue
            if module == ROOT:
                problems.append(f"{module}:{found.line} the package's root imports {reached}")
            theirs = layer(reached)
            if own is not None and theirs is not None and theirs != own and theirs not in ALLOWED[own]:
                problems.append(f"{module}:{found.line} the {own} layer imports {reached}, of the {theirs} layer")
            private = private_part(found, sources)
            same_package = package_of(module, is_package) == package_of(reached, sources.get(reached, ("", False))[1])
            if private is not None and not (same_package and reached.startswith(package_of(module, is_package))):
                problems.append(f"{module}:{found.line} imports the private name {private} from {reached}")
            if reached in graph and reached != module:
                graph[module].add(reached)
    problems.extend(f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph))
    return problems


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One cycle for each group of modules that import each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for child in sorted(graph[node]):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def package_sources() -> dict[str, tuple[str, bool]]:
    """Every module of the installed package: its name, its source, whether it is a package."""
    sources: dict[str, tuple[str, bool]] = {ROOT: (Path(bigcommerce_orders_mcp.__file__).read_text(), True)}
    for info in pkgutil.walk_packages(bigcommerce_orders_mcp.__path__, ROOT + "."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None, info.name
        assert spec.origin is not None, info.name
        sources[info.name] = (Path(spec.origin).read_text(encoding="utf-8"), info.ispkg)
    return sources


def test_the_package_has_the_four_layers() -> None:
    layers = {layer(module) for module in package_sources()}
    assert layers == {None, "client", "tools", "sandbox", "server"}


def test_each_layer_imports_only_those_below_it_and_nothing_private_and_no_module_imports_another_back() -> None:
    assert layering_problems(package_sources()) == []


def test_each_layer_says_what_it_is_and_what_it_offers() -> None:
    for package in (f"{ROOT}.client", f"{ROOT}.tools", f"{ROOT}.sandbox"):
        source, _ = package_sources()[package]
        tree = ast.parse(source)
        docstring = ast.get_docstring(tree)
        assert docstring, f"{package} needs a docstring"
        assert "\n" not in docstring.strip(), f"{package}'s docstring is one line"
        exported = [
            node
            for node in tree.body
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets)
        ]
        assert exported, f"{package} needs an explicit __all__"


def outside_sources() -> Iterator[tuple[str, str]]:
    for folder in ("tests", "bench", "examples", "bundle"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if "node_modules" not in path.parts:
                yield str(path.relative_to(REPO)), path.read_text(encoding="utf-8")


def test_tests_bench_examples_and_the_bundle_use_only_public_names() -> None:
    modules = package_sources()
    problems = [
        f"{name}:{found.line} imports the private name {private} from {target(found, modules)}"
        for name, source in outside_sources()
        for found in imports_in(source, name.removesuffix(".py").replace("/", "."), False)
        if (private := private_part(found, modules)) is not None
    ]
    assert problems == []


P = "bigcommerce_orders_mcp"


def _fake(**sources: str) -> dict[str, tuple[str, bool]]:
    """Modules named relative to the package (`client.__init__` is the package `client`) and their sources."""
    return {
        f"{ROOT}.{name}".removesuffix(".__init__"): (source, name.endswith("__init__"))
        for name, source in sources.items()
    }


@pytest.mark.parametrize(
    ("sources", "problem"),
    [
        (_fake(**{"client.__init__": f"from {P}.tools import base", "tools.base": ""}), "client layer"),
        (_fake(**{"tools.base": f"from {P} import app", "app": ""}), "tools layer imports"),
        (_fake(**{"tools.base": f"from {P}.client import core", "client.core": ""}), None),
        (_fake(**{"sandbox.data": f"from {P}.client import core", "client.core": ""}), "sandbox"),
        (_fake(**{"app": f"from {P}.tools.base import _helper", "tools.base": ""}), "private"),
        (_fake(**{"app": f"from {P}.client import _pool", "client._pool": ""}), "private"),
        (_fake(**{"client.core": "from . import _pool", "client._pool": ""}), None),
        (_fake(**{"client.a": "from .b import x", "client.b": f"from {P}.client.a import y"}), "cycle"),
        (_fake(**{"client.a": f"import {P}.client.b", "client.b": "", "cli": "from .client import a"}), None),
    ],
)
def test_the_rules_catch_what_they_name(sources: dict[str, tuple[str, bool]], problem: str | None) -> None:
    found = layering_problems(sources)
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1, found
        assert problem in found[0]
