"""The stores a server answers for: one from the environment, or several named in a stores file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bigcommerce_orders_mcp.client import BigCommerceClient
    from bigcommerce_orders_mcp.client.shared_quota import SharedBudget

__all__ = ["DEFAULT_NAME", "Stores"]

DEFAULT_NAME = "default"


@dataclass(frozen=True)
class Stores:
    """Named clients, in the order configured; `default` answers when a call names no store.

    `shared_budget` is the one link to Redis (BIGCOMMERCE_REDIS_URL) whose pacers the clients were given.
    """

    clients: Mapping[str, BigCommerceClient]
    default: str | None = None
    shared_budget: SharedBudget | None = None

    @classmethod
    def single(cls, client: BigCommerceClient, name: str = DEFAULT_NAME) -> Stores:
        return cls({name: client}, name)

    def __post_init__(self) -> None:
        if not self.clients:
            raise ValueError("at least one store is needed")
        if self.default is not None and self.default not in self.clients:
            raise ValueError(f"default store {self.default!r} is not one of {list(self.clients)}")

    @property
    def names(self) -> list[str]:
        return list(self.clients)

    @property
    def multiple(self) -> bool:
        return len(self.clients) > 1

    @property
    def fallback(self) -> str | None:
        """The store used when none is named: the only one, or the configured default."""
        return self.names[0] if not self.multiple else self.default

    @asynccontextmanager
    async def session(self) -> AsyncIterator[Stores]:
        """Keep every store's connection pool, and the shared budget's link to Redis, open for the duration."""
        async with AsyncExitStack() as stack:
            if self.shared_budget is not None:
                await stack.enter_async_context(self.shared_budget.session())
            for client in self.clients.values():
                await stack.enter_async_context(client.session())
            yield self
