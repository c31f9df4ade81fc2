"""The HTTP transports in this process: session, stream and connection caps, slow clients cut off, oversized
headers refused, a dropped call cancelled upstream, bearer auth's lifespan, which hosts count as local, no Nagle
delays."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from typing import Any

import anyio
import httpx
import pytest
import uvicorn
from mcp import Client
from mcp.client.sse import sse_client
from starlette.types import ASGIApp

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.probes import Readiness
from bigcommerce_orders_mcp.settings import Settings
from bigcommerce_orders_mcp.stores import Stores, demo_client
from bigcommerce_orders_mcp.transports import (
    SSE_PATH,
    STREAMABLE_HTTP_PATH,
    BearerAuth,
    HttpTransport,
    Limits,
    bind,
    http_app,
    uvicorn_config,
)
from tests.calls import INIT
from tests.calls import MCP_HEADERS as HEADERS
from tests.conftest import E2E_STORE, E2E_TOKEN
from tests.processes import SandboxStore

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def serving(
    transport: HttpTransport,
    limits: Limits,
    client: BigCommerceClient | None = None,
    *,
    probes: bool = False,
    oauth: Callable[[ASGIApp], ASGIApp] | None = None,
) -> AsyncIterator[str]:
    """The server on 127.0.0.1 until the block ends (with `/healthz` and `/readyz` if `probes`, behind `oauth`'s
    guard if given); yields its endpoint URL."""
    stores = Stores.single(client or demo_client(Settings()))
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server_ = build_server(stores, log_level="WARNING")
    readiness = Readiness(stores) if probes else None
    app = http_app(
        server_, transport, host="127.0.0.1", auth_token=None, oauth=oauth, limits=limits, readiness=readiness
    )
    server = uvicorn.Server(uvicorn_config(app, limits, log_level="warning"))
    with sock:
        async with stores.session(), anyio.create_task_group() as group:
            group.start_soon(server.serve, [sock])
            with anyio.fail_after(10):
                while not server.started:
                    await anyio.sleep(0.01)
            try:
                yield f"http://127.0.0.1:{port}{SSE_PATH if transport == 'sse' else STREAMABLE_HTTP_PATH}"
            finally:
                server.should_exit = True


def assert_full(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Content-Type"].startswith("application/json")
    json.loads(response.read())


PROTOCOL = {"Mcp-Protocol-Version": "2025-06-18"}


def session_headers(opened: httpx.Response) -> dict[str, str]:
    return {**HEADERS, **PROTOCOL, "Mcp-Session-Id": opened.headers["Mcp-Session-Id"]}


def raw_request(url: str, headers: dict[str, str], content_length: int) -> bytes:
    """A POST's request line and headers, as a client that sends its own bytes writes them."""
    target = httpx.URL(url)
    lines = [
        f"POST {target.path} HTTP/1.1",
        f"Host: {target.netloc.decode()}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join([*lines, f"Content-Length: {content_length}", "", ""])).encode()


@asynccontextmanager
async def in_flight(url: str, headers: dict[str, str]) -> AsyncIterator[None]:
    """A request to `url` whose body is still arriving while the block runs."""
    port = httpx.URL(url).port
    assert port is not None
    async with await anyio.connect_tcp("127.0.0.1", port) as slow:
        await slow.send(raw_request(url, headers, 1000) + b"{")
        await anyio.sleep(0.2)  # for the server to read the headers and hand the request over
        yield


async def test_sessions_are_capped_and_idle_ones_expire() -> None:
    limits = Limits(max_sessions=2, session_idle_timeout=0.5)
    async with serving("streamable-http", limits) as url, httpx.AsyncClient(timeout=5) as http:
        if True:
            first, second = [await http.post(url, json=INIT, headers=HEADERS) for _ in range(2)]
            assert first.status_code == second.status_code == 200
            # Each session has a request in flight, so none can make room for a third: the cap holds.
            async with in_flight(url, session_headers(first)), in_flight(url, session_headers(second)):
                assert_full(await http.post(url, json=INIT, headers=HEADERS))
            await anyio.sleep(1)
            # Both sessions were idle past the timeout: gone, and their room is free again.
            stale = {**HEADERS, "Mcp-Session-Id": first.headers["Mcp-Session-Id"], "Mcp-Protocol-Version": "2025-06-18"}
            assert (await http.post(url, json={**INIT, "method": "ping"}, headers=stale)).status_code == 404
            assert (await http.post(url, json=INIT, headers=HEADERS)).status_code == 200


async def test_sse_streams_are_capped() -> None:
    async with serving("sse", Limits(max_sessions=2)) as url, httpx.AsyncClient(timeout=5) as http:
        async with http.stream("GET", url) as one, http.stream("GET", url) as two:
            assert one.status_code == two.status_code == 200
            assert_full(await http.get(url))
        # Closed streams free their room once the server has seen them go.
        with anyio.fail_after(5):
            while await status(http, url) == 503:
                await anyio.sleep(0.05)
        async with Client(sse_client(url)) as client:
            assert not (await client.call_tool("get_order", {"order_id": 218})).is_error


PING = {"jsonrpc": "2.0", "id": 2, "method": "ping"}


async def open_session(http: httpx.AsyncClient, url: str) -> dict[str, str]:
    opened = await http.post(url, json=INIT, headers=HEADERS)
    assert opened.status_code == 200
    headers = session_headers(opened)
    ready = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    assert (await http.post(url, json=ready, headers=headers)).status_code == 202
    return headers


async def test_a_new_session_displaces_the_least_recently_used_idle_one() -> None:
    """One client that opened every session cannot lock others out until they expire (behind a load balancer
    every client may share one address, so recency decides, not the peer): the newcomer gets in, and the
    session whose last request is the oldest ends, even with a GET stream open."""
    async with serving("streamable-http", Limits(max_sessions=3)) as url, httpx.AsyncClient(timeout=5) as http:
        first, second, third = [await open_session(http, url) for _ in range(3)]
        assert (await http.post(url, json=PING, headers=first)).status_code == 200  # second is now the oldest
        async with http.stream("GET", url, headers={**second, "Accept": "text/event-stream"}) as listening:
            assert listening.status_code == 200
            fourth = await open_session(http, url)
            with anyio.fail_after(3):
                async for _ in listening.aiter_bytes():  # the displaced session's stream ends
                    pass
        fifth = await open_session(http, url)
        for gone in (second, third):
            assert (await http.post(url, json=PING, headers=gone)).status_code == 404
        for live in (first, fourth, fifth):
            assert (await http.post(url, json=PING, headers=live)).status_code == 200


async def test_opening_requests_whose_bodies_trickle_hold_no_session() -> None:
    """The SDK reads an opening request's body before it counts the session: slow bodies hold none."""
    async with serving("streamable-http", Limits(max_sessions=2)) as url, AsyncExitStack() as slow:
        for _ in range(4):
            await slow.enter_async_context(in_flight(url, HEADERS))
        async with httpx.AsyncClient(timeout=5) as http:
            await open_session(http, url)
            await open_session(http, url)


async def status(http: httpx.AsyncClient, url: str) -> int:
    async with http.stream("GET", url) as response:
        return response.status_code


async def test_a_client_slow_to_send_its_headers_is_cut_off() -> None:
    async with serving("streamable-http", Limits(header_timeout=0.3)) as url:
        port = httpx.URL(url).port
        assert port is not None
        async with await anyio.connect_tcp("127.0.0.1", port) as slow:
            await slow.send(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            with anyio.fail_after(3):
                # The server closes the connection: receive ends without an answer.
                with pytest.raises(anyio.EndOfStream):
                    await slow.receive()
        async with await anyio.connect_tcp("127.0.0.1", port) as huge:
            # uvicorn (h11) refuses headers still incomplete past the cap; it has no limit for complete ones.
            await huge.send(b"GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 20_000)
            with anyio.fail_after(3):
                answer = await huge.receive()
            assert answer.startswith(b"HTTP/1.1 400"), answer
        async with httpx.AsyncClient(timeout=5) as http:
            assert (await http.post(url, json=INIT, headers=HEADERS)).status_code == 200


async def test_a_body_that_trickles_in_gets_408() -> None:
    """A byte every 50 ms would satisfy any deadline between bytes; the whole body has a deadline."""
    async with serving("streamable-http", Limits(body_timeout=0.5)) as url:
        port = httpx.URL(url).port
        assert port is not None
        async with await anyio.connect_tcp("127.0.0.1", port) as slow:
            await slow.send(raw_request(url, HEADERS, 2000) + b"{")
            answer = b""
            with anyio.fail_after(5):
                for _ in range(60):
                    await slow.send(b" ")
                    with anyio.move_on_after(0.05):
                        answer = await slow.receive()
                        break
            assert answer.startswith(b"HTTP/1.1 408"), answer
            await until_closed(slow)


async def until_closed(stream: anyio.abc.ByteStream) -> bytes:
    """What the server still sends before it closes the connection, within 3 s."""
    received = b""
    with anyio.fail_after(3):
        try:
            for _ in range(1000):
                received += await stream.receive()
        except (anyio.EndOfStream, anyio.BrokenResourceError, ConnectionError):
            return received
    raise AssertionError(f"the connection stayed open: {received[:100]!r}")


def padded(total: int) -> dict[str, str]:
    """Headers of about `total` bytes in 100-byte lines: many small headers, not one huge one."""
    return {f"X-Pad-{n:03}": "p" * 88 for n in range(total // 100)}


@pytest.mark.parametrize(("size", "refused"), [(17_000, True), (40_000, True), (15_000, False)])
async def test_headers_past_the_cap_are_refused_even_when_complete(size: int, refused: bool) -> None:
    body = json.dumps(INIT).encode()
    async with serving("streamable-http", Limits()) as url:
        port = httpx.URL(url).port
        assert port is not None
        async with await anyio.connect_tcp("127.0.0.1", port) as client:
            await client.send(raw_request(url, {**HEADERS, **padded(size)}, len(body)) + body)
            with anyio.fail_after(3):
                answer = await client.receive()
            assert answer.startswith(b"HTTP/1.1 400" if refused else b"HTTP/1.1 200"), answer[:100]
            if refused:
                await until_closed(client)


async def test_past_the_connection_cap_the_longest_waiting_make_room() -> None:
    """200 clients stuck in their bodies, a cap of 40: the probe and a real client still get in, and the
    server holds no more connections than its cap."""
    async with serving("streamable-http", Limits(max_connections=40), probes=True) as url, AsyncExitStack() as open_:
        port = httpx.URL(url).port
        assert port is not None
        slow = []
        with anyio.fail_after(10):
            for _ in range(200):
                stream = await open_.enter_async_context(await anyio.connect_tcp("127.0.0.1", port))
                await stream.send(raw_request(url, HEADERS, 1000) + b"{")
                slow.append(stream)
            async with httpx.AsyncClient(timeout=3) as http:
                health = await http.get(f"http://127.0.0.1:{port}/healthz")
                assert (health.status_code, health.json()) == (200, {"status": "ok"})
                assert (await http.post(url, json=INIT, headers=HEADERS)).status_code == 200
            cut = 0
            for stream in slow:
                with anyio.move_on_after(0.01):
                    # Those displaced mid-body are told 408 (a body that did not arrive), then closed.
                    assert (await until_closed(stream)).startswith(b"HTTP/1.1 408")
                    cut += 1
        assert cut >= 200 - 40


async def test_past_the_connection_cap_with_none_waiting_a_newcomer_gets_503() -> None:
    async with (
        serving("sse", Limits(max_connections=2)) as url,
        httpx.AsyncClient(timeout=5) as http,
        http.stream("GET", url) as one,
        http.stream("GET", url) as two,
    ):
        assert one.status_code == two.status_code == 200
        assert_full(await http.get(url))


async def faults(store: SandboxStore, method: str = "GET", **body: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=5) as http:
        response = await http.request(method, f"{store.url}/_sandbox/faults", json=body or None)
        result: dict[str, Any] = response.raise_for_status().json()
        return result


async def test_a_dropped_call_cancels_its_upstream_request(
    sandbox_store: SandboxStore, caplog: pytest.LogCaptureFixture
) -> None:
    # One request in flight to the store at a time: an abandoned call still waiting on the store would hold it.
    client = BigCommerceClient(sandbox_store.v2_root, E2E_TOKEN, timeout=60, max_concurrency=1)
    assert sandbox_store.store_hash == E2E_STORE
    caplog.set_level(logging.INFO, "bigcommerce_orders_mcp")
    async with serving("streamable-http", Limits(), client) as url, httpx.AsyncClient(timeout=5) as http:
        opened = await http.post(url, json=INIT, headers=HEADERS)
        session = {**HEADERS, "Mcp-Session-Id": opened.headers["Mcp-Session-Id"], "Mcp-Protocol-Version": "2025-06-18"}
        await http.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=session)
        faulted = (await faults(sandbox_store, "PUT", mode="stall", seconds=30, times=1))["faulted"]
        try:
            params = {"name": "get_order", "arguments": {"order_id": 218}}
            call = {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": params}
            async with anyio.create_task_group() as group:
                group.start_soon(partial(http.post, url, json=call, headers=session))
                with anyio.fail_after(10):
                    while (await faults(sandbox_store))["faulted"] == faulted:
                        await anyio.sleep(0.01)
                group.cancel_scope.cancel()  # the client hangs up mid-call
        finally:
            await faults(sandbox_store, "DELETE")
        async with Client(url) as mcp:
            with anyio.fail_after(5):
                result = await mcp.call_tool("get_order", {"order_id": 181})
    assert not result.is_error
    assert "Client hung up before request 7 was answered: cancelling it" in caplog.text


async def test_bearer_auth_passes_lifespan_through() -> None:
    seen: list[str] = []

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        seen.append(str(scope["type"]))

    await BearerAuth(app, "t")({"type": "lifespan"}, None, None)  # type: ignore[arg-type]
    assert seen == ["lifespan"]


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
