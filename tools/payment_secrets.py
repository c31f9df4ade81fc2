"""Payment data no answer shows: stored-payment tokens, a card's IIN and expiry, a gift certificate's code.

`payment_secrets` finds their values anywhere in an upstream payload, however nested or typed, so that an
answer can scrub them from every text it shows (a gateway message may echo a token); `without_payment_secrets`
is a payload with the fields removed and their values scrubbed, for answers that hand a payload over whole.
"""

from __future__ import annotations

from typing import Any

from bigcommerce_orders_mcp.client import scrub

__all__ = ["SECRET_FIELDS", "payment_secrets", "scrub_secrets", "without_payment_secrets"]

SECRET_FIELDS = frozenset(
    {
        "payment_instrument_token",
        "provider_instrument_token",
        "provider_customer_id",
        "card_iin",
        "card_expiry_month",
        "card_expiry_year",
    }
)
_GIFT_CERTIFICATE = "gift_certificate"
# Shorter values would match ordinary text (an IIN is 6 to 8 digits, a gift certificate code longer).
_MIN_SECRET = 4
# A payload is at most 16 MB; walking it is bounded by its size, this bounds what one walk may collect.
_MAX_SECRETS = 10_000


def payment_secrets(payload: Any) -> frozenset[str]:
    """Every value of a secret field anywhere in `payload` (and each gift certificate's code), as text; card
    expiry also as it is written on a card (`MM/YY`, `MM/YYYY`)."""
    found: set[str] = set()
    expiry: dict[int, dict[str, Any]] = {}
    pending: list[tuple[Any, bool]] = [(payload, False)]
    while pending and len(found) < _MAX_SECRETS:
        node, in_gift_certificate = pending.pop()
        if isinstance(node, list):
            pending.extend((item, in_gift_certificate) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in SECRET_FIELDS or (in_gift_certificate and key == "code"):
                found.update(_texts(value))
                if key in ("card_expiry_month", "card_expiry_year"):
                    expiry.setdefault(id(node), node)
            if isinstance(value, dict | list):
                pending.append((value, key == _GIFT_CERTIFICATE))
    for card in expiry.values():
        found.update(_expiry_forms(card.get("card_expiry_month"), card.get("card_expiry_year")))
    return frozenset(text for text in found if len(text) >= _MIN_SECRET)


def scrub_secrets(text: str | None, secrets: frozenset[str]) -> str | None:
    """`text` with each of `secrets` replaced; `None` stays `None`."""
    if text is None or not secrets:
        return text
    return scrub(text, secrets)


def without_payment_secrets(payload: Any) -> Any:
    """A copy of `payload` without any secret field or gift certificate code, and their values scrubbed from
    every other string (keys too)."""
    return _without(payload, payment_secrets(payload), False)


def _without(node: Any, secrets: frozenset[str], in_gift_certificate: bool) -> Any:
    # Recursion is bounded: the client refuses JSON nested more than 64 levels.
    if isinstance(node, str):
        return scrub_secrets(node, secrets)
    if isinstance(node, list):
        return [_without(item, secrets, in_gift_certificate) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        scrub_secrets(str(key), secrets): _without(value, secrets, key == _GIFT_CERTIFICATE)
        for key, value in node.items()
        if key not in SECRET_FIELDS and not (in_gift_certificate and key == "code")
    }


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value, value.strip()]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [str(value)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return []


def _expiry_forms(month: Any, year: Any) -> list[str]:
    try:
        m, y = int(str(month).strip()), int(str(year).strip())
    except ValueError:
        return []
    if not (1 <= m <= 12 and 0 <= y <= 9999):
        return []
    short = f"{y % 100:02d}"
    return [f"{m:02d}/{short}", f"{m:02d}/{y}", f"{m}/{short}", f"{m}/{y}"]
