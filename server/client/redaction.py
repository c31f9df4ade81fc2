"""PII redaction (`BIGCOMMERCE_REDACT_PII=1`), applied to every BigCommerce body before any tool reads it.

What is masked, exactly:
- e-mail addresses, in any script and in full width: first character of the local part and of the domain
  kept, the top-level domain kept as written, `janedoe@example.com` -> `j***@e***.com`,
  `用户@例子.广告` -> `用***@例***.广告` (in `email` fields and anywhere in free text);
- phone numbers: all but the last two digits, `+1 555-010-7890` -> `***90`. A `phone` field (or one named
  `*_phone`, `phone_*`) is always masked, string or number, whatever its format. In free text, 7-15 digits
  (ASCII or full width) grouped by spaces, dots, dashes (ASCII and U+2010-U+2015, U+2212) or parentheses,
  with an optional `+` or `00` prefix;
- street lines (`street_1`, `street_2`, `address_line_1`, `address_line_2`) -> `[street redacted]`;
  city, state, postcode and country stay, so "where does it ship?" can still be answered;
- IP addresses (`ip_address`, `ip_address_v6` and any IPv4/IPv6 address in free text) -> `[ip redacted]`.
Names are not masked: an order without a name cannot be discussed. Product codes and tracking numbers in
their own fields (`sku`, `tracking_number`, `upc`, `ean`, `gtin`, `mpn`, `isbn`) are never touched. In free
text, dates, times, amounts (with a currency, thousands groups, or a dot or comma before 1-4 decimals),
`#218`, runs of more than 15 digits (tracking numbers) and lists of small numbers are left alone.

Bare digit runs in free text: a run of digits with no separator is a phone number when it has 10 or 11
digits (a national number: `5125550102`, `07700900123`) or when a `+` leads it; shorter runs are order
numbers, quantities and postcodes, longer ones are UPCs, EANs and tracking numbers. A run right after `#`
or after a reference label (`order`, `invoice`, `ref`, `sku`, `tracking`, ... with an optional `no.` or
`:`) is a reference, not a phone. The price of masking every other 10-11 digit run: an invoice number or a
Unix timestamp written as 10 bare digits without its label is masked too.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from typing import Any

_STREET_KEYS = frozenset({"street_1", "street_2", "address_line_1", "address_line_2"})
_IP_KEYS = frozenset({"ip_address", "ip_address_v6"})
_EMAIL_KEYS = frozenset({"email", "recipient_email"})
_CODE_KEYS = frozenset({"sku", "tracking_number", "upc", "ean", "gtin", "mpn", "isbn"})

# `\w` leaves out combining marks, without which accented (decomposed) and Indic names break in two.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u0e00-\u0eff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a\ufe20-\ufe2f"
)
_LOCAL = rf"[\w{_MARKS}.+\-'\uff0e\uff0b\uff0d\uff3f]"
_LABEL = rf"[\w{_MARKS}\-\uff0d]"
_DOT = "[.\uff0e\u3002\uff61]"
_TLD = rf"(?:xn--[\w-]+|(?:[^\W\d_]|[{_MARKS}]){{2,}})"
_EMAIL = re.compile(rf"(?<!{_LOCAL})({_LOCAL}){_LOCAL}*[@\uff20]([^\W_]){_LABEL}*((?:{_DOT}{_LABEL}+)*{_DOT}({_TLD}))")
_IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])")
_IPV6_CANDIDATE = re.compile(r"(?<![\w:])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?![\w:])")

_DASHES = "\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = " \t\u00a0\u2007\u2009\u202f\u3000"
_SEPARATORS = f"{_SPACES}.\uff0e{_DASHES}()\uff08\uff09"
# A phone candidate: optional +, then digits with at most three separator characters between them.
_PHONE = re.compile(
    rf"(?<![\w#\uff03/\\+\uff0b])(?<!\d[.,\uff0e])"
    rf"(?:[+\uff0b][{_SPACES}]?)?[(\uff08]?\d(?:[{_SEPARATORS}]{{0,3}}\d)*"
    rf"(?![\w/\\])(?![.,\uff0e]\d)"
)
_CURRENCY = r"(?:[$€£¥₹₩₽¢]|\b(?:USD|EUR|GBP|JPY|AUD|CAD|CHF|CNY|INR|NZD|SEK|NOK|DKK|PLN|MXN|BRL)\b)"
_AMOUNT = r"\d{1,3}(?:[.,'\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
# Spans that look like digit groups but are not phone numbers; phones are only looked for between them.
_NOT_PHONE = re.compile(
    "|".join(
        [
            rf"(?<!\d)(?:1[89]|2\d)\d\d([-./])(?:0?[1-9]|1[0-2])\1{_DAY}(?!\d)",
            rf"(?<!\d){_DAY}([-./]){_DAY}\2(?:1[89]|2\d)\d\d(?!\d)",
            rf"(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}(?!\d)",
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)",
            r"(?<!\d)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?!\d)",
            rf"{_CURRENCY}[{_SPACES}]?-?(?:{_AMOUNT})(?![.,]?\d)",
            rf"(?<![\d.,])(?:{_AMOUNT})[{_SPACES}]?{_CURRENCY}",
            # Thousands groups without a currency, unless more digit groups around make it a phone number.
            rf"(?<![\d.,])(?<!\d[{_SEPARATORS}])\d{{1,3}}(?:([.,])\d{{3}})+(?:(?!\3)[.,]\d{{1,2}})?"
            rf"(?![.,]?\d)(?![{_SEPARATORS}]{{1,3}}\d)",
        ]
    ),
    re.IGNORECASE,
)
_REFERENCE_LABEL = r"(?:order|invoice|inv|ref|reference|receipt|transaction|txn|sku|upc|ean|gtin|mpn|isbn|tracking)"
_REFERENCE_AFTER = rf"\.?(?:[{_SPACES}]*(?:no\.?|nr\.?|number|#|\uff03|:))*[{_SPACES}]*$"
_ANY_REFERENCE = re.compile(rf"(?:\b{_REFERENCE_LABEL}{_REFERENCE_AFTER}|[#\uff03][{_SPACES}]*$)", re.IGNORECASE)
_CODE_REFERENCE = re.compile(rf"\b(?:sku|upc|ean|gtin|mpn|isbn|tracking){_REFERENCE_AFTER}", re.IGNORECASE)
_DECIMAL = re.compile(r"\d+[.,\uff0e]\d{1,4}")


def redact(value: Any) -> Any:
    """A copy of a JSON value with e-mails, phone numbers, street lines and IP addresses masked."""
    if isinstance(value, dict):
        return {key: _redact_field(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def _is_phone_key(key: str) -> bool:
    key = key.lower()
    return key == "phone" or key.endswith("_phone") or key.startswith("phone_")


def _redact_field(key: Any, value: Any) -> Any:
    if not isinstance(key, str):
        return redact(value)
    if key in _CODE_KEYS:
        return value
    if _is_phone_key(key) and isinstance(value, int | float) and not isinstance(value, bool):
        return mask_phone(value)
    if isinstance(value, str) and value.strip():
        if key in _STREET_KEYS:
            return "[street redacted]"
        if key in _IP_KEYS:
            return "[ip redacted]"
        if _is_phone_key(key):
            return mask_phone(value)
        if key in _EMAIL_KEYS:
            masked = redact_text(value)
            # An address the pattern cannot read (`jane@localhost`) is still an address.
            if masked == value and ("@" in value or "\uff20" in value):
                return f"{value.strip()[0]}***"
            return masked
    return redact(value)


def redact_text(text: str) -> str:
    """Mask e-mail addresses, IP addresses and phone numbers inside free text."""
    text = _EMAIL.sub(_email_match, text)
    text = _IPV4.sub("[ip redacted]", text)
    text = _IPV6_CANDIDATE.sub(_ipv6_match, text)
    pieces: list[str] = []
    start = 0
    for kept in _NOT_PHONE.finditer(text):
        pieces += [_redact_phones(text[start : kept.start()]), kept[0]]
        start = kept.end()
    pieces.append(_redact_phones(text[start:]))
    return "".join(pieces)


def _email_match(match: re.Match[str]) -> str:
    local, domain, tld = (unicodedata.normalize("NFKC", part) for part in (match[1], match[2], match[4]))
    return f"{local}***@{domain}***.{tld}"


def _ipv6_match(match: re.Match[str]) -> str:
    try:
        ipaddress.IPv6Address(match[0])
    except ValueError:
        return match[0]
    return "[ip redacted]"


def _redact_phones(text: str) -> str:
    return _PHONE.sub(_phone_match, text) if text else text


def _phone_match(match: re.Match[str]) -> str:
    candidate = match[0]
    return (
        mask_phone(candidate)
        if _is_phone(candidate, match.string[max(0, match.start() - 40) : match.start()])
        else candidate
    )


def _is_phone(candidate: str, before: str) -> bool:
    digits = _digits(candidate)
    if not 7 <= len(digits) <= 15:
        return False
    plus = candidate[0] in "+\uff0b"
    groups = re.findall(r"\d+", candidate)
    if len(groups) == 1:
        return plus or (10 <= len(digits) <= 11 and not _ANY_REFERENCE.search(before))
    if plus:
        return True
    # An amount in parentheses, `(10000.00`, is an amount still.
    if _DECIMAL.fullmatch(candidate.lstrip("(\uff08")) or _CODE_REFERENCE.search(before):
        return False
    # `sizes 10 12 14 16`; a national number grouped that finely starts with 0 (`06 12 34 56 78`).
    return not (digits[0] != "0" and all(len(group) <= 2 for group in groups))


def _digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in text if char.isdecimal())


def mask_phone(phone: str | int | float) -> str:
    """`***` and the last two digits of a phone number, in any format; full-width digits count."""
    if isinstance(phone, float) and phone.is_integer():
        phone = int(phone)
    digits = _digits(phone if isinstance(phone, str) else str(phone))
    return f"***{digits[-2:]}" if len(digits) >= 4 else "***"
