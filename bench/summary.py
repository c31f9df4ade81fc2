"""summarize_orders over a store of generated orders: exact against sums made here, fast under latency, flat memory.

The sandbox serves ``--orders N`` generated orders; this module sums the same generated data itself, with no code
of the tools, and compares. Then, with 50 ms of latency on every request, it times the tool against fetching the
same pages one after another, and reads the server's peak RSS after a tenth of the orders and after all of them.
"""

from __future__ import annotations

import json
import statistics
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import httpx
from mcp import Client

from bench.timing import ours_http, set_latency, status_kb
from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.sandbox import (
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
    bulk_orders,
    bulk_refunds,
    bulk_store,
    create_app,
)
from tests import processes

PAGE = 250
LATENCY_MS = 50
NO_SALE = (0, 5, 6)  # incomplete, cancelled, declined


def expected_sales(count: int) -> dict[str, dict[str, Decimal]]:
    """Per currency, the sums the tool must answer, from the generated payloads and refunds alone."""
    orders = bulk_orders(count)
    refunds = bulk_refunds(orders)
    sums: dict[str, dict[str, Decimal]] = {}
    for order in orders.values():
        payload = order.payload
        if payload["status_id"] in NO_SALE:
            continue
        row = sums.setdefault(payload["default_currency_code"], dict.fromkeys(_FIELDS, Decimal(0)))
        row["orders"] += 1
        row["total"] += Decimal(payload["total_inc_tax"])
        row["tax"] += Decimal(payload["total_tax"])
        row["shipping"] += Decimal(payload["shipping_cost_inc_tax"])
        row["discounts"] += Decimal(payload["discount_amount"]) + Decimal(payload["coupon_discount"])
        for refund in refunds.get(order.id, []):
            returned = [p["amount"] for p in refund["payments"] if not p["is_declined"]]
            row["refunded"] += sum((Decimal(str(amount)) for amount in returned), Decimal(0))
    cent = Decimal("0.01")
    for row in sums.values():
        row["average_order"] = row["total"] / row["orders"]
        for name in (*_FIELDS[1:], "average_order"):
            row[name] = row[name].quantize(cent, rounding=ROUND_HALF_UP)
    return sums


_FIELDS = ("orders", "total", "tax", "shipping", "discounts", "refunded")


def differences(answer: dict[str, Any], expected: dict[str, dict[str, Decimal]]) -> list[str]:
    """Every figure of the answer that differs from the sums made here (empty: exact)."""
    found = {row["currency"]: row for row in answer["sales"]}
    wrong = [f"currencies {sorted(found)} != {sorted(expected)}"] if set(found) != set(expected) else []
    for currency, row in expected.items():
        for name, value in row.items():
            got = found.get(currency, {}).get(name, 0)
            if Decimal(str(got)) != value:
                wrong.append(f"{currency} {name}: {got} != {value}")
    return wrong


async def _one_after_another(api: processes.SandboxStore, pages: int, *, decode: bool) -> float:
    """Seconds to GET the tool's pages of orders one after another, each read whole (and decoded, if asked)."""
    headers = {"X-Auth-Token": api.token, "Accept": "application/json"}
    async with httpx.AsyncClient(base_url=api.v2_root, headers=headers, timeout=60) as http:
        started = time.perf_counter()
        for page in range(1, pages + 1):
            response = await http.get("/orders", params={"sort": "id:asc", "page": page, "limit": PAGE})
            response.raise_for_status()
            if decode:
                json.loads(response.content)
        return time.perf_counter() - started


async def _call(client: Client, arguments: dict[str, Any]) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    result = await client.call_tool("summarize_orders", arguments)
    seconds = time.perf_counter() - started
    if result.is_error or result.structured_content is None:
        raise RuntimeError(f"summarize_orders failed: {result.content!r}")
    return dict(result.structured_content), seconds


async def exact_in_process(count: int) -> dict[str, Any]:
    """The exactness figure alone, the sandbox served in this process: what the quick run checks, in a second."""
    store = bulk_store(count)
    transport = httpx.ASGITransport(app=create_app(store))
    client = BigCommerceClient(
        f"http://sandbox.invalid/stores/{SANDBOX_STORE_HASH}/v2", SANDBOX_ACCESS_TOKEN, transport=transport
    )
    async with Client(build_server(client, log_level="WARNING")) as session:
        answer, _ = await _call(session, {})
    return {
        "orders": count,
        "differences": differences(answer, expected_sales(count)),
        "counted": answer["orders"],
        "partial": "partial" in answer,
    }


async def measure(log_dir: Path, count: int, rounds: int) -> dict[str, Any]:
    """The three figures, side by side in one run, over a sandbox of `count` generated orders; the timings
    `rounds` times each, the medians reported."""
    times: dict[str, list[float]] = {"tool": [], "sequential": [], "decoded": []}
    expected = expected_sales(count)
    small = count // 10
    pages = -(-count // PAGE)
    out: dict[str, Any] = {"orders": count, "pages": pages, "latency_ms": LATENCY_MS}
    bulk = processes.sandbox(log_dir / "bulk.log", "--faults", "--quota", "100000", "--orders", str(count))
    with bulk as api, processes.listening_all(ours_http(api, log_dir / "summary.log")) as (server,):
        async with Client(server.url) as client:
            await _call(client, {"max_id": 1})  # imports and first-use set-up, outside every figure
            await _call(client, {"max_id": small})
            after_small = status_kb(server.pid)
            answer, plain_seconds = await _call(client, {})
            after_all = status_kb(server.pid)
            out["differences"] = differences(answer, expected)
            out["counted"] = answer["orders"]
            out["partial"] = "partial" in answer
            await set_latency(api.url, LATENCY_MS)
            try:
                # Taking turns, so that the machine's load at one moment weighs on both alike.
                for _ in range(rounds):
                    times["tool"].append((await _call(client, {}))[1])
                    times["sequential"].append(await _one_after_another(api, pages, decode=False))
                    times["decoded"].append(await _one_after_another(api, pages, decode=True))
            finally:
                await set_latency(api.url, None)
    out["memory"] = {
        "orders_first": small,
        "after_first_kb": after_small,
        "after_total_kb": after_all,
        "growth": (after_all["VmHWM"] - after_small["VmHWM"]) / after_small["VmHWM"],
    }
    tool, sequential, decoded = (statistics.median(times[name]) for name in ("tool", "sequential", "decoded"))
    out["no_latency_s"] = round(plain_seconds, 3)
    out["tool_s"] = round(tool, 3)
    out["sequential_s"] = round(sequential, 3)
    out["sequential_decoded_s"] = round(decoded, 3)
    out["ratio"] = statistics.median(a / b for a, b in zip(times["tool"], times["sequential"], strict=True))
    out["ratio_decoded"] = statistics.median(a / b for a, b in zip(times["tool"], times["decoded"], strict=True))
    out["rounds"] = rounds
    return out
