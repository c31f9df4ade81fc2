"""What the demo store holds and serves: orders with their sub-resources, messages, and the API's fixed vocabulary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

__all__ = [
    "ADDRESS_KEYS",
    "API_ROOT",
    "CUSTOM_STATUS_LABELS",
    "JSON",
    "SANDBOX_ACCESS_TOKEN",
    "SANDBOX_STORE_HASH",
    "STATUS_NAMES",
    "Order",
    "SandboxStore",
    "link",
    "parse_rfc2822",
    "rfc2822",
]

JSON = dict[str, Any]

SANDBOX_STORE_HASH = "sandbox"
SANDBOX_ACCESS_TOKEN = "sandbox-token"
API_ROOT = "https://api.bigcommerce.com/stores/{store_hash}/v2"

STATUS_NAMES: dict[int, str] = {
    0: "Incomplete",
    1: "Pending",
    2: "Shipped",
    3: "Partially Shipped",
    4: "Refunded",
    5: "Cancelled",
    6: "Declined",
    7: "Awaiting Payment",
    8: "Awaiting Pickup",
    9: "Awaiting Shipment",
    10: "Completed",
    11: "Awaiting Fulfillment",
    12: "Manual Verification Required",
    13: "Disputed",
    14: "Partially Refunded",
}
# The merchant relabelled one status in the control panel; `custom_status` carries that label.
CUSTOM_STATUS_LABELS: dict[int, str] = {**STATUS_NAMES, 12: "On Hold - Fraud Review"}

ADDRESS_KEYS = (
    "first_name",
    "last_name",
    "company",
    "street_1",
    "street_2",
    "city",
    "state",
    "zip",
    "country",
    "country_iso2",
    "phone",
    "email",
)
"""The address fields (``billingAddress_Base``, ``shippingAddress_Base``), in the API's order."""


def link(resource: str, store_hash: str = SANDBOX_STORE_HASH) -> JSON:
    """A BigCommerce ``{url, resource}`` link object."""
    return {"url": API_ROOT.format(store_hash=store_hash) + resource, "resource": resource}


def rfc2822(moment: datetime) -> str:
    """Format a UTC datetime the way BigCommerce does: ``Tue, 05 Mar 2019 21:40:11 +0000``."""
    return format_datetime(moment.astimezone(UTC))


def parse_rfc2822(text: str) -> datetime:
    """Read back a date written by ``rfc2822``."""
    return datetime.strptime(text, "%a, %d %b %Y %H:%M:%S %z")


@dataclass
class Order:
    """One order and its sub-resources, stored in the shapes the API returns them.

    ``payload`` is the body of ``GET /v2/orders/{id}`` without ``include`` (link objects point at the
    default store hash; the app rewrites them for its own hash). ``pickups`` hold pickup consignments
    without ``line_items``: products point at them through ``order_pickup_method_id``. ``shipments``
    are the body of ``GET /v2/orders/{id}/shipments``.
    """

    payload: JSON
    products: list[JSON]
    shipping_addresses: list[JSON]
    fees: list[JSON]
    pickups: list[JSON] = field(default_factory=list)
    gift_certificate_recipients: dict[int, str] = field(default_factory=dict)
    shipments: list[JSON] = field(default_factory=list)

    @property
    def id(self) -> int:
        """The order id."""
        order_id: int = self.payload["id"]
        return order_id


@dataclass
class SandboxStore:
    """The whole fake store: orders by id; messages, v3 refunds and v3 transactions by order id."""

    orders: dict[int, Order]
    messages: dict[int, list[JSON]]
    refunds: dict[int, list[JSON]] = field(default_factory=dict)
    transactions: dict[int, list[JSON]] = field(default_factory=dict)

    def all_refunds(self) -> list[JSON]:
        """Every refund of the store, by id."""
        return sorted((r for rows in self.refunds.values() for r in rows), key=lambda refund: refund["id"])

    def messages_for(self, order_id: int) -> list[JSON]:
        """Messages of one order (empty when it has none), sorted by id."""
        return self.messages.get(order_id, [])
