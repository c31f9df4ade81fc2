"""Decoding: answers without a body read as nothing, odd JSON is one true sentence, and every string read is valid
Unicode (issue 18, item 1)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx

from bigcommerce_orders_mcp.client import (
    BadRequestError,
    BigCommerceClient,
    InvalidResponseError,
    UnavailableError,
)
from tests.conftest import FakeTime, small

pytestmark = pytest.mark.anyio

FFFD = "\ufffd"


def strict_utf8(value: Any) -> bytes:
    """`value` as UTF-8 JSON, failing on any lone surrogate (as the SDK's stdout writer does)."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


async def test_empty_answers_are_none(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    api.get("/a").respond(204)
    api.get("/b").respond(200, content=b"  ")
    assert await bc_client.get("/a") is None
    assert await bc_client.get("/b") is None


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested too deeply to read"),
        (b"[" * 500 + b"]" * 500, "JSON nested too deeply to read"),
        (b'{"id": 1e999}', "a number too large to read"),
        (b'{"id": NaN}', "a number too large to read"),
        (b'{"id": Infinity}', "a number too large to read"),
        (b'{"id": ' + b"9" * 5000 + b"}", "a number too large to read"),
    ],
    ids=["deep, past recursion", "deep, parseable", "1e999", "NaN", "Infinity", "5000 digits"],
)
async def test_odd_json_is_one_true_sentence(
    api: respx.MockRouter, fake_time: FakeTime, content: bytes, text: str
) -> None:
    api.get("/orders/1").respond(200, content=content, headers={"Content-Type": "application/json"})
    with pytest.raises(InvalidResponseError, match=text):
        await small(fake_time).get("/orders/1")


# Raw JSON bodies: each escape is written as the upstream sent it, not as Python would.
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Upper-case hex, a lone high surrogate ending a value.
        (rb'{"last_name":"Smith\uDBFF"}', {"last_name": f"Smith{FFFD}"}),
        # A lone low surrogate in a key, and one in a value.
        (rb'{"note\udfff":"a \uDC00 b"}', {f"note{FFFD}": f"a {FFFD} b"}),
        # Two high surrogates: neither pairs.
        (rb'["\ud83d\ud83d"]', [FFFD * 2]),
        # Deep inside lists and objects.
        (b'{"a":[[{"b":[["x\\ud9ab"]]}]]}', {"a": [[{"b": [[f"x{FFFD}"]]}]]}),
        # A surrogate as bytes (ED B0 80, U+DC00 in UTF-8 form), which "surrogatepass" let through.
        (b'{"city":"Ber\xed\xb0\x80lin"}', {"city": f"Ber{FFFD}lin"}),
        # A pair as bytes (CESU-8), which UTF-8 forbids: each half is replaced.
        (b'["\xed\xa0\xbd\xed\xb8\x80"]', [FFFD * 2]),
        # A whole answer that is one string.
        (rb'"\udabc"', FFFD),
    ],
    ids=["high at end", "low in a key", "two highs", "nested", "raw bytes", "raw pair", "top-level string"],
)
async def test_a_lone_surrogate_becomes_a_replacement_character(
    api: respx.MockRouter, bc_client: BigCommerceClient, body: bytes, expected: Any
) -> None:
    api.get("/orders/7").respond(200, content=body, headers={"Content-Type": "application/json"})
    parsed = await bc_client.get("/orders/7")
    assert parsed == expected
    strict_utf8(parsed)


async def test_a_pair_written_as_two_escapes_stays_one_character(
    api: respx.MockRouter, bc_client: BigCommerceClient
) -> None:
    api.get("/orders/7").respond(200, content=rb'{"gift":"\ud83c\udf81 and \uD83D\uDE00","k\ud83d\ude00":1}')
    assert await bc_client.get("/orders/7") == {"gift": "\U0001f381 and \U0001f600", "k\U0001f600": 1}


async def test_a_body_nested_to_the_depth_limit_is_made_whole_without_recursion(
    api: respx.MockRouter, bc_client: BigCommerceClient
) -> None:
    depth = 64
    body = b'{"k":' * (depth - 1) + b'["\\udc01"]' + b"}" * (depth - 1)
    api.get("/orders/7").respond(200, content=body)
    parsed = await bc_client.get("/orders/7")
    for _ in range(depth - 1):
        parsed = parsed["k"]
    assert parsed == [FFFD]


async def test_an_ordinary_body_is_read_as_it_was(api: respx.MockRouter, bc_client: BigCommerceClient) -> None:
    # Backslashes and escapes that are no surrogate: nothing is replaced.
    body = rb'{"url":"https:\/\/shop.example\/a","name":"Ren\u00e9e \\ud800 \u2603","e":"\u00ed"}'
    api.get("/orders/7").respond(200, content=body)
    assert await bc_client.get("/orders/7") == json.loads(body)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (422, rb'[{"status":422,"message":"The field \"x\ud800\" is invalid"}]', BadRequestError),
        (503, b'{"title":"Down for \xed\xa0\x81 maintenance"}', UnavailableError),
    ],
    ids=["escape in a v2 error", "raw bytes in a problem"],
)
async def test_an_error_quoting_upstream_text_is_valid_unicode(
    api: respx.MockRouter, bc_client: BigCommerceClient, status: int, body: bytes, error: type[Exception]
) -> None:
    api.get("/orders/7").respond(status, content=body)
    with pytest.raises(error) as raised:
        await bc_client.get("/orders/7")
    assert FFFD in str(raised.value)
    str(raised.value).encode("utf-8")
