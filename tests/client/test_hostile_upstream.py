"""The client against an upstream that means harm: every answer is bounded in bytes and time, every error
is one true sentence, and no error or log line carries the access token (issue 10)."""

from __future__ import annotations

import gzip
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import (
    MAX_RESET_SECONDS,
    BigCommerceError,
    InvalidResponseError,
    RateLimitedError,
    RetryPolicy,
    UnavailableError,
)
from tests.conftest import ECHOES, MB, TOKEN, FakeTime, small

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


# 1. Bounded bytes and time.


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
    assert time.monotonic() - started < 1.0
    assert answered
    assert answered[0] < 1.0


async def test_a_whole_call_ends_within_timeout_plus_budget(api: respx.MockRouter) -> None:
    route = api.get("/orders/1").mock(side_effect=lambda request: httpx.Response(200, stream=Trickle(0.02)))
    client = small(timeout=0.2, retry=RetryPolicy(max_retries=10, budget=0.3, base_delay=0.01, max_delay=0.01))
    started = time.monotonic()
    with anyio.fail_after(3), pytest.raises(UnavailableError, match="did not finish answering within"):
        await client.get("/orders/1")
    assert time.monotonic() - started < client.call_deadline + 0.3
    assert route.call_count >= 2  # the budget was spent on retries, each bounded


# 2. No token in any error or log line; error details redacted.


@pytest.mark.parametrize("status", [400, 403, 422, 500])
@pytest.mark.parametrize("body", ECHOES, ids=["v2 array", "v3 object", "at the cut"])
async def test_the_token_in_an_error_body_reaches_no_error_or_log(
    api: respx.MockRouter, fake_time: FakeTime, caplog: pytest.LogCaptureFixture, status: int, body: Any
) -> None:
    api.get("/orders/1").respond(status, json=body)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(BigCommerceError) as caught:
        await small(fake_time).get("/orders/1")
    text = str(caught.value)
    assert f"HTTP {status}" in text
    assert TOKEN not in text
    assert TOKEN[:8] not in text
    assert all(TOKEN[:8] not in record.getMessage() for record in caplog.records)
    assert TOKEN[:8] not in caplog.text


async def test_the_log_filter_scrubs_registered_tokens_from_any_record(caplog: pytest.LogCaptureFixture) -> None:
    small()  # registers TOKEN
    logger = logging.getLogger("bigcommerce_orders_mcp")
    caplog.set_level(logging.DEBUG)
    logger.debug("sent %s", TOKEN)
    try:
        raise ValueError(f"token {TOKEN}")
    except ValueError:
        logger.exception("failed")
    assert "sent [secret]" in caplog.text
    assert TOKEN not in caplog.text


async def test_error_details_are_redacted_when_redaction_is_on(api: respx.MockRouter, fake_time: FakeTime) -> None:
    api.get("/orders/1").respond(400, json=[{"message": "jane.doe@example.com or +1 555-010-7890 is not allowed"}])
    with pytest.raises(BigCommerceError) as caught:
        await small(fake_time, redact_pii=True).get("/orders/1")
    text = str(caught.value)
    assert "jane.doe@example.com" not in text
    assert "555-010" not in text
    assert "j***@e***.com" in text


# 3. Quota headers cannot poison pacing, and a wait beyond the budget fails at once.


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "1e15"},
        {"X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "inf"},
        {"X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "nan"},
        {"X-Rate-Limit-Requests-Left": "nan", "X-Rate-Limit-Time-Reset-Ms": "1000"},
        {"X-Rate-Limit-Requests-Left": "inf", "X-Rate-Limit-Time-Reset-Ms": "1000"},
        {"X-Rate-Limit-Requests-Left": "-5", "X-Rate-Limit-Time-Reset-Ms": "-5"},
        {"X-Rate-Limit-Requests-Left": "1", "X-Rate-Limit-Time-Reset-Ms": "1000", "X-Rate-Limit-Requests-Quota": "inf"},
    ],
    ids=["reset 1e15", "reset inf", "reset nan", "left nan", "left inf", "negative", "quota inf"],
)
async def test_absurd_quota_headers_never_stall_or_crash(
    api: respx.MockRouter, fake_time: FakeTime, headers: dict[str, str]
) -> None:
    route = api.get("/orders/1").respond(json={"id": 1}, headers=headers)
    client = small(fake_time, retry=RetryPolicy(budget=30))
    assert await client.get("/orders/1") == {"id": 1}
    retry_after: list[float | None] = []
    try:
        await client.get("/orders/1")
    except RateLimitedError as exc:
        # A reset can be believed for one quota window at most, and is then said at once.
        retry_after.append(exc.retry_after)
    if retry_after:
        assert retry_after[0] is not None
        assert 0 < retry_after[0] <= MAX_RESET_SECONDS
        assert route.call_count == 1
    assert sum(fake_time.sleeps) <= 1.0  # never the 30 s budget
    fake_time.now += MAX_RESET_SECONDS
    assert await client.get("/orders/1") == {"id": 1}


async def test_a_quota_wait_beyond_the_budget_fails_at_once(api: respx.MockRouter, fake_time: FakeTime) -> None:
    route = api.get("/orders/1").respond(
        json={"id": 1}, headers={"X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "20000"}
    )
    client = small(fake_time, retry=RetryPolicy(budget=5))
    await client.get("/orders/1")
    with pytest.raises(RateLimitedError) as caught:
        await client.get("/orders/1")
    assert route.call_count == 1  # nothing sent that was certain to get a 429
    assert fake_time.sleeps == []
    assert caught.value.retry_after == 20
    assert "retry after 20 seconds" in str(caught.value)


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "-1"])
async def test_retry_after_is_always_finite_and_sane(api: respx.MockRouter, fake_time: FakeTime, value: str) -> None:
    api.get("/orders/1").respond(429, headers={"X-Retry-After": value, "X-Rate-Limit-Time-Reset-Ms": value})
    with pytest.raises(RateLimitedError) as caught:
        await small(fake_time).get("/orders/1")
    retry_after = caught.value.retry_after
    assert retry_after is not None
    assert 0 < retry_after <= MAX_RESET_SECONDS
    assert "inf" not in str(caught.value)
    assert "nan" not in str(caught.value)


# 4. Odd bodies are said as what they are.


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply to read"),
        (b"[" * 500 + b"]" * 500, "JSON nested too deeply to read"),
        (b'{"id": 1e999}', "a number too large to read"),
        (b'{"id": NaN}', "a number too large to read"),
        (b'{"id": Infinity}', "a number too large to read"),
        (b'{"id": ' + b"9" * 5000 + b"}", "a number too large to read"),
    ],
    ids=["deep, past recursion", "deep, parseable", "1e999", "NaN", "Infinity", "5000 digits"],
)
async def test_odd_json_is_one_true_sentence(
    api: respx.MockRouter, fake_time: FakeTime, content: bytes, text: str
) -> None:
    api.get("/orders/1").respond(200, content=content, headers={"Content-Type": "application/json"})
    with pytest.raises(InvalidResponseError, match=text):
        await small(fake_time).get("/orders/1")


# 5. Redirects.


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_a_redirect_is_said_as_one(api: respx.MockRouter, fake_time: FakeTime, status: int) -> None:
    api.get("/orders/1").respond(status, headers={"Location": "https://elsewhere.example/orders/1"})
    with pytest.raises(InvalidResponseError) as caught:
        await small(fake_time).get("/orders/1")
    assert str(caught.value) == (
        f"BigCommerce answered with a redirect (HTTP {status}) to another address; check BIGCOMMERCE_API_URL."
    )
