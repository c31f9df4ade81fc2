"""Running sums over orders, page by page: what summarize_orders answers, without holding the orders.

Every amount is summed as the exact decimal BigCommerce sent, in the order's transactional currency
(`default_currency_code`), on the basis every part of an order adds up on (tax included, as get_order shows
them), and rounded to the currency's minor unit only once, in the answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from bigcommerce_orders_mcp.tools.values import (
    MAX_DATE_TEXT,
    as_count,
    as_id,
    decimal_or_none,
    dicts,
    order_currency,
    parse_date,
)

__all__ = [
    "AMOUNTS",
    "LEFT_OUT",
    "MAX_CURRENCIES",
    "MAX_STATUSES",
    "CurrencySums",
    "Sales",
    "StatusSums",
]

LEFT_OUT = {0: "Incomplete", 5: "Cancelled", 6: "Declined"}
"""Statuses whose orders are no sale (never paid for, or called off): counted apart, never in the sales figures."""

# The parts of an order summed, and the payload fields they come from (all on the tax-included basis).
AMOUNTS = {
    "total": ("total_inc_tax",),
    "tax": ("total_tax",),
    "shipping": ("shipping_cost_inc_tax",),
    "discounts": ("discount_amount", "coupon_discount"),
}
_PARTS = tuple((name, keys) for name, keys in AMOUNTS.items() if name != "total")  # the total is read first
# More than any store sells in; past them an order is counted as unreadable rather than growing the answer.
MAX_CURRENCIES = 20
MAX_STATUSES = 30
_LARGEST = Decimal(10) ** 15  # more than any order's amount; a larger one is junk, not money
_MOST_PAYMENTS = 20  # a refund goes back through one or two payments

K = TypeVar("K", int, str)
S = TypeVar("S")


@dataclass
class CurrencySums:
    orders: int = 0
    amounts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(AMOUNTS, Decimal(0)))
    refunded: Decimal = Decimal(0)
    refunds: int = 0


@dataclass
class StatusSums:
    orders: int = 0
    totals: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Sales:
    """Sums over the orders added so far; each `add` keeps nothing of the order but what it adds."""

    currencies: dict[str, CurrencySums] = field(default_factory=dict)
    statuses: dict[int, StatusSums] = field(default_factory=dict)
    first: datetime | None = None
    last: datetime | None = None
    read: int = 0
    highest_id: int = 0
    unreadable: Counter[str] = field(default_factory=Counter)

    def add(self, order: dict[str, Any]) -> str | None:
        """Fold one order in; the currency its refunds count in when it is a sale, else None."""
        order_id = as_id(order.get("id"))
        if order_id is None:
            self.unreadable["orders without a readable id, left out"] += 1
            return None
        self.read += 1
        self.highest_id = max(self.highest_id, order_id)
        self._date(order.get("date_created"))
        status_id = as_count(order.get("status_id"))
        currency = order_currency(order)
        total = self._amount(order, "total_inc_tax")
        status = self._status(status_id)
        if status is not None:
            status.orders += 1
            if currency is not None and total is not None and (currency in status.totals or len(status.totals) < 5):
                status.totals[currency] = status.totals.get(currency, Decimal(0)) + total
        if status_id is None or status_id in LEFT_OUT:
            return None
        sums = self._currency(currency)
        if sums is None:
            return None
        sums.orders += 1
        amounts = sums.amounts
        if total is not None:
            amounts["total"] += total
        for name, keys in _PARTS:
            for key in keys:
                value = self._amount(order, key)
                if value is not None:
                    amounts[name] += value
        return currency

    def add_refund(self, currency: str, refund: dict[str, Any]) -> None:
        """Fold in what one refund returned: its payments not declined (a declined one returned nothing), or its
        total when it lists no payments."""
        payments = dicts(refund.get("payments"))[:_MOST_PAYMENTS]
        kept = [payment for payment in payments if payment.get("is_declined") is not True]
        amounts = [payment.get("amount") for payment in kept] if payments else [refund.get("total_amount")]
        values = [decimal_or_none(amount) for amount in amounts]
        if any(value is None or abs(value) >= _LARGEST for value in values):
            self.unreadable["refunds without a readable amount, left out"] += 1
            return
        returned = sum((value for value in values if value is not None), Decimal(0))
        if returned:
            sums = self.currencies[currency]
            sums.refunded += returned
            sums.refunds += 1

    def _status(self, status_id: int | None) -> StatusSums | None:
        return self._sums(self.statuses, status_id, MAX_STATUSES, StatusSums, "status")

    def _currency(self, currency: str | None) -> CurrencySums | None:
        return self._sums(self.currencies, currency, MAX_CURRENCIES, CurrencySums, "currency")

    def _sums(self, table: dict[K, S], key: K | None, most: int, new: Callable[[], S], what: str) -> S | None:
        """The sums kept under `key`, made when it is new and there is room; None (and counted) otherwise."""
        # Sums made only for a key not seen yet: making one an order, for setdefault to drop, was most of this.
        sums = table.get(key) if key is not None else None
        if sums is not None:
            return sums
        if key is None or len(table) >= most:
            self.unreadable[f"orders without a readable {what}, left out of the sales"] += 1
            return None
        sums = table[key] = new()
        return sums

    def _amount(self, order: dict[str, Any], key: str) -> Decimal | None:
        raw = order.get(key)
        if raw is None or raw == "":
            return None
        value = decimal_or_none(raw)
        if value is None or abs(value) >= _LARGEST:
            self.unreadable[f"{key} not a number, counted as 0"] += 1
            return None
        return value

    def _date(self, value: Any) -> None:
        moment = _rfc2822_utc(value) or (
            parse_date(value) if isinstance(value, str) and len(value) <= MAX_DATE_TEXT else None
        )
        if moment is None:
            self.unreadable["orders without a readable date_created"] += 1
            return
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            return
        self.first = moment if self.first is None else min(self.first, moment)
        self.last = moment if self.last is None else max(self.last, moment)


_MONTHS = {
    name: number
    for number, name in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


def _rfc2822_utc(value: Any) -> datetime | None:
    """`Tue, 05 Mar 2019 21:40:11 +0000`, the one form BigCommerce writes dates in, read without the general
    parser (a summary reads ten thousand); None for any other text, which `parse_date` then reads."""
    if type(value) is not str or len(value) != 31 or not value.endswith(" +0000"):
        return None
    month = _MONTHS.get(value[8:11])
    digits = value[5:7] + value[12:16] + value[17:19] + value[20:22] + value[23:25]
    if month is None or not digits.isascii() or not digits.isdigit():
        return None
    try:
        return datetime(
            int(value[12:16]),
            month,
            int(value[5:7]),
            int(value[17:19]),
            int(value[20:22]),
            int(value[23:25]),
            tzinfo=UTC,
        )
    except ValueError:
        return None
