"""The BigCommerce client: HTTP, retries, quota and errors; it knows nothing of MCP or of tools."""
