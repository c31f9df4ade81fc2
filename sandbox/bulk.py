"""A store of N generated orders (``bigcommerce-orders-mcp sandbox --orders N``), for summaries and the bench.

The same N always gives the same orders: a fixed seed picks each order's customer, products, status, currency
and date, and ``order_payload`` computes its money as it does for the hand-written records. One sale in ten has a
refund. Nothing else of the demo store is in it: its order ids run from 1 to N, one an hour from 2027-01-01.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from bigcommerce_orders_mcp.sandbox.catalog import CATALOG
from bigcommerce_orders_mcp.sandbox.line_items import Ids
from bigcommerce_orders_mcp.sandbox.order_payload import build_order
from bigcommerce_orders_mcp.sandbox.order_spec import L, OrderSpec, Payment, Tax
from bigcommerce_orders_mcp.sandbox.people import REGISTERED_CUSTOMERS
from bigcommerce_orders_mcp.sandbox.store import JSON, Order, SandboxStore

__all__ = ["BULK_START", "LEFT_OUT_STATUSES", "bulk_orders", "bulk_refunds", "bulk_store"]

BULK_START = datetime(2027, 1, 1, tzinfo=UTC)
LEFT_OUT_STATUSES = (0, 5, 6)
"""Incomplete, cancelled and declined: no sale, so never refunded."""

# Mostly shipped and completed, as in a real store; a few of every other status.
_STATUSES = (10,) * 40 + (2,) * 25 + (11,) * 10 + (9,) * 8 + (1, 3, 4, 7, 8, 12, 13, 14, 0, 5, 6)
_CURRENCIES = ("USD",) * 8 + ("EUR", "GBP")
_TAXES = {"USD": Tax("0.0825"), "EUR": Tax("0.19", inclusive=True), "GBP": Tax("0.20", inclusive=True)}
_PHYSICAL = tuple(
    sorted(key for key, product in CATALOG.items() if product.type == "physical" and product.option_set_id is None)
)


def bulk_orders(count: int, seed: int = 2027) -> dict[int, Order]:
    """`count` generated orders by id; deterministic for a given `count` and `seed`."""
    rng, ids = random.Random(seed), Ids()
    orders = {}
    for order_id in range(1, count + 1):
        spec = _spec(order_id, rng)
        orders[order_id] = build_order(spec, ids, rng)
    return orders


def _spec(order_id: int, rng: random.Random) -> OrderSpec:
    currency = rng.choice(_CURRENCIES)
    lines = [L(sku, rng.randint(1, 3)) for sku in rng.sample(_PHYSICAL, rng.randint(1, 3))]
    created = BULK_START + timedelta(hours=order_id - 1, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
    return OrderSpec(
        order_id,
        created.strftime("%Y-%m-%d %H:%M:%S"),
        rng.choice(REGISTERED_CUSTOMERS),
        lines,
        status_id=rng.choice(_STATUSES),
        currency=currency,
        tax=_TAXES[currency],
        payment=Payment(card_type={}),
    )


def bulk_refunds(orders: dict[int, Order], seed: int = 2027) -> dict[int, list[JSON]]:
    """One sale in ten refunded in part, as Orders v3 writes a refund; amounts in the order's currency."""
    rng = random.Random(seed + 1)
    refunds: dict[int, list[JSON]] = {}
    refund_id = 0
    for order_id, order in orders.items():
        if order.payload["status_id"] in LEFT_OUT_STATUSES or rng.random() >= 0.1:
            continue
        refund_id += 1
        total = Decimal(order.payload["total_inc_tax"])
        amount = (total * Decimal(rng.randint(5, 100)) / 100).quantize(Decimal("0.01"))
        refunds[order_id] = [_refund(refund_id, order, amount)]
    return refunds


def _refund(refund_id: int, order: Order, amount: Decimal) -> JSON:
    created = datetime.strptime(order.payload["date_created"], "%a, %d %b %Y %H:%M:%S %z") + timedelta(days=3)
    payment: dict[str, Any] = {
        "id": refund_id,
        "provider_id": "braintree",
        "amount": float(amount),
        "offline": False,
        "is_declined": False,
        "declined_message": "",
    }
    return {
        "id": refund_id,
        "order_id": order.id,
        "user_id": 2,
        "created": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reason": "Customer return",
        "total_amount": float(amount),
        "total_tax": 0,
        "uses_merchant_override_values": False,
        "items": [{"item_type": "ORDER", "item_id": order.id, "quantity": 0, "requested_amount": str(amount)}],
        "payments": [payment],
    }


def bulk_store(count: int) -> SandboxStore:
    """A store holding only `count` generated orders (and their refunds), no messages."""
    orders = bulk_orders(count)
    return SandboxStore(orders=orders, messages={}, refunds=bulk_refunds(orders))
