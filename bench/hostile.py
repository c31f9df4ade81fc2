"""Hostile upstream: peak RSS, and how soon another session is answered, while one call faces each bad answer.

Reuses `tests/hostile_upstream.py` (one process, each order id a different hostile answer) and our server over
streamable HTTP pointed at it, with the settings of `tests/e2e/test_hostile_upstream.py` (1 s timeout, 0.5 s budget).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests import hostile_upstream, processes
from tests.e2e.test_hostile_upstream import SETTINGS, face, hostile_command, peak_rss_mb


async def measure(log_dir: Path) -> dict[str, Any]:
    """Per hostile answer: the call's seconds and error type, the other session's seconds, peak RSS after."""
    cases = tuple(order for order in hostile_upstream.ANSWERS if order != hostile_upstream.POISONED_QUOTA)
    results: dict[str, Any] = {"cases": {}}
    with processes.listening_all(hostile_command(log_dir / "hostile-upstream.log")) as (upstream,):
        env = processes.base_env(BIGCOMMERCE_API_URL=upstream.url, **SETTINGS)
        command = processes.mcp_http("streamable-http", log_dir / "hostile-server.log", env=env)
        with processes.listening_all(command) as (server,):
            results["rss_start_mb"] = round(peak_rss_mb(server.pid), 1)
            started = time.monotonic()
            for order in cases:
                outcome = await face(server.url, order)
                error = (outcome.result.structured_content or {}).get("error", {})
                results["cases"][hostile_upstream.ANSWERS[order][0]] = {
                    "call_s": round(outcome.seconds, 3),
                    "error": error.get("type"),
                    "other_session_s": round(outcome.other_seconds, 3),
                    "peak_rss_mb": round(peak_rss_mb(server.pid), 1),
                }
            results["seconds"] = round(time.monotonic() - started, 2)
            results["peak_rss_mb"] = round(peak_rss_mb(server.pid), 1)
    cases_data = results["cases"].values()
    results["worst_call_s"] = max(case["call_s"] for case in cases_data)
    results["worst_other_session_s"] = max(case["other_session_s"] for case in cases_data)
    return results
