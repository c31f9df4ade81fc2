"""The server as other processes meet it, over stdio, SSE and streamable HTTP: every tool, bearer auth,
Host/Origin checks, refusals at start, slow clients against few file descriptors."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from pathlib import Path
from typing import IO, Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp_types import TextContent

from tests.calls import INIT, MCP_HEADERS, ok
from tests.conftest import TOOL_NAMES
from tests.processes import (
    PYTHON,
    SCRIPT,
    Listening,
    SandboxStore,
    base_env,
    listening,
    listening_all,
    mcp_http,
    stdio,
)

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


HTTP_TRANSPORTS = ("sse", "streamable-http")


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="module")
def http_servers(sandbox_store: SandboxStore, logs: Path) -> Iterator[dict[str, str]]:
    """Our server over each HTTP transport, pointed at the sandbox store: the endpoint of each."""
    env = base_env(**sandbox_store.settings())
    commands = [mcp_http(transport, logs / f"server-{transport}.log", env=env) for transport in HTTP_TRANSPORTS]
    with listening_all(*commands) as servers:
        yield {transport: server.url for transport, server in zip(HTTP_TRANSPORTS, servers, strict=True)}


@asynccontextmanager
async def http_client(url: str, mode: str = "auto") -> AsyncIterator[Client]:
    async with Client(sse_client(url) if url.endswith("/sse") else url, mode=mode) as client:
        yield client


@asynccontextmanager
async def stdio_client_of(env: dict[str, str], log: Path, *args: str, mode: str = "auto") -> AsyncIterator[Client]:
    """Our server launched over stdio, as Claude Desktop does, its stderr to ``log``."""
    errlog: IO[str]
    with log.open("w") as errlog:
        async with Client(stdio_client(stdio(*args, env=env), errlog=errlog), mode=mode) as client:
            yield client


async def exercise(client: Client) -> None:
    assert {tool.name for tool in (await client.list_tools()).tools} == TOOL_NAMES

    order = await ok(client, "get_order", {"order_id": 218})
    assert order["status"] == "Awaiting Payment"
    assert order["totals"]["total"] == 69.84
    assert order["customer"]["name"] == "Jane Doe"

    detailed = await ok(client, "get_order", {"order_id": 247, "include": ["consignments.line_items", "fees"]})
    lines = [item for c in detailed["consignments"]["shipping"] for item in c["line_items"]]
    assert sum(item["quantity"] for item in lines) == detailed["items"]

    messages = await ok(client, "list_order_messages", {"order_id": 181})
    assert len(messages["messages"]) >= 1
    assert any("customer" in m for m in messages["messages"])

    orders = await ok(client, "list_orders", {"email": "janedoe@example.com", "sort": "date_created:desc"})
    assert 218 in [row["id"] for row in orders["orders"]]
    assert orders["currency"] == "USD"

    parcels = await ok(client, "list_order_shipments", {"order_id": 243})
    assert [s["carrier"] for s in parcels["shipments"]] == ["USPS", "FedEx"]
    assert parcels["shipments"][1]["items"][0]["name"] == "Ceramic Pour-over Kettle"
    nothing = await ok(client, "list_order_shipments", {"order_id": 218})
    assert nothing["shipments"] == []
    assert "Nothing has shipped yet" in nothing["notice"]

    refunds = await ok(client, "list_order_refunds", {"order_id": 146})
    assert (refunds["currency"], refunds["refunded"]) == ("AUD", 225.52)
    assert refunds["refunds"][0]["items"][0] == {
        "what": "Orbit Terrarium - Small", "sku": "OTS", "quantity": 1, "amount": 135.28, "reason": "Out of stock"
    }  # fmt: skip
    payments = await ok(client, "list_order_transactions", {"order_id": 212})
    assert [t["method"] for t in payments["transactions"]] == ["gift certificate", "credit card"]
    assert "JP-GIFT-7Q4M-P8RT" not in str(payments)
    assert (await ok(client, "list_order_transactions", {"order_id": 104}))["transactions"] == []

    waiting = await ok(client, "count_orders", {"status_id": 9})
    assert waiting["total"] == 6
    assert [s["status"] for s in waiting["statuses"]] == ["Awaiting Shipment"]
    day = {"min_date_created": "2026-04-09", "max_date_created": "2026-04-09T23:59:59Z"}
    sold = await ok(client, "summarize_orders", day)
    assert [c["currency"] for c in sold["sales"]] == ["EUR", "GBP", "USD"]
    assert "Cancelled" in [s["status"] for s in sold["left_out"]]

    # Every failure the model sees has one shape: isError, one sentence, structuredContent.error.type.
    failures: list[tuple[str, dict[str, Any], str, str]] = [
        ("get_order", {"order_id": 99999}, "not_found", "Order 99999 was not found"),
        ("list_order_shipments", {"order_id": 99999}, "not_found", "Order 99999 was not found"),
        ("list_order_transactions", {"order_id": 99999}, "not_found", "Order 99999 was not found"),
        ("list_order_messages", {"order_id": 181, "limit": 500}, "invalid_arguments", "'limit' must be less than"),
        ("list_orders", {"min_id": 9, "max_id": 3}, "invalid_arguments", "min_id (9) must not be greater"),
        ("get_order", {"order_id": None}, "invalid_arguments", "'order_id' must be an integer (got null)"),
        ("get_order", {"orderId": 218}, "invalid_arguments", "unknown argument 'orderId'"),
        ("cancel_order", {"order_id": 218}, "unknown_tool", 'There is no tool "cancel_order"'),
    ]
    for tool, args, kind, sentence in failures:
        result = await client.call_tool(tool, args)
        assert result.is_error, (tool, args)
        (content,) = result.content
        assert isinstance(content, TextContent)
        assert sentence in content.text
        assert "Error executing tool" not in content.text
        assert result.structured_content == {"error": {**result.structured_content["error"], "type": kind}}
        assert result.structured_content["error"]["message"] == content.text

    # The session is intact after errors.
    assert (await ok(client, "get_order", {"order_id": 218}))["id"] == 218


@pytest.mark.parametrize("transport", ["stdio", *HTTP_TRANSPORTS])
# Both protocol generations: the initialize handshake, and 2026-07-28's stateless requests.
@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_every_tool_over_each_transport(
    transport: str, mode: str, sandbox_store: SandboxStore, http_servers: dict[str, str], logs: Path
) -> None:
    if transport == "stdio":
        env = base_env(**sandbox_store.settings())
        async with stdio_client_of(env, logs / f"server-stdio-{mode}.log", mode=mode) as client:
            await exercise(client)
    else:
        async with http_client(http_servers[transport], mode) as client:
            await exercise(client)
    for log in [*logs.iterdir(), sandbox_store.log]:
        assert sandbox_store.token not in log.read_text(), log.name


async def test_demo_mode_over_stdio(logs: Path) -> None:
    async with stdio_client_of(base_env(), logs / "server-stdio-demo.log", "--demo") as client:
        assert "sandbox store" in (client.instructions or "")
        await exercise(client)
    assert "sandbox store" in (logs / "server-stdio-demo.log").read_text()


async def test_wrong_token_is_a_clear_error(sandbox_store: SandboxStore, logs: Path) -> None:
    env = base_env(**sandbox_store.settings(BIGCOMMERCE_ACCESS_TOKEN="not-the-token"))
    async with stdio_client_of(env, logs / "wrong-token.log") as client:
        result = await client.call_tool("get_order", {"order_id": 218})
    assert result.is_error
    assert "HTTP 401" in result.content[0].text  # type: ignore[union-attr]


async def test_sse_serves_connection_after_connection(http_servers: dict[str, str]) -> None:
    # SSE runs the lifespan per connection; the shared BigCommerce client must survive each one ending.
    for order_id in (218, 181, 247):
        async with http_client(http_servers["sse"]) as client:
            assert (await ok(client, "get_order", {"order_id": order_id}))["id"] == order_id


AUTH = "mcp-bearer-SECRET-51c7"
TRANSPORTS = pytest.mark.parametrize("transport", ["streamable-http", "sse"])


@pytest.fixture(scope="module")
def authed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Listening]]:
    """``--demo`` over each HTTP transport, with a bearer token required."""
    logs = tmp_path_factory.mktemp("authed")
    env = base_env(BIGCOMMERCE_MCP_AUTH_TOKEN=AUTH)
    transports = ["streamable-http", "sse"]
    with listening_all(*(mcp_http(t, logs / f"{t}.log", "--demo", env=env) for t in transports)) as servers:
        yield dict(zip(transports, servers, strict=True))


@TRANSPORTS
@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", AUTH, f"Bearer {AUTH}x", f"Basic {AUTH}", f"Bearer{AUTH}", "Bearer"]
)
def test_requests_without_the_bearer_token_get_401(
    authed: dict[str, Listening], transport: str, authorization: str | None
) -> None:
    url = authed[transport].url
    headers = dict(MCP_HEADERS)
    if authorization is not None:
        headers["Authorization"] = authorization
    with httpx.Client(timeout=5) as http:
        if transport == "streamable-http":
            response = http.post(url, json=INIT, headers=headers)
        else:
            response = http.get(url, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@TRANSPORTS
@pytest.mark.anyio
async def test_the_right_bearer_token_gets_in(authed: dict[str, Listening], transport: str) -> None:
    url, log = authed[transport].url, authed[transport].log
    headers = {"Authorization": f"Bearer {AUTH}"}
    # A client passed in stays the caller's to close.
    async with create_mcp_http_client(headers=headers) as http:
        connection = (
            streamable_http_client(url, http_client=http)
            if transport == "streamable-http"
            else sse_client(url, headers=headers)
        )
        async with Client(connection) as client:
            result = await client.call_tool("get_order", {"order_id": 218})
    assert not result.is_error
    assert AUTH not in log.read_text()


def test_foreign_host_and_origin_are_refused(demo_http: Listening) -> None:
    url = demo_http.url
    with httpx.Client(timeout=5) as http:
        assert http.post(url, json=INIT, headers=MCP_HEADERS).status_code == 200
        assert http.post(url, json=INIT, headers={**MCP_HEADERS, "Host": "evil.example"}).status_code in (400, 421)
        evil_origin = {**MCP_HEADERS, "Origin": "http://evil.example"}
        assert http.post(url, json=INIT, headers=evil_origin).status_code == 403
        big = b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"' + b"a" * 400_000 + b'"}}'
        assert http.post(url, content=big, headers=MCP_HEADERS).status_code == 413
        # The server is still fine afterwards.
        assert http.post(url, json=INIT, headers=MCP_HEADERS).status_code == 200


@pytest.mark.parametrize(
    ("transport", "host"), [("sse", "0.0.0.0"), ("streamable-http", "0.0.0.0"), ("sse", "127.0.0.2")]
)
def test_unguarded_address_without_a_token_is_refused_at_start(transport: str, host: str) -> None:
    """127.0.0.2 is loopback, but the SDK's Host/Origin checks do not cover it: a rebound DNS name would get in."""
    result = subprocess.run(
        [SCRIPT, "--demo", "--transport", transport, "--host", host],
        env=base_env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "BIGCOMMERCE_MCP_AUTH_TOKEN" in result.stderr
    assert "--allow-unauthenticated" in result.stderr
    assert "DNS rebinding" in result.stderr


@TRANSPORTS
@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "bEaReR"])
def test_the_bearer_scheme_is_case_insensitive(authed: dict[str, Listening], transport: str, scheme: str) -> None:
    headers = {**MCP_HEADERS, "Authorization": f"{scheme} {AUTH}"}
    with httpx.Client(timeout=5) as http:
        if transport == "streamable-http":
            assert http.post(authed[transport].url, json=INIT, headers=headers).status_code == 200
        else:
            with http.stream("GET", authed[transport].url, headers=headers) as response:
                assert response.status_code == 200


def test_a_port_in_use_is_named_with_a_way_out(demo_http: Listening) -> None:
    result = subprocess.run(
        [SCRIPT, "--demo", "--transport", "streamable-http", "--port", str(demo_http.port)],
        env=base_env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.endswith(
        f"port {demo_http.port} on 127.0.0.1 is already in use (another server is listening there); choose another "
        f"with --port, e.g. --port {demo_http.port + 1}, or --port 0 for any free port.\n"
    )
    assert "Traceback" not in result.stderr


# Lowers the process's descriptor limit, then becomes the command after it: a host with `ulimit -n` that low.
WITH_FEW_DESCRIPTORS = (
    "import os, resource, sys; limit = int(sys.argv[1]); "
    "resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit)); os.execv(sys.argv[2], sys.argv[2:])"
)


async def test_slow_clients_cannot_use_up_the_descriptors(tmp_path: Path) -> None:
    """A server allowed 128 descriptors, no bearer token, and 200 clients that sent their headers and a byte
    of their bodies: the probe and a real client are still answered."""
    log = tmp_path / "server.log"
    command = mcp_http("streamable-http", log, "--demo")
    with listening([PYTHON, "-c", WITH_FEW_DESCRIPTORS, "128", *command.argv], log) as server:
        head = (
            f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
            "Accept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{"
        ).encode()
        async with AsyncExitStack() as slow:
            with anyio.fail_after(10):
                for _ in range(200):
                    stream = await slow.enter_async_context(await anyio.connect_tcp("127.0.0.1", server.port))
                    with suppress(anyio.BrokenResourceError, ConnectionError):  # displaced already
                        await stream.send(head)
            async with httpx.AsyncClient(timeout=5) as http:
                health = await http.get(f"http://127.0.0.1:{server.port}/healthz")
                assert health.status_code == 200
                assert (await http.post(server.url, json=INIT, headers=MCP_HEADERS)).status_code == 200
    assert "Traceback" not in log.read_text()
