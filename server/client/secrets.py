"""Secrets this process holds, and a logging filter that keeps them out of every log record.

Each `BigCommerceClient` registers its store's access token when it is made; the client also scrubs its
own token from every error it raises, so the filter is a second line, for a token that reaches a log
some other way (an exception's traceback, a library's message).
"""

from __future__ import annotations

import logging

REPLACEMENT = "[secret]"
# A token shorter than this could match ordinary words in a message; real tokens are 30+ characters.
_MIN_LENGTH = 6

_secrets: set[str] = set()


def register(secret: str | None) -> None:
    """Scrub `secret` from every record of the package's logger from now on."""
    if secret and len(secret) >= _MIN_LENGTH:
        _secrets.add(secret)


def registered() -> frozenset[str]:
    """The secrets registered so far."""
    return frozenset(_secrets)


def scrub(text: str, secrets: set[str] | frozenset[str] | None = None) -> str:
    """`text` with every registered secret (or every one of `secrets`) replaced."""
    # Longest first, so a secret that contains another is replaced whole.
    for secret in sorted(_secrets if secrets is None else secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REPLACEMENT)
    return text


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
