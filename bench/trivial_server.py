"""The floor to compare against: a minimal MCPServer with one tool returning a short string.

Run as ``python bench/trivial_server.py`` (stdio) or with ``--transport streamable-http --port P`` (``0``: the OS
picks; either way it prints the URL on stderr once listening, as our server does). ``--nap`` adds a second tool
that sleeps, the SDK's own floor for the concurrency measurement.
"""

from __future__ import annotations

import argparse
import socket
import sys

import anyio
import uvicorn
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
    parser.add_argument("--fetch", action="store_true", help="add the tool fetch(url, token): one GET")
    args = parser.parse_args()
    if args.fetch:
        import httpx

        clients: dict[str, httpx.AsyncClient] = {}

        @server.tool()
        async def fetch(url: str, token: str) -> str:
            """GET ``url`` with the token (one pooled client), read its JSON, answer with a short string."""
            if url not in clients:
                clients[url] = httpx.AsyncClient(headers={"X-Auth-Token": token, "Accept": "application/json"})
            response = await clients[url].get(url)
            response.raise_for_status()
            response.json()
            return "fetched"

    if args.nap:

        @server.tool()
        async def nap(ms: int) -> str:
            """Sleep ``ms`` milliseconds, then answer."""
            await anyio.sleep(ms / 1000)
            return "awake"

    if args.transport == "stdio":
        server.run()
    else:
        # What server.run("streamable-http", ...) does, plus the line saying where it listens.
        app = server.streamable_http_app(streamable_http_path="/mcp", host="127.0.0.1")
        config = uvicorn.Config(app, host="127.0.0.1", port=args.port, log_level=server.settings.log_level.lower())
        anyio.run(_AnnouncingServer(config).serve)


class _AnnouncingServer(uvicorn.Server):
    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            port = self.servers[0].sockets[0].getsockname()[1]
            print(f"trivial: serving streamable-http on http://127.0.0.1:{port}/mcp", file=sys.stderr)


if __name__ == "__main__":
    main()
