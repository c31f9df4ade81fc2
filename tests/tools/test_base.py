"""What every tool shares: the one error shape for each upstream failure, with no token in it, and one
deadline for a whole call."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
import respx

from bigcommerce_orders_mcp.client import BigCommerceClient, RetryPolicy
from tests.calls import call_error, call_ok, text_of
from tests.conftest import API, ECHOES, TOKEN, fixture

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, {"status": 401, "title": "Unauthorized"}, "BIGCOMMERCE_ACCESS_TOKEN"),
        (403, fixture("error.403.observed_thirdparty_scope.json"), "store_v2_orders_read_only"),
        (404, fixture("error.404.example_404_Resp.json"), "Order 999 was not found"),
        (400, fixture("error.400.example_from_PUT_orders_order_id_shipping_addresses_id.json"), "item_total"),
        (500, None, "unavailable (HTTP 500); retry later"),
        (503, "<html>Down for maintenance</html>", "unavailable (HTTP 503)"),
        (429, None, "retry"),
    ],
)
async def test_api_errors_become_one_clear_tool_error(
    mcp_client: Any, api: respx.MockRouter, status: int, body: Any, expected: str
) -> None:
    if isinstance(body, str):
        response = httpx.Response(status, text=body, headers={"Content-Type": "text/html"})
    else:
        response = httpx.Response(status, json=body) if body is not None else httpx.Response(status)
    api.get("/orders/999").mock(return_value=response)
    text = await call_error(mcp_client, "get_order", {"order_id": 999})
    assert expected in text
    # The session survives: the next call works.
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    await call_ok(mcp_client, "get_order", {"order_id": 218})


async def test_timeout_and_network_errors(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/1").mock(side_effect=httpx.ReadTimeout("slow"))
    assert "did not answer within 5 seconds" in await call_error(mcp_client, "get_order", {"order_id": 1})
    api.get("/orders/2").mock(side_effect=httpx.ConnectError("refused"))
    assert "Could not reach BigCommerce" in await call_error(mcp_client, "get_order", {"order_id": 2})


async def test_rate_limit_error_says_when_to_retry(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/5").respond(429, headers={"X-Rate-Limit-Time-Reset-Ms": "45000", "X-Retry-After": "3"})
    result = await mcp_client.call_tool("get_order", {"order_id": 5})
    assert result.is_error
    assert "retry after 45" in text_of(result)
    error = result.structured_content["error"]
    assert error["type"] == "rate_limited"
    assert error["status"] == 429
    assert 45 <= error["retry_after_seconds"] <= 46


async def test_a_whole_tool_call_has_one_deadline_however_many_requests_it_makes() -> None:
    """A handler that keeps asking (as list_order_shipments asks twice) still ends within the client's deadline."""

    from bigcommerce_orders_mcp.client import BigCommerceClient
    from bigcommerce_orders_mcp.tools.base import Arguments, Output, ToolDefinition
    from bigcommerce_orders_mcp.tools.get_order import GetOrderArgs

    client = BigCommerceClient(API, TOKEN, timeout=0.05, retry=RetryPolicy(max_retries=0, budget=0.05))

    async def forever(args: Arguments, client: BigCommerceClient) -> Output:
        while True:
            await anyio.sleep(0.02)  # each request within its own bound, the call as a whole not

    tool = ToolDefinition("slow", "Slow", "Asks forever.", GetOrderArgs, Output, forever)
    with anyio.fail_after(5):  # a hang guard, not a timing assertion
        result = await tool.call({"order_id": 1}, client)
    assert result.is_error
    assert result.structured_content == {"error": {**result.structured_content["error"], "type": "unavailable"}}
    assert "did not finish answering slow within 0.1 seconds" in text_of(result)


async def test_the_token_in_an_error_body_reaches_no_tool_result(api: respx.MockRouter, mcp_client: Any) -> None:
    api.get("/orders/1").respond(422, json=ECHOES[0])
    result = await mcp_client.call_tool("get_order", {"order_id": 1})
    assert result.is_error
    assert TOKEN not in result.content[0].text
    assert TOKEN not in str(result.structured_content)


async def test_deep_json_is_a_tool_error_not_an_internal_one(api: respx.MockRouter, mcp_client: Any) -> None:
    api.get("/orders/1").respond(200, content=b"[" * 100_000 + b"]" * 100_000)
    result = await mcp_client.call_tool("get_order", {"order_id": 1})
    assert result.structured_content["error"]["type"] == "invalid_response"
    assert "nested too deeply" in result.content[0].text


def test_a_value_is_shown_short_however_large_or_deep() -> None:
    from bigcommerce_orders_mcp.tools.base import shown

    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    for value in (deep, "x" * 10_000_000, list(range(1_000_000)), {str(n): n for n in range(100_000)}):
        assert len(shown(value)) <= 40


def test_every_error_text_and_field_has_a_last_bound() -> None:
    from bigcommerce_orders_mcp.tools.base import MAX_ERROR_TEXT, error_result

    result = error_result("invalid_arguments", "x" * 1_000_000, parameters=[f"p{n}" * 1000 for n in range(1000)])
    error = result.structured_content["error"]
    assert len(text_of(result)) <= MAX_ERROR_TEXT
    assert error["message"] == text_of(result)
    assert len(error["parameters"]) <= 5
    assert all(len(name) <= MAX_ERROR_TEXT for name in error["parameters"])
