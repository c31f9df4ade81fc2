"""The BigCommerce client: HTTP, retries, quota and errors; it knows nothing of MCP or of tools."""

from bigcommerce_orders_mcp.client.client import USER_AGENT, BigCommerceClient
from bigcommerce_orders_mcp.client.errors import (
    AuthenticationError,
    BadRequestError,
    BigCommerceError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UnavailableError,
    seconds,
)
from bigcommerce_orders_mcp.client.quota import MAX_RESET_SECONDS, LocalQuota, Pacer, QuotaHeaders
from bigcommerce_orders_mcp.client.retry import RetryPolicy
from bigcommerce_orders_mcp.client.secrets import forget, holds_secret, register, registered, scrub, scrub_data
from bigcommerce_orders_mcp.client.telemetry import CALLS, Exchanges, recording

__all__ = [
    "CALLS",
    "MAX_RESET_SECONDS",
    "USER_AGENT",
    "AuthenticationError",
    "BadRequestError",
    "BigCommerceClient",
    "BigCommerceError",
    "Exchanges",
    "InvalidResponseError",
    "LocalQuota",
    "NotFoundError",
    "Pacer",
    "PermissionDeniedError",
    "QuotaHeaders",
    "RateLimitedError",
    "RetryPolicy",
    "UnavailableError",
    "forget",
    "holds_secret",
    "recording",
    "register",
    "registered",
    "scrub",
    "scrub_data",
    "seconds",
]
