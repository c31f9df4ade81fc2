"""The `bigcommerce-orders-mcp` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from server import __version__
from server.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from server.client import BigCommerceClient

PROG = "bigcommerce-orders-mcp"
SANDBOX_PORT = 8787
DEMO_QUOTA = 100_000

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
            "default 30), BIGCOMMERCE_MAX_RETRIES (default 3), BIGCOMMERCE_RETRY_BUDGET (seconds, default 30), "
            "BIGCOMMERCE_MAX_CONCURRENCY (default 8), BIGCOMMERCE_REDACT_PII (default 0), "
            "BIGCOMMERCE_MCP_AUTH_TOKEN (bearer token for sse/streamable-http). "
            f"Run '{PROG} sandbox --help' for the sandbox store."
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
    parser.add_argument(
        "--allow-unauthenticated",
        action="store_true",
        help="allow sse/streamable-http on a non-loopback --host without BIGCOMMERCE_MCP_AUTH_TOKEN",
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
    sandbox.add_argument(
        "--quota",
        type=int,
        default=150,
        help="requests allowed per 30 s window, as its rate-limit headers say (default 150)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "sandbox":
            from server.sandbox import serve

            serve(host=args.host, port=args.port, store_hash=args.store_hash, access_token=args.token, quota=args.quota)
            return
        settings = _settings(parser, demo=args.demo)
        auth_token = settings.mcp_auth_token.get_secret_value() if settings.mcp_auth_token else None
        if args.transport != "stdio":
            _check_exposure(parser, args.host, auth_token, args.allow_unauthenticated)
        client = _demo_client(settings) if args.demo else _store_client(settings)
        from server.app import build_server

        server = build_server(client, demo=args.demo)
        if args.demo:
            print(f"{PROG}: serving the built-in sandbox store (demo data, not a real store)", file=sys.stderr)
        if args.transport == "stdio":
            server.run()
        else:
            from server.transports import serve_http

            serve_http(server, args.transport, client=client, host=args.host, port=args.port, auth_token=auth_token)
    except KeyboardInterrupt:
        pass


def _settings(parser: argparse.ArgumentParser, *, demo: bool) -> Settings:
    if not demo and not any(os.environ.get(f"BIGCOMMERCE_{name}") for name in ("STORE_HASH", "ACCESS_TOKEN")):
        parser.exit(2, f"{PROG}: {NO_STORE}\n")
    try:
        return load_settings(require_store=not demo)
    except SettingsError as exc:
        parser.exit(2, f"{PROG}: {exc}\n")


def _check_exposure(parser: argparse.ArgumentParser, host: str, auth_token: str | None, allowed: bool) -> None:
    from server.transports import is_loopback

    if not is_loopback(host) and not auth_token and not allowed:
        parser.exit(
            2,
            f"{PROG}: refusing to serve on {host}, which is reachable from other machines, without "
            "authentication: set BIGCOMMERCE_MCP_AUTH_TOKEN (clients then send 'Authorization: Bearer <token>'), "
            "bind --host 127.0.0.1, or pass --allow-unauthenticated.\n",
        )


def _client_options(settings: Settings) -> dict[str, Any]:
    from server.client import RetryPolicy

    return {
        "timeout": settings.timeout,
        "retry": RetryPolicy(max_retries=settings.max_retries, budget=settings.retry_budget),
        "max_concurrency": settings.max_concurrency,
        "redact_pii": settings.redact_pii,
    }


def _store_client(settings: Settings) -> BigCommerceClient:
    from server.client import BigCommerceClient

    assert settings.access_token is not None  # load_settings(require_store=True) checked it
    return BigCommerceClient(settings.base_url, settings.access_token.get_secret_value(), **_client_options(settings))


def _demo_client(settings: Settings) -> BigCommerceClient:
    import httpx

    from server.client import BigCommerceClient
    from server.sandbox import SANDBOX_ACCESS_TOKEN, SANDBOX_STORE_HASH, create_app
    from server.sandbox.responses import RateLimiter

    # The demo is about orders, not rate limits: a quota a conversation never reaches.
    app = create_app(rate_limiter=RateLimiter(quota=DEMO_QUOTA))
    return BigCommerceClient(
        f"http://sandbox.invalid/stores/{SANDBOX_STORE_HASH}/v2",
        SANDBOX_ACCESS_TOKEN,
        transport=httpx.ASGITransport(app=app),
        **_client_options(settings),
    )
