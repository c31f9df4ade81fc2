"""`summarize_orders`: a period's or a segment's sales, per currency and per status, from every matching order.

It counts first (`GET /v2/orders/count`), then reads the orders 250 a page, a few pages in flight, folding each
page into running sums and dropping it; refunds come from Orders v3 for each page's orders. Past the bound (a
setting) it stops, and says where the rest begins.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from functools import partial
from typing import Any

import anyio
from pydantic import Field

from bigcommerce_orders_mcp.client import BigCommerceClient, BigCommerceError
from bigcommerce_orders_mcp.tools.base import MAX_LIMIT, Money, Output, ToolDefinition
from bigcommerce_orders_mcp.tools.count_orders import OrderCounts, StatusCount, read_counts
from bigcommerce_orders_mcp.tools.list_orders import OrderFilters
from bigcommerce_orders_mcp.tools.lists import check_filters, get_list
from bigcommerce_orders_mcp.tools.progress import report_progress
from bigcommerce_orders_mcp.tools.sales import LEFT_OUT, Sales
from bigcommerce_orders_mcp.tools.v3 import v3_rows
from bigcommerce_orders_mcp.tools.values import STATUS_NAMES, as_id, minor_unit

__all__ = [
    "DEFAULT_MAX_ORDERS",
    "DESCRIPTION",
    "NO_ORDERS",
    "PAGES_IN_FLIGHT",
    "REFUND_PAGES",
    "TOOL",
    "CurrencySales",
    "Partial",
    "StatusSales",
    "SummarizeOrdersArgs",
    "Summary",
    "bounded_to",
    "summarize_orders",
]

DESCRIPTION = """\
Sales per currency and status by list_orders' filters: totals, tax, shipping, discounts, refunds, average. \
Incomplete, cancelled and declined orders are left out of sales."""

NO_ORDERS = "No order matches these filters."
DEFAULT_MAX_ORDERS = 10_000
# Pages in flight hold only their bytes while they arrive: each is decoded and folded in with no wait between, so
# one decoded page at most exists at a time, and memory stays flat however many orders there are.
PAGES_IN_FLIGHT = 8
REFUNDS_IN_FLIGHT = 8
# A page of orders has at most 250 orders, and an order a handful of refunds: more pages is an upstream gone wrong.
REFUND_PAGES = 20
_SORT = "id:asc"


class SummarizeOrdersArgs(OrderFilters):
    pass


class CurrencySales(Output):
    currency: str = Field(description="The transactional currency the shoppers paid in; these amounts are in it.")
    orders: int
    total: Money = Field(description="Sum of the orders' totals, tax included.")
    tax: Money = Field(description="Sum of the tax those totals include.")
    shipping: Money = Field(description="Sum of shipping, tax included.")
    discounts: Money = Field(description="Sum of discounts and coupons.")
    refunded: Money = Field(
        description="What these orders' refunds returned (Orders v3; declined refund payments not counted)."
    )
    refunds: int | None = Field(None, description="How many refunds returned money.")
    average_order: Money = Field(description="total / orders.")


class StatusSales(Output):
    status_id: int
    status: str = Field(description="As the merchant labelled it.")
    orders: int = Field(description="Orders with this status (exact, from the count).")
    totals: dict[str, Money] | None = Field(None, description="Sum of their totals, per currency.")


class Partial(Output):
    read: int = Field(description="Orders summed: the lowest ids first.")
    through_id: int = Field(description="The highest order id summed.")
    rest: dict[str, Any] = Field(description="The exact arguments of the summarize_orders call for the rest.")


class Summary(Output):
    orders: int = Field(description="Orders matching the filters, exact, whatever the bound.")
    first_order: str | None = Field(None, description="Earliest order date summed, ISO-8601 UTC.")
    last_order: str | None = Field(None, description="Latest order date summed, ISO-8601 UTC.")
    sales: list[CurrencySales] = Field(description="Per currency; incomplete, cancelled and declined orders left out.")
    statuses: list[StatusSales] = Field(description="The statuses counted in sales.")
    left_out: list[StatusSales] | None = Field(
        None, description="Incomplete, cancelled and declined orders: no sales, reported apart."
    )
    partial: Partial | None = Field(None, description="Present when the bound stopped the reading.")
    notice: str | None = None
    unreadable: list[str] | None = Field(None, description="Values BigCommerce sent that could not be read.")


@dataclasses.dataclass
class _Reading:
    """One summary under way: what to read, and the sums so far."""

    client: BigCommerceClient
    query: dict[str, str]
    to_read: int
    sales: Sales = dataclasses.field(default_factory=Sales)
    done: int = 0


async def summarize_orders(args: SummarizeOrdersArgs, client: BigCommerceClient, max_orders: int) -> Summary:
    counts = read_counts(await client.get("/orders/count", args.query()))
    if counts.total == 0:
        return Summary(orders=0, sales=[], statuses=[], notice=NO_ORDERS)
    reading = _Reading(client, args.query(), min(counts.total, max_orders))
    pages = -(-reading.to_read // MAX_LIMIT)
    pages_in_flight = anyio.CapacityLimiter(min(PAGES_IN_FLIGHT, client.max_concurrency))
    refunds_in_flight = anyio.CapacityLimiter(min(REFUNDS_IN_FLIGHT, client.max_concurrency))
    try:
        async with anyio.create_task_group() as group:
            for page in range(1, pages + 1):
                group.start_soon(_page, reading, page, args, pages_in_flight, refunds_in_flight)
    except BaseExceptionGroup as failed:
        # The first page to fail cancelled the rest: its error is the call's, in the one error shape.
        raise _first(failed) from None
    return _summary(args, counts, reading, complete=counts.total <= max_orders)


async def _page(
    reading: _Reading,
    page: int,
    args: SummarizeOrdersArgs,
    pages_in_flight: anyio.CapacityLimiter,
    refunds_in_flight: anyio.CapacityLimiter,
) -> None:
    """Read one page of orders, fold it in and let it go; then its orders' refunds."""
    allowed = min(MAX_LIMIT, reading.to_read - (page - 1) * MAX_LIMIT)
    async with pages_in_flight:
        params = {**reading.query, "sort": _SORT, "page": str(page), "limit": str(MAX_LIMIT)}
        body = await get_list(reading.client, "/orders", params, what="orders")
        rows = [order for order in body[:allowed] if isinstance(order, dict)]
        del body
        check_filters(rows, args, "orders", ("customer_id", "status_id", "channel_id"))
        sold = {}
        for order in rows:
            currency = reading.sales.add(order)
            if currency is not None:
                sold[as_id(order.get("id")) or 0] = currency
        del rows
    reading.done += allowed
    await report_progress(min(reading.done, reading.to_read), reading.to_read, f"{reading.done} orders read")
    if sold:
        async with refunds_in_flight:
            await _refunds(reading, sold)


async def _refunds(reading: _Reading, sold: dict[int, str]) -> None:
    """The refunds of these orders (`order_id:in`), in their orders' currencies."""
    ids = ",".join(str(order_id) for order_id in sorted(sold))
    for page in range(1, REFUND_PAGES + 1):
        params = {"order_id:in": ids, "page": str(page), "limit": str(MAX_LIMIT)}
        body = await reading.client.get("/orders/payment_actions/refunds", params, api="v3")
        rows, meta = v3_rows(body, "refunds of these orders")
        for refund in rows:
            currency = sold.get(as_id(refund.get("order_id")) or 0)
            if currency is None:
                reading.sales.unreadable["refunds of orders not asked for, left out"] += 1
            else:
                reading.sales.add_refund(currency, refund)
        pagination = meta.get("pagination")
        last = pagination.get("total_pages") if isinstance(pagination, dict) else None
        if len(rows) < MAX_LIMIT or (isinstance(last, int) and page >= last):
            return
    reading.sales.unreadable[f"refunds past {REFUND_PAGES} pages for one page of orders, left out"] += 1


def _first(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error that ended a task group: a `BigCommerceError` when any task met one."""
    for error in group.exceptions:
        inner = _first(error) if isinstance(error, BaseExceptionGroup) else error
        if isinstance(inner, BigCommerceError):
            return inner
    return group


def _summary(args: SummarizeOrdersArgs, counts: OrderCounts, reading: _Reading, *, complete: bool) -> Summary:
    sales = reading.sales
    labels = {status.status_id: status for status in counts.statuses}
    statuses = [
        _status_sales(status_id, labels.get(status_id), sums.orders, sums.totals)
        for status_id, sums in sales.statuses.items()
    ]
    # Statuses the count found but no order read showed (past the bound, or changed since): their count alone.
    statuses += [
        _status_sales(s.status_id, s, s.count, {}) for s in counts.statuses if s.status_id not in sales.statuses
    ]
    statuses.sort(key=lambda status: (-status.orders, status.status_id))
    partial = None
    if not complete:
        rest = {**args.filters(), "min_id": sales.highest_id + 1}
        partial = Partial(read=sales.read, through_id=sales.highest_id, rest=rest)
    return Summary(
        orders=counts.total,
        first_order=_iso(sales.first),
        last_order=_iso(sales.last),
        sales=[_currency_sales(currency, sums) for currency, sums in sorted(sales.currencies.items())],
        statuses=[status for status in statuses if status.status_id not in LEFT_OUT],
        left_out=[status for status in statuses if status.status_id in LEFT_OUT] or None,
        partial=partial,
        unreadable=[f"{what}: {count}" for what, count in sorted(sales.unreadable.items())] or None,
    )


def _status_sales(status_id: int, counted: StatusCount | None, read: int, totals: dict[str, Decimal]) -> StatusSales:
    return StatusSales(
        status_id=status_id,
        status=counted.status if counted else STATUS_NAMES.get(status_id, f"status {status_id}"),
        orders=max(counted.count if counted else 0, read),
        totals={currency: minor_unit(total, currency) for currency, total in sorted(totals.items())} or None,
    )


def _currency_sales(currency: str, sums: Any) -> CurrencySales:
    amounts = {name: minor_unit(amount, currency) for name, amount in sums.amounts.items()}
    average = sums.amounts["total"] / sums.orders if sums.orders else Decimal(0)
    return CurrencySales(
        currency=currency,
        orders=sums.orders,
        refunded=minor_unit(sums.refunded, currency),
        refunds=sums.refunds or None,
        average_order=minor_unit(average, currency),
        **amounts,
    )


def _iso(moment: Any) -> str | None:
    return None if moment is None else str(moment.isoformat(timespec="seconds").replace("+00:00", "Z"))


def bounded_to(max_orders: int) -> ToolDefinition[SummarizeOrdersArgs, Summary]:
    """The tool, stopping after `max_orders` orders (BIGCOMMERCE_SUMMARY_MAX_ORDERS)."""
    return ToolDefinition(
        "summarize_orders",
        "Summarize sales",
        DESCRIPTION,
        SummarizeOrdersArgs,
        Summary,
        partial(summarize_orders, max_orders=max_orders),
        too_large="narrow the filters (dates or ids)",
    )


TOOL = bounded_to(DEFAULT_MAX_ORDERS)
