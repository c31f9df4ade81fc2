"""Local quota pacing: requests slow down before the store's quota runs out."""

from __future__ import annotations

import pytest
import respx

from bigcommerce_orders_mcp.client import BigCommerceClient
from tests.conftest import FakeTime

pytestmark = pytest.mark.anyio


async def test_slows_down_before_the_quota_runs_out(
    api: respx.MockRouter, bc_client: BigCommerceClient, fake_time: FakeTime
) -> None:
    quota = {"X-Rate-Limit-Requests-Quota": "150", "X-Rate-Limit-Time-Reset-Ms": "10000"}
    api.get("/plenty").respond(json={}, headers={**quota, "X-Rate-Limit-Requests-Left": "100"})
    api.get("/low").respond(json={}, headers={**quota, "X-Rate-Limit-Requests-Left": "3"})
    await bc_client.get("/plenty")
    await bc_client.get("/plenty")
    assert fake_time.sleeps == []
    await bc_client.get("/low")
    await bc_client.get("/low")
    # 3 left in the window: the 10 s that remain are spread over them instead of spending them at once.
    assert fake_time.sleeps == [pytest.approx(10 / 4)]
