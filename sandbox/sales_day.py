"""A multi-currency day, 2026-04-09 (hand-written records): what summarize_orders answers "what did we sell?" from.

Dollars, pounds and euros on one date, each order's amounts in the currency its shopper paid in; one order
cancelled (no sale), one still to ship, and two refunded in part the next day.
"""

from __future__ import annotations

from bigcommerce_orders_mcp.sandbox.order_spec import Coupon, L, OrderSpec, Payment, Ship, Tax
from bigcommerce_orders_mcp.sandbox.people import DIEGO, JOSE, OLIVER, TOM, ZOE
from bigcommerce_orders_mcp.sandbox.refunds import Refunded, RefundPaid, RefundRecord

__all__ = ["SALES_DAY", "SALES_DAY_DATE", "SALES_DAY_REFUNDS"]

SALES_DAY_DATE = "2026-04-09"

SALES_DAY: tuple[OrderSpec, ...] = (
    OrderSpec(
        269,
        "2026-04-09 08:14:03",
        TOM,
        [L("OTL"), L("CC3C", 2)],
        status_id=10,
        ship_to=[Ship(TOM, "14.00", "UPS Ground")],
        payment=Payment(card_type={}),
        ip="192.0.2.77",
        shipped_after_h=6,
    ),
    OrderSpec(
        270,
        "2026-04-09 10:02:51",
        OLIVER,
        [L("WSB"), L("OCG", 2, refunded=1)],
        status_id=14,
        currency="GBP",
        tax=Tax("0.20", inclusive=True),
        ship_to=[Ship(OLIVER, "6.95", "Royal Mail Tracked 48")],
        payment=Payment("PayPal", status="partially refunded"),
        ip="198.51.100.61",
        shipped_after_h=5,
    ),
    OrderSpec(
        271,
        "2026-04-09 12:40:18",
        ZOE,
        [L("HTM", 2, ("Glaze", "Shino")), L("BWR3")],
        status_id=10,
        currency="EUR",
        tax=Tax("0.19", inclusive=True),
        ship_to=[Ship(ZOE, "14.90", "DHL Paket")],
        payment=Payment("PayPal"),
        coupons=(Coupon(18, "FRUEHLING10", 1, "10", "10% Frühlingsrabatt"),),
        ip="203.0.113.41",
        shipped_after_h=8,
    ),
    # Called off by the shopper an hour later: counted apart, no sale.
    OrderSpec(
        272,
        "2026-04-09 15:25:36",
        TOM,
        [L("ABS")],
        status_id=5,
        ship_to=[Ship(TOM, "9.95", "UPS Ground")],
        payment=Payment(status="void", card_type={}),
        ip="192.0.2.77",
        staff_notes="Cancelled at the customer's request (ordered twice); authorization voided.",
    ),
    OrderSpec(
        273,
        "2026-04-09 18:51:09",
        JOSE,
        [L("SM13", 2, refunded=1), L("LAPR", 1, ("Color", "Sage"))],
        status_id=14,
        currency="EUR",
        tax=Tax("0.21", inclusive=True),
        ship_to=[Ship(JOSE, "9.90", "Correos Express")],
        payment=Payment(status="partially refunded", card_type={}),
        ip="203.0.113.19",
        shipped_after_h=10,
    ),
    OrderSpec(
        274,
        "2026-04-09 21:07:44",
        DIEGO,
        [L("CPOK"), L("ET58")],
        status_id=9,
        tax=Tax("0.07"),
        ship_to=[Ship(DIEGO, "12.00", "UPS Ground")],
        payment=Payment(card_type={}),
        ip="192.0.2.140",
    ),
)
"""Orders 269 to 274."""

SALES_DAY_REFUNDS: tuple[RefundRecord, ...] = (
    RefundRecord(
        270,
        "2026-04-10T09:31:12Z",
        1,
        "One grater arrived with a cracked handle; the customer kept the other.",
        (Refunded("PRODUCT", "OCG", 1, reason="Damaged in transit"),),
        RefundPaid("paypalexpress"),
    ),
    RefundRecord(
        273,
        "2026-04-10T14:05:40Z",
        2,
        "One journal arrived with its cover torn; the customer kept it.",
        (Refunded("PRODUCT", "SM13", 1, reason="Damaged in transit"),),
        RefundPaid("braintree"),
    ),
)
"""The day's refunds, in Orders v3 (``payment_actions`` builds them with the store's other refunds)."""
