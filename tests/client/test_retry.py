"""The retry policy: what is retried, how long between tries (a finite Retry-After), and the error once they are
spent."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import (
    MAX_RESET_SECONDS,
    BigCommerceClient,
    BigCommerceError,
    RateLimitedError,
    RetryPolicy,
    UnavailableError,
)
from tests.conftest import API, TOKEN, FakeTime, small

pytestmark = pytest.mark.anyio


async def test_rate_limit_waits_the_longer_of_the_two_headers_then_succeeds(
    api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime
) -> None:
    limited = httpx.Response(429, headers={"X-Rate-Limit-Time-Reset-Ms": "1500", "X-Retry-After": "4"})
    route = api.get("/orders/1").mock(side_effect=[limited, httpx.Response(200, json={"id": 1})])
    assert await bc_client.get("/orders/1") == {"id": 1}
    assert route.call_count == 2
    assert 4 <= fake_time.sleeps[0] <= 4.2


async def test_repeated_429s_back_off_further(
    api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime
) -> None:
    limited = httpx.Response(429, headers={"X-Rate-Limit-Time-Reset-Ms": "100"})
    route = api.get("/orders/1").mock(side_effect=[limited, limited, limited, httpx.Response(200, json={"id": 1})])
    assert await bc_client.get("/orders/1") == {"id": 1}
    assert route.call_count == 4
    assert fake_time.sleeps[2] > fake_time.sleeps[0]


async def test_rate_limit_longer_than_the_budget_fails_at_once_with_when_to_retry(
    api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime
) -> None:
    route = api.get("/orders/1").respond(429, headers={"X-Rate-Limit-Time-Reset-Ms": "45000"})
    with pytest.raises(RateLimitedError) as caught:
        await bc_client.get("/orders/1")
    assert route.call_count == 1
    assert fake_time.sleeps == []
    assert caught.value.retry_after is not None
    assert 45 <= caught.value.retry_after <= 46
    assert "retry after 45" in str(caught.value)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, json=[{"status": 500, "message": "Internal Server Error"}]),
        httpx.Response(502, text="<html>Bad gateway</html>", headers={"Content-Type": "text/html"}),
        httpx.Response(503),
        httpx.Response(504),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
    ],
)
async def test_transient_failures_are_retried(
    api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime, failure: Any
) -> None:
    route = api.get("/orders/1").mock(side_effect=[failure, failure, httpx.Response(200, json={"id": 1})])
    assert await bc_client.get("/orders/1") == {"id": 1}
    assert route.call_count == 3
    assert len(fake_time.sleeps) == 2


@pytest.mark.parametrize(
    "closed", [httpx.RemoteProtocolError("Server disconnected"), httpx.ReadError(""), httpx.WriteError("")]
)
async def test_a_connection_closed_in_the_pool_is_sent_again_at_once(
    api: respx.MockRouter, fake_time: FakeTime, closed: Exception
) -> None:
    # Even with retries off: the server dropped a kept-alive connection, nothing was answered.
    client = BigCommerceClient(API, TOKEN, retry=RetryPolicy(max_retries=0), sleep=fake_time.sleep)
    route = api.get("/orders/1").mock(side_effect=[closed, httpx.Response(200, json={"id": 1})])
    assert await client.get("/orders/1") == {"id": 1}
    assert route.call_count == 2
    assert fake_time.sleeps == []


async def test_a_connection_that_keeps_closing_is_retried_with_back_off(
    api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime
) -> None:
    closed = httpx.RemoteProtocolError("peer closed connection")
    route = api.get("/orders/1").mock(side_effect=[closed] * 4 + [httpx.Response(200, json={"id": 1})])
    assert await bc_client.get("/orders/1") == {"id": 1}
    # Each attempt sends twice (once again at once), and the attempts are the retry policy's.
    assert route.call_count == 5
    assert len(fake_time.sleeps) == 2


async def test_retries_are_bounded(api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime) -> None:
    route = api.get("/orders/1").respond(503)
    with pytest.raises(UnavailableError) as caught:
        await bc_client.get("/orders/1")
    assert route.call_count == 4
    assert "(tried 4 times)" in str(caught.value)
    assert all(0 < wait <= 8 for wait in fake_time.sleeps)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422, 501])
async def test_client_errors_are_not_retried(api: respx.MockRouter, bc_client: BigCommerceClient, status: int) -> None:
    route = api.get("/orders/1").respond(status)
    with pytest.raises(BigCommerceError):
        await bc_client.get("/orders/1")
    assert route.call_count == 1


async def test_no_retries_when_disabled(api: respx.MockRouter, fake_time: FakeTime) -> None:
    client = BigCommerceClient(API, TOKEN, retry=RetryPolicy(max_retries=0), sleep=fake_time.sleep)
    route = api.get("/orders/1").respond(500)
    with pytest.raises(UnavailableError):
        await client.get("/orders/1")
    assert route.call_count == 1


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
