"""The tokens this process holds never reach a log line, whatever logs them."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import TOKEN, small

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
