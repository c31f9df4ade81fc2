"""A fake BigCommerce store speaking the Orders v2 REST API, for ``--demo`` and end-to-end tests."""

from __future__ import annotations

from server.sandbox.app import create_app
from server.sandbox.data import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, build_store
from server.sandbox.faults import FaultError, Faults
from server.sandbox.serve import sandbox_server, serve

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
