"""Secrets this process holds, kept out of what it says: every log record, and every output that scrubs.

Each `BigCommerceClient` registers its store's access token when it is made, the server its MCP bearer token
and the shared budget its Redis password. The client scrubs them from every error it raises and every answer
it decodes, before any text is cut short (a cut secret would no longer match); each output (a tool result, a
resource, a prompt error, a command's line) is checked once more where it leaves the process, and the log
filter is the line behind those, for a secret that reaches a log some other way (a traceback, a library).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from bigcommerce_orders_mcp.client.strings import rewrite_strings

__all__ = [
    "REPLACEMENT",
    "ScrubSecrets",
    "forget",
    "holds_secret",
    "install",
    "register",
    "registered",
    "scrub",
    "scrub_data",
    "scrub_json_body",
]

REPLACEMENT = "[secret]"
# A token shorter than this could match ordinary words in a message; real tokens are 30+ characters.
_MIN_LENGTH = 6

_secrets: set[str] = set()
# Each secret as it is and as JSON writes it (a quote or backslash escaped), longest first, so that a secret
# that contains another is replaced whole.
_forms: list[str] = []
_encoded: list[bytes] = []


def register(secret: str | None) -> None:
    """Scrub `secret` from every record of the package's logger, and every scrubbed output, from now on."""
    if secret and len(secret) >= _MIN_LENGTH and secret not in _secrets:
        _secrets.add(secret)
        forms = {*_forms, *_forms_of(secret)}
        _forms[:] = sorted(forms, key=len, reverse=True)
        _encoded[:] = [form.encode("utf-8", "surrogatepass") for form in _forms]


def forget(secret: str) -> None:
    """Stop scrubbing `secret`: one that can no longer be used, such as an MCP access token long replaced."""
    if secret in _secrets:
        _secrets.discard(secret)
        _forms[:] = sorted({form for each in _secrets for form in _forms_of(each)}, key=len, reverse=True)
        _encoded[:] = [form.encode("utf-8", "surrogatepass") for form in _forms]


def _forms_of(secret: str) -> set[str]:
    return {secret, json.dumps(secret, ensure_ascii=False)[1:-1]}


def registered() -> frozenset[str]:
    """The secrets registered so far."""
    return frozenset(_secrets)


def holds_secret(text: str) -> bool:
    """Whether `text` holds a registered secret, as is or JSON-escaped: one search for each, no copy."""
    return any(form in text for form in _forms)


def scrub(text: str, secrets: set[str] | frozenset[str] | None = None) -> str:
    """`text` with every registered secret (or every one of `secrets`) replaced."""
    for secret in _forms if secrets is None else sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REPLACEMENT)
    return text


def scrub_data(value: Any) -> Any:
    """`value` (JSON data) with every registered secret replaced in every string and key; in place where it can
    be, without recursion."""
    return rewrite_strings(value, holds_secret, scrub)


def scrub_json_body(body: bytes, parsed: Any) -> Any:
    """`parsed` (the JSON of `body`) scrubbed, when the body holds a registered secret; else `parsed` as it is.

    The body is searched as bytes, one search a secret: nearly every body holds none, and is not walked.
    """
    if any(form in body for form in _encoded):
        return scrub_data(parsed)
    return parsed


class ScrubSecrets(logging.Filter):
    """Replaces registered secrets in a record's message and traceback; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def install(logger: logging.Logger) -> None:
    """Add the filter to `logger` once."""
    if not any(isinstance(each, ScrubSecrets) for each in logger.filters):
        logger.addFilter(ScrubSecrets())
