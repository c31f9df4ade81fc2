"""What each tool's definition and output schema cost a framework: the tokens a model reads for the tool, and the
time the SDK client spends validating each result against the `outputSchema` (it does, on every call)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from jsonschema import exceptions
from jsonschema.validators import validator_for
from mcp import Client
from referencing import Registry

from server.app import build_server
from server.cli import _demo_client
from server.settings import Settings

# One representative call per tool against the sandbox store (order 243: split shipment, line items, coupons).
CALLS: dict[str, dict[str, Any]] = {
    "get_order": {"order_id": 243, "include": ["consignments.line_items", "fees"]},
    "list_order_messages": {"order_id": 150},
    "list_orders": {"limit": 50},
    "list_order_shipments": {"order_id": 243},
}


def validation_ms(schema: dict[str, Any], data: dict[str, Any], rounds: int) -> float:
    """Median milliseconds of one validation as the SDK client does it: a compiled validator, `best_match`."""
    validator = validator_for(schema)(schema, registry=Registry())
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        error = exceptions.best_match(validator.iter_errors(data))
        samples.append((time.perf_counter() - started) * 1000)
        assert error is None, error
    return statistics.median(samples)


async def measure(count_tokens: Callable[[str], int] | None, rounds: int) -> dict[str, Any]:
    """Per tool: definition tokens (name, title, description, input schema), output schema bytes, validation ms."""
    results: dict[str, Any] = {"tools": {}}
    async with Client(build_server(_demo_client(Settings()), log_level="WARNING")) as client:
        listed = (await client.list_tools()).tools
        definitions = [
            json.dumps(
                {"name": t.name, "title": t.title, "description": t.description, "inputSchema": t.input_schema},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            for t in listed
        ]
        for tool, definition in zip(listed, definitions, strict=True):
            result = await client.call_tool(tool.name, CALLS[tool.name])
            data = result.structured_content or {}
            schema = tool.output_schema or {}
            results["tools"][tool.name] = {
                "definition_tokens": count_tokens(definition) if count_tokens else None,
                "definition_bytes": len(definition.encode()),
                "output_schema_bytes": len(json.dumps(schema).encode()),
                "validation_ms": round(validation_ms(schema, data, rounds), 4),
            }
    tools = results["tools"].values()
    results["worst_validation_ms"] = max(t["validation_ms"] for t in tools)
    if count_tokens:
        results["tools_list_tokens"] = sum(t["definition_tokens"] for t in tools)
        results["worst_definition_tokens"] = max(t["definition_tokens"] for t in tools)
    return results
