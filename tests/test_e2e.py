"""End to end: the sandbox store and the MCP server as real processes on loopback, driven by the SDK's client
over stdio, SSE and streamable HTTP, the way Claude Desktop and agent frameworks use them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client

from tests.processes import SCRIPT, base_env, listening, mcp_http
from tests.processes import sandbox as sandbox_process

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

TOKEN = "e2e-SECRET-token-93af"
STORE = "e2estore"


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="module")
def sandbox(logs: Path) -> Iterator[str]:
    with sandbox_process(logs / "sandbox.log", store_hash=STORE, token=TOKEN) as store:
        yield store.url


def store_env(sandbox: str) -> dict[str, str]:
    return base_env(BIGCOMMERCE_API_URL=sandbox, BIGCOMMERCE_STORE_HASH=STORE, BIGCOMMERCE_ACCESS_TOKEN=TOKEN)


@asynccontextmanager
async def http_server(transport: str, env: dict[str, str], log: Path) -> AsyncIterator[int]:
    with listening(*mcp_http(transport, log, env=env)) as server:
        yield server.port


@asynccontextmanager
async def connect(transport: str, sandbox: str, logs: Path, *, demo: bool = False) -> AsyncIterator[Client]:
    env = base_env() if demo else store_env(sandbox)
    log = logs / f"server-{transport}{'-demo' if demo else ''}.log"
    if transport == "stdio":
        params = StdioServerParameters(command=SCRIPT, args=["--demo"] if demo else [], env=env)
        errlog: IO[str]
        with log.open("w") as errlog:
            async with Client(stdio_client(params, errlog=errlog)) as client:
                yield client
        return
    async with http_server(transport, env, log) as port:
        if transport == "sse":
            async with Client(sse_client(f"http://127.0.0.1:{port}/sse")) as client:
                yield client
        else:
            async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                yield client


async def ok(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return dict(result.structured_content)


async def exercise(client: Client) -> None:
    assert {tool.name for tool in (await client.list_tools()).tools} == {"get_order", "list_order_messages"}

    order = await ok(client, "get_order", {"order_id": 218})
    assert order["status"] == "Awaiting Payment"
    assert order["totals"]["total"] == "69.84"
    assert order["customer"]["name"] == "Jane Doe"

    detailed = await ok(client, "get_order", {"order_id": 247, "include": ["consignments.line_items", "fees"]})
    lines = [item for c in detailed["consignments"]["shipping"] for item in c["line_items"]]
    assert sum(item["quantity"] for item in lines) == detailed["items"]["total"]

    messages = await ok(client, "list_order_messages", {"order_id": 181})
    assert messages["count"] >= 1
    assert any(m["from"] == "customer" for m in messages["messages"])

    missing = await client.call_tool("get_order", {"order_id": 99999})
    assert missing.is_error
    assert "Order 99999 was not found" in missing.content[0].text  # type: ignore[union-attr]

    bad = await client.call_tool("list_order_messages", {"order_id": 181, "limit": 500})
    assert bad.is_error
    assert "'limit' must be less than or equal to 250" in bad.content[0].text  # type: ignore[union-attr]

    # The session is intact after errors.
    assert (await ok(client, "get_order", {"order_id": 218}))["id"] == 218


@pytest.mark.parametrize("transport", ["stdio", "sse", "streamable-http"])
async def test_both_tools_over_each_transport(transport: str, sandbox: str, logs: Path) -> None:
    async with connect(transport, sandbox, logs) as client:
        await exercise(client)
    for log in logs.iterdir():
        assert TOKEN not in log.read_text(), log.name


async def test_demo_mode_over_stdio(sandbox: str, logs: Path) -> None:
    async with connect("stdio", sandbox, logs, demo=True) as client:
        assert "sandbox store" in (client.instructions or "")
        await exercise(client)
    assert "sandbox store" in (logs / "server-stdio-demo.log").read_text()


async def test_wrong_token_is_a_clear_error(sandbox: str, logs: Path) -> None:
    env = {**store_env(sandbox), "BIGCOMMERCE_ACCESS_TOKEN": "not-the-token"}
    params = StdioServerParameters(command=SCRIPT, env=env)
    with (logs / "wrong-token.log").open("w") as errlog:
        async with Client(stdio_client(params, errlog=errlog)) as client:
            result = await client.call_tool("get_order", {"order_id": 218})
    assert result.is_error
    assert "HTTP 401" in result.content[0].text  # type: ignore[union-attr]


async def test_sse_serves_connection_after_connection(sandbox: str, logs: Path) -> None:
    # SSE runs the lifespan per connection; the shared BigCommerce client must survive each one ending.
    async with http_server("sse", store_env(sandbox), logs / "server-sse-many.log") as port:
        for order_id in (218, 181, 247):
            async with Client(sse_client(f"http://127.0.0.1:{port}/sse")) as client:
                assert (await ok(client, "get_order", {"order_id": order_id}))["id"] == order_id
