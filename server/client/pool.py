"""Connection pools for many requests in flight (imported with httpx, on a client's first request)."""

from __future__ import annotations

import itertools
import math

import httpx

# httpcore's pool rescans all its connections for each connection on every request it assigns, so
# its cost grows with the square of its size: 50 connections in one pool spent more CPU than the
# requests themselves, and ten pools of five carry the same load several times faster (the README's bench notes).
CONNECTIONS_PER_POOL = 5


class ShardedTransport(httpx.AsyncBaseTransport):
    """One transport over several small connection pools, taking turns."""

    def __init__(self, connections: int) -> None:
        count = max(1, math.ceil(connections / CONNECTIONS_PER_POOL))
        limits = httpx.Limits(max_connections=CONNECTIONS_PER_POOL, max_keepalive_connections=CONNECTIONS_PER_POOL)
        # One TLS context for all: loading the CA bundle is slow, and would be repeated for every pool.
        context = httpx.create_ssl_context()
        self._pools = [httpx.AsyncHTTPTransport(verify=context, limits=limits) for _ in range(count)]
        self._turns = itertools.cycle(self._pools)

    @property
    def pools(self) -> list[httpx.AsyncHTTPTransport]:
        """The small pools, in the order they take turns."""
        return self._pools

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await next(self._turns).handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()
