"""server.json, the MCP registry's entry: what `python -m bundle.registry` writes, valid against the registry's own
schema (a copy in tests/fixtures/registry/, its source named in the README there), and named in the README as the
registry's check of PyPI ownership reads it."""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.settings import Settings, variable
from bundle.registry import OUTPUT, README_MARKER, SCHEMA_URL, SERVER_NAME, server_json
from tests.conftest import FIXTURES
from tests.processes import REPO

SCHEMA = FIXTURES / "registry" / "server.schema.2025-12-11.json"


def committed() -> dict[str, Any]:
    entry: dict[str, Any] = json.loads(OUTPUT.read_text(encoding="utf-8"))
    return entry


def test_the_committed_server_json_is_what_the_code_generates() -> None:
    assert committed() == server_json(), "server.json is stale: run `.venv/bin/python -m bundle.registry`"
    text = OUTPUT.read_text(encoding="utf-8")
    assert text == json.dumps(server_json(), indent=2, ensure_ascii=False) + "\n"


def test_server_json_validates_against_the_registry_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == SCHEMA_URL == committed()["$schema"]
    Draft7Validator.check_schema(schema)
    validator = Draft7Validator(schema, format_checker=FormatChecker())
    errors = validator.iter_errors(committed())
    assert not [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in errors]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"description": "x" * 101}, "description"),
        ({"name": "bigcommerce-orders-mcp"}, "name"),
        ({"version": None}, "version"),
    ],
)
def test_the_schema_copy_refuses_what_the_registry_refuses(change: dict[str, Any], where: str) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    entry = {key: value for key, value in {**committed(), **change}.items() if value is not None}
    errors = list(Draft7Validator(schema).iter_errors(entry))
    assert errors, f"a bad {where} passed"


def test_name_description_and_version_are_pyprojects() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    entry = committed()
    (package,) = entry["packages"]
    assert entry["description"] == project["description"]
    assert entry["version"] == package["version"] == __version__
    assert entry["name"] == SERVER_NAME
    assert SERVER_NAME.endswith(f"/{project['name']}")
    assert (package["registryType"], package["identifier"], package["transport"]) == (
        "pypi",
        project["name"],
        {"type": "stdio"},
    )
    assert package["runtimeHint"] == "uvx"


def test_every_setting_is_listed_and_the_secrets_are_marked() -> None:
    (package,) = committed()["packages"]
    listed = {entry["name"]: entry for entry in package["environmentVariables"]}
    assert list(listed) == [variable(name) for name in Settings.model_fields]
    assert all(entry["description"] for entry in listed.values())
    secret = {name for name, entry in listed.items() if entry.get("isSecret")}
    assert secret == {"BIGCOMMERCE_ACCESS_TOKEN", "BIGCOMMERCE_MCP_AUTH_TOKEN", "BIGCOMMERCE_REDIS_URL"}
    # Demo mode runs with none of them, so none is required; a secret never has a default to show.
    assert not any(entry.get("isRequired") for entry in listed.values())
    assert not any("default" in listed[name] for name in secret)
    assert listed["BIGCOMMERCE_DEMO"] == {**listed["BIGCOMMERCE_DEMO"], "format": "boolean", "default": "false"}


def test_the_readme_carries_the_registry_name_as_the_registry_looks_for_it() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert README_MARKER in readme
    # The registry's check: "mcp-name: " and the whole name, ended by a character no name may hold.
    declared = re.findall(r"mcp-name: ([a-zA-Z0-9._/-]+)", readme)
    assert declared == [SERVER_NAME]
