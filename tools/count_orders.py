"""`count_orders`: how many orders match list_orders' filters, in all and per status."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from bigcommerce_orders_mcp.client import BigCommerceClient, InvalidResponseError
from bigcommerce_orders_mcp.tools.base import Output, ToolDefinition
from bigcommerce_orders_mcp.tools.list_orders import OrderFilters
from bigcommerce_orders_mcp.tools.values import STATUS_NAMES, as_count, clean_text, cut, dicts

__all__ = [
    "DESCRIPTION",
    "LABEL_LIMIT",
    "NO_ORDERS",
    "TOOL",
    "CountOrdersArgs",
    "OrderCount",
    "OrderCounts",
    "StatusCount",
    "count_orders",
    "read_counts",
]

DESCRIPTION = """\
Count orders by list_orders' filters: the total, and per status with orders its count and the merchant's \
label (system name if it differs)."""

NO_ORDERS = "No order matches these filters."
LABEL_LIMIT = 100
# BigCommerce has 15 statuses; a longer list is not its answer, and is cut rather than read on.
_MOST_STATUSES = 50
_IN_CONTROL_PANEL = "the status list is in the BigCommerce control panel"


class CountOrdersArgs(OrderFilters):
    pass


class StatusCount(Output):
    status_id: int
    status: str = Field(description="As the merchant labelled it in the control panel.")
    system_name: str | None = Field(None, description="BigCommerce's name, when the label differs.")
    count: int


class OrderCount(Output):
    total: int = Field(description="Orders matching the filters.")
    statuses: list[StatusCount] = Field(description="Statuses that have orders, most orders first.")
    notice: str | None = None


class OrderCounts(Output):
    """What `read_counts` makes of the count endpoint's answer (also what summarize_orders starts from)."""

    total: int
    statuses: list[StatusCount]


async def count_orders(args: CountOrdersArgs, client: BigCommerceClient) -> OrderCount:
    counts = read_counts(await client.get("/orders/count", args.query()))
    return OrderCount(total=counts.total, statuses=counts.statuses, notice=NO_ORDERS if counts.total == 0 else None)


def read_counts(body: Any) -> OrderCounts:
    """`{"count": N, "statuses": [...]}` read as untrusted: statuses without orders or a readable id are left
    out; a total that cannot be read is the statuses' sum."""
    if not isinstance(body, dict):
        raise InvalidResponseError("BigCommerce answered the order count with something other than an object; retry.")
    rows = dicts(body.get("statuses"))
    statuses = [_status(row) for row in rows[:_MOST_STATUSES]]
    kept = sorted((s for s in statuses if s is not None and s.count), key=lambda s: (-s.count, s.status_id))
    total = as_count(body.get("count"))
    if total is None:
        if not rows:
            raise InvalidResponseError("BigCommerce answered the order count without a readable count; retry.")
        total = sum(status.count for status in kept)
    return OrderCounts(total=total, statuses=kept)


def _status(row: dict[str, Any]) -> StatusCount | None:
    status_id, count = as_count(row.get("id")), as_count(row.get("count"))
    if status_id is None or count is None:
        return None
    system = clean_text(row.get("system_label")) or clean_text(row.get("name")) or STATUS_NAMES.get(status_id)
    label = cut(clean_text(row.get("custom_label")) or system or f"status {status_id}", LABEL_LIMIT, _IN_CONTROL_PANEL)
    system = cut(system, LABEL_LIMIT, _IN_CONTROL_PANEL)
    return StatusCount(
        status_id=status_id,
        status=label or f"status {status_id}",
        system_name=system if system and label and system.casefold() != label.casefold() else None,
        count=count,
    )


TOOL = ToolDefinition(
    "count_orders",
    "Count BigCommerce orders",
    DESCRIPTION,
    CountOrdersArgs,
    OrderCount,
    count_orders,
)
