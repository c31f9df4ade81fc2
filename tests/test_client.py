"""The BigCommerce client on the wire: headers, bodies that lie, and every error status."""

from __future__ import annotations

import logging
from typing import Any

import anyio
import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import (
    USER_AGENT,
    AuthenticationError,
    BadRequestError,
    BigCommerceClient,
    BigCommerceError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryPolicy,
    UnavailableError,
)
from tests.conftest import API, TOKEN, FakeTime, fixture

pytestmark = pytest.mark.anyio


async def test_headers(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    route = api.get("/orders/1").respond(json={"id": 1})
    assert await bc_client.get("/orders/1") == {"id": 1}
    headers = route.calls.last.request.headers
    assert headers["X-Auth-Token"] == TOKEN
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize(
    ("response", "error", "text"),
    [
        (httpx.Response(200, text="<html>proxy</html>", headers={"Content-Type": "text/html"}), InvalidResponseError,
         "not JSON (text/html)"),
        (httpx.Response(200, text='{"id": 1, "sta'), InvalidResponseError, "not JSON"),
        (httpx.Response(401), AuthenticationError, "HTTP 401"),
        (httpx.Response(403, json=fixture("error.403.observed_thirdparty_scope.json")), PermissionDeniedError,
         "You don't have a required scope"),
        (httpx.Response(404, json=fixture("error.404.example_404_Resp.json")), NotFoundError, "HTTP 404"),
        (httpx.Response(422, json=fixture("error.422.example_v3_style_from_migration_doc.json")), BadRequestError,
         "Missing Required Fields name: Please provide a name."),
        (httpx.Response(413), BadRequestError, "HTTP 413"),
        (httpx.Response(502, text="<html>Bad gateway</html>"), UnavailableError, "HTTP 502"),
        (httpx.Response(429, headers={"X-Retry-After": "7"}), RateLimitedError, "(tried 4 times); retry after 7"),
        (httpx.Response(429), RateLimitedError, "(HTTP 429) (tried 4 times); retry after"),
    ],
)  # fmt: skip
async def test_error_statuses(
    api: respx.MockRouter, bc_client: BigCommerceClient, response: httpx.Response, error: type[Exception], text: str
) -> None:
    api.get("/orders/1").mock(return_value=response)
    with pytest.raises(error) as caught:
        await bc_client.get("/orders/1")
    assert text in str(caught.value)
    assert TOKEN not in str(caught.value)


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
        httpx.RemoteProtocolError("peer closed connection"),
    ],
)
async def test_transient_failures_are_retried(
    api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime, failure: Any
) -> None:
    route = api.get("/orders/1").mock(side_effect=[failure, failure, httpx.Response(200, json={"id": 1})])
    assert await bc_client.get("/orders/1") == {"id": 1}
    assert route.call_count == 3
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


async def test_slows_down_before_the_quota_runs_out(
    api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime
) -> None:
    quota = {"X-Rate-Limit-Requests-Quota": "150", "X-Rate-Limit-Time-Reset-Ms": "10000"}
    api.get("/plenty").respond(json={}, headers={**quota, "X-Rate-Limit-Requests-Left": "100"})
    api.get("/low").respond(json={}, headers={**quota, "X-Rate-Limit-Requests-Left": "3"})
    await bc_client.get("/plenty")
    await bc_client.get("/plenty")
    assert fake_time.sleeps == []
    await bc_client.get("/low")
    await bc_client.get("/low")
    # 3 left in the window: the 10 s that remain are spread over them instead of spending them at once.
    assert fake_time.sleeps == [pytest.approx(10 / 4)]


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


async def test_empty_answers_are_none(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    api.get("/a").respond(204)
    api.get("/b").respond(200, content=b"  ")
    assert await bc_client.get("/a") is None
    assert await bc_client.get("/b") is None


async def test_pool_closes_after_the_last_session(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    api.get("/orders/1").respond(json={"id": 1})
    async with bc_client.session(), bc_client.session():
        await bc_client.get("/orders/1")
        first = bc_client._http
        assert first is not None
    assert bc_client._http is None
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
                pools.add(id(bc_client._http))
    assert len(pools) == 1
    assert bc_client._http is None


async def test_token_is_not_logged(
    api: respx.MockRouter, bc_client: BigCommerceClient, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/1").respond(json={"id": 1})
    with caplog.at_level(logging.DEBUG):
        await bc_client.get("/orders/1")
    assert TOKEN not in caplog.text


async def test_connections_are_spread_over_small_pools(api: respx.MockRouter) -> None:
    from bigcommerce_orders_mcp.client.pool import CONNECTIONS_PER_POOL, ShardedTransport

    transport = ShardedTransport(connections=4 * CONNECTIONS_PER_POOL - 1)
    assert len(transport._pools) == 4
    seen = []
    for pool in transport._pools:
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
    assert seen == transport._pools * 2
