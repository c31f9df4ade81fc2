"""A fake BigCommerce store speaking the Orders v2 REST API, for ``--demo`` and end-to-end tests."""

from __future__ import annotations

from server.sandbox.app import create_app
from server.sandbox.data import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, build_store
from server.sandbox.serve import serve

__all__ = ["SANDBOX_ACCESS_TOKEN", "SANDBOX_STORE_HASH", "build_store", "create_app", "serve"]
