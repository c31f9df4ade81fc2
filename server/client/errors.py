"""Errors raised when BigCommerce cannot give us what we asked for.

Each message is one sentence a model can act on; none carries the access token.

    BigCommerceError
    ├── AuthenticationError      401: the token is missing, invalid or revoked
    ├── PermissionDeniedError    403: missing scope, or a wrong store hash
    ├── NotFoundError            404: the resource does not exist
    ├── BadRequestError          400, 406, 413, 422 and other 4xx: BigCommerce refused the request
    ├── RateLimitedError         429: the store's API quota is used up for now
    ├── UnavailableError         5xx, timeouts and network failures: try again later
    └── InvalidResponseError     a body that is not what its status claims
"""

from __future__ import annotations


class BigCommerceError(Exception):
    """Base class: BigCommerce did not give a usable answer."""

    kind = "error"

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class AuthenticationError(BigCommerceError):
    """401: the access token was refused."""

    kind = "unauthorized"


class PermissionDeniedError(BigCommerceError):
    """403: the token lacks the orders scope, or the store hash is wrong."""

    kind = "forbidden"


class NotFoundError(BigCommerceError):
    """404: the requested resource does not exist in this store."""

    kind = "not_found"


class BadRequestError(BigCommerceError):
    """BigCommerce rejected the request itself (400 and other client errors)."""

    kind = "bad_request"


class RateLimitedError(BigCommerceError):
    """429: the store's request quota is spent until the window resets."""

    kind = "rate_limited"

    def __init__(self, message: str, *, retry_after: float | None) -> None:
        super().__init__(message, status_code=429)
        self.retry_after = retry_after


class UnavailableError(BigCommerceError):
    """BigCommerce is down, slow or unreachable; the same call may work later."""

    kind = "unavailable"


class InvalidResponseError(BigCommerceError):
    """BigCommerce answered with a body we cannot read."""

    kind = "invalid_response"


def seconds(seconds: float) -> str:
    """A duration as an error's sentence says it: `1 second`, `2.5 seconds`."""
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"
