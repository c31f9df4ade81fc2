"""Status mapping: each HTTP status becomes its error, with BigCommerce's own detail and never the token."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import (
    AuthenticationError,
    BadRequestError,
    BigCommerceClient,
    BigCommerceError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UnavailableError,
)
from tests.conftest import ECHOES, TOKEN, FakeTime, fixture, small

pytestmark = pytest.mark.anyio


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


async def test_error_details_are_redacted_when_redaction_is_on(api: respx.MockRouter, fake_time: FakeTime) -> None:
    api.get("/orders/1").respond(400, json=[{"message": "jane.doe@example.com or +1 555-010-7890 is not allowed"}])
    with pytest.raises(BigCommerceError) as caught:
        await small(fake_time, redact_pii=True).get("/orders/1")
    text = str(caught.value)
    assert "jane.doe@example.com" not in text
    assert "555-010" not in text
    assert "j***@e***.com" in text


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_a_redirect_is_said_as_one(api: respx.MockRouter, fake_time: FakeTime, status: int) -> None:
    api.get("/orders/1").respond(status, headers={"Location": "https://elsewhere.example/orders/1"})
    with pytest.raises(InvalidResponseError) as caught:
        await small(fake_time).get("/orders/1")
    assert str(caught.value) == (
        f"BigCommerce answered with a redirect (HTTP {status}) to another address; check BIGCOMMERCE_API_URL."
    )
