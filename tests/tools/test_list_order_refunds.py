"""list_order_refunds: refunded items named as a person says them, the order's currency, payments, envelope errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import respx

from tests.calls import call_error, call_ok
from tests.conftest import API

pytestmark = pytest.mark.anyio

TOOL = "list_order_refunds"
STORE = API.removesuffix("/v2")
REFUNDS = "/v3/orders/138/payment_actions/refunds"
ORDER = "/v2/orders/138"


@pytest.fixture
def store() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=STORE, assert_all_called=False) as router:
        yield router


def order(**extra: Any) -> dict[str, Any]:
    address = {"id": 508, "first_name": "José", "last_name": "Ruiz", "city": "Sevilla", "country": "Spain"}
    lines = [
        {"id": 1018, "name": "Fog Linen Chambray Towel", "sku": "FLCT"},
        {"id": 1019, "name": "Linen Apron", "name_customer": "Linen Apron (Rust)", "sku": "LAPR"},
    ]
    return {
        "id": 138,
        "default_currency_code": "EUR",
        "currency_code": "USD",
        "consignments": {"shipping": [{**address, "line_items": lines}]},
        **extra,
    }


def refund(refund_id: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "id": refund_id,
        "order_id": 138,
        "user_id": 2,
        "created": "2024-07-05T16:20:31+00:00",
        "reason": "Wrong colour",
        "total_amount": 45.08,
        "total_tax": 7.82,
        "items": [{"item_type": "PRODUCT", "item_id": 1018, "quantity": 1, "requested_amount": 45.08}],
        "payments": [{"provider_id": "storecredit", "amount": 45.08, "offline": False, "is_declined": False}],
        **extra,
    }


async def test_a_refund_with_its_items_named_in_the_orders_currency(mcp_client: Any, store: respx.MockRouter) -> None:
    store.get(REFUNDS).respond(json={"data": [refund()], "meta": {}})
    named = store.get(ORDER).respond(json=order())
    answer = await call_ok(mcp_client, TOOL, {"order_id": 138})
    assert answer == {
        "order_id": 138,
        "currency": "EUR",
        "refunded": 45.08,
        "refunds": [
            {
                "id": 1,
                "date": "2024-07-05T16:20:31Z",
                "staff_user_id": 2,
                "reason": "Wrong colour",
                "total": 45.08,
                "tax": 7.82,
                "items": [{"what": "Fog Linen Chambray Towel", "sku": "FLCT", "quantity": 1, "amount": 45.08}],
                "payments": [{"provider": "store credit", "amount": 45.08}],
            }
        ],
    }
    assert dict(named.calls.last.request.url.params) == {
        "include": "consignments.line_items",
        "consignment_structure": "object",
    }


async def test_every_kind_of_item_as_a_person_says_it(mcp_client: Any, store: respx.MockRouter) -> None:
    items = [
        {"item_type": "GIFT_WRAPPING", "item_id": 1019, "requested_amount": 3},
        {"item_type": "SHIPPING", "item_id": 508, "requested_amount": 9.9},
        {"item_type": "HANDLING", "item_id": 508, "requested_amount": 2},
        {"item_type": "ORDER", "item_id": 138, "requested_amount": 5},
        {"item_type": "FEE", "item_id": 7, "requested_amount": 1.5},
        {"item_type": "PRODUCT", "item_id": 4242, "quantity": 2, "requested_amount": 10},
        {"item_type": "SHIPPING", "item_id": 999, "requested_amount": 1},
    ]
    store.get(REFUNDS).respond(json={"data": [refund(items=items)]})
    store.get(ORDER).respond(json=order())
    answer = await call_ok(mcp_client, TOOL, {"order_id": 138})
    assert answer["refunds"][0]["items"] == [
        {"what": "gift wrapping of Linen Apron (Rust)", "sku": "LAPR", "amount": 3},
        {"what": "shipping to José Ruiz, Sevilla, Spain", "amount": 9.9},
        {"what": "handling to José Ruiz, Sevilla, Spain", "amount": 2},
        {"what": "an amount of order 138 as a whole", "amount": 5},
        {"what": "a fee", "amount": 1.5, "item_id": 7},
        {"what": "a product", "quantity": 2, "amount": 10, "item_id": 4242},
        {"what": "shipping", "amount": 1, "item_id": 999},
    ]


async def test_a_declined_payment_returns_nothing(mcp_client: Any, store: respx.MockRouter) -> None:
    declined = {"provider_id": "braintree", "amount": 45.08, "is_declined": True, "declined_message": "Card closed"}
    offline = {"provider_id": "custom", "amount": 10, "offline": True, "transaction_id": "T-1"}
    store.get(REFUNDS).respond(json={"data": [refund(payments=[declined, offline])]})
    store.get(ORDER).respond(json=order())
    answer = await call_ok(mcp_client, TOOL, {"order_id": 138})
    assert answer["refunds"][0]["payments"] == [
        {"provider": "Braintree", "amount": 45.08, "declined": True, "declined_message": "Card closed"},
        {"provider": "manual refund", "amount": 10, "offline": True, "transaction_id": "T-1"},
    ]
    assert answer["refunded"] == 10


async def test_no_refunds_is_an_empty_list_without_a_second_call(mcp_client: Any, store: respx.MockRouter) -> None:
    store.get(REFUNDS).respond(json={"data": [], "meta": {}})
    named = store.get(ORDER).respond(json=order())
    answer = await call_ok(mcp_client, TOOL, {"order_id": 138})
    assert answer == {"order_id": 138, "refunds": [], "notice": "Order 138 has no refunds."}
    assert not named.called


async def test_a_missing_order_is_not_found(mcp_client: Any, store: respx.MockRouter) -> None:
    store.get(REFUNDS).respond(404, json={"status": 404, "title": "Not found", "type": "x"})
    text = await call_error(mcp_client, TOOL, {"order_id": 138})
    assert text == "Order 138 was not found in this store; check the order number."


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ([refund()], "a JSON array instead of an object with data"),
        ({"data": {"id": 1}}, "data that is a JSON object, not a list"),
        ({"data": [refund(order_id=139)]}, "a refund of order 139"),
    ],
)
async def test_an_answer_that_is_not_this_orders_refunds_is_invalid(
    mcp_client: Any, store: respx.MockRouter, body: Any, found: str
) -> None:
    store.get(REFUNDS).respond(json=body)
    assert found in await call_error(mcp_client, TOOL, {"order_id": 138})


async def test_the_order_of_another_number_is_invalid(mcp_client: Any, store: respx.MockRouter) -> None:
    store.get(REFUNDS).respond(json={"data": [refund()]})
    store.get(ORDER).respond(json=order(id=139))
    text = await call_error(mcp_client, TOOL, {"order_id": 138})
    assert "Asked for order 138 to name what its refunds returned, BigCommerce answered with order 139" in text


async def test_hostile_values_are_left_out_or_bounded(mcp_client: Any, store: respx.MockRouter) -> None:
    hostile = refund(
        id="x",
        user_id=-3,
        created="yesterday",
        reason="r" * 5000,
        total_amount="lots",
        total_tax=[1],
        items=[None, 3, {"item_type": ["PRODUCT"], "item_id": {"a": 1}, "quantity": "two"}],
        payments="none",
    )
    store.get(REFUNDS).respond(json={"data": [hostile]})
    store.get(ORDER).respond(json=order(default_currency_code=7, consignments="none"))
    answer = await call_ok(mcp_client, TOOL, {"order_id": 138})
    (shown,) = answer["refunds"]
    assert set(shown) == {"reason", "items"}
    assert len(shown["reason"]) < 700
    assert shown["items"] == [{}]
    assert "currency" not in answer
