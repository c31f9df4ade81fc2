"""The facts check: what a summary must carry, computed from the raw payload without the server's helpers.

Each fact is checked at the summary field that should hold it, so a summary cannot win on size by
dropping a fact. The rules are written from the brief (issue #4), not copied from ``tools/``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from itertools import pairwise
from typing import Any

ZERO_DECIMAL_CURRENCIES = frozenset({"JPY"})
TEXT_PREFIX = 200  # characters of free text that must survive verbatim: its start, and a long text's
TEXT_HEAD, TEXT_TAIL = 100, 200  # start and end (notes grow by appending: the newest text is at the end)
MESSAGE_TEXT_CUT = 4000  # a message text longer than this may be cut in the middle
STATUS_NAMES = {
    0: "Incomplete", 1: "Pending", 2: "Shipped", 3: "Partially Shipped", 4: "Refunded", 5: "Cancelled",
    6: "Declined", 7: "Awaiting Payment", 8: "Awaiting Pickup", 9: "Awaiting Shipment", 10: "Completed",
    11: "Awaiting Fulfillment", 12: "Manual Verification Required", 13: "Disputed", 14: "Partially Refunded",
}  # fmt: skip

_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


Check = Callable[[dict[str, Any]], bool]


@dataclass(frozen=True)
class Fact:
    """One fact: a name for the report and a check against the summary's structured content."""

    name: str
    expected: str
    check: Check


def _text(value: Any) -> str:
    # The summary may strip invisible and control characters (a documented safety rule); nothing else.
    if value is None or isinstance(value, dict | list):
        return ""
    text = _INVISIBLE.sub("", str(value))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()


def _at(data: dict[str, Any], *path: str) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _money(value: Any, currency: str) -> str | None:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount == 0:
        return None
    places = 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2
    return str(amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _is_amount(got: Any, expected: str) -> bool:
    """The summary's amount is the expected one, rounded to the minor unit: a JSON number of that exact value
    (12 is 12.00; 12.001 is not), or the very string."""
    if isinstance(got, int | float) and not isinstance(got, bool):
        return Decimal(repr(got)) == Decimal(expected)
    return isinstance(got, str) and got == expected


def _same_instant_utc(raw: str) -> Callable[[Any], bool]:
    expected = parsedate_to_datetime(raw.strip())

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return False
        try:
            got = datetime.fromisoformat(value)
        except ValueError:
            return False
        return got.utcoffset() is not None and got.utcoffset() == UTC.utcoffset(None) and got == expected

    return check


def _date_at(field: str, raw: str) -> Check:
    same = _same_instant_utc(raw)
    return lambda s: same(s.get(field))


def _unless_created(fact: Fact, raw: str) -> Fact:
    same = _same_instant_utc(raw)
    return Fact(fact.name, fact.expected, lambda s: fact.check(s) or ("modified" not in s and same(s.get("created"))))


def _fee_has(name: str, amount: str | None) -> Check:
    def check(s: dict[str, Any]) -> bool:
        fees = s.get("fees") or {}
        listed = {value for key, value in fees.items() if key == name or key.startswith(f"{name} (")}
        return bool(listed) and (amount is None or any(_is_amount(got, amount) for got in listed))

    return check


def _equals(*path: str, value: Any) -> Check:
    return lambda s: _at(s, *path) == value


def _amount_at(*path: str, value: str) -> Check:
    return lambda s: _is_amount(_at(s, *path), value)


def _contains(*path: str, part: str) -> Check:
    def check(s: dict[str, Any]) -> bool:
        got = _at(s, *path)
        return isinstance(got, str) and part in got

    return check


def order_facts(raw: dict[str, Any]) -> list[Fact]:
    """Every fact the summary of ``raw`` (a GET order body, with or without include) must carry."""
    facts: list[Fact] = []

    def add(name: str, expected: Any, check: Check) -> None:
        facts.append(Fact(name, str(expected), check))

    add("id", raw["id"], _equals("id", value=raw["id"]))
    if status := _text(raw.get("status")) or STATUS_NAMES.get(raw.get("status_id")):  # type: ignore[arg-type]
        add("status", status, _equals("status", value=status))
    for key, field in (("date_created", "created"), ("date_modified", "modified"), ("date_shipped", "shipped")):
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            add(field, value, _date_at(field, value))
    # An order never modified since it was created says `created` alone: the schema says so.
    if isinstance(raw.get("date_modified"), str) and raw["date_modified"].strip():
        facts = [_unless_created(f, raw["date_modified"]) if f.name == "modified" else f for f in facts]

    billing = raw.get("billing_address") if isinstance(raw.get("billing_address"), dict) else {}
    assert isinstance(billing, dict)
    for part in ("first_name", "last_name"):
        if name := _text(billing.get(part)):
            add(f"customer.{part}", name, _contains("customer", "name", part=name))
    for key in ("email", "phone", "company"):
        if value := _text(billing.get(key)):
            add(f"customer.{key}", value, _equals("customer", key, value=value))
    customer_id = raw.get("customer_id")
    if customer_id == 0:
        add("customer.guest", True, _equals("customer", "guest", value=True))
    elif isinstance(customer_id, int):
        add("customer.id", customer_id, _equals("customer", "id", value=customer_id))
    for key in ("street_1", "street_2", "city", "zip", "country"):
        if value := _text(billing.get(key)):
            add(f"billing_address.{key}", value, _contains("billing_address", part=value))

    # Amounts are in the transactional currency; currency_code is only what the storefront displayed.
    currency = _text(raw.get("default_currency_code")) or _text(raw.get("currency_code"))
    display = _text(raw.get("currency_code"))
    if display and currency and display != currency:
        add("totals.display_currency", display, _equals("totals", "display_currency", value=display))
    # One basis for every amount: including tax, on which BigCommerce's parts add up to the total.
    amounts = {
        "subtotal": "subtotal_inc_tax",
        "shipping": "shipping_cost_inc_tax",
        "handling": "handling_cost_inc_tax",
        "wrapping": "wrapping_cost_inc_tax",
        "tax_included": "total_tax",
        "discount": "discount_amount",
        "coupon_discount": "coupon_discount",
        "total": "total_inc_tax",
        "refunded": "refunded_amount",
        "store_credit": "store_credit_amount",
        "gift_certificates": "gift_certificate_amount",
    }
    for field, key in amounts.items():
        if (amount := _money(raw.get(key), currency)) is not None:
            add(f"totals.{field}", amount, _amount_at("totals", field, value=amount))
    if currency:
        add("totals.currency", currency, _equals("totals", "currency", value=currency))

    items_total = raw.get("items_total")
    if isinstance(items_total, int) and items_total:
        add("items", items_total, _equals("items", value=items_total))
        shipped = raw.get("items_shipped")
        if shipped:
            add("items_shipped", shipped, _equals("items_shipped", value=shipped))
    for key, field in (("payment_method", "method"), ("payment_status", "status")):
        if value := _text(raw.get(key)):
            add(f"payment.{field}", value, _equals("payment", field, value=value))
    if (source := _text(raw.get("order_source"))) and source != "www":  # the storefront, the default
        add("source", source, _equals("source", value=source))
    if isinstance(raw.get("channel_id"), int) and raw["channel_id"] != 1:
        add("channel_id", raw["channel_id"], _equals("channel_id", value=raw["channel_id"]))
    if value := _text(raw.get("payment_provider_id")):
        add("payment.transaction_id", value, _equals("payment", "transaction_id", value=value))
    if value := _text(raw.get("customer_locale")):
        add("customer.locale", value, _equals("customer", "locale", value=value))
    for key, field in (("is_deleted", "archived"), ("order_is_digital", "digital")):
        if raw.get(key) is True:
            add(field, True, _equals(field, value=True))
    for key in ("external_source", "external_order_id", "ebay_order_id"):
        if (value := _text(raw.get(key))) and value != "0":
            add(key, value, _equals(key, value=value))
    for key in ("customer_message", "staff_notes"):
        if text := _text(raw.get(key)):
            for part in (
                {text[:TEXT_PREFIX]} if len(text) <= 500 else {text[:TEXT_HEAD].strip(), text[-TEXT_TAIL:].strip()}
            ):
                add(key, part, _contains(key, part=part))
    for form_field in billing.get("form_fields") or []:
        if not isinstance(form_field, dict) or not (name := _text(form_field.get("name"))):
            continue
        values = form_field.get("value")
        for value in values if isinstance(values, list) else [values]:
            if text := _text(value):
                add(f"form_fields.{name}", text, _contains("form_fields", name, part=text))

    _include_facts(raw, currency, add)
    return facts


def _include_facts(raw: dict[str, Any], currency: str, add: Callable[[str, Any, Check], None]) -> None:
    fees = raw.get("fees")
    if isinstance(fees, list):
        for i, fee in enumerate(f for f in fees if isinstance(f, dict)):
            name = _text(fee.get("display_name_customer")) or _text(fee.get("display_name_merchant"))
            amount = _money(fee.get("cost_inc_tax"), currency)
            add(f"fees[{i}].name", name, _fee_has(name, None))
            if amount is not None:
                add(f"fees[{i}].amount", amount, _fee_has(name, amount))
    consignments = raw.get("consignments")
    if not isinstance(consignments, dict) or set(consignments) <= {"url", "resource"}:
        return
    groups: list[tuple[str, str, list[Any]]] = [
        ("shipping", "shipping_method", consignments.get("shipping") or []),
        ("pickups", "pickup_method_display_name", consignments.get("pickups") or []),
        ("downloads", "", consignments.get("downloads") or []),
        ("gift_certificates", "", _at(consignments, "email", "gift_certificates") or []),
    ]
    for group, method_key, entries in groups:
        for i, consignment in enumerate(c for c in entries if isinstance(c, dict)):
            where = f"consignments.{group}[{i}]"
            if method_key and (method := _text(consignment.get(method_key))):
                add(f"{where}.method", method, _in_consignment(group, i, "method", method))
            items = consignment.get("line_items")
            full = [x for x in (items if isinstance(items, list) else []) if isinstance(x, dict)]
            # Link-only entries ({url, resource}) carry no facts and the summary only counts them.
            for form_field in consignment.get("form_fields") or [] if group == "shipping" else []:
                name = _text(form_field.get("name")) if isinstance(form_field, dict) else ""
                if name and (text := _text(form_field.get("value"))):
                    check = _in_consignment(group, i, "form_fields", {name: text}, partial=True)
                    add(f"{where}.form_fields.{name}", text, check)
            for j, item in enumerate(x for x in full if not set(x) <= {"url", "resource"}):
                name = _text(item.get("name_customer")) or _text(item.get("name"))
                expected = {
                    "name": name,
                    "sku": _text(item.get("sku")) or None,
                    "quantity": item.get("quantity"),
                    "gift_wrapping": _text(item.get("wrapping_name")) or None,
                    "gift_message": _text(item.get("wrapping_message"))[:TEXT_PREFIX] or None,
                }
                for discount in item.get("applied_discounts") or []:
                    if isinstance(discount, dict) and (code := _text(discount.get("code"))):
                        add(f"{where}.line_items[{j}].coupon", code, _has_coupon(code))
                for key, value in expected.items():
                    if value not in (None, ""):
                        add(f"{where}.line_items[{j}].{key}", value, _in_consignment(group, i, key, value, line=j))


def _in_consignment(
    group: str, index: int, key: str, value: Any, line: int | None = None, *, partial: bool = False
) -> Check:
    """The summary's consignment (or one of its line items) at the same position has ``key == value``
    (``partial``: holds the items of the dict ``value``; a text must start with the expected one)."""

    def check(s: dict[str, Any]) -> bool:
        listed = _at(s, "consignments", group)
        node = listed[index] if isinstance(listed, list) and index < len(listed) else {}
        if line is not None:
            lines = node.get("line_items") or []
            node = lines[line] if line < len(lines) else {}
        got = node.get(key)
        if partial:
            return isinstance(got, dict) and all(got.get(k) == v for k, v in value.items())
        if key == "gift_message":
            return isinstance(got, str) and got.startswith(value)
        return bool(got == value)

    return check


def _has_coupon(code: str) -> Check:
    """A coupon code shows on the order, so "which coupon did they use?" needs no search."""
    return lambda s: code in (s.get("coupons") or [])


def missing_facts(raw: dict[str, Any], structured: dict[str, Any]) -> list[str]:
    """Names (with expected values) of the facts of ``raw`` that ``structured`` lacks."""
    return [f"{fact.name}={fact.expected!r}" for fact in order_facts(raw) if not fact.check(structured)]


def count_facts(raw: dict[str, Any]) -> int:
    """How many facts ``raw`` has."""
    return len(order_facts(raw))


def message_facts_missing(raw_page: list[dict[str, Any]], structured: dict[str, Any]) -> list[str]:
    """Each raw message's id, text head, subject (unless it only restates the order number or, in a reply, the
    subject of the message before it), date, sender,
    read and flagged state, and the customer's name (on the message or the page) must be on the page."""
    missing: list[str] = []
    messages = structured.get("messages") or []
    by_id = {m.get("id"): m for m in messages if isinstance(m, dict)}
    # A reply's subject is its thread's: the message before it (oldest first) shows it.
    dated = sorted(raw_page, key=oldest_first)
    before = {m.get("id"): _thread(p.get("subject")) for p, m in pairwise(dated)}
    for raw in raw_page:
        got = by_id.get(raw.get("id"))
        if got is None:
            missing.append(f"message {raw.get('id')}")
            continue
        # The text sits under who wrote it: `customer` or `staff`.
        sender = "customer" if str(raw.get("type")).lower() == "customer" else "staff"
        written = got.get(sender)
        text = _text(raw.get("message"))
        # A long text keeps its start and its end, like notes; a cut marker says where the rest is.
        parts = [text[:TEXT_PREFIX]] if len(text) <= MESSAGE_TEXT_CUT else [text[:TEXT_HEAD], text[-TEXT_TAIL:]]
        if text and any(part.strip() not in (written or "") for part in parts):
            missing.append(f"message {raw.get('id')}.text")
        subject = _text(raw.get("subject"))
        trivial = re.fullmatch(rf"(?i)((re|fwd?):\s*)*order\s*#?\s*{raw.get('order_id')}", subject)
        reply = subject and before.get(raw.get("id")) == _thread(subject)
        if subject and not trivial and not reply and got.get("subject") != subject:
            missing.append(f"message {raw.get('id')}.subject")
        # An unread message says so; a read one says nothing (like flagged).
        if raw.get("status") in ("read", "unread") and (got.get("unread") is True) != (raw.get("status") == "unread"):
            missing.append(f"message {raw.get('id')}.read")
        if (raw.get("is_flagged") is True) != (got.get("flagged") is True):
            missing.append(f"message {raw.get('id')}.flagged")
        if not isinstance(written, str) or {"customer", "staff"} & set(got) != {sender}:
            missing.append(f"message {raw.get('id')}.from")
        customer = raw.get("customer")
        customer = customer if isinstance(customer, dict) else {}
        name = " ".join(_text(customer.get(k)) for k in ("first_name", "last_name") if customer.get(k))
        if name and name not in (got.get("customer_name"), structured.get("customer_name")):
            missing.append(f"message {raw.get('id')}.customer")
        if raw.get("date_created") and not _same_instant_utc(str(raw["date_created"]))(got.get("date")):
            missing.append(f"message {raw.get('id')}.date")
    return missing


def oldest_first(message: dict[str, Any]) -> tuple[float, int]:
    try:
        moment = parsedate_to_datetime(str(message.get("date_created"))).timestamp()
    except (TypeError, ValueError):
        moment = float("inf")
    return moment, message.get("id") or 0


def _thread(subject: Any) -> str:
    return " ".join(re.sub(r"(?i)^((re|aw|fwd?|wg)\s*:\s*)+", "", _text(subject)).split()).casefold()


def order_row_facts_missing(raw_orders: list[dict[str, Any]], structured: dict[str, Any]) -> list[str]:
    """Each raw order's id, date, status, customer name, total (in the currency paid in) and item count
    must be on its row of the list_orders page."""
    missing: list[str] = []
    rows = {row.get("id"): row for row in structured.get("orders") or [] if isinstance(row, dict)}
    for raw in raw_orders:
        row = rows.get(raw.get("id"))
        if row is None:
            missing.append(f"order {raw.get('id')}")
            continue
        where = f"order {raw['id']}"
        status = _text(raw.get("status")) or STATUS_NAMES.get(raw.get("status_id"))  # type: ignore[arg-type]
        if status and row.get("status") != status:
            missing.append(f"{where}.status")
        if raw.get("date_created") and not _same_instant_utc(str(raw["date_created"]))(row.get("date")):
            missing.append(f"{where}.date")
        currency = _text(raw.get("default_currency_code")) or _text(raw.get("currency_code"))
        total = _money(raw.get("total_inc_tax"), currency)
        paid_in = row.get("currency") or structured.get("currency")
        if total and not (_is_amount(row.get("total"), total) and paid_in == currency):
            missing.append(f"{where}.total")
        if raw.get("items_total") and row.get("items") != raw["items_total"]:
            missing.append(f"{where}.items")
        billing: dict[str, Any] = raw["billing_address"] if isinstance(raw.get("billing_address"), dict) else {}
        name = " ".join(_text(billing.get(k)) for k in ("first_name", "last_name") if _text(billing.get(k)))
        if (name or _text(billing.get("email"))) and row.get("customer") != (name or _text(billing.get("email"))):
            missing.append(f"{where}.customer")
    return missing


def shipment_facts_missing(raw_shipments: list[dict[str, Any]], structured: dict[str, Any]) -> list[str]:
    """Each raw shipment's id, date, tracking number, a link a customer can open, the carrier or provider and
    the quantity of every item shipped must be on the list_order_shipments page."""
    missing: list[str] = []
    shipments = {s.get("id"): s for s in structured.get("shipments") or [] if isinstance(s, dict)}
    for raw in raw_shipments:
        got = shipments.get(raw.get("id"))
        where = f"shipment {raw.get('id')}"
        if got is None:
            missing.append(where)
            continue
        if (number := _text(raw.get("tracking_number"))) and got.get("tracking_number") != number:
            missing.append(f"{where}.tracking_number")
        link = _text(raw.get("tracking_link")) or _text(raw.get("generated_tracking_link"))
        if link and got.get("tracking_link") != link:
            missing.append(f"{where}.tracking_link")
        named = [_text(raw.get(k)) for k in ("shipping_provider_display_name", "tracking_carrier", "shipping_provider")]
        if any(named) and not got.get("carrier"):
            missing.append(f"{where}.carrier")
        if raw.get("date_created") and not _same_instant_utc(str(raw["date_created"]))(got.get("date")):
            missing.append(f"{where}.date")
        shipped = sorted(int(item.get("quantity") or 0) for item in raw.get("items") or [] if isinstance(item, dict))
        if shipped != sorted(int(item.get("quantity") or 0) for item in got.get("items") or []):
            missing.append(f"{where}.items")
    return missing
