"""Response shapes and the rate-limit counter shared by the sandbox app and its fault controller."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

__all__ = [
    "STATUS_CODES_URL",
    "JSONResponse",
    "RateLimiter",
    "listing",
    "missing_scope",
    "unauthorized",
    "v2_error",
    "v3_error",
]

STATUS_CODES_URL = "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes"


class JSONResponse(Response):
    """Compact UTF-8 JSON, non-ASCII kept as is (what BigCommerce sends)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def listing(items: list[Any]) -> Response:
    """A v2 list: a bare JSON array, or 204 with no body (and no Content-Type) when it is empty."""
    return JSONResponse(items) if items else Response(status_code=204)


def v2_error(status: int, message: str) -> JSONResponse:
    """The v2 error shape: a JSON array of ``{status, message}``."""
    return JSONResponse([{"status": status, "message": message}], status_code=status)


def v3_error(status: int, title: str, errors: dict[str, str] | None = None) -> JSONResponse:
    """The v3 problem shape ``{status, title, type, errors}``, which the gateway uses on 401/403 even for v2."""
    body = {"status": status, "title": title, "type": STATUS_CODES_URL, "errors": errors or {}}
    return JSONResponse(body, status_code=status)


def unauthorized() -> JSONResponse:
    """What a missing or wrong ``X-Auth-Token`` gets."""
    return v3_error(401, "Unauthorized")


def missing_scope() -> JSONResponse:
    """What a token without the needed scope (or used against another store's hash) gets."""
    return v3_error(403, "You don't have a required scope to access the endpoint")


KEPT_WINDOWS = 1000


@dataclass
class RateLimiter:
    """Per-app request quota that refills every window, reported the way BigCommerce reports it."""

    quota: int = 150
    window_ms: int = 30_000
    clock: Callable[[], float] = time.monotonic
    _window_start: float | None = field(default=None, init=False)
    _left: int = field(default=0, init=False)
    windows: list[dict[str, int]] = field(default_factory=list, init=False)
    """Requests each window saw, latest last (at most `KEPT_WINDOWS`): answered within the quota, and refused."""

    def hit(self) -> dict[str, str]:
        """Count one request and return the rate-limit headers for its response."""
        return self.take()[1]

    def take(self) -> tuple[bool, dict[str, str]]:
        """Count one request; return whether the quota still covered it, and its rate-limit headers."""
        now = self.clock()
        if self._window_start is None or (now - self._window_start) * 1000 >= self.window_ms:
            self._window_start = now
            self._left = self.quota
            self.windows = [*self.windows[-(KEPT_WINDOWS - 1) :], {"answered": 0, "refused": 0}]
        allowed = self._left > 0
        self.windows[-1]["answered" if allowed else "refused"] += 1
        self._left = max(self._left - 1, 0)
        elapsed_ms = (now - self._window_start) * 1000
        # Rounded up, so a client that waits exactly this long finds a fresh window.
        reset_ms = max(math.ceil(round(self.window_ms - elapsed_ms, 6)), 0)
        return allowed, {
            "X-Rate-Limit-Time-Window-Ms": str(self.window_ms),
            "X-Rate-Limit-Time-Reset-Ms": str(reset_ms),
            "X-Rate-Limit-Requests-Quota": str(self.quota),
            "X-Rate-Limit-Requests-Left": str(self._left),
        }
