"""Transport and bounded reading: an answer too big or too slow ends as one clear error and frees its slot,
and a whole call, retries included, ends within its deadline."""

from __future__ import annotations

import gzip
import time
from collections.abc import AsyncIterator

import anyio
import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import InvalidResponseError, RetryPolicy, UnavailableError
from tests.conftest import MB, FakeTime, small

pytestmark = pytest.mark.anyio


class Trickle(httpx.AsyncByteStream):
    """A body sent one byte at a time, `gap` seconds apart, `count` bytes in all."""

    def __init__(self, gap: float, count: int = 10_000) -> None:
        self.gap, self.count = gap, count

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            await anyio.sleep(self.gap)
            yield b" "


class Endless(httpx.AsyncByteStream):
    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunk = b" " * 65536
        while True:
            yield chunk


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b" " * (2 * MB) + b"[]"),
        httpx.Response(200, stream=Endless()),
        httpx.Response(200, content=gzip.compress(b"0" * (8 * MB)), headers={"Content-Encoding": "gzip"}),
        httpx.Response(200, headers={"Content-Length": str(10**12)}, stream=Endless()),
    ],
    ids=["huge", "endless", "gzip bomb", "declared huge"],
)
async def test_an_answer_over_the_size_cap_is_one_clear_error(
    api: respx.MockRouter, fake_time: FakeTime, response: httpx.Response
) -> None:
    route = api.get("/orders/1").mock(return_value=response)
    with anyio.fail_after(5), pytest.raises(InvalidResponseError) as caught:
        await small(fake_time).get("/orders/1")
    assert str(caught.value).startswith("BigCommerce's answer was larger than 1 MB, more than any order")
    assert route.call_count == 1  # not retried: the same request gets the same answer


async def test_a_trickling_answer_ends_at_the_timeout_and_frees_its_slot(api: respx.MockRouter) -> None:
    api.get("/orders/1").mock(return_value=httpx.Response(200, stream=Trickle(0.02)))
    api.get("/orders/2").respond(json={"id": 2})
    client = small(timeout=0.3, max_concurrency=1, retry=RetryPolicy(max_retries=0))
    started = time.monotonic()
    answered: list[float] = []

    async def normal() -> None:
        await anyio.sleep(0.05)  # after the trickle has taken the only slot
        assert await client.get("/orders/2") == {"id": 2}
        answered.append(time.monotonic() - started)

    with anyio.fail_after(3):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(normal)
            with pytest.raises(UnavailableError, match=r"did not finish answering within 0\.3 seconds"):
                await client.get("/orders/1")
    # Without the timeout the trickle never ends; a second and a half of slack is for a loaded machine.
    assert time.monotonic() - started < 0.3 + 1.5
    assert answered
    assert answered[0] < 0.3 + 1.5


async def test_a_whole_call_ends_within_timeout_plus_budget(api: respx.MockRouter) -> None:
    route = api.get("/orders/1").mock(side_effect=lambda request: httpx.Response(200, stream=Trickle(0.02)))
    client = small(timeout=0.2, retry=RetryPolicy(max_retries=10, budget=0.3, base_delay=0.01, max_delay=0.01))
    started = time.monotonic()
    with anyio.fail_after(3), pytest.raises(UnavailableError, match="did not finish answering within"):
        await client.get("/orders/1")
    # The deadline, with a second of slack for a loaded machine: ten retries of 0.2 seconds each would run past it.
    assert time.monotonic() - started < client.call_deadline + 1.0
    assert route.call_count >= 2  # the budget was spent on retries, each bounded
