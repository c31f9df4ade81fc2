"""A fake BigCommerce store speaking the Orders v2 REST API, for ``--demo`` and end-to-end tests."""

from __future__ import annotations

from bigcommerce_orders_mcp.sandbox.app import create_app
from bigcommerce_orders_mcp.sandbox.data import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, build_store
from bigcommerce_orders_mcp.sandbox.faults import FaultError, Faults
from bigcommerce_orders_mcp.sandbox.serve import sandbox_server, serve

__all__ = [
    "SANDBOX_ACCESS_TOKEN",
    "SANDBOX_STORE_HASH",
    "FaultError",
    "Faults",
    "build_store",
    "create_app",
    "sandbox_server",
    "serve",
]
