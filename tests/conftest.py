from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import respx

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from tests import processes

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than the machine has CPUs. End-to-end tests spend much of their time waiting
    for the processes they start, and the extra worker runs other tests meanwhile."""
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) + 1


API = "https://api.bigcommerce.com/stores/abc123/v2"
TOKEN = "tok-SECRET-4f9c2a"
TOOL_NAMES = {
    "get_order",
    "list_order_messages",
    "list_orders",
    "list_order_shipments",
    "list_order_refunds",
    "list_order_transactions",
    "count_orders",
    "summarize_orders",
}
E2E_STORE = "e2estore"
E2E_TOKEN = "e2e-SECRET-token-93af"  # shaped like a secret: no log may show it


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


class FakeTime:
    """A clock that only moves when the client sleeps, so retry tests take no time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def bc_client(fake_time: FakeTime) -> BigCommerceClient:
    return BigCommerceClient(API, TOKEN, timeout=5, sleep=fake_time.sleep, clock=fake_time.clock)


@pytest.fixture
async def mcp_client(bc_client: BigCommerceClient) -> AsyncIterator[Any]:
    from mcp import Client

    async with Client(build_server(bc_client)) as client:
        yield client


MB = 1024 * 1024


def small(fake_time: FakeTime | None = None, **options: Any) -> BigCommerceClient:
    """A client with a 1 MB body cap; fake time unless the test measures real deadlines."""
    timing: dict[str, Any] = {"sleep": fake_time.sleep, "clock": fake_time.clock} if fake_time else {}
    return BigCommerceClient(API, TOKEN, **{"timeout": 5, "max_body_bytes": MB, **timing, **options})


# The access token echoed back by an upstream in error bodies.
ECHOES = [
    [{"status": 400, "message": f"X-Auth-Token {TOKEN} is not valid for this store"}],
    {"status": 403, "title": f"Token {TOKEN} lacks a scope", "errors": {"token": TOKEN}},
    {"title": "x" * 290 + TOKEN},  # across the 300-character cut: no piece of it may survive
]


# Processes shared by the end-to-end modules: each costs about half a second to start.


@pytest.fixture(scope="session")
def sandbox_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[processes.SandboxStore]:
    """The sandbox store as a process on loopback, with its fault switch; a test that sets a fault clears it."""
    log = tmp_path_factory.mktemp("sandbox") / "sandbox.log"
    with processes.sandbox(log, "--faults", "--quota", "5000", store_hash=E2E_STORE, token=E2E_TOKEN) as store:
        yield store


@pytest.fixture(scope="session")
def demo_http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[processes.Listening]:
    """`bigcommerce-orders-mcp --demo` over streamable HTTP, for tests that need any server to talk to."""
    log = tmp_path_factory.mktemp("demo-http") / "server.log"
    with processes.listening_all(processes.mcp_http("streamable-http", log, "--demo")) as (server,):
        yield server


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``redis-server`` on loopback, shared by the tests of the shared quota; each uses its own keys."""
    with processes.redis_server(tmp_path_factory.mktemp("redis") / "redis.log") as url:
        yield url
