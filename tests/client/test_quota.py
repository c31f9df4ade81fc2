"""Local quota pacing: requests slow down before the store's quota runs out, absurd quota headers never stall
or crash, and a wait beyond the budget fails at once."""

from __future__ import annotations

import pytest
import respx

from bigcommerce_orders_mcp.client import MAX_RESET_SECONDS, BigCommerceClient, RateLimitedError, RetryPolicy
from tests.conftest import FakeTime, small

pytestmark = pytest.mark.anyio


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
