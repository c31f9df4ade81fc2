"""The BigCommerce client: HTTP, retries, quota and errors; it knows nothing of MCP or of tools."""

from bigcommerce_orders_mcp.client.core import (
    CALLS,
    MAX_RESET_SECONDS,
    USER_AGENT,
    BigCommerceClient,
    Exchanges,
    LocalQuota,
    Pacer,
    QuotaHeaders,
    RetryPolicy,
    recording,
    seconds,
)
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
from bigcommerce_orders_mcp.client.secrets import register, registered, scrub

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
    "recording",
    "register",
    "registered",
    "scrub",
    "seconds",
]
