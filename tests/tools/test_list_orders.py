"""list_orders: every filter as the API names it, one row per order, pages, and against the sandbox store."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx
from mcp import Client
from pydantic import ValidationError

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.sandbox import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, create_app
from bigcommerce_orders_mcp.tools.list_orders import SORT_FIELDS, TOOL, ListOrdersArgs, summarize_row
from bigcommerce_orders_mcp.tools.values import STATUS_NAMES
from tests.calls import call_error, call_ok
from tests.conftest import TOKEN, fixture

pytestmark = pytest.mark.anyio


ORDER = fixture("get_order.200.example_Response.json")


async def test_no_arguments_send_the_api_defaults(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders").respond(json=[ORDER])
    await call_ok(mcp_client, "list_orders", {})
    assert dict(route.calls.last.request.url.params) == {"page": "1", "limit": "50"}


async def test_every_argument_goes_upstream_with_the_api_name_and_one_canonical_value(
    mcp_client: Any, api: respx.MockRouter
) -> None:
    route = api.get("/orders").respond(204)
    args = {
        "min_id": "100",
        "max_id": 300,
        "min_total": "12.50",
        "max_total": 1e3,
        "customer_id": 0,
        "email": " Jane@Example.com ",
        "status_id": "9",
        "cart_id": "a0f1c2d3-0000-4000-8000-000000000000",
        "payment_method": "Credit Card",
        "min_date_created": "Thu, 20 Apr 2017 11:32:00 -0400",
        "max_date_created": "2017-04-21T11:32:00.000-04:00",
        "min_date_modified": "2017-04-20",
        "max_date_modified": "2017-04-22T00:00:00Z",
        "channel_id": 1,
        "external_order_id": "111-2222222-3333333",
        "sort": "date_created:desc",
        "page": 2,
        "limit": 10,
    }
    await call_ok(mcp_client, "list_orders", args)
    assert dict(route.calls.last.request.url.params) == {
        "min_id": "100",
        "max_id": "300",
        "min_total": "12.5",
        "max_total": "1000",
        "customer_id": "0",
        "email": "Jane@Example.com",
        "status_id": "9",
        "cart_id": "a0f1c2d3-0000-4000-8000-000000000000",
        "payment_method": "Credit Card",
        # Every date form goes upstream as the API writes its own dates: RFC-2822 in UTC.
        "min_date_created": "Thu, 20 Apr 2017 15:32:00 +0000",
        "max_date_created": "Fri, 21 Apr 2017 15:32:00 +0000",
        "min_date_modified": "Thu, 20 Apr 2017 00:00:00 +0000",
        "max_date_modified": "Sat, 22 Apr 2017 00:00:00 +0000",
        "channel_id": "1",
        "external_order_id": "111-2222222-3333333",
        "sort": "date_created:desc",
        "page": "2",
        "limit": "10",
    }


@pytest.mark.parametrize(
    ("given", "sent"),
    [("id:desc", "id:desc"), ("date_modified", "date_modified:asc"), ("external_id:asc", "external_id:asc")],
)
async def test_sort_is_always_sent_with_its_direction(
    mcp_client: Any, api: respx.MockRouter, given: str, sent: str
) -> None:
    route = api.get("/orders").respond(204)
    await call_ok(mcp_client, "list_orders", {"sort": given})
    assert route.calls.last.request.url.params["sort"] == sent


@pytest.mark.parametrize(
    ("args", "parameter", "expected"),
    [
        ({"min_id": 0}, "min_id", "'min_id' must be greater than or equal to 1"),
        ({"max_id": "12a"}, "max_id", "'max_id' must be an integer"),
        ({"min_total": -1}, "min_total", "'min_total' must be greater than or equal to 0"),
        ({"min_total": "12 EUR"}, "min_total", "'min_total' must be a number such as 12.50"),
        ({"max_total": True}, "max_total", "'max_total' must be a number"),
        ({"max_total": "NaN"}, "max_total", "'max_total' must be a number"),
        ({"max_total": {"amount": 5}}, "max_total", "'max_total' must be a number"),
        ({"customer_id": -1}, "customer_id", "'customer_id' must be greater than or equal to 0"),
        ({"email": "jane"}, "email", "'email' must be an email address"),
        ({"email": "  "}, "email", "'email' "),
        ({"status_id": 15}, "status_id", "'status_id' must be less than or equal to 14"),
        ({"status_id": "shipped"}, "status_id", "'status_id' must be an integer"),
        ({"cart_id": 5}, "cart_id", "'cart_id' must be a string"),
        ({"payment_method": "Cash\nor card"}, "payment_method", "'payment_method' must be one line"),
        ({"external_order_id": "x" * 256}, "external_order_id", "'external_order_id' "),
        ({"min_date_created": "yesterday"}, "min_date_created", "'min_date_created' must be an RFC-2822 date"),
        ({"max_date_modified": "2024-13-01"}, "max_date_modified", "'max_date_modified' must be an RFC-2822 date"),
        ({"max_date_created": 20240501}, "max_date_created", "'max_date_created' must be a string"),
        ({"channel_id": 0}, "channel_id", "'channel_id' must be greater than or equal to 1"),
        ({"sort": "total:desc"}, "sort", "'sort' must be 'id:asc', 'id:desc'"),
        ({"sort": "date_created:DESC"}, "sort", "'sort' must be"),
        ({"page": 0}, "page", "'page' must be greater than or equal to 1"),
        ({"limit": 251}, "limit", "'limit' must be less than or equal to 250"),
        ({"status": "shipped"}, "status", "unknown argument 'status' (allowed: min_id, max_id, min_total"),
        # A range out of order names both ends in its sentence.
        ({"min_id": 9, "max_id": 3}, None, "min_id (9) must not be greater than max_id (3)"),
        ({"min_total": "20", "max_total": 10.5}, None, "min_total (20) must not be greater than max_total (10.5)"),
        (
            {"min_date_created": "2024-02-01", "max_date_created": "Thu, 01 Feb 2024 00:30:00 +0100"},
            None,
            "min_date_created must not be after max_date_created",
        ),
        (
            {"min_date_modified": "2024-02-01T00:00:00+01:00", "max_date_modified": "2024-01-31T22:00:00Z"},
            None,
            "min_date_modified must not be after max_date_modified",
        ),
    ],
)
async def test_each_bad_argument_is_named_and_nothing_is_sent(
    mcp_client: Any, api: respx.MockRouter, args: dict[str, Any], parameter: str | None, expected: str
) -> None:
    result = await mcp_client.call_tool("list_orders", args)
    error = result.structured_content["error"]
    assert error["type"] == "invalid_arguments"
    assert error.get("parameters") == ([parameter] if parameter else None)
    text = await call_error(mcp_client, "list_orders", args)
    assert text.startswith("Invalid arguments for list_orders: ")
    assert expected in text
    assert not api.calls


async def test_a_range_of_one_value_is_fine(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders").respond(204)
    same_moment = {"min_date_created": "2024-02-01T01:00:00+01:00", "max_date_created": "2024-02-01T00:00:00Z"}
    await call_ok(mcp_client, "list_orders", {"min_id": 5, "max_id": 5, "min_total": 9, "max_total": "9.00"})
    await call_ok(mcp_client, "list_orders", same_moment)
    params = route.calls.last.request.url.params
    assert params["min_date_created"] == params["max_date_created"] == "Thu, 01 Feb 2024 00:00:00 +0000"


@pytest.mark.parametrize(
    "response", [httpx.Response(204), httpx.Response(200, content=b""), httpx.Response(200, json=[])]
)
async def test_no_match_is_an_empty_list(mcp_client: Any, api: respx.MockRouter, response: httpx.Response) -> None:
    api.get("/orders").mock(return_value=response)
    data = await call_ok(mcp_client, "list_orders", {"email": "nobody@example.com"})
    assert data == {"orders": []}  # the whole list: no paging fields


@pytest.mark.parametrize("body", [{"id": 218}, "orders", 3, {"data": [], "meta": {}}])
async def test_a_body_that_is_not_a_list_is_an_invalid_response(
    mcp_client: Any, api: respx.MockRouter, body: Any
) -> None:
    api.get("/orders").respond(json=body)
    result = await mcp_client.call_tool("list_orders", {})
    text = await call_error(mcp_client, "list_orders", {})
    assert result.structured_content["error"]["type"] == "invalid_response"
    assert text == "BigCommerce answered with something other than a list of orders; retry later."


async def test_one_row_per_order_with_the_facts_a_list_is_scanned_for(mcp_client: Any, api: respx.MockRouter) -> None:
    guest = {
        **ORDER,
        "id": 219,
        "customer_id": 0,
        "status_id": 11,
        "billing_address": {**ORDER["billing_address"], "first_name": "", "last_name": "\u200b"},
        "total_inc_tax": "0.0000",
        "items_total": 0,
    }
    api.get("/orders").respond(json=[ORDER, guest])
    data = await call_ok(mcp_client, "list_orders", {})
    assert data == {
        "orders": [
            {
                "id": 218,
                "date": "2019-03-05T21:40:11Z",
                "status": "Awaiting Payment",
                "customer": "Jane Doe",
                "customer_id": 11,
                "total": 69.84,
                "items": 4,
            },
            {
                "id": 219,
                "date": "2019-03-05T21:40:11Z",
                "status": "Awaiting Payment",
                "customer": "janedoe@example.com",
                "guest": True,
            },
        ],
        "currency": "USD",
    }


async def test_totals_are_labelled_with_the_transactional_currency_not_the_display_one(
    mcp_client: Any, api: respx.MockRouter
) -> None:
    shown_in_euros = {**ORDER, "currency_code": "EUR", "default_currency_code": "USD", "total_inc_tax": "69.8450"}
    api.get("/orders").respond(json=[shown_in_euros])
    data = await call_ok(mcp_client, "list_orders", {})
    assert data["currency"] == "USD"
    assert data["orders"][0]["total"] == 69.85
    assert "currency" not in data["orders"][0]


async def test_several_currencies_are_said_per_row_and_rounded_to_each(mcp_client: Any, api: respx.MockRouter) -> None:
    yen = {**ORDER, "id": 2, "currency_code": "JPY", "default_currency_code": "JPY", "total_inc_tax": "20350.4000"}
    no_default = {**ORDER, "id": 3, "currency_code": "GBP", "total_inc_tax": "10.005"}
    del no_default["default_currency_code"]
    api.get("/orders").respond(json=[ORDER, yen, no_default])
    data = await call_ok(mcp_client, "list_orders", {})
    assert "currency" not in data
    rows = [(row["currency"], row["total"]) for row in data["orders"]]
    assert rows == [("USD", 69.84), ("JPY", 20350), ("GBP", 10.01)]


async def test_an_empty_status_falls_back_to_the_name_of_its_id(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders").respond(
        json=[{**ORDER, "status": "", "status_id": 9}, {**ORDER, "status": None, "status_id": 99}]
    )
    data = await call_ok(mcp_client, "list_orders", {})
    assert data["orders"][0]["status"] == "Awaiting Shipment"
    assert "status" not in data["orders"][1]


def test_the_status_id_description_names_every_status() -> None:
    description = TOOL.input_schema()["properties"]["status_id"]["description"]
    assert {status["id"]: status["name"] for status in fixture("order_statuses.200.example.json")} == STATUS_NAMES
    for status_id, name in STATUS_NAMES.items():
        assert f"{status_id} {name}" in description


@pytest.mark.parametrize("junk", [None, "", [], {}, "abc", 3.5, True, {"nested": [1, {"x": None}]}])
def test_messy_values_never_break_a_row(junk: Any) -> None:
    order = dict.fromkeys(ORDER, junk)
    order["id"] = 7
    row = summarize_row(order).to_json_dict()
    assert row["id"] == 7


def test_customer_text_is_cleaned() -> None:
    order = {**ORDER, "billing_address": {"first_name": "\u202eJane\x00", "last_name": " Doe\u200b "}}
    assert summarize_row(order).customer == "Jane Doe"


async def test_a_full_page_says_how_to_get_the_next(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders").respond(json=[{**ORDER, "id": i, "status_id": 9} for i in (5, 6)])
    args = {"status_id": 9, "min_total": "10.00", "min_date_created": "2024-01-01", "limit": 2}
    data = await call_ok(mcp_client, "list_orders", args)
    assert data["has_more"] is True
    assert data["next_page"] == {
        "min_total": "10",
        "status_id": 9,
        "min_date_created": "Mon, 01 Jan 2024 00:00:00 +0000",
        "page": 2,
        "limit": 2,
    }


async def test_the_token_appears_in_no_output_and_no_log_line(
    mcp_client: Any, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/orders").mock(
        side_effect=[
            httpx.Response(200, json=[ORDER]),
            httpx.Response(401),
            httpx.Response(500, text=f"echo {TOKEN}"),
            httpx.Response(200, json={"token": TOKEN}),
        ]
    )
    seen = []
    with caplog.at_level(logging.DEBUG):
        for _ in range(4):
            seen.append(json.dumps((await mcp_client.call_tool("list_orders", {})).model_dump(mode="json")))
    assert not any(TOKEN in text for text in seen)
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    "value", [*SORT_FIELDS, *(f"{field}:{way}" for field in SORT_FIELDS for way in ("asc", "desc")), "id:ASC", "total"]
)
def test_the_sort_pattern_a_model_reads_accepts_what_the_tool_accepts(value: str) -> None:
    pattern = TOOL.input_schema()["properties"]["sort"]["pattern"]
    try:
        ListOrdersArgs.model_validate({"sort": value})
        accepted = True
    except ValidationError:
        accepted = False
    assert bool(re.fullmatch(pattern, value)) == accepted


# ---------------------------------------------------------------- against the sandbox store


@pytest.fixture
async def sandbox() -> AsyncIterator[Any]:
    transport = httpx.ASGITransport(app=create_app())
    api = BigCommerceClient(
        f"http://sandbox.invalid/stores/{SANDBOX_STORE_HASH}/v2", SANDBOX_ACCESS_TOKEN, transport=lambda: transport
    )
    async with Client(build_server(api)) as client:
        yield client


async def raw_orders(params: dict[str, str]) -> list[dict[str, Any]]:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.invalid") as http:
        response = await http.get(
            f"/stores/{SANDBOX_STORE_HASH}/v2/orders", params=params, headers={"X-Auth-Token": SANDBOX_ACCESS_TOKEN}
        )
    body: list[dict[str, Any]] = response.json()
    return body


async def test_calling_next_page_gives_the_next_page(sandbox: Any) -> None:
    first = await call_ok(sandbox, "list_orders", {"sort": "date_created:desc", "limit": 5})
    assert first["has_more"] is True
    second = await call_ok(sandbox, "list_orders", first["next_page"])
    assert second["page"] == 2
    ids = [row["id"] for row in first["orders"] + second["orders"]]
    assert len(set(ids)) == 10
    everything = await call_ok(sandbox, "list_orders", {"sort": "date_created:desc", "limit": 10})
    assert ids == [row["id"] for row in everything["orders"]]


async def test_the_last_page_says_there_is_no_more(sandbox: Any) -> None:
    data = await call_ok(sandbox, "list_orders", {"limit": 250})
    # The whole list on one page says nothing about paging.
    assert not {"page", "has_more", "next_page"} & set(data)
    past = await call_ok(sandbox, "list_orders", {"page": 2, "limit": 250})
    assert past["orders"] == []


async def test_filters_find_a_customers_orders_and_orders_awaiting_shipment(sandbox: Any) -> None:
    jane = await call_ok(sandbox, "list_orders", {"email": "JaneDoe@example.com"})
    assert {row["customer"] for row in jane["orders"]} == {"Jane Doe"}
    assert {218, 181}.issubset(row["id"] for row in jane["orders"])
    waiting = await call_ok(sandbox, "list_orders", {"status_id": 9})
    assert waiting["orders"]
    assert {row["status"] for row in waiting["orders"]} == {"Awaiting Shipment"}


async def test_a_page_is_at_most_a_fifth_of_the_raw_bytes(sandbox: Any) -> None:
    result = await sandbox.call_tool("list_orders", {"limit": 20})
    page = len(result.content[0].text.encode())
    raw = len(json.dumps(await raw_orders({"limit": "20"}), separators=(",", ":")).encode())
    assert page * 5 <= raw, (page, raw)


# ------------------------------------------------------------------------------ issue 18: identity, types


@pytest.mark.parametrize(
    ("args", "rows", "expected"),
    [
        ({"max_id": 300}, [{"id": 120}, {"id": 301}], "orders with max_id 300, BigCommerce answered with one with "
         "id 301"),
        ({"min_id": 50}, [{"id": "7"}], "orders with min_id 50, BigCommerce answered with one with id 7"),
        ({"customer_id": 0}, [{"id": 1, "customer_id": 0}, {"id": 2, "customer_id": 12}], "orders with customer_id 0, "
         "BigCommerce answered with one with customer_id 12"),
        ({"status_id": 11}, [{"id": 1, "status_id": "2"}], "orders with status_id 11, BigCommerce answered with one "
         'with status_id "2"'),
        ({"channel_id": 3}, [{"id": 1, "channel_id": 1}], "orders with channel_id 3, BigCommerce answered with one "
         "with channel_id 1"),
    ],
)  # fmt: skip
async def test_rows_that_do_not_match_the_filters_are_an_invalid_response(
    mcp_client: Any, api: respx.MockRouter, args: dict[str, Any], rows: list[dict[str, Any]], expected: str
) -> None:
    api.get("/orders").respond(json=[{**ORDER, **row} for row in rows])
    result = await mcp_client.call_tool("list_orders", args)
    assert await call_error(mcp_client, "list_orders", args) == f"Asked for {expected}; retry later."
    assert result.structured_content["error"]["type"] == "invalid_response"


async def test_filters_the_store_compares_are_not_second_guessed(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders").respond(json=[ORDER])
    args = {"email": "other@example.com", "min_total": 500, "min_date_created": "2030-01-01", "payment_method": "Cash"}
    assert [row["id"] for row in (await call_ok(mcp_client, "list_orders", args))["orders"]] == [218]


async def test_row_values_that_cannot_be_read_are_left_out_and_said(mcp_client: Any, api: respx.MockRouter) -> None:
    rows = [
        {**ORDER, "id": 1, "total_inc_tax": "1.000,00"},
        {**ORDER, "id": -5},
        {**ORDER, "id": 2, "default_currency_code": "US Dollars", "customer_id": -1, "items_total": -2},
        {**ORDER, "id": 3, "date_created": "Mon, 01 Jan 1900 00:00:00 +0000"},
    ]
    api.get("/orders").respond(json=rows)
    data = await call_ok(mcp_client, "list_orders", {})
    assert [row["id"] for row in data["orders"]] == [1, 2, 3]
    assert data["unreadable"] == ["orders: 1 without a readable id, left out", "orders[0].total", "orders[1].currency"]
    first, second, third = data["orders"]
    assert "total" not in first
    assert not {"currency", "customer_id", "items"} & set(second)
    assert "date" not in third
