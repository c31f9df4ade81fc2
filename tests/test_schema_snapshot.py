"""Every tool's name, title, description, annotations and schemas, and the prompts and resource templates,
as clients see them.

A deliberate change: run `UPDATE_SNAPSHOTS=1 pytest tests/test_schema_snapshot.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools.json"


@pytest.mark.anyio
async def test_tool_surface_matches_the_snapshot(mcp_client: Any) -> None:
    listed = await mcp_client.list_tools()
    surface = [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in listed.tools]
    prompts = [
        p.model_dump(mode="json", by_alias=True, exclude_none=True) for p in (await mcp_client.list_prompts()).prompts
    ]
    templates = (await mcp_client.list_resource_templates()).resource_templates
    resources = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in templates]
    current = json.dumps(
        {
            "instructions": mcp_client.instructions,
            "tools": surface,
            "prompts": prompts,
            "resource_templates": resources,
        },
        indent=2,
        ensure_ascii=False,
    )
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(current + "\n")
    assert SNAPSHOT.read_text() == current + "\n", "tool surface changed: see the module docstring"
