"""Ask an OpenAI Agents SDK agent about BigCommerce orders through this MCP server.

The server runs against the built-in sandbox store (``--demo``), launched over stdio with
``agents.mcp.MCPServerStdio``, unless ``--url`` points at a running streamable-HTTP server
(``bigcommerce-orders-mcp --demo --transport streamable-http`` serves ``http://127.0.0.1:8000/mcp``).

    .venv/bin/python examples/openai_agents.py                           # with OPENAI_API_KEY set
    .venv/bin/python examples/openai_agents.py "Has the customer on order 181 written to us?"
    .venv/bin/python examples/openai_agents.py --no-llm                  # no key needed

The model is ``--model``, else the SDK's default (``OPENAI_DEFAULT_MODEL``); the SDK reads ``OPENAI_API_KEY``
itself. Without ``--no-llm`` and without that key, the script takes the scripted path: it lists the tools and
calls ``get_order`` for order 218 and ``list_order_messages`` for order 181 directly, printing what the server
returns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import TypeAlias

from agents import Agent, Model, Runner
from agents.mcp import MCPServerStdio, MCPServerStreamableHttp

QUESTION = "What's the status of order 218, and has the customer on order 181 written to us?"
OrdersServer: TypeAlias = MCPServerStdio | MCPServerStreamableHttp
# The SDK's 5-second default can be too short for the server's first start on a cold machine.
TIMEOUT_SECONDS = 30


# One call of each tool, against orders the sandbox store has.
TRY = (
    ("get_order", {"order_id": 218}),
    ("list_orders", {"email": "janedoe@example.com"}),
    ("list_order_messages", {"order_id": 181}),
    ("list_order_shipments", {"order_id": 243}),
    ("count_orders", {"status_id": 9}),
    ("summarize_orders", {"min_date_created": "2026-04-09", "max_date_created": "2026-04-09T23:59:59Z"}),
)


def server_command() -> list[str]:
    """The server's command line, found next to this interpreter rather than on PATH."""
    script = Path(sys.executable).with_name("bigcommerce-orders-mcp")
    if script.exists():
        return [str(script), "--demo"]
    return [sys.executable, "-m", "bigcommerce_orders_mcp", "--demo"]


def mcp_server(url: str | None) -> OrdersServer:
    if url:
        return MCPServerStreamableHttp(
            params={"url": url}, name="bigcommerce-orders", client_session_timeout_seconds=TIMEOUT_SECONDS
        )
    command, *args = server_command()
    return MCPServerStdio(
        params={"command": command, "args": args},
        name="bigcommerce-orders",
        client_session_timeout_seconds=TIMEOUT_SECONDS,
    )


async def scripted(server: OrdersServer) -> None:
    """Connect, list the tools and call each once, with no model involved."""
    async with server:
        for tool in await server.list_tools():
            print(f"tool {tool.name}: required {tool.input_schema.get('required', [])}")
        for name, args in TRY:
            result = await server.call_tool(name, args)
            print(f"\n{name}({json.dumps(args)}):")
            print(json.dumps(result.structured_content, indent=2))


async def ask(server: OrdersServer, model: Model | str | None, question: str) -> str:
    async with server:
        agent = Agent(
            name="Orders assistant",
            instructions="You answer questions about a BigCommerce store's orders. Use the tools; be brief.",
            mcp_servers=[server],
            model=model,
        )
        result = await Runner.run(agent, question)
    return str(result.final_output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question", nargs="?", default=QUESTION)
    parser.add_argument("--model", help="an OpenAI model name; default: the SDK's (OPENAI_DEFAULT_MODEL)")
    parser.add_argument("--url", help="a running streamable-HTTP server, e.g. http://127.0.0.1:8000/mcp")
    parser.add_argument("--no-llm", action="store_true", help="call the tools directly, without a model")
    options = parser.parse_args()

    server = mcp_server(options.url)
    if options.no_llm or not os.environ.get("OPENAI_API_KEY"):
        if not options.no_llm:
            print("OPENAI_API_KEY is not set: calling the tools directly instead.\n")
        asyncio.run(scripted(server))
    else:
        print(asyncio.run(ask(server, options.model, options.question)))


if __name__ == "__main__":
    main()
