"""BIGCOMMERCE_TOOLS and --tools in real processes: over stdio as Claude Desktop launches it, and over streamable
HTTP, only the tools named are listed and answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import stdio_client

from tests.processes import base_env, listening_all, mcp_http, stdio

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]


async def test_only_the_tools_named_are_listed_and_answered_over_stdio(tmp_path: Path) -> None:
    env = base_env(BIGCOMMERCE_TOOLS="list_order_messages,get_order")
    with (tmp_path / "server.log").open("w") as errlog:
        async with Client(stdio_client(stdio("--demo", env=env), errlog=errlog)) as client:
            assert [tool.name for tool in (await client.list_tools()).tools] == ["get_order", "list_order_messages"]
            assert "list_orders" not in (client.instructions or "")
            assert not (await client.call_tool("get_order", {"order_id": 218})).is_error
            hidden = await client.call_tool("list_order_shipments", {"order_id": 243})
            assert hidden.is_error
            assert hidden.structured_content == {
                "error": {
                    "type": "unknown_tool",
                    "message": 'There is no tool "list_order_shipments"; tools: get_order, list_order_messages.',
                }
            }


async def test_the_flag_wins_over_the_variable_over_streamable_http(tmp_path: Path) -> None:
    env = base_env(BIGCOMMERCE_TOOLS="get_order")
    command = mcp_http("streamable-http", tmp_path / "server.log", "--demo", "--tools", "list_orders", env=env)
    with listening_all(command) as (server,):
        async with Client(server.url) as client:
            assert [tool.name for tool in (await client.list_tools()).tools] == ["list_orders"]
            assert (await client.call_tool("get_order", {"order_id": 218})).is_error
            assert (await client.list_prompts()).prompts == []
