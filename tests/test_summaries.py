"""The summarisers on the spec's example payloads and on the messy shapes real stores send."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bigcommerce_orders_mcp.tools.base import compact_json
from bigcommerce_orders_mcp.tools.get_order import STAFF_NOTES_LIMIT, summarize_order
from bigcommerce_orders_mcp.tools.list_order_messages import summarize_message
from bigcommerce_orders_mcp.tools.values import clean_text, iso_date, json_number, money, strip_all_hidden, strip_hidden
from tests.conftest import fixture


def summary(order: dict[str, Any]) -> dict[str, Any]:
    return summarize_order(order).to_json_dict()


def test_spec_order_218() -> None:
    data = summary(fixture("get_order.200.example_Response.json"))
    assert data == {
        "id": 218,
        "status": "Awaiting Payment",
        "created": "2019-03-05T21:40:11Z",
        "modified": "2019-03-11T15:17:25Z",
        "customer": {
            "id": 11,
            "name": "Jane Doe",
            "email": "janedoe@example.com",
            "phone": "1234567890",
            "locale": "en",
        },
        "billing_address": "555 East Street, Austin, Texas 78108, United States",
        "totals": {
            "currency": "USD",
            "subtotal": 67.84,
            "shipping": 12,
            "discount": 5,
            "coupon_discount": 5,
            "tax_included": 5.31,
            "total": 69.84,
        },
        "items": 4,
        "payment": {"method": "Cash", "status": "authorized"},
        "source": "external",
        "external_order_id": "external-order-id",
        "form_fields": {"Delivery Instructions": "Leave in backyard"},
        "fees": {"A Fee": 12.3, "B Fee": 12},
    }


def test_amounts_are_json_numbers_in_the_text_the_model_reads() -> None:
    text = compact_json(summary(fixture("get_order.200.example_Response.json")))
    assert '"subtotal":67.84,"shipping":12,"discount":5,' in text
    assert '"fees":{"A Fee":12.3,"B Fee":12}' in text


def test_spec_order_247_with_its_typo_key_and_uneven_decimals() -> None:
    raw = fixture("get_order.200.example_Multiple_Items.json")
    assert raw['currency_code"'] == "USD"
    assert raw["credit_card_type"] == {}
    data = summary(raw)
    assert data["totals"] == {
        "currency": "USD",
        "subtotal": 1000.74,
        "shipping": 8,
        "tax_included": 76.88,
        "total": 1008.74,
    }
    assert data["customer_message"] == "Custom Journal Added"
    assert data["staff_notes"] == "BIN-45"
    assert "credit_card_type" not in json.dumps(data)


def test_an_order_never_modified_since_it_was_created_says_created_alone() -> None:
    raw = fixture("get_order.200.example_Multiple_Items.json")
    assert raw["date_modified"] == raw["date_created"]
    data = summary(raw)
    assert data["created"] == "2019-06-20T16:07:08Z"
    assert "modified" not in data
    # The same instant written in another zone is the same date.
    data = summary({**raw, "date_modified": "Thu, 20 Jun 2019 18:07:08 +0200"})
    assert "modified" not in data
    data = summary({**raw, "date_modified": "Thu, 20 Jun 2019 16:07:09 +0000"})
    assert data["modified"] == "2019-06-20T16:07:09Z"


def test_guest_order_and_zero_amounts_are_left_out() -> None:
    raw = copy.deepcopy(fixture("get_order.200.example_Multiple_Items.json"))
    raw.update(customer_id=0, date_shipped="", payment_status="", items_total=0, discount_amount="0.0000")
    data = summary(raw)
    assert data["customer"]["guest"] is True
    assert "id" not in data["customer"]
    assert "shipped" not in data
    assert data["payment"] == {"method": "Test Payment Gateway"}
    assert "items" not in data
    assert "hint" not in data


@pytest.mark.parametrize("inclusive", [True, False])
def test_amounts_include_tax_whatever_the_store_prices_in(inclusive: bool) -> None:
    raw = copy.deepcopy(fixture("get_order.200.example_Multiple_Items.json"))
    raw["is_tax_inclusive_pricing"] = inclusive
    totals = summary(raw)["totals"]
    assert (totals["subtotal"], totals["shipping"], totals["tax_included"]) == (1000.74, 8, 76.88)
    assert "prices_include_tax" not in totals


def test_refunds_store_credit_gift_certificates_handling_wrapping() -> None:
    raw = copy.deepcopy(fixture("get_order.200.example_Response.json"))
    raw.update(
        refunded_amount="10.5",
        store_credit_amount="3.0000",
        gift_certificate_amount="25",
        handling_cost_inc_tax="1.2500",
        wrapping_cost_inc_tax="2",
        custom_status="Ready for dispatch",
    )
    data = summary(raw)
    totals = data["totals"]
    assert (totals["refunded"], totals["store_credit"], totals["gift_certificates"]) == (10.5, 3, 25)
    assert (totals["handling"], totals["wrapping"]) == (1.25, 2)
    assert data["status_label"] == "Ready for dispatch"


def test_long_staff_notes_are_cut_with_a_marker() -> None:
    raw = copy.deepcopy(fixture("get_order.200.example_Response.json"))
    raw["staff_notes"] = (
        "First call: customer asked for gift wrap. " + "Called customer. " * 200 + "NEWEST: refund sent."
    )
    notes = summary(raw)["staff_notes"]
    assert len(notes) < STAFF_NOTES_LIMIT + 120
    assert 'characters cut here; call get_order with detail="full" for the whole text]' in notes
    assert f"of {len(raw['staff_notes'].strip())} characters" in notes
    # Notes grow by appending: the newest entry survives, and so does the start.
    assert notes.endswith("NEWEST: refund sent.")
    assert notes.startswith("First call: customer asked")


def test_non_ascii_and_invisible_characters() -> None:
    raw = copy.deepcopy(fixture("get_order.200.example_Response.json"))
    raw["billing_address"].update(first_name="Zoë", last_name="Mül\u202eler", city="Zürich")
    raw["customer_message"] = "Bitte\u200b schnell liefern"
    data = summary(raw)
    assert data["customer"]["name"] == "Zoë Müller"
    assert "Zürich" in data["billing_address"]
    assert data["customer_message"] == "Bitte schnell liefern"


@pytest.mark.parametrize("junk", [None, {}, [], "", "n/a"])
def test_messy_values_never_break_the_summary(junk: Any) -> None:
    raw = copy.deepcopy(fixture("get_order.200.example_Response.json"))
    for key in ("billing_address", "date_created", "total_inc_tax", "fees", "items_total", "consignments", "status"):
        raw[key] = junk
    data = summary(raw)
    assert data["id"] == 218


def test_consignments_of_every_kind() -> None:
    raw = copy.deepcopy(fixture("get_order.200.example_Response.json"))
    consignments: dict[str, Any] = {"pickups": [], "shipping": [], "downloads": [], "email": {"gift_certificates": []}}
    for kind in ("pickup", "shipping", "digital", "gift_certificate"):
        example = fixture(f"consignments.schema_x-example_order_with_{kind}_consignments.json")
        for key in ("pickups", "shipping", "downloads"):
            consignments[key] += example[key]
        consignments["email"]["gift_certificates"] += example["email"]["gift_certificates"]
    raw["consignments"] = consignments
    data = summary(raw)["consignments"]
    assert data["pickups"] == [
        {
            "method": "Pick Up",
            "location": "Location 1: 123 Main Street, Suite 101, Austin, Texas 78726, US",
            "instructions": "Bring your ID",
            "collection_time": "9am - 6pm",
            "line_item_count": 1,
        }
    ]
    assert data["shipping"][0]["method"] == "Free Shipping"
    # The spec shows a bare link object where the schema says array: still counted.
    assert data["downloads"] == [{"recipient_email": "recipient@email.com", "line_item_count": 1}]
    assert data["gift_certificates"] == [{"recipient_email": "recipient@email.com", "line_item_count": 1}]


def test_line_items_with_options() -> None:
    raw = copy.deepcopy(fixture("get_order.200.example_Response.json"))
    shipping = fixture("shipping_consignment.schema_x-example.json")
    shipping["line_items"] = [
        {
            "name": "Fog Linen Chambray Towel - Beige Stripe",
            "sku": "S-ORAN",
            "quantity": 2,
            "base_price": "55.9900",
            "price_inc_tax": "65.2300",
            "total_inc_tax": "130.4600",
            "quantity_shipped": 1,
            "quantity_refunded": 0,
            "product_options": [
                {"display_name": "Size", "display_value": "S"},
                {"display_name_customer": "Color", "display_value_customer": "Orange", "display_name": "x"},
            ],
        }
    ]
    raw["consignments"] = {"shipping": [shipping]}
    item = summary(raw)["consignments"]["shipping"][0]["line_items"][0]
    assert item == {
        "name": "Fog Linen Chambray Towel - Beige Stripe",
        "sku": "S-ORAN",
        "quantity": 2,
        "price": 65.23,
        "total": 130.46,
        "options": "Size: S; Color: Orange",
        "shipped": 1,
    }


def test_message_from_customer_and_staff() -> None:
    staff = summarize_message(fixture("order_messages.200.example.json")[0], 181).to_json_dict()
    assert staff["staff"] == "Thank you again!"
    assert "customer" not in staff
    assert staff["unread"] is True
    assert "subject" not in staff  # "Re: Order #181" says nothing the page does not
    other = summarize_message(fixture("order_messages.200.example.json")[0], 9).to_json_dict()
    assert other["subject"] == "Re: Order #181"
    customer = summarize_message(
        {
            "id": 9,
            "staff_id": 0,
            "customer_id": 11,
            "type": "customer",
            "subject": "Where is my order?",
            "message": "Hi,\nany news?\u202e",
            "status": "read",
            "is_flagged": True,
            "date_created": "Wed, 26 Sep 2018 15:52:03 +0000",
            "customer": {"first_name": "Jane", "last_name": "Doe", "email": "jane@example.com"},
        }
    ).to_json_dict()
    assert customer == {
        "id": 9,
        "date": "2018-09-26T15:52:03Z",
        "customer_name": "Jane Doe",
        "subject": "Where is my order?",
        "customer": "Hi,\nany news?",
        "flagged": True,
    }


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        ("62.6793", "USD", "62.68"),
        ("8", "USD", "8"),
        ("0.0000", "USD", None),
        ("", "USD", None),
        ({}, "USD", None),
        (5.1, "USD", "5.1"),
        ("1500.0000", "JPY", "1500"),
        ("1.2345", "KWD", "1.235"),
        ("1000.10", "USD", "1000.1"),
        ("-0.3000", "USD", "-0.3"),
        ("9999999999999.994", "USD", "9999999999999.99"),
        ("9999999999999.995", "USD", None),  # 16 digits once rounded: more than a double holds
        ("NaN", "USD", None),
        (True, "USD", None),
    ],
)
def test_money_is_rounded_to_the_minor_unit_and_written_as_an_exact_json_number(
    value: Any, currency: str, expected: str | None
) -> None:
    amount = money(value, currency)
    assert (None if amount is None else compact_json(json_number(amount))) == expected


@settings(max_examples=500)
@given(st.decimals(min_value=-(10**13) + 1, max_value=10**13 - 1, places=2))
def test_every_amount_reads_back_as_written(amount: Decimal) -> None:
    """No 0.30000000000000004: the JSON number of an amount is its decimal, trailing zeros aside."""
    text = compact_json(json_number(amount))
    assert Decimal(text) == amount
    assert text == (str(int(amount)) if amount == amount.to_integral_value() else format(amount.normalize(), "f"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 05 Mar 2019 21:40:11 +0000", "2019-03-05T21:40:11Z"),
        ("Thu, 20 Apr 2017 11:32:00 -0400", "2017-04-20T15:32:00Z"),
        ("2017-04-20T11:32:00.000-04:00", "2017-04-20T15:32:00Z"),
        ("", None),
        (None, None),
        ("not a date", "not a date"),
    ],
)
def test_iso_date(value: Any, expected: str | None) -> None:
    assert iso_date(value) == expected


@pytest.mark.parametrize(
    ("subject", "kept"),
    [("Order #181", False), ("Re: Order #181", False), ("RE: re: order 181", False), ("Fwd: Order #181", False),
     ("Order #1812", True), ("Where is order #181?", True), ("Re: Order #181 - damaged", True)],
)  # fmt: skip
def test_subjects_that_only_restate_the_order_are_left_out(subject: str, kept: bool) -> None:
    message = {"id": 1, "type": "customer", "subject": subject, "message": "hi"}
    assert ("subject" in summarize_message(message, 181).to_json_dict()) is kept


def test_clean_text_removes_controls_but_keeps_lines() -> None:
    assert clean_text("a\u0000b\u200bc\u2066d\nline") == "abcd\nline"
    assert clean_text("   ") is None


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.one_of(
            st.characters(max_codepoint=0x7F),
            st.sampled_from("\x1b[31m\u200b\u200d\u202e\u2028\x85\u00ad\ufe0f\U000e0041é"),
        )
    )
)
def test_plain_ascii_takes_the_short_way_to_the_same_cleaning(text: str) -> None:
    # Text with no control character in ASCII is returned as it is, which must be what the full cleaning gives.
    assert strip_hidden(text) == strip_all_hidden(text)
