"""The `bigcommerce-orders-mcp` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from server import __version__
from server.settings import SettingsError, load_settings

if TYPE_CHECKING:
    from server.client import BigCommerceClient

PROG = "bigcommerce-orders-mcp"
SANDBOX_PORT = 8787

NO_STORE = (
    "no BigCommerce store configured. Either set BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN "
    "(an API account with the Orders read-only scope; see claude_desktop_config.example.json), "
    "or run with --demo to use the built-in sandbox store."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="MCP server for BigCommerce orders: the get_order and list_order_messages tools.",
        epilog=(
            "Settings come from the environment: BIGCOMMERCE_STORE_HASH, BIGCOMMERCE_ACCESS_TOKEN, "
            "BIGCOMMERCE_API_URL (default https://api.bigcommerce.com), BIGCOMMERCE_TIMEOUT (seconds, "
            f"default 30). Run '{PROG} sandbox --help' for the sandbox store."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--transport",
        choices=["stdio", "sse", "streamable-http"],
        default="stdio",
        help="stdio (default, what Claude Desktop launches), sse (at /sse) or streamable-http (at /mcp)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address for sse and streamable-http (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port for sse and streamable-http (default 8000)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="serve the built-in sandbox store in-process: no credentials needed",
    )
    commands = parser.add_subparsers(dest="command", metavar="{sandbox}")
    sandbox = commands.add_parser(
        "sandbox",
        help="run the sandbox store as a BigCommerce-like HTTP API on loopback",
        description="Serve the sandbox store's Orders v2 API over HTTP (store hash 'sandbox', token 'sandbox-token').",
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sandbox.add_argument("--port", type=int, default=SANDBOX_PORT, help=f"port (default {SANDBOX_PORT})")
    sandbox.add_argument("--store-hash", default="sandbox", help="store hash it answers to (default sandbox)")
    sandbox.add_argument("--token", default="sandbox-token", help="access token it accepts (default sandbox-token)")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "sandbox":
            from server.sandbox import serve

            serve(host=args.host, port=args.port, store_hash=args.store_hash, access_token=args.token)
            return
        client = _demo_client() if args.demo else _store_client(parser)
        from server.app import build_server

        server = build_server(client, demo=args.demo)
        if args.demo:
            print(f"{PROG}: serving the built-in sandbox store (demo data, not a real store)", file=sys.stderr)
        if args.transport == "stdio":
            server.run()
        elif args.transport == "sse":
            server.run("sse", host=args.host, port=args.port, sse_path="/sse")
        else:
            server.run("streamable-http", host=args.host, port=args.port, streamable_http_path="/mcp")
    except KeyboardInterrupt:
        pass


def _store_client(parser: argparse.ArgumentParser) -> BigCommerceClient:
    if not any(os.environ.get(name) for name in ("BIGCOMMERCE_STORE_HASH", "BIGCOMMERCE_ACCESS_TOKEN")):
        parser.exit(2, f"{PROG}: {NO_STORE}\n")
    try:
        settings = load_settings()
    except SettingsError as exc:
        parser.exit(2, f"{PROG}: {exc}\n")
    from server.client import BigCommerceClient

    return BigCommerceClient(settings.base_url, settings.access_token.get_secret_value(), timeout=settings.timeout)


def _demo_client() -> BigCommerceClient:
    import httpx

    from server.client import BigCommerceClient
    from server.sandbox import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, create_app

    return BigCommerceClient(
        f"http://sandbox.invalid/stores/{SANDBOX_STORE_HASH}/v2",
        SANDBOX_ACCESS_TOKEN,
        transport=httpx.ASGITransport(app=create_app()),
    )
