"""The client's front: what it sends, its requests in flight, how long its pool stays open, and readiness."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import USER_AGENT, BigCommerceClient, RetryPolicy
from bigcommerce_orders_mcp.probes import Readiness
from bigcommerce_orders_mcp.stores import Stores
from tests.conftest import API, TOKEN, FakeTime

pytestmark = pytest.mark.anyio


async def test_headers(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    route = api.get("/orders/1").respond(json={"id": 1})
    assert await bc_client.get("/orders/1") == {"id": 1}
    headers = route.calls.last.request.headers
    assert headers["X-Auth-Token"] == TOKEN
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == USER_AGENT


async def test_requests_in_flight_are_capped(api: respx.MockRouter) -> None:
    client = BigCommerceClient(API, TOKEN, max_concurrency=3)
    in_flight = peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await anyio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json={"id": int(request.url.path.rsplit("/", 1)[1])})

    api.get(path__regex=r"/orders/\d+").mock(side_effect=slow)
    results: dict[int, Any] = {}

    async def fetch(order_id: int) -> None:
        results[order_id] = await client.get(f"/orders/{order_id}")

    async with anyio.create_task_group() as tg:
        for order_id in range(1, 31):
            tg.start_soon(fetch, order_id)
    assert peak == 3
    assert results == {i: {"id": i} for i in range(1, 31)}
    await client.aclose()


async def test_pool_closes_after_the_last_session(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    api.get("/orders/1").respond(json={"id": 1})
    async with bc_client.session(), bc_client.session():
        await bc_client.get("/orders/1")
        first = bc_client.http_client()
        assert bc_client.pool_is_open
    assert not bc_client.pool_is_open
    assert first.is_closed
    await bc_client.get("/orders/1")  # a later call opens a new pool
    await bc_client.aclose()


async def test_a_process_wide_session_keeps_one_pool_across_connections(
    api: respx.MockRouter, bc_client: BigCommerceClient
) -> None:
    api.get("/orders/1").respond(json={"id": 1})
    pools = set()
    async with bc_client.session():
        for _ in range(3):  # three SSE connections, one after another
            async with bc_client.session():
                await bc_client.get("/orders/1")
                pools.add(id(bc_client.http_client()))
    assert len(pools) == 1
    assert not bc_client.pool_is_open


async def test_readiness_asks_the_store_at_most_once_an_interval(api: respx.MockRouter, fake_time: FakeTime) -> None:
    count = api.get("/orders/count").respond(json={"count": 1})
    client = BigCommerceClient(
        API, TOKEN, retry=RetryPolicy(max_retries=3, budget=5), sleep=fake_time.sleep, clock=fake_time.clock
    )
    readiness = Readiness(Stores.single(client), interval=5, clock=fake_time.clock)
    async with client.session():
        assert all([await readiness.check() for _ in range(3)])
        assert count.call_count == 1
        fake_time.now += 5
        await client.get("/orders/count")  # a call's answer is proof enough for the next check
        assert await readiness.check()
        assert count.call_count == 2
        fake_time.now += 10
        count.respond(401)
        assert not await readiness.check()
        assert count.call_count == 3
