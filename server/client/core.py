"""The BigCommerce Orders v2 client: one pooled `httpx.AsyncClient` per server process."""

from __future__ import annotations

import json
import logging
import math
import random
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import anyio

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.client.errors import (
    AuthenticationError,
    BadRequestError,
    BigCommerceError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UnavailableError,
)
from bigcommerce_orders_mcp.client.secrets import install, register, scrub

if TYPE_CHECKING:
    import httpx

    from bigcommerce_orders_mcp.client.shared_quota import SharedBudget

    Transport = httpx.AsyncBaseTransport | Callable[[], httpx.AsyncBaseTransport]

logger = logging.getLogger("bigcommerce_orders_mcp")
install(logger)

USER_AGENT = f"bigcommerce-orders-mcp/{__version__}"
# The logger of the one record each tool call leaves (written by the server, which knows the call).
CALLS = "bigcommerce_orders_mcp.calls"
_MAX_DETAIL = 300
# The sandbox's largest answers: a page of 48 orders 141 KB (so about 0.75 MB for 250), one order with
# consignments and fees 5 KB, a page of messages 22 KB. 16 MB is 20 times a full page of orders and leaves
# room for orders whose notes reach their 65,535-character maximum; more is an upstream gone wrong.
MAX_BODY_BYTES = 16 * 1024 * 1024
# An error body is read for its message, of which 300 characters are shown; v2 error arrays are under 1 KB.
ERROR_BODY_BYTES = 64 * 1024
# BigCommerce answers nest about 5 levels (order, consignments, shipping, line_items, options); far deeper
# JSON is no order, and would exhaust Python's recursion in whatever reads it next.
MAX_JSON_DEPTH = 64
# BigCommerce's quota windows are 30 s; a reset or retry-after beyond twice that is a broken header.
MAX_RESET_SECONDS = 60.0


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


@dataclass(frozen=True)
class QuotaHeaders:
    """What an answer's `X-Rate-Limit-*` headers say, each number made sane (absurd ones are dropped)."""

    left: int
    reset: float  # seconds until the window resets, at most MAX_RESET_SECONDS
    quota: int | None
    window: float | None  # seconds

    @classmethod
    def read(cls, headers: httpx.Headers) -> QuotaHeaders | None:
        """The headers' numbers; `None` without a count of requests left and a time to the reset."""
        left = _number(headers.get("X-Rate-Limit-Requests-Left"))
        reset_ms = _number(headers.get("X-Rate-Limit-Time-Reset-Ms"))
        if left is None or reset_ms is None or reset_ms < 0:
            return None
        quota = _number(headers.get("X-Rate-Limit-Requests-Quota"))
        window_ms = _number(headers.get("X-Rate-Limit-Time-Window-Ms"))
        return cls(
            left=max(0, int(left)),
            reset=min(reset_ms / 1000, MAX_RESET_SECONDS),
            quota=int(quota) if quota and quota > 0 else None,
            window=min(window_ms / 1000, MAX_RESET_SECONDS) if window_ms and window_ms > 0 else None,
        )


@dataclass
class Exchanges:
    """The requests to BigCommerce that one tool call made, for its log record."""

    store: str | None = None
    requests: int = 0
    statuses: list[int] = field(default_factory=list)


# Set by `recording`, for the task of one tool call and the tasks it starts; None when nobody records.
_exchanges: ContextVar[Exchanges | None] = ContextVar("exchanges", default=None)


@contextmanager
def recording(store: str | None = None) -> Iterator[Exchanges]:
    """Count the requests made within the block, and their HTTP statuses."""
    exchanges = Exchanges(store)
    token = _exchanges.set(exchanges)
    try:
        yield exchanges
    finally:
        _exchanges.reset(token)


class LocalQuota:
    """The store's request quota as the last response reported it, spent locally between responses."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.left: int | None = None
        self.quota: int | None = None
        self.reset_at = 0.0

    def observe(self, headers: httpx.Headers) -> None:
        said = QuotaHeaders.read(headers)
        if said is None:
            return
        self.left = said.left
        self.quota = said.quota or self.quota
        self.reset_at = self._clock() + said.reset

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

    async def acquire(self, time_left: float, sleep: Callable[[float], Awaitable[None]]) -> float | None:
        """Wait until the next request may go; the wait instead, when it is longer than `time_left`."""
        pause = self.delay()
        if pause > 0 and pause > time_left:
            # Sleeping out the budget would only end in a 429.
            return pause
        if pause > 0:
            await sleep(pause)
        return None

    async def observe_answer(self, headers: httpx.Headers) -> None:
        self.observe(headers)

    async def back_off(self, seconds: float) -> None:
        """A 429 said to wait `seconds`; this process's own retry waits them, so there is nothing to share."""


class Pacer(Protocol):
    """Where a client keeps its store's quota state: `LocalQuota` in this process, or `SharedQuota` across replicas."""

    def spend(self) -> None: ...

    async def acquire(self, time_left: float, sleep: Callable[[float], Awaitable[None]]) -> float | None: ...

    async def observe_answer(self, headers: httpx.Headers) -> None: ...

    async def back_off(self, seconds: float) -> None: ...


class BigCommerceClient:
    """GETs JSON from one store's v2 API and turns every failure into a `BigCommerceError`.

    Retries what is safe to retry (GETs after 429, 5xx, timeouts, network errors) within a time
    budget, paces requests when the store's quota runs low, and caps requests in flight. Every answer is
    read as a stream, at most `max_body_bytes` decoded, within `timeout` seconds; a whole call ends within
    `timeout` plus the retry budget. No error or log line carries the access token. The
    `httpx.AsyncClient` is created (and httpx imported) on first use, so start-up pays nothing for it, and
    closed when the last `session()` ends (SSE opens one session per connection).
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
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedBudget | None = None,
        store_hash: str = "",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.max_concurrency = max_concurrency
        self.redact_pii = redact_pii
        self.max_body_bytes = max_body_bytes
        self._headers = {
            "X-Auth-Token": access_token,
            "Accept": "application/json",
            # The two encodings `_decoded` inflates in bounded pieces.
            "Accept-Encoding": "gzip, deflate",
            "User-Agent": USER_AGENT,
            "Connection": "keep-alive",
        }
        self._secrets = frozenset({access_token} if access_token else ())
        register(access_token)
        self._transport = transport
        self._sleep = sleep
        self._clock = clock
        self._quota = LocalQuota(clock)
        # With BIGCOMMERCE_REDIS_URL, every replica's requests to this store draw on one budget.
        self._pace: Pacer = self._quota if shared is None else shared.pacer(store_hash, self._quota)
        self._shared = shared
        self._http: httpx.AsyncClient | None = None
        self._answered_at: float | None = None
        self._pool: httpx.AsyncBaseTransport
        self._extensions: dict[str, Any] = {}
        self._request_headers: httpx.Headers
        self._in_flight: anyio.Semaphore | None = None
        self._sessions = 0

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            # Imported here: a server answers initialize and tools/list without paying for httpx, 45 ms
            # after the SDK is loaded, 7% of bench's cold start.
            import httpx

            from bigcommerce_orders_mcp.client.pool import ShardedTransport

            transport = self._transport() if callable(self._transport) else self._transport
            self._pool = transport or ShardedTransport(self.max_concurrency)
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                headers=self._headers,
                timeout=self.timeout,
                transport=self._pool,
                follow_redirects=False,
            )
            self._extensions = {"timeout": httpx.Timeout(self.timeout).as_dict()}
            # Parsed once: every request copies these instead of normalising the same names and values again.
            self._request_headers = httpx.Headers(self._headers)
        return self._http

    async def _open(self, path: str, params: Mapping[str, str] | None) -> httpx.Response:
        """Send a GET straight to the client's transport, its body not yet read; close it when done.

        The `httpx.AsyncClient` owns the pool and its lifetime, but its per-request layers (merging URLs and
        headers, cookies, auth, redirects, event hooks) cost a fifth of a millisecond a GET, as much as
        summarising an order, and do nothing here: the headers are fixed and redirects are refused.
        """
        import httpx

        self._client()
        # `params or None`: an empty mapping would have httpx rebuild the URL to merge nothing into its query.
        url, headers = self.base_url + path, self._request_headers
        request = httpx.Request("GET", url, params=params or None, headers=headers, extensions=self._extensions)
        response = await self._pool.handle_async_request(request)
        response.request = request
        return response

    @asynccontextmanager
    async def session(self) -> AsyncIterator[BigCommerceClient]:
        """Keep the connection pool open while at least one session is active."""
        self._sessions += 1
        if self._shared is not None:
            await self._shared.connect()
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
        if self._shared is not None:
            await self._shared.aclose()

    @property
    def call_deadline(self) -> float:
        """Seconds one `get` may take in all: one answer's timeout plus the time it may spend on retries."""
        return self.timeout + self.retry.budget

    async def get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        """GET `path` (relative to the store's v2 root) and return its JSON; `None` for 204 or no body."""
        try:
            # A tool call already runs within this deadline, set earlier (`ToolDefinition._run`): a second scope
            # would never be the one to expire, and entering and leaving one costs 4 µs a GET.
            deadline = anyio.current_time() + self.call_deadline
            if anyio.current_effective_deadline() <= deadline:
                return await self._attempts(path, params)
            with anyio.move_on_after(self.call_deadline):
                return await self._attempts(path, params)
            raise UnavailableError(
                f"BigCommerce did not finish answering within {seconds(self.call_deadline)}; retry later."
            )
        except BigCommerceError as exc:
            # The token can only come back inside an error body, but every sentence is scrubbed alike.
            exc.message = self._clean(exc.message)
            exc.args = (exc.message,)
            raise

    async def _attempts(self, path: str, params: Mapping[str, str] | None) -> Any:
        deadline = self._clock() + self.retry.budget
        attempt = 0
        while True:
            too_long = await self._pace.acquire(deadline - self._clock(), self._sleep)
            if too_long is not None:
                retry_after = _retry_seconds(too_long)
                raise RateLimitedError(
                    f"BigCommerce's rate limit for this store is used up for the next {retry_after:g} seconds, "
                    f"longer than this call may wait; retry after {retry_after:g} seconds.",
                    retry_after=retry_after,
                )
            try:
                answer = await self._send(path, params)
            except UnavailableError as exc:
                error: BigCommerceError = exc
                wait = self.retry.backoff(attempt)
            else:
                await self._observe(answer)
                if answer.status == 429:
                    error = self._error_for(answer)
                    # Wait what BigCommerce says, longer when 429s repeat; headerless 429s are platform load.
                    told = _retry_after(answer.headers)
                    wait = max(told or 0.0, self.retry.backoff(attempt)) + random.uniform(0, 0.1)
                    await self._pace.back_off(wait)
                elif answer.status in _RETRYABLE:
                    error = self._error_for(answer)
                    wait = self.retry.backoff(attempt)
                else:
                    body = self._read(answer)
                    return _redacted(body) if self.redact_pii else body
            attempt += 1
            remaining = deadline - self._clock()
            if attempt > self.retry.max_retries or wait > remaining:
                raise _final(error, attempt, wait)
            logger.info("retrying %s in %.2fs after: %s", _safe_path(path), wait, self._clean(error.message))
            await self._sleep(wait)

    async def _observe(self, answer: _Answer) -> None:
        if answer.status in _PROVES_ACCESS or 200 <= answer.status < 300:
            self._answered_at = self._clock()
        await self._pace.observe_answer(answer.headers)

    async def ready(self, fresh_within: float, timeout: float) -> str | None:
        """Why the store cannot be used now; `None` when it can: it answered this token within `fresh_within`
        seconds, or answers one request (no retries) within `timeout`."""
        if self._answered_at is not None and self._clock() - self._answered_at < fresh_within:
            return None
        try:
            with anyio.fail_after(timeout):
                answer = await self._send("/orders/count", None)
        except TimeoutError:
            return f"BigCommerce did not answer within {seconds(timeout)}."
        except BigCommerceError as exc:
            return self._clean(exc.message)
        await self._observe(answer)
        if answer.status in _PROVES_ACCESS or 200 <= answer.status < 300:
            return None
        return self._clean(self._error_for(answer).message)

    async def _send(self, path: str, params: Mapping[str, str] | None) -> _Answer:
        import httpx

        if self._in_flight is None:
            # fast_acquire: a free slot is taken without a trip through the event loop (6 µs a GET); the request
            # that follows yields anyway.
            self._in_flight = anyio.Semaphore(self.max_concurrency, fast_acquire=True)
        async with self._in_flight:
            self._pace.spend()
            answering = False
            exchanges = _exchanges.get()
            started = time.perf_counter() if logger.isEnabledFor(logging.DEBUG) else None
            status: int | None = None
            try:
                # The httpx timeout bounds each wait for a byte; this bounds the whole answer.
                with anyio.fail_after(self.timeout):
                    response = await self._open(path, params)
                    try:
                        answering = True
                        status = response.status_code
                        return await self._receive(response)
                    finally:
                        await response.aclose()
            except (httpx.TimeoutException, TimeoutError):
                said = "did not finish answering" if answering else "did not answer"
                raise UnavailableError(f"BigCommerce {said} within {seconds(self.timeout)}; retry later.") from None
            except httpx.DecodingError:
                raise InvalidResponseError(
                    "BigCommerce answered with a compressed body that does not decompress; retry later."
                ) from None
            except httpx.HTTPError as exc:
                raise UnavailableError(
                    f"Could not reach BigCommerce ({type(exc).__name__}); check the network and retry later."
                ) from None
            finally:
                if exchanges is not None:
                    exchanges.requests += 1
                    if status is not None:
                        exchanges.statuses.append(status)
                if started is not None:
                    _log_request(path, status, started, exchanges)

    async def _receive(self, response: httpx.Response) -> _Answer:
        """The answer's status, headers and decoded body, reading no more than the body may hold."""
        status = response.status_code
        if 300 <= status < 400:
            return _Answer(status, response.headers, b"")
        ok = 200 <= status < 300
        limit = self.max_body_bytes if ok else ERROR_BODY_BYTES
        declared = _number(response.headers.get("Content-Length"))
        if ok and declared is not None and declared > limit and "Content-Encoding" not in response.headers:
            raise _too_large(limit)
        chunks: list[bytes] = []
        size = 0
        # Decoded bytes are counted: a small compressed body can unpack to gigabytes.
        async for chunk in _decoded(response):
            size += len(chunk)
            if size > limit:
                if ok:
                    raise _too_large(limit)
                # An error body is read for its message only; its status says what happened.
                chunks.append(chunk[: len(chunk) - (size - limit)])
                break
            chunks.append(chunk)
        return _Answer(status, response.headers, b"".join(chunks))

    def _read(self, answer: _Answer) -> Any:
        status = answer.status
        if status == 204 or (200 <= status < 300 and not answer.body.strip()):
            return None
        if 200 <= status < 300:
            return _parse(answer)
        raise self._error_for(answer)

    def _error_for(self, answer: _Answer) -> BigCommerceError:
        return _error_for(answer, _error_detail(answer.body, self._clean_detail))

    def _clean(self, text: str) -> str:
        return scrub(text, self._secrets)

    def _clean_detail(self, text: str) -> str:
        text = self._clean(text)
        if not self.redact_pii:
            return text
        from bigcommerce_orders_mcp.client.redaction import redact_text

        return redact_text(text)


def _redacted(body: Any) -> Any:
    # Imported on first use: compiling its patterns is 5 ms of every start, for a setting most servers leave off.
    from bigcommerce_orders_mcp.client.redaction import redact

    return redact(body)


# httpx inflates each piece read from the socket whole: 64 KB of a gzip bomb became 64 MB at once, and the
# server's peak RSS 218 MB. Inflating here, a slice at a time, keeps every piece this small.
_DECODED_PIECE = 1024 * 1024
_INFLATE = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS | 32}


async def _decoded(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body, decoded, in pieces of at most `_DECODED_PIECE` bytes for gzip and deflate."""
    encoding = response.headers.get("Content-Encoding")
    if encoding is None:
        # Nothing to decode: the bytes as they came, without httpx's identity decoder and re-chunking.
        async for chunk in response.aiter_raw():
            yield chunk
        return
    wbits = _INFLATE.get(encoding.strip().lower())
    if wbits is None:
        async for chunk in response.aiter_bytes():
            yield chunk
        return
    inflater = zlib.decompressobj(wbits)
    async for raw in response.aiter_raw():
        data = raw
        while True:
            try:
                piece = inflater.decompress(data, _DECODED_PIECE)
            except zlib.error:
                raise InvalidResponseError(
                    "BigCommerce answered with a compressed body that does not decompress; retry later."
                ) from None
            if piece:
                yield piece
            data = inflater.unconsumed_tail
            if not data and len(piece) < _DECODED_PIECE:
                break


@dataclass(frozen=True)
class _Answer:
    """One HTTP answer, its body read (and decoded) within the limits."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        content_type: str = self.headers.get("Content-Type", "no content type")
        return content_type.split(";")[0]


_RETRYABLE = frozenset({500, 502, 503, 504})
# Answers only a store that knows the token gives (BigCommerce counts requests per token): 2xx, these.
_PROVES_ACCESS = frozenset({404, 429})


def _final(error: BigCommerceError, attempts: int, wait: float) -> BigCommerceError:
    """The error to report once retries are spent: what happened, and when a retry can succeed."""
    tried = f" (tried {attempts} times)" if attempts > 1 else ""
    if isinstance(error, RateLimitedError):
        retry_after = _retry_seconds(max(wait, error.retry_after or 0.0))
        return RateLimitedError(
            f"BigCommerce's rate limit for this store is used up (HTTP 429){tried}; "
            f"retry after {retry_after:g} seconds.",
            retry_after=retry_after,
        )
    if tried:
        error.message = error.message.rstrip(".") + tried + "."
        error.args = (error.message,)
    return error


def _retry_seconds(wait: float) -> float:
    """A wait fit to tell a model: finite, at most one quota window, a tenth of a second at least."""
    return round(min(max(wait, 0.1), MAX_RESET_SECONDS), 1)


def seconds(seconds: float) -> str:
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def _too_large(limit: int) -> InvalidResponseError:
    size = f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return InvalidResponseError(
        f"BigCommerce's answer was larger than {size}, more than any order or page of 250 orders or messages; "
        "check BIGCOMMERCE_API_URL, or ask for a smaller page."
    )


def _log_request(path: str, status: int | None, started: float, exchanges: Exchanges | None) -> None:
    """One DEBUG record a request: its path (never the query, which may hold an e-mail), status and time."""
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    store = exchanges.store if exchanges is not None else None
    logger.debug(
        "GET %s: %s in %.1f ms",
        _safe_path(path),
        f"HTTP {status}" if status is not None else "no answer",
        duration_ms,
        extra={"store": store, "method": "GET", "path": _safe_path(path), "status": status, "duration_ms": duration_ms},
    )


def _safe_path(path: str) -> str:
    return path.split("?")[0]


def _number(value: str | None) -> float | None:
    """A header's number; `None` when it is missing, not a number, infinite or NaN."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


class _AbsurdNumber(ValueError):
    pass


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _AbsurdNumber(text)
    return number


def _no_constant(text: str) -> float:
    raise _AbsurdNumber(text)


_JSON = json.JSONDecoder(parse_float=_finite, parse_constant=_no_constant)


def _parse(answer: _Answer) -> Any:
    status = answer.status
    try:
        # What json.loads does with bytes, with one decoder for every answer instead of a new one each time.
        body = _JSON.decode(answer.body.decode(json.detect_encoding(answer.body), "surrogatepass"))
    except RecursionError:
        raise _too_deep(status) from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InvalidResponseError(
            f"BigCommerce answered HTTP {status} with a body that is not JSON ({answer.content_type}); retry later.",
            status_code=status,
        ) from None
    except ValueError:
        # NaN, Infinity, 1e999, or an integer of more than 4,300 digits (Python's limit for int()).
        raise InvalidResponseError(
            f"BigCommerce answered HTTP {status} with a number too large to read; retry later.",
            status_code=status,
        ) from None
    # Nesting needs an opening bracket a level: a body with fewer (strings' brackets counted too) cannot be deeper.
    if _brackets(answer.body) > MAX_JSON_DEPTH and _deeper_than(body, MAX_JSON_DEPTH):
        raise _too_deep(status)
    return body


def _brackets(body: bytes) -> int:
    return body.count(b"[") + body.count(b"{")


def _too_deep(status: int) -> InvalidResponseError:
    return InvalidResponseError(
        f"BigCommerce answered HTTP {status} with JSON nested too deeply to read "
        f"(more than {MAX_JSON_DEPTH} levels); retry later.",
        status_code=status,
    )


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether `value` nests lists and objects more than `limit` deep; without recursion."""
    level: list[Any] = [value]
    for _ in range(limit + 1):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True


def _error_for(answer: _Answer, detail: str) -> BigCommerceError:
    status = answer.status
    said = f" BigCommerce said: {detail}" if detail else ""
    if 300 <= status < 400:
        return InvalidResponseError(
            f"BigCommerce answered with a redirect (HTTP {status}) to another address; check BIGCOMMERCE_API_URL.",
            status_code=status,
        )
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
        retry_after = _retry_after(answer.headers)
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
            waits.append(min(value / scale, MAX_RESET_SECONDS))
    # BigCommerce: when both are present, honour the longer wait.
    return round(max(waits), 3) if waits else None


def _error_detail(body: bytes, clean: Callable[[str], str]) -> str:
    """The message from a v2 error array, a v3 problem object, or nothing; cleaned before it is cut short."""
    try:
        text = clean(" ".join(" ".join(_error_parts(json.loads(body))).split()))
    except (ValueError, RecursionError):
        return ""
    return text[:_MAX_DETAIL] + ("…" if len(text) > _MAX_DETAIL else "")


def _error_parts(parsed: Any) -> list[str]:
    parts: list[str] = []
    if isinstance(parsed, list):
        parts = [str(item["message"]) for item in parsed if isinstance(item, dict) and item.get("message")]
    elif isinstance(parsed, dict):
        for key in ("title", "message", "detail"):
            value = parsed.get(key)
            if isinstance(value, str) and value:
                parts.append(value)
        errors = parsed.get("errors")
        if isinstance(errors, dict):
            parts.extend(f"{k}: {v}" for k, v in errors.items())
    return parts
