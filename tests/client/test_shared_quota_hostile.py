"""What the shared quota reads from Redis is believed for MAX_RESET_SECONDS at most, and every key it writes
expires (issue 18, item 4): a hash written by hand, by a broken replica or by another program never blocks calls
for longer than one window, and is gone once nobody writes to it.

Redis keeps its own clock (the scripts ask it for TIME), so the passing of time is shown by moving every time in
the hash back by a minute instead of waiting one.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import respx
from redis.asyncio import Redis

from bigcommerce_orders_mcp.client import MAX_RESET_SECONDS, BigCommerceClient, LocalQuota, RetryPolicy
from bigcommerce_orders_mcp.client.shared_quota import (
    COMMAND_TIMEOUT,
    CONNECT_TIMEOUT,
    KEY_PREFIX,
    SharedBudget,
    SharedQuota,
)
from tests.conftest import API, TOKEN, FakeTime
from tests.processes import redis_server

pytestmark = pytest.mark.anyio

MINUTE_MS = round(MAX_RESET_SECONDS * 1000)
TIMES = ("reset_at", "blocked_until", "next_at", "probe_until")
QUOTA = {"X-Rate-Limit-Requests-Quota": "100", "X-Rate-Limit-Time-Window-Ms": "30000"}


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    async with Redis.from_url(redis_url, decode_responses=True) as client:
        yield client


@pytest.fixture
async def budget(redis_url: str, fake_time: FakeTime) -> AsyncIterator[SharedBudget]:
    shared = SharedBudget(redis_url, clock=fake_time.clock)
    async with shared.session():
        yield shared


async def redis_now_ms(redis: Redis) -> int:
    seconds, micros = await redis.time()
    return int(seconds) * 1000 + int(micros) // 1000


async def a_minute_later(redis: Redis, key: str) -> None:
    """What a minute does to the hash: every time in it a minute further in the past."""
    for field in TIMES:
        value = await redis.hget(key, field)
        if value is not None:
            await redis.hset(key, field, str(float(value) - MINUTE_MS - 1000))


async def assert_bounded_and_expiring(redis: Redis, key: str) -> None:
    """Every time the hash holds is at most a minute ahead of Redis's clock, and the key expires."""
    now = await redis_now_ms(redis)
    for field in TIMES:
        value = await redis.hget(key, field)
        if value is not None:
            assert float(value) <= now + MINUTE_MS, (field, value)
    ttl = await redis.pttl(key)
    assert 0 < ttl <= 5 * MINUTE_MS, ttl


@dataclass(frozen=True)
class Ahead:
    """A time this many ms after Redis's now, filled in by `hostile_state`."""

    ms: float


async def hostile_state(redis: Redis, key: str, fields: dict[str, Any]) -> None:
    now = await redis_now_ms(redis)
    for name, value in fields.items():
        await redis.hset(key, name, str(now + value.ms) if isinstance(value, Ahead) else str(value))
    assert await redis.pttl(key) == -1  # no expiry, as a hand-written key would have


HOSTILE_STATES: dict[str, dict[str, Any]] = {
    "blocked a day ahead": {"blocked_until": Ahead(86_400_000)},
    "blocked at 1e300": {"blocked_until": 1e300},
    "blocked at inf": {"blocked_until": "inf", "left": 50, "reset_at": Ahead(1000), "quota": 100},
    "none left, reset an hour ahead": {"left": 0, "reset_at": Ahead(3_600_000), "quota": 100, "window": 30000},
    "minus five left, reset at 9e15, no quota": {"left": -5, "reset_at": 9e15},
    "one left, next in a week": {"left": 1, "reset_at": Ahead(10_000), "quota": 100, "next_at": Ahead(604_800_000)},
    "a window of 10^15 ms": {"left": 0, "reset_at": 0, "quota": 1, "window": 1e15},
    "probing for an hour": {"probe_until": Ahead(3_600_000)},
    "probing at 2^53": {"probe_until": 2**53, "reset_at": "never"},
    "not numbers": {"left": "many", "reset_at": "soon", "blocked_until": "nan", "next_at": "0x1p999", "quota": "-nan"},
    "far in the past": {"left": -(10**18), "reset_at": -1e300, "blocked_until": "-inf", "quota": 100},
}


@pytest.mark.parametrize("fields", HOSTILE_STATES.values(), ids=HOSTILE_STATES)
async def test_a_hostile_hash_holds_calls_back_a_minute_at_most_and_expires(
    redis: Redis, budget: SharedBudget, fake_time: FakeTime, fields: dict[str, Any]
) -> None:
    key_name = uuid.uuid4().hex[:12]
    key = KEY_PREFIX + key_name
    await hostile_state(redis, key, fields)
    pacer = budget.pacer(key_name, LocalQuota(fake_time.clock))
    # No time to wait: the pacer says how long it would have to.
    wait = await pacer.acquire(0.0, fake_time.sleep)
    assert wait is None or 0 < wait <= MAX_RESET_SECONDS
    await assert_bounded_and_expiring(redis, key)
    await a_minute_later(redis, key)
    assert await pacer.acquire(0.0, fake_time.sleep) is None
    await assert_bounded_and_expiring(redis, key)


async def test_a_call_against_a_hash_blocked_for_ever_waits_out_a_minute_at_most(
    api: respx.MockRouter, redis: Redis, budget: SharedBudget, fake_time: FakeTime
) -> None:
    api.get("/orders/218").respond(json={"id": 218})
    key_name = uuid.uuid4().hex[:12]
    await hostile_state(redis, KEY_PREFIX + key_name, {"blocked_until": Ahead(10**13), "left": -1, "reset_at": 9e18})
    # The call sleeps what the hash is believed to block, then goes. Redis's clock does not move with the fake
    # one, so each sleep moves the hash's times back instead: what the call waits is what the scripts answered.
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        await fake_time.sleep(seconds)
        await a_minute_later(redis, KEY_PREFIX + key_name)

    client = BigCommerceClient(
        API,
        TOKEN,
        retry=RetryPolicy(max_retries=3, budget=2 * MAX_RESET_SECONDS),
        sleep=sleep,
        clock=fake_time.clock,
        pacer=budget.pacer(key_name, LocalQuota(fake_time.clock)),
    )
    assert await client.get("/orders/218") == {"id": 218}
    assert 0 < sum(waited) <= MAX_RESET_SECONDS


@pytest.mark.parametrize(
    "write",
    [
        lambda r, k: r.set(k, "blocked"),
        lambda r, k: r.rpush(k, "blocked_until", "9e99"),
        lambda r, k: r.sadd(k, "left"),
        lambda r, k: r.zadd(k, {"reset_at": 1e18}),
    ],
    ids=["string", "list", "set", "sorted set"],
)
async def test_a_key_of_another_type_is_replaced_without_an_outage(
    api: respx.MockRouter,
    redis: Redis,
    budget: SharedBudget,
    fake_time: FakeTime,
    caplog: pytest.LogCaptureFixture,
    write: Any,
) -> None:
    caplog.set_level(logging.INFO, "bigcommerce_orders_mcp")
    api.get("/orders/218").respond(
        json={"id": 218}, headers={**QUOTA, "X-Rate-Limit-Requests-Left": "90", "X-Rate-Limit-Time-Reset-Ms": "9000"}
    )
    key_name = uuid.uuid4().hex[:12]
    key = KEY_PREFIX + key_name
    await write(redis, key)
    client = BigCommerceClient(API, TOKEN, sleep=fake_time.sleep, clock=fake_time.clock, pacer=budget.pacer(key_name))
    for _ in range(2):
        assert await client.get("/orders/218") == {"id": 218}
    # Not taken for Redis failing: the store's quota is still shared, in a hash of its own.
    assert "did not answer" not in caplog.text
    assert await redis.type(key) == "hash"
    assert await redis.hget(key, "left") == "89"  # 90 reported; one taken since
    await assert_bounded_and_expiring(redis, key)


async def test_every_script_leaves_the_key_expiring(redis: Redis, budget: SharedBudget, fake_time: FakeTime) -> None:
    headers = {
        "fresh window": httpx.Headers({**QUOTA, "X-Rate-Limit-Requests-Left": "9", "X-Rate-Limit-Time-Reset-Ms": "9"}),
        "no quota headers": httpx.Headers(),
    }
    steps: dict[str, Any] = {
        "reserve": lambda pacer: pacer.acquire(0.0, fake_time.sleep),
        "back off for 10^9 s": lambda pacer: pacer.back_off(1e9),
        **{f"observe {name}": (lambda pacer, h=h: pacer.observe(h)) for name, h in headers.items()},
    }
    # Each state sends the scripts down another path, early returns among them.
    states: list[dict[str, Any]] = [
        {"blocked_until": Ahead(10**12)},
        {"probe_until": Ahead(500)},
        {"left": 5, "reset_at": Ahead(50_000), "quota": 100, "window": 30000},  # observe: an older window's answer
        {"quota": "junk"},
    ]
    for step_name, step in steps.items():
        for fields in states:
            key_name = uuid.uuid4().hex[:12]
            await hostile_state(redis, KEY_PREFIX + key_name, fields)
            await step(budget.pacer(key_name, LocalQuota(fake_time.clock)))
            ttl = await redis.pttl(KEY_PREFIX + key_name)
            assert 0 < ttl <= 5 * MINUTE_MS, (step_name, fields, ttl)
            await assert_bounded_and_expiring(redis, KEY_PREFIX + key_name)


class Unbounded(SharedBudget):
    """A Redis whose scripts answer any wait at all, as an older replica's might."""

    def __init__(self, wait_ms: int) -> None:
        super().__init__("redis://127.0.0.1:1/0")
        self.wait_ms = wait_ms

    async def run(self, source: str, key: str, *args: str | int) -> int | None:
        return self.wait_ms


@pytest.mark.parametrize("wait_ms", [MINUTE_MS + 1, 10**15])
async def test_a_wait_answered_by_redis_is_believed_for_a_minute_at_most(fake_time: FakeTime, wait_ms: int) -> None:
    pacer = SharedQuota(Unbounded(wait_ms), KEY_PREFIX + "unbounded", LocalQuota(fake_time.clock))
    wait = await pacer.acquire(0.0, fake_time.sleep)
    assert wait is not None
    assert math.isfinite(wait)
    assert wait <= MAX_RESET_SECONDS


async def test_calls_go_on_while_redis_is_too_slow_to_answer(
    api: respx.MockRouter, fake_time: FakeTime, tmp_path: Path
) -> None:
    api.get("/orders/218").respond(json={"id": 218})
    with redis_server(tmp_path / "redis.log") as url:
        async with Redis.from_url(url) as observer:
            budget = SharedBudget(url, clock=fake_time.clock)
            client = BigCommerceClient(API, TOKEN, clock=fake_time.clock, pacer=budget.pacer("slow"))
            async with budget.session():
                # Every other client's commands wait until the pause ends: Redis there but not answering.
                one_wait = CONNECT_TIMEOUT + COMMAND_TIMEOUT
                await observer.client_pause(round((one_wait + 3) * 1000), all=True)
                started = time.monotonic()
                with anyio.fail_after(one_wait + 2):
                    for _ in range(3):
                        assert await client.get("/orders/218") == {"id": 218}
                # One call waits out the command timeouts; the others pace locally at once.
                assert time.monotonic() - started < one_wait + 1
