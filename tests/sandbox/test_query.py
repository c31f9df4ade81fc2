"""The query parameters of the order and message lists: filters, sorting, paging, bad values, counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

import pytest

from tests.sandbox.helpers import BASE, SEED, Payload, client, get, rfc2822, spec_fixture

# ----------------------------------------------------------------------------------------------------------------
# GET /orders and /orders/count
# ----------------------------------------------------------------------------------------------------------------


JANE = "janedoe@example.com"


async def order_ids(**params: Any) -> list[int]:
    """The ids GET /orders answers, every page of 250 read; [] for a 204."""
    ids: list[int] = []
    async with client() as http:
        for page in range(1, 10):
            response = await http.get(BASE + "/orders", params={**params, "limit": 250, "page": page})
            if response.status_code == 204:
                assert response.content == b""
                assert "content-type" not in response.headers
                return ids
            assert response.status_code == 200, response.text
            ids += [order["id"] for order in response.json()]
    raise AssertionError("more pages than orders")


def seed_ids(keep: Callable[[Payload], bool]) -> list[int]:
    return [order.id for order in SEED.orders.values() if keep(order.payload)]


def when(field: str, order: Payload) -> datetime:
    return parsedate_to_datetime(order[field])


def total(order: Payload) -> Decimal:
    return Decimal(order["total_inc_tax"])


ORDER_FILTERS: dict[str, tuple[dict[str, Any], Callable[[Payload], bool]]] = {
    "min_id": ({"min_id": 200}, lambda o: o["id"] >= 200),
    "max_id": ({"max_id": 150}, lambda o: o["id"] <= 150),
    "id range, both ends kept": ({"min_id": 150, "max_id": 199}, lambda o: 150 <= o["id"] <= 199),
    "min_total": ({"min_total": "300.50"}, lambda o: total(o) >= Decimal("300.50")),
    "max_total": ({"max_total": 100}, lambda o: total(o) <= 100),
    "customer_id": ({"customer_id": 11}, lambda o: o["customer_id"] == 11),
    "customer_id of guests": ({"customer_id": 0}, lambda o: o["customer_id"] == 0),
    "email, any case": (
        {"email": "JaneDoe@Example.com"},
        lambda o: o["billing_address"]["email"] == "janedoe@example.com",
    ),
    "status_id": ({"status_id": 2}, lambda o: o["status_id"] == 2),
    "cart_id": ({"cart_id": "7e48f7ef-2e88-4817-aea4-b0ed01490114"}, lambda o: o["id"] == 218),
    "payment_method, any case": ({"payment_method": "paypal"}, lambda o: o["payment_method"] == "PayPal"),
    "min_date_created, RFC-2822": (
        {"min_date_created": "Wed, 01 Jan 2025 00:00:00 +0000"},
        lambda o: when("date_created", o) >= datetime(2025, 1, 1, tzinfo=UTC),
    ),
    "max_date_created, ISO-8601 with offset": (
        {"max_date_created": "2024-06-30T19:00:00.000-05:00"},
        lambda o: when("date_created", o) <= datetime(2024, 7, 1, tzinfo=UTC),
    ),
    "min_date_modified, inclusive": (
        {"min_date_modified": "2025-09-14T17:03:28Z"},
        lambda o: when("date_modified", o) >= datetime(2025, 9, 14, 17, 3, 28, tzinfo=UTC),
    ),
    "max_date_modified, inclusive": (
        {"max_date_modified": "Sat, 03 Feb 2024 12:41:13 +0000"},
        lambda o: when("date_modified", o) <= datetime(2024, 2, 3, 12, 41, 13, tzinfo=UTC),
    ),
    "channel_id": ({"channel_id": 3}, lambda o: o["channel_id"] == 3),
    "external_order_id": ({"external_order_id": "external-order-id"}, lambda o: o["id"] in (218, 247)),
    "external_order_id of an archived eBay order": (
        {"external_order_id": "17-13045-88213"},
        lambda o: o["is_deleted"] and o["ebay_order_id"] == "17-13045-88213",
    ),
    "several at once": ({"customer_id": 11, "status_id": 7}, lambda o: o["customer_id"] == 11 and o["status_id"] == 7),
}


@pytest.mark.anyio
@pytest.mark.parametrize(("params", "keep"), list(ORDER_FILTERS.values()), ids=list(ORDER_FILTERS))
async def test_each_order_filter(params: dict[str, Any], keep: Callable[[Payload], bool]) -> None:
    expected = seed_ids(keep)
    assert 0 < len(expected) < len(SEED.orders), "the case must keep some orders and drop others"
    assert await order_ids(**params) == expected


@pytest.mark.anyio
async def test_orders_are_full_orders_by_id_with_50_by_default() -> None:
    async with client() as http:
        response = await http.get(BASE + "/orders")
        one = await http.get(BASE + "/orders/218")
    assert response.status_code == 200
    orders = response.json()
    assert [o["id"] for o in orders] == sorted(SEED.orders)[:50]  # 54 orders: the default 50 on the first page
    assert orders[[o["id"] for o in orders].index(218)] == one.json()


@pytest.mark.anyio
async def test_order_paging() -> None:
    ids = sorted(SEED.orders)
    async with client() as http:
        pages = [await http.get(BASE + "/orders", params={"limit": 7, "page": page}) for page in range(1, 10)]
    assert [r.status_code for r in pages] == [200] * 8 + [204]
    assert [o["id"] for r in pages[:8] for o in r.json()] == ids
    assert [len(r.json()) for r in pages[:8]] == [7, 7, 7, 7, 7, 7, 7, 5]  # 54 orders
    assert pages[8].content == b""


def sort_key(field: str) -> Callable[[Payload], Any]:
    if field.startswith("date_"):
        return lambda o: when(field, o)
    if field == "external_id":
        return lambda o: (o["external_id"] is not None, o["external_id"] or "")  # nulls first
    return lambda o: o[field]


@pytest.mark.anyio
@pytest.mark.parametrize("direction", ["", ":asc", ":desc"])
@pytest.mark.parametrize(
    "field", ["id", "customer_id", "date_created", "date_modified", "status_id", "channel_id", "external_id"]
)
async def test_sort(field: str, direction: str) -> None:
    payloads = [order.payload for order in SEED.orders.values()]  # by id, so ties stay in id order
    expected = [o["id"] for o in sorted(payloads, key=sort_key(field), reverse=direction == ":desc")]
    assert await order_ids(sort=field + direction) == expected


@pytest.mark.anyio
async def test_sort_pages_and_filters_together() -> None:
    params = {"sort": "date_modified:desc", "status_id": 10, "limit": 3}
    pages = [(await get("/orders", params={**params, "page": page})).json() for page in (1, 2)]
    completed = [o.payload for o in SEED.orders.values() if o.payload["status_id"] == 10]
    newest_first = sorted(completed, key=sort_key("date_modified"), reverse=True)
    assert [o["id"] for o in pages[0] + pages[1]] == [o["id"] for o in newest_first][:6]


@pytest.mark.anyio
async def test_orders_embed_what_include_asks_for() -> None:
    params = {"include": "consignments.line_items,fees", "consignment_structure": "object", "customer_id": 11}
    orders = (await get("/orders", params=params)).json()
    assert orders
    for order in orders:
        assert isinstance(order["fees"], list)
        assert set(order["consignments"]) == {"pickups", "shipping", "downloads", "email"}
        assert order == (await get(f"/orders/{order['id']}", params=params)).json()


BAD_ORDER_QUERIES = [
    {"min_id": "abc"},
    {"max_id": "1.5"},
    {"min_total": "cheap"},
    {"max_total": "NaN"},
    {"customer_id": "me"},
    {"status_id": "shipped"},
    {"channel_id": "web"},
    {"min_date_created": "last tuesday"},
    {"max_date_created": "2025-13-45"},
    {"min_date_modified": "yesterday"},
    {"max_date_modified": "32/01/2025"},
    {"sort": "total"},
    {"sort": "id:up"},
    {"sort": ""},
    {"page": "0"},
    {"page": "two"},
    {"limit": "0"},
    {"include": "products"},
    {"consignment_structure": "array"},
]
BAD_MESSAGE_QUERIES = [
    {"status": "archived"},
    {"is_flagged": "maybe"},
    {"min_id": "abc"},
    {"max_id": "1.5"},
    {"customer_id": "me"},
    {"min_date_created": "last tuesday"},
    {"max_date_created": "2025-13-45"},
    {"page": "0"},
    {"page": "two"},
    {"limit": "0"},
]
BAD_SHIPMENT_QUERIES = [{"page": "0"}, {"limit": "x"}]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("path", "params"),
    [("/orders", q) for q in BAD_ORDER_QUERIES]
    + [("/orders/count", {"min_total": "lots"})]
    + [("/orders/181/messages", q) for q in BAD_MESSAGE_QUERIES]
    + [("/orders/199/shipments", q) for q in BAD_SHIPMENT_QUERIES],
)
async def test_bad_query_values_are_400(path: str, params: dict[str, str]) -> None:
    response = await get(path, params=params)
    assert response.status_code == 400
    (error,) = response.json()
    assert error["status"] == 400
    assert next(iter(params)) in error["message"]


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/orders", "/orders/150/messages", "/orders/199/shipments"])
async def test_limit_above_250_is_413(path: str) -> None:
    response = await get(path, params={"limit": 251})
    assert response.status_code == 413
    assert response.json() == [{"status": 413, "message": "The field 'limit' must not be greater than 250."}]


@pytest.mark.anyio
async def test_order_count_per_status_and_with_filters() -> None:
    everything = (await get("/orders/count")).json()
    shipped = (await get("/orders/count", params={"status_id": 2})).json()
    janes = (await get("/orders/count", params={"email": JANE})).json()
    assert everything["count"] == len(SEED.orders) == sum(s["count"] for s in everything["statuses"])
    assert [s["id"] for s in everything["statuses"]] == list(range(15))
    assert everything["statuses"][12]["custom_label"] == "On Hold - Fraud Review"
    assert shipped["count"] == len(seed_ids(lambda o: o["status_id"] == 2))
    assert {s["id"]: s["count"] for s in shipped["statuses"] if s["count"]} == {2: shipped["count"]}
    assert janes["count"] == 5


# ----------------------------------------------------------------------------------------------------------------
# GET /orders/{id}/messages
# ----------------------------------------------------------------------------------------------------------------


async def messages(order_id: int, **params: Any) -> list[dict[str, Any]]:
    response = await get(f"/orders/{order_id}/messages", params=params)
    if response.status_code == 204:
        assert response.content == b""
        return []
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body


@pytest.mark.anyio
async def test_messages_are_a_bare_array_sorted_by_id() -> None:
    thread = await messages(181)
    assert [m["id"] for m in thread] == sorted(m["id"] for m in thread)
    assert set(thread[0]) == set(spec_fixture("order_messages.200.example.json")[0])
    last = thread[-1]
    assert last["type"] == "admin"
    assert last["staff_id"] == 1
    assert last["customer_id"] == 11
    assert last["subject"] == "Re: Order #181"
    assert last["message"] == "Thank you again!"
    assert last["customer"] == {}


@pytest.mark.anyio
async def test_message_paging() -> None:
    first = await messages(150)
    second = await messages(150, page=2, limit=50)
    assert len(first) == 50
    assert 10 <= len(second) < 50
    assert first[-1]["id"] < second[0]["id"]
    assert await messages(150, page=3, limit=50) == []
    small = await messages(150, page=2, limit=10)
    assert small == first[10:20]
    assert len(await messages(150, limit=250)) == len(first) + len(second)


@pytest.mark.anyio
async def test_message_id_filters() -> None:
    thread = await messages(150, limit=250)
    low, high = thread[5]["id"], thread[20]["id"]
    selected = await messages(150, min_id=low, max_id=high, limit=250)
    assert [m["id"] for m in selected] == [m["id"] for m in thread if low <= m["id"] <= high]
    assert await messages(150, min_id=thread[-1]["id"] + 1) == []


@pytest.mark.anyio
async def test_message_customer_filter() -> None:
    assert len(await messages(181, customer_id=11)) == 6
    assert await messages(181, customer_id=12) == []
    assert len(await messages(222, customer_id=0)) == 3


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("after", "before"),
    [
        ("Wed, 29 Jan 2025 00:00:00 +0000", "Fri, 31 Jan 2025 00:00:00 +0000"),
        ("2025-01-29T00:00:00Z", "2025-01-31T00:00:00+00:00"),
        ("2025-01-28T19:00:00.000-05:00", "2025-01-30T19:00:00.000-05:00"),
        ("2025-01-29", "2025-01-31"),
    ],
)
async def test_message_date_filters(after: str, before: str) -> None:
    selected = await messages(181, min_date_created=after, max_date_created=before)
    dates = [rfc2822(m["date_created"]) for m in selected]
    assert dates
    assert all(datetime(2025, 1, 29).date() <= d.date() <= datetime(2025, 1, 30).date() for d in dates)
    assert len(selected) < len(await messages(181))


@pytest.mark.anyio
async def test_message_flag_and_status_filters() -> None:
    thread = await messages(199)
    for raw, flag in (("true", True), ("1", True), ("false", False), ("0", False)):
        selected = await messages(199, is_flagged=raw)
        assert selected == [m for m in thread if m["is_flagged"] is flag]
    unread = await messages(199, status="unread")
    read = await messages(199, status="read")
    assert unread
    assert {m["status"] for m in unread} == {"unread"}
    assert len(unread) + len(read) == len(thread)
