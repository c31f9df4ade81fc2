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

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.settings import Settings
from bigcommerce_orders_mcp.stores import demo_client

# A typical answer of each tool from the sandbox store: order 243 (split shipment, line items, coupons) with
# everything included; order 181's six messages (the sandbox's orders with messages have two at the median);
# the ten newest orders (bench/context.py's search); order 243's parcels; order 146's refund (products and
# shipping); order 212's two payments (a gift certificate and a card).
CALLS: dict[str, dict[str, Any]] = {
    "get_order": {"order_id": 243, "include": ["consignments.line_items", "fees"]},
    "list_order_messages": {"order_id": 181},
    "list_orders": {"limit": 10, "sort": "date_created:desc"},
    "list_order_shipments": {"order_id": 243},
    "list_order_refunds": {"order_id": 146},
    "list_order_transactions": {"order_id": 212},
}
# Full pages of the default size, 50: order 150's 64 messages, the store's 48 orders.
FULL_PAGES: dict[str, tuple[str, dict[str, Any]]] = {
    "list_order_messages 50": ("list_order_messages", {"order_id": 150}),
    "list_orders 48": ("list_orders", {"limit": 50}),
}


def values(node: Any) -> int:
    """How many JSON values `node` holds, itself included: what the validator visits."""
    if isinstance(node, dict):
        return 1 + sum(values(v) for v in node.values())
    if isinstance(node, list):
        return 1 + sum(values(v) for v in node)
    return 1


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
    async with Client(build_server(demo_client(Settings()), log_level="WARNING")) as client:
        listed = (await client.list_tools()).tools
        definitions = [
            json.dumps(
                {"name": t.name, "title": t.title, "description": t.description, "inputSchema": t.input_schema},
                ensure_ascii=False,
                separators=(",", ":"),
            )
            for t in listed
        ]
        schemas = {tool.name: tool.output_schema or {} for tool in listed}
        for tool, definition in zip(listed, definitions, strict=True):
            result = await client.call_tool(tool.name, CALLS[tool.name])
            data = result.structured_content or {}
            results["tools"][tool.name] = {
                "definition_tokens": count_tokens(definition) if count_tokens else None,
                "definition_bytes": len(definition.encode()),
                "output_schema_bytes": len(json.dumps(schemas[tool.name]).encode()),
                "validation_ms": round(validation_ms(schemas[tool.name], data, rounds), 4),
                "values": values(data),
            }
        results["full_pages"] = {}
        for label, (name, arguments) in FULL_PAGES.items():
            data = (await client.call_tool(name, arguments)).structured_content or {}
            results["full_pages"][label] = {
                "validation_ms": round(validation_ms(schemas[name], data, rounds), 4),
                "values": values(data),
            }
    tools = results["tools"].values()
    results["worst_validation_ms"] = max(t["validation_ms"] for t in tools)
    measured = [*tools, *results["full_pages"].values()]
    results["us_per_value"] = round(
        1000 * sum(t["validation_ms"] for t in measured) / sum(t["values"] for t in measured), 2
    )
    if count_tokens:
        results["tools_list_tokens"] = sum(t["definition_tokens"] for t in tools)
        results["worst_definition_tokens"] = max(t["definition_tokens"] for t in tools)
    return results
