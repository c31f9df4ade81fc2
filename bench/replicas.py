"""Two replicas behind a round-robin proxy: 429s per 100 calls, with the store's quota shared through Redis and
without. Reuses `tests/e2e/test_replicas.py`'s set-up (two `--stateless` replicas per proxy, a sandbox store each)
with a larger burst: 100 calls from 10 clients, half of each protocol generation, against 20 requests a second.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import anyio

from tests.e2e.test_replicas import burst, replica_pairs

CLIENTS = 10
CALLS = 10  # each
QUOTA = 20  # requests a second


async def measure(log_dir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"calls": CLIENTS * CALLS, "quota_per_s": QUOTA}
    (log_dir / "replicas").mkdir(exist_ok=True)
    with replica_pairs(log_dir / "replicas") as pairs:

        async def run(name: str) -> None:
            started = time.monotonic()
            answered, windows = await burst(pairs[name], CLIENTS, CALLS, QUOTA)
            results[name] = {
                "refused": sum(window["refused"] for window in windows),
                "answered": answered.count(True),
                "most_in_a_window": max(window["answered"] + window["refused"] for window in windows),
                "seconds": round(time.monotonic() - started, 2),
            }

        async with anyio.create_task_group() as group:
            for name in pairs:
                group.start_soon(run, name)
    return results
