"""Run the sandbox store as a real HTTP server (``bigcommerce-orders-mcp sandbox``)."""

from __future__ import annotations

import socket
import sys

import uvicorn

from bigcommerce_orders_mcp.sandbox.app import create_app
from bigcommerce_orders_mcp.sandbox.bulk import bulk_store
from bigcommerce_orders_mcp.sandbox.faults import Faults
from bigcommerce_orders_mcp.sandbox.responses import RateLimiter
from bigcommerce_orders_mcp.sandbox.store import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH

DEFAULT_QUOTA = 150  # requests per 30 s window, as on BigCommerce's Standard and Plus plans

__all__ = ["sandbox_server", "serve"]


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints one line to stderr once it is accepting connections."""

    def __init__(self, config: uvicorn.Config, store_hash: str, access_token: str, faults: Faults | None) -> None:
        super().__init__(config)
        self._store_hash = store_hash
        self._access_token = access_token
        self._faults = faults

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.started:
            return
        host, port = self.config.host, self.config.port
        for server in self.servers:
            for sock in server.sockets or ():
                # With port 0 the OS picked the port; report the real one so callers can connect.
                port = sock.getsockname()[1]
                break
        # The default token is public demo data; a caller-chosen token may be a real secret, so it stays out of logs.
        token = self._access_token if self._access_token == SANDBOX_ACCESS_TOKEN else "<custom, not shown>"
        switch = "; faults switch at /_sandbox/faults" if self._faults is not None else ""
        print(
            f"sandbox store listening on http://{host}:{port} (store hash: {self._store_hash}, token: {token}){switch}",
            file=sys.stderr,
            flush=True,
        )

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn waits for running requests; a stalled one would otherwise hold the shutdown for its whole delay.
        if self._faults is not None:
            self._faults.interrupt()
        await super().shutdown(sockets)


def sandbox_server(
    host: str = "127.0.0.1",
    port: int = 8787,
    store_hash: str = SANDBOX_STORE_HASH,
    access_token: str = SANDBOX_ACCESS_TOKEN,
    faults: Faults | None = None,
    quota: int = DEFAULT_QUOTA,
    orders: int | None = None,
) -> uvicorn.Server:
    """The uvicorn server ``serve`` runs; ``await server.serve()`` runs it in an existing event loop.

    ``faults``, when given, is switchable at ``/_sandbox/faults``; without it that path is a plain 404. ``orders``
    serves that many generated orders (``bulk``) instead of the demo records.
    """
    store = bulk_store(orders) if orders else None
    app = create_app(
        store, store_hash=store_hash, access_token=access_token, faults=faults, rate_limiter=RateLimiter(quota=quota)
    )
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off")
    return _AnnouncingServer(config, store_hash, access_token, faults)


def serve(
    host: str = "127.0.0.1",
    port: int = 8787,
    store_hash: str = SANDBOX_STORE_HASH,
    access_token: str = SANDBOX_ACCESS_TOKEN,
    faults: bool = False,
    quota: int = DEFAULT_QUOTA,
    orders: int | None = None,
) -> None:
    """Serve the sandbox store until interrupted (logs on stderr); ``faults`` adds the switch ``/_sandbox/faults``,
    ``orders`` serves that many generated orders instead of the demo records."""
    sandbox_server(host, port, store_hash, access_token, Faults() if faults else None, quota, orders).run()
