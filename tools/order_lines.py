"""An order read with its line items, to name what other sub-resources (shipments, refunds) refer to by id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bigcommerce_orders_mcp.tools.base import answered_otherwise, shown
from bigcommerce_orders_mcp.tools.values import as_dict, as_id, clean_text, dicts, non_empty, order_currency

__all__ = ["ORDER_WITH_LINES", "OrderLines", "line_name", "order_lines"]

ORDER_WITH_LINES = {"include": "consignments.line_items", "consignment_structure": "object"}
"""The query of `GET /orders/{id}` that embeds every consignment with its line items."""


@dataclass(frozen=True)
class OrderLines:
    """What one order's payload says about its parts: line items and shipping addresses by id, its currency."""

    currency: str | None
    products: dict[int, dict[str, Any]]
    addresses: dict[int, dict[str, Any]]


def order_lines(order: Any, order_id: int, purpose: str) -> OrderLines:
    """The parts of `order`, the body of `GET /orders/{order_id}` with `ORDER_WITH_LINES`.

    An answer about another order would name this one's parts wrongly: an invalid response, whose sentence
    says the order was asked for `purpose` (e.g. "to name its items").
    """
    if isinstance(order, dict) and non_empty(order.get("id")) and as_id(order["id"]) != order_id:
        raise answered_otherwise(f"order {order_id} {purpose}", f"order {shown(order['id'])}")
    body = as_dict(order)
    consignments = as_dict(body.get("consignments"))
    products: dict[int, dict[str, Any]] = {}
    addresses: dict[int, dict[str, Any]] = {}
    for kind in ("shipping", "pickups", "downloads"):
        for group in dicts(consignments.get(kind)):
            group_id = as_id(group.get("id"))
            if kind == "shipping" and group_id is not None:
                addresses[group_id] = group
            for line in dicts(group.get("line_items")):
                line_id = as_id(line.get("id"))
                if line_id is not None:
                    products[line_id] = line
    return OrderLines(order_currency(body), products, addresses)


def line_name(line: dict[str, Any]) -> str | None:
    """A line item as the customer saw it named; the catalog name without one."""
    return clean_text(line.get("name_customer")) or clean_text(line.get("name"))
