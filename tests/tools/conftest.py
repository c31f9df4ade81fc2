"""What the tool tests share: orders whose every number and date is absurd, a guard against a summary that hangs,
and an MCP session with a server in front of the demo store."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import httpx
import pytest
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.sandbox import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, create_app
from tests.conftest import fixture

T = TypeVar("T")
ORDER_NUMBERS = [
    "id", "customer_id", "status_id", "items_total", "items_shipped", "channel_id", "subtotal_inc_tax",
    "shipping_cost_inc_tax", "handling_cost_inc_tax", "wrapping_cost_inc_tax", "discount_amount",
    "coupon_discount", "total_tax", "total_inc_tax", "refunded_amount", "store_credit_amount",
    "gift_certificate_amount",
]  # fmt: skip
LINE_NUMBERS = ["quantity", "price_inc_tax", "total_inc_tax", "quantity_shipped", "quantity_refunded"]
DATES = ["date_created", "date_modified", "date_shipped"]


def finishes(job: Callable[[], T], seconds: float = 2) -> T:
    """Run `job` in a daemon thread: a hang fails the test instead of the whole run."""
    out: list[T] = []
    worker = threading.Thread(target=lambda: out.append(job()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "still running: an upstream value stalls the summary"
    assert out, "raised: see the thread's traceback above"
    return out[0]


def absurd_order(value: Any, *, date: Any = None) -> dict[str, Any]:
    order: dict[str, Any] = copy.deepcopy(fixture("get_order.200.example_Multiple_Items.json"))
    for key in ORDER_NUMBERS:
        order[key] = value
    order["fees"] = [{"display_name_customer": "Fee", "cost_inc_tax": value}]
    product = {"id": value, "name": "Mug", **dict.fromkeys(LINE_NUMBERS, value)}
    shipping = {"cost_inc_tax": value, "items_total": value, "items_shipped": value, "line_items": [product]}
    order["consignments"] = {"shipping": [shipping], "pickups": [{"line_items": [product]}]}
    for key in DATES:
        order[key] = date
    return order


def dumped(summary: Any) -> str:
    return json.dumps(summary.to_json_dict())


@pytest.fixture
async def sandbox() -> AsyncIterator[Any]:
    """A client session with a server whose store is the demo store, served in this process."""
    transport = httpx.ASGITransport(app=create_app())
    client = BigCommerceClient(
        f"http://sandbox.invalid/stores/{SANDBOX_STORE_HASH}/v2", SANDBOX_ACCESS_TOKEN, transport=transport
    )
    async with Client(build_server(client)) as session:
        yield session
