"""The demo store: a fake BigCommerce store speaking Orders v2 and v3 over REST, for ``--demo``, tests and the bench."""

from __future__ import annotations

from bigcommerce_orders_mcp.sandbox.app import create_app
from bigcommerce_orders_mcp.sandbox.bulk import bulk_orders, bulk_refunds, bulk_store
from bigcommerce_orders_mcp.sandbox.faults import MODES, ConnectionDropped, FaultError, Faults
from bigcommerce_orders_mcp.sandbox.responses import RateLimiter
from bigcommerce_orders_mcp.sandbox.seed import build_store
from bigcommerce_orders_mcp.sandbox.serve import sandbox_server, serve
from bigcommerce_orders_mcp.sandbox.store import (
    ADDRESS_KEYS,
    CUSTOM_STATUS_LABELS,
    SANDBOX_ACCESS_TOKEN,
    SANDBOX_STORE_HASH,
    STATUS_NAMES,
    Order,
    SandboxStore,
)

__all__ = [
    "ADDRESS_KEYS",
    "CUSTOM_STATUS_LABELS",
    "MODES",
    "SANDBOX_ACCESS_TOKEN",
    "SANDBOX_STORE_HASH",
    "STATUS_NAMES",
    "ConnectionDropped",
    "FaultError",
    "Faults",
    "Order",
    "RateLimiter",
    "SandboxStore",
    "build_store",
    "bulk_orders",
    "bulk_refunds",
    "bulk_store",
    "create_app",
    "sandbox_server",
    "serve",
]
