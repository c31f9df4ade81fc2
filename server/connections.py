"""What each HTTP connection may hold, enforced in uvicorn's h11 protocol, before any request reaches the app.

uvicorn times out only a connection idle between requests, and caps only headers still incomplete. Here a
request must arrive whole in bounded time (its headers, then its body), its request line and headers are
capped however they arrive, and the server keeps at most a bounded number of connections open: past the cap,
the connection that has waited longest for its request is closed to make room, so slow clients cannot use up
the process's file descriptors and a probe or a real client still gets in.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Literal

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["CappedHeaders", "GuardedProtocol", "connection_cap", "guarded_protocol"]

logger = logging.getLogger("bigcommerce_orders_mcp")

Phase = Literal["headers", "body"]


def connection_cap(wanted: int) -> int:
    """`wanted`, or half the process's file-descriptor limit if that is lower.

    The other half stays for what the server itself opens: connections to BigCommerce and Redis, logs.
    """
    try:
        import resource  # not on Windows
    except ImportError:  # pragma: no cover
        return wanted
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft // 2))


def _head_size(request: h11.Request) -> int:
    """The bytes of a request line and headers as sent, give or take the whitespace h11 strips."""
    line = len(request.method) + len(request.target) + len(b"  HTTP/1.1\r\n")
    return line + sum(len(name) + len(value) + 4 for name, value in request.headers.raw_items()) + 2


class CappedHeaders(h11.Connection):
    """h11 caps only an incomplete request head; this refuses a complete one that is as large."""

    def __init__(self, max_header_bytes: int) -> None:
        super().__init__(h11.SERVER, max_incomplete_event_size=max_header_bytes)
        self.max_header_bytes = max_header_bytes

    def next_event(self) -> Any:
        event = super().next_event()
        if isinstance(event, h11.Request) and _head_size(event) > self.max_header_bytes:
            # uvicorn answers any protocol error with 400 and closes, as for incomplete headers.
            raise h11.RemoteProtocolError("request headers too large", error_status_hint=431)
        return event


class GuardedProtocol(H11Protocol):
    """uvicorn's h11 protocol with the bounds above; `guarded_protocol` sets them on a subclass."""

    header_timeout: float
    body_timeout: float
    max_header_bytes: int
    max_connections: int
    unavailable: bytes

    _deadline: asyncio.TimerHandle | None = None
    _phase: Phase | None = None
    # When this connection began waiting for its current request; None while it is being answered.
    waiting_since: float | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conn = CappedHeaders(self.max_header_bytes)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections and not self._make_room():
            logger.warning("Refusing a connection: %d are open, none of them idle", len(self.connections) - 1)
            transport.write(self.unavailable)
            transport.close()
            return
        self._wait("headers")

    def handle_events(self) -> None:
        super().handle_events()
        state = self.conn.their_state
        phase: Phase | None = "headers" if state is h11.IDLE else "body" if state is h11.SEND_BODY else None
        if phase != self._phase and not self.transport.is_closing():
            self._wait(phase)

    def connection_lost(self, exc: Exception | None) -> None:
        self._wait(None)
        super().connection_lost(exc)

    def _wait(self, phase: Phase | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self._phase = phase
        if phase is None:
            self.waiting_since = None
            return
        if phase == "headers":
            self.waiting_since = time.monotonic()
        timeout = self.header_timeout if phase == "headers" else self.body_timeout
        self._deadline = self.loop.call_later(
            timeout, self._cut, f"sent no complete request {phase} within {timeout:g} s"
        )

    def _make_room(self) -> bool:
        waiting = [
            c
            for c in self.connections
            if isinstance(c, GuardedProtocol) and c is not self and c.waiting_since is not None
        ]
        if not waiting:
            return False
        oldest = min(waiting, key=lambda each: each.waiting_since or 0.0)
        oldest._cut(f"waited longest for its request while {self.max_connections} connections are open")
        return True

    def _cut(self, why: str) -> None:
        phase, self._deadline = self._phase, None
        self._wait(None)
        if self.transport.is_closing():
            return
        logger.warning("Closing a connection that %s", why)
        cycle = self.cycle
        if phase == "body" and cycle is not None and not cycle.response_started:
            # The app, still waiting for the body, sees a disconnect and its answer is dropped.
            cycle.disconnected = True
            cycle.message_event.set()
            self._answer_408()
        self.transport.close()

    def _answer_408(self) -> None:
        body = json.dumps({"error": "request_timeout", "message": "the request body did not arrive in time"}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        try:
            for event in (
                h11.Response(status_code=408, headers=[*headers, (b"connection", b"close")]),
                h11.Data(data=body),
                h11.EndOfMessage(),
            ):
                self.transport.write(self.conn.send(event) or b"")
        except h11.LocalProtocolError:  # pragma: no cover - the state machine allows no answer now
            pass


def guarded_protocol(
    *, header_timeout: float, body_timeout: float, max_header_bytes: int, max_connections: int, retry_after: int
) -> type[asyncio.Protocol]:
    """`GuardedProtocol` with these bounds, for uvicorn's `http=` setting.

    A connection gets `header_timeout` seconds to send a request's headers (from connecting, or from its
    previous answer) and `body_timeout` more for the body, whatever its pace. Headers too slow: the connection
    is closed; a body too slow: 408 and closed. A request line and headers past `max_header_bytes`, in one
    write or many: 400 and closed. Past `max_connections`: the one waiting longest for its request is
    closed; if none is waiting (all are being answered), the new one gets 503 and is closed.
    """
    bounds = {
        "header_timeout": header_timeout,
        "body_timeout": body_timeout,
        "max_header_bytes": max_header_bytes,
        "max_connections": max_connections,
        "unavailable": _unavailable(retry_after),
    }
    return type("Guarded", (GuardedProtocol,), bounds)


def _unavailable(retry_after: int) -> bytes:
    body = json.dumps(
        {
            "error": "too_many_connections",
            "message": "the server has as many connections open as it allows; retry later",
        }
    ).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nretry-after: {retry_after}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body
