"""`/healthz` and `/readyz` on the HTTP transports, for the load balancer or orchestrator in front of replicas.

`/healthz` (liveness) says the process serves HTTP and asks nobody. `/readyz` (readiness) says every store
answers with a valid token: a store that answered a call in the last `READY_INTERVAL` seconds needs no more
proof, otherwise it is asked once (`GET /orders/count`, one request of its quota, no retries), and that answer
is reused for `READY_INTERVAL` seconds, so probes every second cost at most one request per interval. Neither
needs the bearer token and neither says more than its status; why a store is not ready goes to the log.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from bigcommerce_orders_mcp.stores import Stores

__all__ = ["HEALTH_PATH", "READY_INTERVAL", "READY_PATH", "READY_TIMEOUT", "Probes", "Readiness", "send_json"]

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
READY_INTERVAL = 5.0
READY_TIMEOUT = 5.0

logger = logging.getLogger("bigcommerce_orders_mcp")


class Readiness:
    """Whether every store answers with a valid token, asked at most once per `interval` seconds."""

    def __init__(
        self,
        stores: Stores,
        *,
        interval: float = READY_INTERVAL,
        timeout: float = READY_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stores = stores
        self._interval = interval
        self._timeout = timeout
        self._clock = clock
        self._checked_at = -math.inf
        self._ready = False
        self._lock: anyio.Lock | None = None

    async def check(self) -> bool:
        if self._lock is None:
            self._lock = anyio.Lock()
        # Probes that arrive together wait for one answer instead of each asking the store.
        async with self._lock:
            if self._clock() - self._checked_at >= self._interval:
                self._set(await self._reasons())
                self._checked_at = self._clock()
            return self._ready

    async def _reasons(self) -> list[str]:
        reasons = []
        for name, client in self._stores.clients.items():
            reason = await client.ready(self._interval, self._timeout)
            if reason is not None:
                reasons.append(f"{name}: {reason}" if self._stores.multiple else reason)
        return reasons

    def _set(self, reasons: list[str]) -> None:
        ready = not reasons
        if ready != self._ready:
            if ready:
                logger.info("ready: every store answers")
            else:
                logger.warning("not ready: %s", " ".join(reasons))
        self._ready = ready


class Probes:
    """ASGI middleware: answers `/healthz` and `/readyz` ahead of every guard; other requests pass through."""

    def __init__(self, app: ASGIApp, readiness: Readiness) -> None:
        self.app = app
        self.readiness = readiness

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path") if scope["type"] == "http" else None
        if path not in (HEALTH_PATH, READY_PATH):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            await send_json(send, 405, {"status": "method not allowed"}, [(b"allow", b"GET, HEAD")])
        elif path == HEALTH_PATH:
            await send_json(send, 200, {"status": "ok"}, _NO_STORE, method=method)
        elif await self.readiness.check():
            await send_json(send, 200, {"status": "ready"}, _NO_STORE, method=method)
        else:
            await send_json(send, 503, {"status": "not ready"}, _NO_STORE, method=method)


_NO_STORE = [(b"cache-control", b"no-store")]


async def send_json(
    send: Send,
    status: int,
    body: dict[str, str],
    headers: list[tuple[bytes, bytes]] | None = None,
    *,
    method: str = "GET",
) -> None:
    """A whole JSON response (its headers only, for HEAD)."""
    content = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b"" if method == "HEAD" else content})
