"""Calling the server from tests: a tool through an MCP client, or initialize as raw JSON-RPC over HTTP."""

from __future__ import annotations

import json
from typing import Any

from mcp import Client

from tests.conftest import TOKEN


def text_of(result: Any) -> str:
    assert len(result.content) == 1
    return str(result.content[0].text)


async def call_ok(client: Any, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, text_of(result)
    text = text_of(result)
    # The text copy is the structured content as compact JSON.
    assert text == json.dumps(result.structured_content, ensure_ascii=False, separators=(",", ":"))
    return dict(result.structured_content)


async def call_error(client: Any, tool: str, args: dict[str, Any]) -> str:
    """Every failure has one shape: isError, one sentence, and the same sentence under structuredContent.error."""
    result = await client.call_tool(tool, args)
    assert result.is_error
    text = text_of(result)
    assert TOKEN not in text
    assert "Traceback" not in text
    assert "Error executing tool" not in text
    error = result.structured_content["error"]
    assert error["message"] == text
    assert error["type"]
    return text


async def ok(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return dict(result.structured_content)


INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
