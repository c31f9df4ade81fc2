"""The README's support questions: each call is made against the sandbox store, as a client would, and the
answer must be in its output where the table says."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.settings import Settings
from bigcommerce_orders_mcp.stores import demo_client
from tests.conftest import TOOL_NAMES

README = Path(__file__).resolve().parent.parent / "README.md"
ROW = re.compile(r"^\| (?P<question>[^|]+) \| `(?P<tool>\w+) (?P<args>\{.*\})` \| (?P<answers>.+) \|$")

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Question:
    question: str
    tool: str
    arguments: dict[str, Any]
    answers: list[tuple[str, str | None]]
    """(path, expected value or None for "present and not empty")."""


def questions() -> list[Question]:
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- questions -->", 1)[1].split("<!-- /questions -->", 1)[0]
    found = []
    for line in table.strip().splitlines()[2:]:
        match = ROW.match(line)
        assert match, f"a questions row the test cannot read: {line}"
        answers = []
        for cell in match["answers"].split("; "):
            path, _, value = cell.strip("`").partition(" = ")
            answers.append((path, value or None))
        found.append(Question(match["question"], match["tool"], json.loads(match["args"]), answers))
    return found


def values_at(node: Any, path: str) -> list[Any]:
    """Every value at a dotted path; `name[]` steps into each entry of a list."""
    nodes = [node]
    for step in path.split("."):
        key, many = step.removesuffix("[]"), step.endswith("[]")
        nodes = [n[key] for n in nodes if isinstance(n, dict) and key in n]
        if many:
            nodes = [entry for n in nodes if isinstance(n, list) for entry in n]
    return nodes


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
    for path, expected in asked.answers:
        found = values_at(result.structured_content, path)
        assert found, f"{asked.question}: nothing at {path}"
        if expected is None:
            assert all(value not in (None, "", [], {}) for value in found), (path, found)
        else:
            shown = [json.dumps(v) if isinstance(v, bool) else str(v) for v in found]
            assert expected in shown, (path, expected, shown)
