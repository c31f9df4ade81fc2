"""Output limits of the list tools: never more entries than `limit`, long message text cut, `call --all`
capped. An upstream that ignores `limit` or sends megabytes must not flood the model's context."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import respx
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.cli import MAX_PAGES, all_pages
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.tools.list_order_messages import SUBJECT_LIMIT, TEXT_LIMIT, summarize_message
from bigcommerce_orders_mcp.tools.values import cut
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


def test_long_message_text_and_subject_are_cut_with_where_to_read_them() -> None:
    text = "Dear shop, " + "the kettle leaks. " * 300_000 + "Please refund order 7."
    started = time.perf_counter()
    got = summarize_message(message(1, message=text, subject="Kettle " * 1000)).to_json_dict()
    assert time.perf_counter() - started < 1
    assert len(got["customer"]) < TEXT_LIMIT + 120
    assert got["customer"].startswith("Dear shop, the kettle leaks.")
    assert got["customer"].endswith("Please refund order 7.")
    assert "the whole message is in the BigCommerce control panel" in got["customer"]
    assert len(got["subject"]) < SUBJECT_LIMIT + 120
    assert "characters cut here" in got["subject"]


def test_a_real_long_email_is_not_cut() -> None:
    email = "Hello,\n\n" + "I ordered the kettle last week and it arrived with a dent in the lid. " * 40
    assert summarize_message(message(1, message=email)).customer == email.strip()


def test_cut_stays_fast_and_grapheme_safe_on_five_megabytes() -> None:
    for text in ["a" * 5_000_000, "漢" * 5_000_000, "🇩🇪" * 2_500_000, "👩\u200d👩\u200d👧" * 1_000_000]:
        started = time.perf_counter()
        got = cut(text, TEXT_LIMIT, "see the control panel")
        assert time.perf_counter() - started < 1
        assert got is not None
        head, _, tail = got.partition(" […")
        assert text.startswith(head)
        assert text.endswith(tail.partition("] ")[2])
    flags = cut("x" * 5001 + "🇩🇪" * 3000, TEXT_LIMIT, "z")
    assert flags is not None
    assert flags.endswith("🇩🇪" * 10)


class ScriptedPages:
    """Pages without end: every page is full."""

    def __init__(self) -> None:
        self.calls = 0

    async def call_tool(self, name: str, arguments: dict[str, Any]) -> Any:
        self.calls += 1
        number = arguments["page"]
        content = {"orders": [{"id": number}], "page": number, "has_more": True, "next_page": {"page": number + 1}}
        return type("Result", (), {"is_error": False, "structured_content": content})()


async def test_call_all_stops_at_the_page_cap_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    upstream = ScriptedPages()
    first = {"orders": [{"id": 1}], "page": 1, "has_more": True, "next_page": {"page": 2}}
    combined = await all_pages(upstream, "list_orders", first)
    assert upstream.calls == MAX_PAGES - 1
    assert combined["count"] == MAX_PAGES
    assert combined["truncated"] is True
    assert combined["next_page"] == {"page": MAX_PAGES + 1}
    assert f"stopped at the cap of {MAX_PAGES} pages" in capsys.readouterr().err
    assert json.dumps(combined)


async def test_call_all_takes_a_list_without_paging_fields_as_one_page(capsys: pytest.CaptureFixture[str]) -> None:
    upstream = ScriptedPages()
    combined = await all_pages(upstream, "list_orders", {"orders": [{"id": 1}, {"id": 2}], "currency": "USD"})
    assert upstream.calls == 0
    assert combined == {"orders": [{"id": 1}, {"id": 2}], "currency": "USD", "count": 2, "pages": 1}
    assert "done: 2 orders" in capsys.readouterr().err
