"""The BigCommerce client on the wire: headers, bodies that lie, and every error status."""

from __future__ import annotations

import logging

import httpx
import pytest
import respx

from server.client import USER_AGENT, BigCommerceClient
from server.errors import (
    AuthenticationError,
    BadRequestError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UnavailableError,
)
from tests.conftest import TOKEN, fixture

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
        (httpx.Response(429, headers={"X-Retry-After": "7"}), RateLimitedError, "retry after 7 seconds"),
        (httpx.Response(429), RateLimitedError, "retry in a little while"),
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


async def test_rate_limit_prefers_the_longer_wait(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    api.get("/orders/1").respond(429, headers={"X-Rate-Limit-Time-Reset-Ms": "1500", "X-Retry-After": "4"})
    with pytest.raises(RateLimitedError) as caught:
        await bc_client.get("/orders/1")
    assert caught.value.retry_after == 4


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


async def test_token_is_not_logged(
    api: respx.MockRouter, bc_client: BigCommerceClient, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/1").respond(json={"id": 1})
    with caplog.at_level(logging.DEBUG):
        await bc_client.get("/orders/1")
    assert TOKEN not in caplog.text
