"""The Claude Desktop bundle: `python -m bundle` builds dist/bigcommerce-orders-mcp.mcpb.

An MCP Bundle (MCPB) is a zip with a manifest.json that Claude Desktop installs with a double-click and whose
settings it asks for in a form. This one is of the `uv` type (manifest 0.4): it carries our source and a
pyproject.toml, not a Python environment; the host's uv installs the dependencies for the user's own platform
(pydantic-core, regex and orjson are compiled, so a bundle of this machine's wheels would run on this platform only).

Everything in the manifest comes from the code: the tools' names and descriptions from `tools.TOOLS`, the
environment variables from `server.settings`, the dependencies from pyproject.toml. The official `mcpb` tool
(pinned in bundle/package.json; `npm ci --prefix bundle`) validates the manifest and packs the zip.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import tomllib
import zlib
from pathlib import Path
from typing import Any

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.settings import Settings, variable

__all__ = ["DISPLAY_NAME", "MCPB", "NAME", "OUTPUT", "build", "icon_png", "manifest", "pyproject", "stage"]

ROOT = Path(__file__).resolve().parent.parent
NAME = "bigcommerce-orders-mcp"
DISPLAY_NAME = "BigCommerce Orders"
OUTPUT = ROOT / "dist" / f"{NAME}.mcpb"
STAGING = ROOT / "build" / "mcpb"
MCPB = ROOT / "bundle" / "node_modules" / ".bin" / "mcpb"
# The folders the package is made of (pyproject.toml maps them to bigcommerce_orders_mcp and its subpackages).
PACKAGES = ("server", "tools", "sandbox")
ICON_SIZE = 512

# What Claude Desktop's form asks for. Each key is the Settings field it sets, passed as that field's environment
# variable. Every field is optional with a default, so one left blank reaches the server as "" (which the settings
# ignore) and never as the unsubstituted "${user_config.…}": demo mode needs neither hash nor token.
USER_CONFIG: dict[str, dict[str, Any]] = {
    "store_hash": {
        "type": "string",
        "title": "Store hash",
        "description": "The abc123xyz in https://store-abc123xyz.mybigcommerce.com or in the API path "
        "/stores/abc123xyz/. Leave blank in demo mode.",
        "required": False,
        "default": "",
    },
    "access_token": {
        "type": "string",
        "title": "Access token",
        "description": "The access token of a store-level API account with the Orders: read-only scope "
        "(Settings → API → Store-level API accounts). Leave blank in demo mode.",
        "sensitive": True,
        "required": False,
        "default": "",
    },
    "redact_pii": {
        "type": "boolean",
        "title": "Redact personal data",
        "description": "Mask e-mail addresses, phone numbers, street lines and IP addresses in everything the "
        "tools return.",
        "required": False,
        "default": False,
    },
    "tools": {
        "type": "string",
        "title": "Tools to expose",
        "description": "The tools Claude may use, comma-separated, e.g. get_order,list_order_messages: fewer tools "
        "leave more of each conversation's context for the answers. Leave blank for every tool.",
        "required": False,
        "default": "",
    },
    "demo": {
        "type": "boolean",
        "title": "Demo store",
        "description": "Use the built-in sandbox store of demo orders instead of a real one: no store hash or "
        "token needed.",
        "required": False,
        "default": False,
    },
}

LONG_DESCRIPTION = """Ask Claude about your BigCommerce store's orders: *"what's the status of order 218?"*, \
*"has the customer on order 181 written to us?"*, *"which orders are waiting to be shipped?"*.

Read-only: the API account needs only the **Orders: read-only** scope. The tools return compact summaries \
instead of raw payloads, and turn every API failure into one sentence Claude can act on. Switch on **Demo store** \
to try it with built-in demo orders, without a BigCommerce account."""


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project


def manifest() -> dict[str, Any]:
    """The bundle's manifest.json (MCPB manifest 0.4)."""
    from bigcommerce_orders_mcp.tools import TOOLS

    unknown = set(USER_CONFIG) - set(Settings.model_fields)
    assert not unknown, f"user_config keys must be settings: {unknown}"
    project = _project()
    return {
        "manifest_version": "0.4",
        "name": NAME,
        "display_name": DISPLAY_NAME,
        "version": __version__,
        "description": project["description"],
        "long_description": LONG_DESCRIPTION,
        "author": {"name": f"{NAME} contributors"},
        "license": project["license"],
        "icon": "icon.png",
        "keywords": ["bigcommerce", "orders", "ecommerce", "customer support"],
        "privacy_policies": ["https://www.bigcommerce.com/privacy/"],
        "server": {
            "type": "uv",
            "entry_point": "server/__main__.py",
            "mcp_config": {
                # `uv tool run` resolves for the user's platform alone and keeps the environment in uv's cache,
                # not in the extension's folder; `--from` installs this folder as the package.
                "command": "uv",
                "args": ["tool", "run", "--from", "${__dirname}", NAME],
                "env": {variable(key): f"${{user_config.{key}}}" for key in USER_CONFIG},
            },
        },
        "tools": [{"name": tool.name, "description": tool.description} for tool in TOOLS],
        "tools_generated": False,
        "compatibility": {
            "platforms": ["darwin", "win32", "linux"],
            "runtimes": {"python": project["requires-python"]},
        },
        "user_config": USER_CONFIG,
    }


def _toml(value: str | list[str]) -> str:
    """A TOML string or array of strings (JSON's escapes are TOML's)."""
    if isinstance(value, str):
        return json.dumps(value)
    return "[\n" + "".join(f"    {json.dumps(item)},\n" for item in value) + "]"


def pyproject() -> str:
    """The bundle's pyproject.toml: the package and its runtime dependencies, none of the development set-up."""
    project = _project()
    ours = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build_system, setuptools = ours["build-system"], ours["tool"]["setuptools"]
    package_dir = ", ".join(f"{_toml(name)} = {_toml(path)}" for name, path in setuptools["package-dir"].items())
    scripts = "".join(f"{name} = {_toml(target)}\n" for name, target in project["scripts"].items())
    return (
        "[build-system]\n"
        f"requires = {_toml(build_system['requires'])}\n"
        f"build-backend = {_toml(build_system['build-backend'])}\n\n"
        "[project]\n"
        f"name = {_toml(project['name'])}\n"
        f"version = {_toml(__version__)}\n"
        f"description = {_toml(project['description'])}\n"
        f"license = {_toml(project['license'])}\n"
        f"requires-python = {_toml(project['requires-python'])}\n"
        f"dependencies = {_toml(project['dependencies'])}\n\n"
        f"[project.scripts]\n{scripts}\n"
        f"[tool.setuptools]\n"
        f"package-dir = {{ {package_dir} }}\n"
        f"packages = {_toml(setuptools['packages'])}\n\n"
        "[tool.setuptools.package-data]\n"
        f'"*" = {_toml(setuptools["package-data"]["*"])}\n'
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def icon_png(size: int = ICON_SIZE) -> bytes:
    """The bundle's icon: an order slip on a rounded square, drawn here so the same code gives the same bytes."""
    scale = size / 512
    clear, ground, paper, ink = b"\0\0\0\0", b"\x1f\x2a\x44\xff", b"\xff\xff\xff\xff", b"\x3c\x64\xf4\xff"
    radius = 96 * scale
    slip = (136 * scale, 376 * scale, 88 * scale, 424 * scale)
    lines = [(176, 336, 152), (176, 336, 216), (176, 336, 280), (176, 272, 344)]
    rows = []
    for y in range(size):
        centre = y + 0.5
        edge = max(radius - centre, centre - (size - radius), 0.0)
        inset = round(radius - (radius**2 - edge**2) ** 0.5) if edge else 0
        row = [clear] * inset + [ground] * (size - 2 * inset) + [clear] * inset
        if slip[2] <= y < slip[3]:
            row[round(slip[0]) : round(slip[1])] = [paper] * (round(slip[1]) - round(slip[0]))
            for left, right, top in lines:
                if top * scale <= y < (top + 32) * scale:
                    start, end = round(left * scale), round(right * scale)
                    row[start:end] = [ink] * (end - start)
        rows.append(b"\0" + b"".join(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    image = zlib.compress(b"".join(rows), 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", image) + _chunk(b"IEND", b"")


def stage(directory: Path) -> Path:
    """Lay out the bundle's files in `directory` (emptied first): what `mcpb pack` zips."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    (directory / "manifest.json").write_text(json.dumps(manifest(), indent=2, ensure_ascii=False) + "\n")
    (directory / "pyproject.toml").write_text(pyproject())
    (directory / "icon.png").write_bytes(icon_png())
    for package in PACKAGES:
        shutil.copytree(ROOT / package, directory / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return directory


def _mcpb(*args: str) -> str:
    if not MCPB.exists():
        raise SystemExit(f"{MCPB} is missing: run `npm ci --prefix bundle` first (Node.js 20 or newer).")
    done = subprocess.run([str(MCPB), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"mcpb {args[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def build(output: Path = OUTPUT, staging: Path = STAGING) -> Path:
    """Stage the bundle, validate its manifest and pack it to `output` with the official `mcpb` tool."""
    stage(staging)
    _mcpb("validate", str(staging / "manifest.json"))
    output.unlink(missing_ok=True)
    _mcpb("pack", str(staging), str(output))
    return output
