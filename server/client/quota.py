"""Quota pacing: what the `X-Rate-Limit-*` headers say, the local pacer, and the `Pacer` protocol every pacer keeps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bigcommerce_orders_mcp.client.decoding import header_number

if TYPE_CHECKING:
    import httpx

# BigCommerce's quota windows are 30 s; a reset or retry-after beyond twice that is a broken header.
MAX_RESET_SECONDS = 60.0

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class QuotaHeaders:
    """What a response's `X-Rate-Limit-*` headers say, each number made sane (absurd ones are dropped)."""

    left: int
    reset: float  # seconds until the window resets, at most MAX_RESET_SECONDS
    quota: int | None
    window: float | None  # seconds

    @classmethod
    def read(cls, headers: httpx.Headers) -> QuotaHeaders | None:
        """The headers' numbers; `None` without a count of requests left and a time to the reset."""
        left = header_number(headers.get("X-Rate-Limit-Requests-Left"))
        reset_ms = header_number(headers.get("X-Rate-Limit-Time-Reset-Ms"))
        if left is None or reset_ms is None or reset_ms < 0:
            return None
        quota = header_number(headers.get("X-Rate-Limit-Requests-Quota"))
        window_ms = header_number(headers.get("X-Rate-Limit-Time-Window-Ms"))
        return cls(
            left=max(0, int(left)),
            reset=min(reset_ms / 1000, MAX_RESET_SECONDS),
            quota=int(quota) if quota and quota > 0 else None,
            window=min(window_ms / 1000, MAX_RESET_SECONDS) if window_ms and window_ms > 0 else None,
        )


class Pacer(Protocol):
    """Where a client keeps its store's quota: `LocalQuota` in this process, or `SharedQuota` across replicas."""

    def spend(self) -> None:
        """A request is going out now."""

    async def acquire(self, time_left: float, sleep: Sleep) -> float | None:
        """Wait until the next request may go; the wait instead, when it is longer than `time_left`."""

    async def observe(self, headers: httpx.Headers) -> None:
        """A response came back: take in what its quota headers say."""

    async def back_off(self, seconds: float) -> None:
        """A 429 said to wait `seconds` before the store is asked again."""


class LocalQuota:
    """The store's request quota as the last response reported it, spent locally between responses."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.left: int | None = None
        self.quota: int | None = None
        self.reset_at = 0.0

    def update(self, headers: httpx.Headers) -> None:
        """Take the quota from a response's headers, when they report one."""
        reported = QuotaHeaders.read(headers)
        if reported is None:
            return
        self.left = reported.left
        self.quota = reported.quota or self.quota
        self.reset_at = self._clock() + reported.reset

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

    async def acquire(self, time_left: float, sleep: Sleep) -> float | None:
        """Wait until the next request may go; the wait instead, when it is longer than `time_left`."""
        pause = self.delay()
        if pause > 0 and pause > time_left:
            # Sleeping out the budget would only end in a 429.
            return pause
        if pause > 0:
            await sleep(pause)
        return None

    async def observe(self, headers: httpx.Headers) -> None:
        self.update(headers)

    async def back_off(self, seconds: float) -> None:
        """A 429 said to wait `seconds`; this process's own retry waits them, so there is nothing to share."""
