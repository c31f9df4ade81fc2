"""The BigCommerce Orders v2 client: one pooled `httpx.AsyncClient` per server process."""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from server import __version__
from server.errors import (
    AuthenticationError,
    BadRequestError,
    BigCommerceError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UnavailableError,
)
from server.redaction import redact

if TYPE_CHECKING:
    import httpx

    Transport = httpx.AsyncBaseTransport | Callable[[], httpx.AsyncBaseTransport]

logger = logging.getLogger("bigcommerce_orders_mcp")

USER_AGENT = f"bigcommerce-orders-mcp/{__version__}"
_MAX_DETAIL = 300


@dataclass(frozen=True)
class RetryPolicy:
    """How hard a call tries: bounded retries, exponential back-off with jitter, a total time budget."""

    max_retries: int = 3
    budget: float = 30.0
    base_delay: float = 0.5
    max_delay: float = 8.0

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential back-off for the `attempt`-th retry (0-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


class _Quota:
    """The store's request quota as the last response reported it, spent locally between responses."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.left: int | None = None
        self.quota: int | None = None
        self.reset_at = 0.0

    def observe(self, headers: httpx.Headers) -> None:
        left = _number(headers.get("X-Rate-Limit-Requests-Left"))
        reset_ms = _number(headers.get("X-Rate-Limit-Time-Reset-Ms"))
        if left is None or reset_ms is None:
            return
        self.left = int(left)
        self.quota = int(q) if (q := _number(headers.get("X-Rate-Limit-Requests-Quota"))) else self.quota
        self.reset_at = self._clock() + reset_ms / 1000

    def delay(self) -> float:
        """How long to wait before the next request so the quota lasts until it resets."""
        now = self._clock()
        if self.left is None or now >= self.reset_at:
            return 0.0
        low_water = max(2, (self.quota or 0) // 10)
        if self.left > low_water:
            return 0.0
        remaining = self.reset_at - now
        if self.left <= 0:
            return remaining
        # Spread what is left over what remains of the window instead of running into a 429.
        return remaining / (self.left + 1)

    def spend(self) -> None:
        if self.left is not None and self._clock() < self.reset_at:
            self.left -= 1


class BigCommerceClient:
    """GETs JSON from one store's v2 API and turns every failure into a `BigCommerceError`.

    Retries what is safe to retry (GETs after 429, 5xx, timeouts, network errors) within a time
    budget, paces requests when the store's quota runs low, and caps requests in flight. The
    `httpx.AsyncClient` is created (and httpx imported) on first use, so start-up pays nothing for it, and
    closed when the
    last `session()` ends (SSE opens one session per connection).
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
        transport: Transport | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.max_concurrency = max_concurrency
        self.redact_pii = redact_pii
        self._headers = {
            "X-Auth-Token": access_token,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        self._transport = transport
        self._sleep = sleep
        self._clock = clock
        self._quota = _Quota(clock)
        self._http: httpx.AsyncClient | None = None
        self._in_flight: anyio.Semaphore | None = None
        self._sessions = 0

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            # Imported here: a server answers initialize and tools/list without paying for httpx, 45 ms
            # after the SDK is loaded, 7% of bench's cold start.
            import httpx

            from server._pool import ShardedTransport

            transport = self._transport() if callable(self._transport) else self._transport
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                headers=self._headers,
                timeout=self.timeout,
                transport=transport or ShardedTransport(self.max_concurrency),
                follow_redirects=False,
            )
        return self._http

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
        http, self._http = self._http, None
        if http is not None:
            await http.aclose()

    async def get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """GET `path` (relative to the store's v2 root) and return its JSON; `None` for 204 or no body."""
        deadline = self._clock() + self.retry.budget
        attempt = 0
        while True:
            await self._wait(self._quota.delay(), deadline)
            try:
                response = await self._send(path, params)
            except BigCommerceError as exc:
                error: BigCommerceError = exc
                wait = self.retry.backoff(attempt)
            else:
                self._quota.observe(response.headers)
                if response.status_code == 429:
                    error = _error_for(response)
                    # Wait what BigCommerce says, longer when 429s repeat; headerless 429s are platform load.
                    told = _retry_after(response.headers)
                    wait = max(told or 0.0, self.retry.backoff(attempt)) + random.uniform(0, 0.1)
                elif response.status_code in _RETRYABLE:
                    error = _error_for(response)
                    wait = self.retry.backoff(attempt)
                else:
                    body = _read(response)
                    return redact(body) if self.redact_pii else body
            attempt += 1
            remaining = deadline - self._clock()
            if attempt > self.retry.max_retries or wait > remaining:
                raise _final(error, attempt, wait)
            logger.info("retrying %s in %.2fs after: %s", _safe_path(path), wait, error.message)
            await self._sleep(wait)

    async def _send(self, path: str, params: Mapping[str, str] | None) -> httpx.Response:
        import httpx

        if self._in_flight is None:
            self._in_flight = anyio.Semaphore(self.max_concurrency)
        async with self._in_flight:
            self._quota.spend()
            try:
                return await self._client().get(path, params=params)
            except httpx.TimeoutException:
                raise UnavailableError(
                    f"BigCommerce did not answer within {self.timeout:g} second{'' if self.timeout == 1 else 's'}; "
                    "retry later."
                ) from None
            except httpx.HTTPError as exc:
                raise UnavailableError(
                    f"Could not reach BigCommerce ({type(exc).__name__}); check the network and retry later."
                ) from None

    async def _wait(self, delay: float, deadline: float) -> None:
        if delay > 0:
            await self._sleep(min(delay, max(0.0, deadline - self._clock())))


_RETRYABLE = frozenset({500, 502, 503, 504})


def _final(error: BigCommerceError, attempts: int, wait: float) -> BigCommerceError:
    """The error to report once retries are spent: what happened, and when a retry can succeed."""
    tried = f" (tried {attempts} times)" if attempts > 1 else ""
    if isinstance(error, RateLimitedError):
        retry_after = round(max(wait, error.retry_after or 0.0), 1)
        return RateLimitedError(
            f"BigCommerce's rate limit for this store is used up (HTTP 429){tried}; "
            f"retry after {retry_after:g} seconds.",
            retry_after=retry_after,
        )
    if tried:
        error.message = error.message.rstrip(".") + tried + "."
        error.args = (error.message,)
    return error


def _safe_path(path: str) -> str:
    return path.split("?")[0]


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _read(response: httpx.Response) -> Any:
    status = response.status_code
    if status == 204 or (200 <= status < 300 and not response.content.strip()):
        return None
    if 200 <= status < 300:
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise InvalidResponseError(
                f"BigCommerce answered HTTP {status} with a body that is not JSON "
                f"({_content_type(response)}); retry later.",
                status_code=status,
            ) from None
    raise _error_for(response)


def _error_for(response: httpx.Response) -> BigCommerceError:
    status = response.status_code
    detail = _error_detail(response)
    said = f" BigCommerce said: {detail}" if detail else ""
    if status == 401:
        return AuthenticationError(
            "BigCommerce rejected the access token (HTTP 401): check BIGCOMMERCE_ACCESS_TOKEN.",
            status_code=status,
        )
    if status == 403:
        return PermissionDeniedError(
            "BigCommerce refused access (HTTP 403): the API account needs the Orders read-only scope "
            f"(store_v2_orders_read_only), or BIGCOMMERCE_STORE_HASH names another store.{said}",
            status_code=status,
        )
    if status == 404:
        return NotFoundError("The requested resource was not found (HTTP 404).", status_code=status)
    if status == 429:
        retry_after = _retry_after(response.headers)
        when = f"after {retry_after:g} seconds" if retry_after is not None else "in a little while"
        return RateLimitedError(
            f"BigCommerce's rate limit for this store is used up (HTTP 429); retry {when}.",
            retry_after=retry_after,
        )
    if status >= 500:
        return UnavailableError(f"BigCommerce is unavailable (HTTP {status}); retry later.{said}", status_code=status)
    return BadRequestError(f"BigCommerce rejected the request (HTTP {status}).{said}", status_code=status)


def _retry_after(headers: httpx.Headers) -> float | None:
    waits: list[float] = []
    for name, scale in (("X-Rate-Limit-Time-Reset-Ms", 1000.0), ("X-Retry-After", 1.0)):
        value = _number(headers.get(name))
        if value is not None and value >= 0:
            waits.append(value / scale)
    # BigCommerce: when both are present, honour the longer wait.
    return round(max(waits), 3) if waits else None


def _content_type(response: httpx.Response) -> str:
    content_type: str = response.headers.get("Content-Type", "no content type")
    return content_type.split(";")[0]


def _error_detail(response: httpx.Response) -> str:
    """The message from a v2 error array, a v3 problem object, or nothing."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return ""
    parts: list[str] = []
    if isinstance(body, list):
        parts = [str(item["message"]) for item in body if isinstance(item, dict) and item.get("message")]
    elif isinstance(body, dict):
        for key in ("title", "message", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                parts.append(value)
        errors = body.get("errors")
        if isinstance(errors, dict):
            parts.extend(f"{k}: {v}" for k, v in errors.items())
    text = " ".join(" ".join(parts).split())
    return text[:_MAX_DETAIL] + ("…" if len(text) > _MAX_DETAIL else "")
