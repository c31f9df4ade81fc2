"""The stores a server answers for, one from the environment or several from a stores file, and where they are built."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bigcommerce_orders_mcp.client import BigCommerceClient, RetryPolicy
from bigcommerce_orders_mcp.settings import (
    DEFAULT_NAME,
    DEFAULT_SUMMARY_MAX_ORDERS,
    Settings,
    SettingsError,
    store_configs,
    variable,
)

if TYPE_CHECKING:
    import httpx

    from bigcommerce_orders_mcp.client.shared_quota import SharedBudget

__all__ = ["DEFAULT_NAME", "DEMO_QUOTA", "Stores", "build_stores", "demo_client"]

# The demo is about orders, not rate limits: a quota a conversation never reaches.
DEMO_QUOTA = 100_000


@dataclass(frozen=True)
class Stores:
    """Named clients, in the order configured; `default` answers when a call names no store.

    `shared_budget` is the one link to Redis (BIGCOMMERCE_REDIS_URL) whose pacers the clients were given.
    """

    clients: Mapping[str, BigCommerceClient]
    default: str | None = None
    shared_budget: SharedBudget | None = None
    summary_max_orders: int = DEFAULT_SUMMARY_MAX_ORDERS
    """How many orders summarize_orders reads in one call (BIGCOMMERCE_SUMMARY_MAX_ORDERS)."""

    @classmethod
    def single(
        cls, client: BigCommerceClient, name: str = DEFAULT_NAME, *, summary_max_orders: int | None = None
    ) -> Stores:
        return cls({name: client}, name, summary_max_orders=summary_max_orders or DEFAULT_SUMMARY_MAX_ORDERS)

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


def _client_options(settings: Settings) -> dict[str, Any]:
    return {
        "timeout": settings.timeout,
        "retry": RetryPolicy(max_retries=settings.max_retries, budget=settings.retry_budget),
        "max_concurrency": settings.max_concurrency,
        "redact_pii": settings.redact_pii,
    }


def build_stores(settings: Settings, *, demo: bool = False) -> Stores:
    """The stores the settings name, each with its client, and the one shared budget when Redis is configured.

    The composition root of the process: nothing else builds clients or links to Redis.
    """
    if demo or settings.demo:
        return Stores.single(demo_client(settings), "sandbox", summary_max_orders=settings.summary_max_orders)
    configs, default = store_configs(settings)
    shared = None
    if settings.redis_url is not None:
        # Imported only with a Redis URL: the redis package is the largest import a server without it would pay.
        from bigcommerce_orders_mcp.client.shared_quota import SharedBudget

        # One link to Redis for the process; `Stores.session()` opens and closes it.
        try:
            shared = SharedBudget(settings.redis_url.get_secret_value())
        except ValueError as exc:
            raise SettingsError(f"{variable('redis_url')} cannot be used: {exc}") from None
    clients = {
        config.name: BigCommerceClient(
            config.base_url,
            config.access_token.get_secret_value(),
            pacer=shared.pacer(config.store_hash) if shared is not None else None,
            **_client_options(settings),
        )
        for config in configs
    }
    return Stores(clients, default, shared, settings.summary_max_orders)


def demo_client(settings: Settings) -> BigCommerceClient:
    """A client of the built-in sandbox store, served in this process over an ASGI transport."""

    def sandbox_transport() -> httpx.AsyncBaseTransport:
        # Built on the first call, so starting the demo server costs no more than starting the real one.
        import httpx

        from bigcommerce_orders_mcp.sandbox import RateLimiter, create_app

        return httpx.ASGITransport(app=create_app(rate_limiter=RateLimiter(quota=DEMO_QUOTA)))

    return BigCommerceClient(
        "http://sandbox.invalid/stores/sandbox/v2",
        "sandbox-token",
        transport=sandbox_transport,
        **_client_options(settings),
    )
