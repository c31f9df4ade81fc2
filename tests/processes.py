"""Real processes on loopback, for the end-to-end tests and the benchmark: the sandbox store and MCP servers.

A process that serves HTTP is started with ``--port 0`` and found at the URL it prints on stderr once it
accepts connections, so no port is guessed (a port checked free and bound later can be taken in between).
Stopping sends SIGTERM, then SIGKILL to a process that ignores it. The benchmark imports this module too (it
already reads ``tests/fixtures``); the product never does.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

from mcp import StdioServerParameters

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCRIPT = str(Path(PYTHON).parent / "bigcommerce-orders-mcp")
SANDBOX_STORE = "sandbox"
SANDBOX_TOKEN = "sandbox-token"

# The sandbox prints "sandbox store listening on http://127.0.0.1:PORT (...)", our server
# "bigcommerce-orders-mcp: serving sse on http://127.0.0.1:PORT/sse", the benchmark's trivial server the same.
# With --log-format json the line is a JSON object, the URL inside a string.
ANNOUNCEMENT = re.compile(r"(?:listening|serving [\w-]+) on (http://[^\s\"]+)")


def base_env(**extra: str) -> dict[str, str]:
    """This environment without any BIGCOMMERCE_* setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIGCOMMERCE_")}
    return {**env, **extra}


def stdio(*args: str, env: dict[str, str] | None = None) -> StdioServerParameters:
    """Our console script over stdio; the SDK's client passes only ``env`` and an allow-list of variables."""
    return StdioServerParameters(command=SCRIPT, args=list(args), env=env or {}, cwd=str(REPO))


class Command(NamedTuple):
    """A process to start: its argv (asking for ``--port 0``), the log for its stderr (and its stdout unless
    ``stdout`` names a file of its own), its environment."""

    argv: list[str]
    log: Path
    env: dict[str, str] | None = None
    stdout: Path | None = None


@dataclass(frozen=True)
class Listening:
    """A started process and the URL it announced: an API root, or an MCP endpoint ending /mcp or /sse."""

    url: str
    pid: int
    log: Path

    @property
    def port(self) -> int:
        port = urlsplit(self.url).port
        assert port is not None, self.url
        return port


@dataclass(frozen=True)
class SandboxStore(Listening):
    """The sandbox store process, with the store hash and token it answers to."""

    store_hash: str = SANDBOX_STORE
    token: str = field(default=SANDBOX_TOKEN, repr=False)

    @property
    def v2_root(self) -> str:
        """The store's Orders v2 API root, as our server builds it."""
        return f"{self.url}/stores/{self.store_hash}/v2"

    def settings(self, **extra: str) -> dict[str, str]:
        """The BIGCOMMERCE_* settings that point our server at this store, plus ``extra``."""
        return {
            "BIGCOMMERCE_API_URL": self.url,
            "BIGCOMMERCE_STORE_HASH": self.store_hash,
            "BIGCOMMERCE_ACCESS_TOKEN": self.token,
            **extra,
        }


class Started:
    """A process started from a ``Command``, output appended to its log (so a log can be shared)."""

    def __init__(self, command: Command) -> None:
        self.command = command
        self.offset = command.log.stat().st_size if command.log.exists() else 0
        with command.log.open("ab") as err, (command.stdout or command.log).open("ab") as out:
            self.process = subprocess.Popen(
                command.argv,
                stdout=out if command.stdout else err,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=base_env() if command.env is None else command.env,
                cwd=REPO,
            )

    def listening(self, timeout: float = 30) -> Listening:
        """Wait until the process says where it listens (nothing it logged earlier counts)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.command.log.open("rb") as log:
                log.seek(self.offset)
                output = log.read().decode(errors="replace")
            if match := ANNOUNCEMENT.search(output):
                return Listening(match.group(1), self.process.pid, self.command.log)
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.command.argv} exited ({self.process.returncode}) before listening:\n{output}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.command.argv} did not say where it listens within {timeout:g} s:\n{output}")
            time.sleep(0.01)


@contextmanager
def started(*commands: Command, grace: float = 10) -> Iterator[list[Started]]:
    """Start every command at once; at the end terminate them all, and kill any still running ``grace`` s later."""
    processes: list[Started] = []
    try:
        for command in commands:
            processes.append(Started(command))
        yield processes
    finally:
        for each in processes:
            if each.process.poll() is None:
                each.process.terminate()
        for each in processes:
            try:
                each.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                each.process.kill()
                each.process.wait(timeout=10)


@contextmanager
def listening_all(*commands: Command, grace: float = 10) -> Iterator[list[Listening]]:
    """``started``, once every process has said where it listens."""
    with started(*commands, grace=grace) as processes:
        yield [each.listening() for each in processes]


@contextmanager
def listening(argv: list[str], log: Path, env: dict[str, str] | None = None, grace: float = 10) -> Iterator[Listening]:
    """Run ``argv`` (asking for ``--port 0``) until the block ends; yields once it has said where it listens."""
    with listening_all(Command(argv, log, env), grace=grace) as (process,):
        yield process


def mcp_http(transport: str, log: Path, *args: str, env: dict[str, str] | None = None) -> Command:
    """Our server over ``sse`` or ``streamable-http`` on a port the OS picks."""
    return Command([SCRIPT, "--transport", transport, "--port", "0", *args], log, env)


@contextmanager
def sandbox(
    log: Path, *args: str, store_hash: str = SANDBOX_STORE, token: str = SANDBOX_TOKEN
) -> Iterator[SandboxStore]:
    """The sandbox store as an HTTP API (``args``: more of its flags, e.g. ``--faults``, ``--quota N``)."""
    argv = [SCRIPT, "sandbox", "--port", "0", "--store-hash", store_hash, "--token", token, *args]
    with listening(argv, log) as process:
        yield SandboxStore(process.url, process.pid, process.log, store_hash, token)


REDIS_READY = "Ready to accept connections"


@contextmanager
def redis_server(log: Path, port: int | None = None) -> Iterator[str]:
    """A throwaway ``redis-server`` on loopback (no persistence) until the block ends; yields its URL.

    Redis cannot be asked for port 0 and say which it got, so a free port is picked and, should another process
    take it first, another one tried. A missing ``redis-server`` fails: the shared-quota tests need a real one.
    """
    redis = shutil.which("redis-server")
    if redis is None:
        raise RuntimeError("redis-server is not installed: apt-get install redis-server (.ci/run does)")
    for _ in range(5):
        chosen = port or free_port()
        argv = [redis, "--port", str(chosen), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with started(Command(argv, log), grace=5) as (process,):
            if _redis_ready(process):
                yield f"redis://127.0.0.1:{chosen}/0"
                return
        if port is not None:
            break
    raise RuntimeError(f"redis-server did not start; see {log}")


def _redis_ready(process: Started, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if REDIS_READY.encode() in process.command.log.read_bytes()[process.offset :]:
            return True
        if process.process.poll() is not None:
            return False  # the port was taken
        time.sleep(0.01)
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
