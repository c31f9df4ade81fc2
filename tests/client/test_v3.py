"""Orders v3 through the same client: its root beside v2's, its envelope returned whole, both error shapes."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import (
    BadRequestError,
    BigCommerceClient,
    BigCommerceError,
    PermissionDeniedError,
    UnavailableError,
    recording,
)
from tests.conftest import API, TOKEN, FakeTime

pytestmark = pytest.mark.anyio

V3 = API.removesuffix("/v2") + "/v3"
ENVELOPE = {"data": [{"id": 1, "order_id": 218}], "meta": {}}


@pytest.fixture
def v3() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=V3, assert_all_called=False) as router:
        yield router


def test_the_v3_root_is_the_v2_root_with_v3_at_its_end() -> None:
    assert BigCommerceClient(API, TOKEN).v3_url == V3
    assert BigCommerceClient(API + "/", TOKEN).v3_url == V3
    sandbox = BigCommerceClient("http://sandbox.invalid/stores/sandbox/v2", TOKEN)
    assert sandbox.v3_url == "http://sandbox.invalid/stores/sandbox/v3"


async def test_v3_answers_whole_with_its_envelope(v3: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    route = v3.get("/orders/218/payment_actions/refunds").respond(json=ENVELOPE)
    body = await bc_client.get("/orders/218/payment_actions/refunds", {"limit": "5"}, api="v3")
    assert body == ENVELOPE
    request = route.calls.last.request
    assert str(request.url) == V3 + "/orders/218/payment_actions/refunds?limit=5"
    assert request.headers["X-Auth-Token"] == TOKEN


async def test_v2_and_v3_share_one_pool(
    api: respx.MockRouter, v3: respx.MockRouter, bc_client: BigCommerceClient
) -> None:
    api.get("/orders/218").respond(json={"id": 218})
    v3.get("/orders/218/transactions").respond(json={"data": []})
    async with bc_client.session():
        await bc_client.get("/orders/218")
        pool = bc_client.http_client()
        assert await bc_client.get("/orders/218/transactions", api="v3") == {"data": []}
        assert bc_client.http_client() is pool


@pytest.mark.parametrize("status", [204, 200])
async def test_no_content_is_none(v3: respx.MockRouter, bc_client: BigCommerceClient, status: int) -> None:
    v3.get("/orders/1/transactions").respond(status, content=b"")
    assert await bc_client.get("/orders/1/transactions", api="v3") is None


async def test_a_v3_error_object_is_quoted_and_scrubbed(v3: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    problem = {"status": 403, "title": f"You don't have a required scope ({TOKEN})", "type": "https://x", "errors": {}}
    v3.get("/orders/1/transactions").respond(403, json=problem)
    with pytest.raises(PermissionDeniedError) as caught:
        await bc_client.get("/orders/1/transactions", api="v3")
    assert "You don't have a required scope" in caught.value.message
    assert TOKEN not in caught.value.message
    assert caught.value.status_code == 403


async def test_a_v3_errors_object_is_quoted(v3: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    problem = {"status": 422, "title": "Invalid filter", "type": "https://x", "errors": {"created:min": "not a date"}}
    v3.get("/orders/payment_actions/refunds").respond(422, json=problem)
    with pytest.raises(BadRequestError, match=r"Invalid filter created:min: not a date"):
        await bc_client.get("/orders/payment_actions/refunds", {"created:min": "x"}, api="v3")


async def test_a_v2_error_array_on_v3_is_quoted_too(v3: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    v3.get("/orders/1/transactions").respond(400, json=[{"status": 400, "message": "Bad order id"}])
    with pytest.raises(BadRequestError, match="Bad order id"):
        await bc_client.get("/orders/1/transactions", api="v3")


async def test_v3_retries_and_counts_like_v2(
    v3: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    v3.get("/orders/1/transactions").mock(side_effect=[httpx.Response(503), httpx.Response(200, json={"data": []})])
    caplog.set_level(logging.DEBUG, "bigcommerce_orders_mcp")
    with recording("default") as exchanges:
        assert await bc_client.get("/orders/1/transactions", api="v3") == {"data": []}
    assert (exchanges.requests, exchanges.statuses) == (2, [503, 200])
    assert fake_time.sleeps
    paths = {getattr(record, "path", None) for record in caplog.records} - {None}
    assert paths == {"/v3/orders/1/transactions"}


async def test_v3_spends_the_same_quota_as_v2(
    api: respx.MockRouter, v3: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime
) -> None:
    spent = {"X-Rate-Limit-Requests-Left": "0", "X-Rate-Limit-Time-Reset-Ms": "2000"}
    api.get("/orders/1").respond(200, json={"id": 1}, headers=spent)
    v3.get("/orders/1/transactions").respond(200, json={"data": []})
    await bc_client.get("/orders/1")
    assert fake_time.sleeps == []
    await bc_client.get("/orders/1/transactions", api="v3")
    assert fake_time.sleeps == [pytest.approx(2)]


async def test_a_base_without_v2_has_no_v3(fake_time: FakeTime) -> None:
    client = BigCommerceClient("https://proxy.example/bc", TOKEN, sleep=fake_time.sleep, clock=fake_time.clock)
    assert client.v3_url is None
    with pytest.raises(BigCommerceError, match=r"does not end in /v2.*BIGCOMMERCE_API_URL"):
        await client.get("/orders/1/transactions", api="v3")


async def test_a_v3_timeout_is_unavailable(v3: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    v3.get("/orders/1/transactions").mock(side_effect=httpx.ConnectTimeout("slow"))
    with pytest.raises(UnavailableError):
        await bc_client.get("/orders/1/transactions", api="v3")
