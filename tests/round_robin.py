"""A load balancer of the simplest kind, for the replica tests and the benchmark: each HTTP request goes to the
next replica in turn, so a client's second request almost never reaches the replica that saw its first."""

from __future__ import annotations

import itertools
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from starlette.types import Message, Receive, Scope, Send

_HOP_BY_HOP = {b"host", b"connection", b"keep-alive", b"transfer-encoding", b"content-length", b"te", b"upgrade"}


class RoundRobin:
    """ASGI app forwarding every request, body and streamed answer alike, to the next of `upstreams`."""

    def __init__(self, upstreams: list[str]) -> None:
        self._upstreams = itertools.cycle(upstreams)
        self._http: httpx.AsyncClient | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=60)
        body = bytearray()
        while True:
            message = await receive()
            body.extend(message.get("body", b""))
            if not message.get("more_body", False):
                break
        query = f"?{scope['query_string'].decode()}" if scope["query_string"] else ""
        request = self._http.build_request(
            scope["method"],
            f"{next(self._upstreams)}{scope['path']}{query}",
            headers=[(key, value) for key, value in scope["headers"] if key not in _HOP_BY_HOP],
            content=bytes(body),
        )
        response = await self._http.send(request, stream=True)
        try:
            headers = [(key, value) for key, value in response.headers.raw if key.lower() not in _HOP_BY_HOP]
            await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
            async for chunk in response.aiter_raw():
                piece: Message = {"type": "http.response.body", "body": chunk, "more_body": True}
                await send(piece)
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._http is not None:
                    await self._http.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return


@contextmanager
def round_robin(upstreams: list[str]) -> Iterator[str]:
    """The proxy on a loopback port the OS picks, in a thread of its own; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(RoundRobin(upstreams), log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the round-robin proxy did not start")
            threading.Event().wait(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
