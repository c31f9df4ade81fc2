"""Fault injection end to end: the sandbox misbehaves like the real API can, the MCP server runs as a real
process over streamable HTTP, and the SDK's client checks what the model sees and that the next call works.

Two servers share the work: a patient one that must ride out passing faults, and a brief one (a short
timeout, one retry) for faults that never end, so each gives up in about a second instead of three or four.
How often a call tried is read from the sandbox's request counter, not from a clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import anyio
import httpx
import pytest
from mcp import Client

from tests.processes import SandboxStore, base_env, listening_all, mcp_http

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

PATIENT = {"BIGCOMMERCE_TIMEOUT": "5", "BIGCOMMERCE_RETRY_BUDGET": "4"}
BRIEF = {"BIGCOMMERCE_TIMEOUT": "0.25", "BIGCOMMERCE_MAX_RETRIES": "1", "BIGCOMMERCE_RETRY_BUDGET": "2"}
Server = Literal["patient", "brief"]


@dataclass(frozen=True)
class Servers:
    urls: dict[Server, str]
    logs: list[Path]


@pytest.fixture(scope="module")
def servers(sandbox_store: SandboxStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    logs = tmp_path_factory.mktemp("faults")
    settings: dict[Server, dict[str, str]] = {"patient": PATIENT, "brief": BRIEF}
    commands = [
        mcp_http("streamable-http", logs / f"{name}.log", env=base_env(**sandbox_store.settings(**extra)))
        for name, extra in settings.items()
    ]
    with listening_all(*commands) as started:
        yield Servers(
            {name: server.url for name, server in zip(settings, started, strict=True)},
            [server.log for server in started],
        )


async def faults(sandbox: SandboxStore, method: str = "GET", **fault: Any) -> dict[str, Any]:
    """Set (PUT), clear (DELETE) or read (GET) the sandbox's fault; its status and request counters."""
    async with httpx.AsyncClient(timeout=5) as http:
        response = await http.request(method, f"{sandbox.url}/_sandbox/faults", json=fault or None)
        response.raise_for_status()
        status: dict[str, Any] = response.json()
        return status


async def clear(sandbox: SandboxStore) -> dict[str, Any]:
    return await faults(sandbox, "DELETE")


@dataclass
class Case:
    fault: dict[str, Any]
    requests: int  # requests the call sent to the store, retries included
    tool: str = "get_order"
    args: dict[str, Any] = field(default_factory=lambda: {"order_id": 218})
    error: str | None = None  # None: the call must succeed despite the fault
    error_type: str | None = None
    server: Server = "patient"


CASES = {
    "429 with reset header, twice": Case({"mode": "rate_limit", "reset_ms": 200, "times": 2}, 3),
    "429 with X-Retry-After longer than the budget": Case(
        # Failing at once, not after waiting: one request, though the fault would be gone for a second.
        {"mode": "rate_limit", "reset_ms": 100, "retry_after": 60, "times": 1},
        1,
        error="retry after 60",
        error_type="rate_limited",
    ),
    "429 that never ends": Case(
        {"mode": "rate_limit", "reset_ms": 100},
        2,
        error="(HTTP 429) (tried 2 times); retry after",
        error_type="rate_limited",
        server="brief",
    ),
    "429 without headers, twice": Case({"mode": "rate_limit_no_headers", "times": 2}, 3),
    "500, twice": Case({"mode": "server_error", "status": 500, "times": 2}, 3),
    "503 once": Case({"mode": "server_error", "status": 503, "times": 1}, 2, tool="list_order_messages"),
    "502 HTML that never ends": Case(
        {"mode": "server_error", "status": 502},
        2,
        error="unavailable (HTTP 502); retry later (tried 2 times)",
        error_type="unavailable",
        server="brief",
    ),
    "HTML page with 200": Case({"mode": "html_200"}, 1, error="not JSON (text/html)", error_type="invalid_response"),
    "empty 200 for an order": Case({"mode": "empty_200"}, 1, error="without an order", error_type="invalid_response"),
    "empty 200 for messages": Case({"mode": "empty_200"}, 1, tool="list_order_messages"),
    "truncated JSON": Case({"mode": "truncated_json"}, 1, error="not JSON", error_type="invalid_response"),
    "v3 error object": Case({"mode": "v3_error"}, 1, error="HTTP 422). BigCommerce said: Missing Required Fields"),
    "stall past the timeout": Case(
        {"mode": "stall", "seconds": 2},
        2,
        error="did not answer within 0.25 seconds; retry later (tried 2 times)",
        error_type="unavailable",
        server="brief",
    ),
    "stall once": Case({"mode": "stall", "seconds": 2, "times": 1}, 2, server="brief"),
    "wrong token": Case({"mode": "wrong_token"}, 1, error="HTTP 401", error_type="unauthorized"),
    "missing scope": Case({"mode": "missing_scope"}, 1, error="store_v2_orders_read_only", error_type="forbidden"),
    "dropped connection once": Case({"mode": "drop_connection", "times": 1}, 2),
    # Each of the two attempts sends once more at once, as for a kept-alive connection the server had closed.
    "dropped connections": Case(
        {"mode": "drop_connection"},
        4,
        error="Could not reach BigCommerce (ReadError)",
        error_type="unavailable",
        server="brief",
    ),
}
CASES["messages of the order"] = Case(
    {"mode": "latency", "ms": 10}, 1, tool="list_order_messages", args={"order_id": 181}
)


@asynccontextmanager
async def session(url: str) -> AsyncIterator[Client]:
    async with Client(url) as client:
        yield client


@pytest.mark.parametrize("name", list(CASES))
async def test_fault(name: str, sandbox_store: SandboxStore, servers: Servers) -> None:
    case = CASES[name]
    before = (await faults(sandbox_store, "PUT", **case.fault))["requests"]
    try:
        async with session(servers.urls[case.server]) as client:
            with anyio.fail_after(30):
                result = await client.call_tool(case.tool, case.args)
            sent = (await clear(sandbox_store))["requests"] - before
            text = result.content[0].text  # type: ignore[union-attr]
            if case.error is None:
                assert not result.is_error, text
            else:
                assert result.is_error
                assert case.error in text, text
                if case.error_type:
                    assert result.structured_content is not None
                    assert result.structured_content["error"]["type"] == case.error_type
            if case.error_type == "rate_limited":
                assert result.structured_content is not None
                retry_after = result.structured_content["error"]["retry_after_seconds"]
                assert f"retry after {retry_after:g} seconds" in text
            assert sent == case.requests
            # Nothing is lost: the next call on the same session works.
            after = await client.call_tool("get_order", {"order_id": 218})
            assert not after.is_error
    finally:
        await clear(sandbox_store)
    for log in servers.logs:
        assert sandbox_store.token not in log.read_text()


async def test_quota_is_respected_without_errors(sandbox_store: SandboxStore, servers: Servers) -> None:
    # Ten calls against four a window: they must spread over three windows, paced rather than refused.
    refused = (await faults(sandbox_store, "PUT", mode="quota", quota=4, window_ms=400))["faulted"]
    try:
        async with session(servers.urls["patient"]) as client:
            with anyio.fail_after(30):
                results = [await client.call_tool("get_order", {"order_id": 218}) for _ in range(10)]
        assert not any(result.is_error for result in results)
        assert (await faults(sandbox_store))["faulted"] == refused, "the store answered 429"
    finally:
        await clear(sandbox_store)


async def test_a_client_that_leaves_mid_call_does_not_hurt_the_next(
    sandbox_store: SandboxStore, servers: Servers
) -> None:
    url = servers.urls["patient"]
    faulted = (await faults(sandbox_store, "PUT", mode="stall", seconds=2))["faulted"]
    try:
        async with session(url) as client, anyio.create_task_group() as group:
            group.start_soon(client.call_tool, "get_order", {"order_id": 218})
            with anyio.fail_after(10):
                # Leave once the server is waiting on the store, not before.
                while (await faults(sandbox_store))["faulted"] == faulted:
                    await anyio.sleep(0.01)
            group.cancel_scope.cancel()
    finally:
        await clear(sandbox_store)
    async with session(url) as client:
        with anyio.fail_after(10):
            result = await client.call_tool("get_order", {"order_id": 181})
    assert not result.is_error


async def test_hundreds_of_concurrent_calls_all_answered_correctly(
    sandbox_store: SandboxStore, servers: Servers
) -> None:
    from bigcommerce_orders_mcp.sandbox import build_store

    store = build_store()
    order_ids = sorted(store.orders)
    answers: dict[tuple[int, int], Any] = {}

    async def worker(client: Client, session_no: int, call_no: int) -> None:
        order_id = order_ids[(session_no * 7 + call_no) % len(order_ids)]
        if call_no % 3 == 0:
            result = await client.call_tool("list_order_messages", {"order_id": order_id, "limit": 5})
        else:
            result = await client.call_tool("get_order", {"order_id": order_id})
        answers[(session_no, call_no)] = (order_id, result)

    async def one_session(session_no: int) -> None:
        async with session(servers.urls["patient"]) as client, anyio.create_task_group() as tg:
            for call_no in range(60):
                tg.start_soon(worker, client, session_no, call_no)

    await faults(sandbox_store, "PUT", mode="latency", ms=20)
    try:
        with anyio.fail_after(120):
            async with anyio.create_task_group() as tg:
                for session_no in range(5):
                    tg.start_soon(one_session, session_no)
    finally:
        await clear(sandbox_store)
    assert len(answers) == 300
    for order_id, result in answers.values():
        assert not result.is_error, result.content
        data = result.structured_content
        if "messages" in data:  # message ids are unique across orders: the page is this order's
            expected = [m["id"] for m in store.messages.get(order_id, [])][:5]
            assert [m["id"] for m in data["messages"]] == expected
        else:
            assert data["id"] == order_id
