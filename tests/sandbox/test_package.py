"""The demo store's public surface is what was meant."""

from __future__ import annotations

import bigcommerce_orders_mcp.sandbox as sandbox


def test_the_public_surface() -> None:
    assert sorted(sandbox.__all__) == sorted(
        [
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
    )
    assert all(hasattr(sandbox, name) for name in sandbox.__all__)
