"""The floor to compare against: a minimal MCPServer with one tool returning a short string.

Run as ``python bench/trivial_server.py`` (stdio) or with ``--transport streamable-http --port P``.
``--nap`` adds a second tool that sleeps, the SDK's own floor for the concurrency measurement.
"""

from __future__ import annotations

import argparse

import anyio
from mcp.server import MCPServer

server = MCPServer("trivial")


@server.tool()
def ping() -> str:
    """Answer with a short string."""
    return "pong"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transport", choices=["stdio", "streamable-http"], default="stdio")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--nap", action="store_true", help="add the tool nap(ms)")
    args = parser.parse_args()
    if args.nap:

        @server.tool()
        async def nap(ms: int) -> str:
            """Sleep ``ms`` milliseconds, then answer."""
            await anyio.sleep(ms / 1000)
            return "awake"

    if args.transport == "stdio":
        server.run()
    else:
        server.run("streamable-http", host="127.0.0.1", port=args.port, streamable_http_path="/mcp")


if __name__ == "__main__":
    main()
