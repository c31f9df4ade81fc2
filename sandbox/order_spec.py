"""What an order is written as: its inputs, with the store's usual defaults (the vocabulary of the order records).

An ``OrderSpec`` says what the shopper bought and how, never an amount the store computes: ``money`` and
``order_payload`` turn it into the API's payloads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any, Literal

from bigcommerce_orders_mcp.sandbox.people import Person
from bigcommerce_orders_mcp.sandbox.store import JSON

__all__ = ["Channel", "Coupon", "Fee", "L", "Line", "OrderSpec", "Payment", "Promotion", "Ship", "Tax"]


@dataclass(frozen=True)
class Line:
    """One order line: a catalog product, how many, and what was chosen for it."""

    sku: str
    qty: int = 1
    options: tuple[tuple[str, str], ...] = ()
    price: str | None = None  # unit price in the order currency; default converts the catalog price
    shipped: int | None = None  # default follows the order status
    refunded: int = 0
    wrap: str | None = None  # gift-wrapping message; every unit of the line is wrapped
    wrap_with: str = "kraft"  # key into catalog.WRAPPINGS
    address: int = 0  # index into the order's ship_to
    recipient: str = ""  # gift certificate recipient
    name: str | None = None  # custom products (product_id 0) carry their own name
    custom: bool = False
    ebay: tuple[str, str] = ("", "")  # (ebay_item_id, ebay_transaction_id) of a line sold on eBay


def L(sku: str, qty: int = 1, *opts: tuple[str, str], **kw: Any) -> Line:
    """Shorthand for one order line: ``L("FLCT", 2, ("Size", "M"), ("Color", "Sage"))``."""
    return Line(sku, qty, tuple(opts), **kw)


@dataclass(frozen=True)
class Ship:
    """One shipping address of an order, with what its shipping costs before tax."""

    to: Person
    cost: str = "0"
    method: str = "Flat Rate"
    form_fields: tuple[JSON, ...] = ()


@dataclass(frozen=True)
class Coupon:
    """A coupon code the shopper entered."""

    coupon_id: int
    code: str
    type: int  # 0 per item, 1 percentage, 2 per total, 3 shipping, 4 free shipping, 5 promotion
    amount: str  # 10 means "$10" or "10 %" depending on type
    name: str = ""  # the coupon's name in the control panel; the code when empty
    skus: tuple[str, ...] = ()  # the lines it applies to (a product-level discount); empty: the whole order


@dataclass(frozen=True)
class Promotion:
    """An automatic promotion: no code, counted in the order's discount_amount."""

    promotion_id: int
    name: str
    amount: str


@dataclass(frozen=True)
class Fee:
    """A custom fee added to the order (``cost`` before tax, ``tax`` on top of it)."""

    fee_id: int
    name: str
    cost: str
    _: KW_ONLY
    tax: str = "0"
    tax_class_id: int | None = None


@dataclass(frozen=True)
class Tax:
    """How the order is taxed."""

    rate: str = "0.0825"
    inclusive: bool = False  # prices entered with tax included (VAT stores)
    shipping_inclusive: bool | None = None  # shipping and handling entered with tax; default: as the prices
    provider: str = "BasicTaxProvider"


@dataclass(frozen=True)
class Payment:
    """How the order was paid, and how much came from store credit or a gift certificate."""

    method: str = "Credit Card"
    status: str = "captured"
    store_credit: str = "0"  # "all": the whole total
    gift_certificate: str = "0"
    refund_all: bool = False
    card_type: JSON | None = None  # credit_card_type as the payload carries it


@dataclass(frozen=True)
class Channel:
    """Where the order came from: the storefront, an app, a marketplace."""

    order_source: str = "www"
    channel_id: int = 1
    external_source: str | None = None
    external_id: str | None = None
    external_order_id: str = ""


@dataclass(frozen=True)
class OrderSpec:
    """One order as written in the records: what differs from the store's defaults.

    Amounts are in ``currency``, the transactional one; ``display_currency`` is a display-only currency
    the shopper browsed in (BigCommerce then charges the store's default currency). ``overrides`` pin
    payload fields the records reproduce verbatim from the spec's examples.
    """

    order_id: int
    created: str  # "YYYY-MM-DD HH:MM:SS", UTC
    customer: Person
    lines: Sequence[Line]
    _: KW_ONLY
    status_id: int
    currency: str = "USD"
    display_currency: str | None = None
    money_style: Literal["4dp", "plain"] = "4dp"
    tax: Tax = Tax()
    ship_to: Sequence[Ship] | None = None  # default: the customer, for physical lines not picked up
    handling: str = "0"
    pickup: bool = False
    payment: Payment = Payment()
    coupons: tuple[Coupon, ...] = ()
    discount: str = "0"  # a manual discount, in the order currency
    promotion: Promotion | None = None
    fees: Sequence[Fee] = ()
    channel: Channel = Channel()
    staff_notes: str = ""
    customer_message: str = ""
    form_fields: Sequence[JSON] = ()
    ip: str = ""
    ip_v6: str = ""
    email_opt_in: bool = False
    modified_after_h: float = 26.0
    shipped_after_h: float = 30.0
    overrides: Mapping[str, Any] | None = None
