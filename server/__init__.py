"""bigcommerce_orders_mcp: the MCP server for BigCommerce orders, and the composition root of its layers."""

__all__ = ["__version__"]

__version__ = "0.1.0"
