"""Switchable faults for the sandbox store, so one sandbox process can serve many fault-injection tests.

A ``Faults`` controller holds at most one active fault. Set it in-process with ``Faults.set(mode, ...)``
or over HTTP with ``PUT /_sandbox/faults``; clear it with ``Faults.clear()`` or ``DELETE /_sandbox/faults``;
``GET /_sandbox/faults`` reports it with the request counters. Every fault answers the way the platform
(or a proxy in front of it) would; see ``MODES``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import socket
import struct
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from bigcommerce_orders_mcp.sandbox.fault_modes import MODES, Fault, FaultError, parse_fault
from bigcommerce_orders_mcp.sandbox.responses import (
    JSONResponse,
    RateLimiter,
    missing_scope,
    unauthorized,
    v2_error,
    v3_error,
)

__all__ = ["MODES", "ConnectionDropped", "FaultError", "Faults"]

Handler = Callable[[Request], Awaitable[Response]]


class ConnectionDropped(httpx.ReadError):
    """Raised in-process for ``drop_connection``: what httpx raises when a server resets the connection.

    ``httpx.ASGITransport`` hands app exceptions to the caller, so an in-process client meets the same
    exception type it would meet over a real socket.
    """


# ------------------------------------------------------------------------------------------------------
# Fault responses
# ------------------------------------------------------------------------------------------------------

_HTML_HEADERS = {"Content-Type": "text/html"}
_GATEWAY_PAGES = {502: "502 Bad Gateway", 503: "503 Service Unavailable", 504: "504 Gateway Time-out"}
_MAINTENANCE_PAGE = (
    "<!DOCTYPE html><html><head><title>Down for Maintenance</title></head><body>"
    "<h1>Down for Maintenance</h1><p>This store is being upgraded. Please check back soon.</p></body></html>"
)


def _empty_json(status: int, headers: dict[str, str] | None = None) -> Response:
    """No body, but the JSON content type (the documented 429 example looks like this)."""
    return Response(b"", status_code=status, headers={"Content-Type": "application/json", **(headers or {})})


def _rate_limited(reset_ms: int, retry_after: int | None) -> Response:
    """A 429 from the standard plan's quota (150 per 30 s), used up."""
    headers = {
        "X-Rate-Limit-Time-Window-Ms": "30000",
        "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
        "X-Rate-Limit-Requests-Quota": "150",
        "X-Rate-Limit-Requests-Left": "0",
    }
    if retry_after is not None:
        headers["X-Retry-After"] = str(retry_after)
    return _empty_json(429, headers)


def _truncated(response: Response) -> Response:
    cut = response.body[: len(response.body) // 2]
    response.body = cut
    if "content-length" in response.headers:
        response.headers["content-length"] = str(len(cut))
    return response


class _DropConnection(Response):
    """Ends the exchange with no HTTP response at all, the way a network reset does."""

    def __init__(self) -> None:
        super().__init__(status_code=500)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # ASGI gives no way to close a connection; uvicorn's receive is a method of the request cycle,
        # which holds the socket's transport. Anything else (httpx.ASGITransport) gets the exception.
        transport = getattr(getattr(receive, "__self__", None), "transport", None)
        if not isinstance(transport, asyncio.Transport):
            raise ConnectionDropped("Connection reset by peer (sandbox fault 'drop_connection').")
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                # Zero linger turns the close into a TCP RST, so the client reads ECONNRESET, not a clean EOF.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        # Wait until the server has seen the disconnect, or it would answer a 500 for a response never started.
        with anyio.move_on_after(1):
            while (await receive())["type"] != "http.disconnect":
                pass


# ------------------------------------------------------------------------------------------------------
# The controller
# ------------------------------------------------------------------------------------------------------


class Faults:
    """The sandbox's fault switch: at most one active fault, plus request counters."""

    def __init__(self) -> None:
        self._active: Fault | None = None
        self._quota: RateLimiter | None = None
        self._requests = 0
        self._faulted = 0
        self._sleepers: set[anyio.CancelScope] = set()
        self._interrupted = False

    def set(self, mode: str, *, times: int | None = None, match: str | None = None, **params: Any) -> None:
        """Make ``mode`` the active fault, replacing any other. Raises ``FaultError`` on a bad setting."""
        self._active = parse_fault(mode, times, match, params)
        self._quota = None

    def clear(self) -> None:
        """Switch faults off; the counters keep counting."""
        self._active = None
        self._quota = None

    @property
    def active(self) -> dict[str, Any] | None:
        """The active fault as ``{mode, times, match, **params}``; ``times`` counts down as it is used."""
        return None if self._active is None else self._active.describe()

    @property
    def requests(self) -> int:
        """API requests seen so far."""
        return self._requests

    @property
    def faulted(self) -> int:
        """API requests answered by a fault so far."""
        return self._faulted

    def status(self) -> dict[str, Any]:
        """What ``GET /_sandbox/faults`` answers; with a ``quota`` fault, what each of its windows saw."""
        status: dict[str, Any] = {"active": self.active, "requests": self._requests, "faulted": self._faulted}
        if self._quota is not None:
            status["windows"] = self._quota.windows
        return status

    def interrupt(self) -> None:
        """End every stall and latency delay now, and skip later ones (the server is shutting down)."""
        self._interrupted = True
        for scope in list(self._sleepers):
            scope.cancel()

    # -------------------------------------------------------------- request path

    async def handle(self, request: Request, call_next: Handler, limiter: RateLimiter) -> Response:
        """Answer one API request: by the active fault if it applies, else by ``call_next``.

        ``call_next`` answers normally, without rate-limit headers; they are added here from ``limiter``
        (or from the quota of a ``quota`` fault) unless the fault's answer would not carry them.
        """
        self._requests += 1
        fault = self._active
        if fault is not None and fault.mode == "quota":
            return await self._enforce_quota(fault, request, call_next, limiter)
        headers = limiter.hit()
        if fault is None or not self._claim(fault, request):
            return _with(await call_next(request), headers)
        self._faulted += 1
        params = fault.params
        match fault.mode:
            case "rate_limit":
                return _rate_limited(params["reset_ms"], params["retry_after"])
            case "rate_limit_no_headers":
                return _empty_json(429)
            case "server_error" if params["status"] == 500:
                return _with(v2_error(500, "Internal Server Error"), headers)
            case "server_error":
                page = _GATEWAY_PAGES[params["status"]]
                html = f"<html><body><h1>{page}</h1></body></html>"
                return Response(html, status_code=params["status"], headers=_HTML_HEADERS)
            case "html_200":
                return Response(_MAINTENANCE_PAGE, headers=_HTML_HEADERS)
            case "empty_200":
                return _with(_empty_json(200), headers)
            case "truncated_json":
                return _with(_truncated(await call_next(request)), headers)
            case "v3_error":
                return _with(v3_error(params["status"], params["title"], params["errors"]), headers)
            case "stall":
                await self._sleep(params["seconds"])
                return _with(await call_next(request), headers)
            case "latency":
                await self._sleep(params["ms"] / 1000)
                return _with(await call_next(request), headers)
            case "wrong_token":
                return _with(unauthorized(), headers)
            case "missing_scope":
                return _with(missing_scope(), headers)
            case "drop_connection":
                return _DropConnection()
        raise AssertionError(f"unhandled fault mode {fault.mode!r}")  # pragma: no cover

    def _claim(self, fault: Fault, request: Request) -> bool:
        """Whether ``fault`` answers this request; uses up one of its ``times``."""
        if fault.match is not None and fault.match not in request.url.path:
            return False
        if fault.times is not None:
            fault.times -= 1
            if fault.times == 0 and self._active is fault:
                self._active = None
        return True

    async def _enforce_quota(
        self, fault: Fault, request: Request, call_next: Handler, limiter: RateLimiter
    ) -> Response:
        if self._quota is None:
            # Started on first use, on the app's clock, so tests with a fake clock stay in control.
            self._quota = RateLimiter(fault.params["quota"], fault.params["window_ms"], clock=limiter.clock)
        allowed, headers = self._quota.take()
        if allowed:
            return _with(await call_next(request), headers)
        self._faulted += 1
        response = _empty_json(429, headers)
        response.headers["X-Retry-After"] = str(math.ceil(int(headers["X-Rate-Limit-Time-Reset-Ms"]) / 1000))
        return response

    async def _sleep(self, seconds: float) -> None:
        if self._interrupted:
            return
        with anyio.CancelScope() as scope:
            self._sleepers.add(scope)
            try:
                await anyio.sleep(seconds)
            finally:
                self._sleepers.discard(scope)

    # -------------------------------------------------------------- control endpoint

    async def control(self, request: Request) -> Response:
        """``GET``/``PUT``/``DELETE /_sandbox/faults``: report, set or clear the active fault."""
        if request.method == "PUT":
            try:
                body = json.loads(await request.body())
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return _control_error('The body must be a JSON object such as {"mode": "rate_limit", "times": 1}.')
            mode = body.pop("mode", None)
            if not isinstance(mode, str):
                return _control_error(f"'mode' is required: one of {', '.join(MODES)}.")
            try:
                self.set(mode, times=body.pop("times", None), match=body.pop("match", None), **body)
            except FaultError as error:
                return _control_error(str(error))
        elif request.method == "DELETE":
            self.clear()
        return JSONResponse(self.status())


def _with(response: Response, headers: dict[str, str]) -> Response:
    response.headers.update(headers)
    return response


def _control_error(message: str) -> Response:
    return JSONResponse({"error": message}, status_code=400)
