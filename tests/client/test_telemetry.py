"""Telemetry: the DEBUG record of each request never carries the token."""

from __future__ import annotations

import logging

import pytest
import respx

from bigcommerce_orders_mcp.client import BigCommerceClient
from tests.conftest import TOKEN

pytestmark = pytest.mark.anyio


async def test_token_is_not_logged(
    api: respx.MockRouter, bc_client: BigCommerceClient, caplog: pytest.LogCaptureFixture
) -> None:
    api.get("/orders/1").respond(json={"id": 1})
    with caplog.at_level(logging.DEBUG):
        await bc_client.get("/orders/1")
    assert TOKEN not in caplog.text
