"""Fault injection end to end: the sandbox misbehaves like the real API can, the MCP server runs as a real
process over streamable HTTP, and the SDK's client checks what the model sees and that the next call works."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client

from tests.processes import base_env, listening, mcp_http
from tests.processes import sandbox as sandbox_process
from tests.test_e2e import STORE, TOKEN

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("faults") / "sandbox.log"
    with sandbox_process(log, "--faults", "--quota", "5000", store_hash=STORE, token=TOKEN) as store:
        yield store.url


@pytest.fixture(scope="module")
def server(sandbox: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("faults") / "server.log"
    env = base_env(
        BIGCOMMERCE_API_URL=sandbox,
        BIGCOMMERCE_STORE_HASH=STORE,
        BIGCOMMERCE_ACCESS_TOKEN=TOKEN,
        BIGCOMMERCE_TIMEOUT="1",
        BIGCOMMERCE_RETRY_BUDGET="4",
    )
    with listening(*mcp_http("streamable-http", log, env=env)) as server:
        yield server.url, log


def set_fault(sandbox: str, **fault: Any) -> None:
    with httpx.Client(timeout=5) as http:
        if fault:
            response = http.put(f"{sandbox}/_sandbox/faults", json=fault)
        else:
            response = http.delete(f"{sandbox}/_sandbox/faults")
        response.raise_for_status()


@dataclass
class Case:
    fault: dict[str, Any]
    tool: str = "get_order"
    args: dict[str, Any] = field(default_factory=lambda: {"order_id": 218})
    error: str | None = None  # None: the call must succeed despite the fault
    error_type: str | None = None


CASES = {
    "429 with reset header, twice": Case({"mode": "rate_limit", "reset_ms": 200, "times": 2}),
    "429 with X-Retry-After longer than the budget": Case(
        {"mode": "rate_limit", "reset_ms": 1000, "retry_after": 60, "times": 1},
        error="retry after 60",
        error_type="rate_limited",
    ),
    "429 that never ends": Case(
        {"mode": "rate_limit", "reset_ms": 300},
        error="(HTTP 429) (tried 4 times); retry after",
        error_type="rate_limited",
    ),
    "429 without headers, twice": Case({"mode": "rate_limit_no_headers", "times": 2}),
    "500, twice": Case({"mode": "server_error", "status": 500, "times": 2}),
    "503 once": Case({"mode": "server_error", "status": 503, "times": 1}, tool="list_order_messages"),
    "502 HTML that never ends": Case(
        {"mode": "server_error", "status": 502}, error="unavailable (HTTP 502); retry later", error_type="unavailable"
    ),
    "HTML page with 200": Case({"mode": "html_200"}, error="not JSON (text/html)", error_type="invalid_response"),
    "empty 200 for an order": Case({"mode": "empty_200"}, error="without an order", error_type="invalid_response"),
    "empty 200 for messages": Case({"mode": "empty_200"}, tool="list_order_messages"),
    "truncated JSON": Case({"mode": "truncated_json"}, error="not JSON", error_type="invalid_response"),
    "v3 error object": Case({"mode": "v3_error"}, error="HTTP 422). BigCommerce said: Missing Required Fields"),
    "stall past the timeout": Case(
        {"mode": "stall", "seconds": 5}, error="did not answer within 1 second; retry later (tried"
    ),
    "stall once": Case({"mode": "stall", "seconds": 5, "times": 1}),
    "wrong token": Case({"mode": "wrong_token"}, error="HTTP 401", error_type="unauthorized"),
    "missing scope": Case({"mode": "missing_scope"}, error="store_v2_orders_read_only", error_type="forbidden"),
    "dropped connection once": Case({"mode": "drop_connection", "times": 1}),
    "dropped connections": Case({"mode": "drop_connection"}, error="Could not reach BigCommerce (ReadError)"),
}
CASES["messages of the order"] = Case({"mode": "latency", "ms": 10}, tool="list_order_messages", args={"order_id": 181})


@asynccontextmanager
async def session(url: str) -> AsyncIterator[Client]:
    async with Client(url) as client:
        yield client


@pytest.mark.parametrize("name", list(CASES))
async def test_fault(name: str, sandbox: str, server: tuple[str, Path]) -> None:
    case = CASES[name]
    url, log = server
    set_fault(sandbox, **case.fault)
    try:
        async with session(url) as client:
            with anyio.fail_after(30):
                result = await client.call_tool(case.tool, case.args)
            text = result.content[0].text  # type: ignore[union-attr]
            if case.error is None:
                assert not result.is_error, text
            else:
                assert result.is_error
                assert case.error in text, text
                if case.error_type:
                    assert result.structured_content is not None
                    assert result.structured_content["error"]["type"] == case.error_type
            set_fault(sandbox)
            # Nothing is lost: the next call on the same session works.
            after = await client.call_tool("get_order", {"order_id": 218})
            assert not after.is_error
    finally:
        set_fault(sandbox)
    assert TOKEN not in log.read_text()


async def test_quota_is_respected_without_errors(sandbox: str, server: tuple[str, Path]) -> None:
    set_fault(sandbox, mode="quota", quota=4, window_ms=1500)
    try:
        async with session(server[0]) as client:
            with anyio.fail_after(30):
                results = [await client.call_tool("get_order", {"order_id": 218}) for _ in range(10)]
        assert not any(result.is_error for result in results)
    finally:
        set_fault(sandbox)


async def test_a_client_that_leaves_mid_call_does_not_hurt_the_next(sandbox: str, server: tuple[str, Path]) -> None:
    url, _ = server
    set_fault(sandbox, mode="stall", seconds=3)
    try:
        async with session(url) as client:
            with anyio.move_on_after(0.5):
                await client.call_tool("get_order", {"order_id": 218})
    finally:
        set_fault(sandbox)
    async with session(url) as client:
        with anyio.fail_after(10):
            result = await client.call_tool("get_order", {"order_id": 181})
    assert not result.is_error


async def test_hundreds_of_concurrent_calls_all_answered_correctly(sandbox: str, server: tuple[str, Path]) -> None:
    from server.sandbox import build_store

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
        async with session(server[0]) as client, anyio.create_task_group() as tg:
            for call_no in range(60):
                tg.start_soon(worker, client, session_no, call_no)

    set_fault(sandbox, mode="latency", ms=20)
    try:
        with anyio.fail_after(120):
            async with anyio.create_task_group() as tg:
                for session_no in range(5):
                    tg.start_soon(one_session, session_no)
    finally:
        set_fault(sandbox)
    assert len(answers) == 300
    for order_id, result in answers.values():
        assert not result.is_error, result.content
        data = result.structured_content
        assert data.get("id", data.get("order_id")) == order_id
        if "messages" in data:
            expected = [m["id"] for m in store.messages.get(order_id, [])][:5]
            assert [m["id"] for m in data["messages"]] == expected
