"""Decoding: answers without a body read as nothing, and odd JSON is one true sentence."""

from __future__ import annotations

import pytest
import respx

from bigcommerce_orders_mcp.client import BigCommerceClient, InvalidResponseError
from tests.conftest import FakeTime, small

pytestmark = pytest.mark.anyio


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
