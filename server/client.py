"""The BigCommerce Orders v2 client: one pooled `httpx.AsyncClient` per server process."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx

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

logger = logging.getLogger("bigcommerce_orders_mcp")

USER_AGENT = f"bigcommerce-orders-mcp/{__version__}"
_MAX_DETAIL = 300


class BigCommerceClient:
    """GETs JSON from one store's v2 API and turns every failure into a `BigCommerceError`.

    The underlying `httpx.AsyncClient` is created on first use, so start-up pays nothing for it,
    and closed when the last `session()` ends (SSE opens one session per connection).
    """

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._headers = {
            "X-Auth-Token": access_token,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        self._transport = transport
        self._http: httpx.AsyncClient | None = None
        self._sessions = 0

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(
                base_url=self.base_url,
                headers=self._headers,
                timeout=self.timeout,
                transport=self._transport,
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
        try:
            response = await self._client().get(path, params=params)
        except httpx.TimeoutException:
            raise UnavailableError(
                f"BigCommerce did not answer within {self.timeout:g} seconds; retry later."
            ) from None
        except httpx.HTTPError as exc:
            raise UnavailableError(
                f"Could not reach BigCommerce ({type(exc).__name__}); check the network and retry later."
            ) from None
        return _read(response)


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
        try:
            waits.append(float(headers[name]) / scale)
        except (KeyError, ValueError):
            continue
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
