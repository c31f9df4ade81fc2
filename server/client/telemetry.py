"""Per-call telemetry: the requests one tool call made (`recording`), and one DEBUG record for each request."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import TracebackType

from bigcommerce_orders_mcp.client.secrets import install

logger = logging.getLogger("bigcommerce_orders_mcp")
install(logger)

# The logger of the one record each tool call leaves (written by the server, which knows the call).
CALLS = "bigcommerce_orders_mcp.calls"


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


def safe_path(path: str) -> str:
    """A request's path for a log line: never its query, which may hold an e-mail."""
    return path.split("?")[0]


class RequestTrace:
    """One request's telemetry: counted for the call that is `recording`, and logged at DEBUG when it ends.

    `status` is set once the response's status line arrives; it stays `None` for a request never answered.
    """

    __slots__ = ("_exchanges", "_path", "_started", "status")

    def __init__(self, path: str) -> None:
        self._path = path
        self._exchanges = _exchanges.get()
        self._started = time.perf_counter() if logger.isEnabledFor(logging.DEBUG) else None
        self.status: int | None = None

    def __enter__(self) -> RequestTrace:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        exchanges = self._exchanges
        if exchanges is not None:
            exchanges.requests += 1
            if self.status is not None:
                exchanges.statuses.append(self.status)
        if self._started is not None:
            self._log(self._started)

    def _log(self, started: float) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        store = self._exchanges.store if self._exchanges is not None else None
        path, status = safe_path(self._path), self.status
        logger.debug(
            "GET %s: %s in %.1f ms",
            path,
            f"HTTP {status}" if status is not None else "no answer",
            duration_ms,
            extra={"store": store, "method": "GET", "path": path, "status": status, "duration_ms": duration_ms},
        )
