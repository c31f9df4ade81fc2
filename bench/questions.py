"""What answering a support question costs in context: the README's question table, each row's call made as a
client would, against a server that hands the model BigCommerce's body as text for the same requests (what the
community BigCommerce servers do).

A question's tokens are the tool definitions the model reads (paid once a conversation, here one question a
conversation) plus what the call returns. The raw side is every request the call made, asked again of the same
demo store, its body tokenized as it came; it carries the same definitions, as the raw server has tools too.
`raw_first` counts each call's first request alone (list_order_shipments' second fetches the order only to name
the items), the raw side at its smallest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from mcp import Client
from mcp_types import TextContent

from bench.schemas import definition
from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.sandbox import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, RateLimiter, create_app
from bigcommerce_orders_mcp.stores import DEMO_QUOTA
from tests.questions import missing_answers, questions

ROOT = f"http://sandbox.invalid/stores/{SANDBOX_STORE_HASH}/v2"


class _Recording(httpx.AsyncBaseTransport):
    """Passes each request on, keeping its URL: what a raw server would have asked for the same question."""

    def __init__(self, inner: httpx.AsyncBaseTransport, urls: list[httpx.URL]) -> None:
        self._inner = inner
        self._urls = urls

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._urls.append(request.url)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


async def measure(count_tokens: Callable[[str], int] | None) -> dict[str, Any]:
    """Per question: our answer's bytes and tokens, the raw bodies' for the same requests, and whether the answer
    holds what the table says; totals with the definitions added once per question."""
    app = create_app(rate_limiter=RateLimiter(quota=DEMO_QUOTA))
    urls: list[httpx.URL] = []
    client = BigCommerceClient(
        ROOT, SANDBOX_ACCESS_TOKEN, transport=lambda: _Recording(httpx.ASGITransport(app=app), urls)
    )
    measure_text = count_tokens or (lambda text: len(text.encode()))
    rows: list[dict[str, Any]] = []
    headers = {"X-Auth-Token": SANDBOX_ACCESS_TOKEN, "Accept": "application/json"}
    async with (
        Client(build_server(client, log_level="WARNING")) as session,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), headers=headers) as raw_http,
    ):
        listed = (await session.list_tools()).tools
        definitions = sum(measure_text(definition(tool)) for tool in listed)
        for asked in questions():
            urls.clear()
            result = await session.call_tool(asked.tool, asked.arguments)
            text = result.content[0].text if result.content and isinstance(result.content[0], TextContent) else ""
            bodies = [(await raw_http.get(url)).text for url in list(urls)]
            missing = ["the call failed"] if result.is_error else missing_answers(asked, result.structured_content)
            rows.append(
                {
                    "question": asked.question,
                    "call": f"{asked.tool} {asked.arguments}",
                    "requests": len(bodies),
                    "answered": not missing,
                    "ours": measure_text(text),
                    "raw": sum(measure_text(body) for body in bodies),
                    "raw_first": measure_text(bodies[0]) if bodies else 0,
                    "ours_bytes": len(text.encode()),
                    "raw_bytes": sum(len(body.encode()) for body in bodies),
                }
            )
    answered = [row for row in rows if row["answered"]]
    count = len(answered) or 1
    ours, raw = sum(row["ours"] for row in answered), sum(row["raw"] for row in answered)
    raw_first = sum(row["raw_first"] for row in answered)
    return {
        "unit": "tokens" if count_tokens else "bytes",
        "questions": len(rows),
        "answered": len(answered),
        "unanswered": [row["question"] for row in rows if not row["answered"]],
        "definitions": definitions,
        "tools": len(listed),
        "output_per_question": round(ours / count, 1),
        "raw_output_per_question": round(raw / count, 1),
        "per_question": round(definitions + ours / count, 1),
        "raw_per_question": round(definitions + raw / count, 1),
        "raw_first_output_per_question": round(raw_first / count, 1),
        "ratio": (definitions * count + ours) / (definitions * count + raw) if raw else None,
        "output_ratio": ours / raw if raw else None,
        "rows": rows,
    }
