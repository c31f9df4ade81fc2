"""End to end: the server as a real process with `--log-format json`, over stdio and streamable HTTP. stdout
carries the protocol only (nothing at all over HTTP); every stderr line is a JSON object; no token, and no
customer e-mail when redaction is on."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from tests.processes import REPO, SCRIPT, Command, SandboxStore, base_env, listening_all

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

EMAIL = "janedoe@example.com"
CALLS: list[tuple[str, dict[str, Any], str, list[int]]] = [
    ("get_order", {"order_id": 218}, "ok", [200]),
    ("list_orders", {"email": EMAIL}, "ok", [200]),
    ("get_order", {"order_id": 99999}, "not_found", [404]),
    ("list_orders", {"email": EMAIL, "min_id": 9, "max_id": 3}, "invalid_arguments", []),
]


def json_lines(text: str) -> list[dict[str, Any]]:
    entries = [json.loads(line) for line in text.splitlines()]
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= entry.keys(), entry
    return entries


def call_records(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [entry for entry in entries if entry["logger"] == "bigcommerce_orders_mcp.calls"]


def assert_one_record_per_call(entries: list[dict[str, Any]]) -> None:
    records = call_records(entries)
    assert [(r["tool"], r["outcome"], r["upstream_status"]) for r in records] == [
        (tool, outcome, statuses) for tool, _, outcome, statuses in CALLS
    ]
    for record in records:
        assert record["store"] == "default"
        assert record["level"] == "INFO"
        assert isinstance(record["duration_ms"], float)
        assert record["requests"] == len(record["upstream_status"])


def test_stdio_at_debug_in_json_keeps_stdout_for_the_protocol(sandbox_store: SandboxStore) -> None:
    requests: list[dict[str, Any]] = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "t", "version": "1"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ]
    requests += [
        {"jsonrpc": "2.0", "id": n, "method": "tools/call", "params": {"name": tool, "arguments": arguments}}
        for n, (tool, arguments, _, _) in enumerate(CALLS, 1)
    ]
    process = subprocess.Popen(
        [SCRIPT, "--log-level", "debug", "--log-format", "json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=base_env(**sandbox_store.settings()),
        cwd=REPO,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    answers = []
    try:
        # One request at a time, each answer read before the next: the server stops at end of input.
        for request in requests:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            if "id" in request:
                answers.append(json.loads(process.stdout.readline()))
        rest, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert rest == ""
    assert [(answer["jsonrpc"], answer["id"]) for answer in answers] == [("2.0", n) for n in range(len(CALLS) + 1)]
    entries = json_lines(stderr)
    assert_one_record_per_call(entries)
    # debug: a record per request to BigCommerce, its path without the query; and, with nothing to redact,
    # the HTTP library's own lines (httpcore's: the client hands its requests straight to the pool).
    paths = [entry["path"] for entry in entries if entry["logger"] == "bigcommerce_orders_mcp" and "path" in entry]
    assert paths == ["/orders/218", "/orders", "/orders/99999"]
    assert any(entry["logger"].startswith(("httpx", "httpcore")) for entry in entries)
    assert sandbox_store.token not in stderr


async def test_streamable_http_access_lines_are_json_on_stderr(sandbox_store: SandboxStore, tmp_path: Path) -> None:
    env = base_env(**sandbox_store.settings(BIGCOMMERCE_REDACT_PII="1"))
    argv = [SCRIPT, "--transport", "streamable-http", "--port", "0", "--log-format", "json"]
    stderr, stdout = tmp_path / "stderr.log", tmp_path / "stdout.log"
    with listening_all(Command(argv, stderr, env, stdout=stdout)) as (server,):
        async with Client(server.url) as client:
            for tool, arguments, _, _ in CALLS:
                await client.call_tool(tool, arguments)
    assert stdout.read_text() == ""
    text = stderr.read_text()
    entries = json_lines(text)
    assert_one_record_per_call(entries)
    access = [entry for entry in entries if entry["logger"] == "uvicorn.access"]
    assert len(access) >= len(CALLS)
    assert {(entry["method"], entry["path"], entry["status"]) for entry in access} >= {("POST", "/mcp", 200)}
    (announced,) = [entry for entry in entries if "url" in entry]
    assert announced["url"] == server.url
    assert EMAIL not in text
    assert sandbox_store.token not in text
