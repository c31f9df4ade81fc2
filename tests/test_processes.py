"""The process helper that the end-to-end tests and the benchmark share: where a process listens, and stopping it."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.processes import PYTHON, Command, listening, started


def announcing(port: int, *, ignore_sigterm: bool = False) -> list[str]:
    """A stand-in server: says where it listens, as ours does, then waits."""
    code = [
        "import signal, sys, time",
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)" if ignore_sigterm else "",
        f"print('fake: serving streamable-http on http://127.0.0.1:{port}/mcp', file=sys.stderr, flush=True)",
        "time.sleep(60)",
    ]
    return [PYTHON, "-c", "\n".join(code)]


def test_the_announced_url_is_read_from_new_output_only(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text("sandbox store listening on http://127.0.0.1:1 (an earlier run)\n")
    with listening(announcing(4321), log) as process:
        assert process.url == "http://127.0.0.1:4321/mcp"
        assert process.port == 4321


def test_a_process_that_ignores_sigterm_is_killed(tmp_path: Path) -> None:
    with started(Command(announcing(4321, ignore_sigterm=True), tmp_path / "server.log"), grace=0.2) as (process,):
        process.listening()
    assert process.process.returncode == -signal.SIGKILL


def test_a_process_that_exits_before_listening_is_reported_with_its_output(tmp_path: Path) -> None:
    argv = [PYTHON, "-c", "import sys; sys.exit('no port for you')"]
    with pytest.raises(RuntimeError, match="no port for you"), listening(argv, tmp_path / "server.log"):
        pass
