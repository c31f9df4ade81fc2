"""The README's commands, the CI script and the Claude Desktop example agree with the code."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from bigcommerce_orders_mcp.settings import Settings

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    return re.findall(r"```bash\n(.*?)\n```", (ROOT / "README.md").read_text(), flags=re.S)


def test_ci_runs_the_readme_test_command() -> None:
    install, test = readme_commands()[1].splitlines()
    assert install.startswith("python3 -m venv .venv && ")  # a fresh clone needs no other step first
    assert "'.[dev,agents]'" in install
    assert "npm ci --prefix bundle" in install
    assert test.endswith(".venv/bin/mypy && .venv/bin/pytest")
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert [install, test] == ci[-2:]


def test_readme_setup_installs_the_server_alone_and_runs_the_console_script() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"bigcommerce-orders-mcp": "bigcommerce_orders_mcp.cli:main"}
    setup = readme_commands()[0]
    assert ".venv/bin/pip install -e . && .venv/bin/bigcommerce-orders-mcp --demo" in setup
    assert "[" not in setup  # no extras: a newcomer waits for the server's dependencies only


def test_claude_desktop_example_uses_settings_the_server_reads() -> None:
    config = json.loads((ROOT / "claude_desktop_config.example.json").read_text())
    (server,) = config["mcpServers"].values()
    assert server["command"].endswith("/bigcommerce-orders-mcp")
    read = {f"BIGCOMMERCE_{name.upper()}" for name in Settings.model_fields}
    assert set(server["env"]) <= read
    assert {"BIGCOMMERCE_STORE_HASH", "BIGCOMMERCE_ACCESS_TOKEN"} <= set(server["env"])


def test_readme_tables_are_what_the_code_says() -> None:
    from bigcommerce_orders_mcp.docs import render

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render(readme) == readme, "README tables are stale: run `.venv/bin/python -m server.docs`"


def test_the_written_schemas_are_what_the_models_generate() -> None:
    from bigcommerce_orders_mcp.docs import schemas
    from bigcommerce_orders_mcp.tools.base import SCHEMAS_FILE

    # The server reads its tools' schemas from this file instead of generating them at every start.
    written = SCHEMAS_FILE.read_text(encoding="utf-8")
    assert written == schemas(), "tools/schemas.json is stale: run `.venv/bin/python -m server.docs`"


def test_every_flag_in_the_readme_exists() -> None:
    from bigcommerce_orders_mcp.cli import build_parser

    parser = build_parser()
    known = {option for action in parser._actions for option in action.option_strings}
    for sub in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        known |= {option for action in sub._actions for option in action.option_strings}
    # Other programs' flags (ruff, pip, uvx, the examples, the benchmark, the Inspector) are not ours.
    lines = (ROOT / "README.md").read_text().replace("ruff format --check", "").replace('"--from"', "").splitlines()
    others = ("examples/", "bench", "inspector", "npm ci", "pip install", "uv run", "uv tool run")
    readme = "\n".join(line for line in lines if not any(other in line for other in others))
    mentioned = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", readme))
    assert mentioned <= known, mentioned - known
