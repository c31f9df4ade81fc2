"""Timing and memory: per-call overhead, cold start, concurrency under latency, and RSS growth."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client, ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

from bigcommerce_orders_mcp.client import USER_AGENT
from bigcommerce_orders_mcp.sandbox import build_store
from tests import processes
from tests.processes import SandboxStore

ORDER = 218
TRIVIAL = str(Path(__file__).resolve().parent / "trivial_server.py")
# Idle before each paced call: long enough for every process involved to have gone back to sleep.
PAUSE = 0.02
Call = Callable[[], Awaitable[None]]


def trivial_stdio() -> StdioServerParameters:
    """The minimal MCPServer over stdio, started the way ours is (the venv's python, a script)."""
    return StdioServerParameters(command=processes.PYTHON, args=[TRIVIAL], env={}, cwd=str(processes.REPO))


def trivial_http(log: Path) -> processes.Command:
    """The minimal MCPServer over streamable HTTP, with its sleeping tool ``nap`` for the concurrency floor and
    ``fetch`` for the overhead section."""
    argv = [processes.PYTHON, TRIVIAL, "--transport", "streamable-http", "--port", "0", "--nap", "--fetch"]
    return processes.Command(argv, log)


def ours_http(api: SandboxStore, log: Path, **settings: str) -> processes.Command:
    """Our server over streamable HTTP, pointed at the sandbox store."""
    return processes.mcp_http("streamable-http", log, env=processes.base_env(**api.settings(**settings)))


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ok(result: CallToolResult) -> None:
    if result.is_error:
        raise RuntimeError(f"tool call failed: {result.content!r}")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


async def stdio_session(stack: AsyncExitStack, params: StdioServerParameters, log: Path) -> Client:
    """A session with a server launched over stdio, its stderr appended to ``log``, open until ``stack`` closes."""
    errlog = stack.enter_context(log.open("a", encoding="utf-8"))
    return await stack.enter_async_context(Client(stdio_client(params, errlog=errlog)))


async def framework_sessions(
    stack: AsyncExitStack, *transports: AbstractAsyncContextManager[tuple[Any, Any]]
) -> list[ClientSession]:
    """Sessions as agent frameworks open them (the LangChain adapter, Pydantic AI and the like): the SDK's
    `ClientSession` over each transport, the ``initialize`` handshake, then ``tools/list``, which also gives the
    session the output schemas it validates every result against. Every transport is entered (a stdio server
    launched) before the first handshake, so the servers start side by side."""
    streams = [await stack.enter_async_context(transport) for transport in transports]
    sessions = [await stack.enter_async_context(ClientSession(read, write)) for read, write in streams]
    for session in sessions:
        await session.initialize()
        await session.list_tools()
    return sessions


async def _unvalidated(name: str, result: CallToolResult) -> None:
    """Stands in for `ClientSession.validate_tool_result`: the same call with the client's validation off."""


def _calling(session: ClientSession, name: str, arguments: dict[str, Any], *, validate: bool = True) -> Call:
    async def call() -> None:
        if not validate:
            session.validate_tool_result = _unvalidated  # type: ignore[method-assign]
        try:
            _ok(await session.call_tool(name, arguments))
        finally:
            if not validate:
                del session.validate_tool_result

    return call


async def overhead(
    api: SandboxStore,
    log_dir: Path,
    ours_url: str,
    trivial_url: str,
    rounds: int,
    block: int,
    paced_rounds: int,
    pause: float = PAUSE,
) -> dict[str, Any]:
    """What a framework sees of get_order(218): its p50/p95 through the SDK's `ClientSession` (default
    validation) over stdio and streamable HTTP, beside its two parts measured alone, a direct `httpx` GET of the
    same order and the trivial server's tool over the same transport, beside the same call with the client's
    output-schema validation off (taking turns with the validated call, in the same session), and beside the
    trivial server's ``fetch`` tool making the same GET (what the SDK allows a tool that fetches and summarises
    nothing).

    Back to back (judged): ``rounds`` rounds, each running a block of ``block`` calls of each kind in a fresh
    shuffled order, so every call follows one of its own kind, as in a framework's loop, and drift hits all kinds
    alike. Paced (info): ``paced_rounds`` rounds of one call of each kind, each after ``pause`` seconds of idle,
    as when a model's turn separates two tool calls.
    """
    headers = {"X-Auth-Token": api.token, "Accept": "application/json", "User-Agent": USER_AGENT}
    arguments = {"order_id": ORDER}
    async with AsyncExitStack() as stack:
        direct_http = await stack.enter_async_context(httpx.AsyncClient(base_url=api.v2_root, headers=headers))
        ours_params = processes.stdio(env=api.settings())
        errlog = stack.enter_context((log_dir / "framework-stdio.log").open("a", encoding="utf-8"))
        with_fetch = trivial_stdio()
        with_fetch.args.append("--fetch")
        ours_stdio, trivial_stdio_, ours_http, trivial_http = await framework_sessions(
            stack,
            stdio_client(ours_params, errlog=errlog),
            stdio_client(with_fetch, errlog=errlog),
            streamable_http_client(ours_url),
            streamable_http_client(trivial_url),
        )

        async def direct() -> None:
            response = await direct_http.get(f"/orders/{ORDER}")
            response.raise_for_status()

        fetch = {"url": f"{api.v2_root}/orders/{ORDER}", "token": api.token}
        # Each group runs as one block; a pair takes turns call by call.
        groups: dict[str, dict[str, Call]] = {
            "direct_get": {"direct_get": direct},
            "trivial_stdio": {"trivial_stdio": _calling(trivial_stdio_, "ping", {})},
            "trivial_http": {"trivial_http": _calling(trivial_http, "ping", {})},
            "fetch_stdio": {"fetch_stdio": _calling(trivial_stdio_, "fetch", fetch)},
            "fetch_http": {"fetch_http": _calling(trivial_http, "fetch", fetch)},
            "ours_stdio": {
                "ours_stdio": _calling(ours_stdio, "get_order", arguments),
                "ours_stdio_unvalidated": _calling(ours_stdio, "get_order", arguments, validate=False),
            },
            "ours_http": {
                "ours_http": _calling(ours_http, "get_order", arguments),
                "ours_http_unvalidated": _calling(ours_http, "get_order", arguments, validate=False),
            },
        }
        calls = {name: call for group in groups.values() for name, call in group.items()}
        for _ in range(block):
            for call in calls.values():
                await call()
        back_to_back: dict[str, list[float]] = {name: [] for name in calls}
        paced: dict[str, list[float]] = {name: [] for name in calls}
        by_round: list[dict[str, float]] = []
        rng = random.Random(4)
        order = list(groups)
        for _ in range(rounds):
            rng.shuffle(order)
            this_round: dict[str, list[float]] = {name: [] for name in calls}
            for group in order:
                for _ in range(block):
                    for name, call in groups[group].items():
                        this_round[name].append(await _timed(call))
            for name, samples in this_round.items():
                back_to_back[name].extend(samples)
            by_round.append({name: statistics.median(samples) for name, samples in this_round.items()})
        names = list(calls)
        for _ in range(paced_rounds):
            rng.shuffle(names)
            for name in names:
                await anyio.sleep(pause)
                paced[name].append(await _timed(calls[name]))
    out: dict[str, Any] = {
        "order_id": ORDER,
        "rounds": rounds,
        "block": block,
        "paced_rounds": paced_rounds,
        "pause_ms": _ms(pause),
    }
    for method, pooled in (("back_to_back", back_to_back), ("paced", paced)):
        stats = {
            name: {"p50_ms": _ms(percentile(s, 50)), "p95_ms": _ms(percentile(s, 95)), "n": len(s)}
            for name, s in pooled.items()
        }
        figures: dict[str, Any] = {"calls": stats}
        for transport in ("stdio", "http"):
            floor = stats["direct_get"]["p50_ms"] + stats[f"trivial_{transport}"]["p50_ms"]
            ours, bare = stats[f"ours_{transport}"]["p50_ms"], stats[f"ours_{transport}_unvalidated"]["p50_ms"]
            figures[transport] = {
                "floor_p50_ms": round(floor, 3),
                "ratio_p50": round(ours / floor, 3),
                "ratio_p95": round(stats[f"ours_{transport}"]["p95_ms"] / floor, 3),
                "overhead_unvalidated_p50_ms": round(bare - floor, 3),
                "validation_p50_ms": round(ours - bare, 3),
            }
        out[method] = figures
    # Each round's own ratio and overhead from its blocks' medians, then the median over rounds: the machine's
    # load changes between rounds (other processes come and go) but little within one, so this cancels it.
    for transport in ("stdio", "http"):
        ratios, overheads, validations, fetch_ratios, against_fetch = [], [], [], [], []
        for medians in by_round:
            floor = medians["direct_get"] + medians[f"trivial_{transport}"]
            ours, bare = medians[f"ours_{transport}"], medians[f"ours_{transport}_unvalidated"]
            ratios.append(ours / floor)
            overheads.append(bare - floor)
            validations.append(ours - bare)
            fetch_ratios.append(medians[f"fetch_{transport}"] / floor)
            against_fetch.append(ours / medians[f"fetch_{transport}"])
        out["back_to_back"][transport] |= {
            "paired_ratio_p50": round(statistics.median(ratios), 3),
            "paired_overhead_unvalidated_ms": _ms(statistics.median(overheads)),
            "paired_validation_ms": _ms(statistics.median(validations)),
            # The trivial server's `fetch` tool: the same GET, made inside a hello-world tool.
            "paired_fetch_ratio_p50": round(statistics.median(fetch_ratios), 3),
            "paired_ours_to_fetch_p50": round(statistics.median(against_fetch), 3),
        }
    return out


async def _timed(call: Call) -> float:
    start = time.perf_counter()
    await call()
    return time.perf_counter() - start


async def _time_to_tools_list(params: StdioServerParameters, log_dir: Path) -> float:
    with (log_dir / "cold-start.log").open("a", encoding="utf-8") as log:
        start = time.perf_counter()
        async with Client(stdio_client(params, errlog=log)) as client:
            await client.list_tools()
            return time.perf_counter() - start


async def cold_start(api: SandboxStore, log_dir: Path, runs: int, warmup: bool) -> dict[str, Any]:
    """Launch to first tools/list answer over stdio, alternating ours (sandbox, --demo) and the trivial server."""
    variants = {
        "ours_sandbox": processes.stdio(env=api.settings()),
        "ours_demo": processes.stdio("--demo"),
        "trivial": trivial_stdio(),
    }
    if warmup:  # fills the OS file cache and __pycache__ so the first timed run is not an outlier
        for params in variants.values():
            await _time_to_tools_list(params, log_dir)
    times: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for run in range(runs):
        for name in names[run % 3 :] + names[: run % 3]:
            times[name].append(await _time_to_tools_list(variants[name], log_dir))
    medians = {name: statistics.median(t) for name, t in times.items()}
    return {
        "runs": runs,
        "median_ms": {name: _ms(m) for name, m in medians.items()},
        "all_ms": {name: [_ms(t) for t in ts] for name, ts in times.items()},
        "ratio_sandbox": medians["ours_sandbox"] / medians["trivial"],
        "ratio_demo": medians["ours_demo"] / medians["trivial"],
        # Each run's own ratio, so slow drift of the machine cancels out; a cross-check of the above.
        "paired_ratio_sandbox": statistics.median(
            a / b for a, b in zip(times["ours_sandbox"], times["trivial"], strict=True)
        ),
        "paired_ratio_demo": statistics.median(
            a / b for a, b in zip(times["ours_demo"], times["trivial"], strict=True)
        ),
    }


async def set_latency(api_url: str, ms: int | None) -> None:
    async with httpx.AsyncClient(base_url=api_url) as http:
        if ms is None:
            response = await http.delete("/_sandbox/faults")
        else:
            response = await http.put("/_sandbox/faults", json={"mode": "latency", "ms": ms})
        response.raise_for_status()


class _Batches:
    """Times one call and ``len(calls)`` calls at once of one tool in one session."""

    def __init__(self, client: Client, tool: str, calls: list[dict[str, Any]], single: dict[str, Any]) -> None:
        self.client, self.tool, self.calls, self.single = client, tool, calls, single
        self.singles: list[float] = []
        self.batches: list[float] = []

    async def _call(self, arguments: dict[str, Any]) -> None:
        _ok(await self.client.call_tool(self.tool, arguments))

    async def _single(self) -> float:
        start = time.perf_counter()
        await self._call(self.single)
        return time.perf_counter() - start

    async def _batch(self) -> float:
        start = time.perf_counter()
        async with anyio.create_task_group() as group:
            for arguments in self.calls:
                group.start_soon(self._call, arguments)
        return time.perf_counter() - start

    async def warm_up(self) -> None:
        await self._single()
        await self._batch()  # opens the server's upstream connection pool

    async def measure(self) -> None:
        self.singles.append(await self._single())
        self.batches.append(await self._batch())

    def report(self) -> dict[str, Any]:
        one, many = statistics.median(self.singles), statistics.median(self.batches)
        return {
            "single_ms": _ms(one),
            "batch_ms": _ms(many),
            "ratio": many / one,
            "single_all_ms": [_ms(s) for s in self.singles],
            "batch_all_ms": [_ms(b) for b in self.batches],
        }


async def concurrency(
    api: SandboxStore,
    log_dir: Path,
    repeats: int,
    ours_url: str,
    trivial_url: str,
    variants: dict[str, dict[str, str]],
    at_once: int = 50,
    latency_ms: int = 50,
) -> dict[str, Any]:
    """``at_once`` get_order calls in one session over streamable HTTP against one call, with latency injected.

    ``default`` is our server at ``ours_url`` (default settings); each of ``variants`` (more settings for our
    server) runs in a server of its own; ``sdk_floor`` does the same with the trivial server's tool sleeping
    ``latency_ms``: what the SDK, client and machine allow with no work of ours. All run side by side, taking
    turns each repeat.
    """
    ids = sorted(build_store().orders)
    batch = [{"order_id": ids[i % len(ids)]} for i in range(at_once)]
    naps = [{"ms": latency_ms}] * at_once
    out: dict[str, Any] = {
        "latency_ms": latency_ms,
        "at_once": at_once,
        "distinct_order_ids": len({c["order_id"] for c in batch}),
        "repeats": repeats,
    }
    runs: dict[str, _Batches] = {}
    await set_latency(api.url, latency_ms)
    commands = [
        ours_http(api, log_dir / f"concurrency-{label}.log", **settings) for label, settings in variants.items()
    ]
    try:
        with processes.listening_all(*commands) as servers:
            async with AsyncExitStack() as clients:
                urls = {"default": ours_url} | {label: s.url for label, s in zip(variants, servers, strict=True)}
                for label, url in urls.items():
                    client = await clients.enter_async_context(Client(url))
                    runs[label] = _Batches(client, "get_order", batch, {"order_id": ORDER})
                client = await clients.enter_async_context(Client(trivial_url))
                runs["sdk_floor"] = _Batches(client, "nap", naps, naps[0])
                for run in runs.values():
                    await run.warm_up()
                for _ in range(repeats):
                    for run in runs.values():
                        await run.measure()
    finally:
        await set_latency(api.url, None)
    for label, run in runs.items():
        out[label] = {"settings": variants.get(label, {}), **run.report()}
    return out


def status_kb(pid: int) -> dict[str, int]:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0])
    return fields


async def memory(api: SandboxStore, log_dir: Path, first: int, total: int) -> dict[str, Any]:
    """Peak RSS (VmHWM) of a fresh streamable-HTTP server of ours after ``first`` and after ``total`` mixed calls."""
    store = build_store()
    ids = sorted(store.orders)
    with_messages = [i for i in ids if store.messages_for(i)]
    plan: list[tuple[str, dict[str, Any]]] = []
    for n in range(total):
        if n % 4 == 3:
            plan.append(("list_order_messages", {"order_id": with_messages[n % len(with_messages)]}))
        else:
            order_id = ids[n % len(ids)]
            include = {"include": ["consignments.line_items", "fees"]} if n % 3 == 0 else {}
            plan.append(("get_order", {"order_id": order_id, **include}))
    with processes.listening_all(ours_http(api, log_dir / "memory.log")) as (server,):
        async with Client(server.url) as client:
            for name, arguments in plan[:first]:
                _ok(await client.call_tool(name, arguments))
            after_first = status_kb(server.pid)
            for name, arguments in plan[first:]:
                _ok(await client.call_tool(name, arguments))
            after_total = status_kb(server.pid)
    return {
        "calls_first": first,
        "calls_total": total,
        "after_first_kb": after_first,
        "after_total_kb": after_total,
        "growth": (after_total["VmHWM"] - after_first["VmHWM"]) / after_first["VmHWM"],
        "rss_growth": (after_total["VmRSS"] - after_first["VmRSS"]) / after_first["VmRSS"],
    }
