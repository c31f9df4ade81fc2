"""The official MCP conformance suite (`@modelcontextprotocol/conformance`, installed by `npm ci --prefix
tests/conformance` with the Node.js 22 it needs) against our server over streamable HTTP: its active scenarios,
and exactly the scenarios MCP 2026-07-28 requires, against the `--demo` server and a `--stateless` replica.

What may fail is listed in `tests/conformance/baseline*.yml`, each entry with its reason; the suite itself fails
the run on any other failure, and on any listed one that starts passing.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import Listening, base_env, listening_all, mcp_http

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent.parent / "conformance"
BIN = HERE / "node_modules" / ".bin"


@pytest.fixture(scope="module")
def stateless(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Listening]:
    log = tmp_path_factory.mktemp("conformance") / "stateless.log"
    with listening_all(mcp_http("streamable-http", log, "--demo", "--stateless", env=base_env())) as (server,):
        yield server


def conformance(url: str, output: Path, *args: str) -> subprocess.Popen[str]:
    """The suite's run against `url`, started; its verdict is its exit code."""
    assert (BIN / "conformance").exists(), "run: npm ci --prefix tests/conformance"
    # Its script runs on the `node` beside it (Node.js 22), not on whatever node the machine has.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [str(BIN / "conformance"), "server", "--url", url, "--output-dir", str(output), *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def passed(run: subprocess.Popen[str]) -> None:
    try:
        out, _ = run.communicate(timeout=240)
    finally:
        run.kill()
    assert run.returncode == 0, out[-6000:]
    assert "all failures are expected" in out


def test_the_active_scenarios_pass_but_for_the_baseline(demo_http: Listening, tmp_path: Path) -> None:
    passed(conformance(demo_http.url, tmp_path, "--expected-failures", str(HERE / "baseline.yml")))


def test_what_2026_07_28_requires_passes_but_for_the_baseline(
    demo_http: Listening, stateless: Listening, tmp_path: Path
) -> None:
    # Against the server that also speaks the initialize handshake, and a --stateless replica, side by side: most
    # of a run is waiting on the server.
    args = ("--requirements", "2026-07-28", "--expected-failures", str(HERE / "baseline-2026-07-28.yml"))
    runs = [
        conformance(server.url, tmp_path / name, *args)
        for name, server in (("demo", demo_http), ("stateless", stateless))
    ]
    for run in runs:
        passed(run)
