"""The tools, one module each; a new tool is one module and one line here."""

from typing import Any

from bigcommerce_orders_mcp.tools import (
    get_order,
    list_order_messages,
    list_order_refunds,
    list_order_shipments,
    list_order_transactions,
    list_orders,
)
from bigcommerce_orders_mcp.tools.base import ToolDefinition

__all__ = [
    "TOOLS",
    "get_order",
    "list_order_messages",
    "list_order_refunds",
    "list_order_shipments",
    "list_order_transactions",
    "list_orders",
]

TOOLS: tuple[ToolDefinition[Any, Any], ...] = (
    get_order.TOOL,
    list_order_messages.TOOL,
    list_orders.TOOL,
    list_order_shipments.TOOL,
    list_order_refunds.TOOL,
    list_order_transactions.TOOL,
)
