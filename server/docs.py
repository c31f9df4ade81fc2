"""What is generated from the code: the README's tables (tool arguments, settings) and `tools/schemas.json`.

`python -m bigcommerce_orders_mcp.docs` rewrites both.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bigcommerce_orders_mcp.settings import DEFAULT_API_URL, Settings, variable
from bigcommerce_orders_mcp.tools import TOOLS
from bigcommerce_orders_mcp.tools.base import SCHEMAS_FILE, generate_tool_schema, schema_key, tool_schema

__all__ = ["README", "arguments_table", "render", "schemas", "settings_table", "tables"]

README = Path(__file__).resolve().parent.parent / "README.md"


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " or ".join(f"`{value}`" for value in schema["enum"])
    kind = schema.get("type", "any")
    if "pattern" in schema:
        return f"{kind} matching `{schema['pattern']}`"
    if kind == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if kind == "integer" and "minimum" in schema:
        upper = schema.get("maximum")
        return f"integer {schema['minimum']}–{upper}" if upper is not None else f"integer ≥ {schema['minimum']}"
    return str(kind)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def arguments_table(model: type[Any]) -> str:
    schema = tool_schema(model)
    required = set(schema.get("required", []))
    rows = ["| Argument | Type | Default | Meaning |", "|---|---|---|---|"]
    for name, prop in schema["properties"].items():
        default = "required" if name in required else (f"`{prop['default']}`" if "default" in prop else "–")
        rows.append(f"| `{name}` | {_cell(_type(prop))} | {default} | {_cell(prop.get('description', ''))} |")
    return "\n".join(rows)


def settings_table() -> str:
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        if field.default is None:
            default = "required" if name in ("store_hash", "access_token") else "unset"
        elif field.default is False:
            default = "`0`"
        elif field.default == DEFAULT_API_URL:
            default = f"`{DEFAULT_API_URL}`"
        else:
            default = f"`{field.default:g}`" if isinstance(field.default, float) else f"`{field.default}`"
        rows.append(f"| `{variable(name)}` | {default} | {_cell(field.description or '')} |")
    return "\n".join(rows)


def tables() -> dict[str, str]:
    generated = {f"arguments:{tool.name}": arguments_table(tool.arguments) for tool in TOOLS}
    generated["settings"] = settings_table()
    return generated


def schemas() -> str:
    """`tools/schemas.json`: every tool's argument and output schemas, so a start does not generate them."""
    models = [model for tool in TOOLS for model in (tool.arguments, tool.output)]
    return json.dumps({schema_key(m): generate_tool_schema(m) for m in models}, indent=1, ensure_ascii=False) + "\n"


def _block(table: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        return f"{match[1]}{table}\n{match[2]}"

    return replace


def render(readme: str) -> str:
    """The README with every generated block replaced by what the code says now."""
    for key, table in tables().items():
        pattern = re.compile(rf"(<!-- generated:{re.escape(key)} -->\n)(?:(?!<!--).*?\n)?(<!-- /generated -->)", re.S)
        if not pattern.search(readme):
            raise ValueError(f"README.md has no '<!-- generated:{key} -->' block")
        readme = pattern.sub(_block(table), readme)
    return readme


if __name__ == "__main__":
    README.write_text(render(README.read_text(encoding="utf-8")), encoding="utf-8")
    SCHEMAS_FILE.write_text(schemas(), encoding="utf-8")
    print(f"updated {README} and {SCHEMAS_FILE}", file=sys.stderr)
