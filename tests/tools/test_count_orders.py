"""count_orders: list_orders' filters, the count endpoint's answer read as untrusted, and the demo store."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from bigcommerce_orders_mcp.tools.count_orders import LABEL_LIMIT, NO_ORDERS, read_counts
from tests.calls import call_error, call_ok

pytestmark = pytest.mark.anyio


def _status(status_id: int, name: str, count: int, custom: str | None = None) -> dict[str, Any]:
    return {"id": status_id, "name": name, "system_label": name, "custom_label": custom or name, "count": count}


COUNT = {
    "count": 7,
    "statuses": [
        _status(0, "Incomplete", 0),
        _status(9, "Awaiting Shipment", 2),
        _status(10, "Completed", 4, "Completed - Testing"),
        _status(12, "Manual Verification Required", 1),
    ],
}


async def test_filters_go_upstream_as_list_orders_sends_them(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders/count").respond(json=COUNT)
    await call_ok(mcp_client, "count_orders", {"status_id": "9", "min_date_created": "2026-03-01", "customer_id": 0})
    assert dict(route.calls.last.request.url.params) == {
        "status_id": "9",
        "customer_id": "0",
        "min_date_created": "Sun, 01 Mar 2026 00:00:00 +0000",
    }


async def test_the_total_and_each_status_with_orders_under_the_merchants_label(
    mcp_client: Any, api: respx.MockRouter
) -> None:
    api.get("/orders/count").respond(json=COUNT)
    answer = await call_ok(mcp_client, "count_orders", {})
    assert answer == {
        "total": 7,
        "statuses": [
            {"status_id": 10, "status": "Completed - Testing", "system_name": "Completed", "count": 4},
            {"status_id": 9, "status": "Awaiting Shipment", "count": 2},
            {"status_id": 12, "status": "Manual Verification Required", "count": 1},
        ],
    }


async def test_no_orders_is_a_zero_and_a_notice(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/count").respond(json={"count": 0, "statuses": [_status(9, "Awaiting Shipment", 0)]})
    assert await call_ok(mcp_client, "count_orders", {"email": "nobody@example.com"}) == {
        "total": 0,
        "statuses": [],
        "notice": NO_ORDERS,
    }


async def test_paging_and_sort_are_not_its_arguments(mcp_client: Any) -> None:
    text = await call_error(mcp_client, "count_orders", {"page": 2})
    assert "unknown argument 'page'" in text
    assert "must not be greater than max_id" in await call_error(mcp_client, "count_orders", {"min_id": 5, "max_id": 2})


@pytest.mark.parametrize("body", [[], "7", None, {"statuses": "x"}])
async def test_an_answer_that_is_not_a_count_is_an_invalid_response(
    mcp_client: Any, api: respx.MockRouter, body: Any
) -> None:
    api.get("/orders/count").respond(json=body)
    result = await mcp_client.call_tool("count_orders", {})
    assert result.is_error
    assert result.structured_content["error"]["type"] == "invalid_response"


def test_hostile_rows_are_left_out_and_labels_cut() -> None:
    counts = read_counts(
        {
            "count": "junk",
            "statuses": [
                {"id": "x", "count": 3},
                {"id": 2, "count": -1},
                {"id": 2, "count": True},
                {"id": 11, "custom_label": "A" * 5000, "name": "Awaiting Fulfillment", "count": 3},
                {"id": 13, "custom_label": "Disputed\u200b", "name": "Disputed", "count": 1},
                "not a row",
            ],
        }
    )
    assert counts.total == 4
    assert [status.status_id for status in counts.statuses] == [11, 13]
    long, disputed = counts.statuses
    assert len(long.status) < LABEL_LIMIT + 200
    assert long.system_name == "Awaiting Fulfillment"
    assert (disputed.status, disputed.system_name) == ("Disputed", None)


def test_a_huge_status_list_is_read_no_further_than_any_store_has() -> None:
    counts = read_counts({"count": 1, "statuses": [_status(9, "Awaiting Shipment", 1)] * 100_000})
    assert len(counts.statuses) <= 50


async def test_against_the_demo_store_the_filters_are_honoured(sandbox: Any) -> None:
    everything = await call_ok(sandbox, "count_orders", {})
    awaiting = await call_ok(sandbox, "count_orders", {"status_id": 9})
    listed = await call_ok(sandbox, "list_orders", {"status_id": 9, "limit": 250})
    assert awaiting["total"] == len(listed["orders"]) > 0
    assert awaiting["statuses"] == [{"status_id": 9, "status": "Awaiting Shipment", "count": awaiting["total"]}]
    assert everything["total"] == sum(status["count"] for status in everything["statuses"]) > awaiting["total"]
    relabelled = [status for status in everything["statuses"] if status["status_id"] == 12]
    assert relabelled == [
        {
            "status_id": 12,
            "status": "On Hold - Fraud Review",
            "system_name": "Manual Verification Required",
            "count": relabelled[0]["count"],
        }
    ]
