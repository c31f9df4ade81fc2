"""Run the sandbox store as a real HTTP server (``bigcommerce-orders-mcp sandbox``)."""

from __future__ import annotations

import socket
import sys

import uvicorn

from server.sandbox.app import create_app
from server.sandbox.data import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH


class _AnnouncingServer(uvicorn.Server):
    """A uvicorn server that prints one line to stderr once it is accepting connections."""

    def __init__(self, config: uvicorn.Config, store_hash: str, access_token: str) -> None:
        super().__init__(config)
        self._store_hash = store_hash
        self._access_token = access_token

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
        print(
            f"sandbox store listening on http://{host}:{port} (store hash: {self._store_hash}, token: {token})",
            file=sys.stderr,
            flush=True,
        )


def serve(
    host: str = "127.0.0.1",
    port: int = 8787,
    store_hash: str = SANDBOX_STORE_HASH,
    access_token: str = SANDBOX_ACCESS_TOKEN,
) -> None:
    """Serve the sandbox store until interrupted. Logs go to stderr only."""
    app = create_app(store_hash=store_hash, access_token=access_token)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="off")
    _AnnouncingServer(config, store_hash, access_token).run()
