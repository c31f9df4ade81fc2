"""What the list tools share: a page never holds more than `limit`, whatever the upstream sends."""

from __future__ import annotations

from typing import Any

import pytest
import respx
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from tests.conftest import API, TOKEN

pytestmark = pytest.mark.anyio


def message(n: int, **fields: Any) -> dict[str, Any]:
    return {"id": n, "order_id": 7, "type": "customer", "message": f"message {n}", **fields}


def order(n: int) -> dict[str, Any]:
    return {"id": n, "status": "Shipped", "billing_address": {"first_name": "Ann"}}


def shipment(n: int) -> dict[str, Any]:
    return {"id": n, "tracking_number": f"T{n}"}


@pytest.mark.parametrize(
    ("tool", "path", "entry", "rows", "arguments"),
    [
        ("list_order_messages", "/orders/7/messages", message, "messages", {"order_id": 7}),
        ("list_orders", "/orders", order, "orders", {}),
        ("list_order_shipments", "/orders/7/shipments", shipment, "shipments", {"order_id": 7}),
    ],
)
async def test_a_page_never_holds_more_than_limit(
    tool: str, path: str, entry: Any, rows: str, arguments: dict[str, Any]
) -> None:
    with respx.mock(base_url=API, assert_all_called=False) as api:
        api.get(path).respond(json=[entry(n) for n in range(1, 10_001)])
        api.get("/orders/7").respond(json={"id": 7})
        async with Client(build_server(BigCommerceClient(API, TOKEN))) as client:
            result = await client.call_tool(tool, {**arguments, "limit": 5})
    data = result.structured_content or {}
    assert [row["id"] for row in data[rows]] == [1, 2, 3, 4, 5]
    assert data["has_more"] is True
    assert data["next_page"]["page"] == 2
