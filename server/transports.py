"""Serving the MCP server over HTTP (SSE and streamable HTTP): bind, authenticate, cap request size."""

from __future__ import annotations

import hmac
import ipaddress
import json
import sys
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import socket

    from mcp.server import MCPServer
    from starlette.types import ASGIApp, Receive, Scope, Send

    from server.stores import Stores

MAX_REQUEST_BODY = 256 * 1024  # tool arguments are tiny; anything bigger is not a real client
SSE_PATH = "/sse"
STREAMABLE_HTTP_PATH = "/mcp"

HttpTransport = Literal["sse", "streamable-http"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class BearerAuth:
    """ASGI middleware: every HTTP request must carry `Authorization: Bearer <token>`."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            supplied = next((value for name, value in scope["headers"] if name == b"authorization"), b"")
            if not hmac.compare_digest(supplied, self._expected):
                await _unauthorized(send)
                return
        await self.app(scope, receive, send)


async def _unauthorized(send: Send) -> None:
    body = json.dumps({"error": "unauthorized", "message": "send 'Authorization: Bearer <token>'"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b'Bearer realm="bigcommerce-orders-mcp"'),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def http_app(server: MCPServer[Any], transport: HttpTransport, *, host: str, auth_token: str | None) -> ASGIApp:
    """The ASGI app for one HTTP transport, with the SDK's Host/Origin checks on loopback and bearer auth."""
    app: ASGIApp
    if transport == "sse":
        app = server.sse_app(sse_path=SSE_PATH, host=host, max_request_body_size=MAX_REQUEST_BODY)
    else:
        app = server.streamable_http_app(
            streamable_http_path=STREAMABLE_HTTP_PATH, host=host, max_request_body_size=MAX_REQUEST_BODY
        )
    return BearerAuth(app, auth_token) if auth_token else app


def serve_http(
    server: MCPServer[Any],
    transport: HttpTransport,
    *,
    stores: Stores,
    host: str,
    port: int,
    auth_token: str | None,
) -> None:
    import anyio
    import uvicorn

    config = uvicorn.Config(
        http_app(server, transport, host=host, auth_token=auth_token),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
    path = SSE_PATH if transport == "sse" else STREAMABLE_HTTP_PATH

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                # With --port 0 the OS picks the port; this line is how a user or a test learns it.
                bound = self.servers[0].sockets[0].getsockname()[1]
                netloc = f"[{host}]:{bound}" if ":" in host else f"{host}:{bound}"
                print(f"bigcommerce-orders-mcp: serving {transport} on http://{netloc}{path}", file=sys.stderr)

    async def run() -> None:
        # SSE runs the server's lifespan once per connection; holding a session for the whole process
        # keeps one connection pool to BigCommerce across all of them.
        async with stores.session():
            await AnnouncingServer(config).serve()

    anyio.run(run)
