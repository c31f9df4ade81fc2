"""stdio with every line answered: a line the SDK cannot read gets JSON-RPC's parse or invalid-request error.

The SDK's stdio transport drops a line that is not a JSON-RPC message (it logs it at debug level), so the
client that sent it waits for ever. The SDK reads `sys.stdin` and writes `sys.stdout` when it starts; here
they are, for the time it serves, a pipe fed only with the lines that read as a message, and a writer that
sends whole lines, so the answers to the other lines, written by the thread that reads stdin, never land
inside one of the SDK's.
"""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from mcp_types import (
    INVALID_REQUEST,
    METHOD_NOT_FOUND,
    PARSE_ERROR,
    ErrorData,
    JSONRPCError,
    JSONRPCRequest,
    jsonrpc_message_adapter,
)

__all__ = ["MAX_LINE", "answered_stdio", "id_of", "lines_checked"]

logger = logging.getLogger("bigcommerce_orders_mcp")

MAX_LINE = 1024 * 1024
"""Far past any request a client sends (tool arguments are tiny); a longer line is refused unread."""
_MAX_ID = 200
_MAX_METHOD = 100
_CHUNK = 64 * 1024


class _WholeLines(io.RawIOBase):
    """A writer to `fd` that sends only whole lines, each in one go under `lock`."""

    def __init__(self, fd: int, lock: threading.Lock) -> None:
        self._fd = fd
        self._lock = lock
        self._pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._pending += data
        end = self._pending.rfind(b"\n")
        if end >= 0:
            lines = bytes(self._pending[: end + 1])
            del self._pending[: end + 1]
            _send(self._fd, self._lock, lines)
        return len(data)


def _send(fd: int, lock: threading.Lock, data: bytes) -> None:
    with lock:
        _write_all(fd, data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def lines_checked(
    read: Callable[[int], bytes], forward: Callable[[bytes], None], answer: Callable[[bytes], None]
) -> None:
    """Each line from `read` (bytes, b"" at the end) to `forward` if it is a JSON-RPC message, else its error
    answer to `answer`; a line longer than `MAX_LINE` is answered from the part read, the rest skipped."""
    line = bytearray()
    skipping = False
    while chunk := read(_CHUNK):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            if not skipping:
                line += chunk[start : end + 1]
                if len(line) > MAX_LINE:
                    answer(_too_long(line))
                else:
                    _one_line(bytes(line), forward, answer)
            line.clear()
            skipping = False
            start = end + 1
        if not skipping:
            line += chunk[start:]
            if len(line) > MAX_LINE:
                answer(_too_long(line))
                line.clear()
                skipping = True
    if line.strip() and not skipping:
        _one_line(bytes(line) + b"\n", forward, answer)


def _too_long(line: bytearray) -> bytes:
    request_id = id_of(line.decode("utf-8", "replace"))
    return _error(request_id, INVALID_REQUEST, f"Invalid request: the line is over {MAX_LINE} bytes")


def _one_line(line: bytes, forward: Callable[[bytes], None], answer: Callable[[bytes], None]) -> None:
    text = line.decode("utf-8", "replace")  # as the SDK reads it
    if not text.strip():
        return
    try:
        message = jsonrpc_message_adapter.validate_json(text, by_name=False)
    except (ValueError, RecursionError):
        answer(_refusal(text))
        return
    method = getattr(message, "method", "")
    if len(method) > _MAX_METHOD:  # the SDK's method-not-found error quotes the whole name
        if isinstance(message, JSONRPCRequest):
            answer(_error(message.id, METHOD_NOT_FOUND, "Method not found", f"{method[:_MAX_METHOD]}..."))
        return
    forward(line)


def _refusal(text: str) -> bytes:
    try:
        message = json.loads(text)
    except RecursionError:
        return _error(id_of(text), PARSE_ERROR, "Parse error: the line is nested too deep")
    except ValueError:
        return _error(id_of(text), PARSE_ERROR, "Parse error: the line is not JSON")
    request_id = _usable_id(message.get("id")) if isinstance(message, dict) else None
    reason = "Invalid request: the line is not a JSON-RPC 2.0 message, or holds text that is not Unicode"
    return _error(request_id, INVALID_REQUEST, reason)


def id_of(text: str) -> str | int | None:
    """The top-level "id" of a JSON object that may be cut short or broken further on, if it comes before."""
    decoder = json.JSONDecoder()
    position = _skip(text, 0)
    if not text.startswith("{", position):
        return None
    position += 1
    try:
        while True:
            position = _skip(text, position)
            key, position = decoder.raw_decode(text, position)
            position = _skip(text, position)
            if not text.startswith(":", position):
                return None
            value, position = decoder.raw_decode(text, _skip(text, position + 1))
            if key == "id":
                return _usable_id(value)
            position = _skip(text, position)
            if not text.startswith(",", position):
                return None
            position += 1
    except (ValueError, RecursionError):
        return None


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _usable_id(value: Any) -> str | int | None:
    """A request id that can be sent back as it came; else None (JSON-RPC's null)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else None
    if len(value) > _MAX_ID or any("\ud800" <= char <= "\udfff" for char in value):
        return None
    return value


def _error(request_id: str | int | None, code: int, message: str, data: str | None = None) -> bytes:
    details = (
        ErrorData(code=code, message=message) if data is None else ErrorData(code=code, message=message, data=data)
    )
    error = JSONRPCError(jsonrpc="2.0", id=request_id, error=details)
    return error.model_dump_json(by_alias=True, exclude_unset=True).encode() + b"\n"


@contextmanager
def answered_stdio() -> Iterator[None]:
    """`sys.stdin` and `sys.stdout` as the SDK's stdio transport should read and write them, while in the block.

    The process's own descriptors 0 and 1 are pointed at the null device and at stderr meanwhile, as the SDK
    does with them, so stray output cannot land on the wire.
    """
    try:
        wire_in, wire_out = os.dup(0), os.dup(1)
    except OSError:  # no stdin or stdout to serve: the SDK says so in its own words
        yield
        return
    checked, feed = os.pipe()
    lock = threading.Lock()
    saved = sys.stdin, sys.stdout
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    os.close(null)
    reader = threading.Thread(target=_pump, args=(wire_in, feed, wire_out, lock), name="stdin-lines", daemon=True)
    reader.start()
    sys.stdin = io.TextIOWrapper(open(checked, "rb"), encoding="utf-8", errors="replace")  # noqa: SIM115
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_WholeLines(wire_out, lock)), encoding="utf-8")
    try:
        yield
    finally:
        with suppress(Exception):
            sys.stdout.flush()
        sys.stdin, sys.stdout = saved
        os.dup2(wire_in, 0)
        os.dup2(wire_out, 1)


def _pump(wire_in: int, feed: int, wire_out: int, lock: threading.Lock) -> None:
    """Reads the client's lines until the end of input, then ends the SDK's input."""
    try:
        lines_checked(
            lambda size: os.read(wire_in, size),
            lambda line: _write_all(feed, line),
            lambda answer: _send(wire_out, lock, answer),
        )
    except OSError as exc:  # the client has gone, or the server has stopped reading
        logger.debug("stdin reader stopped: %s", exc)
    finally:
        os.close(feed)
