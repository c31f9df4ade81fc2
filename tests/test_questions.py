"""The README's support questions: each call is made against the sandbox store, as a client would, and the
answer must be in its output where the table says."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.settings import Settings
from bigcommerce_orders_mcp.stores import demo_client
from tests.conftest import TOOL_NAMES
from tests.questions import Question, missing_answers, questions

pytestmark = pytest.mark.anyio


def test_the_table_covers_every_tool_and_two_dozen_questions() -> None:
    asked = questions()
    assert len(asked) >= 25
    assert {q.tool for q in asked} == TOOL_NAMES


@pytest.fixture(scope="module")
async def sandbox() -> AsyncIterator[Any]:
    async with Client(build_server(demo_client(Settings()), log_level="WARNING")) as client:
        yield client


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize("asked", questions(), ids=lambda q: q.question)
async def test_the_answer_is_where_the_readme_says(sandbox: Any, asked: Question) -> None:
    result = await sandbox.call_tool(asked.tool, asked.arguments)
    assert not result.is_error, result.content
    assert missing_answers(asked, result.structured_content) == [], asked.question
