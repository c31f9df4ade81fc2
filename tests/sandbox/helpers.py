"""What the demo store's tests share: an in-process client on the seed store, and readers of the spec."""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from bigcommerce_orders_mcp.sandbox import (
    SANDBOX_ACCESS_TOKEN,
    SandboxStore,
    build_store,
    create_app,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"
SPEC = Path("/work/shared/reference/orders.v2.oas2.yml")
BASE = "/stores/sandbox/v2"
AUTH = {"X-Auth-Token": SANDBOX_ACCESS_TOKEN}
STATUS_CODES_URL = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"
NOT_FOUND = [{"status": 404, "message": "The requested resource was not found."}]
PAYMENT_STATUSES = {
    "authorized",
    "captured",
    "capture pending",
    "declined",
    "held for review",
    "paid",
    "partially refunded",
    "pending",
    "refunded",
    "void",
    "void pending",
    "",
}
MONEY_FIELDS = (
    "subtotal_ex_tax",
    "subtotal_inc_tax",
    "subtotal_tax",
    "base_shipping_cost",
    "shipping_cost_ex_tax",
    "shipping_cost_inc_tax",
    "shipping_cost_tax",
    "base_handling_cost",
    "handling_cost_ex_tax",
    "handling_cost_inc_tax",
    "handling_cost_tax",
    "base_wrapping_cost",
    "wrapping_cost_ex_tax",
    "wrapping_cost_inc_tax",
    "wrapping_cost_tax",
    "total_ex_tax",
    "total_inc_tax",
    "total_tax",
    "refunded_amount",
    "store_credit_amount",
    "gift_certificate_amount",
    "discount_amount",
    "coupon_discount",
)


SEED = build_store()  # the app never changes its store, so one serves every request


def client(**app_options: Any) -> httpx.AsyncClient:
    app = create_app(SEED, **app_options)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox", headers=AUTH)


async def get(path: str, **kwargs: Any) -> httpx.Response:
    async with client() as http:
        return await http.get(BASE + path, **kwargs)


def spec_fixture(name: str) -> Any:
    path = FIXTURES / name
    if not path.exists():  # the verbatim spec examples also live in the shared reference folder
        path = Path("/work/shared/reference/fixtures") / name
    return json.loads(path.read_text())


def rfc2822(text: str) -> datetime:
    parsed = parsedate_to_datetime(text)
    assert parsed.tzinfo is not None, text
    assert text.endswith("+0000"), text
    return parsed


def link(order_id: int, resource: str) -> dict[str, str]:
    path = f"/orders/{order_id}/{resource}"
    return {"url": f"https://api.bigcommerce.com/stores/sandbox/v2{path}", "resource": path}


def store() -> SandboxStore:
    return build_store()


Payload = dict[str, Any]
