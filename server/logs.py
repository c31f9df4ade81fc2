"""Logs: always on stderr (stdout belongs to the protocol on stdio), as text or as one JSON object a line.

`--log-level` (or `BIGCOMMERCE_LOG_LEVEL`) sets the level; `--log-format json` (or `BIGCOMMERCE_LOG_FORMAT`)
the format. Without either the server logs as it always has: text at INFO (start-up, retries, failures).
Asking for logs, with `--log-level info` or `debug` or with `--log-format json`, adds one record per tool
call (logger `bigcommerce_orders_mcp.calls`); `debug` adds one per request to BigCommerce (path, status, time;
never the query) and lets httpx's and httpcore's own lines through, unless PII is redacted: httpx's line
carries the query. Every other level keeps them at WARNING.

Every line is cleaned as it is formatted: registered secrets (the stores' tokens, the MCP bearer token) are
replaced, and with `BIGCOMMERCE_REDACT_PII=1` e-mails, phone numbers and IP addresses are masked, in the
message, every extra field and the traceback alike. uvicorn's access lines and the line saying where the server
listens keep their addresses: they are the MCP client's and the server's, not a customer's.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bigcommerce_orders_mcp.client import CALLS, registered, scrub

__all__ = [
    "ACCESS",
    "FORMATS",
    "LEVELS",
    "SERVING",
    "TEXT",
    "JsonFormatter",
    "LogOptions",
    "TextFormatter",
    "announce",
    "configure",
    "quiet_unless_configured",
]

LEVELS = ("debug", "info", "warning", "error")
FORMATS = ("text", "json")
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ACCESS = "uvicorn.access"
SERVING = "bigcommerce_orders_mcp.serving"
# Loggers whose lines hold addresses (the client's, the server's own) and never a customer's data.
_ADDRESSES = frozenset({ACCESS, SERVING})
_HTTP = ("httpx", "httpcore")
_SSE = "mcp.server.sse"
# In stateless mode the SDK's streamable-HTTP transport says "Terminating session: None" at INFO after every
# request: noise in a deployment's logs, shown at debug only.
_STREAMABLE = "mcp.server.streamable_http"

# What every LogRecord has; anything else on a record came from `extra=` and becomes a field of its own.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}


@dataclass(frozen=True)
class LogOptions:
    """`--log-level` and `--log-format`; `level` None is the level logs had before there was a choice."""

    level: str | None = None
    format: str = "text"

    @property
    def asked(self) -> bool:
        """Whether logs were asked for: then every tool call gets a record."""
        return self.level is not None or self.format == "json"

    @property
    def name(self) -> str:
        """The level's name, lowercase, as uvicorn takes it."""
        return self.level or "info"


_handler: logging.Handler | None = None


def configure(options: LogOptions, *, redact_pii: bool = False, force: bool = False) -> None:
    """Send every record to stderr in `options.format`, cleaned; set the levels `options` ask for.

    Set up before the SDK's own set-up, which then leaves it alone; its rich handler, used when `rich` is
    installed, wraps each record over several lines of a terminal's width. Like `logging.basicConfig`, does
    nothing when the root logger has handlers already (an application embedding the server), unless `force`.
    """
    global _handler
    root = logging.getLogger()
    if root.handlers and not force:
        return
    handler = logging.StreamHandler(sys.stderr)
    formatter = JsonFormatter if options.format == "json" else TextFormatter
    handler.setFormatter(formatter(redact_pii=redact_pii))
    if _handler is not None:
        root.removeHandler(_handler)
    root.addHandler(handler)
    _handler = handler
    level = logging.getLevelName(options.name.upper())
    root.setLevel(level)
    # Levels set either way, so that `build_server`, which quiets what nobody has set, leaves them be.
    logging.getLogger(CALLS).setLevel(level if options.asked else logging.WARNING)
    # httpx's INFO line per request carries the URL's query, where list_orders puts a customer's e-mail
    # percent-encoded, beyond redaction's reach: let through at debug only when nothing is to be redacted.
    loud = options.level == "debug" and not redact_pii
    for name in _HTTP:
        logging.getLogger(name).setLevel(logging.DEBUG if loud else logging.WARNING)
    # The SDK's SSE transport logs every message whole at DEBUG: tool arguments and results, customers' data.
    logging.getLogger(_SSE).setLevel(max(level, logging.INFO))
    logging.getLogger(_STREAMABLE).setLevel(logging.DEBUG if options.level == "debug" else logging.WARNING)


def quiet_unless_configured() -> None:
    """For a server built without `configure` (embedded, or in tests): no record per call, and not httpx's
    INFO line per request, whatever the root level; the loggers' own levels, once set, stay."""
    for name in (CALLS, *_HTTP):
        each = logging.getLogger(name)
        if each.level == logging.NOTSET:
            each.setLevel(logging.WARNING)


def announce(message: str, **fields: Any) -> None:
    """A line said once on stderr whatever the level, such as where the server listens: `bigcommerce-orders-mcp:
    message` in text, an INFO record with `fields` in JSON, so that every line of a JSON log is JSON."""
    handler = _handler
    if handler is None or not isinstance(handler.formatter, JsonFormatter):
        print(f"bigcommerce-orders-mcp: {message}", file=sys.stderr)
        return
    record = logging.getLogger(SERVING).makeRecord(SERVING, logging.INFO, __file__, 0, message, (), None, extra=fields)
    handler.handle(record)


# Every e-mail has an @, every phone number and IPv4 address a digit, every IPv6 address a colon; a string
# without any of them is left as it is, without running redaction's expressions.
_MAYBE_PII = re.compile(r"[\d@\uff20:]")


def _redactor(redact_pii: bool) -> Callable[[str], str] | None:
    if not redact_pii:
        return None
    from bigcommerce_orders_mcp.client.redaction import redact_text

    def redact(text: str) -> str:
        return redact_text(text) if _MAYBE_PII.search(text) else text

    return redact


def _message(record: logging.LogRecord, redact: Callable[[str], str] | None) -> str:
    """The record's message, redacted: what fills a `%s` template, not the template, which is the code's own
    words (the duration and statuses in a call's line are no phone number); a message without one, whole."""
    if redact is None:
        return record.getMessage()
    if isinstance(record.args, tuple) and record.args:
        filled = tuple(arg if isinstance(arg, int | float) else redact(str(arg)) for arg in record.args)
        try:
            return str(record.msg) % filled
        except (TypeError, ValueError):
            pass
    return redact(record.getMessage())


class TextFormatter(logging.Formatter):
    """Today's plain line, `time LEVEL logger: message`, and the traceback, cleaned."""

    def __init__(self, *, redact_pii: bool = False) -> None:
        super().__init__(TEXT)
        self._redact = _redactor(redact_pii)

    def format(self, record: logging.LogRecord) -> str:
        redact = self._redact if record.name not in _ADDRESSES else None
        record.message = _message(record, redact)
        record.asctime = self.formatTime(record, self.datefmt)
        extra = [self.formatException(record.exc_info) if record.exc_info else record.exc_text, record.stack_info]
        more = [redact(text) if redact else text for text in extra if text]
        return scrub("\n".join([self.formatMessage(record), *more]))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO-8601 UTC, milliseconds), level, logger, message, then the record's
    own fields (`extra=`: tool, store, outcome, duration_ms, ...; for an access line client, method, path,
    status), and `exception` with the traceback. Secrets are replaced in the whole line, PII in every string."""

    def __init__(self, *, redact_pii: bool = False) -> None:
        super().__init__()
        self._redact = _redactor(redact_pii)

    def format(self, record: logging.LogRecord) -> str:
        redact = self._redact if record.name not in _ADDRESSES else None
        entry: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record, redact),
        }
        if record.name == ACCESS and isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, _, status = record.args
            entry.update(client=client, method=method, path=path, status=status)
        fields = {key: value for key, value in record.__dict__.items() if key not in _STANDARD and key not in entry}
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            fields["exception"] = record.exc_text
        if record.stack_info:
            fields["stack"] = record.stack_info
        entry.update(_strings(fields, redact) if redact else fields)
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), default=str)
        return scrub(line, _as_written(registered()))


def _strings(value: Any, change: Callable[[str], str]) -> Any:
    """`value` with `change` applied to every string in it, keys included; what JSON cannot hold becomes one."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict):
        return {change(str(key)): _strings(item, change) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_strings(item, change) for item in value]
    return change(str(value))


@lru_cache(maxsize=4)
def _as_written(secrets: frozenset[str]) -> frozenset[str]:
    """Each secret, and as it is written inside a JSON string: a quote or a backslash in it is escaped there."""
    return secrets | {json.dumps(secret, ensure_ascii=False)[1:-1] for secret in secrets}


def _utc(created: float) -> str:
    seconds = int(created)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int((created - seconds) * 1000):03d}Z"
