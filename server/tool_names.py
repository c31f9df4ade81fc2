"""The `tools` setting's type: which tools to expose, written `get_order,list_orders`, checked against the tools."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from bigcommerce_orders_mcp.setting_lines import quoted
from bigcommerce_orders_mcp.tools import TOOLS

__all__ = ["ToolNames"]


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [name.strip().lower() for name in value.split(",") if name.strip()]
    return value


def _known(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names, each once, if every one is a tool's; else what is allowed and the names that are not."""
    valid = [tool.name for tool in TOOLS]
    choices = f"{', '.join(valid[:-1])} or {valid[-1]}"
    if not names:
        raise ValueError(f"must name at least one of {choices}")
    unknown = [name for name in dict.fromkeys(names) if name not in valid]
    if unknown:
        # A token pasted here by mistake is not shown back, like any value that looks like one.
        shown = ", ".join(quoted(name) or "a value not shown" for name in unknown[:5])
        more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
        plural = "are not tools" if len(unknown) > 1 else "is not a tool"
        raise ValueError(f"must list only {choices}; {shown}{more} {plural} of this server")
    return tuple(dict.fromkeys(names))


ToolNames = Annotated[tuple[str, ...], BeforeValidator(_split), AfterValidator(_known)]
