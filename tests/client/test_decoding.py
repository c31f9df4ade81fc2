"""Decoding: answers without a body read as nothing."""

from __future__ import annotations

import pytest
import respx

from bigcommerce_orders_mcp.client import BigCommerceClient

pytestmark = pytest.mark.anyio


async def test_empty_answers_are_none(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    api.get("/a").respond(204)
    api.get("/b").respond(200, content=b"  ")
    assert await bc_client.get("/a") is None
    assert await bc_client.get("/b") is None
