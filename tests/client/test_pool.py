"""The connection pools: connections spread over small pools that take turns."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client.pool import CONNECTIONS_PER_POOL, ShardedTransport
from tests.conftest import API

pytestmark = pytest.mark.anyio


async def test_connections_are_spread_over_small_pools(api: respx.MockRouter) -> None:
    transport = ShardedTransport(connections=4 * CONNECTIONS_PER_POOL - 1)
    assert len(transport.pools) == 4
    seen = []
    for pool in transport.pools:
        original = pool.handle_async_request

        async def counting(request: httpx.Request, pool: Any = pool, original: Any = original) -> httpx.Response:
            seen.append(pool)
            response: httpx.Response = await original(request)
            return response

        pool.handle_async_request = counting  # type: ignore[method-assign]
    api.get("/orders/1").respond(json={"id": 1})
    async with httpx.AsyncClient(transport=transport, base_url=API) as http:
        for _ in range(8):
            assert (await http.get("/orders/1")).json() == {"id": 1}
    assert seen == transport.pools * 2
