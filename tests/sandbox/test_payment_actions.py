"""The demo store's Orders v3: refunds that agree with their orders, transactions, the routes and their errors."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from tests.sandbox.helpers import SEED, STATUS_CODES_URL, client

pytestmark = pytest.mark.anyio

V3 = "/stores/sandbox/v3"
REFUND_KEYS = {
    "id", "order_id", "user_id", "created", "reason", "total_amount", "total_tax",
    "uses_merchant_override_values", "items", "payments",
}  # fmt: skip
TRANSACTION_BASE = {"event", "method", "amount", "currency", "gateway"}


async def get(path: str, **params: str) -> Any:
    async with client() as http:
        return await http.get(V3 + path, params=params)


def _returned(refund: dict[str, Any]) -> bool:
    return any(not payment["is_declined"] for payment in refund["payments"])


def test_refunds_agree_with_their_orders_line_items_and_totals() -> None:
    assert SEED.refunds, "the demo store has refunds"
    for order_id, refunds in SEED.refunds.items():
        order = SEED.orders[order_id]
        refunded = Counter[int]()
        for refund in refunds:
            assert set(refund) == REFUND_KEYS
            items = sum(Decimal(str(item["requested_amount"])) for item in refund["items"])
            assert Decimal(str(refund["total_amount"])) == items
            assert sum(p["amount"] for p in refund["payments"]) == refund["total_amount"]
            if _returned(refund):
                refunded.update({i["item_id"]: i["quantity"] for i in refund["items"] if i["item_type"] == "PRODUCT"})
        for line in order.products:
            assert line["quantity_refunded"] == refunded[line["id"]], (order_id, line["sku"])
            per_unit = Decimal(line["total_inc_tax"]) / line["quantity"]
            assert Decimal(line["refund_amount"]) == per_unit * line["quantity_refunded"]
        returned = sum(Decimal(str(r["total_amount"])) for r in refunds if _returned(r))
        assert Decimal(order.payload["refunded_amount"]) == returned, order_id


def test_every_refunded_order_has_its_refunds() -> None:
    refunded = {order.id for order in SEED.orders.values() if Decimal(order.payload["refunded_amount"]) > 0}
    assert refunded == set(SEED.refunds)


def test_the_refund_cases_the_tools_need() -> None:
    refunds = SEED.all_refunds()
    kinds = {item["item_type"] for refund in refunds for item in refund["items"]}
    assert {"PRODUCT", "SHIPPING"} <= kinds
    payments = [payment for refund in refunds for payment in refund["payments"]]
    assert any(payment["is_declined"] and payment["declined_message"] for payment in payments)
    assert any(payment["provider_id"] == "storecredit" and not payment["is_declined"] for payment in payments)
    whole = [
        r
        for r in refunds
        if Decimal(SEED.orders[r["order_id"]].payload["total_inc_tax"]) == Decimal(str(r["total_amount"]))
    ]
    assert whole, "a whole order refunded"
    assert [refund["id"] for refund in refunds] == list(range(1, len(refunds) + 1))


def test_transactions_from_several_gateways_with_every_case() -> None:
    rows = [row for rows in SEED.transactions.values() for row in rows]
    for row in rows:
        assert set(row) >= TRANSACTION_BASE
        assert row["currency"] == SEED.orders[int(row["order_id"])].payload["currency_code"]
    assert len({row["gateway"] for row in rows}) >= 6
    assert any(row["status"] == "error" and row["method"] == "credit_card" for row in rows)
    captures = [row for row in rows if row["event"] == "capture"]
    assert captures
    assert all(
        any(r["id"] == c["reference_transaction_id"] and r["event"] == "authorization" for r in rows) for c in captures
    )
    assert any(row.get("avs_result", {}).get("code") not in (None, "Y", "X", "D", "M", "F") for row in rows)
    assert any(row["fraud_review"] for row in rows)
    assert any(row["test"] for row in rows)
    assert any(row["method"] == "offline" and row["offline"]["display_name"] for row in rows)
    assert any(row["method"] == "gift_certificate" and row["gift_certificate"]["code"] for row in rows)
    assert sorted(row["id"] for row in rows) == list(range(1, len(rows) + 1))


async def test_an_orders_refunds_in_the_v3_envelope() -> None:
    response = await get("/orders/146/payment_actions/refunds")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data", "meta"}
    assert [refund["id"] for refund in body["data"]] == [refund["id"] for refund in SEED.refunds[146]]
    assert (await get("/orders/108/payment_actions/refunds")).json() == {"data": [], "meta": {}}


async def test_an_orders_transactions_and_204_without() -> None:
    response = await get("/orders/133/transactions")
    assert [row["status"] for row in response.json()["data"]] == ["error", "error"]
    empty = await get("/orders/104/transactions")
    assert (empty.status_code, empty.content) == (204, b"")


@pytest.mark.parametrize("path", ["/orders/99999/transactions", "/orders/0/payment_actions/refunds"])
async def test_a_missing_order_is_a_v3_404(path: str) -> None:
    response = await get(path)
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "title": "The requested resource was not found.",
        "type": STATUS_CODES_URL,
        "errors": {},
    }


async def test_the_stores_refunds_filtered_and_paged() -> None:
    every = SEED.all_refunds()
    response = await get("/orders/payment_actions/refunds", **{"order_id:in": "138,146", "limit": "2"})
    body = response.json()
    assert [r["id"] for r in body["data"]] == [r["id"] for r in every[:2]]
    assert body["meta"]["pagination"] == {"total": 3, "count": 2, "per_page": 2, "current_page": 1, "total_pages": 2}
    second = await get("/orders/payment_actions/refunds", **{"order_id:in": "138,146", "limit": "2", "page": "2"})
    assert [r["id"] for r in second.json()["data"]] == [every[2]["id"]]
    by_id = (await get("/orders/payment_actions/refunds", **{"id:in": "2"})).json()["data"]
    assert [r["id"] for r in by_id] == [2]
    dated = await get("/orders/payment_actions/refunds", **{"created:min": "2024-08-01T00:00:00Z"})
    assert [r["order_id"] for r in dated.json()["data"]] == [146, 270, 273]  # 2024-08-10, and the 2026 sales day
    until = await get("/orders/payment_actions/refunds", **{"created:max": "2024-07-05T16:30:00+00:00"})
    assert [r["id"] for r in until.json()["data"]] == [1]


@pytest.mark.parametrize(
    ("params", "status"),
    [({"order_id:in": "1,x"}, 422), ({"created:min": "yesterday"}, 422), ({"limit": "251"}, 413)],
)
async def test_bad_filters_get_v3_errors(params: dict[str, str], status: int) -> None:
    response = await get("/orders/payment_actions/refunds", **params)
    assert response.status_code == status
    assert set(response.json()) == {"status", "title", "type", "errors"}
