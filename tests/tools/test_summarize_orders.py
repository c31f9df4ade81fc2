"""summarize_orders: exact sums per currency and status from every page, refunds from v3, the bound, progress."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.stores import Stores
from bigcommerce_orders_mcp.tools.summarize_orders import DEFAULT_MAX_ORDERS, NO_ORDERS
from tests.calls import call_error, call_ok
from tests.conftest import API, TOKEN

pytestmark = pytest.mark.anyio

V3 = API.removesuffix("/v2") + "/v3"
STATUS = {0: "Incomplete", 5: "Cancelled", 9: "Awaiting Shipment", 10: "Completed", 14: "Partially Refunded"}


def order(
    order_id: int, status_id: Any = 10, currency: str = "USD", total: str = "100.0000", **more: Any
) -> dict[str, Any]:
    return {
        "id": order_id,
        "status_id": status_id,
        "customer_id": 7,
        "channel_id": 1,
        "date_created": f"Tue, {1 + order_id % 28:02d} Mar 2026 10:00:00 +0000",
        "default_currency_code": currency,
        "currency_code": "JPY",  # the display currency: never what the sums are in
        "total_inc_tax": total,
        "total_ex_tax": "1.0000",
        "total_tax": "8.2500",
        "shipping_cost_inc_tax": "12.0000",
        "discount_amount": "5.0000",
        "coupon_discount": "2.5000",
        "refunded_amount": "999.0000",  # the field the spec calls unreliable: never summed
        **more,
    }


class Store:
    """A respx store: pages of `orders` by id, their count, and refunds by `order_id:in`."""

    def __init__(self, router: respx.MockRouter, orders: list[dict[str, Any]], refunds: list[dict[str, Any]]):
        self.orders, self.refunds = orders, refunds
        self.pages: list[dict[str, str]] = []
        self.refund_queries: list[dict[str, str]] = []
        self.count = router.get(f"{API}/orders/count").mock(side_effect=self._count)
        router.get(f"{API}/orders").mock(side_effect=self._page)
        router.get(f"{V3}/orders/payment_actions/refunds").mock(side_effect=self._refunds)

    def _count(self, request: httpx.Request) -> httpx.Response:
        statuses = [
            {"id": i, "name": name, "system_label": name, "custom_label": name, "count": 0}
            for i, name in STATUS.items()
        ]
        for status in statuses:
            status["count"] = sum(1 for o in self.orders if o.get("status_id") == status["id"])
        return httpx.Response(200, json={"count": len(self.orders), "statuses": statuses})

    def _page(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.pages.append(params)
        page, limit = int(params["page"]), int(params["limit"])
        rows = self.orders[(page - 1) * limit : page * limit]
        return httpx.Response(200, json=rows) if rows else httpx.Response(204)

    def _refunds(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.refund_queries.append(params)
        wanted = {int(i) for i in params["order_id:in"].split(",")}
        rows = [refund for refund in self.refunds if refund["order_id"] in wanted]
        return httpx.Response(200, json={"data": rows, "meta": {}})


def refund(refund_id: int, order_id: int, amount: Any) -> dict[str, Any]:
    return {"id": refund_id, "order_id": order_id, "total_amount": amount, "total_tax": 0, "items": [], "payments": []}


async def test_sums_are_exact_per_transactional_currency_with_refunds_from_v3(
    mcp_client: Any, api: respx.MockRouter
) -> None:
    orders = [
        order(1, total="100.1000"),
        order(2, total="0.2000"),
        order(3, 14, "EUR", "50.0050"),
        order(4, 0, total="70.0000"),  # incomplete: no sale
        order(5, 5, total="30.0000"),  # cancelled: no sale
        order(6, 9, "EUR", "49.9950"),
    ]
    Store(api, orders, [refund(1, 1, 10.1), refund(2, 1, 0.2), refund(3, 3, 20), refund(4, 4, 70)])
    answer = await call_ok(mcp_client, "summarize_orders", {})
    assert answer["orders"] == 6
    assert answer["sales"] == [
        {
            "currency": "EUR",
            "orders": 2,
            "total": 100,  # 50.0050 + 49.9950, summed before rounding
            "tax": 16.5,
            "shipping": 24,
            "discounts": 15,
            "refunded": 20,
            "refunds": 1,
            "average_order": 50,
        },
        {
            "currency": "USD",
            "orders": 2,
            "total": 100.3,
            "tax": 16.5,
            "shipping": 24,
            "discounts": 15,
            "refunded": 10.3,
            "refunds": 2,
            "average_order": 50.15,
        },
    ]
    assert answer["statuses"] == [
        {"status_id": 10, "status": "Completed", "orders": 2, "totals": {"USD": 100.3}},
        {"status_id": 9, "status": "Awaiting Shipment", "orders": 1, "totals": {"EUR": 50}},
        {"status_id": 14, "status": "Partially Refunded", "orders": 1, "totals": {"EUR": 50.01}},
    ]
    assert answer["left_out"] == [
        {"status_id": 0, "status": "Incomplete", "orders": 1, "totals": {"USD": 70}},
        {"status_id": 5, "status": "Cancelled", "orders": 1, "totals": {"USD": 30}},
    ]
    assert (answer["first_order"], answer["last_order"]) == ("2026-03-02T10:00:00Z", "2026-03-07T10:00:00Z")
    assert "partial" not in answer


async def test_pages_of_250_by_id_with_the_filters_and_refunds_per_page(mcp_client: Any, api: respx.MockRouter) -> None:
    store = Store(api, [order(i, customer_id=7) for i in range(1, 602)], [])
    answer = await call_ok(mcp_client, "summarize_orders", {"customer_id": 7, "min_date_created": "2026-03-01"})
    assert answer["orders"] == answer["sales"][0]["orders"] == 601
    assert sorted(int(p["page"]) for p in store.pages) == [1, 2, 3]
    for params in store.pages:
        assert params["limit"] == "250"
        assert params["sort"] == "id:asc"
        assert params["customer_id"] == "7"
        assert params["min_date_created"] == "Sun, 01 Mar 2026 00:00:00 +0000"
    assert dict(store.count.calls.last.request.url.params) == {
        "customer_id": "7",
        "min_date_created": "Sun, 01 Mar 2026 00:00:00 +0000",
    }
    batches = sorted(len(q["order_id:in"].split(",")) for q in store.refund_queries)
    assert batches == [101, 250, 250]


async def test_past_the_bound_it_is_partial_with_the_call_for_the_rest(api: respx.MockRouter) -> None:
    Store(api, [order(i) for i in range(1, 801)], [])
    client = BigCommerceClient(API, TOKEN, timeout=5)
    async with Client(build_server(Stores.single(client, summary_max_orders=300))) as session:
        answer = await call_ok(session, "summarize_orders", {"max_date_created": "2026-04-01"})
    assert answer["orders"] == 800
    assert answer["sales"][0]["orders"] == 300
    assert answer["partial"] == {
        "read": 300,
        "through_id": 300,
        "rest": {"max_date_created": "Wed, 01 Apr 2026 00:00:00 +0000", "min_id": 301},
    }


async def test_no_orders_is_a_zero_and_a_notice(mcp_client: Any, api: respx.MockRouter) -> None:
    store = Store(api, [], [])
    answer = await call_ok(mcp_client, "summarize_orders", {"status_id": 9})
    assert answer == {"orders": 0, "sales": [], "statuses": [], "notice": NO_ORDERS}
    assert store.pages == []


async def test_progress_goes_to_the_client_that_asked_for_it(mcp_client: Any, api: respx.MockRouter) -> None:
    Store(api, [order(i) for i in range(1, 1001)], [])
    seen: list[tuple[float, float | None, str | None]] = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    result = await mcp_client.call_tool("summarize_orders", {}, progress_callback=progress)
    assert not result.is_error
    assert sorted(done for done, _, _ in seen) == [250, 500, 750, 1000]
    assert {total for _, total, _ in seen} == {1000}
    # Without a callback the same call sends none, and answers the same.
    assert (await mcp_client.call_tool("summarize_orders", {})).structured_content == result.structured_content


async def test_a_failing_page_is_the_tools_error_not_an_internal_one(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get(f"{API}/orders", params={"page": "2"}).respond(400, json=[{"status": 400, "message": "bad page"}])
    Store(api, [order(i) for i in range(1, 600)], [])
    result = await mcp_client.call_tool("summarize_orders", {})
    text = await call_error(mcp_client, "summarize_orders", {})
    assert result.structured_content["error"]["type"] == "bad_request"
    assert "bad page" in text


async def test_hostile_values_are_left_out_and_said(mcp_client: Any, api: respx.MockRouter) -> None:
    orders = [
        order(1, total="NaN"),
        order(2, currency="usd!"),
        {"id": "x", "status_id": 10},
        order(3, status_id="junk"),
        order(4, date_created="yesterday", total="1e400"),
        *(order(10 + i, currency=f"A{chr(65 + i // 26)}{chr(65 + i % 26)}") for i in range(40)),
    ]
    Store(api, orders, [refund(1, 1, "lots"), refund(2, 999, 5)])
    answer = await call_ok(mcp_client, "summarize_orders", {})
    assert len(answer["sales"]) <= 20
    assert {row["currency"] for row in answer["sales"]} >= {"USD"}
    assert all(not isinstance(row["total"], str) for row in answer["sales"])
    unreadable = " ".join(answer["unreadable"])
    for said in ("total_inc_tax", "currency", "id", "status", "date_created", "refunds"):
        assert said in unreadable
    assert len(json.dumps(answer)) < 20_000


def test_the_default_bound_is_the_settings() -> None:
    from bigcommerce_orders_mcp.settings import Settings

    assert Settings().summary_max_orders == DEFAULT_MAX_ORDERS == 10_000
