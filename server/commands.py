"""The `call` and `check` commands: one tool call printed as JSON, and each configured store checked."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from bigcommerce_orders_mcp.client import (
    BigCommerceClient,
    BigCommerceError,
    NotFoundError,
    PermissionDeniedError,
    scrub,
)
from bigcommerce_orders_mcp.stores import Stores
from bigcommerce_orders_mcp.tools import TOOLS
from bigcommerce_orders_mcp.tools.base import bounded

__all__ = ["MAX_PAGES", "PROG", "all_pages", "call_tool", "check_stores"]

PROG = "bigcommerce-orders-mcp"


async def call_tool(
    stores: Stores,
    tool: str,
    arguments_text: str,
    *,
    every_page: bool,
    pretty: bool,
    tools: Sequence[str] | None = None,
) -> int:
    """Run one tool once, as an MCP client would, and print its result as JSON on stdout; the exit status.

    `tools` are the names exposed (BIGCOMMERCE_TOOLS): the command sees what a client of the server would.
    """
    from mcp import Client

    from bigcommerce_orders_mcp.app import build_server

    exposed = [known for known in TOOLS if tools is None or known.name in tools]
    names = [known.name for known in exposed]
    paged = [known.name for known in exposed if "next_page" in known.output_schema().get("properties", {})]
    if tool not in names:
        hidden = tool in {known.name for known in TOOLS}
        what = (
            f"tool {tool!r} is not exposed (BIGCOMMERCE_TOOLS, --tools)"
            if hidden
            else f"unknown tool {bounded(tool, 60)!r}"
        )
        print(f"{PROG}: {what}; tools: {', '.join(names)}", file=sys.stderr)
        return 2
    try:
        arguments = json.loads(arguments_text)
    except json.JSONDecodeError as exc:
        print(f"{PROG}: arguments must be a JSON object, e.g. '{{\"order_id\": 218}}' ({exc})", file=sys.stderr)
        return 2
    if not isinstance(arguments, dict):
        print(f"{PROG}: arguments must be a JSON object, e.g. '{{\"order_id\": 218}}'", file=sys.stderr)
        return 2
    if every_page and tool not in paged:
        print(f"{PROG}: --all pages through {', '.join(paged)} only", file=sys.stderr)
        return 2
    async with Client(build_server(stores, log_level="WARNING", tools=tools)) as client:
        result = await client.call_tool(tool, arguments)
        data = result.structured_content
        if every_page and not result.is_error and data is not None:
            data = await all_pages(client, tool, data)
    if result.is_error:
        print(f"{PROG}: {_text(result)}", file=sys.stderr)
        return 1
    print(json.dumps(data, ensure_ascii=False, indent=2 if pretty else None, separators=None if pretty else (",", ":")))
    return 0


MAX_PAGES = 100


async def all_pages(client: Any, tool: str, first: dict[str, Any], max_pages: int = MAX_PAGES) -> dict[str, Any]:
    """Follow next_page until the last page or `max_pages`, reporting progress on stderr; one combined result."""
    rows = next(key for key, value in first.items() if isinstance(value, list))
    pages = [first]
    count = len(first[rows])
    while more := pages[-1].get("has_more") and pages[-1].get("next_page"):
        if len(pages) >= max_pages:
            break
        page = pages[-1]
        _progress(f"page {page['page']}: {count} {rows} so far, fetching page {page['next_page']['page']}")
        result = await client.call_tool(tool, page["next_page"])
        if result.is_error:
            raise SystemExit(f"{PROG}: {_text(result)}")
        pages.append(result.structured_content)
        count += len(pages[-1][rows])
    if more:
        following = pages[-1]["next_page"]["page"]
        _progress(f"stopped at the cap of {max_pages} pages: {count} {rows}; more from page {following}", last=True)
    else:
        _progress(f"done: {count} {rows}", last=True)
    # A fact a page says once for its rows (one customer, one currency) stays said once only if every
    # page says the same; otherwise each row gets its own page's.
    filled = [page for page in pages if page[rows]] or pages
    facts = {key for page in filled for key in page} - {rows, "page", "count", "has_more", "next_page"}
    differing = {key for key in facts if len({repr(page.get(key)) for page in filled}) > 1}
    combined = {key: value for key, value in first.items() if key not in {"page", "has_more", "next_page", *differing}}
    combined[rows] = [
        {**row, **{key: page[key] for key in differing if page.get(key) is not None}}
        for page in pages
        for row in page[rows]
    ]
    combined["count"] = count
    combined["pages"] = len(pages)
    if more:
        combined["truncated"] = True
        combined["next_page"] = pages[-1]["next_page"]
    return combined


def _progress(text: str, *, last: bool = False) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\033[K{text}" + ("\n" if last else ""))
    else:
        sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _text(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def check_stores(stores: Stores) -> int:
    """Ask each store for its order count, printing one line each; the exit status."""
    async with stores.session():  # and with it the shared budget's link to Redis, once for every store
        return await _check_each(stores)


async def _check_each(stores: Stores) -> int:
    failures = 0
    for name, client in stores.clients.items():
        label = f"{name} ({client.base_url})" if stores.multiple else client.base_url
        async with client.session():
            try:
                body = await client.get("/orders/count")
            except BigCommerceError as exc:
                failures += 1
                _say(f"FAIL {label}: {exc.message}")
                continue
            count = body.get("count") if isinstance(body, dict) else None
            if not isinstance(count, int):
                failures += 1
                _say(f"FAIL {label}: the orders count came back in a shape this server does not know.")
                continue
            transactions = await _transactions_scope(client)
        _say(f"OK   {label}: reachable, token valid, orders readable ({count} orders), {transactions}")
    return 1 if failures else 0


# No order has this number (ids are below 2**31), so the answer costs the store no lookup: 404 with the scope,
# 403 without it (BigCommerce checks scopes before the resource).
_NO_ORDER = 2**31 - 1


async def _transactions_scope(client: BigCommerceClient) -> str:
    """Whether the token may read order transactions, which list_order_transactions needs and the Orders scope
    does not give: one request."""
    try:
        await client.get(f"/orders/{_NO_ORDER}/transactions", api="v3")
    except NotFoundError:
        pass
    except PermissionDeniedError:
        return (
            "order transactions NOT readable: add the Order Transactions read-only scope "
            "(store_v2_transactions_read_only) for list_order_transactions"
        )
    except BigCommerceError as exc:
        return f"order transactions not checked: {exc.message}"
    return "order transactions readable"


def _say(line: str) -> None:
    """A line of `check`, as it leaves the process: no secret of it in any."""
    print(scrub(line))
