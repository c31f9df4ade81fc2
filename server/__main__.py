"""`python -m bigcommerce_orders_mcp`: the `bigcommerce-orders-mcp` command."""

from bigcommerce_orders_mcp.cli import main

main()
