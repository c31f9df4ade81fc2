"""Serving the MCP server over HTTP (SSE and streamable HTTP).

What a hostile network meets, outermost first: a cap on open connections, deadlines for a request's headers and
body, a cap on header size (these three in `connections`), bearer auth, a cap on open sessions and SSE streams,
the SDK's Host/Origin checks on 127.0.0.1, localhost and ::1, a cap on body size, and a tool call cancelled when
its client drops the connection.
"""

from __future__ import annotations

import errno
import hmac
import json
import logging
import socket
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, Literal

import anyio
import uvicorn
from mcp.server import MCPServer
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import LOGGING_CONFIG

from bigcommerce_orders_mcp.connections import connection_cap, guarded_protocol
from bigcommerce_orders_mcp.logs import LogOptions, announce
from bigcommerce_orders_mcp.probes import Probes, Readiness, send_json
from bigcommerce_orders_mcp.sessions import SessionLRU
from bigcommerce_orders_mcp.stores import Stores

__all__ = [
    "MAX_HEADER_BYTES",
    "MAX_REQUEST_BODY",
    "RETRY_AFTER_S",
    "SSE_PATH",
    "STREAMABLE_HTTP_PATH",
    "BearerAuth",
    "CancelOnDisconnect",
    "HttpTransport",
    "Limits",
    "ListenError",
    "StreamCap",
    "bind",
    "http_app",
    "serve_http",
    "uvicorn_config",
    "uvicorn_logging",
]

MAX_REQUEST_BODY = 256 * 1024  # tool arguments are tiny; anything bigger is not a real client
MAX_HEADER_BYTES = 16 * 1024  # a request line and headers beyond this get 400 and a closed connection
SSE_PATH = "/sse"
STREAMABLE_HTTP_PATH = "/mcp"
RETRY_AFTER_S = 30

HttpTransport = Literal["sse", "streamable-http"]

logger = logging.getLogger("bigcommerce_orders_mcp")


class ListenError(Exception):
    """The address cannot be bound; the message says why and what to do, in one line."""


@dataclass(frozen=True)
class Limits:
    """How much clients may hold: connections, sessions and SSE streams, idle time, time to send a request.

    `max_connections` is lowered to half the process's file-descriptor limit where that is less.
    """

    max_sessions: int = 100
    session_idle_timeout: float = 300
    header_timeout: float = 10
    body_timeout: float = 30
    keep_alive_timeout: int = 5
    max_connections: int = 500


def _netloc(host: str, port: int) -> str:
    host = host.strip("[]")
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key == name), None)


class BearerAuth:
    """ASGI middleware: every HTTP request must carry `Authorization: Bearer <token>` (scheme in any case)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._expected = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scheme, _, supplied = (_header(scope, b"authorization") or b"").partition(b" ")
            # Both compared every time, so timing tells nothing about which part was wrong.
            right_scheme = hmac.compare_digest(scheme.lower(), b"bearer")
            if not (hmac.compare_digest(supplied.strip(), self._expected) and right_scheme):
                await _json_error(send, 401, "unauthorized", "send 'Authorization: Bearer <token>'", _CHALLENGE)
                return
        await self.app(scope, receive, send)


_CHALLENGE = [(b"www-authenticate", b'Bearer realm="bigcommerce-orders-mcp"')]


async def _json_error(
    send: Send, status: int, error: str, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send_json(send, status, {"error": error, "message": message}, headers)


class StreamCap:
    """ASGI middleware: at most `limit` SSE streams open at once; the next gets 503 with `Retry-After`.

    Streamable-HTTP sessions are capped by the SDK (`max_sessions`); its 503 gets the same `Retry-After` here.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.open = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET" and scope["path"] == SSE_PATH:
            if self.open >= self.limit:
                logger.warning("Refusing an SSE connection: %d are already open", self.open)
                await _json_error(send, 503, "too_many_sessions", _FULL, [_RETRY_AFTER])
                return
            self.open += 1
            try:
                await self.app(scope, receive, send)
            finally:
                self.open -= 1
            return

        async def send_with_retry_after(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 503:
                message = {**message, "headers": [*message.get("headers", []), _RETRY_AFTER]}
            await send(message)

        await self.app(scope, receive, send_with_retry_after)


_FULL = "the server has as many sessions open as it allows; retry later"
_RETRY_AFTER = (b"retry-after", str(RETRY_AFTER_S).encode())


class CancelOnDisconnect:
    """ASGI middleware: a streamable-HTTP request whose client hangs up before its answer is cancelled.

    The SDK keeps serving it (the specification does not read a dropped connection as a cancellation), so an
    abandoned call would hold its BigCommerce request and a concurrency slot until the store answered. Here
    the session is told `notifications/cancelled` for it, through the SDK's public wire protocol.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        session = _header(scope, b"mcp-session-id") if scope["type"] == "http" else None
        if session is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body = bytearray()
        state = {"disconnected": False, "answered": False}

        async def watched_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.extend(message.get("body", b""))
            elif message["type"] == "http.disconnect":
                state["disconnected"] = True
            return message

        async def watched_send(message: Message) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                state["answered"] = True
            await send(message)

        try:
            await self.app(scope, watched_receive, watched_send)
        except OSError:
            state["disconnected"] = True
            raise
        finally:
            if state["disconnected"] and not state["answered"]:
                request_id = _request_id(bytes(body))
                if request_id is not None:
                    await self._cancel(scope, request_id)

    async def _cancel(self, scope: Scope, request_id: str | int) -> None:
        logger.info("Client hung up before request %s was answered: cancelling it", request_id)
        note = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": request_id}}
        body = json.dumps(note).encode()
        keep = {b"host", b"origin", b"mcp-session-id", b"mcp-protocol-version", b"authorization"}
        headers = [(key, value) for key, value in scope["headers"] if key in keep]
        headers += [
            (b"content-type", b"application/json"),
            (b"accept", b"application/json, text/event-stream"),
            (b"content-length", str(len(body)).encode()),
        ]
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await anyio.sleep_forever()
            raise AssertionError  # pragma: no cover

        async def discard(message: Message) -> None:
            pass

        with anyio.CancelScope(shield=True), anyio.move_on_after(5):
            await self.app({**scope, "headers": headers}, receive, discard)


def _request_id(body: bytes) -> str | int | None:
    """The id of the JSON-RPC request in `body`, if it is a single request."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if isinstance(message, dict) and "method" in message:
        request_id = message.get("id")
        if isinstance(request_id, str | int) and not isinstance(request_id, bool):
            return request_id
    return None


def http_app(
    server: MCPServer[Any],
    transport: HttpTransport,
    *,
    host: str,
    auth_token: str | None,
    oauth: Callable[[ASGIApp], ASGIApp] | None = None,
    limits: Limits | None = None,
    stateless: bool = False,
    readiness: Readiness | None = None,
) -> ASGIApp:
    """The ASGI app for one HTTP transport, with every guard but those on connections (see `uvicorn_config`).

    `stateless` (streamable HTTP only) keeps no session between requests, so any replica behind a load
    balancer answers any request. `oauth` wraps the app in the OAuth guard (`oauth.OAuthGuard`), in place of the
    bearer token. `readiness` adds `/healthz` and `/readyz`, answered ahead of either.
    """
    limits = limits or Limits()
    app: ASGIApp
    if transport == "sse":
        app = server.sse_app(sse_path=SSE_PATH, host=host, max_request_body_size=MAX_REQUEST_BODY)
    else:
        app = CancelOnDisconnect(
            server.streamable_http_app(
                streamable_http_path=STREAMABLE_HTTP_PATH,
                host=host,
                max_request_body_size=MAX_REQUEST_BODY,
                max_sessions=limits.max_sessions,
                session_idle_timeout=limits.session_idle_timeout,
                stateless_http=stateless,
            )
        )
        if not stateless:
            app = SessionLRU(app, limits.max_sessions, STREAMABLE_HTTP_PATH)
    app = StreamCap(app, limits.max_sessions)
    if auth_token:
        app = BearerAuth(app, auth_token)
    if oauth is not None:
        app = oauth(app)
    return app if readiness is None else Probes(app, readiness)


def uvicorn_config(app: ASGIApp, limits: Limits | None = None, **options: Any) -> uvicorn.Config:
    limits = limits or Limits()
    cap = connection_cap(limits.max_connections)
    return uvicorn.Config(
        app,
        http=guarded_protocol(
            header_timeout=limits.header_timeout,
            body_timeout=limits.body_timeout,
            max_header_bytes=MAX_HEADER_BYTES,
            max_connections=cap,
            retry_after=RETRY_AFTER_S,
        ),
        # asyncio accepts up to `backlog` connections at a time before any is seen by the cap; a burst of
        # uvicorn's default would open more descriptors than the process may hold.
        backlog=max(1, cap // 4),
        timeout_keep_alive=limits.keep_alive_timeout,
        timeout_graceful_shutdown=5,
        **options,
    )


def uvicorn_logging(logs: LogOptions) -> dict[str, Any]:
    """uvicorn's logging options: its level is ours, and its access lines go to stderr, never stdout.

    In text its lines keep their own look (uvicorn's handlers, the access one moved from stdout); in JSON
    uvicorn sets up no handler and its records reach ours, one JSON object a line like every other.
    """
    if logs.format == "json":
        return {"log_config": None, "log_level": logs.name}
    config = deepcopy(LOGGING_CONFIG)
    config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    return {"log_config": config, "log_level": logs.name}


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or `ListenError` saying in one line what is wrong."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not the 0 that socket.create_server leaves: asyncio turns Nagle off (TCP_NODELAY) only on
    # connections of a socket that says it is TCP, and without it every answer waited for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(socket.SOMAXCONN)
        return sock
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(
                f"port {port} on {host} is already in use (another server is listening there); "
                f"choose another with --port, e.g. --port {port + 1}, or --port 0 for any free port."
            ) from None
        raise ListenError(f"cannot listen on {_netloc(host, port)}: {exc.strerror or exc}.") from None


def serve_http(
    server: MCPServer[Any],
    transport: HttpTransport,
    *,
    stores: Stores,
    host: str,
    port: int,
    auth_token: str | None,
    oauth: Callable[[ASGIApp], ASGIApp] | None = None,
    limits: Limits | None = None,
    stateless: bool = False,
    logs: LogOptions | None = None,
) -> None:
    """Serve until stopped; `ListenError` if host:port cannot be bound."""
    sock = bind(host, port)
    for name in _DISCONNECT_LOGGERS:
        logging.getLogger(name).addFilter(_not_a_client_disconnect)
    bound = sock.getsockname()[1]
    readiness = Readiness(stores)
    app = http_app(
        server,
        transport,
        host=host,
        auth_token=auth_token,
        oauth=oauth,
        limits=limits,
        stateless=stateless,
        readiness=readiness,
    )
    say_listening = _announcer(transport, f"http://{_netloc(host, bound)}")
    path = SSE_PATH if transport == "sse" else STREAMABLE_HTTP_PATH

    async def run() -> None:
        # SSE runs the server's lifespan once per connection; holding a session for the whole process
        # keeps one connection pool to BigCommerce across all of them.
        with sock:
            async with stores.session():
                config = uvicorn_config(app, limits, **uvicorn_logging(logs or LogOptions()))
                await _serve(config, sock, lambda: say_listening(path))

    anyio.run(run)


# Where the SDK and uvicorn log a traceback for a client gone before its request body was whole. A connection
# cut for its slow body is one of them, and is already logged in one line; a traceback per slow client would
# let them fill the log.
_DISCONNECT_LOGGERS = ("mcp.server.streamable_http", "uvicorn.error")


def _not_a_client_disconnect(record: logging.LogRecord) -> bool:
    return not (record.exc_info and isinstance(record.exc_info[1], ClientDisconnect))


def _announcer(transport: str, root: str) -> Callable[[str], None]:
    def say(path: str) -> None:
        # With --port 0 the OS picks the port; this line is how a user or a test learns it.
        announce(f"serving {transport} on {root}{path}", url=f"{root}{path}")

    return say


async def _serve(config: uvicorn.Config, sock: socket.socket, started: Callable[[], None]) -> None:
    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                started()

    await AnnouncingServer(config).serve(sockets=[sock])
