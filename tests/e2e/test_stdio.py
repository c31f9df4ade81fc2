"""The server over stdio as a real process meets a hostile client: every line is answered, whatever it holds,
within seconds, and the next request is answered too."""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp_types import INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR

from tests.processes import REPO, SCRIPT, base_env

pytestmark = pytest.mark.e2e

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}


class StdioServer:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.pending = b""

    def send(self, line: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + b"\n")
        self.process.stdin.flush()

    def answer(self, timeout: float = 5) -> dict[str, Any]:
        """The next line on stdout, as JSON, within `timeout` seconds."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(left, 0))
            assert ready, f"no answer within {timeout} s"
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            assert chunk, "the server closed stdout"
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def request(self, request_id: int, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        self.send(json.dumps({**message, **({"params": params} if params is not None else {})}).encode())
        answer = self.answer()
        assert answer["id"] == request_id, answer
        return answer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[StdioServer]:
    with (tmp_path / "stderr.log").open("wb") as log:
        process = subprocess.Popen(
            [SCRIPT, "--demo"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=base_env(), cwd=REPO
        )
        served = StdioServer(process)
        try:
            served.send(json.dumps(INITIALIZE).encode())
            assert served.answer(timeout=30)["id"] == 0
            served.send(b'{"jsonrpc":"2.0","method":"notifications/initialized"}')
            yield served
        finally:
            process.kill()
            process.communicate()


DEEP = 100_000
BAD_LINES = [
    ("not JSON", b"GET / HTTP/1.1", PARSE_ERROR, None),
    ("cut short", b'{"jsonrpc": "2.0", "id": 41, "method": "tools/list", "params": {', PARSE_ERROR, 41),
    ("nested deep", b'{"jsonrpc":"2.0","id":"deep","method":"ping","params":{"a":' + b"[" * DEEP, PARSE_ERROR, "deep"),
    ("all deep", b"[" * DEEP + b"]" * DEEP, PARSE_ERROR, None),
    ("lone surrogate", b'{"jsonrpc":"2.0","id":43,"method":"prompts/get","params":{"name":"x\\udfff"}}', -32600, 43),
    ("array", b'[{"jsonrpc":"2.0","id":44,"method":"ping"}]', INVALID_REQUEST, None),
    ("number", b"3.25", INVALID_REQUEST, None),
    ("jsonrpc 1.0", b'{"jsonrpc":"1.0","id":45,"method":"ping"}', INVALID_REQUEST, 45),
    ("no jsonrpc", b'{"id":"forty-six","method":"ping"}', INVALID_REQUEST, "forty-six"),
    ("huge method", b'{"jsonrpc":"2.0","id":47,"method":"' + b"tools/" * 50_000 + b'"}', METHOD_NOT_FOUND, 47),
]


def test_every_line_gets_an_answer_and_the_next_request_too(server: StdioServer) -> None:
    for n, (case, line, code, request_id) in enumerate(BAD_LINES, 100):
        server.send(line)
        started = time.monotonic()
        answer = server.answer(timeout=3)
        assert answer["jsonrpc"] == "2.0", case
        assert answer["id"] == request_id, case
        assert answer["error"]["code"] == code, case
        assert len(json.dumps(answer)) < 2048, case
        assert time.monotonic() - started < 3, case
        assert server.request(n, "ping")["result"] == {}, case


def test_a_line_past_the_bound_is_answered_with_its_id(server: StdioServer) -> None:
    arguments = {"order_id": 218, "include": ["fees"] * 500_000}  # 4 MB
    params = {"name": "get_order", "arguments": arguments}
    server.send(json.dumps({"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": params}).encode())
    answer = server.answer(timeout=5)
    assert answer["id"] == 7
    assert answer["error"]["code"] == INVALID_REQUEST
    assert server.request(8, "tools/call", {"name": "get_order", "arguments": {"order_id": 218}})["result"]


def test_a_huge_bad_argument_gets_a_short_answer_in_seconds(server: StdioServer) -> None:
    include = [f"bad-{n}" for n in range(70_000)]  # under the line bound: the tool checks it
    started = time.monotonic()
    params = {"name": "get_order", "arguments": {"order_id": 218, "include": include}}
    answer = server.request(5, "tools/call", params)
    assert time.monotonic() - started < 3
    result = answer["result"]
    assert result["isError"] is True
    assert "'include'" in result["content"][0]["text"]
    assert len(json.dumps(answer)) < 4096
    following = server.request(6, "tools/call", {"name": "get_order", "arguments": {"order_id": 218}})
    assert following["result"]["structuredContent"]["id"] == 218
