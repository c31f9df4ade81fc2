"""Property-based: whatever arguments a model invents, no bad input reaches BigCommerce, and every call
ends in either a well-formed request or one clear error naming the parameter."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx
from anyio.from_thread import start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from tests.conftest import API, TOKEN

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
