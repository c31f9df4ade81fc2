"""Transport and bounded reading: GETs sent straight to the connection pool, bodies read and inflated in bounded pieces.

This module imports httpx, so a client imports it on its first request.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import anyio
import httpx

from bigcommerce_orders_mcp.client.decoding import ERROR_BODY_BYTES, header_number, too_large
from bigcommerce_orders_mcp.client.errors import InvalidResponseError, UnavailableError, seconds
from bigcommerce_orders_mcp.client.pool import ShardedTransport
from bigcommerce_orders_mcp.client.telemetry import RequestTrace

Transport = httpx.AsyncBaseTransport | Callable[[], httpx.AsyncBaseTransport]

# httpx inflates each piece read from the socket whole, so a small piece of a gzip bomb became a huge one at
# once, and so did the server's memory. Inflating here, a slice at a time, keeps every piece this small.
_DECODED_PIECE = 1024 * 1024
_INFLATE = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS | 32}
# What sending on a connection the server closed while it sat in the pool raises, before any response.
_CLOSED_BEFORE_ANSWERING = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


@dataclass(frozen=True)
class BoundedResponse:
    """One HTTP response whose body has been read (and decoded) within the limits."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        content_type: str = self.headers.get("Content-Type", "no content type")
        return content_type.split(";")[0]


class Connection:
    """One store's connection pool, owned by an `httpx.AsyncClient`, and the GETs sent on it."""

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str],
        *,
        timeout: float,
        max_concurrency: int,
        max_body_bytes: int,
        transport: Transport | None = None,
        v3_url: str | None = None,
    ) -> None:
        self._roots = {"v2": base_url, "v3": v3_url or base_url}
        self._timeout = timeout
        self._max_body_bytes = max_body_bytes
        chosen = transport() if callable(transport) else transport
        self._pool = chosen or ShardedTransport(max_concurrency)
        self.http = httpx.AsyncClient(
            base_url=base_url, headers=headers, timeout=timeout, transport=self._pool, follow_redirects=False
        )
        self._extensions: dict[str, Any] = {"timeout": httpx.Timeout(timeout).as_dict()}
        # Parsed once: every request copies these instead of normalising the same names and values again.
        self._headers = httpx.Headers(headers)

    async def send(
        self, path: str, params: Mapping[str, str] | None, trace: RequestTrace, *, api: str = "v2"
    ) -> BoundedResponse:
        """GET `path` under the `api` root ("v2" or "v3") and read its answer within the timeout and the body caps;
        transport failures become errors."""
        responded = False
        try:
            # The httpx timeout bounds each wait for a byte; this bounds the whole answer.
            with anyio.fail_after(self._timeout):
                response = await self._open(self._roots[api] + path, params)
                try:
                    responded = True
                    trace.status = response.status_code
                    return await read_within(response, self._max_body_bytes)
                finally:
                    await response.aclose()
        except (httpx.TimeoutException, TimeoutError):
            failed = "did not finish answering" if responded else "did not answer"
            raise UnavailableError(f"BigCommerce {failed} within {seconds(self._timeout)}; retry later.") from None
        except httpx.DecodingError:
            raise _undecodable() from None
        except httpx.HTTPError as exc:
            raise UnavailableError(
                f"Could not reach BigCommerce ({type(exc).__name__}); check the network and retry later."
            ) from None

    async def _open(self, url: str, params: Mapping[str, str] | None) -> httpx.Response:
        """Send a GET straight to the pool, its body not yet read; the caller closes it.

        The `httpx.AsyncClient` owns the pool and its lifetime, but its per-request layers (merging URLs and
        headers, cookies, auth, redirects, event hooks) cost as much as summarising an order, and do nothing
        here: the headers are fixed and redirects are refused.
        """
        # `params or None`: an empty mapping would have httpx rebuild the URL to merge nothing into its query.
        request = httpx.Request("GET", url, params=params or None, headers=self._headers, extensions=self._extensions)
        try:
            response = await self._pool.handle_async_request(request)
        except _CLOSED_BEFORE_ANSWERING:
            # A kept-alive connection the server had just closed (servers and load balancers drop idle ones at
            # their own time): nothing was answered, a GET may go again at once, and the pool opens a fresh
            # connection for it. Not a retry of the store's failure, so it spends no retry and no back-off.
            response = await self._pool.handle_async_request(request)
        response.request = request
        return response

    async def aclose(self) -> None:
        await self.http.aclose()


async def read_within(response: httpx.Response, max_body_bytes: int) -> BoundedResponse:
    """The response's status, headers and decoded body, reading no more than the body may hold."""
    status = response.status_code
    if 300 <= status < 400:
        return BoundedResponse(status, response.headers, b"")
    ok = 200 <= status < 300
    limit = max_body_bytes if ok else ERROR_BODY_BYTES
    declared = header_number(response.headers.get("Content-Length"))
    if ok and declared is not None and declared > limit and "Content-Encoding" not in response.headers:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    # Decoded bytes are counted: a small compressed body can unpack to gigabytes.
    async for chunk in _decoded(response):
        size += len(chunk)
        if size > limit:
            if ok:
                raise too_large(limit)
            # An error body is read for its message only; its status says what happened.
            chunks.append(chunk[: len(chunk) - (size - limit)])
            break
        chunks.append(chunk)
    return BoundedResponse(status, response.headers, b"".join(chunks))


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
                raise _undecodable() from None
            if piece:
                yield piece
            data = inflater.unconsumed_tail
            if not data and len(piece) < _DECODED_PIECE:
                break


def _undecodable() -> InvalidResponseError:
    return InvalidResponseError("BigCommerce answered with a compressed body that does not decompress; retry later.")
