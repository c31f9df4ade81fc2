"""stdio's line checks without a process: which lines reach the SDK, which are answered, and with which id."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bigcommerce_orders_mcp.stdio import MAX_LINE, id_of, lines_checked


def reader(data: bytes, size: int = 7) -> Callable[[int], bytes]:
    """`data` handed out a few bytes at a time, so lines arrive cut across reads."""
    chunks = [data[n : n + size] for n in range(0, len(data), size)]
    return lambda _: chunks.pop(0) if chunks else b""


def checked(data: bytes) -> tuple[list[bytes], list[dict[str, object]]]:
    forwarded: list[bytes] = []
    answers: list[bytes] = []
    lines_checked(reader(data), forwarded.append, answers.append)
    return forwarded, [json.loads(answer) for answer in answers]


def test_good_lines_reach_the_sdk_unchanged_and_bad_ones_are_answered() -> None:
    ping = b'{"jsonrpc":"2.0","id":1,"method":"ping"}\n'
    forwarded, answers = checked(ping + b"\n  \n" + b"{oops\n" + b'{"jsonrpc":"2.0","id":2,"method":"ping"}')
    assert forwarded == [ping, b'{"jsonrpc":"2.0","id":2,"method":"ping"}\n']
    assert [(answer["id"], answer["error"]) for answer in answers] == [
        (None, {"code": -32700, "message": "Parse error: the line is not JSON"})
    ]


def test_a_line_past_the_bound_is_answered_once_and_skipped() -> None:
    line = b'{"jsonrpc":"2.0","id":"big","method":"ping","params":{"x":"' + b"y" * (MAX_LINE + 10) + b'"}}\n'
    forwarded, answers = checked(line + b'{"jsonrpc":"2.0","id":3,"method":"ping"}\n')
    assert [answer["id"] for answer in answers] == ["big"]
    assert forwarded == [b'{"jsonrpc":"2.0","id":3,"method":"ping"}\n']


def test_a_huge_method_name_is_not_found_in_a_short_answer() -> None:
    forwarded, answers = checked(b'{"jsonrpc":"2.0","id":5,"method":"' + b"m" * 100_000 + b'"}\n')
    assert forwarded == []
    assert [(answer["id"], answer["error"]["code"]) for answer in answers] == [(5, -32601)]  # type: ignore[index]
    assert len(json.dumps(answers)) < 400


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"jsonrpc": "2.0", "id": 12, "params": [[[', 12),
        ('{"method": "x", "params": {"id": 5}, "id": "seven"}', "seven"),
        ('{"method": "x", "params": {"id": 5', None),
        ('{"id": true}', None),
        ('{"id": 99999999999999999999999}', None),
        ('{"id": "' + "x" * 1000 + '"}', None),
        ('{"id": "\\ud800"}', None),
        ("[1, 2]", None),
        ('{"id": 3.5}', None),
    ],
)
def test_the_id_is_read_where_it_can_be(text: str, expected: object) -> None:
    assert id_of(text) == expected
