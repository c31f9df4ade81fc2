"""A server answering for several stores: a store enum in every schema, or a default store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import respx
from mcp import Client, MCPError

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.stores import Stores
from tests.conftest import API, TOKEN, fixture

pytestmark = pytest.mark.anyio


OUTLET = "https://api.bigcommerce.com/stores/outlet9/v2"


@pytest.fixture
def two_stores() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.get(f"{API}/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
        # The spec's order 247, as the outlet's order 218: an answer names the order asked for.
        router.get(f"{OUTLET}/orders/218").respond(
            json={**fixture("get_order.200.example_Multiple_Items.json"), "id": 218}
        )
        yield router


async def multi(default: str | None) -> AsyncIterator[Any]:
    stores = Stores({"main": BigCommerceClient(API, TOKEN), "outlet": BigCommerceClient(OUTLET, TOKEN)}, default)
    async with Client(build_server(stores)) as client:
        yield client


@pytest.fixture
async def multi_required() -> AsyncIterator[Any]:
    async for client in multi(None):
        yield client


@pytest.fixture
async def multi_default() -> AsyncIterator[Any]:
    async for client in multi("main"):
        yield client


async def test_one_store_keeps_the_schema(mcp_client: Any) -> None:
    for tool in (await mcp_client.list_tools()).tools:
        assert "store" not in tool.input_schema["properties"]


async def test_several_stores_add_a_store_enum(multi_required: Any, two_stores: respx.MockRouter) -> None:
    for tool in (await multi_required.list_tools()).tools:
        assert tool.input_schema["properties"]["store"]["enum"] == ["main", "outlet"]
        assert tool.input_schema["required"][0] == "store"
    outlet = await multi_required.call_tool("get_order", {"store": "outlet", "order_id": 218})
    assert outlet.structured_content["totals"]["total"] == 1008.74
    main = await multi_required.call_tool("get_order", {"store": "main", "order_id": 218})
    assert main.structured_content["totals"]["total"] == 69.84
    missing = await multi_required.call_tool("get_order", {"order_id": 218})
    assert missing.is_error
    assert "'store' is required" in missing.content[0].text
    with pytest.raises(MCPError, match="'store' is required"):
        await multi_required.get_prompt("summarize_order_for_support", {"order_id": "218"})
    wrong = await multi_required.call_tool("get_order", {"store": "nope", "order_id": 218})
    assert "'store' must be 'main' or 'outlet' (got \"nope\")" in wrong.content[0].text
    templates = [t.uri_template for t in (await multi_required.list_resource_templates()).resource_templates]
    assert templates == ["bigcommerce://stores/{store}/orders/{order_id}"]
    resource = await multi_required.read_resource("bigcommerce://stores/outlet/orders/218")
    # The outlet's answer (the spec's order 247 as its 218), not the main store's.
    assert json.loads(resource.contents[0].text)["totals"]["total"] == 1008.74


async def test_a_default_store_makes_store_optional(multi_default: Any, two_stores: respx.MockRouter) -> None:
    tool = (await multi_default.list_tools()).tools[0]
    assert "store" not in tool.input_schema["required"]
    assert "Default: 'main'" in tool.input_schema["properties"]["store"]["description"]
    result = await multi_default.call_tool("get_order", {"order_id": 218})
    assert result.structured_content["id"] == 218
    prompt = await multi_default.get_prompt("summarize_order_for_support", {"order_id": "218", "store": "outlet"})
    assert 'order_id=218, store="outlet"' in prompt.messages[0].content.text
    assert "several stores" in (multi_default.instructions or "")


@pytest.mark.parametrize("demo", [False, True])
def test_the_summary_bound_is_the_setting_for_every_way_of_naming_stores(
    demo: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bigcommerce_orders_mcp.settings import Settings
    from bigcommerce_orders_mcp.stores import build_stores

    monkeypatch.setenv("BIGCOMMERCE_SUMMARY_MAX_ORDERS", "1200")
    settings = Settings(store_hash="abc123", access_token=TOKEN)
    assert build_stores(settings, demo=demo).summary_max_orders == 1200
    monkeypatch.delenv("BIGCOMMERCE_SUMMARY_MAX_ORDERS")
    assert build_stores(Settings(store_hash="abc123", access_token=TOKEN), demo=demo).summary_max_orders == 10_000
