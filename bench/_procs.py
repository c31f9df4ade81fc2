"""Starting and stopping the processes a benchmark talks to: the sandbox store and the MCP servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from mcp import StdioServerParameters

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCRIPT = str(Path(PYTHON).parent / "bigcommerce-orders-mcp")
TRIVIAL = str(Path(__file__).resolve().parent / "trivial_server.py")
STORE_HASH = "sandbox"
TOKEN = "sandbox-token"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env() -> dict[str, str]:
    """This process's environment without any BIGCOMMERCE_ setting, so only ours apply."""
    return {k: v for k, v in os.environ.items() if not k.startswith("BIGCOMMERCE_")}


def store_env(api_url: str, **extra: str) -> dict[str, str]:
    """The settings that point our server at the sandbox HTTP store."""
    return {
        "BIGCOMMERCE_API_URL": api_url,
        "BIGCOMMERCE_STORE_HASH": STORE_HASH,
        "BIGCOMMERCE_ACCESS_TOKEN": TOKEN,
        **extra,
    }


def ours_stdio(api_url: str | None) -> StdioServerParameters:
    """Our console script over stdio: pointed at the sandbox, or ``--demo`` when ``api_url`` is None."""
    if api_url is None:
        return StdioServerParameters(command=SCRIPT, args=["--demo"], env={}, cwd=str(REPO))
    return StdioServerParameters(command=SCRIPT, args=[], env=store_env(api_url), cwd=str(REPO))


def trivial_stdio() -> StdioServerParameters:
    """The minimal MCPServer over stdio, started the same way (the venv's python, a script)."""
    return StdioServerParameters(command=PYTHON, args=[TRIVIAL], env={}, cwd=str(REPO))


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited early ({process.returncode}): {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"port {port} never opened: {log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill if it does not exit within 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def listening(argv: list[str], port: int, log: Path, env: dict[str, str] | None = None) -> Iterator[int]:
    """Run ``argv`` until the block ends, once it accepts connections on ``port``; yields its PID."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env or base_env(), cwd=REPO
        )
    try:
        _wait_for_port(port, process, log)
        yield process.pid
    finally:
        stop(process)


@contextmanager
def sandbox(log_dir: Path) -> Iterator[str]:
    """The sandbox store as an HTTP API on loopback, with a quota the benchmark never reaches."""
    port = free_port()
    argv = [SCRIPT, "sandbox", "--port", str(port), "--quota", "100000", "--faults"]
    with listening(argv, port, log_dir / "sandbox.log"):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def ours_http(api_url: str, log_dir: Path, name: str, **settings: str) -> Iterator[tuple[str, int]]:
    """Our server over streamable HTTP, pointed at the sandbox; yields its /mcp URL and PID."""
    port = free_port()
    argv = [SCRIPT, "--transport", "streamable-http", "--port", str(port)]
    with listening(argv, port, log_dir / f"{name}.log", {**base_env(), **store_env(api_url, **settings)}) as pid:
        yield f"http://127.0.0.1:{port}/mcp", pid


@contextmanager
def trivial_http(log_dir: Path, *, nap: bool = False) -> Iterator[str]:
    """The minimal MCPServer over streamable HTTP (with ``nap``: plus a sleeping tool); yields its /mcp URL."""
    port = free_port()
    argv = [PYTHON, TRIVIAL, "--transport", "streamable-http", "--port", str(port), *(["--nap"] if nap else [])]
    with listening(argv, port, log_dir / "trivial-http.log"):
        yield f"http://127.0.0.1:{port}/mcp"


def open_log(log_dir: Path, name: str) -> TextIO:
    """A text log for a stdio child's stderr (the SDK logs every request at INFO)."""
    return (log_dir / f"{name}.log").open("a", encoding="utf-8")
