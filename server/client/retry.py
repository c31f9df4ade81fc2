"""Retry policy: what is retried, how long to wait between tries, and the error once tries are spent."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bigcommerce_orders_mcp.client.errors import BigCommerceError, RateLimitedError, UnavailableError
from bigcommerce_orders_mcp.client.quota import MAX_RESET_SECONDS, Pacer, Sleep
from bigcommerce_orders_mcp.client.status import RETRYABLE, retry_after

if TYPE_CHECKING:
    from bigcommerce_orders_mcp.client.transport import BoundedResponse

logger = logging.getLogger("bigcommerce_orders_mcp")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard a call tries: bounded retries, exponential back-off with jitter, a total time budget."""

    max_retries: int = 3
    budget: float = 30.0
    base_delay: float = 0.5
    max_delay: float = 8.0

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential back-off for the `attempt`-th retry (0-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2**attempt)
        return random.uniform(ceiling / 2, ceiling)


@dataclass(frozen=True)
class Attempts:
    """One request tried until it is answered for good: paced, and retried after 429s, 5xx and failures to reach."""

    policy: RetryPolicy
    pacer: Pacer
    clock: Callable[[], float]
    sleep: Sleep

    async def run(
        self,
        send: Callable[[], Awaitable[BoundedResponse]],
        error_for: Callable[[BoundedResponse], BigCommerceError],
        *,
        label: str,
        clean: Callable[[str], str],
    ) -> BoundedResponse:
        """The first response not worth retrying; the final error once the retries or the budget are spent."""
        deadline = self.clock() + self.policy.budget
        attempt = 0
        while True:
            await self._take_quota(deadline - self.clock())
            try:
                response = await send()
            except UnavailableError as exc:
                error: BigCommerceError = exc
                wait = self.policy.backoff(attempt)
            else:
                if response.status == 429:
                    error = error_for(response)
                    wait = await self._after_rate_limit(response, attempt)
                elif response.status in RETRYABLE:
                    error = error_for(response)
                    wait = self.policy.backoff(attempt)
                else:
                    return response
            attempt += 1
            if attempt > self.policy.max_retries or wait > deadline - self.clock():
                raise final_error(error, attempt, wait)
            logger.info("retrying %s in %.2fs after: %s", label, wait, clean(error.message))
            await self.sleep(wait)

    async def _take_quota(self, time_left: float) -> None:
        """Wait for the store's quota to allow a request; fail at once when that would outlast the budget."""
        too_long = await self.pacer.acquire(time_left, self.sleep)
        if too_long is not None:
            wait = retry_seconds(too_long)
            raise RateLimitedError(
                f"BigCommerce's rate limit for this store is used up for the next {wait:g} seconds, "
                f"longer than this call may wait; retry after {wait:g} seconds.",
                retry_after=wait,
            )

    async def _after_rate_limit(self, response: BoundedResponse, attempt: int) -> float:
        """How long to wait after a 429, shared with every replica's pacer."""
        # Wait what BigCommerce asks, longer when 429s repeat; headerless 429s are platform load.
        asked = retry_after(response.headers)
        wait = max(asked or 0.0, self.policy.backoff(attempt)) + random.uniform(0, 0.1)
        await self.pacer.back_off(wait)
        return wait


def final_error(error: BigCommerceError, attempts: int, wait: float) -> BigCommerceError:
    """The error to report once retries are spent: what happened, and when a retry can succeed."""
    tried = f" (tried {attempts} times)" if attempts > 1 else ""
    if isinstance(error, RateLimitedError):
        wait = retry_seconds(max(wait, error.retry_after or 0.0))
        return RateLimitedError(
            f"BigCommerce's rate limit for this store is used up (HTTP 429){tried}; retry after {wait:g} seconds.",
            retry_after=wait,
        )
    if tried:
        error.message = error.message.rstrip(".") + tried + "."
        error.args = (error.message,)
    return error


def retry_seconds(wait: float) -> float:
    """A wait fit to tell a model: finite, at most one quota window, a tenth of a second at least."""
    return round(min(max(wait, 0.1), MAX_RESET_SECONDS), 1)
