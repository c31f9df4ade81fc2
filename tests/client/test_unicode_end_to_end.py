"""Lone surrogates in BigCommerce's JSON never reach a tool result (issue 18, item 1): through the SDK's
in-memory client, and over stdio with a real server process against a hostile upstream whose answer would
otherwise end the session."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import IO, Any

import anyio
import pytest
import respx
from mcp import Client
from mcp.client.stdio import stdio_client
from mcp_types import TextContent

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from tests import hostile_upstream
from tests.conftest import API, TOKEN, fixture
from tests.processes import PYTHON, Command, base_env, listening_all, mcp_http, stdio

pytestmark = pytest.mark.anyio

LONE = ("\udbff", "\udc00", "\ud9a5")


def poisoned(value: Any) -> Any:
    """`value` with a lone surrogate put into every string, and an object whose keys hold them too."""
    pending: list[Any] = [value]
    count = 0
    while pending:
        node = pending.pop()
        places = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for place, item in list(places):
            if isinstance(item, str):
                count += 1
                node[place] = item[:1] + LONE[count % len(LONE)] + item[1:]
            elif isinstance(item, dict | list):
                pending.append(item)
    if isinstance(value, dict):
        value["form_fields\udfee"] = {"gift\ud800": ["wrap \udc00 it"]}
    return value


def raw(value: Any) -> bytes:
    """JSON as an upstream would write it: each lone surrogate as a `\\uXXXX` escape."""
    body = json.dumps(value).encode()
    assert re.search(rb"\\ud[89a-f]", body)
    return body


def strict_utf8_text(result: Any) -> str:
    """The result's text, once it and the structured content have been encoded as strict UTF-8."""
    assert not result.is_error, result.content
    (content,) = result.content
    assert isinstance(content, TextContent)
    content.text.encode("utf-8")
    json.dumps(result.structured_content, ensure_ascii=False).encode("utf-8")
    return content.text


def order() -> Any:
    return poisoned(fixture("get_order.200.example_Response.json"))


def messages() -> Any:
    # The spec's messages of order 181, as order 218's: an answer names the order asked for.
    return poisoned([{**message, "order_id": 218} for message in fixture("order_messages.200.example.json")])


def shipments() -> Any:
    shipment = {
        "id": 6,
        "order_id": 218,
        "date_created": "Mon, 11 Mar 2019 17:22:08 +0000",
        "tracking_number": "EJ958083578US",
        "shipping_provider": "usps",
        "tracking_carrier": "usps",
        "tracking_link": "https://tracking.example/EJ958083578US",
        "comments": "Left at the door",
        "billing_address": {"first_name": "Jane", "last_name": "Does", "city": "Austin"},
        "shipping_address": {"first_name": "Jane", "last_name": "Does", "city": "Austin"},
        "items": [{"order_product_id": 194, "product_id": 77, "quantity": 1}],
    }
    return poisoned([shipment])


@pytest.mark.parametrize(
    ("tool", "arguments", "path", "body"),
    [
        ("get_order", {"order_id": 218}, "/orders/218", order),
        ("get_order", {"order_id": 218, "detail": "full"}, "/orders/218", order),
        ("list_order_messages", {"order_id": 218}, "/orders/218/messages", messages),
        ("list_order_shipments", {"order_id": 218}, "/orders/218/shipments", shipments),
    ],
    ids=["get_order", "get_order full", "list_order_messages", "list_order_shipments"],
)  # fmt: skip
async def test_a_tool_result_is_valid_utf8_whatever_surrogates_the_answer_held(
    tool: str, arguments: dict[str, Any], path: str, body: Any
) -> None:
    with respx.mock(base_url=API, assert_all_called=False) as api:
        api.get(path).respond(200, content=raw(body()), headers={"Content-Type": "application/json"})
        # list_order_shipments reads the order for its item names.
        api.get("/orders/218").respond(200, content=raw(order()), headers={"Content-Type": "application/json"})
        async with Client(build_server(BigCommerceClient(API, TOKEN))) as client:
            result = await client.call_tool(tool, arguments)
    assert "\ufffd" in strict_utf8_text(result)


async def hostile_then_normal(client: Client) -> None:
    """get_order of the answer with lone surrogates, summary and full, then of a normal order: all answered."""
    for arguments in ({}, {"detail": "full"}):
        hostile = await client.call_tool("get_order", {"order_id": hostile_upstream.LONE_SURROGATES, **arguments})
        assert "\ufffd" in strict_utf8_text(hostile)
    strict_utf8_text(await client.call_tool("get_order", {"order_id": hostile_upstream.NORMAL}))


@pytest.mark.e2e
@pytest.mark.parametrize("transport", ["stdio", "streamable-http"])
async def test_a_real_server_answers_lone_surrogates_and_the_next_call(tmp_path: Path, transport: str) -> None:
    upstream_log = tmp_path / "upstream.log"
    with listening_all(Command([PYTHON, "-m", "tests.hostile_upstream", "--port", "0"], upstream_log)) as (upstream,):
        env = base_env(
            BIGCOMMERCE_API_URL=upstream.url,
            BIGCOMMERCE_STORE_HASH="hostile",
            BIGCOMMERCE_ACCESS_TOKEN="hostile-access-token",
        )
        if transport == "stdio":
            # The session that ended: the SDK's stdout writer raised, and the next line of input was never read.
            errlog: IO[str]
            with (tmp_path / "server.log").open("w") as errlog, anyio.fail_after(30):
                async with Client(stdio_client(stdio(env=env), errlog=errlog)) as client:
                    await hostile_then_normal(client)
        else:
            # Where the answer was an empty 200, with neither result nor error.
            with listening_all(mcp_http(transport, tmp_path / "server.log", env=env)) as (server,):
                with anyio.fail_after(30):
                    async with Client(server.url) as client:
                        await hostile_then_normal(client)
