"""`python -m bundle`: build dist/bigcommerce-orders-mcp.mcpb for Claude Desktop."""

from bundle import build

path = build()
print(f"built {path} ({path.stat().st_size:,} bytes): open it with Claude Desktop (Settings → Extensions)")
