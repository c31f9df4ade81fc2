"""The last bound on a tool result: whatever its lists held, its JSON stays under MAX_RESULT_BYTES."""

from __future__ import annotations

import json
from typing import Any

from bigcommerce_orders_mcp.tools.values import cut, cut_marker

__all__ = ["MAX_RESULT_BYTES", "within_bound"]

# Each tool bounds its own lists far below this; it catches what they do not foresee (a full page of the
# longest messages, detail="full" of an order with thousands of lines) before it floods a model's context.
MAX_RESULT_BYTES = 256 * 1024
_MARKER_ROOM = 1024  # for the marker each cut adds
_ROUNDS = 50


def within_bound(data: dict[str, Any], how_to_get_all: str, limit: int = MAX_RESULT_BYTES) -> dict[str, Any]:
    """`data` itself when its compact JSON fits in `limit` bytes; otherwise a copy whose largest lists and
    texts are cut from their end until it fits, each cut said in `data["cut"]` like the long texts' markers."""
    if _size(data) <= limit:
        return data
    data = json.loads(json.dumps(data))
    how = f"{how_to_get_all} (a result is at most {limit // 1024} KB)"
    markers: list[str] = []
    for _ in range(_ROUNDS):
        excess = _size(data) + _size(markers) - limit
        found = _largest(data, "", None, None)
        if excess <= 0 or found is None:
            break
        _, path, parent, key = found
        markers.append(_cut_one(parent, key, excess + _MARKER_ROOM, path, how))
    data["cut"] = [*data.get("cut", ()), *markers]
    return data


def _cut_one(parent: Any, key: Any, excess: int, path: str, how: str) -> str:
    """Cut the list or text at `parent[key]` by at least `excess` bytes from its end; the marker saying so."""
    value = parent[key]
    if isinstance(value, str):
        keep = max(0, len(value) - excess)
        parent[key] = cut(value, keep, how) if keep else ""
        return f"{path}: {len(value) - keep} of {len(value)} characters cut; {how}"
    kept, removed = len(value), 0
    while kept > 0 and removed < excess:
        kept -= 1
        removed += _size(value[kept]) + 1
    parent[key] = value[:kept]
    return f"{path}: {cut_marker(len(value) - kept, len(value), 'entries', how)}"


def _largest(node: Any, path: str, parent: Any, key: Any) -> tuple[int, str, Any, Any] | None:
    """The largest list of two or more entries, or text, inside `node`: (its size, path, parent, key)."""
    best: tuple[int, str, Any, Any] | None = None
    if isinstance(node, str) and parent is not None:
        best = (_size(node), path, parent, key)
    elif isinstance(node, list | dict):
        if isinstance(node, list) and len(node) > 1 and parent is not None:
            best = (_size(node), path, parent, key)
        items = enumerate(node) if isinstance(node, list) else node.items()
        for child_key, child in items:
            child_path = f"{path}[{child_key}]" if isinstance(node, list) else f"{path}.{child_key}".lstrip(".")
            found = _largest(child, child_path, node, child_key)
            if found is not None and (best is None or found[0] > best[0]):
                best = found
    return best


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
