"""The package as PyPI would have it: `python -m build` makes the sdist and the wheel, `twine check` passes them, the
sdist carries what it takes to run these tests, and the wheel, installed into a fresh virtual environment, serves
`--demo` over stdio with every tool answering, as `uvx bigcommerce-orders-mcp --demo` would once it is published.

Tests never reach the internet: the build runs without isolation, with this environment's setuptools, and the fresh
environment is filled offline by uv from build/wheels, the runtime dependencies that the README's test command
downloads before the tests start.
"""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.tools import TOOLS
from bundle.registry import README_MARKER
from tests.calls import ok
from tests.processes import REPO

BIN = Path(sys.executable).parent
WHEELS = REPO / "build" / "wheels"
PREPARE = f"`.venv/bin/pip download -d {WHEELS.relative_to(REPO)} . setuptools` (the README's test command does)"
PACKAGE = "bigcommerce_orders_mcp"
DIST_INFO = f"{PACKAGE}-{__version__}.dist-info"
# One valid call of each tool, in the demo store: order 243 has parcels, 181 a customer's messages.
ARGUMENTS: dict[str, dict[str, Any]] = {
    "get_order": {"order_id": 243},
    "list_order_messages": {"order_id": 181},
    "list_orders": {},
    "list_order_shipments": {"order_id": 243},
    "list_order_refunds": {"order_id": 146},
    "list_order_transactions": {"order_id": 212},
    "count_orders": {"status_id": 9},
    "summarize_orders": {"min_date_created": "2026-04-09", "max_date_created": "2026-04-09T23:59:59Z"},
}
# Files the tests read beside their own folders.
TOP_FILES = ("README.md", "LICENSE", "pyproject.toml", "server.json", "claude_desktop_config.example.json", ".ci/run")
TEST_FOLDERS = ("tests", "bench", "examples", "bundle")
# What a clone does not have: environments, build output, caches, what npm ci fetches.
UNTRACKED = (".git", ".venv", "build", "dist", "*.egg-info", "node_modules", "__pycache__", ".*_cache", ".hypothesis")


@dataclass(frozen=True)
class Built:
    sdist: Path
    wheel: Path


@dataclass(frozen=True)
class Installed:
    """A fresh virtual environment: its site-packages with the dependencies alone, then with the wheel."""

    venv: Path
    site_packages: Path
    dependencies_only: frozenset[str]
    with_the_wheel: frozenset[str]


def run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, f"{command[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    # Built from a copy of the source as a fresh clone has it: setuptools adds to an sdist every file that an
    # earlier build's egg-info lists, so in the work tree a file left out of MANIFEST.in could still slip in.
    # The sdist first, then the wheel from the unpacked sdist, as pip builds from PyPI's sdist.
    source, out = tmp_path_factory.mktemp("source") / "src", tmp_path_factory.mktemp("dist")
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*UNTRACKED))
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return Built(sdist, wheel)


def requirements(wheel: Path) -> list[str]:
    """The wheel's runtime dependencies, from its METADATA: its Requires-Dist without the extras."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.parser.Parser().parsestr(archive.read(f"{DIST_INFO}/METADATA").decode())
    return [line for line in metadata.get_all("Requires-Dist", []) if "extra ==" not in line]


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    assert any(WHEELS.glob("mcp-*.whl")), f"{WHEELS} has no wheels to install offline from: run {PREPARE}"
    root = tmp_path_factory.mktemp("fresh")
    venv = root / "venv"
    offline = {
        "UV_OFFLINE": "1",
        "UV_NO_INDEX": "1",
        "UV_FIND_LINKS": str(WHEELS),
        "UV_CACHE_DIR": str(root / "uv-cache"),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_NO_CONFIG": "1",
    }
    uv, python = BIN / "uv", venv / "bin" / "python"
    run(uv, "venv", "--quiet", "--python", sys.executable, venv, env=offline)
    (site_packages,) = venv.glob("lib/python*/site-packages")
    run(uv, "pip", "install", "--quiet", "--python", python, *requirements(built.wheel), env=offline)
    dependencies_only = frozenset(os.listdir(site_packages))
    run(uv, "pip", "install", "--quiet", "--python", python, "--no-deps", built.wheel, env=offline)
    with_the_wheel = frozenset(os.listdir(site_packages))
    run(uv, "pip", "check", "--quiet", "--python", python, env=offline)
    return Installed(venv, site_packages, dependencies_only, with_the_wheel)


def test_the_wheel_holds_the_package_and_its_metadata_alone(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as archive:
        names = archive.namelist()
        metadata = email.parser.Parser().parsestr(archive.read(f"{DIST_INFO}/METADATA").decode())
    assert {name.split("/")[0] for name in names} == {PACKAGE, DIST_INFO}
    assert {f"{PACKAGE}/cli.py", f"{PACKAGE}/client/client.py", f"{PACKAGE}/tools/schemas.json"} <= set(names)
    assert f"{PACKAGE}/sandbox/app.py" in names  # --demo serves it
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert f"{DIST_INFO}/licenses/LICENSE" in names
    assert (metadata["Name"], metadata["Version"]) == ("bigcommerce-orders-mcp", __version__)
    assert (metadata["License-Expression"], metadata["License-File"]) == ("MIT", "LICENSE")
    # PyPI shows this description, and the MCP registry looks in it for the server's name.
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert README_MARKER in metadata.get_payload()


def test_twine_passes_the_sdist_and_the_wheel(built: Built) -> None:
    output = run(BIN / "twine", "check", "--strict", built.sdist, built.wheel)
    assert output.count("PASSED") == 2, output


def _test_files() -> set[str]:
    """What the tests need from the source tree: their folders (without what npm ci and Python make) and the
    files they read."""
    found = set(TOP_FILES)
    for folder in TEST_FOLDERS:
        for path in (REPO / folder).rglob("*"):
            relative = path.relative_to(REPO)
            skipped = {"node_modules", "__pycache__"} & set(relative.parts) or path.suffix == ".pyc"
            if path.is_file() and not skipped and relative.as_posix() != "bench/results.json":
                found.add(relative.as_posix())
    return found


def test_the_sdist_holds_what_the_tests_need(built: Built) -> None:
    with tarfile.open(built.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert _test_files() <= names, sorted(_test_files() - names)
    assert {"server/cli.py", "tools/get_order.py", "sandbox/app.py", "tests/snapshots/tools.json"} <= names
    assert not [name for name in names if name.startswith(("bundle/node_modules", ".venv", "build/", "dist/"))]


def test_installing_the_wheel_adds_its_package_alone(installed: Installed) -> None:
    assert installed.with_the_wheel - installed.dependencies_only == {PACKAGE, DIST_INFO}
    assert (installed.venv / "bin" / "bigcommerce-orders-mcp").exists()
    # Imported from the fresh environment, not from this checkout.
    python = installed.venv / "bin" / "python"
    where = run(python, "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)", cwd=installed.venv)
    assert Path(where.strip()).parent == installed.site_packages / PACKAGE


@pytest.mark.anyio
@pytest.mark.e2e
async def test_demo_serves_every_tool_from_the_fresh_environment(installed: Installed, tmp_path: Path) -> None:
    assert set(ARGUMENTS) == {tool.name for tool in TOOLS}, "give each tool one valid call in ARGUMENTS"
    params = StdioServerParameters(
        command=str(installed.venv / "bin" / "bigcommerce-orders-mcp"),
        args=["--demo"],
        env={"HOME": str(tmp_path)},
        cwd=str(tmp_path),
    )
    with (tmp_path / "server.log").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            listed = {tool.name for tool in (await client.list_tools()).tools}
            assert listed == set(ARGUMENTS)
            answers = {tool.name: await ok(client, tool.name, ARGUMENTS[tool.name]) for tool in TOOLS}
    assert answers["get_order"]["id"] == 243
    assert answers["list_order_messages"]["messages"]
    assert answers["list_orders"]["orders"]
    assert "serving the built-in sandbox store" in (tmp_path / "server.log").read_text()
