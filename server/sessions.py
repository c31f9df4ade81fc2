"""Streamable-HTTP sessions at the cap: a new one displaces the least recently used idle one.

The SDK refuses a new session while `max_sessions` are open, so one client that opened them all would hold the
server for the idle expiry. Behind a load balancer every client can share one address, and one bearer token
is shared by every client, so neither tells clients apart; recency does. At the cap, the session whose last
request is the oldest, among those with no request in flight, is ended through the SDK's own wire protocol (a
`DELETE`, as its client could send); its client gets 404 at its next request and opens a new session, as after
the idle expiry. An open GET stream does not keep a session from being displaced: otherwise a client could
hold every session that way. Only when every session has a request in flight does a new one get the SDK's 503.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass

import anyio
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SessionLRU"]

logger = logging.getLogger("bigcommerce_orders_mcp")

# What a session's DELETE carries from the request that opened it, so the SDK's Host/Origin checks accept it.
_KEPT = frozenset({b"host", b"origin"})


@dataclass
class _Session:
    headers: list[tuple[bytes, bytes]]
    in_flight: int = 0


class SessionLRU:
    """ASGI middleware around the SDK's streamable-HTTP app, which it tells `limit`, the same cap.

    Sessions are known from the answers that open them (`Mcp-Session-Id`), most recently used last. The table
    may still hold a session the SDK has expired; displacing it costs a 404 and frees its row. It never
    holds more than `limit` rows.
    """

    def __init__(self, app: ASGIApp, limit: int, path: str) -> None:
        self.app = app
        self.limit = limit
        self.path = path
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._opening = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        session_id = _header(scope, b"mcp-session-id")
        if session_id is not None:
            await self._use(session_id.decode("latin-1"), scope, receive, send)
        elif scope["method"] == "POST" and _opens_a_session(scope):
            await self._open(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _open(self, scope: Scope, receive: Receive, send: Send) -> None:
        if len(self._sessions) + self._opening >= self.limit:
            await self._displace(scope)
        self._opening += 1

        async def watched_send(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                opened = _header({"headers": message.get("headers", [])}, b"mcp-session-id")
                if opened is not None:
                    kept = [(key, value) for key, value in scope["headers"] if key in _KEPT]
                    self._sessions[opened.decode("latin-1")] = _Session(kept)
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            self._opening -= 1

    async def _use(self, session_id: str, scope: Scope, receive: Receive, send: Send) -> None:
        session = self._sessions.get(session_id)
        busy = scope["method"] != "GET"  # a GET stream may stay open for ever; it does not count as use
        if session is not None and busy:
            self._sessions.move_to_end(session_id)
            session.in_flight += 1
        status: int | None = None

        async def watched_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        finally:
            if session is not None and busy:
                session.in_flight -= 1
            ended = status == 404 or (scope["method"] == "DELETE" and status is not None and status < 400)
            if ended:
                self._sessions.pop(session_id, None)

    async def _displace(self, scope: Scope) -> None:
        victim = next((key for key, session in self._sessions.items() if session.in_flight == 0), None)
        if victim is None:
            return
        session = self._sessions.pop(victim)
        logger.info("%d sessions are open: ending the least recently used idle one", self.limit)
        await _delete(self.app, scope, victim, session.headers)


def _opens_a_session(scope: Scope) -> bool:
    """Whether the SDK serves this request with a session: the protocol versions that begin with `initialize`."""
    version = _header(scope, b"mcp-protocol-version")
    return version is None or version.decode("latin-1") in HANDSHAKE_PROTOCOL_VERSIONS


def _header(scope: Scope | dict[str, list[tuple[bytes, bytes]]], name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key == name), None)


async def _delete(app: ASGIApp, scope: Scope, session_id: str, headers: list[tuple[bytes, bytes]]) -> None:
    """Send the SDK `DELETE` for `session_id`, as its client would, and discard the answer."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await anyio.sleep_forever()
        raise AssertionError  # pragma: no cover

    async def discard(message: Message) -> None:
        pass

    request = {
        **scope,
        "method": "DELETE",
        "query_string": b"",
        "headers": [*headers, (b"mcp-session-id", session_id.encode("latin-1"))],
    }
    with anyio.CancelScope(shield=True), anyio.move_on_after(5):
        await app(request, receive, discard)
