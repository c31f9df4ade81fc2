"""Progress of a long tool call, sent to the client that asked for it (MCP progress notifications).

The server layer sets the reporter for the length of one call (`reporting`); a tool calls `report_progress`,
which does nothing when no reporter is set or the client asked for no progress.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["Reporter", "report_progress", "reporting"]

Reporter = Callable[[float, float | None, str | None], Awaitable[None]]
"""`(progress, total, message)`, as the SDK's `Context.report_progress` takes them."""

logger = logging.getLogger("bigcommerce_orders_mcp")

# A context variable rather than a handler argument: the tools' signature stays `(args, client)`, and the tasks a
# tool starts inherit the reporter of the call they serve.
_reporter: ContextVar[Reporter | None] = ContextVar("bigcommerce_orders_mcp_progress", default=None)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Within this block, `report_progress` goes to `reporter`."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


async def report_progress(done: float, total: float | None, message: str | None = None) -> None:
    """Tell the client how far the call has got; a client that cannot be told does not fail the call."""
    reporter = _reporter.get()
    if reporter is None:
        return
    try:
        await reporter(done, total, message)
    except Exception:
        logger.debug("a progress notification could not be sent", exc_info=True)
