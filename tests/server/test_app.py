"""The MCP server through the SDK's in-memory client: the tools as listed, unknown tools, the order
resource, and no token in any output or log line."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
import respx
from mcp import MCPError
from mcp_types import INTERNAL_ERROR, INVALID_PARAMS

from tests.calls import call_error
from tests.conftest import TOKEN, TOOL_NAMES, fixture

pytestmark = pytest.mark.anyio


async def test_tools_are_listed_with_hints_and_schemas(mcp_client: Any) -> None:
    tools = {tool.name: tool for tool in (await mcp_client.list_tools()).tools}
    assert set(tools) == TOOL_NAMES
    for tool in tools.values():
        assert tool.title
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.idempotent_hint is True
        assert tool.annotations.open_world_hint is True
        assert tool.input_schema["additionalProperties"] is False
        assert tool.output_schema["type"] == "object"
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), name
    assert tools["get_order"].input_schema["required"] == ["order_id"]
    assert "list_order_messages" in (mcp_client.instructions or "")


async def test_unknown_tool_is_an_error(mcp_client: Any) -> None:
    text = await call_error(mcp_client, "delete_order", {"order_id": 1})
    expected = (
        'There is no tool "delete_order"; tools: get_order, list_order_messages, list_orders, list_order_shipments.'
    )
    assert text == expected


async def test_the_token_appears_in_no_output_and_no_log_line_at_any_level(
    mcp_client: Any, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    api.get("/orders/1").respond(401)
    api.get("/orders/2").respond(500, text=f"echo {TOKEN}")
    api.get("/orders/3").mock(side_effect=httpx.ConnectError(f"refused {TOKEN}"))
    api.get("/orders/218/messages").respond(json=fixture("order_messages.200.example.json"))
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for tool, args in [
            ("get_order", {"order_id": 218, "detail": "full"}),
            ("get_order", {"order_id": 1}),
            ("get_order", {"order_id": 2}),
            ("get_order", {"order_id": 3}),
            ("get_order", {"order_id": -1}),
            ("list_order_messages", {"order_id": 218, "bogus": 1}),
        ]:
            result = await mcp_client.call_tool(tool, args)
            seen.append(json.dumps(result.model_dump(mode="json")))
    assert TOKEN not in caplog.text
    assert not any(TOKEN in text for text in seen)


async def test_order_resource(mcp_client: Any, api: respx.MockRouter) -> None:
    templates = (await mcp_client.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == ["bigcommerce://orders/{order_id}"]
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    result = await mcp_client.read_resource("bigcommerce://orders/218")
    (content,) = result.contents
    assert content.mime_type == "application/json"
    assert json.loads(content.text)["status"] == "Awaiting Payment"


@pytest.mark.parametrize(
    ("uri", "status", "code", "expected"),
    [
        ("bigcommerce://orders/999", 404, -32002, "Order 999 was not found in this store; check the order number."),
        ("bigcommerce://orders/998", 503, INTERNAL_ERROR, "BigCommerce is unavailable (HTTP 503)"),
        ("bigcommerce://orders/0", None, INVALID_PARAMS, "'order_id' must be greater than or equal to 1 (got 0)"),
        ("bigcommerce://orders/abc", None, INVALID_PARAMS, "'order_id' must be an integer (got \"abc\")"),
    ],
)
async def test_order_resource_errors(
    mcp_client: Any, api: respx.MockRouter, uri: str, status: int | None, code: int, expected: str
) -> None:
    if status == 404:
        api.get("/orders/999").respond(status, json=fixture("error.404.example_404_Resp.json"))
    elif status:
        api.get("/orders/998").respond(status)
    with pytest.raises(MCPError) as caught:
        await mcp_client.read_resource(uri)
    assert caught.value.code == code
    assert expected in caught.value.message
    assert "Internal server error" not in caught.value.message
