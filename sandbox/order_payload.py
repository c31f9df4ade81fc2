"""Builds one order of the demo store from its ``OrderSpec``: product rows, addresses, pickups and the payload.

Every amount is computed here and in ``money``, so an order's money is internally consistent unless its
record pins fields on purpose (``OrderSpec.overrides``).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Literal

from bigcommerce_orders_mcp.sandbox.catalog import (
    CATALOG,
    CURRENCIES,
    EU_ZONE,
    GEO_COUNTRY,
    PAYMENT_PROVIDERS,
    PICKUP_LOCATION,
    ZONES,
)
from bigcommerce_orders_mcp.sandbox.line_items import Ids, LineContext, line_item
from bigcommerce_orders_mcp.sandbox.money import (
    ZERO,
    Taxed,
    column_total,
    coupon_value,
    money4,
    money_plain,
    split_tax,
    spread_discount,
)
from bigcommerce_orders_mcp.sandbox.order_spec import Fee, OrderSpec, Ship
from bigcommerce_orders_mcp.sandbox.store import CUSTOM_STATUS_LABELS, JSON, STATUS_NAMES, Order, link, rfc2822

__all__ = ["build_order"]

# The statuses whose physical lines count as shipped unless a line says otherwise.
SHIPPED_STATUSES = frozenset({2, 10, 13, 14})


@dataclass(frozen=True)
class _AddressCosts:
    """One shipping address's shipping and handling, as entered (``base``) and split for tax."""

    shipping_base: Decimal
    shipping: Taxed
    handling_base: Decimal
    handling: Taxed


@dataclass(frozen=True)
class _Totals:
    """The order-level money of an order, before it is written into the payload."""

    subtotal: Taxed
    shipping_base: Decimal
    shipping: Taxed
    handling_base: Decimal
    handling: Taxed
    wrapping_base: Decimal
    wrapping: Taxed
    discount: Decimal  # manual discount and promotion
    coupons: Decimal
    total: Taxed
    refunded: Decimal
    store_credit: Decimal


def build_order(spec: OrderSpec, ids: Ids, rng: random.Random) -> Order:
    """Build one order and its sub-resources with internally consistent money."""
    context = LineContext(spec.order_id, CURRENCIES[spec.currency], Decimal(spec.tax.rate), spec.tax.inclusive)
    ships = _shipping_targets(spec)
    address_ids = [next(ids.addresses) for _ in ships]
    pickups = _pickups(spec, ids)
    products, recipients = _products(spec, ids, context, address_ids, pickups[0]["id"] if pickups else 0)
    costs = [_address_costs(spec, context, index, ship) for index, ship in enumerate(ships)]
    addresses = [
        _address(spec.order_id, ship, address_id, cost, products, context.tax_rate)
        for ship, address_id, cost in zip(ships, address_ids, costs, strict=True)
    ]
    discount, coupons = _apply_discounts(spec, products, context.currency.quantum)
    fees = [_fee_row(fee) for fee in spec.fees]
    totals = _totals(spec, products, costs, fees, discount, coupons)
    payload = _payload(spec, products, len(ships), totals, rng)
    payload.update(spec.overrides or {})
    return Order(payload, products, addresses, fees, pickups, recipients)


def _shipping_targets(spec: OrderSpec) -> list[Ship]:
    has_physical = any(CATALOG[line.sku].type == "physical" for line in spec.lines)
    if spec.pickup or not has_physical:
        return []
    return list(spec.ship_to or [Ship(spec.customer)])


def _pickups(spec: OrderSpec, ids: Ids) -> list[JSON]:
    if not spec.pickup:
        return []
    pickup = {
        "id": next(ids.pickups),
        "pickup_method_id": 1,
        "pickup_method_display_name": "Pick up in store",
        "collection_instructions": "Bring your order confirmation email and a photo ID.",
        "collection_time_description": "Ready in 2 hours · Mon-Sat 9am - 6pm",
        "location": dict(PICKUP_LOCATION),
    }
    return [pickup]


def _products(
    spec: OrderSpec, ids: Ids, context: LineContext, address_ids: list[int], pickup_id: int
) -> tuple[list[JSON], dict[int, str]]:
    """The order's product rows, and the recipient of each gift certificate among them."""
    products: list[JSON] = []
    recipients: dict[int, str] = {}
    for line in spec.lines:
        kind = CATALOG[line.sku].type
        physical = kind == "physical"
        if line.shipped is not None:
            shipped = line.shipped
        elif physical and not spec.pickup and spec.status_id in SHIPPED_STATUSES:
            shipped = line.qty
        else:
            shipped = 0
        address_id = address_ids[line.address] if physical and not spec.pickup else 0
        row = line_item(ids, context, line, shipped, address_id, pickup_id if physical else 0)
        products.append(row)
        if kind == "giftcertificate":
            recipients[row["id"]] = line.recipient or spec.customer.email
    return products, recipients


def _address_costs(spec: OrderSpec, context: LineContext, index: int, ship: Ship) -> _AddressCosts:
    inclusive = spec.tax.inclusive if spec.tax.shipping_inclusive is None else spec.tax.shipping_inclusive
    quantum = context.currency.quantum
    shipping = Decimal(ship.cost)
    # Handling is charged once per order, on its first address.
    handling = Decimal(spec.handling) if index == 0 else ZERO
    return _AddressCosts(
        shipping,
        split_tax(shipping, context.tax_rate, inclusive, quantum),
        handling,
        split_tax(handling, context.tax_rate, inclusive, quantum),
    )


def _address(
    order_id: int, ship: Ship, address_id: int, costs: _AddressCosts, products: list[JSON], rate: Decimal
) -> JSON:
    """One ``orderShippingAddress``; its costs as strings, as the API sends them."""
    mine = [p for p in products if p["order_address_id"] == address_id]
    zone = ZONES.get(ship.to.country_iso2, EU_ZONE)
    return {
        "id": address_id,
        "order_id": order_id,
        **{k: v for k, v in ship.to.address().items() if k not in ("phone", "email")},
        "email": ship.to.email,
        "phone": ship.to.phone,
        "items_total": sum(p["quantity"] for p in mine),
        "items_shipped": sum(p["quantity_shipped"] for p in mine),
        "shipping_method": ship.method,
        "base_cost": money4(costs.shipping_base),
        "cost_ex_tax": money4(costs.shipping.ex),
        "cost_inc_tax": money4(costs.shipping.inc),
        "cost_tax": money4(costs.shipping.tax),
        "cost_tax_class_id": 2 if rate else 0,
        "base_handling_cost": money4(costs.handling_base),
        "handling_cost_ex_tax": money4(costs.handling.ex),
        "handling_cost_inc_tax": money4(costs.handling.inc),
        "handling_cost_tax": money4(costs.handling.tax),
        "handling_cost_tax_class_id": 2 if rate else 0,
        "shipping_zone_id": zone[0],
        "shipping_zone_name": zone[1],
        "form_fields": list(ship.form_fields),
    }


def _apply_discounts(spec: OrderSpec, products: list[JSON], quantum: Decimal) -> tuple[Decimal, Decimal]:
    """Spread coupons, the manual discount and the promotion over the lines; return (discount, coupons)."""
    coupons = ZERO
    for coupon in spec.coupons:
        lines = [p for p in products if not coupon.skus or p["sku"] in coupon.skus]
        value = coupon_value(coupon, lines, quantum)
        target: Literal["order", "product"] = "product" if coupon.skus else "order"
        spread_discount(
            lines, value, f"coupon-{coupon.coupon_id}", coupon.name or coupon.code, coupon.code, quantum, target
        )
        coupons += value
    discount = Decimal(spec.discount)
    if discount:
        spread_discount(products, discount, "manual-discount", "Manual Discount", None, quantum)
    if spec.promotion is not None:
        promoted = Decimal(spec.promotion.amount)
        spread_discount(
            products, promoted, f"promotion-{spec.promotion.promotion_id}", spec.promotion.name, None, quantum
        )
        discount += promoted
    return discount, coupons


def _fee_row(fee: Fee) -> JSON:
    cost, tax = Decimal(fee.cost), Decimal(fee.tax)
    return {
        "id": fee.fee_id,
        "type": "custom_fee",
        "display_name_customer": fee.name,
        "display_name_merchant": fee.name,
        "source": "AA",
        "base_cost": money4(cost),
        "cost_ex_tax": money4(cost),
        "cost_inc_tax": money4(cost + tax),
        "cost_tax": money4(tax),
        "tax_class_id": fee.tax_class_id,
    }


def _taxed_column(rows: list[JSON], prefix: str) -> Taxed:
    return Taxed(
        column_total(rows, f"{prefix}_ex_tax"),
        column_total(rows, f"{prefix}_inc_tax"),
        column_total(rows, f"{prefix}_tax"),
    )


def _totals(
    spec: OrderSpec,
    products: list[JSON],
    costs: Sequence[_AddressCosts],
    fees: list[JSON],
    discount: Decimal,
    coupons: Decimal,
) -> _Totals:
    inclusive = spec.tax.inclusive
    subtotal = _taxed_column(products, "total")
    wrapping = _taxed_column(products, "wrapping_cost")
    fee = _taxed_column(fees, "cost")
    shipping, handling = Taxed(), Taxed()
    for cost in costs:
        shipping, handling = shipping + cost.shipping, handling + cost.handling
    tax = subtotal.tax + shipping.tax + handling.tax + wrapping.tax + fee.tax
    if inclusive:
        inc = subtotal.inc + shipping.inc + handling.inc + wrapping.inc + fee.inc - discount - coupons
        total = Taxed(inc - tax, inc, tax)
    else:
        ex = subtotal.ex + shipping.ex + handling.ex + wrapping.ex + fee.ex - discount - coupons
        total = Taxed(ex, ex + tax, tax)
    payment = spec.payment
    return _Totals(
        subtotal=subtotal,
        shipping_base=sum((cost.shipping_base for cost in costs), ZERO),
        shipping=shipping,
        handling_base=sum((cost.handling_base for cost in costs), ZERO),
        handling=handling,
        wrapping_base=wrapping.inc if inclusive else wrapping.ex,
        wrapping=wrapping,
        discount=discount,
        coupons=coupons,
        total=total,
        refunded=total.inc if payment.refund_all else column_total(products, "refund_amount"),
        store_credit=total.inc if payment.store_credit == "all" else Decimal(payment.store_credit),
    )


def _payload(spec: OrderSpec, products: list[JSON], address_count: int, totals: _Totals, rng: random.Random) -> JSON:
    """The body of ``GET /v2/orders/{id}``, its fields in the API's order."""
    money = money4 if spec.money_style == "4dp" else money_plain
    provider_id, cart_id = _payment_ids(spec, rng)
    items_shipped = sum(p["quantity_shipped"] for p in products)
    return {
        **_dates_and_status(spec, items_shipped),
        **_order_money(totals, money, spec.tax.rate, address_count),
        "is_tax_inclusive_pricing": spec.tax.inclusive,
        "items_total": sum(p["quantity"] for p in products),
        "items_shipped": items_shipped,
        "payment_method": spec.payment.method,
        "payment_provider_id": provider_id,
        "payment_status": spec.payment.status,
        "refunded_amount": money(totals.refunded),
        "order_is_digital": not any(CATALOG[line.sku].type == "physical" for line in spec.lines),
        "store_credit_amount": money(totals.store_credit),
        "gift_certificate_amount": money(Decimal(spec.payment.gift_certificate)),
        **_origin_and_currency(spec),
        "staff_notes": spec.staff_notes,
        "customer_message": spec.customer_message,
        "discount_amount": money(totals.discount),
        "coupon_discount": money(totals.coupons),
        "shipping_address_count": address_count,
        "is_deleted": False,
        "ebay_order_id": "0",
        "cart_id": cart_id,
        "billing_address": {**spec.customer.address(), "form_fields": list(spec.form_fields)},
        "is_email_opt_in": spec.email_opt_in,
        "credit_card_type": spec.payment.card_type,
        "order_source": spec.channel.order_source,
        "channel_id": spec.channel.channel_id,
        "external_source": spec.channel.external_source,
        "products": link(f"/orders/{spec.order_id}/products"),
        "shipping_addresses": link(f"/orders/{spec.order_id}/shippingaddresses"),
        "coupons": link(f"/orders/{spec.order_id}/coupons"),
        "external_id": spec.channel.external_id,
        "external_merchant_id": None,
        "tax_provider_id": spec.tax.provider,
        "store_default_currency_code": "USD",
        "store_default_to_transactional_exchange_rate": f"{CURRENCIES[spec.currency].rate:.10f}",
        "custom_status": CUSTOM_STATUS_LABELS[spec.status_id],
        "customer_locale": spec.customer.locale,
        "external_order_id": spec.channel.external_order_id,
        "consignments": link(f"/orders/{spec.order_id}/consignments"),
        "fees": link(f"/orders/{spec.order_id}/fees"),
    }


def _payment_ids(spec: OrderSpec, rng: random.Random) -> tuple[str, str]:
    """The payment provider's transaction id (empty without one) and the cart id, drawn in that order."""
    prefix = PAYMENT_PROVIDERS.get(spec.payment.method)
    paid = spec.payment.status not in ("", "declined")
    provider_id = f"{prefix}{rng.getrandbits(64):016X}" if prefix and paid else ""
    return provider_id, str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _dates_and_status(spec: OrderSpec, items_shipped: int) -> JSON:
    created = datetime.strptime(spec.created, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    # An order is modified when it ships, if not later.
    modified_h = max(spec.modified_after_h, spec.shipped_after_h + 0.5 if items_shipped else 0.0)
    return {
        "id": spec.order_id,
        "customer_id": spec.customer.customer_id,
        "date_created": rfc2822(created),
        "date_modified": rfc2822(created + timedelta(hours=modified_h)),
        "date_shipped": rfc2822(created + timedelta(hours=spec.shipped_after_h)) if items_shipped else "",
        "status_id": spec.status_id,
        "status": STATUS_NAMES[spec.status_id],
    }


def _order_money(totals: _Totals, money: Callable[[Decimal], str], tax_rate: str, address_count: int) -> JSON:
    taxed = bool(Decimal(tax_rate))
    return {
        **_taxed_fields("subtotal", totals.subtotal, money),
        "base_shipping_cost": money(totals.shipping_base),
        **_taxed_fields("shipping_cost", totals.shipping, money),
        "shipping_cost_tax_class_id": 2 if taxed and address_count else 0,
        "base_handling_cost": money(totals.handling_base),
        **_taxed_fields("handling_cost", totals.handling, money),
        "handling_cost_tax_class_id": 2 if taxed and totals.handling_base else 0,
        "base_wrapping_cost": money(totals.wrapping_base),
        **_taxed_fields("wrapping_cost", totals.wrapping, money),
        "wrapping_cost_tax_class_id": 3 if totals.wrapping_base else 0,
        **_taxed_fields("total", totals.total, money),
    }


def _taxed_fields(prefix: str, amount: Taxed, money: Callable[[Decimal], str]) -> JSON:
    return {
        f"{prefix}_ex_tax": money(amount.ex),
        f"{prefix}_inc_tax": money(amount.inc),
        f"{prefix}_tax": money(amount.tax),
    }


def _origin_and_currency(spec: OrderSpec) -> JSON:
    """Where the shopper was (geolocated from the IP, when there is one) and the order's currencies."""
    currency = CURRENCIES[spec.currency]
    shown = CURRENCIES[spec.display_currency or spec.currency]
    country = spec.customer.country_iso2
    geo = GEO_COUNTRY.get(country, "") if spec.ip else ""
    return {
        "ip_address": spec.ip,
        "ip_address_v6": spec.ip_v6,
        "geoip_country": geo,
        "geoip_country_iso2": country if geo else "",
        "currency_id": shown.id,
        "currency_code": shown.code,
        "currency_exchange_rate": f"{shown.rate:.10f}",
        "default_currency_id": currency.id,
        "default_currency_code": currency.code,
    }
