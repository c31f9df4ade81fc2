from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import respx

from server.app import build_server
from server.client import BigCommerceClient

FIXTURES = Path(__file__).parent / "fixtures"
API = "https://api.bigcommerce.com/stores/abc123/v2"
TOKEN = "tok-SECRET-4f9c2a"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


@pytest.fixture
def bc_client() -> BigCommerceClient:
    return BigCommerceClient(API, TOKEN, timeout=5)


@pytest.fixture
async def mcp_client(bc_client: BigCommerceClient) -> AsyncIterator[Any]:
    from mcp import Client

    async with Client(build_server(bc_client)) as client:
        yield client
