"""The demo store's money and tax engine: rounding, tax in and out of prices, currency conversion, discounts.

Amounts are ``Decimal`` throughout and rounded half up to the currency's smallest unit, as BigCommerce
rounds them; payloads carry them as strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from bigcommerce_orders_mcp.sandbox.catalog import Currency, Product
from bigcommerce_orders_mcp.sandbox.order_spec import Coupon
from bigcommerce_orders_mcp.sandbox.store import JSON

__all__ = [
    "ZERO",
    "Taxed",
    "column_total",
    "cost_price",
    "coupon_value",
    "money4",
    "money_plain",
    "split_tax",
    "spread_discount",
    "unit_price",
]

ZERO = Decimal(0)
COST_SHARE = Decimal("0.45")  # what the merchant paid for a product, as a share of its price


def money4(value: Decimal) -> str:
    """Money as most payloads carry it: four decimals, ``"12.5000"``."""
    return f"{value.quantize(Decimal('0.0001')):f}"


def money_plain(value: Decimal) -> str:
    """Money as orders created through some integrations come back: ``"8"``, ``"924.47"``, ``"0"``."""
    return f"{value.normalize():f}" if value else "0"


@dataclass(frozen=True)
class Taxed:
    """An amount before tax, after tax, and the tax between them."""

    ex: Decimal = ZERO
    inc: Decimal = ZERO
    tax: Decimal = ZERO

    def __add__(self, other: Taxed) -> Taxed:
        return Taxed(self.ex + other.ex, self.inc + other.inc, self.tax + other.tax)


def split_tax(amount: Decimal, rate: Decimal, inclusive: bool, quantum: Decimal) -> Taxed:
    """Split an amount entered with tax (``inclusive``) or without it at ``rate``, the tax rounded to ``quantum``."""
    if inclusive:
        tax = (amount - amount / (1 + rate)).quantize(quantum, ROUND_HALF_UP)
        return Taxed(amount - tax, amount, tax)
    tax = (amount * rate).quantize(quantum, ROUND_HALF_UP)
    return Taxed(amount, amount + tax, tax)


def unit_price(product: Product, currency: Currency, price: str | None = None) -> Decimal:
    """A product's unit price in ``currency``: the given one, or the catalog's USD price converted."""
    if price is not None:
        return Decimal(price)
    converted = product.price * currency.rate
    if currency.code == "JPY":
        # Yen prices end in a zero, as shops pricing in yen round them.
        return (converted / 10).quantize(Decimal("1"), ROUND_HALF_UP) * 10
    return converted.quantize(currency.quantum, ROUND_HALF_UP)


def cost_price(unit: Decimal, quantum: Decimal) -> Decimal:
    """What the merchant paid for one unit."""
    return (unit * COST_SHARE).quantize(quantum, ROUND_HALF_UP)


def column_total(rows: Iterable[JSON], key: str) -> Decimal:
    """The sum of one money field (a string) over payload rows."""
    return sum((Decimal(row[key]) for row in rows), ZERO)


def coupon_value(coupon: Coupon, lines: list[JSON], quantum: Decimal) -> Decimal:
    """What a coupon takes off the order product rows it applies to."""
    amount = Decimal(coupon.amount)
    value: Decimal
    if coupon.type == 0:
        value = amount * sum(p["quantity"] for p in lines)
    elif coupon.type == 1:
        value = column_total(lines, "total_inc_tax") * amount / 100
    else:
        value = amount
    return value.quantize(quantum, ROUND_HALF_UP)


def spread_discount(
    products: list[JSON],
    total: Decimal,
    discount_id: str,
    name: str,
    code: str | None,
    quantum: Decimal,
    target: Literal["order", "product"] = "order",
) -> None:
    """Spread a discount over order product rows in proportion to their price, as BigCommerce does.

    The last row takes what rounding left, so the shares add up to ``total``.
    """
    eligible = [p for p in products if Decimal(p["total_inc_tax"]) > 0]
    base = column_total(eligible, "total_inc_tax")
    left = total
    for index, p in enumerate(eligible):
        last = index == len(eligible) - 1
        share = left if last else (total * Decimal(p["total_inc_tax"]) / base).quantize(quantum)
        left -= share
        p["applied_discounts"].append(
            {"id": discount_id, "amount": money4(share), "name": name, "code": code, "target": target}
        )
        p["discounted_total_inc_tax"] = money4(Decimal(p["discounted_total_inc_tax"]) - share)
