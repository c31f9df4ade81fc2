"""A settings file read within bounds: a regular file, of bounded size, with bounded nesting."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["MAX_FILE_BYTES", "MAX_NESTING", "FileRefused", "read_toml", "shown_path"]

# A stores file is a few lines a store; this is thousands of stores.
MAX_FILE_BYTES = 1024 * 1024
# The stores file's own depth is 2 (stores, then a store's table); anything deeper is a mistake or an attack.
MAX_NESTING = 32
_BRACKETS = re.compile(r"[\[\]{}]")


class FileRefused(Exception):
    """The file cannot be used; the message completes "<the file> ..." in one line."""


def shown_path(path: Path) -> str:
    """A path as an error line shows it: cut short, and quoted with escapes if it holds a control character."""
    text = str(path)
    return text if len(text) <= 200 and text.isprintable() else f"{text[:200]!r}..."


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML, or `FileRefused`: it is no regular file, is larger than `MAX_FILE_BYTES`, is not UTF-8
    TOML, or is nested deeper than `MAX_NESTING`."""
    text = _read_text(path)
    if _nesting(text) > MAX_NESTING:
        raise FileRefused(f"is nested more than {MAX_NESTING} levels deep (arrays and inline tables)")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FileRefused(f"is not valid TOML: {exc}") from None
    except RecursionError:  # the count above is the bound; this is a second line should it ever be fooled
        raise FileRefused(f"is nested more than {MAX_NESTING} levels deep (arrays and inline tables)") from None


def _read_text(path: Path) -> str:
    try:
        # Non-blocking, so that a FIFO is seen for what it is instead of waiting for a writer for ever.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileRefused(f"cannot be read: {exc.strerror}") from None
    except ValueError:  # a NUL byte in the path
        raise FileRefused("cannot be read: the path holds a NUL byte") from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise FileRefused("is not a regular file (a directory, device or pipe cannot be a settings file)")
        os.set_blocking(descriptor, True)
        data = _read_at_most(descriptor, MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileRefused(f"cannot be read: {exc.strerror}") from None
    finally:
        os.close(descriptor)
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(f"is larger than {MAX_FILE_BYTES // 1024} KiB, too large for a settings file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"is not UTF-8 text (byte {exc.start + 1} cannot be read)") from None


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0 and (chunk := os.read(descriptor, min(left, 64 * 1024))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _nesting(text: str) -> int:
    """How deep arrays and inline tables go, counted without parsing; brackets inside strings and comments count
    too, which can only overstate the depth of a file no real stores file comes near."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(text):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest
