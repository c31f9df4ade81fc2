"""The Claude Desktop bundle: built and packed by the official `mcpb` tool, then unpacked and started the way the
host starts it, from its manifest's `mcp_config` with the user's settings substituted by the `mcpb` package's own
`getMcpConfigForManifest`, and driven over stdio with the SDK's client, in demo mode and against the sandbox store.

The manifest runs `uv tool run --from <bundle> bigcommerce-orders-mcp`. Tests never reach the internet, so uv
resolves offline from build/wheels, the runtime dependencies that the README's test command downloads before
the tests start; everything else (the command, its arguments, the environment) is the manifest's.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from bigcommerce_orders_mcp.settings import Settings, variable
from bigcommerce_orders_mcp.tools import TOOLS
from bundle import MCPB, NAME, USER_CONFIG, build, icon_png, manifest
from tests.calls import ok
from tests.conftest import E2E_TOKEN, TOOL_NAMES
from tests.processes import REPO, SandboxStore

WHEELS = REPO / "build" / "wheels"
PREPARE = f"`.venv/bin/pip download -d {WHEELS.relative_to(REPO)} . setuptools` (the README's test command does)"

# The host's own code for turning a manifest into a launch: defaults, then the user's values, then ${…} substituted.
RESOLVE = """
import { readFileSync } from "node:fs";
import { getMcpConfigForManifest } from "@anthropic-ai/mcpb";
const [manifestPath, extensionPath, userConfig, home] = process.argv.slice(1);
const config = await getMcpConfigForManifest({
  manifest: JSON.parse(readFileSync(manifestPath, "utf-8")),
  extensionPath,
  systemDirs: {
    HOME: home, DESKTOP: `${home}/Desktop`, DOCUMENTS: `${home}/Documents`, DOWNLOADS: `${home}/Downloads`,
  },
  userConfig: JSON.parse(userConfig),
  pathSeparator: "/",
});
process.stdout.write(JSON.stringify(config ?? null));
"""


@dataclass(frozen=True)
class Unpacked:
    """The packed bundle, and the folder it was unpacked into, as Claude Desktop does on install."""

    mcpb: Path
    folder: Path
    home: Path
    uv_cache: Path

    def launch(self, user_config: dict[str, Any]) -> dict[str, Any]:
        """The `mcp_config` the host derives for these settings: command, args and env."""
        done = subprocess.run(
            ["node", "--input-type=module", "-e", RESOLVE, "--", *self._argv(user_config)],
            cwd=REPO / "bundle",  # where node_modules is
            capture_output=True,
            text=True,
            check=True,
        )
        config = json.loads(done.stdout)
        assert config is not None, "the host would not start the server: required settings missing"
        return dict(config)

    def _argv(self, user_config: dict[str, Any]) -> list[str]:
        return [str(self.folder / "manifest.json"), str(self.folder), json.dumps(user_config), str(self.home)]

    def server(self, config: dict[str, Any], **test_only: str) -> StdioServerParameters:
        """The launch with a minimal environment: PATH (where `uv` is) and HOME, the manifest's env, and uv told
        to install offline from build/wheels."""
        env = {
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
            "HOME": str(self.home),
            "UV_OFFLINE": "1",
            "UV_NO_INDEX": "1",
            "UV_FIND_LINKS": str(WHEELS),
            "UV_CACHE_DIR": str(self.uv_cache),
            "UV_PYTHON": sys.executable,
            "UV_PYTHON_DOWNLOADS": "never",
            **config.get("env", {}),
            **test_only,
        }
        return StdioServerParameters(command=config["command"], args=config["args"], env=env, cwd=str(self.home))


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Unpacked:
    assert MCPB.exists(), f"{MCPB} is missing: run `npm ci --prefix bundle` (the README's test command does)"
    assert any(WHEELS.glob("mcp-*.whl")), f"{WHEELS} has no wheels to install offline from: run {PREPARE}"
    root = tmp_path_factory.mktemp("bundle")
    mcpb = build(output=root / f"{NAME}.mcpb", staging=root / "staging")
    folder = root / "Claude Extensions" / NAME  # a space in the path, as on macOS and Windows
    with zipfile.ZipFile(mcpb) as archive:
        archive.extractall(folder)
    (root / "home").mkdir()
    return Unpacked(mcpb, folder, root / "home", root / "uv-cache")


@asynccontextmanager
async def connected(params: StdioServerParameters, log: Path) -> AsyncIterator[Client]:
    errlog: IO[str]
    with log.open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            yield client


async def answers_about_orders(
    client: Client, bundled: dict[str, Any], exposed: set[str] | None = None
) -> dict[str, Any]:
    """The tools the server lists are the manifest's (those `exposed`, when the form named some), word for word;
    get_order and list_order_messages answer."""
    listed = [{"name": tool.name, "description": tool.description} for tool in (await client.list_tools()).tools]
    expected = [tool for tool in bundled["tools"] if exposed is None or tool["name"] in exposed]
    assert sorted(listed, key=str) == sorted(expected, key=str)
    order = await ok(client, "get_order", {"order_id": 218})
    assert (order["status"], order["totals"]["total"], order["customer"]["name"]) == (
        "Awaiting Payment",
        69.84,
        "Jane Doe",
    )
    messages = await ok(client, "list_order_messages", {"order_id": 181})
    assert any("customer" in message for message in messages["messages"])
    return order


def test_the_manifest_is_generated_from_the_code() -> None:
    generated = manifest()
    assert generated["manifest_version"] == "0.4"
    assert generated["server"]["type"] == "uv"
    assert [(tool["name"], tool["description"]) for tool in generated["tools"]] == [
        (tool.name, tool.description) for tool in TOOLS
    ]
    assert {tool["name"] for tool in generated["tools"]} == TOOL_NAMES
    # Each field sets a setting through its variable, and each has a default: a field left blank arrives as "".
    env = generated["server"]["mcp_config"]["env"]
    assert env == {variable(key): f"${{user_config.{key}}}" for key in USER_CONFIG}
    assert (
        set(USER_CONFIG) == {"store_hash", "access_token", "redact_pii", "tools", "demo"} <= set(Settings.model_fields)
    )
    assert all(not field["required"] and "default" in field for field in USER_CONFIG.values())
    assert [key for key, field in USER_CONFIG.items() if field.get("sensitive")] == ["access_token"]


def test_the_icon_is_the_same_png_every_time() -> None:
    png = icon_png()
    assert png == icon_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (512, 512)


def test_the_packed_bundle_holds_the_server_and_no_development_files(unpacked: Unpacked) -> None:
    names = zipfile.ZipFile(unpacked.mcpb).namelist()
    assert {"manifest.json", "pyproject.toml", "icon.png", "server/cli.py", "tools/get_order.py"} <= set(names)
    assert not [name for name in names if name.startswith(("tests/", "bench/", "bundle/", ".")) or ".pyc" in name]
    assert json.loads((unpacked.folder / "manifest.json").read_text()) == manifest()


@pytest.mark.anyio
@pytest.mark.e2e
async def test_demo_mode_needs_neither_hash_nor_token(unpacked: Unpacked, tmp_path: Path) -> None:
    # The user ticked "Demo store" and left every other field as it was: the host fills in the defaults.
    config = unpacked.launch({"demo": True})
    assert config["env"] == {
        "BIGCOMMERCE_STORE_HASH": "",
        "BIGCOMMERCE_ACCESS_TOKEN": "",
        "BIGCOMMERCE_REDACT_PII": "false",
        "BIGCOMMERCE_TOOLS": "",
        "BIGCOMMERCE_DEMO": "true",
    }
    assert config["args"][-2:] == [str(unpacked.folder), NAME]
    async with connected(unpacked.server(config), tmp_path / "server.log") as client:
        order = await answers_about_orders(client, manifest())
    assert order["customer"]["email"] == "janedoe@example.com"
    assert "serving the built-in sandbox store" in (tmp_path / "server.log").read_text()


@pytest.mark.anyio
@pytest.mark.e2e
async def test_a_store_hash_and_token_reach_the_store(
    unpacked: Unpacked, sandbox_store: SandboxStore, tmp_path: Path
) -> None:
    exposed = {"get_order", "list_order_messages"}
    config = unpacked.launch(
        {
            "store_hash": sandbox_store.store_hash,
            "access_token": sandbox_store.token,
            "redact_pii": True,
            "tools": "get_order, list_order_messages",
        }
    )
    assert config["env"]["BIGCOMMERCE_DEMO"] == "false"
    # The one variable the manifest does not set: the sandbox store stands in for api.bigcommerce.com.
    params = unpacked.server(config, BIGCOMMERCE_API_URL=sandbox_store.url)
    async with connected(params, tmp_path / "server.log") as client:
        order = await answers_about_orders(client, manifest(), exposed)  # the tools setting reached it too
    assert order["customer"]["email"] == "j***@e***.com"  # the redaction switch reached the server
    log = (tmp_path / "server.log").read_text()
    assert "serving the built-in sandbox store" not in log
    assert E2E_TOKEN not in log
