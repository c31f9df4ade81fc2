"""Reading BigCommerce's loose values (money, dates, text, addresses) into readable ones."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "MAX_DATE_TEXT",
    "MAX_NUMBER_TEXT",
    "MONEY_DIGITS",
    "STATUS_NAMES",
    "as_dict",
    "as_int",
    "clean_json",
    "clean_text",
    "cut",
    "decimal_or_none",
    "dicts",
    "form_fields",
    "iso_date",
    "join_nonempty",
    "json_number",
    "minor_unit",
    "money",
    "non_empty",
    "one_line_address",
    "order_currency",
    "order_status",
    "parse_date",
    "strip_all_hidden",
    "strip_hidden",
]

# ISO 4217 minor units that are not 2; BigCommerce sends up to 4 decimals whatever the currency.
_MINOR_UNITS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip


# The status names BigCommerce gives each status_id (GET /order_statuses).
STATUS_NAMES = {
    0: "Incomplete", 1: "Pending", 2: "Shipped", 3: "Partially Shipped", 4: "Refunded", 5: "Cancelled",
    6: "Declined", 7: "Awaiting Payment", 8: "Awaiting Pickup", 9: "Awaiting Shipment", 10: "Completed",
    11: "Awaiting Fulfillment", 12: "Manual Verification Required", 13: "Disputed", 14: "Partially Refunded",
}  # fmt: skip


CURRENCY_KEYS = ("default_currency_code", "currency_code", 'currency_code"', "store_default_currency_code")


def order_currency(order: dict[str, Any]) -> str | None:
    """The transactional currency: the one the shopper paid in and every amount is in. `currency_code` is
    only the storefront's display currency (the spec's example 247 misspells it `currency_code"`). The first
    key given decides: a later one may be another currency, so a code that is not one is None, not skipped."""
    for key in CURRENCY_KEYS:
        if non_empty(order.get(key)):
            return currency_code(order.get(key))
    return None


_CURRENCY_CODE = re.compile("[A-Z]{3}")


def currency_code(value: Any) -> str | None:
    """An ISO 4217 code such as 'USD' (three uppercase letters); None for anything else."""
    code = value.strip() if isinstance(value, str) else None
    return code if code and _CURRENCY_CODE.fullmatch(code) else None


def order_status(order: dict[str, Any]) -> str | None:
    """The status as BigCommerce names it, or the name of its `status_id` when the name is missing."""
    status_id = as_int(order.get("status_id"))
    return clean_text(order.get("status")) or (STATUS_NAMES.get(status_id) if status_id is not None else None)


# Upstream numbers are bounded before any arithmetic: Decimal("1e99999999") is cheap to make, but
# int() or quantize() of it runs for minutes in the event loop, and a 29-digit amount overflows quantize.
MAX_NUMBER_TEXT = 40
_LARGEST_EXPONENT = 17  # up to 10**18: more than any order holds, small enough to quantize to 4 places


def decimal_or_none(value: Any) -> Decimal | None:
    """BigCommerce money arrives as '12.0000', '8', 8.5 or ''; anything else, or absurdly large, is not money."""
    if type(value) is str:  # what BigCommerce sends
        text = value.strip()
    elif _not_a_number(value):
        return None
    else:
        text = str(value).strip()
    if len(text) > MAX_NUMBER_TEXT:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    if amount.is_zero():
        return Decimal(0)
    return amount if -_LARGEST_EXPONENT - 4 <= amount.adjusted() <= _LARGEST_EXPONENT else None


def _not_a_number(value: Any) -> bool:
    """Neither a number nor a string, or an integer too large for any amount."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return True
    return isinstance(value, int) and not -(10**18) < value < 10**18


# A JSON number is read as a double, which holds every decimal of up to 15 digits exactly (and prints it back
# as written): up to 9,999,999,999,999.99 in dollars, more than any order holds.
MONEY_DIGITS = 15


def money(value: Any, currency: str | None) -> Decimal | None:
    """A non-zero amount rounded to the currency's minor unit, e.g. 69.84; None for zero, junk, or more than
    MONEY_DIGITS digits once rounded."""
    amount = decimal_or_none(value)
    if amount is None or amount == 0:
        return None
    rounded = minor_unit(amount, currency)
    return rounded if len(rounded.as_tuple().digits) <= MONEY_DIGITS else None


def minor_unit(amount: Decimal, currency: str | None) -> Decimal:
    """`amount` rounded half up to the currency's minor unit: two places unless ISO 4217 says otherwise."""
    places = _MINOR_UNITS.get((currency or "").upper(), 2)
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def json_number(amount: Decimal) -> int | float:
    """An amount as the JSON number it is, exactly: 12.00 -> 12, 69.84 -> 69.84, 1000.10 -> 1000.1 (a
    `money` amount has at most MONEY_DIGITS digits, which a double holds and prints back as written)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


MAX_DATE_TEXT = 100  # an RFC-2822 date with a long zone name is under 40 characters


# No order, message or shipment predates 1970; BigCommerce's "no date" placeholders (0000-00-00) do.
EARLIEST_YEAR = 1970


def iso_date(value: Any) -> str | None:
    """RFC-2822 (what BigCommerce sends) or ISO-8601 to ISO-8601 UTC; None for '' and null, for text that is
    not a date ('yesterday', '0000-00-00 00:00:00'), and for a date before 1970 or past the year 9999 in UTC."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_DATE_TEXT:
        return None
    parsed = parse_date(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.isoformat(timespec="seconds") if parsed.year >= EARLIEST_YEAR else None
    try:
        moment = parsed.astimezone(UTC)
    except OverflowError:
        return None
    if moment.year < EARLIEST_YEAR:
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_date(value: str) -> datetime | None:
    """Parse an RFC-2822 or ISO-8601 date, or return None."""
    text = value.strip()
    if len(text) > MAX_DATE_TEXT:
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    else:
        # RFC 2822's "-0000" is UTC with no claim about the local zone; the parser leaves it naive.
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


# What can hide or reorder text that a person or model reads: control characters other than newline
# and tab, soft hyphens, bidirectional controls, zero-width spaces and other invisible format characters.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b"
    "\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb]"
)
# Joiners stay where words and emoji need them (Persian ZWNJ, Indic conjuncts, emoji families): between
# two visible characters. Anywhere else they only hide things.
_STRAY_JOINER = re.compile("(?<![^\\s\u200c\u200d])[\u200c\u200d]|[\u200c\u200d](?![^\\s\u200c\u200d])")
# Tag characters spell hidden text; the one real use is a subdivision flag (black flag, tags, cancel tag).
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[\U000e0000-\U000e007f]")
# A variation selector chooses how the character before it looks; a run of them smuggles data.
_EXTRA_SELECTORS = re.compile("(?<=[\ufe00-\ufe0f\U000e0100-\U000e01ef])[\ufe00-\ufe0f\U000e0100-\U000e01ef]+")
_LINE_SEPARATORS = re.compile("[\u2028\u2029\x85]")
# A terminal escape sequence recolours, hides or rewrites what a person sees in a log or console: the whole
# sequence goes (CSI "ESC [ ... m", a terminated OSC "ESC ] ... BEL", two-character ones), not just its ESC.
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]?|\][^\x07\x1b\n]{0,256}(?:\x07|\x1b\\)|[@-Z\\-_])?|\x9b[0-?]*[ -/]*[@-~]?"
)


# In ASCII only control characters can hide anything (ESC starts every escape sequence).
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def strip_hidden(text: str) -> str:
    """Text with invisible and reordering characters and escape sequences removed, nothing else changed."""
    # Most values (names, amounts, dates, statuses) are plain ASCII: one scan instead of six substitutions.
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text
    return strip_all_hidden(text)


def strip_all_hidden(text: str) -> str:
    text = _LINE_SEPARATORS.sub("\n", _ESCAPES.sub("", text))
    text = _TAGS.sub(lambda match: match[1] or "", _INVISIBLE.sub("", text))
    return _EXTRA_SELECTORS.sub("", _STRAY_JOINER.sub("", text))


def clean_text(value: Any) -> str | None:
    """Untrusted text as a model may read it: hidden characters stripped, trimmed; None when empty."""
    if type(value) is str:  # nearly every value: no str() copy, no type tests
        return strip_hidden(value).strip() or None
    if value is None or isinstance(value, dict | list):
        return None
    return strip_hidden(str(value)).strip() or None


def clean_json(value: Any) -> Any:
    """A JSON value with every string in it, keys too, cleaned: what detail="full" hands over."""
    if isinstance(value, dict):
        return {strip_hidden(str(key)): clean_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    return strip_hidden(value) if isinstance(value, str) else value


def cut(text: str | None, limit: int, how_to_get_all: str) -> str | None:
    """Text of more than `limit` characters cut in the middle: its start and, larger, its end (where
    notes grow), never inside a grapheme, with a marker that says what was cut and how to get it all."""
    if text is None or len(text) <= limit:
        return text
    # Imported on the first long text only: most servers never cut one, and the import is a measurable part of a
    # start (the README's benchmark section says how much).
    import regex

    head_budget = limit // 5
    tail_budget = limit - head_budget
    # Only the text near each cut point is split into graphemes: splitting all of a long text is slow.
    head = _take(regex.findall(r"\X", text[: head_budget + _NEAR_CUT]), head_budget)
    tail_from, exact = _boundary_before(regex, text, len(text) - tail_budget)
    graphemes = regex.findall(r"\X", text[tail_from:])
    tail = _take((graphemes if exact else graphemes[1:])[::-1], tail_budget)[::-1]
    start, end = "".join(head).rstrip(), "".join(tail).lstrip()
    dropped = len(text) - len(start) - len(end)
    return f"{start} […{dropped} of {len(text)} characters cut here; {how_to_get_all}] {end}"


_NEAR_CUT = 1000


def _boundary_before(regex: Any, text: str, position: int) -> tuple[int, bool]:
    """Where to start splitting the end of `text` into graphemes, at most `position`, and whether it is a
    boundary. Between two characters that no rule joins (Grapheme_Cluster_Break=Other) it is, and the
    rest splits as the whole text would. Without one near, the first grapheme from there may be a part;
    flags (regional indicator pairs) still pair up from the start of their run."""
    low = max(0, position - 2 * _NEAR_CUT)
    found = [m.start() for m in regex.finditer(r"(?<=\p{GCB=Other})(?=\p{GCB=Other})", text[low:position])]
    if found or low == 0:
        return low + (found[-1] if found else 0), True
    other = regex.search(r"(?r)[^\U0001F1E6-\U0001F1FF]", text, 0, low)
    return low - (low - (other.end() if other else 0)) % 2, False


def _take(graphemes: list[str], budget: int) -> list[str]:
    """The leading graphemes that fit in `budget` characters."""
    taken: list[str] = []
    for grapheme in graphemes:
        budget -= len(grapheme)
        if budget < 0:
            break
        taken.append(grapheme)
    return taken


def non_empty(value: Any) -> bool:
    """False for None, '', {}, [], and link-only objects such as {"url": ..., "resource": ...}."""
    if value is None or value == "" or value == {} or value == []:
        return False
    return not (isinstance(value, dict) and set(value) <= {"url", "resource"})


def join_nonempty(parts: list[Any], sep: str = ", ") -> str | None:
    texts = [t for t in (clean_text(p) for p in parts) if t]
    return sep.join(texts) or None


def one_line_address(address: dict[str, Any]) -> str | None:
    """'Jane Doe, Laser Ltd, 555 East Street, Austin, Texas 78108, United States'."""
    name = join_nonempty([address.get("first_name"), address.get("last_name")], " ")
    region = join_nonempty([address.get("state"), address.get("zip") or address.get("postal_code")], " ")
    return join_nonempty(
        [
            name,
            address.get("company"),
            address.get("street_1") or address.get("address_line_1"),
            address.get("street_2") or address.get("address_line_2"),
            address.get("city"),
            region,
            address.get("country") or address.get("country_alpha2") or address.get("country_iso2"),
        ]
    )


FORM_FIELDS_LIMIT = 50
FORM_TEXT_LIMIT = 1000


def form_fields(fields: Any, how_to_get_all: str) -> dict[str, str] | None:
    """[{name, value}] to {name: value}; list values joined, empty values left out; past FORM_FIELDS_LIMIT
    fields, a "…" entry says how many more there were."""
    if not isinstance(fields, list):
        return None
    fields, marker = first_of(fields, FORM_FIELDS_LIMIT, "fields", how_to_get_all)
    out: dict[str, str] = {}
    for field in fields:
        if not isinstance(field, dict):
            continue
        name = cut(clean_text(field.get("name")), FORM_TEXT_LIMIT, how_to_get_all)
        raw = field.get("value")
        value = join_nonempty(list(raw)) if isinstance(raw, list) else clean_text(raw)
        if name and value:
            out[name] = cut(value, FORM_TEXT_LIMIT, how_to_get_all) or value
    if marker and out:
        out["…"] = marker
    return out or None


def dicts(value: Any) -> list[dict[str, Any]]:
    """The objects in a list (BigCommerce lists may hold nulls or links), or [] for anything else."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    """The value if it is an object, else {} (BigCommerce sends null, [] or {} for 'nothing')."""
    return value if isinstance(value, dict) else {}


def as_int(value: Any) -> int | None:
    """An integer from 12, '12', '12.0' or 12.0; None for junk, for a fraction (12.5 is no count and no id)
    and for absurdly large values."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if -(10**18) < value < 10**18 else None
    amount = decimal_or_none(value)
    return None if amount is None or amount != amount.to_integral_value() else int(amount)


MAX_ID = 2**31 - 1


def as_id(value: Any) -> int | None:
    """An id: a positive integer up to 2**31 - 1, as BigCommerce's are; None for 0, negatives and junk."""
    number = as_int(value)
    return number if number is not None and 1 <= number <= MAX_ID else None


def as_count(value: Any) -> int | None:
    """A count or quantity: an integer from 0 to 2**31 - 1; None for negatives and junk."""
    number = as_int(value)
    return number if number is not None and 0 <= number <= MAX_ID else None


MAX_LINK = 2048


def http_link(value: Any) -> str | None:
    """A link a person can open: an http(s) URL with a host, of at most MAX_LINK characters, with no spaces
    inside; None for anything else (javascript:, data:, file:, a path, a page of text)."""
    link = clean_text(value)
    if link is None or len(link) > MAX_LINK or any(char.isspace() for char in link):
        return None
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        return None
    return link if parts.scheme.lower() in ("http", "https") and host else None


def unreadable_money(value: Any, currency: str | None) -> bool:
    """True for an amount BigCommerce gave that `money` cannot read ('12,50', 'n/a'): not absent, not zero."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    return money(value, currency) is None and decimal_or_none(value) != 0


def first_of(items: list[Any], limit: int, what: str, how_to_get_all: str) -> tuple[list[Any], str | None]:
    """The first `limit` items, and when there were more, a marker like the long texts' saying how many were
    cut and how to get them all."""
    if len(items) <= limit:
        return items, None
    return items[:limit], cut_marker(len(items) - limit, len(items), what, how_to_get_all)


def cut_marker(dropped: int, total: int, what: str, how_to_get_all: str) -> str:
    return f"[…{dropped} of {total} {what} cut here; {how_to_get_all}]"
