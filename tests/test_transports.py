"""The HTTP transports as other processes meet them: bearer auth, Host/Origin checks, body cap, exposure."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from bigcommerce_orders_mcp.transports import BearerAuth, guarded_locally
from tests.processes import SCRIPT, Listening, base_env, listening_all, mcp_http

AUTH = "mcp-bearer-SECRET-51c7"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
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


@pytest.mark.parametrize(
    ("host", "guarded"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", False),
     ("127.1.2.3", False), ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("example.com", False)],
)  # fmt: skip
def test_only_addresses_the_sdk_guards_count_as_local(host: str, guarded: bool) -> None:
    assert guarded_locally(host) is guarded


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


@pytest.mark.anyio
async def test_bearer_auth_passes_lifespan_through() -> None:
    seen: list[str] = []

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        seen.append(str(scope["type"]))

    await BearerAuth(app, "t")({"type": "lifespan"}, None, None)  # type: ignore[arg-type]
    assert seen == ["lifespan"]


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


@pytest.mark.anyio
async def test_connections_to_the_bound_socket_send_without_nagle_delays() -> None:
    """An answer written in two parts (headers, body) must not wait ~40 ms for a delayed ACK: asyncio only
    sets TCP_NODELAY on connections of a socket that says it is TCP."""
    import asyncio
    import socket

    from bigcommerce_orders_mcp.transports import bind

    listening = bind("127.0.0.1", 0)
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.set_result(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connect, sock=listening)
    async with server:
        _, writer = await asyncio.open_connection(*listening.getsockname()[:2])
        assert await asyncio.wait_for(accepted, 5) != 0
        writer.close()
