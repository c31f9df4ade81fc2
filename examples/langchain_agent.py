"""Ask a LangChain agent about BigCommerce orders through this MCP server.

Uses LangChain's own MCP client, ``langchain.mcp.MCPAdapter`` (``langchain-mcp-adapters`` requires ``mcp<2`` and
cannot be installed next to this server's MCP SDK 2.x). The server runs against the built-in sandbox store
(``--demo``), launched over stdio, unless ``--url`` points at a running streamable-HTTP server
(``bigcommerce-orders-mcp --demo --transport streamable-http`` serves ``http://127.0.0.1:8000/mcp``).

    .venv/bin/python examples/langchain_agent.py                         # with OPENAI_API_KEY set
    .venv/bin/python examples/langchain_agent.py "Has the customer on order 181 written to us?"
    .venv/bin/python examples/langchain_agent.py --no-llm                # no key needed

The model is ``--model``, else ``AGENT_MODEL``, else ``openai:gpt-5`` (any ``provider:model`` that
``init_chat_model`` knows, with that provider's package installed); the provider package reads its key
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
import warnings
from pathlib import Path
from typing import Any

from fastmcp.client.transports import StdioTransport
from langchain.agents import create_agent
from langchain_core._api import LangChainBetaWarning
from langchain_core.language_models import BaseChatModel

# `langchain.mcp` warns once on import that its API is in beta; that is known and only noise here.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", LangChainBetaWarning)
    from langchain.mcp import MCPAdapter

DEFAULT_MODEL = "openai:gpt-5"
QUESTION = "What's the status of order 218, and has the customer on order 181 written to us?"
KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "google_genai": "GOOGLE_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistralai": "MISTRAL_API_KEY",
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


def adapter(url: str | None) -> MCPAdapter:
    if url:
        return MCPAdapter(url)
    command, *args = server_command()
    return MCPAdapter(StdioTransport(command=command, args=args))


def has_key(model: str) -> bool:
    variable = KEY_VARIABLES.get(model.partition(":")[0])
    return variable is None or bool(os.environ.get(variable))


def text_of(content: Any) -> str:
    """The text of a tool's output: LangChain gives MCP results as a list of content blocks."""
    if isinstance(content, list):
        return "\n".join(block["text"] for block in content if block.get("type") == "text")
    return str(content)


async def scripted(mcp: MCPAdapter) -> None:
    """Connect, load the tools as LangChain tools and call each once, with no model involved."""
    async with mcp:
        tools = {tool.name: tool for tool in await mcp.list_tools()}
        for tool in tools.values():
            schema = tool.args_schema if isinstance(tool.args_schema, dict) else {}
            print(f"tool {tool.name}: required {schema.get('required', [])}")
        for name, args in TRY:
            output = await tools[name].ainvoke(args)
            print(f"\n{name}({json.dumps(args)}):")
            print(json.dumps(json.loads(text_of(output)), indent=2))


async def ask(mcp: MCPAdapter, model: BaseChatModel | str, question: str) -> str:
    async with mcp:
        agent = create_agent(
            model,
            await mcp.list_tools(),
            system_prompt="You answer questions about a BigCommerce store's orders. Use the tools; be brief.",
        )
        result = await agent.ainvoke({"messages": [{"role": "user", "content": question}]})
    return str(result["messages"][-1].text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question", nargs="?", default=QUESTION)
    parser.add_argument("--model", default=os.environ.get("AGENT_MODEL", DEFAULT_MODEL))
    parser.add_argument("--url", help="a running streamable-HTTP server, e.g. http://127.0.0.1:8000/mcp")
    parser.add_argument("--no-llm", action="store_true", help="call the tools directly, without a model")
    options = parser.parse_args()

    mcp = adapter(options.url)
    if options.no_llm or not has_key(options.model):
        if not options.no_llm:
            print(f"No API key for {options.model}: calling the tools directly instead.\n")
        asyncio.run(scripted(mcp))
    else:
        print(asyncio.run(ask(mcp, options.model, options.question)))


if __name__ == "__main__":
    main()
