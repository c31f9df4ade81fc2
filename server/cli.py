"""The `bigcommerce-orders-mcp` command."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

import anyio

from bigcommerce_orders_mcp import __version__
from bigcommerce_orders_mcp.client import register
from bigcommerce_orders_mcp.commands import PROG, call_tool, check_stores
from bigcommerce_orders_mcp.logs import FORMATS, LEVELS, LogOptions, announce, configure
from bigcommerce_orders_mcp.settings import (
    NoStoreError,
    Settings,
    SettingsError,
    load_settings,
    misspelt_variables,
    variable,
)
from bigcommerce_orders_mcp.stores import Stores, build_stores

# Imported where they are used, below: the MCP SDK (through app and transports) and the demo store take most of a
# start, and a mistake in the settings is reported before paying for them. The HTTP transports load only for
# serving over HTTP, the demo store only for --demo or the sandbox command.
if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from bigcommerce_orders_mcp.app import OrdersServer

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "NO_STORE",
    "SANDBOX_PORT",
    "build_parser",
    "configure_logging",
    "guarded_locally",
    "main",
]

SANDBOX_PORT = 8787
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

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
    """The command line: serving flags, then the sandbox, call and check commands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="MCP server for BigCommerce orders: orders, their messages, shipments, refunds and payment "
        "transactions, counts and sales summaries.",
        epilog=f"Settings come from the environment: {_settings_summary()}. "
        f"Run '{PROG} sandbox --help' for the sandbox store.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_serving_arguments(parser)
    commands = parser.add_subparsers(dest="command", metavar="{sandbox,call,check}")
    sandbox = commands.add_parser(
        "sandbox",
        help="run the sandbox store as a BigCommerce-like HTTP API on loopback",
        description="Serve the sandbox store's Orders v2 API over HTTP (store hash 'sandbox', token 'sandbox-token').",
    )
    _add_sandbox_arguments(sandbox)
    call = commands.add_parser(
        "call",
        help="run one tool once and print its result",
        description="Run one tool once, as an MCP client would, and print its result (JSON) on stdout.",
    )
    _add_call_arguments(call)
    check = commands.add_parser(
        "check",
        help="verify the settings against the store",
        description="Check that each configured store is reachable, the token is valid and orders can be read.",
    )
    for sub in (call, check):
        sub.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="use the sandbox store")
    return parser


def _port(text: str) -> int:
    """A port to listen on: 0 lets the system pick a free one."""
    port = int(text)
    if not 0 <= port <= 65535:
        raise ValueError(text)
    return port


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise ValueError(text)
    return number


# argparse names the type in its one line: "invalid port value: '70000'".
_port.__name__ = "port"
_positive.__name__ = "positive whole number"


def _add_serving_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--transport",
        choices=["stdio", "sse", "streamable-http"],
        default="stdio",
        help="stdio (default, what Claude Desktop launches), sse (at /sse) or streamable-http (at /mcp)",
    )
    # Defaults are None so that giving either without an HTTP transport can be refused.
    parser.add_argument("--host", help=f"address for sse and streamable-http (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=_port, help=f"port for sse and streamable-http (default {DEFAULT_PORT})")
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
        "--tools",
        metavar="NAMES",
        help=f"the tools to expose, comma-separated, e.g. get_order,list_order_messages (default: all; "
        f"{variable('tools')})",
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


def _add_sandbox_arguments(sandbox: argparse.ArgumentParser) -> None:
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sandbox.add_argument("--port", type=_port, default=SANDBOX_PORT, help=f"port (default {SANDBOX_PORT})")
    sandbox.add_argument("--store-hash", default="sandbox", help="store hash it answers to (default sandbox)")
    sandbox.add_argument("--token", default="sandbox-token", help="access token it accepts (default sandbox-token)")
    sandbox.add_argument(
        "--quota",
        type=_positive,
        default=150,
        help="requests allowed per 30 s window, as its rate-limit headers say (default 150)",
    )
    sandbox.add_argument(
        "--faults",
        action="store_true",
        help="serve /_sandbox/faults, a switch for injected faults (tests and benchmarks; loopback only)",
    )
    sandbox.add_argument(
        "--orders",
        type=_positive,
        default=None,
        metavar="N",
        help="serve N generated orders (ids 1 to N, the same every run) instead of the demo records, for summaries "
        "and benchmarks",
    )


def _add_call_arguments(call: argparse.ArgumentParser) -> None:
    call.add_argument("tool", help="get_order, list_order_messages or list_orders")
    call.add_argument("arguments", nargs="?", default="{}", help="the tool's arguments as a JSON object")
    call.add_argument(
        "--all", action="store_true", help="list_order_messages, list_orders: fetch every page (progress on stderr)"
    )
    call.add_argument("--pretty", action="store_true", help="indent the JSON")


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
                orders=args.orders,
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
        settings, stores = _settings(parser, demo=args.demo, tools=args.tools)
        auth_token = settings.mcp_auth_token.get_secret_value() if settings.mcp_auth_token else None
        # Kept out of every output and log line, like the stores' tokens, whatever the command: an upstream
        # may echo it to `check` or `call` as well.
        register(auth_token)
        demo = args.demo or settings.demo
        logs = configure_logging(args, settings)
        if args.command == "call":
            options = {"every_page": args.all, "pretty": args.pretty, "tools": settings.tools}
            sys.exit(_run(call_tool(stores, args.tool, args.arguments, **options)))
        if args.command == "check":
            sys.exit(_run(check_stores(stores)))
        if args.transport == "stdio":
            from bigcommerce_orders_mcp.stdio import answered_stdio

            with answered_stdio():
                _server(stores, demo, settings.tools).run()
        else:
            _serve_http(parser, args, stores, demo=demo, auth_token=auth_token, settings=settings, logs=logs)
    except KeyboardInterrupt:
        pass


def _server(stores: Stores, demo: bool, tools: Sequence[str] | None) -> OrdersServer:
    from bigcommerce_orders_mcp.app import build_server

    server = build_server(stores, demo=demo, tools=tools)
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
    settings: Settings,
    logs: LogOptions,
) -> None:
    host = DEFAULT_HOST if args.host is None else args.host
    port = DEFAULT_PORT if args.port is None else args.port
    if not guarded_locally(host) and not auth_token and not settings.oauth and not args.allow_unauthenticated:
        parser.exit(
            2,
            f"{PROG}: refusing to serve on {host} without authentication: only 127.0.0.1, localhost and ::1 are "
            "safe from other machines and from web pages (DNS rebinding). Set BIGCOMMERCE_MCP_AUTH_TOKEN "
            "(clients then send 'Authorization: Bearer <token>') or BIGCOMMERCE_MCP_OAUTH_ISSUER and "
            "BIGCOMMERCE_MCP_RESOURCE_URL, bind --host 127.0.0.1, or pass "
            "--allow-unauthenticated.\n",
        )
    oauth = _oauth_guard(parser, settings)
    # Imported only once the address is allowed: a refusal comes before the SDK and uvicorn load.
    from bigcommerce_orders_mcp import transports

    server = _server(stores, demo, settings.tools)
    try:
        transports.serve_http(
            server,
            args.transport,
            stores=stores,
            host=host,
            port=port,
            auth_token=auth_token,
            oauth=oauth,
            stateless=args.stateless,
            logs=logs,
        )
    except transports.ListenError as exc:
        parser.exit(2, f"{PROG}: {exc}\n")


def _oauth_guard(parser: argparse.ArgumentParser, settings: Settings) -> Callable[[ASGIApp], ASGIApp] | None:
    """With OAuth configured, the guard to put around the HTTP app, once the issuer's keys are in hand."""
    if settings.mcp_oauth_issuer is None or settings.mcp_resource_url is None:
        return None
    from bigcommerce_orders_mcp import oauth

    scopes = tuple((settings.mcp_oauth_scopes or "").split())
    issuer, resource = settings.mcp_oauth_issuer, settings.mcp_resource_url
    config = oauth.OAuthConfig(issuer, resource, scopes, settings.mcp_oauth_jwks_url)
    try:
        verifier = oauth.start(config)
    except oauth.IssuerError as exc:
        parser.exit(2, f"{PROG}: OAuth cannot start: {exc}.\n")
    return lambda app: oauth.OAuthGuard(app, verifier, config)


def configure_logging(args: argparse.Namespace, settings: Settings) -> LogOptions:
    """Logs on stderr, at the level and in the format asked for; the flags win over the environment."""
    options = LogOptions(args.log_level or settings.log_level, args.log_format or settings.log_format)
    configure(options, redact_pii=settings.redact_pii)
    return options


def _run(job: Coroutine[Any, Any, int]) -> int:
    async def main() -> int:
        return await job

    return anyio.run(main)


def _settings(parser: argparse.ArgumentParser, *, demo: bool, tools: str | None) -> tuple[Settings, Stores]:
    for name, setting in misspelt_variables(os.environ).items():
        shown = name if name.isprintable() else repr(name)  # a control character in it must not reach the terminal
        print(f"{PROG}: warning: no setting is named {shown}; did you mean {setting}?", file=sys.stderr)
    try:
        settings = load_settings(tools=tools)
        # A broken stores file stops the server here, before the heavy imports.
        return settings, build_stores(settings, demo=demo)
    except NoStoreError:
        parser.exit(2, f"{PROG}: {NO_STORE}\n")
    except SettingsError as exc:
        parser.exit(2, f"{PROG}: {exc}\n")
    except Exception as exc:
        # Every rule the settings have is checked above, in words; should one still slip through, the start
        # stays one line, naming no value it read (one might be a secret).
        parser.exit(
            2, f"{PROG}: the settings could not be read ({type(exc).__name__}); this is a bug, please report it.\n"
        )


def _refuse_listen_flags(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    given = [flag for flag, value in (("--host", args.host), ("--port", args.port)) if value is not None]
    if given:
        parser.exit(
            2,
            f"{PROG}: {' and '.join(given)} only apply to --transport sse or streamable-http; "
            f"{args.command or 'stdio'} listens on no port. Add --transport streamable-http, or leave them out.\n",
        )


def guarded_locally(host: str) -> bool:
    """Whether the SDK's Host/Origin checks guard `host` against DNS rebinding: 127.0.0.1, localhost and ::1.

    Other loopback addresses (127.0.0.2) are not: a page on attacker.example, resolved to one, could read
    orders. They need a token like any other address.
    """
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address in (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))
