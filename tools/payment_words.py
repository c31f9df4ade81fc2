"""Payment codes in words: AVS and CVV results (the card networks' standard codes), card brands, methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["AVS_CODES", "CVV_CODES", "avs_words", "card_brand", "cvv_words", "method_name"]

# The AVS result codes gateways pass on from the card networks (Visa's, which the others share).
AVS_CODES = {
    "A": "street matches, postal code does not",
    "B": "street matches, postal code not checked",
    "C": "street and postal code not checked",
    "D": "street and postal code match",
    "E": "address check not allowed for this card or transaction",
    "F": "street and postal code match",
    "G": "address not checked: the card's bank does not take part",
    "I": "address not checked",
    "M": "street and postal code match",
    "N": "neither street nor postal code matches",
    "P": "postal code matches, street not checked",
    "R": "address check unavailable; retry",
    "S": "address check not supported by the card's bank",
    "U": "address information unavailable",
    "W": "postal code matches, street does not",
    "X": "street and postal code match",
    "Y": "street and postal code match",
    "Z": "postal code matches, street does not",
}
CVV_CODES = {
    "M": "security code matches",
    "N": "security code does not match",
    "P": "security code not checked",
    "S": "security code should be on the card but was not given",
    "U": "security code not checked: the card's bank does not take part",
    "X": "no security code result from the card network",
    "Y": "security code matches",
}
_MATCH = {"Y": "matches", "M": "matches", "N": "does not match", "U": "unavailable", "X": "not checked"}
_BRANDS = {
    "american_express": "American Express",
    "diners_club": "Diners Club",
    "master": "Mastercard",
    "jcb": "JCB",
    "vr": "VR",
    "unionpay": "UnionPay",
    "visa": "Visa",
}
_METHODS = {
    "credit_card": "credit card",
    "electronic_wallet": "electronic wallet",
    "gift_certificate": "gift certificate",
    "store_credit": "store credit",
    "apple_pay_card": "Apple Pay (card)",
    "apple_pay_token": "Apple Pay",
    "bigpay_token": "stored card",
    "token": "stored payment",
    "custom": "manual payment",
    "offsite": "off-site payment",
    "offline": "offline payment",
    "nonce": "one-time payment token",
}
_CODE_LENGTH = 3


def avs_words(result: dict[str, Any], text: Callable[[Any], str | None]) -> str | None:
    """An AVS result as a sentence: the code's meaning, the street and postal matches, the gateway's message.
    `text` reads each upstream string (cleaned, scrubbed, bounded)."""
    code = _code(result.get("code"), text)
    parts = [f"{AVS_CODES.get(code, 'code')} ({code})" if code else None]
    for key, noun in (("street_match", "street"), ("postal_match", "postal code")):
        match = _code(result.get(key), text)
        if match and not code:
            parts.append(f"{noun} {_MATCH.get(match, match)}")
    return _with_message(parts, text(result.get("message")))


def cvv_words(result: dict[str, Any], text: Callable[[Any], str | None]) -> str | None:
    """A CVV result as a sentence: the code's meaning and the gateway's message."""
    code = _code(result.get("code"), text)
    parts = [f"{CVV_CODES.get(code, 'code')} ({code})" if code else None]
    return _with_message(parts, text(result.get("message")))


def _code(value: Any, text: Callable[[Any], str | None]) -> str | None:
    code = text(value)
    return code.upper() if code and len(code) <= _CODE_LENGTH else None


def _with_message(parts: list[str | None], message: str | None) -> str | None:
    said = [part for part in parts if part]
    if message and not any(message.lower() in part.lower() for part in said):
        said.append(f"Gateway: {message}")
    # Not "; ": a README answer path separates its values with it.
    return ". ".join(said) or None


def card_brand(card_type: str | None) -> str | None:
    """'visa' -> 'Visa', 'american_express' -> 'American Express'; other names made readable."""
    if not card_type:
        return None
    return _BRANDS.get(card_type.lower()) or card_type.replace("_", " ").title()


def method_name(method: str | None) -> str | None:
    """'credit_card' -> 'credit card'; other methods as they came, underscores as spaces."""
    if not method:
        return None
    return _METHODS.get(method.lower()) or method.replace("_", " ")
