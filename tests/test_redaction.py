"""BIGCOMMERCE_REDACT_PII: what is masked, in fields and in free text, and what is left alone."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx
from mcp import Client

from server.app import build_server
from server.client import BigCommerceClient
from server.redaction import redact, redact_text
from tests.conftest import API, TOKEN, fixture

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail janedoe@example.com now", "mail j***@e***.com now"),
        ("j.doe+x@mail.example.co.uk", "j***@m***.uk"),
        ("call +1 555-010-7890", "call ***90"),
        ("call (303) 555-0126.", "call ***26."),
        ("from 70.112.53.67", "from [ip redacted]"),
        ("from 2001:db8::1 and ::1", "from [ip redacted] and [ip redacted]"),
    ],
)
def test_free_text_is_masked(text: str, expected: str) -> None:
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-04-23 18:40 UTC (Sam): packed",
        "Tue, 05 Mar 2019 21:40:11 +0000",
        "total 1,008.74 USD, 20350.0000 JPY",
        "UPC 1234567891112, tracking 1ZJP1990000000199",
        "cart 8b84f622-faf1-4c10-887b-f5dff2f9eaf4 at 11:32:00",
        "order #181, 3 items",
    ],
)
def test_dates_amounts_and_ids_are_left_alone(text: str) -> None:
    assert redact_text(text) == text


def test_payload_fields_are_masked() -> None:
    order = redact(fixture("get_order.200.example_Multiple_Items.json"))
    billing = order["billing_address"]
    assert billing["street_1"] == "[street redacted]"
    assert billing["street_2"] == ""
    assert billing["email"] == "j***@e***.com"
    assert billing["phone"] == "***90"
    assert billing["city"] == "Austin"
    assert order["ip_address"] == "[ip redacted]"
    assert order["total_inc_tax"] == "1008.74"
    assert order["cart_id"] == "8b84f622-faf1-4c10-887b-f5dff2f9eaf4"


async def test_every_tool_output_is_redacted() -> None:
    client = BigCommerceClient(API, TOKEN, redact_pii=True)
    order = fixture("get_order.200.example_Multiple_Items.json")
    order["customer_message"] = "Text me on +1 512 555 0199 or mail jane.doe@example.org"
    message = dict(fixture("order_messages.200.example.json")[0], message="I am at 70.112.53.67, jane@x.io")
    with respx.mock(base_url=API) as api:
        api.get("/orders/247").respond(json=order)
        api.get("/orders/247/messages").respond(json=[message])
        async with Client(build_server(client)) as session:
            outputs = [
                await session.call_tool("get_order", {"order_id": 247}),
                await session.call_tool("get_order", {"order_id": 247, "detail": "full"}),
                await session.call_tool("list_order_messages", {"order_id": 247}),
            ]
    text = json.dumps([o.model_dump(mode="json") for o in outputs])
    secrets = ["janedoe@email.com", "jane.doe@example.org", "jane@x.io", "1234567890", "555 0199", "555 East Street"]
    for secret in [*secrets, "70.112.53.67"]:
        assert secret not in text
    summary: dict[str, Any] = outputs[0].structured_content or {}
    assert summary["billing_address"] == "[street redacted], Austin, Texas 78108, United States"
    assert summary["customer"] == {
        "id": 11,
        "name": "Jane Doe",
        "email": "j***@e***.com",
        "phone": "***90",
        "locale": "en",
    }
