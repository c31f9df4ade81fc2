"""Real processes on loopback for the end-to-end tests: the console script, free ports, clean shutdown."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRIPT = str(Path(sys.executable).parent / "bigcommerce-orders-mcp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env(**extra: str) -> dict[str, str]:
    """This environment without any BIGCOMMERCE_* setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIGCOMMERCE_")}
    return {**env, **extra}


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited early: {log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} never opened: {log.read_text()}")


@contextmanager
def listening(args: list[str], log: Path, env: dict[str, str] | None = None) -> Iterator[int]:
    """Run `bigcommerce-orders-mcp ARGS --port P` (stdout and stderr to `log`) until the block ends; yields P."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [SCRIPT, *args, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env if env is not None else base_env(),
        )
    try:
        wait_for_port(port, process, log)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
