"""Rewriting the strings of decoded JSON in place: every value and key, at any depth, without recursion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["rewrite_strings"]


def rewrite_strings(value: Any, needs: Callable[[str], bool], rewrite: Callable[[str], str]) -> Any:
    """`value` with `rewrite` applied to each string (and key) for which `needs` is true; lists and objects are
    changed in place, a bare string is returned rewritten. Iterative: a body may nest as deep as the parser
    allows."""
    if isinstance(value, str):
        return rewrite(value) if needs(value) else value
    pending = [value]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if any(isinstance(key, str) and needs(key) for key in node):
                items = [
                    (rewrite(key) if isinstance(key, str) and needs(key) else key, item) for key, item in node.items()
                ]
                node.clear()
                node.update(items)
            entries: Any = node.items()
        elif isinstance(node, list):
            entries = enumerate(node)
        else:
            continue
        for place, item in list(entries):
            if isinstance(item, str):
                if needs(item):
                    node[place] = rewrite(item)
            elif isinstance(item, dict | list):
                pending.append(item)
    return value
