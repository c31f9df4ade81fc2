"""The secrets this process holds never reach a log line, an error or an answer the client decodes."""

from __future__ import annotations

import json
import logging

import pytest
import respx

from bigcommerce_orders_mcp.client import BigCommerceError, forget, holds_secret, register, scrub
from tests.conftest import TOKEN, FakeTime, small

pytestmark = pytest.mark.anyio


async def test_the_log_filter_scrubs_registered_tokens_from_any_record(caplog: pytest.LogCaptureFixture) -> None:
    small()  # registers TOKEN
    logger = logging.getLogger("bigcommerce_orders_mcp")
    caplog.set_level(logging.DEBUG)
    logger.debug("sent %s", TOKEN)
    try:
        raise ValueError(f"token {TOKEN}")
    except ValueError:
        logger.exception("failed")
    assert "sent [secret]" in caplog.text
    assert TOKEN not in caplog.text


async def test_the_client_scrubs_every_registered_secret_from_errors_and_answers(
    api: respx.MockRouter, fake_time: FakeTime
) -> None:
    other = 'oth"er-SECRET-\\-2c9e'  # a quote and a backslash: JSON writes it escaped
    register(other)
    client = small(fake_time)
    api.get("/orders/1").respond(400, json={"status": 400, "title": "y" * 295 + other})
    with pytest.raises(BigCommerceError) as caught:
        await client.get("/orders/1")
    assert "oth" not in caught.value.message.removeprefix("y" * 295)[:8]
    assert other not in str(caught.value)
    api.get("/orders/2").respond(json={"note": f"it is {other}", other: [{"deep": [other]}], "id": 2})
    assert await client.get("/orders/2") == {
        "note": "it is [secret]",
        "[secret]": [{"deep": ["[secret]"]}],
        "id": 2,
    }


def test_holds_secret_and_scrub_find_a_secret_as_json_writes_it() -> None:
    secret = 'json"SECRET\\-77d1'
    register(secret)
    written = json.dumps({"message": f"echo {secret}"}, ensure_ascii=False)
    assert secret not in written
    assert holds_secret(written)
    assert json.loads(scrub(written)) == {"message": "echo [secret]"}
    assert not holds_secret('{"message":"nothing here"}')


def test_a_forgotten_secret_is_no_longer_scrubbed_and_the_others_still_are() -> None:
    register("kept-secret-9a1f")
    register("gone-secret-2b7e")
    forget("gone-secret-2b7e")
    forget("never-registered-secret")
    assert scrub("kept-secret-9a1f gone-secret-2b7e") == "[secret] gone-secret-2b7e"
    assert not holds_secret("gone-secret-2b7e")
    assert holds_secret('"kept-secret-9a1f"')
