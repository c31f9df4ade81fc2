"""What every tool shares: arguments checked before anything is sent (whatever a model invents), and
the one error shape for every failure, upstream or our own."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import httpx
import pytest
import respx
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient, RetryPolicy
from tests.calls import call_error, call_ok, text_of
from tests.conftest import API, ECHOES, TOKEN, fixture


@pytest.mark.anyio
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


@pytest.mark.anyio
async def test_timeout_and_network_errors(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/1").mock(side_effect=httpx.ReadTimeout("slow"))
    assert "did not answer within 5 seconds" in await call_error(mcp_client, "get_order", {"order_id": 1})
    api.get("/orders/2").mock(side_effect=httpx.ConnectError("refused"))
    assert "Could not reach BigCommerce" in await call_error(mcp_client, "get_order", {"order_id": 2})


@pytest.mark.anyio
async def test_rate_limit_error_says_when_to_retry(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/5").respond(429, headers={"X-Rate-Limit-Time-Reset-Ms": "45000", "X-Retry-After": "3"})
    result = await mcp_client.call_tool("get_order", {"order_id": 5})
    assert result.is_error
    assert "retry after 45" in text_of(result)
    error = result.structured_content["error"]
    assert error["type"] == "rate_limited"
    assert error["status"] == 429
    assert 45 <= error["retry_after_seconds"] <= 46


@pytest.mark.anyio
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


@pytest.mark.anyio
async def test_the_token_in_an_error_body_reaches_no_tool_result(api: respx.MockRouter, mcp_client: Any) -> None:
    api.get("/orders/1").respond(422, json=ECHOES[0])
    result = await mcp_client.call_tool("get_order", {"order_id": 1})
    assert result.is_error
    assert TOKEN not in result.content[0].text
    assert TOKEN not in str(result.structured_content)


@pytest.mark.anyio
async def test_deep_json_is_a_tool_error_not_an_internal_one(api: respx.MockRouter, mcp_client: Any) -> None:
    api.get("/orders/1").respond(200, content=b"[" * 100_000 + b"]" * 100_000)
    result = await mcp_client.call_tool("get_order", {"order_id": 1})
    assert result.structured_content["error"]["type"] == "invalid_response"
    assert "nested too deeply" in result.content[0].text


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("tool", "arguments", "parameter"),
    [
        ("get_order", {"order_id": "1" * 5000}, "order_id"),
        ("list_order_messages", {"order_id": 1, "min_id": "9" * 4301}, "min_id"),
        ("list_order_shipments", {"order_id": 1, "limit": "0" * 4000 + "9" * 12}, "limit"),
        ("list_orders", {"customer_id": "7" * 20}, "customer_id"),
        ("list_orders", {"min_total": "1e99999999"}, "min_total"),
        ("list_orders", {"min_total": "9" * 5000}, "min_total"),
        ("list_orders", {"min_date_created": "2024-01-01" * 1000}, "min_date_created"),
    ],
)
async def test_huge_arguments_are_refused_in_the_normal_sentence(
    tool: str, arguments: dict[str, Any], parameter: str
) -> None:
    with respx.mock(base_url=API, assert_all_called=False):
        async with Client(build_server(BigCommerceClient(API, TOKEN))) as client:
            result = await client.call_tool(tool, arguments)
    text = result.content[0].text  # type: ignore[union-attr]
    assert result.is_error
    assert text.startswith(f"Invalid arguments for {tool}: '{parameter}' must be ")
    assert "sys." not in text
    assert "digits" not in text


MAX_ID = 2**31 - 1
GET_ORDER_PARAMS = {"order_id", "include", "consignment_structure", "detail"}
MESSAGE_PARAMS = {
    "order_id", "min_id", "max_id", "customer_id", "min_date_created", "max_date_created",
    "is_flagged", "status", "page", "limit",
}  # fmt: skip
ORDERS_PARAMS = {
    "min_id", "max_id", "min_total", "max_total", "customer_id", "email", "status_id", "cart_id",
    "payment_method", "min_date_created", "max_date_created", "min_date_modified", "max_date_modified",
    "channel_id", "external_order_id", "sort", "page", "limit",
}  # fmt: skip
SHIPMENT_PARAMS = {"order_id", "page", "limit"}
PATH = re.compile(r"^/stores/abc123/v2/orders(?:/([1-9][0-9]{0,9})(/messages|/shipments)?)?$")


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["218", "218/../customers", "0", "-1", "1e3", " 42 ", "٣", "fees", "read", "2024-01-01"]),
)


json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def arguments(names: set[str]) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.sampled_from(sorted(names)) | st.text(min_size=1, max_size=12)
    return st.dictionaries(keys, json_values, max_size=6)


bad_ids = st.one_of(
    st.integers(max_value=0),
    st.integers(min_value=MAX_ID + 1),
    st.floats().filter(lambda f: not f.is_integer()),
    st.text().filter(lambda s: not s.strip().isdecimal()),
    st.booleans(),
    st.none(),
    st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=2),
)


Call = Callable[[str, dict[str, Any]], tuple[Any, list[httpx.Request]]]


@pytest.fixture(scope="module")
def call() -> Iterator[Call]:
    """One server and client for every example of the module; examples call it through a blocking portal."""
    with respx.mock(base_url=API, assert_all_called=False) as api:
        api.get(path__regex=r"/orders/\d+/messages").respond(204)
        api.get(path__regex=r"/orders/\d+/shipments").respond(204)
        api.get(path__regex=r"/orders/\d+").respond(json={"id": 1})
        api.get("/orders").respond(204)
        with (
            start_blocking_portal() as portal,
            portal.wrap_async_context_manager(Client(build_server(BigCommerceClient(API, TOKEN)))) as client,
        ):

            def call(tool: str, args: dict[str, Any]) -> tuple[Any, list[httpx.Request]]:
                api.reset()
                result = portal.call(client.call_tool, tool, args)
                return result, [call.request for call in api.calls]

            yield call


def check(call: Call, tool: str, params: set[str], args: dict[str, Any]) -> None:
    result, requests = call(tool, args)
    text = result.content[0].text
    assert TOKEN not in text
    if result.is_error:
        error = result.structured_content["error"]
        assert error["type"] == "invalid_arguments"
        assert error["message"] == text
        assert text.startswith(f"Invalid arguments for {tool}: ")
        assert set(error.get("parameters", [])) <= params | set(args), error
        assert requests == []
        return
    (request,) = requests
    match = PATH.match(request.url.path)
    assert match, request.url
    # Only list_orders asks for the orders themselves; the others always name one order.
    assert (match[1] is None) == (tool == "list_orders"), request.url
    assert match[1] is None or 1 <= int(match[1]) <= MAX_ID
    assert set(request.url.params) <= (params - {"order_id"})
    assert set(args) <= params


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOOL_PARAMS = {
    "get_order": GET_ORDER_PARAMS,
    "list_order_messages": MESSAGE_PARAMS,
    "list_orders": ORDERS_PARAMS,
    "list_order_shipments": SHIPMENT_PARAMS,
}


@pytest.mark.parametrize("tool", TOOL_PARAMS)
@SETTINGS
@given(data=st.data())
def test_arbitrary_arguments(call: Call, tool: str, data: st.DataObject) -> None:
    params = TOOL_PARAMS[tool]
    check(call, tool, params, data.draw(arguments(params), label="arguments"))


@settings(max_examples=60, deadline=None)
@given(order_id=bad_ids, tool=st.sampled_from(["get_order", "list_order_messages", "list_order_shipments"]))
def test_bad_order_ids_never_reach_the_api(call: Call, order_id: Any, tool: str) -> None:
    result, requests = call(tool, {"order_id": order_id})
    assert result.is_error
    assert "'order_id'" in result.content[0].text
    assert requests == []


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(
        ["min_id", "max_id", "customer_id", "page", "limit", "status", "is_flagged", "min_date_created"]
    ),
    value=st.one_of(
        st.integers(min_value=MAX_ID + 1), st.integers(max_value=-1), st.text(min_size=1).map(lambda s: s + "!")
    ),
)
def test_bad_message_filters_name_the_parameter(call: Call, name: str, value: Any) -> None:
    result, requests = call("list_order_messages", {"order_id": 1, name: value})
    assert result.is_error
    assert f"'{name}'" in result.content[0].text
    assert requests == []


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(
        ["min_id", "max_id", "customer_id", "status_id", "channel_id", "page", "limit", "min_total", "max_total",
         "sort", "min_date_modified"]
    ),
    value=st.one_of(st.integers(max_value=-1), st.text(min_size=1).map(lambda s: s + "!")),
)  # fmt: skip
def test_bad_order_filters_name_the_parameter(call: Call, name: str, value: Any) -> None:
    result, requests = call("list_orders", {name: value})
    assert result.is_error
    assert f"'{name}'" in result.content[0].text
    assert requests == []
