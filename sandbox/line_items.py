"""An order's product rows (``orderProducts``): each line's prices, tax, wrapping, cost and options."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

from bigcommerce_orders_mcp.sandbox.catalog import CATALOG, OPTIONS, WRAPPINGS, Currency, Product
from bigcommerce_orders_mcp.sandbox.money import ZERO, Taxed, cost_price, money4, split_tax, unit_price
from bigcommerce_orders_mcp.sandbox.order_spec import Line
from bigcommerce_orders_mcp.sandbox.store import JSON

__all__ = ["Ids", "LineContext", "line_item"]


@dataclass
class Ids:
    """The store's id sequences, shared by all its orders as a real store's are."""

    product_lines: Iterator[int] = field(default_factory=lambda: count(1001))
    addresses: Iterator[int] = field(default_factory=lambda: count(501))
    options: Iterator[int] = field(default_factory=lambda: count(3001))
    pickups: Iterator[int] = field(default_factory=lambda: count(71))
    gift_certificates: Iterator[int] = field(default_factory=lambda: count(41))


@dataclass(frozen=True)
class LineContext:
    """What every line of one order shares: its id, currency and tax."""

    order_id: int
    currency: Currency
    tax_rate: Decimal
    tax_inclusive: bool

    def split(self, amount: Decimal) -> Taxed:
        """Split an amount the way this order's prices are entered."""
        return split_tax(amount, self.tax_rate, self.tax_inclusive, self.currency.quantum)


def line_item(ids: Ids, order: LineContext, line: Line, shipped: int, address_id: int, pickup_id: int) -> JSON:
    """One order product row, its fields in the API's order."""
    product = CATALOG[line.sku]
    line_id = next(ids.product_lines)
    unit = unit_price(product, order.currency, line.price)
    price, total = order.split(unit), order.split(unit * line.qty)
    is_gift_certificate = product.type == "giftcertificate"
    gift_certificate_id = next(ids.gift_certificates) if is_gift_certificate else None
    return {
        "id": line_id,
        "order_id": order.order_id,
        "product_id": 0 if line.custom else product.product_id,
        "variant_id": 0 if line.custom or is_gift_certificate else product.product_id * 10 + 1,
        "order_pickup_method_id": pickup_id,
        "order_address_id": address_id,
        **_names(product, line),
        "base_price": money4(unit),
        **_taxed("price", price),
        "base_total": money4(unit * line.qty),
        **_taxed("total", total),
        **_size(product, line),
        **_cost_and_refund(unit, price, line, order.currency.quantum),
        **_wrapping(line, order),
        "quantity_shipped": shipped,
        "event_name": None,
        "event_date": None,
        "fixed_shipping_cost": "0.0000",
        "ebay_item_id": line.ebay[0],
        "ebay_transaction_id": line.ebay[1],
        "option_set_id": product.option_set_id if line.options else None,
        "parent_order_product_id": None,
        "is_bundled_product": False,
        "bin_picking_number": f"BIN-{product.product_id % 60 + 1}" if product.type == "physical" else "",
        "external_id": None,
        "brand": product.brand,
        "applied_discounts": [],
        "product_options": _options(ids, line_id, line),
        "configurable_fields": [],
        "gift_certificate_id": gift_certificate_id,
        "discounted_total_inc_tax": money4(total.inc),
    }


def _names(product: Product, line: Line) -> JSON:
    name = line.name or product.name
    return {
        "name": name,
        "name_customer": name,
        "name_merchant": name,
        "sku": product.sku,
        "upc": product.upc,
        "type": product.type,
    }


def _taxed(prefix: str, amount: Taxed) -> JSON:
    return {
        f"{prefix}_ex_tax": money4(amount.ex),
        f"{prefix}_inc_tax": money4(amount.inc),
        f"{prefix}_tax": money4(amount.tax),
    }


def _size(product: Product, line: Line) -> JSON:
    side = "0.0000" if product.type != "physical" else "1.0000"
    return {"weight": product.weight, "width": side, "height": side, "depth": side, "quantity": line.qty}


def _cost_and_refund(unit: Decimal, price: Taxed, line: Line, quantum: Decimal) -> JSON:
    cost = money4(cost_price(unit, quantum))
    return {
        "base_cost_price": cost,
        "cost_price_inc_tax": cost,
        "cost_price_ex_tax": cost,
        "cost_price_tax": "0.0000",
        "is_refunded": line.refunded > 0,
        "quantity_refunded": line.refunded,
        "refund_amount": money4(price.inc * line.refunded),
        "return_id": 0,
    }


def _wrapping(line: Line, order: LineContext) -> JSON:
    wrapping = WRAPPINGS[line.wrap_with] if line.wrap else None
    cost = order.split(wrapping.cost * order.currency.rate * line.qty if wrapping else ZERO)
    return {
        "wrapping_id": wrapping.wrapping_id if wrapping else 0,
        "wrapping_name": wrapping.name if wrapping else "",
        "base_wrapping_cost": money4(cost.inc if order.tax_inclusive else cost.ex),
        "wrapping_cost_ex_tax": money4(cost.ex),
        "wrapping_cost_inc_tax": money4(cost.inc),
        "wrapping_cost_tax": money4(cost.tax),
        "wrapping_message": line.wrap or "",
    }


def _options(ids: Ids, line_id: int, line: Line) -> list[JSON]:
    rendered = []
    for key, shown in line.options:
        spec = OPTIONS[key]
        rendered.append(
            {
                "id": next(ids.options),
                "option_id": spec.option_id,
                "order_product_id": line_id,
                "product_option_id": spec.product_option_id,
                "display_name": spec.display_name,
                "display_name_customer": spec.display_name,
                "display_name_merchant": spec.display_name,
                "display_value": shown,
                "display_value_customer": shown,
                "display_value_merchant": shown,
                "value": shown if spec.values is None else spec.values[shown],
                "type": spec.type,
                "name": spec.name,
                "display_style": spec.display_style,
            }
        )
    return rendered
