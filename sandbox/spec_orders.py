"""Orders 218 and 247, the Orders v2 spec's own examples (hand-written records).

Order 218 reproduces the spec's "Response" example (orders.v2.oas2.yml, order_Resp) field for field,
except dates, which are moved into the store's timeline. The spec's numbers are not internally
consistent (subtotal_ex_tax + subtotal_tax != subtotal_inc_tax, and its two fees are left out of its
totals), which is kept on purpose: clients must pass money through, not recompute it. Its line items are
priced so their totals including tax add up to the spec's subtotal_inc_tax, 67.84.

Order 247 is the spec's "Multiple Items" example; its amounts come out of its line items (plain-precision
money such as "924.47" and "8"), only identifiers are pinned.
"""

from __future__ import annotations

from bigcommerce_orders_mcp.sandbox.order_spec import Channel, Coupon, Fee, L, OrderSpec, Payment, Ship, Tax
from bigcommerce_orders_mcp.sandbox.people import JANE
from bigcommerce_orders_mcp.sandbox.store import JSON

__all__ = ["DELIVERY_INSTRUCTIONS", "SPEC_ORDERS"]

SPEC_218: JSON = {
    "subtotal_ex_tax": "62.6793",
    "subtotal_inc_tax": "67.8400",
    "subtotal_tax": "4.4000",
    "base_shipping_cost": "12.0000",
    "shipping_cost_ex_tax": "11.0900",
    "shipping_cost_inc_tax": "12.0000",
    "shipping_cost_tax": "0.9100",
    "shipping_cost_tax_class_id": 0,
    "total_ex_tax": "64.5300",
    "total_inc_tax": "69.8400",
    "total_tax": "5.3100",
    "payment_provider_id": "",
    "refunded_amount": "0.0000",
    "store_credit_amount": "0.0000",
    "gift_certificate_amount": "0.0000",
    "currency_exchange_rate": "1.0000000000",
    "discount_amount": "5.0000",
    "coupon_discount": "5.0000",
    "cart_id": "7e48f7ef-2e88-4817-aea4-b0ed01490114",
    "store_default_currency_code": "",
    "store_default_to_transactional_exchange_rate": "1.0000000000",
}

SPEC_247: JSON = {
    "payment_provider_id": "",
    "shipping_cost_tax_class_id": 0,
    "currency_exchange_rate": "1",
    "store_default_to_transactional_exchange_rate": "1",
    "cart_id": "8b84f622-faf1-4c10-887b-f5dff2f9eaf4",
}

DELIVERY_INSTRUCTIONS: JSON = {"name": "Delivery Instructions", "value": "Leave in backyard"}

SPEC_ORDERS: tuple[OrderSpec, ...] = (
    OrderSpec(
        218,
        "2025-07-20 21:40:11",
        JANE,
        [L("BWR3", 2, price="16.83"), L("SLLPJ"), L("BPSS")],
        status_id=7,
        tax=Tax(shipping_inclusive=True),
        ship_to=[Ship(JANE, "12.00")],
        payment=Payment("Cash", status="authorized"),
        coupons=(Coupon(1, "S2549JM0Y", 2, "5"),),
        discount="5.00",
        fees=[Fee(1, "A Fee", "12.30", tax_class_id=22), Fee(2, "B Fee", "4.00", tax="8.00")],
        channel=Channel("external", external_order_id="external-order-id"),
        form_fields=[DELIVERY_INSTRUCTIONS],
        modified_after_h=137.6,
        overrides=SPEC_218,
    ),
    OrderSpec(
        247,
        "2025-12-21 16:07:08",
        JANE,
        [
            L("OTL", 2),
            L("ABS"),
            L("CC3C", 2),
            L("Jour-BLK", price="41.57", custom=True),
            L("CLC"),
            L("TWB", price="119.90"),
            L("SLLPJ", 3),
        ],
        status_id=11,
        money_style="plain",
        tax=Tax(shipping_inclusive=True),
        ship_to=[Ship(JANE, "8")],
        payment=Payment("Test Payment Gateway", card_type={}),
        channel=Channel("manual", external_source="", external_order_id="external-order-id"),
        staff_notes="BIN-45",
        customer_message="Custom Journal Added",
        ip="70.112.53.67",
        form_fields=[DELIVERY_INSTRUCTIONS],
        modified_after_h=0,
        overrides=SPEC_247,
    ),
)
"""The spec's two order examples, reproduced."""
