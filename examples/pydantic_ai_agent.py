"""Ask a Pydantic AI agent about BigCommerce orders through this MCP server.

The server runs against the built-in sandbox store (``--demo``), launched over stdio, unless ``--url`` points at a
running streamable-HTTP server (``bigcommerce-orders-mcp --demo --transport streamable-http`` serves
``http://127.0.0.1:8000/mcp``).

    .venv/bin/python examples/pydantic_ai_agent.py                       # with OPENAI_API_KEY set
    .venv/bin/python examples/pydantic_ai_agent.py "Has the customer on order 181 written to us?"
    AGENT_MODEL=anthropic:claude-sonnet-4-5 .venv/bin/python examples/pydantic_ai_agent.py
    .venv/bin/python examples/pydantic_ai_agent.py --no-llm              # no key needed

The model is ``--model``, else ``AGENT_MODEL``, else ``openai:gpt-5``; Pydantic AI reads the provider's key
(``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``, ...) itself. Without ``--no-llm`` and without that key, the script
takes the scripted path: it lists the tools and calls ``get_order`` for order 218 and ``list_order_messages``
for order 181 directly, printing what the server returns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from fastmcp.client.transports import StdioTransport
from pydantic_ai import Agent
from pydantic_ai.mcp import MCPToolset
from pydantic_ai.models import Model

DEFAULT_MODEL = "openai:gpt-5"
QUESTION = "What's the status of order 218, and has the customer on order 181 written to us?"
KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "google-gla": "GEMINI_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistral": "MISTRAL_API_KEY",
}


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


def toolset(url: str | None) -> MCPToolset[Any]:
    if url:
        return MCPToolset(url)
    command, *args = server_command()
    return MCPToolset(StdioTransport(command=command, args=args))


def has_key(model: str) -> bool:
    variable = KEY_VARIABLES.get(model.partition(":")[0])
    return variable is None or bool(os.environ.get(variable))


async def scripted(tools: MCPToolset[Any]) -> None:
    """Connect, list the tools and call each once, with no model involved."""
    async with tools:
        for tool in await tools.list_tools():
            print(f"tool {tool.name}: required {tool.input_schema.get('required', [])}")
        for name, args in TRY:
            result = await tools.direct_call_tool(name, args)
            print(f"\n{name}({json.dumps(args)}):")
            print(json.dumps(result, indent=2))


async def ask(tools: MCPToolset[Any], model: Model | str, question: str) -> str:
    agent = Agent(
        model,
        toolsets=[tools],
        instructions="You answer questions about a BigCommerce store's orders. Use the tools; be brief.",
    )
    async with agent:
        result = await agent.run(question)
    return str(result.output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question", nargs="?", default=QUESTION)
    parser.add_argument("--model", default=os.environ.get("AGENT_MODEL", DEFAULT_MODEL))
    parser.add_argument("--url", help="a running streamable-HTTP server, e.g. http://127.0.0.1:8000/mcp")
    parser.add_argument("--no-llm", action="store_true", help="call the tools directly, without a model")
    options = parser.parse_args()

    tools = toolset(options.url)
    if options.no_llm or not has_key(options.model):
        if not options.no_llm:
            print(f"No API key for {options.model}: calling the tools directly instead.\n")
        asyncio.run(scripted(tools))
    else:
        print(asyncio.run(ask(tools, options.model, options.question)))


if __name__ == "__main__":
    main()
