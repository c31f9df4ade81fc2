"""The README's question table as data: each support question, the one call that answers it and where in the
answer the facts are. `tests/test_questions.py` checks each row against the sandbox store; `bench` counts the
tokens each row costs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["README", "Question", "missing_answers", "questions", "values_at"]

README = Path(__file__).resolve().parent.parent / "README.md"
ROW = re.compile(r"^\| (?P<question>[^|]+) \| `(?P<tool>\w+) (?P<args>\{.*\})` \| (?P<answers>.+) \|$")


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


def missing_answers(asked: Question, answer: Any) -> list[str]:
    """What the row says is in `answer` (a call's structured content) and is not: one line each."""
    missing = []
    for path, expected in asked.answers:
        found = values_at(answer, path)
        if not found:
            missing.append(f"nothing at {path}")
        elif expected is None:
            if not all(value not in (None, "", [], {}) for value in found):
                missing.append(f"{path} is empty: {found}")
        else:
            shown = [json.dumps(v) if isinstance(v, bool) else str(v) for v in found]
            if expected not in shown:
                missing.append(f"{path} is not {expected}: {shown}")
    return missing
