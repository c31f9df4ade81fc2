"""The store's quota shared through a real Redis (`BIGCOMMERCE_REDIS_URL`), and what happens when Redis fails.

Each `Replica` here stands for one server process: its own `SharedBudget`, owned by its `Stores` as the
server's composition root builds them, and a store's client paced through it. BigCommerce is mocked with
respx; the clock and sleeps are fake, so waits cost no time.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import anyio
import pytest
import respx
from redis.asyncio import Redis

from bigcommerce_orders_mcp.client import BigCommerceClient, LocalQuota, RateLimitedError, RetryPolicy
from bigcommerce_orders_mcp.client.shared_quota import CONNECTIONS, RETRY_INTERVAL, SharedBudget, redis_location
from bigcommerce_orders_mcp.stores import DEFAULT_NAME, Stores
from tests.conftest import API, TOKEN, FakeTime
from tests.processes import free_port, redis_server

pytestmark = pytest.mark.anyio

QUOTA = {"X-Rate-Limit-Requests-Quota": "100", "X-Rate-Limit-Time-Window-Ms": "30000"}


class Replica:
    """One server process: a store's client, and (with a Redis URL) the process's link to Redis it is paced by."""

    def __init__(self, fake_time: FakeTime, redis: str | None, store_hash: str, budget: float = 5) -> None:
        shared = SharedBudget(redis, clock=fake_time.clock) if redis else None
        self.client = BigCommerceClient(
            API,
            TOKEN,
            retry=RetryPolicy(max_retries=3, budget=budget),
            sleep=fake_time.sleep,
            clock=fake_time.clock,
            pacer=shared.pacer(store_hash) if shared is not None else None,
        )
        self.stores = Stores({DEFAULT_NAME: self.client}, DEFAULT_NAME, shared)

    def session(self) -> AbstractAsyncContextManager[Stores]:
        return self.stores.session()

    async def get(self, path: str) -> Any:
        return await self.client.get(path)


@pytest.mark.parametrize("shared", [True, False], ids=["redis", "alone"])
async def test_a_429_on_one_replica_holds_back_the_other(
    api: respx.MockRouter, fake_time: FakeTime, redis_url: str, shared: bool
) -> None:
    store = uuid.uuid4().hex[:12]
    route = api.get("/orders/218").respond(
        429, headers={**QUOTA, "X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "20000"}
    )
    first, second = (Replica(fake_time, redis_url if shared else None, store) for _ in range(2))
    async with first.session(), second.session():
        with pytest.raises(RateLimitedError):
            await first.get("/orders/218")
        with pytest.raises(RateLimitedError) as raised:
            await second.get("/orders/218")
    if shared:
        # The second replica knew, and failed at once without spending a request of the store's quota.
        assert route.call_count == 1
        # 20 s, and the tenth of a second of jitter the first replica added to its wait.
        assert re.search(r"used up for the next 20(\.1)? seconds", raised.value.message), raised.value.message
    else:
        assert route.call_count == 2


async def test_the_last_requests_of_a_window_are_handed_out_once(
    api: respx.MockRouter, fake_time: FakeTime, redis_url: str
) -> None:
    store = uuid.uuid4().hex[:12]
    api.get("/orders/count").respond(
        json={"count": 1}, headers={**QUOTA, "X-Rate-Limit-Requests-Left": "50", "X-Rate-Limit-Time-Reset-Ms": "20000"}
    )
    replicas = [SharedBudget(redis_url, clock=fake_time.clock) for _ in range(3)]
    client = BigCommerceClient(API, TOKEN, pacer=replicas[0].pacer(store), clock=fake_time.clock)
    async with replicas[0].session(), client.session():
        await client.get("/orders/count")  # 50 left of 100, reset in 20 s
    pacers = [budget.pacer(store, LocalQuota(fake_time.clock)) for budget in replicas]
    went: list[bool] = []

    async def take(n: int) -> None:
        # No time to wait: each either gets a request of the window now or is told how long to wait.
        went.append(await pacers[n % 3].acquire(0.0, fake_time.sleep) is None)

    async with anyio.create_task_group() as group:
        for n in range(60):
            group.start_soon(take, n)
    # Above the low-water mark (a tenth of the quota) they go at once; then one, the rest spread over the window.
    assert went.count(True) == 41
    for budget in replicas:
        await budget.aclose()


async def test_calls_go_on_through_a_redis_outage_with_one_warning_for_it(
    api: respx.MockRouter, fake_time: FakeTime, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "bigcommerce_orders_mcp")
    api.get("/orders/218").respond(
        json={"id": 218}, headers={**QUOTA, "X-Rate-Limit-Requests-Left": "90", "X-Rate-Limit-Time-Reset-Ms": "9000"}
    )
    port = free_port()
    with redis_server(tmp_path / "redis.log", port) as url:
        client = Replica(fake_time, url, "outage")
        async with client.session():
            assert await client.get("/orders/218") == {"id": 218}
    # Redis is gone.
    async with client.session():
        for _ in range(3):
            assert await client.get("/orders/218") == {"id": 218}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"Redis at 127.0.0.1:{port} did not answer (ConnectionError): each replica paces its own requests to "
        "BigCommerce until it does"
    ]
    with redis_server(tmp_path / "redis.log", port):
        fake_time.now += RETRY_INTERVAL
        async with client.session():
            assert await client.get("/orders/218") == {"id": 218}
    assert f"Redis at 127.0.0.1:{port} answers again" in caplog.text


async def test_the_redis_password_is_never_logged(
    api: respx.MockRouter, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api.get("/orders/218").respond(json={"id": 218})
    url = f"redis://:pw-SECRET-4411@127.0.0.1:{free_port()}/0"
    client = Replica(fake_time, url, "password")
    async with client.session():
        assert await client.get("/orders/218") == {"id": 218}
    assert "did not answer" in caplog.text
    assert "pw-SECRET-4411" not in caplog.text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:secret@cache.internal:6380/2", "cache.internal:6380"),
        ("rediss://user:secret@cache.internal/0", "cache.internal:6379"),
        ("unix:///run/redis.sock?db=1", "/run/redis.sock"),
    ],
)
def test_where_redis_is_is_said_without_credentials(url: str, shown: str) -> None:
    assert redis_location(url) == shown


async def test_one_link_to_redis_serves_every_store_and_is_closed_once_with_the_last_session(
    api: respx.MockRouter, fake_time: FakeTime, redis_url: str
) -> None:
    api.get("/orders/count").respond(json={"count": 1})
    budget = SharedBudget(redis_url, clock=fake_time.clock)
    names = [uuid.uuid4().hex[:12] for _ in range(2)]
    clients = {name: BigCommerceClient(API, TOKEN, pacer=budget.pacer(name), clock=fake_time.clock) for name in names}
    stores = Stores(clients, names[0], budget)

    async with Redis.from_url(redis_url) as observer:
        others = len(await observer.client_list())  # the observer's own, and any another test left

        async def links(expected: int) -> int:
            # Redis drops a closed connection from its list a moment after the close.
            for _ in range(50):
                count = len(await observer.client_list()) - others
                if count == expected:
                    break
                await anyio.sleep(0.02)
            return count

        async with stores.session():
            async with stores.session():  # an SSE connection, within the process-wide session
                for client in clients.values():
                    assert await client.get("/orders/count") == {"count": 1}
            assert await links(CONNECTIONS) == CONNECTIONS
        assert await links(0) == 0
