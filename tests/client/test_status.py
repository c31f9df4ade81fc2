"""Status mapping: each HTTP status becomes its error, with BigCommerce's own detail and never the token."""

from __future__ import annotations

import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import (
    AuthenticationError,
    BadRequestError,
    BigCommerceClient,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UnavailableError,
)
from tests.conftest import TOKEN, fixture

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
