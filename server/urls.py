"""URL settings checked whole at start: scheme, host, port and length, so none fails at the first call instead."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

from bigcommerce_orders_mcp.setting_lines import UnshownValueError

__all__ = ["MAX_URL_LENGTH", "checked_url"]

# Far past any real API root or Redis URL, and short enough to print or send in a request line.
MAX_URL_LENGTH = 2048
_PRINTABLE_ASCII = re.compile(r"[!-~]+")
# What a resolver accepts: a label of 1 to 63 letters, digits, '-' or '_', a name of at most 253 characters.
_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")


def checked_url(url: str, schemes: tuple[str, ...], shape: str, *, root: bool = False) -> SplitResult:
    """`url` split, once it is certain to be usable: ValueError otherwise, saying what is wrong without quoting it.

    `shape` says what a URL of `schemes` looks like. A `root` (an API's) has no query or fragment, nor a user
    name or password (refused unshown); a Redis URL carries its password there.
    """
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"must be at most {MAX_URL_LENGTH} characters (got {len(url):,})")
    if not _PRINTABLE_ASCII.fullmatch(url):
        raise ValueError("must be printable ASCII, without spaces, line breaks or control characters")
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracketed host that is no IPv6 address
        raise ValueError("must name a valid host") from None
    if parts.scheme.lower() not in schemes or not url.lower().startswith(f"{parts.scheme.lower()}://"):
        raise ValueError(shape)
    if root and ("?" in url or "#" in url):
        raise ValueError(shape)
    if "@" in parts.netloc and root:
        # The token goes in a header; a password here would be sent to the API as well, and printed by `check`.
        raise UnshownValueError(
            "must not carry a user name or password (user:password@), so it is not shown; the access token "
            "is the only credential sent"
        )
    if parts.scheme.lower() == "unix":
        if not parts.path:
            raise ValueError("must name the socket's path, e.g. unix:///run/redis.sock")
        return parts
    _check_host(parts)
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise ValueError("must have a port from 1 to 65535, or none")
    return parts


def _check_host(parts: SplitResult) -> None:
    host = parts.hostname or ""
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            raise ValueError("must name a valid host") from None
        return
    labels = host.removesuffix(".").split(".")
    if not host or len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError("must name a valid host: labels of 1 to 63 letters, digits or '-', 253 characters in all")
