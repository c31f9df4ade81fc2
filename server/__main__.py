from bigcommerce_orders_mcp.cli import main

main()
