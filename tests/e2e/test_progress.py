"""summarize_orders' progress over a real transport: the SDK client's progress_callback hears each page read."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from tests import processes

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


async def test_progress_reaches_a_client_over_streamable_http(demo_http: processes.Listening) -> None:
    heard: list[tuple[float, float | None, str | None]] = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        heard.append((progress, total, message))

    async with Client(demo_http.url) as client:
        result = await client.call_tool("summarize_orders", {}, progress_callback=progress)
        assert not result.is_error
        orders = result.structured_content["orders"]
        assert heard == [(orders, orders, f"{orders} orders read")]
        quiet: Any = await client.call_tool("count_orders", {}, progress_callback=progress)
        assert not quiet.is_error
    assert len(heard) == 1  # a call with one request to make reports nothing
