"""The demo store's refunds (Orders v3, hand-written records): what each returned, and through which payment.

A refund names products by SKU and shipping by the order's address index; ``payment_actions`` turns them into
the API's ``Refund`` objects, amounts taken from the order's line items so that they agree with its totals.

- 138: a towel returned. The refund to the card was declined (the card account is closed); the same towel was
  then refunded as store credit. Only the second returned money: ``refunded_amount`` counts it once.
- 146: the whole order refunded before dispatch, products and shipping, back to PayPal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["REFUNDS", "RefundPaid", "RefundRecord", "Refunded"]


@dataclass(frozen=True)
class Refunded:
    """One refunded item: a product line by SKU (with a quantity), or shipping/handling of an address."""

    item_type: Literal["PRODUCT", "SHIPPING", "HANDLING"]
    sku: str = ""
    quantity: int = 0
    address: int = 0
    reason: str = ""


@dataclass(frozen=True)
class RefundPaid:
    """Where a refund's money went: a provider and whether it was declined (then nothing was returned)."""

    provider_id: str
    offline: bool = False
    declined_message: str = ""


@dataclass(frozen=True)
class RefundRecord:
    order_id: int
    created: str  # ISO-8601 UTC
    user_id: int
    reason: str
    items: tuple[Refunded, ...]
    paid: RefundPaid


REFUNDS: tuple[RefundRecord, ...] = (
    RefundRecord(
        138,
        "2024-07-05T16:20:31Z",
        2,
        "Towel returned: wrong colour (Charcoal instead of Sage).",
        (Refunded("PRODUCT", "FLCT", 1, reason="Wrong colour"),),
        RefundPaid(
            "braintree",
            declined_message="Refund declined by the card issuer: the card account is closed.",
        ),
    ),
    RefundRecord(
        138,
        "2024-07-05T16:34:02Z",
        2,
        "Card refund declined (account closed): refunded as store credit instead, as the customer asked.",
        (Refunded("PRODUCT", "FLCT", 1, reason="Wrong colour"),),
        RefundPaid("storecredit"),
    ),
    RefundRecord(
        146,
        "2024-08-10T02:41:07Z",
        1,
        "Terrarium out of stock until October: refunded in full before dispatch.",
        (
            Refunded("PRODUCT", "OTS", 1, reason="Out of stock"),
            Refunded("PRODUCT", "CC3C", 1, reason="Ordered with the terrarium"),
            Refunded("SHIPPING", address=0),
        ),
        RefundPaid("paypalexpress"),
    ),
)
