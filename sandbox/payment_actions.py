"""Orders v3 in the demo store: refunds and transactions built from their records, and the v3 answers.

Refund amounts come from the order's line items and addresses (inc. tax, as the store charged them), so a
refund agrees with ``refund_amount`` and ``refunded_amount``. Ids run across the store, ascending with date.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bigcommerce_orders_mcp.sandbox.query import BadQuery, paginate
from bigcommerce_orders_mcp.sandbox.refunds import REFUNDS, Refunded, RefundRecord
from bigcommerce_orders_mcp.sandbox.responses import JSONResponse
from bigcommerce_orders_mcp.sandbox.store import JSON, Order
from bigcommerce_orders_mcp.sandbox.transactions import TRANSACTIONS

__all__ = ["build_refunds", "build_transactions", "refunds_filter", "store_refunds", "v3_collection"]

_CENT = Decimal("0.01")


def _amount(value: Decimal) -> float:
    # v3 amounts are JSON numbers rounded to 2 places.
    return float(value.quantize(_CENT))


def build_refunds(orders: dict[int, Order]) -> dict[int, list[JSON]]:
    """Every order's refunds (``Refund`` objects) by order id."""
    refunds: dict[int, list[JSON]] = {}
    records = sorted(enumerate(REFUNDS), key=lambda pair: (pair[1].created, pair[0]))
    for refund_id, (_, record) in enumerate(records, start=1):
        refunds.setdefault(record.order_id, []).append(_refund(refund_id, record, orders[record.order_id]))
    return refunds


def _refund(refund_id: int, record: RefundRecord, order: Order) -> JSON:
    items = [_item(item, order) for item in record.items]
    total = sum((amount for _, amount, _ in items), Decimal(0))
    tax = sum((tax for _, _, tax in items), Decimal(0))
    paid = record.paid
    return {
        "id": refund_id,
        "order_id": order.id,
        "user_id": record.user_id,
        "created": record.created,
        "reason": record.reason,
        "total_amount": _amount(total),
        "total_tax": _amount(tax),
        "uses_merchant_override_values": False,
        "items": [item for item, _, _ in items],
        "payments": [
            {
                "id": refund_id,
                "provider_id": paid.provider_id,
                "amount": _amount(total),
                "offline": paid.offline,
                "is_declined": bool(paid.declined_message),
                "declined_message": paid.declined_message,
            }
        ],
    }


def _item(item: Refunded, order: Order) -> tuple[JSON, Decimal, Decimal]:
    """A ``RefundItem`` with its amount and tax, inc. tax as the line or address was charged."""
    if item.item_type == "PRODUCT":
        line = next(p for p in order.products if p["sku"] == item.sku)
        share = Decimal(item.quantity) / Decimal(line["quantity"])
        amount, tax = Decimal(line["total_inc_tax"]) * share, Decimal(line["total_tax"]) * share
        body: JSON = {"item_type": "PRODUCT", "item_id": line["id"], "quantity": item.quantity}
    else:
        address = order.shipping_addresses[item.address]
        prefix = "" if item.item_type == "SHIPPING" else "handling_"
        amount, tax = Decimal(address[f"{prefix}cost_inc_tax"]), Decimal(address[f"{prefix}cost_tax"])
        body = {"item_type": item.item_type, "item_id": address["id"]}
    body["requested_amount"] = _amount(amount)
    if item.reason:
        body["reason"] = item.reason
    return body, amount.quantize(_CENT), tax.quantize(_CENT)


def build_transactions(orders: dict[int, Order]) -> dict[int, list[JSON]]:
    """Every order's transactions (``Transaction`` objects) by order id, oldest first."""
    dated = sorted(
        (row["date_created"], order_id, index)
        for order_id, rows in TRANSACTIONS.items()
        for index, row in enumerate(rows)
    )
    ids = {(order_id, index): transaction_id for transaction_id, (_, order_id, index) in enumerate(dated, 1)}
    transactions: dict[int, list[JSON]] = {}
    for order_id, rows in TRANSACTIONS.items():
        payload = orders[order_id].payload
        for index, row in enumerate(rows):
            body = copy.deepcopy(row)
            reference = body.pop("reference", None)
            if reference is not None:
                body["reference_transaction_id"] = ids[(order_id, reference)]
            amount = Decimal(body.pop("amount", payload["total_inc_tax"]))
            transactions.setdefault(order_id, []).append(
                {
                    "id": ids[(order_id, index)],
                    "order_id": str(order_id),
                    **body,
                    "amount": _amount(amount),
                    "currency": payload["currency_code"],
                    "test": body.get("test", False),
                    "fraud_review": body.get("fraud_review", False),
                }
            )
    return transactions


def v3_collection(rows: list[Any], meta: JSON | None = None) -> Response:
    """A v3 collection: ``{"data": [...], "meta": {...}}``."""
    return JSONResponse({"data": rows, "meta": meta or {}})


def _ids(name: str, raw: str) -> set[int]:
    try:
        return {int(part) for part in raw.split(",") if part.strip()}
    except ValueError:
        raise BadQuery(f"The field '{name}' must be a comma-separated list of integers.", status=422) from None


def _moment(name: str, raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadQuery(f"The field '{name}' must be an RFC 3339 date-time.", status=422) from None


def refunds_filter(request: Request) -> Callable[[JSON], bool]:
    """The filters of ``GET /v3/orders/payment_actions/refunds``: ``order_id:in``, ``id:in``, ``created:min/max``."""
    query = request.query_params
    orders = _ids("order_id:in", query["order_id:in"]) if "order_id:in" in query else None
    ids = _ids("id:in", query["id:in"]) if "id:in" in query else None
    low = _moment("created:min", query["created:min"]) if "created:min" in query else None
    high = _moment("created:max", query["created:max"]) if "created:max" in query else None

    def keep(refund: JSON) -> bool:
        created = _moment("created", refund["created"])
        return (
            (orders is None or refund["order_id"] in orders)
            and (ids is None or refund["id"] in ids)
            and (low is None or created >= low)
            and (high is None or created <= high)
        )

    return keep


def store_refunds(request: Request, refunds: list[JSON]) -> Response:
    """One page of the store's refunds that the filters keep, with v3's pagination meta."""
    keep = refunds_filter(request)
    matching = [refund for refund in refunds if keep(refund)]
    page = paginate(request, matching)
    limit = int(request.query_params.get("limit", "50"))
    current = int(request.query_params.get("page", "1"))
    pages = max(1, -(-len(matching) // limit))
    meta = {
        "pagination": {
            "total": len(matching),
            "count": len(page),
            "per_page": limit,
            "current_page": current,
            "total_pages": pages,
        }
    }
    return v3_collection(page, meta)
