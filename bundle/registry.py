"""The MCP registry's entry: `python -m bundle.registry` writes server.json at the top of the repository.

The official registry (registry.modelcontextprotocol.io) lists a server from a server.json that points at a package
published elsewhere, here the PyPI package that `uvx bigcommerce-orders-mcp` runs over stdio. Like the bundle's
manifest it comes from the code, so it cannot drift: the name, description and version from pyproject.toml and
the package, the environment variables from the `Settings` model, secret where the field holds a secret.

The registry proves that the PyPI package belongs to whoever publishes the entry by finding `mcp-name: <NAME>` in
the package's description on PyPI, which is the README (`README_MARKER`).
"""

from __future__ import annotations

import json
import tomllib
import typing
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic.fields import FieldInfo

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.logs import FORMATS, LEVELS
from bigcommerce_orders_mcp.settings import Settings, variable
from bundle import DISPLAY_NAME, NAME, ROOT

__all__ = [
    "OUTPUT",
    "OWNER",
    "README_MARKER",
    "SCHEMA_URL",
    "SERVER_NAME",
    "environment_variables",
    "server_json",
    "write",
]

SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
# The registry's namespace io.github.<owner> is granted to whoever signs in to it as that GitHub user or
# organisation. The project has no GitHub home yet: this owner is a placeholder, to replace with the real one.
OWNER = "bigcommerce-orders-mcp"
SERVER_NAME = f"io.github.{OWNER}/{NAME}"
README_MARKER = f"<!-- mcp-name: {SERVER_NAME} -->"
OUTPUT = ROOT / "server.json"

# Settings whose values are one of a few words.
CHOICES: dict[str, tuple[str, ...]] = {"log_level": LEVELS, "log_format": FORMATS}


def _types(annotation: Any) -> set[Any]:
    """Every type an annotation names, through Optional, unions and Annotated."""
    found = {annotation}
    for argument in typing.get_args(annotation):
        found |= _types(argument)
    return found


def _format(field: FieldInfo) -> str:
    named = _types(field.annotation)
    if bool in named:
        return "boolean"
    if named & {int, float}:
        return "number"
    if Path in named:
        return "filepath"
    return "string"


def _default(field: FieldInfo) -> str | None:
    """The default as the variable would spell it; booleans as "true" and "false", as the schema asks."""
    default = field.get_default()
    if default is None:
        return None
    if isinstance(default, bool):
        return str(default).lower()
    if isinstance(default, float) and default.is_integer():
        return str(int(default))
    return str(default)


def _variable(name: str, field: FieldInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": variable(name), "description": field.description, "format": _format(field)}
    default = _default(field)
    if default is not None:
        entry["default"] = default
    if name in CHOICES:
        entry["choices"] = list(CHOICES[name])
    if SecretStr in _types(field.annotation):
        entry["isSecret"] = True
    return entry


def environment_variables() -> list[dict[str, Any]]:
    """Every `BIGCOMMERCE_*` variable the server reads. None is required: `--demo` needs none of them."""
    return [_variable(name, field) for name, field in Settings.model_fields.items()]


def server_json() -> dict[str, Any]:
    """The registry entry (server.json, schema 2025-12-11): the PyPI package, run by uvx over stdio."""
    info: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert info["name"] == NAME, f"pyproject.toml names {info['name']}, the registry entry {NAME}"
    return {
        "$schema": SCHEMA_URL,
        "name": SERVER_NAME,
        "title": DISPLAY_NAME,
        "description": info["description"],
        "version": __version__,
        "packages": [
            {
                "registryType": "pypi",
                "registryBaseUrl": "https://pypi.org",
                "identifier": info["name"],
                "version": __version__,
                "runtimeHint": "uvx",
                "transport": {"type": "stdio"},
                "environmentVariables": environment_variables(),
            }
        ],
    }


def write(output: Path = OUTPUT) -> Path:
    output.write_text(json.dumps(server_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return output


if __name__ == "__main__":
    print(f"wrote {write()}")
