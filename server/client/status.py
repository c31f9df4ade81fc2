"""Status mapping: each HTTP status to its `BigCommerceError` and sentence, with the detail BigCommerce gave."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bigcommerce_orders_mcp.client.decoding import header_number, read_json
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
from bigcommerce_orders_mcp.client.quota import MAX_RESET_SECONDS

if TYPE_CHECKING:
    import httpx

    from bigcommerce_orders_mcp.client.transport import BoundedResponse

RETRYABLE = frozenset({500, 502, 503, 504})
# Answers only a store that knows the token gives (BigCommerce counts requests per token): 2xx, these.
_PROVES_ACCESS = frozenset({404, 429})
_MAX_DETAIL = 300


def proves_access(status: int) -> bool:
    """Whether an answer with `status` shows that the store knows the token."""
    return status in _PROVES_ACCESS or 200 <= status < 300


def error_for(response: BoundedResponse, detail: str) -> BigCommerceError:
    """The error a response that is not a success stands for, with BigCommerce's own `detail` where it helps."""
    status = response.status
    quoted = f" BigCommerce said: {detail}" if detail else ""
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
            f"(store_v2_orders_read_only), or BIGCOMMERCE_STORE_HASH names another store.{quoted}",
            status_code=status,
        )
    if status == 404:
        return NotFoundError("The requested resource was not found (HTTP 404).", status_code=status)
    if status == 429:
        wait = retry_after(response.headers)
        when = f"after {wait:g} seconds" if wait is not None else "in a little while"
        return RateLimitedError(
            f"BigCommerce's rate limit for this store is used up (HTTP 429); retry {when}.",
            retry_after=wait,
        )
    if status >= 500:
        return UnavailableError(f"BigCommerce is unavailable (HTTP {status}); retry later.{quoted}", status_code=status)
    return BadRequestError(f"BigCommerce rejected the request (HTTP {status}).{quoted}", status_code=status)


def retry_after(headers: httpx.Headers) -> float | None:
    """How long a 429's headers ask to wait, in seconds; `None` when they do not say."""
    waits: list[float] = []
    for name, scale in (("X-Rate-Limit-Time-Reset-Ms", 1000.0), ("X-Retry-After", 1.0)):
        value = header_number(headers.get(name))
        if value is not None and value >= 0:
            waits.append(min(value / scale, MAX_RESET_SECONDS))
    # BigCommerce: when both are present, honour the longer wait.
    return round(max(waits), 3) if waits else None


def error_detail(body: bytes, clean: Callable[[str], str]) -> str:
    """The message from a v2 error array, a v3 problem object, or nothing; cleaned before it is cut short."""
    try:
        text = clean(" ".join(" ".join(_error_parts(read_json(body))).split()))
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
