"""The MCP server through the SDK's in-memory client: the tools as listed, the one error shape of every
tool whatever arguments a model invents (none reaches BigCommerce), unknown tools, the order resource,
and no token in any output or log line."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client, MCPError
from mcp_types import INTERNAL_ERROR, INVALID_PARAMS

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient, register
from tests.calls import call_error
from tests.conftest import API, TOKEN, TOOL_NAMES, fixture

pytestmark = pytest.mark.anyio


async def test_tools_are_listed_with_hints_and_schemas(mcp_client: Any) -> None:
    tools = {tool.name: tool for tool in (await mcp_client.list_tools()).tools}
    assert set(tools) == TOOL_NAMES
    for tool in tools.values():
        assert tool.title
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.idempotent_hint is True
        assert tool.annotations.open_world_hint is True
        assert tool.input_schema["additionalProperties"] is False
        assert tool.output_schema["type"] == "object"
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), name
    assert tools["get_order"].input_schema["required"] == ["order_id"]
    assert "list_order_messages" in (mcp_client.instructions or "")


async def test_unknown_tool_is_an_error(mcp_client: Any) -> None:
    text = await call_error(mcp_client, "delete_order", {"order_id": 1})
    expected = (
        'There is no tool "delete_order"; tools: get_order, list_order_messages, list_orders, list_order_shipments, '
        "list_order_refunds, list_order_transactions."
    )
    assert text == expected


async def test_the_token_appears_in_no_output_and_no_log_line_at_any_level(
    mcp_client: Any, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    api.get("/orders/1").respond(401)
    api.get("/orders/2").respond(500, text=f"echo {TOKEN}")
    api.get("/orders/3").mock(side_effect=httpx.ConnectError(f"refused {TOKEN}"))
    api.get("/orders/218/messages").respond(json=fixture("order_messages.200.example.json"))
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for tool, args in [
            ("get_order", {"order_id": 218, "detail": "full"}),
            ("get_order", {"order_id": 1}),
            ("get_order", {"order_id": 2}),
            ("get_order", {"order_id": 3}),
            ("get_order", {"order_id": -1}),
            ("list_order_messages", {"order_id": 218, "bogus": 1}),
        ]:
            result = await mcp_client.call_tool(tool, args)
            seen.append(json.dumps(result.model_dump(mode="json")))
    assert TOKEN not in caplog.text
    assert not any(TOKEN in text for text in seen)


# Secrets the process holds besides the store's token, echoed by an upstream that knows them: no output shows them.
BEARER = "mcp-BEARER-7c1e-secret"
REDIS_PASSWORD = "redis-PASS-93d0-secret"


def echoing_upstream(api: respx.MockRouter) -> None:
    """Order 218 and its messages carry both secrets in 200 bodies, order 219 in error bodies; some sit across
    the place a long text is cut short (the first fifth of its limit is kept)."""
    both = f"call me on {BEARER}, pw {REDIS_PASSWORD}"
    order = fixture("get_order.200.example_Response.json")
    api.get("/orders/218").respond(
        json={**order, "customer_message": both, "staff_notes": "n" * 90 + BEARER + "n" * 1000, both: "a key too"}
    )
    messages = fixture("order_messages.200.example.json")
    api.get("/orders/218/messages").respond(
        json=[{**message, "order_id": 218, "message": "m" * 790 + REDIS_PASSWORD + "m" * 5000} for message in messages]
        + [{**messages[0], "id": 99, "order_id": 218, "subject": both}]
    )
    api.get("/orders/219").respond(400, json=[{"status": 400, "message": f"bad header {BEARER} ({REDIS_PASSWORD})"}])
    api.get("/orders/219/messages").respond(422, json={"status": 422, "title": "x" * 290 + BEARER})


def assert_no_secret_in(outputs: list[str]) -> None:
    text = "\n".join(outputs)
    for secret in (BEARER, REDIS_PASSWORD):
        assert secret not in text
        assert secret[:10] not in text, "a piece of a secret cut short"  # the first 10 of 22 characters
    assert "[secret]" in text


async def test_no_secret_the_process_holds_appears_in_any_output(mcp_client: Any, api: respx.MockRouter) -> None:
    register(BEARER)
    register(REDIS_PASSWORD)
    echoing_upstream(api)
    outputs: list[str] = []
    for tool, arguments in [
        ("get_order", {"order_id": 218}),
        ("get_order", {"order_id": 218, "detail": "full"}),
        ("get_order", {"order_id": 219}),
        ("list_order_messages", {"order_id": 218}),
        ("list_order_messages", {"order_id": 218, "detail": "full"}),
        ("list_order_messages", {"order_id": 219}),
        (BEARER, {}),
        ("list_orders", {"email": REDIS_PASSWORD}),
    ]:
        result = await mcp_client.call_tool(tool, arguments)
        outputs.append(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
    outputs.append((await mcp_client.read_resource("bigcommerce://orders/218")).contents[0].text)
    for uri in ("bigcommerce://orders/219", f"bigcommerce://orders/{BEARER}"):
        with pytest.raises(MCPError) as caught:
            await mcp_client.read_resource(uri)
        outputs.append(f"{caught.value.message} {caught.value.data}")
    for prompt in ("summarize_order_for_support", BEARER):
        with pytest.raises(MCPError) as caught:
            await mcp_client.get_prompt(prompt, {"order_id": BEARER, REDIS_PASSWORD: "1"})
        outputs.append(caught.value.message)
    assert_no_secret_in(outputs)


async def test_order_resource(mcp_client: Any, api: respx.MockRouter) -> None:
    templates = (await mcp_client.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == ["bigcommerce://orders/{order_id}"]
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    result = await mcp_client.read_resource("bigcommerce://orders/218")
    (content,) = result.contents
    assert content.mime_type == "application/json"
    assert json.loads(content.text)["status"] == "Awaiting Payment"


@pytest.mark.parametrize(
    ("uri", "status", "code", "expected"),
    [
        ("bigcommerce://orders/999", 404, -32002, "Order 999 was not found in this store; check the order number."),
        ("bigcommerce://orders/998", 503, INTERNAL_ERROR, "BigCommerce is unavailable (HTTP 503)"),
        ("bigcommerce://orders/0", None, INVALID_PARAMS, "'order_id' must be greater than or equal to 1 (got 0)"),
        ("bigcommerce://orders/abc", None, INVALID_PARAMS, "'order_id' must be an integer (got \"abc\")"),
    ],
)
async def test_order_resource_errors(
    mcp_client: Any, api: respx.MockRouter, uri: str, status: int | None, code: int, expected: str
) -> None:
    if status == 404:
        api.get("/orders/999").respond(status, json=fixture("error.404.example_404_Resp.json"))
    elif status:
        api.get("/orders/998").respond(status)
    with pytest.raises(MCPError) as caught:
        await mcp_client.read_resource(uri)
    assert caught.value.code == code
    assert expected in caught.value.message
    assert "Internal server error" not in caught.value.message


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


# Property-based: whatever arguments a model invents, no bad input reaches BigCommerce, and every call
# ends in either a well-formed request or one clear error naming the parameter.
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
        # Each order answers as itself: an answer about another order is refused (issue 18).
        api.get(path__regex=r"/orders/(?P<order_id>\d+)").mock(
            side_effect=lambda request, order_id: httpx.Response(200, json={"id": int(order_id)})
        )
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


SMALL_ERROR = 2048


def bad_entries(count: int) -> list[str]:
    return [f"line_items_{n}" for n in range(count)]


@pytest.mark.parametrize(
    ("tool", "arguments", "parameter"),
    [
        ("get_order", {"order_id": 1, "include": bad_entries(150)}, "include"),
        ("get_order", {"order_id": 1, "include": ",".join(bad_entries(5000))}, "include"),
        ("get_order", {"order_id": 1, "include": bad_entries(20_000)}, "include"),
        ("list_orders", {f"filter_{n}": n for n in range(60)}, "filter_0"),
        ("list_orders", {f"filter_{n}": n for n in range(20_000)}, "filter_"),
        ("list_orders", {"email": "a" * 1_000_000 + "@example.com"}, "email"),
        ("list_order_messages", {"order_id": 1, "status": {"k" * 100_000: ["v"] * 1000}}, "status"),
        ("list_order_shipments", {"order_id": 1, "x" * 1_000_000: 1}, "x"),
    ],
)
async def test_an_error_does_not_grow_with_the_input(tool: str, arguments: dict[str, Any], parameter: str) -> None:
    with respx.mock(base_url=API, assert_all_called=False) as api:
        api.get("/orders/1").respond(json=fixture("get_order.200.example_Response.json"))
        async with Client(build_server(BigCommerceClient(API, TOKEN))) as client:
            result = await client.call_tool(tool, arguments)
            after = await client.call_tool("get_order", {"order_id": 1})
    text = result.content[0].text  # type: ignore[union-attr]
    assert result.is_error
    assert text.startswith(f"Invalid arguments for {tool}: ")
    assert parameter in text
    assert len(text) < SMALL_ERROR
    assert len(json.dumps(result.structured_content)) < 2 * SMALL_ERROR
    parameters = result.structured_content["error"]["parameters"]
    assert any(name.startswith(parameter[:20]) for name in parameters)
    assert not after.is_error


async def test_an_error_names_a_few_offending_values_and_how_many_more() -> None:
    async with Client(build_server(BigCommerceClient(API, TOKEN))) as client:
        text = await call_error(client, "get_order", {"order_id": 1, "include": bad_entries(120)})
    assert "'include[0]'" in text
    assert "'include[119]'" not in text
    assert "115 more problems" in text


async def test_a_huge_tool_name_gets_a_short_error(mcp_client: Any) -> None:
    text = await call_error(mcp_client, "get_" + "order" * 200_000, {"order_id": 1})
    assert text.startswith('There is no tool "get_order')
    assert len(text) < SMALL_ERROR
    assert "get_order, " in text


async def test_order_resource_errors_do_not_grow_with_the_uri() -> None:
    from bigcommerce_orders_mcp.stores import Stores

    clients = {"main": BigCommerceClient(API, TOKEN), "outlet": BigCommerceClient(API, TOKEN)}
    async with Client(build_server(Stores(clients, "main"))) as client:
        for uri in (f"bigcommerce://stores/{'s' * 200_000}/orders/1", f"bigcommerce://orders/{'x1' * 200_000}"):
            with pytest.raises(MCPError) as caught:
                await client.read_resource(uri)
            assert len(caught.value.message) < SMALL_ERROR
            assert len(json.dumps(caught.value.error.data)) < SMALL_ERROR
