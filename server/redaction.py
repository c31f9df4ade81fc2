"""PII redaction (`BIGCOMMERCE_REDACT_PII=1`), applied to every BigCommerce body before any tool reads it.

What is masked, exactly:
- e-mail addresses: first character of the local part and of the domain kept, `janedoe@example.com` ->
  `j***@e***.com` (in `email` fields and anywhere in free text);
- phone numbers: all but the last two digits, `+1 555-010-7890` -> `***90` (in `phone` fields and
  anywhere in free text);
- street lines (`street_1`, `street_2`, `address_line_1`, `address_line_2`) -> `[street redacted]`;
  city, state, postcode and country stay, so "where does it ship?" can still be answered;
- IP addresses (`ip_address`, `ip_address_v6` and any IPv4/IPv6 address in free text) -> `[ip redacted]`.
Names are not masked: an order without a name cannot be discussed.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

_STREET_KEYS = frozenset({"street_1", "street_2", "address_line_1", "address_line_2"})
_IP_KEYS = frozenset({"ip_address", "ip_address_v6"})
_EMAIL_KEYS = frozenset({"email", "recipient_email"})

_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([A-Za-z0-9])[A-Za-z0-9-]*((?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")
_IPV6_CANDIDATE = re.compile(r"(?<![\w:])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?![\w:])")
# A phone number: optional +country code, then digit groups split by spaces, dots, dashes or parentheses.
_PHONE = re.compile(r"(?<![\w+/-])\+?\(?\d[\d\s().-]{5,}\d(?![\w/-])")
_DATE_LIKE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
_PLAIN_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def redact(value: Any) -> Any:
    """A copy of a JSON value with e-mails, phone numbers, street lines and IP addresses masked."""
    if isinstance(value, dict):
        return {key: _redact_field(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def _redact_field(key: str, value: Any) -> Any:
    if isinstance(value, str) and value.strip():
        if key in _STREET_KEYS:
            return "[street redacted]"
        if key in _IP_KEYS:
            return "[ip redacted]"
        if key == "phone":
            return mask_phone(value)
        if key in _EMAIL_KEYS:
            return redact_text(value)
    return redact(value)


def redact_text(text: str) -> str:
    """Mask e-mail addresses, IP addresses and phone numbers inside free text."""
    text = _EMAIL.sub(lambda m: f"{m[1]}***@{m[2]}***.{m[3].rsplit('.', 1)[1]}", text)
    text = _IPV4.sub("[ip redacted]", text)
    text = _IPV6_CANDIDATE.sub(_ipv6_match, text)
    return _PHONE.sub(_phone_match, text)


def _ipv6_match(match: re.Match[str]) -> str:
    try:
        ipaddress.IPv6Address(match[0])
    except ValueError:
        return match[0]
    return "[ip redacted]"


def _phone_match(match: re.Match[str]) -> str:
    candidate = match[0].strip()
    digits = re.sub(r"\D", "", candidate)
    # Dates, amounts, bare digit runs (UPCs, ids) and short numbers are not taken for phone numbers in text.
    if not 7 <= len(digits) <= 15 or _DATE_LIKE.search(candidate) or _PLAIN_NUMBER.match(candidate):
        return match[0]
    return match[0].replace(candidate, mask_phone(candidate))


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return f"***{digits[-2:]}" if len(digits) >= 4 else "***"
