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
from mcp_types import Tool
from referencing import Registry

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.settings import Settings
from bigcommerce_orders_mcp.stores import demo_client

# A typical answer of each tool from the sandbox store: order 243 (split shipment, line items, coupons) with
# everything included; order 181's six messages (the sandbox's orders with messages have two at the median);
# the ten newest orders (bench/context.py's search); order 243's parcels; order 146's refund (products and
# shipping); order 212's two payments (a gift certificate and a card); the store counted; the multi-currency day
# summed.
CALLS: dict[str, dict[str, Any]] = {
    "get_order": {"order_id": 243, "include": ["consignments.line_items", "fees"]},
    "list_order_messages": {"order_id": 181},
    "list_orders": {"limit": 10, "sort": "date_created:desc"},
    "list_order_shipments": {"order_id": 243},
    "list_order_refunds": {"order_id": 146},
    "list_order_transactions": {"order_id": 212},
    "count_orders": {},
    "summarize_orders": {"min_date_created": "2026-04-09", "max_date_created": "2026-04-09T23:59:59Z"},
}
# Full pages of the default size, 50: order 150's 64 messages, the first 50 of the store's orders.
FULL_PAGES: dict[str, tuple[str, dict[str, Any]]] = {
    "list_order_messages 50": ("list_order_messages", {"order_id": 150}),
    "list_orders 50": ("list_orders", {"limit": 50}),
}


# Issue 17's budgets for what the model reads of each tool: the four first tools stay within 500 tokens, and any
# tool added since within 400.
FIRST_TOOLS = frozenset({"get_order", "list_order_messages", "list_orders", "list_order_shipments"})
FIRST_BUDGET = 500
NEW_BUDGET = 400


def budget(tool: str) -> int:
    """The most tokens `tool`'s definition may take."""
    return FIRST_BUDGET if tool in FIRST_TOOLS else NEW_BUDGET


def definition(tool: Tool) -> str:
    """What a model reads of a tool, as compact JSON: its name, title, description and input schema as tools/list
    sends them. Hosts hand models these and keep the output schema to check results with (Claude Code, for one,
    drops it from what the model sees), so the output schema is counted apart, in `listed`."""
    read = {"name": tool.name, "title": tool.title, "description": tool.description, "inputSchema": tool.input_schema}
    return json.dumps(read, ensure_ascii=False, separators=(",", ":"))


def listed(tool: Tool) -> str:
    """The tool's whole entry as tools/list sends it, output schema and annotations included, as compact JSON."""
    entry = tool.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


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
    """Per tool: definition tokens (name, title, description, input schema) against its budget, the whole tools/list
    entry's tokens, output schema bytes, validation ms."""
    results: dict[str, Any] = {"tools": {}}
    async with Client(build_server(demo_client(Settings()), log_level="WARNING")) as client:
        tools = (await client.list_tools()).tools
        schemas = {tool.name: tool.output_schema or {} for tool in tools}
        for tool in tools:
            result = await client.call_tool(tool.name, CALLS[tool.name])
            data = result.structured_content or {}
            read, entry = definition(tool), listed(tool)
            results["tools"][tool.name] = {
                "definition_tokens": count_tokens(read) if count_tokens else None,
                "definition_budget": budget(tool.name),
                "listed_tokens": count_tokens(entry) if count_tokens else None,
                "definition_bytes": len(read.encode()),
                "listed_bytes": len(entry.encode()),
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
    measured_tools = results["tools"].values()
    results["worst_validation_ms"] = max(t["validation_ms"] for t in measured_tools)
    measured = [*measured_tools, *results["full_pages"].values()]
    results["us_per_value"] = round(
        1000 * sum(t["validation_ms"] for t in measured) / sum(t["values"] for t in measured), 2
    )
    if count_tokens:
        results["tools_list_tokens"] = sum(t["definition_tokens"] for t in measured_tools)
        results["worst_definition_tokens"] = max(t["definition_tokens"] for t in measured_tools)
        results["over_budget"] = sorted(n for n, t in results["tools"].items() if t["definition_tokens"] > budget(n))
        results["listed_tokens"] = sum(t["listed_tokens"] for t in measured_tools)
    return results
