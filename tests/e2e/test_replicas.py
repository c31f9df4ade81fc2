"""Replicas behind a load balancer: two `--stateless` servers behind a round-robin proxy, in front of a sandbox
store with a small quota, driven by clients of both protocol generations at once.

Two pairs run side by side, each with its own sandbox store: one pair shares the store's quota through a real
Redis, the other paces each replica on its own. The sandbox counts what each quota window saw. Every replica
runs the README's "Run it for a team" command with its settings, pointed at the sandbox store and port 0.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.conftest import TOOL_NAMES
from tests.e2e.test_faults import faults
from tests.processes import REPO, SCRIPT, Command, SandboxStore, base_env, listening_all, redis_server, sandbox
from tests.round_robin import round_robin

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

QUOTA = 10  # requests per window, the sandbox store's
WINDOW_MS = 1000
CLIENTS = 6  # half legacy (the initialize handshake), half 2026-07-28
CALLS = 8  # each, at once: 48 requests to a store that allows 10 a second
HANDFUL = 5  # 429s allowed with Redis: requests in flight when a window turns may count in the next one
# Without Redis each replica spends the quota as if alone: at least this many 429s. 48 requests at once keep
# the two far apart even when a busy machine slows the clients down (24 did not: the pair alone then raced less).
LONE_AT_LEAST = 3 * HANDFUL
AUTH = "replicas-bearer-SECRET-77d1"
ORDERS = (218, 181, 247, 243)


@dataclass(frozen=True)
class TeamSetup:
    """The README's "Run it for a team": every replica's settings and command, and the probes' paths."""

    settings: dict[str, str]
    argv: list[str]
    probes: list[str]

    @classmethod
    def from_readme(cls) -> TeamSetup:
        text = (REPO / "README.md").read_text(encoding="utf-8")
        section = text.split("\n## Run it for a team\n", 1)[1].split("\n## ", 1)[0]
        serve, probe = re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)
        settings: dict[str, str] = {}
        argv: list[str] = []
        for line in serve.splitlines():
            words = shlex.split(line)
            if words[0] == "export":
                for word in words[1:]:
                    name, _, value = word.partition("=")
                    settings[name] = value
            else:
                argv = words
        probes = [urlsplit(shlex.split(line, comments=True)[-1]).path for line in probe.splitlines()]
        return cls(settings, argv, probes)

    def command(self, log: Path, store: SandboxStore, redis: str | None) -> Command:
        """The replica command, run here: the store's settings, `redis` (or none), port 0, this venv's script."""
        ours = {
            "BIGCOMMERCE_STORE_HASH": store.store_hash,
            "BIGCOMMERCE_ACCESS_TOKEN": store.token,
            "BIGCOMMERCE_MCP_AUTH_TOKEN": AUTH,
            "BIGCOMMERCE_REDIS_URL": redis,
        }
        assert set(ours) <= set(self.settings), self.settings  # the README still sets every one of these
        settings = {**self.settings, **ours, "BIGCOMMERCE_API_URL": store.url}
        env = base_env(**{name: value for name, value in settings.items() if value is not None})
        script, *args = self.argv
        assert script == ".venv/bin/bigcommerce-orders-mcp", self.argv
        assert args[args.index("--port") + 1] == "8000", self.argv
        args[args.index("--port") + 1] = "0"
        return Command([SCRIPT, *args], log, env)


TEAM = TeamSetup.from_readme()


@dataclass(frozen=True)
class Pair:
    """Two replicas behind one proxy, and the sandbox store they share."""

    proxy: str  # the MCP endpoint through the proxy
    replicas: list[str]  # each replica's root
    store: SandboxStore
    logs: list[Path]


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Pair]]:
    with replica_pairs(tmp_path_factory.mktemp("replicas")) as started:
        yield started


@contextmanager
def replica_pairs(logs: Path) -> Iterator[dict[str, Pair]]:
    """Two pairs: "redis", replicas sharing the quota through Redis; "alone", replicas each pacing itself."""
    with (
        redis_server(logs / "redis.log") as redis,
        sandbox(logs / "store-redis.log", "--faults") as shared_store,
        sandbox(logs / "store-alone.log", "--faults") as lone_store,
    ):
        stores = {"redis": shared_store, "alone": lone_store}
        commands: list[Command] = []
        for name, store in stores.items():
            shared = redis if name == "redis" else None
            commands += [TEAM.command(logs / f"{name}-{n}.log", store, shared) for n in (1, 2)]
        with listening_all(*commands) as servers:
            roots = [server.url.removesuffix("/mcp") for server in servers]
            with round_robin(roots[:2]) as shared_proxy, round_robin(roots[2:]) as lone_proxy:
                yield {
                    "redis": Pair(f"{shared_proxy}/mcp", roots[:2], shared_store, [s.log for s in servers[:2]]),
                    "alone": Pair(f"{lone_proxy}/mcp", roots[2:], lone_store, [s.log for s in servers[2:]]),
                }


@asynccontextmanager
async def client(url: str, mode: str) -> AsyncIterator[Client]:
    # A client passed in stays the caller's to close.
    async with (
        create_mcp_http_client(headers={"Authorization": f"Bearer {AUTH}"}) as http,
        Client(streamable_http_client(url, http_client=http), mode=mode) as session,
    ):
        yield session


async def burst(
    pair: Pair, clients: int = CLIENTS, calls: int = CALLS, quota: int = QUOTA
) -> tuple[list[bool], list[dict[str, int]]]:
    """Every client's calls at once through the proxy: whether each answered, and what each quota window saw."""
    await faults(pair.store, "PUT", mode="quota", quota=quota, window_ms=WINDOW_MS)
    answered: list[bool] = []

    async def one(mode: str) -> None:
        async def call(session: Client, order_id: int) -> None:
            result = await session.call_tool("get_order", {"order_id": order_id})
            answered.append(not result.is_error and (result.structured_content or {}).get("id") == order_id)

        async with client(pair.proxy, mode) as session, anyio.create_task_group() as group:
            for n in range(calls):
                group.start_soon(call, session, ORDERS[n % len(ORDERS)])

    try:
        with anyio.fail_after(120):
            async with anyio.create_task_group() as group:
                for n in range(clients):
                    group.start_soon(one, "legacy" if n % 2 else "2026-07-28")
        windows: list[dict[str, int]] = (await faults(pair.store))["windows"]
    finally:
        await faults(pair.store, "DELETE")
    return answered, windows


async def test_redis_keeps_two_replicas_within_the_store_quota(pairs: dict[str, Pair]) -> None:
    results: dict[str, tuple[list[bool], list[dict[str, int]]]] = {}

    async def run(name: str) -> None:
        results[name] = await burst(pairs[name])

    async with anyio.create_task_group() as group:
        for name in pairs:
            group.start_soon(run, name)

    answered, windows = results["redis"]
    assert answered == [True] * CLIENTS * CALLS
    refused = sum(window["refused"] for window in windows)
    # A replica that lost Redis for a while says so in its log: that is the first thing to read when these fail.
    said = (windows, _warnings(pairs["redis"]))
    assert refused <= HANDFUL, said
    assert all(window["answered"] + window["refused"] <= QUOTA + HANDFUL for window in windows), said

    # Without Redis each replica spends the quota as if it were alone: the store sees more than it allows.
    _, lone_windows = results["alone"]
    lone_refused = sum(window["refused"] for window in lone_windows)
    assert lone_refused >= LONE_AT_LEAST, lone_windows
    assert max(window["answered"] + window["refused"] for window in lone_windows) > QUOTA, lone_windows
    print(f"429s with Redis: {refused} {windows}; without: {lone_refused} {lone_windows}")

    for pair in pairs.values():
        for log in pair.logs:
            text = log.read_text()
            assert pair.store.token not in text
            assert AUTH not in text
            # The README's BIGCOMMERCE_LOG_FORMAT=json: every line an object, one per tool call among them.
            records = [json.loads(line) for line in text.splitlines()]
            calls = [record for record in records if record["logger"] == "bigcommerce_orders_mcp.calls"]
            assert calls, text
            assert {(call["tool"], call["store"]) for call in calls} == {("get_order", "default")}


def _warnings(pair: Pair) -> list[str]:
    lines = [line for log in pair.logs for line in log.read_text().splitlines()]
    return [line[:300] for line in lines if '"level":"WARNING"' in line or '"level":"ERROR"' in line][:10]


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_every_feature_works_through_the_proxy_without_sessions(pairs: dict[str, Pair], mode: str) -> None:
    # Each request lands on the other replica than the one before: no session could survive that.
    async with client(pairs["redis"].proxy, mode) as session:
        for _ in range(2):
            tools = await session.list_tools()
            assert {tool.name for tool in tools.tools} == TOOL_NAMES
            result = await session.call_tool("get_order", {"order_id": 218})
            assert not result.is_error
            resource = await session.read_resource("bigcommerce://orders/218")
            assert '"id":218' in resource.contents[0].text  # type: ignore[union-attr]
            prompts = (await session.list_prompts()).prompts
            prompt = await session.get_prompt(prompts[0].name, {"order_id": "218"})
            assert "218" in str(prompt.messages[0].content)


async def test_health_and_readiness_need_no_token_and_say_nothing_more(pairs: dict[str, Pair]) -> None:
    assert TEAM.probes == ["/healthz", "/readyz"]  # what the README tells a load balancer to check
    async with httpx.AsyncClient(timeout=10) as http:
        for root in pairs["redis"].replicas:
            health = await http.get(f"{root}{TEAM.probes[0]}")
            ready = await http.get(f"{root}{TEAM.probes[1]}")
            assert (health.status_code, health.json()) == (200, {"status": "ok"})
            assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
            assert (await http.post(f"{root}/mcp", json={})).status_code == 401  # the rest still needs it
