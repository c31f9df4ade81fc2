"""The server uses only the SDK's public API, so an SDK release within the pin cannot break it unseen."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SDK_PACKAGES = ("mcp", "mcp_types")


def sdk_imports(paths: Iterable[Path]) -> Iterator[tuple[Path, str, str]]:
    """(file, module, name) for every import of the SDK in `paths`; `import a.b.c` is (a.b, c)."""
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in SDK_PACKAGES:
                for alias in node.names:
                    yield path, node.module, alias.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parent, _, module = alias.name.rpartition(".")
                    if alias.name.split(".")[0] in SDK_PACKAGES and parent:
                        yield path, parent, module


def private_imports(paths: Iterable[Path]) -> list[str]:
    """The imports of names that the SDK does not export (absent from their module's `__all__`)."""
    found = []
    for path, module, name in sdk_imports(paths):
        exported = getattr(importlib.import_module(module), "__all__", ())
        if any(part.startswith("_") for part in module.split(".")) or name not in exported:
            found.append(f"{path.name}: from {module} import {name}")
    return found


def product_files() -> list[Path]:
    return sorted([*REPO.joinpath("server").rglob("*.py"), *REPO.joinpath("tools").rglob("*.py")])


def test_the_product_imports_only_what_the_sdk_exports() -> None:
    assert len(list(sdk_imports(product_files()))) >= 5, "the scan no longer sees the SDK imports"
    assert private_imports(product_files()) == []


def test_the_scan_catches_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from mcp.server import MCPServer\n"
        "from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase\n"
        "import mcp.server.mcpserver.tools\n"
    )
    assert private_imports([sample]) == [
        "sample.py: from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase",
        "sample.py: from mcp.server.mcpserver import tools",
    ]
