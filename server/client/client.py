"""The BigCommerce orders client: a store's v2 and v3 GETs, with the limits, retries, pacing and errors around them."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import anyio

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.client.decoding import MAX_BODY_BYTES, parse_json
from bigcommerce_orders_mcp.client.errors import BadRequestError, BigCommerceError, UnavailableError, seconds
from bigcommerce_orders_mcp.client.quota import LocalQuota, Pacer, Sleep
from bigcommerce_orders_mcp.client.retry import Attempts, RetryPolicy
from bigcommerce_orders_mcp.client.secrets import register, scrub, scrub_json_body
from bigcommerce_orders_mcp.client.status import error_detail, error_for, proves_access
from bigcommerce_orders_mcp.client.telemetry import RequestTrace, safe_path

if TYPE_CHECKING:
    import httpx

    from bigcommerce_orders_mcp.client.transport import BoundedResponse, Connection, Transport

USER_AGENT = f"bigcommerce-orders-mcp/{__version__}"

T = TypeVar("T")

Api = Literal["v2", "v3"]


class BigCommerceClient:
    """GETs JSON from one store's v2 and v3 APIs and turns every failure into a `BigCommerceError`.

    Retries what is safe to retry (GETs after 429, 5xx, timeouts, network errors) within a time
    budget, paces requests when the store's quota runs low, and caps requests in flight. Every answer is
    read as a stream, at most `max_body_bytes` decoded, within `timeout` seconds; a whole call ends within
    `timeout` plus the retry budget. No error or log line carries the access token. The connection pool
    is opened (and httpx imported) on the first request, and closed when the last `session()` ends (SSE
    opens one session per connection). `pacer` is where the store's quota is kept: this process's own
    `LocalQuota` unless the server hands it one shared by every replica. `base_url` is the store's v2 root; its v3
    root is the same address ending in `/v3` instead, reached through the same pool, quota and limits.
    """

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        max_concurrency: int = 50,
        redact_pii: bool = False,
        max_body_bytes: int = MAX_BODY_BYTES,
        transport: Transport | None = None,
        sleep: Sleep = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
        pacer: Pacer | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.v3_url = v3_root(self.base_url)
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.max_concurrency = max_concurrency
        self.redact_pii = redact_pii
        self.max_body_bytes = max_body_bytes
        self._headers = {
            "X-Auth-Token": access_token,
            "Accept": "application/json",
            # The two encodings the transport inflates in bounded pieces.
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": USER_AGENT,
            "Connection": "keep-alive",
        }
        self._secrets = frozenset({access_token} if access_token else ())
        register(access_token)
        self._transport = transport
        self._clock = clock
        self._pacer: Pacer = LocalQuota(clock) if pacer is None else pacer
        self._attempts = Attempts(self.retry, self._pacer, clock, sleep)
        self._redact: Callable[[Any], Any] | None = None
        self._redact_text: Callable[[str], str] | None = None
        if redact_pii:
            # Imported only when asked for: compiling its patterns would lengthen every start, for a setting most
            # servers leave off.
            from bigcommerce_orders_mcp.client.redaction import redact, redact_text

            self._redact, self._redact_text = redact, redact_text
        self._connection: Connection | None = None
        self._answered_at: float | None = None
        self._in_flight: anyio.Semaphore | None = None
        self._sessions = 0

    @asynccontextmanager
    async def session(self) -> AsyncIterator[BigCommerceClient]:
        """Keep the connection pool open while at least one session is active."""
        self._sessions += 1
        try:
            yield self
        finally:
            self._sessions -= 1
            if self._sessions == 0:
                await self.aclose()

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.aclose()

    def http_client(self) -> httpx.AsyncClient:
        """The `httpx.AsyncClient` that owns the connection pool, opened now if it is not open yet."""
        return self._connect().http

    @property
    def pool_is_open(self) -> bool:
        """Whether the connection pool is open: from the first request until the last session ends."""
        return self._connection is not None

    @property
    def call_deadline(self) -> float:
        """Seconds one `get` may take in all: one answer's timeout plus the time it may spend on retries."""
        return self.timeout + self.retry.budget

    async def get(self, path: str, params: Mapping[str, str] | None = None, *, api: Api = "v2") -> Any:
        """GET `path`, relative to the store's v2 root (or its v3 root with `api="v3"`), and return its JSON whole,
        a v3 answer's envelope included; `None` for 204 or no body."""
        if api == "v3" and self.v3_url is None:
            raise BadRequestError(
                f"The store's API address {self._clean(self.base_url)} does not end in /v2, so its Orders v3 "
                "address is unknown; check BIGCOMMERCE_API_URL."
            )
        try:
            return await self._within_call_deadline(self._get(path, params, api))
        except BigCommerceError as exc:
            # The token can only come back inside an error body, but every sentence is scrubbed alike.
            exc.message = self._clean(exc.message)
            exc.args = (exc.message,)
            raise

    async def ready(self, fresh_within: float, timeout: float) -> str | None:
        """Why the store cannot be used now; `None` when it can: it answered this token within `fresh_within`
        seconds, or answers one request (no retries) within `timeout`."""
        if self._answered_at is not None and self._clock() - self._answered_at < fresh_within:
            return None
        try:
            with anyio.fail_after(timeout):
                response = await self._send("/orders/count", None)
        except TimeoutError:
            return f"BigCommerce did not answer within {seconds(timeout)}."
        except BigCommerceError as exc:
            return self._clean(exc.message)
        await self._learn_from(response)
        if proves_access(response.status):
            return None
        return self._clean(self._error_for(response).message)

    async def _within_call_deadline(self, call: Awaitable[T]) -> T:
        # A tool call usually runs within this deadline already, set earlier: a second scope would never be the
        # one to expire, and entering and leaving one is a cost on every GET.
        if anyio.current_effective_deadline() <= anyio.current_time() + self.call_deadline:
            return await call
        with anyio.move_on_after(self.call_deadline):
            return await call
        raise UnavailableError(
            f"BigCommerce did not finish answering within {seconds(self.call_deadline)}; retry later."
        )

    async def _get(self, path: str, params: Mapping[str, str] | None, api: Api) -> Any:
        response = await self._attempts.run(
            lambda: self._exchange(path, params, api),
            self._error_for,
            label=safe_path(traced(path, api)),
            clean=self._clean,
        )
        body = self._read(response)
        return body if self._redact is None else self._redact(body)

    async def _exchange(self, path: str, params: Mapping[str, str] | None, api: Api) -> BoundedResponse:
        response = await self._send(path, params, api)
        await self._learn_from(response)
        return response

    async def _send(self, path: str, params: Mapping[str, str] | None, api: Api = "v2") -> BoundedResponse:
        if self._in_flight is None:
            # fast_acquire: a free slot is taken without a trip through the event loop; the request that follows
            # yields anyway.
            self._in_flight = anyio.Semaphore(self.max_concurrency, fast_acquire=True)
        async with self._in_flight:
            self._pacer.spend()
            with RequestTrace(traced(path, api)) as trace:
                return await self._connect().send(path, params, trace, api=api)

    def _connect(self) -> Connection:
        if self._connection is None:
            # The one import put off until the first request: a server answers initialize and tools/list without
            # httpx, which keeps its cold start within bench's guard.
            from bigcommerce_orders_mcp.client.transport import Connection

            self._connection = Connection(
                self.base_url,
                self._headers,
                v3_url=self.v3_url,
                timeout=self.timeout,
                max_concurrency=self.max_concurrency,
                max_body_bytes=self.max_body_bytes,
                transport=self._transport,
            )
        return self._connection

    async def _learn_from(self, response: BoundedResponse) -> None:
        """Take in what a response shows: that the store knows the token, and what is left of its quota."""
        if proves_access(response.status):
            self._answered_at = self._clock()
        await self._pacer.observe(response.headers)

    def _read(self, response: BoundedResponse) -> Any:
        status = response.status
        if status == 204 or (200 <= status < 300 and not response.body.strip()):
            return None
        if 200 <= status < 300:
            # Before any tool cuts a text short: a secret cut in two would no longer be found where it leaves.
            return scrub_json_body(response.body, parse_json(response.body, status, response.content_type))
        raise self._error_for(response)

    def _error_for(self, response: BoundedResponse) -> BigCommerceError:
        return error_for(response, error_detail(response.body, self._clean_detail))

    def _clean(self, text: str) -> str:
        # Its own token even when too short to register, then every secret of the process (an upstream may echo
        # the MCP bearer token or the Redis password as well).
        return scrub(scrub(text, self._secrets))

    def _clean_detail(self, text: str) -> str:
        text = self._clean(text)
        return text if self._redact_text is None else self._redact_text(text)


_V2, _V3 = "/v2", "/v3"


def traced(path: str, api: Api) -> str:
    """The path a log line and a retry's message name: v2 paths as they are, v3 ones under `/v3`."""
    return path if api == "v2" else _V3 + path


def v3_root(base_url: str) -> str | None:
    """The store's v3 root for its v2 root `base_url`: `/v2` at its end becomes `/v3`; `None` without one."""
    base = base_url.rstrip("/")
    return base[: -len(_V2)] + _V3 if base.endswith(_V2) else None
