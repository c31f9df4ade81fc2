"""The `bigcommerce-orders-mcp` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Coroutine, Sequence
from typing import TYPE_CHECKING, Any

import anyio

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.client import BigCommerceClient, BigCommerceError, RetryPolicy, register
from bigcommerce_orders_mcp.logs import FORMATS, LEVELS, LogOptions, announce, configure
from bigcommerce_orders_mcp.settings import (
    NoStoreError,
    Settings,
    SettingsError,
    load_settings,
    misspelt_variables,
    store_configs,
    variable,
)
from bigcommerce_orders_mcp.stores import Stores
from bigcommerce_orders_mcp.tools import TOOLS

# Imported where they are used, below: the MCP SDK (through app and transports) and the demo store take most of a
# start, and a mistake in the settings is reported before paying for them. The HTTP transports load only for
# serving over HTTP, the demo store only for --demo or the sandbox command.
if TYPE_CHECKING:
    import httpx

    from bigcommerce_orders_mcp.app import OrdersServer

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEMO_QUOTA",
    "MAX_PAGES",
    "NO_STORE",
    "PROG",
    "SANDBOX_PORT",
    "all_pages",
    "build_parser",
    "check_stores",
    "configure_logging",
    "demo_client",
    "main",
]

PROG = "bigcommerce-orders-mcp"
SANDBOX_PORT = 8787
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEMO_QUOTA = 100_000

NO_STORE = (
    "no BigCommerce store configured. Either set BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN "
    "(an API account with the Orders read-only scope; see claude_desktop_config.example.json), "
    "or run with --demo to use the built-in sandbox store."
)


def _settings_summary() -> str:
    parts = []
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, bool):
            default = int(default)
        shown = (
            ""
            if default is None
            else f" (default {default:g})"
            if isinstance(default, float)
            else f" (default {default})"
        )
        parts.append(f"{variable(name)}{shown}")
    return ", ".join(parts)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="MCP server for BigCommerce orders: get_order, list_orders, list_order_messages and "
        "list_order_shipments.",
        epilog=f"Settings come from the environment: {_settings_summary()}. "
        f"Run '{PROG} sandbox --help' for the sandbox store.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--transport",
        choices=["stdio", "sse", "streamable-http"],
        default="stdio",
        help="stdio (default, what Claude Desktop launches), sse (at /sse) or streamable-http (at /mcp)",
    )
    # Defaults are None so that giving either without an HTTP transport can be refused.
    parser.add_argument("--host", help=f"address for sse and streamable-http (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, help=f"port for sse and streamable-http (default {DEFAULT_PORT})")
    parser.add_argument(
        "--stateless",
        action="store_true",
        help="streamable-http: keep no session between requests, so replicas behind a load balancer can answer "
        "any request",
    )
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
    parser.add_argument(
        "--log-level",
        type=str.lower,
        choices=LEVELS,
        help="debug, info, warning or error (default: info, without a line per tool call; "
        f"{variable('log_level')}); info and debug log every tool call, debug every request to BigCommerce too",
    )
    parser.add_argument(
        "--log-format",
        type=str.lower,
        choices=FORMATS,
        help=f"text (default) or json, one JSON object a line ({variable('log_format')}); logs go to stderr",
    )
    commands = parser.add_subparsers(dest="command", metavar="{sandbox,call,check}")
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
    sandbox.add_argument(
        "--faults",
        action="store_true",
        help="serve /_sandbox/faults, a switch for injected faults (tests and benchmarks; loopback only)",
    )
    call = commands.add_parser(
        "call",
        help="run one tool once and print its result",
        description="Run one tool once, as an MCP client would, and print its result (JSON) on stdout.",
    )
    call.add_argument("tool", help="get_order, list_order_messages or list_orders")
    call.add_argument("arguments", nargs="?", default="{}", help="the tool's arguments as a JSON object")
    call.add_argument(
        "--all", action="store_true", help="list_order_messages, list_orders: fetch every page (progress on stderr)"
    )
    call.add_argument("--pretty", action="store_true", help="indent the JSON")
    check = commands.add_parser(
        "check",
        help="verify the settings against the store",
        description="Check that each configured store is reachable, the token is valid and orders can be read.",
    )
    for sub in (call, check):
        sub.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="use the sandbox store")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "sandbox":
            from bigcommerce_orders_mcp.sandbox import serve

            serve(
                host=args.host,
                port=args.port,
                store_hash=args.store_hash,
                access_token=args.token,
                faults=args.faults,
                quota=args.quota,
            )
            return
        if args.command is not None or args.transport == "stdio":
            _refuse_listen_flags(parser, args)
        if args.stateless and (args.command is not None or args.transport != "streamable-http"):
            parser.exit(
                2,
                f"{PROG}: --stateless only applies to --transport streamable-http "
                f"({args.command or args.transport} keeps its own connection). Add --transport streamable-http, "
                "or leave it out.\n",
            )
        settings, stores = _settings(parser, demo=args.demo)
        demo = args.demo or settings.demo
        logs = configure_logging(args, settings)
        if args.command == "call":
            sys.exit(_run(_call(stores, args)))
        if args.command == "check":
            sys.exit(_run(check_stores(stores)))
        auth_token = settings.mcp_auth_token.get_secret_value() if settings.mcp_auth_token else None
        register(auth_token)  # kept out of every log line, like the stores' tokens
        if args.transport == "stdio":
            _server(stores, demo).run()
        else:
            _serve_http(parser, args, stores, demo=demo, auth_token=auth_token, logs=logs)
    except KeyboardInterrupt:
        pass


def _server(stores: Stores, demo: bool) -> OrdersServer:
    from bigcommerce_orders_mcp.app import build_server

    server = build_server(stores, demo=demo)
    if demo:
        announce("serving the built-in sandbox store (demo data, not a real store)")
    return server


def _serve_http(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    stores: Stores,
    *,
    demo: bool,
    auth_token: str | None,
    logs: LogOptions,
) -> None:
    from bigcommerce_orders_mcp import transports

    host = DEFAULT_HOST if args.host is None else args.host
    port = DEFAULT_PORT if args.port is None else args.port
    if not transports.guarded_locally(host) and not auth_token and not args.allow_unauthenticated:
        parser.exit(
            2,
            f"{PROG}: refusing to serve on {host} without authentication: only 127.0.0.1, localhost and ::1 are "
            "safe from other machines and from web pages (DNS rebinding). Set BIGCOMMERCE_MCP_AUTH_TOKEN "
            "(clients then send 'Authorization: Bearer <token>'), bind --host 127.0.0.1, or pass "
            "--allow-unauthenticated.\n",
        )
    server = _server(stores, demo)
    try:
        transports.serve_http(
            server,
            args.transport,
            stores=stores,
            host=host,
            port=port,
            auth_token=auth_token,
            stateless=args.stateless,
            logs=logs,
        )
    except transports.ListenError as exc:
        parser.exit(2, f"{PROG}: {exc}\n")


def configure_logging(args: argparse.Namespace, settings: Settings) -> LogOptions:
    """Logs on stderr, at the level and in the format asked for; the flags win over the environment."""
    options = LogOptions(args.log_level or settings.log_level, args.log_format or settings.log_format)
    configure(options, redact_pii=settings.redact_pii)
    return options


def _run(job: Coroutine[Any, Any, int]) -> int:
    async def main() -> int:
        return await job

    return anyio.run(main)


async def _call(stores: Stores, args: argparse.Namespace) -> int:
    from mcp import Client

    from bigcommerce_orders_mcp.app import build_server

    names = [tool.name for tool in TOOLS]
    paged = [tool.name for tool in TOOLS if "next_page" in tool.output_schema().get("properties", {})]
    if args.tool not in names:
        print(f"{PROG}: unknown tool {args.tool!r}; tools: {', '.join(names)}", file=sys.stderr)
        return 2
    try:
        arguments = json.loads(args.arguments)
    except json.JSONDecodeError as exc:
        print(f"{PROG}: arguments must be a JSON object, e.g. '{{\"order_id\": 218}}' ({exc})", file=sys.stderr)
        return 2
    if not isinstance(arguments, dict):
        print(f"{PROG}: arguments must be a JSON object, e.g. '{{\"order_id\": 218}}'", file=sys.stderr)
        return 2
    if args.all and args.tool not in paged:
        print(f"{PROG}: --all pages through {', '.join(paged)} only", file=sys.stderr)
        return 2
    async with Client(build_server(stores, log_level="WARNING")) as client:
        result = await client.call_tool(args.tool, arguments)
        data = result.structured_content
        if args.all and not result.is_error and data is not None:
            data = await all_pages(client, args.tool, data)
    if result.is_error:
        print(f"{PROG}: {_text(result)}", file=sys.stderr)
        return 1
    print(
        json.dumps(
            data, ensure_ascii=False, indent=2 if args.pretty else None, separators=None if args.pretty else (",", ":")
        )
    )
    return 0


MAX_PAGES = 100


async def all_pages(client: Any, tool: str, first: dict[str, Any], max_pages: int = MAX_PAGES) -> dict[str, Any]:
    """Follow next_page until the last page or `max_pages`, reporting progress on stderr; one combined result."""
    rows = next(key for key, value in first.items() if isinstance(value, list))
    pages = [first]
    count = len(first[rows])
    while more := pages[-1].get("has_more") and pages[-1].get("next_page"):
        if len(pages) >= max_pages:
            break
        page = pages[-1]
        _progress(f"page {page['page']}: {count} {rows} so far, fetching page {page['next_page']['page']}")
        result = await client.call_tool(tool, page["next_page"])
        if result.is_error:
            raise SystemExit(f"{PROG}: {_text(result)}")
        pages.append(result.structured_content)
        count += len(pages[-1][rows])
    if more:
        following = pages[-1]["next_page"]["page"]
        _progress(f"stopped at the cap of {max_pages} pages: {count} {rows}; more from page {following}", last=True)
    else:
        _progress(f"done: {count} {rows}", last=True)
    # A fact a page says once for its rows (one customer, one currency) stays said once only if every
    # page says the same; otherwise each row gets its own page's.
    filled = [page for page in pages if page[rows]] or pages
    facts = {key for page in filled for key in page} - {rows, "page", "count", "has_more", "next_page"}
    differing = {key for key in facts if len({repr(page.get(key)) for page in filled}) > 1}
    combined = {key: value for key, value in first.items() if key not in {"page", "has_more", "next_page", *differing}}
    combined[rows] = [
        {**row, **{key: page[key] for key in differing if page.get(key) is not None}}
        for page in pages
        for row in page[rows]
    ]
    combined["count"] = count
    combined["pages"] = len(pages)
    if more:
        combined["truncated"] = True
        combined["next_page"] = pages[-1]["next_page"]
    return combined


def _progress(text: str, *, last: bool = False) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\033[K{text}" + ("\n" if last else ""))
    else:
        sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _text(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def check_stores(stores: Stores) -> int:
    async with stores.session():  # and with it the shared budget's link to Redis, once for every store
        return await _check_each(stores)


async def _check_each(stores: Stores) -> int:
    failures = 0
    for name, client in stores.clients.items():
        label = f"{name} ({client.base_url})" if stores.multiple else client.base_url
        async with client.session():
            try:
                body = await client.get("/orders/count")
            except BigCommerceError as exc:
                failures += 1
                print(f"FAIL {label}: {exc.message}")
                continue
        count = body.get("count") if isinstance(body, dict) else None
        if not isinstance(count, int):
            failures += 1
            print(f"FAIL {label}: the orders count came back in a shape this server does not know.")
            continue
        print(f"OK   {label}: reachable, token valid, orders readable ({count} orders)")
    return 1 if failures else 0


def _settings(parser: argparse.ArgumentParser, *, demo: bool) -> tuple[Settings, Stores]:
    for name, setting in misspelt_variables(os.environ).items():
        print(f"{PROG}: warning: no setting is named {name}; did you mean {setting}?", file=sys.stderr)
    try:
        settings = load_settings()
        # A broken stores file stops the server here, before the heavy imports.
        return settings, _stores(settings, demo)
    except NoStoreError:
        parser.exit(2, f"{PROG}: {NO_STORE}\n")
    except SettingsError as exc:
        parser.exit(2, f"{PROG}: {exc}\n")


def _refuse_listen_flags(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    given = [flag for flag, value in (("--host", args.host), ("--port", args.port)) if value is not None]
    if given:
        parser.exit(
            2,
            f"{PROG}: {' and '.join(given)} only apply to --transport sse or streamable-http; "
            f"{args.command or 'stdio'} listens on no port. Add --transport streamable-http, or leave them out.\n",
        )


def _client_options(settings: Settings) -> dict[str, Any]:
    return {
        "timeout": settings.timeout,
        "retry": RetryPolicy(max_retries=settings.max_retries, budget=settings.retry_budget),
        "max_concurrency": settings.max_concurrency,
        "redact_pii": settings.redact_pii,
    }


def _stores(settings: Settings, demo: bool) -> Stores:
    if demo or settings.demo:
        return Stores.single(demo_client(settings), "sandbox")
    configs, default = store_configs(settings)
    shared = None
    if settings.redis_url is not None:
        # Imported only with a Redis URL: the redis package is the largest import a server without it would pay.
        from bigcommerce_orders_mcp.client.shared_quota import SharedBudget

        # One link to Redis for the process; `Stores.session()` opens and closes it.
        shared = SharedBudget(settings.redis_url.get_secret_value())
    clients = {
        config.name: BigCommerceClient(
            config.base_url,
            config.access_token.get_secret_value(),
            pacer=shared.pacer(config.store_hash) if shared is not None else None,
            **_client_options(settings),
        )
        for config in configs
    }
    return Stores(clients, default, shared)


def demo_client(settings: Settings) -> BigCommerceClient:
    def sandbox_transport() -> httpx.AsyncBaseTransport:
        # Built on the first call, so starting the demo server costs no more than starting the real one.
        import httpx

        from bigcommerce_orders_mcp.sandbox import RateLimiter, create_app

        # The demo is about orders, not rate limits: a quota a conversation never reaches.
        return httpx.ASGITransport(app=create_app(rate_limiter=RateLimiter(quota=DEMO_QUOTA)))

    return BigCommerceClient(
        "http://sandbox.invalid/stores/sandbox/v2",
        "sandbox-token",
        transport=sandbox_transport,
        **_client_options(settings),
    )
