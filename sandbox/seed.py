"""Builds the whole demo store ("Juniper & Pine", a homewares and coffee-gear shop) from its records.

The only randomness is a fixed ``random.Random`` for payment and cart ids, and another for the long
message thread of order 150. No date is relative to "now", so every run produces byte-identical payloads.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from bigcommerce_orders_mcp.sandbox.line_items import Ids
from bigcommerce_orders_mcp.sandbox.money import money4
from bigcommerce_orders_mcp.sandbox.order_payload import build_order
from bigcommerce_orders_mcp.sandbox.orders_2024 import ORDERS_2024
from bigcommerce_orders_mcp.sandbox.orders_2025 import ORDERS_2025
from bigcommerce_orders_mcp.sandbox.parcels import CARRIERS, PARCELS, Parcel
from bigcommerce_orders_mcp.sandbox.payment_actions import build_refunds, build_transactions
from bigcommerce_orders_mcp.sandbox.people import REGISTERED_CUSTOMERS
from bigcommerce_orders_mcp.sandbox.spec_orders import SPEC_ORDERS
from bigcommerce_orders_mcp.sandbox.store import ADDRESS_KEYS, JSON, Order, SandboxStore, parse_rfc2822, rfc2822
from bigcommerce_orders_mcp.sandbox.summary_orders import SUMMARY_ORDERS
from bigcommerce_orders_mcp.sandbox.threads import THREADS, Message, wholesale_thread

__all__ = ["build_store"]


def build_store() -> SandboxStore:
    """Build the sandbox store. Deterministic: two calls return equal data."""
    orders = _build_orders()
    _add_shipments(orders)
    messages = _build_messages(orders, random.Random(150))
    return SandboxStore(
        orders=orders, messages=messages, refunds=build_refunds(orders), transactions=build_transactions(orders)
    )


def _build_orders() -> dict[int, Order]:
    """Every order, built in id (and date) order: ids of rows and addresses run across the store."""
    specs = sorted((*ORDERS_2024, *ORDERS_2025, *SPEC_ORDERS, *SUMMARY_ORDERS), key=lambda spec: spec.order_id)
    ids, rng = Ids(), random.Random(20240101)
    return {spec.order_id: build_order(spec, ids, rng) for spec in specs}


def _shipment(shipment_id: int, moment: datetime, order: Order, parcel: Parcel) -> JSON:
    """One ``orderShipment``, its fields in the order of the spec's example."""
    address = order.shipping_addresses[parcel.address]
    on_address = [p for p in order.products if p["order_address_id"] == address["id"]]
    if parcel.items:
        by_sku = {p["sku"]: p for p in on_address}
        items = [(by_sku[sku], quantity) for sku, quantity in parcel.items]
    else:
        items = [(p, p["quantity_shipped"]) for p in on_address if p["quantity_shipped"]]
    carrier = CARRIERS[parcel.carrier]
    tracking_link, generated_tracking_link = carrier.links(parcel.tracking_number)
    return {
        "id": shipment_id,
        "order_id": order.id,
        "customer_id": order.payload["customer_id"],
        "order_address_id": address["id"],
        "date_created": rfc2822(moment),
        "tracking_number": parcel.tracking_number,
        "merchant_shipping_cost": money4(Decimal(parcel.cost)),
        "shipping_method": address["shipping_method"],
        "comments": parcel.comments,
        "shipping_provider": carrier.provider,
        "tracking_carrier": carrier.tracking_carrier,
        "tracking_link": tracking_link,
        "billing_address": {key: order.payload["billing_address"][key] for key in ADDRESS_KEYS},
        "shipping_address": {key: address[key] for key in ADDRESS_KEYS},
        "items": [
            {"order_product_id": product["id"], "product_id": product["product_id"], "quantity": quantity}
            for product, quantity in items
        ],
        "shipping_provider_display_name": carrier.display_name,
        "generated_tracking_link": generated_tracking_link,
    }


def _add_shipments(orders: dict[int, Order]) -> None:
    """Give each shipped order its shipments; ids are global across the store and increase with date."""
    dated: list[tuple[datetime, int, int, Parcel]] = []
    for order_id, parcels in PARCELS.items():
        shipped_at = parse_rfc2822(orders[order_id].payload["date_shipped"])
        dated.extend(
            (shipped_at - timedelta(hours=parcel.earlier_h), order_id, index, parcel)
            for index, parcel in enumerate(parcels)
        )
    dated.sort(key=lambda item: item[:3])
    for shipment_id, (moment, order_id, _, parcel) in enumerate(dated, start=1):
        order = orders[order_id]
        order.shipments.append(_shipment(shipment_id, moment, order, parcel))


def _build_messages(orders: dict[int, Order], rng: random.Random) -> dict[int, list[JSON]]:
    """Render every thread; message ids are global across the store and increase with date."""
    threads = {**THREADS, 150: wholesale_thread(rng)}
    dated: list[tuple[datetime, int, Message]] = []
    for order_id, thread in threads.items():
        placed = parse_rfc2822(orders[order_id].payload["date_created"])
        dated.extend((placed + timedelta(hours=m.after_h), order_id, m) for m in thread)
    dated.sort(key=lambda item: (item[0], item[1]))
    messages: dict[int, list[JSON]] = {}
    for message_id, (moment, order_id, message) in enumerate(dated, start=1):
        messages.setdefault(order_id, []).append(_message(message_id, moment, orders[order_id], message))
    return messages


def _message(message_id: int, moment: datetime, order: Order, message: Message) -> JSON:
    """One order message; a registered customer's own messages name them."""
    customer_id: int = order.payload["customer_id"]
    person = _CUSTOMERS_BY_ID.get(customer_id)
    from_customer = message.type.casefold() == "customer"
    customer: JSON = {}
    if from_customer and person is not None:
        customer = {"first_name": person.first_name, "last_name": person.last_name, "email": person.email}
    return {
        "id": message_id,
        "order_id": order.id,
        "staff_id": message.staff_id,
        "customer_id": customer_id,
        "type": message.type,
        "subject": message.subject or (f"Order #{order.id}" if from_customer else f"Re: Order #{order.id}"),
        "message": message.text,
        "status": "read" if message.read else "unread",
        "is_flagged": message.flagged,
        "date_created": rfc2822(moment),
        "customer": customer,
    }


_CUSTOMERS_BY_ID = {person.customer_id: person for person in REGISTERED_CUSTOMERS}
