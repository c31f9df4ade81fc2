"""A hostile upstream: absurd numbers and dates in every field the summarisers read end fast, as absent
values, never as a stalled event loop or an error naming Python internals."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import pytest
import respx
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.tools.get_order import summarize_order
from bigcommerce_orders_mcp.tools.list_order_messages import oldest_first, summarize_message
from bigcommerce_orders_mcp.tools.list_order_shipments import summarize_shipment
from bigcommerce_orders_mcp.tools.list_orders import summarize_row
from bigcommerce_orders_mcp.tools.values import as_int, decimal_or_none, iso_date, money
from tests.conftest import API, TOKEN, fixture

T = TypeVar("T")
ABSURD_NUMBERS = [
    "1e1000000",
    "1e99999999",
    "-1e99999999",
    "1e-99999999",
    "9" * 29,
    "12345678901234567890123456789.5",
    "1" * 4301,
    int("1" * 4300),
    "NaN",
    "-Infinity",
    "Infinity",
    "sNaN",
    float("inf"),
    float("nan"),
    1e308,
]
ABSURD_DATES = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:59:59-14:00",
    "Fri, 31 Dec 9999 23:59:59 -1400",
    "Mon, 01 Jan 0001 00:00:00 +1400",
    "9999-12-31T23:59:59",
    "Tue, 05 Mar 2019 21:40:11 +0000" + " " * 10_000,
    "2019-03-05" * 5000,
]

ORDER_NUMBERS = [
    "id", "customer_id", "status_id", "items_total", "items_shipped", "channel_id", "subtotal_inc_tax",
    "shipping_cost_inc_tax", "handling_cost_inc_tax", "wrapping_cost_inc_tax", "discount_amount",
    "coupon_discount", "total_tax", "total_inc_tax", "refunded_amount", "store_credit_amount",
    "gift_certificate_amount",
]  # fmt: skip
LINE_NUMBERS = ["quantity", "price_inc_tax", "total_inc_tax", "quantity_shipped", "quantity_refunded"]
DATES = ["date_created", "date_modified", "date_shipped"]


def finishes(job: Callable[[], T], seconds: float = 2) -> T:
    """Run `job` in a daemon thread: a hang fails the test instead of the whole run."""
    out: list[T] = []
    worker = threading.Thread(target=lambda: out.append(job()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "still running: an upstream value stalls the summary"
    assert out, "raised: see the thread's traceback above"
    return out[0]


def absurd_order(value: Any, *, date: Any = None) -> dict[str, Any]:
    order: dict[str, Any] = copy.deepcopy(fixture("get_order.200.example_Multiple_Items.json"))
    for key in ORDER_NUMBERS:
        order[key] = value
    order["fees"] = [{"display_name_customer": "Fee", "cost_inc_tax": value}]
    product = {"id": value, "name": "Mug", **dict.fromkeys(LINE_NUMBERS, value)}
    shipping = {"cost_inc_tax": value, "items_total": value, "items_shipped": value, "line_items": [product]}
    order["consignments"] = {"shipping": [shipping], "pickups": [{"line_items": [product]}]}
    for key in DATES:
        order[key] = date
    return order


def dumped(summary: Any) -> str:
    return json.dumps(summary.to_json_dict())


@pytest.mark.parametrize("value", ABSURD_NUMBERS, ids=lambda v: repr(v)[:20])
def test_absurd_numbers_are_dropped_by_every_summariser(value: Any) -> None:
    text = finishes(lambda: dumped(summarize_order(absurd_order(value))))
    assert isinstance(text, str)
    assert "totals" not in json.loads(text)
    row = finishes(lambda: summarize_row(absurd_order(value)).to_json_dict())
    assert set(row) == {"id", "status", "customer", "currency"}
    message = {"id": value, "order_id": value, "staff_id": value, "customer_id": value, "message": "Hi"}
    assert finishes(lambda: summarize_message(message).to_json_dict()) == {"customer": "Hi"}
    shipment = {"id": value, "items": [{"order_product_id": value, "product_id": value, "quantity": value}]}
    assert finishes(lambda: summarize_shipment(shipment, {}).to_json_dict()) == {"items": [{}]}


@pytest.mark.parametrize("value", ABSURD_NUMBERS, ids=lambda v: repr(v)[:20])
def test_absurd_numbers_are_not_numbers(value: Any) -> None:
    assert finishes(lambda: (as_int(value), decimal_or_none(value), money(value, "USD"))) == (None, None, None)


@pytest.mark.parametrize("date", ABSURD_DATES, ids=lambda v: repr(v)[:30])
def test_dates_at_the_year_limits_end_fast(date: str) -> None:
    data = json.loads(str(finishes(lambda: dumped(summarize_order(absurd_order("1", date=date))))))
    assert len(data.get("created", "")) < 30
    message = {"id": 1, "date_created": date, "message": "Hi"}
    finishes(lambda: (summarize_message(message), oldest_first(message)))
    finishes(lambda: summarize_row({"id": 1, "date_created": date}))
    finishes(lambda: summarize_shipment({"id": 1, "date_created": date}, {}))


def test_dates_beyond_utc_are_dropped_and_near_the_limits_are_kept() -> None:
    assert iso_date("9999-12-31T23:59:59-14:00") is None
    assert iso_date("0001-01-01T00:00:00+14:00") is None
    assert iso_date("9999-12-31T09:00:00-14:00") == "9999-12-31T23:00:00Z"
    assert iso_date("not a date \u202e") == "not a date"


def test_real_amounts_and_counts_still_read() -> None:
    assert money("123456789012.3456", "USD") == Decimal("123456789012.35")
    assert money(8.5, "JPY") == 9
    assert as_int("12.0000") == 12
    assert as_int(2147483647) == 2147483647


@pytest.mark.anyio
async def test_a_hostile_order_is_summarised_over_the_protocol() -> None:
    order = absurd_order("1e99999999", date="9999-12-31T23:59:59-14:00")
    order["id"] = 218
    with respx.mock(base_url=API) as api:
        api.get("/orders/218").respond(json=order)
        async with Client(build_server(BigCommerceClient(API, TOKEN))) as client:
            result = await client.call_tool("get_order", {"order_id": 218})
    assert not result.is_error
    assert (result.structured_content or {})["id"] == 218


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
