"""get_order: its arguments as sent upstream, its summary of the spec's orders and of messy ones, and
summaries that never mislead (the currency paid in, one tax basis that adds up, the newest staff notes)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.sandbox import SANDBOX_ACCESS_TOKEN, build_store, create_app
from bigcommerce_orders_mcp.tools.base import compact_json
from bigcommerce_orders_mcp.tools.get_order import STAFF_NOTES_LIMIT, summarize_order
from tests.calls import call_error, call_ok, text_of
from tests.conftest import API, TOKEN, fixture
from tests.tools.conftest import absurd_order

pytestmark = pytest.mark.anyio


async def test_get_order_summary(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    order = await call_ok(mcp_client, "get_order", {"order_id": 218})
    assert order["status"] == "Awaiting Payment"
    assert order["totals"]["total"] == 69.84
    assert order["totals"]["shipping"] == 12
    request = route.calls.last.request
    assert request.headers["X-Auth-Token"] == TOKEN
    assert request.headers["Accept"] == "application/json"
    assert request.url.params == httpx.QueryParams()


async def test_summary_of_order_218_is_about_a_quarter_of_the_raw_bytes(mcp_client: Any, api: respx.MockRouter) -> None:
    raw = fixture("get_order.200.example_Response.json")
    api.get("/orders/218").respond(json=raw)
    result = await mcp_client.call_tool("get_order", {"order_id": 218})
    summary_bytes = len(text_of(result).encode())
    raw_bytes = len(json.dumps(raw, separators=(",", ":")).encode())
    assert summary_bytes <= raw_bytes * 0.25, (summary_bytes, raw_bytes)


@pytest.mark.parametrize(
    ("include", "sent"),
    [
        (["fees"], {"include": "fees"}),
        (["consignments"], {"include": "consignments", "consignment_structure": "object"}),
        (
            ["consignments.line_items", "fees"],
            {"include": "consignments.line_items,fees", "consignment_structure": "object"},
        ),
        ('["fees", "consignments"]', {"include": "fees,consignments", "consignment_structure": "object"}),
        ("fees,consignments", {"include": "fees,consignments", "consignment_structure": "object"}),
    ],
)
async def test_get_order_include_is_sent_as_the_api_expects(
    mcp_client: Any, api: respx.MockRouter, include: Any, sent: dict[str, str]
) -> None:
    route = api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    await call_ok(mcp_client, "get_order", {"order_id": 218, "include": include})
    assert dict(route.calls.last.request.url.params) == sent


async def test_get_order_full_detail_returns_the_whole_payload(mcp_client: Any, api: respx.MockRouter) -> None:
    raw = fixture("get_order.200.example_Multiple_Items.json")
    api.get("/orders/247").respond(json=raw)
    data = await call_ok(mcp_client, "get_order", {"order_id": 247, "detail": "full"})
    assert data == {"id": 247, "untrusted": ["billing_address", "customer_message"], "payload": raw}


async def test_get_order_full_detail_is_cleaned_and_marked_untrusted(mcp_client: Any, api: respx.MockRouter) -> None:
    raw = fixture("get_order.200.example_Multiple_Items.json")
    raw["customer_message"] = "Hi\u202e \u200bthere\x1b[2J\x1b[31m!\x07"
    raw["billing_address"]["first_name"] = "Ja\u200bne\U000e0041"
    raw["note\u202ekey"] = ["\x1b]0;title\x07ok", {"deep": "a\u2066b"}]
    api.get("/orders/247").respond(json=raw)
    data = await call_ok(mcp_client, "get_order", {"order_id": 247, "detail": "full"})
    payload = data["payload"]
    assert payload["customer_message"] == "Hi there!"
    assert payload["billing_address"]["first_name"] == "Jane"
    assert payload["notekey"] == ["ok", {"deep": "ab"}]
    assert data["untrusted"] == ["billing_address", "customer_message"]


async def test_get_order_with_embedded_consignments(mcp_client: Any, api: respx.MockRouter) -> None:
    order = fixture("get_order.200.example_Multiple_Items.json")
    order["consignments"] = fixture("consignments.schema_x-example_order_with_shipping_consignments.json")
    api.get("/orders/247").respond(json=order)
    data = await call_ok(mcp_client, "get_order", {"order_id": 247, "include": ["consignments"]})
    shipping = data["consignments"]["shipping"][0]
    assert shipping["method"] == "Free Shipping"
    assert shipping["cost"] == 6.2
    assert shipping["line_item_count"] == 1
    assert "Laser Ltd" in shipping["address"]
    assert "hint" not in data


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, "'order_id' is required"),
        ({"order_id": 0}, "'order_id' must be greater than or equal to 1"),
        ({"order_id": -3}, "'order_id' must be greater than or equal to 1"),
        ({"order_id": "218/../customers"}, "'order_id' must be an integer"),
        ({"order_id": 2.5}, "'order_id' must be an integer"),
        ({"order_id": None}, "'order_id' must be an integer (got null)"),
        ({"order_id": True}, "'order_id' must be an integer (got true)"),
        ({"order_id": 2**40}, "'order_id' must be less than or equal to 2147483647"),
        ({"order_id": 1, "include": ["products"]}, "'include[0]' must be 'consignments'"),
        ({"order_id": 1, "include": "[" * 5000}, "'include' must be an array"),
        ({"order_id": 1, "consignment_structure": "array"}, "'consignment_structure' must be 'object'"),
        ({"order_id": 1, "detail": "everything"}, "'detail' must be 'summary' or 'full'"),
        ({"order_id": 1, "orderId": 1}, "unknown argument 'orderId' (allowed: order_id, include"),
    ],
)
async def test_get_order_bad_arguments(
    mcp_client: Any, api: respx.MockRouter, args: dict[str, Any], expected: str
) -> None:
    result = await mcp_client.call_tool("get_order", args)
    assert result.structured_content["error"]["type"] == "invalid_arguments"
    text = await call_error(mcp_client, "get_order", args)
    assert text.startswith("Invalid arguments for get_order:")
    assert expected in text
    assert not api.calls


async def test_order_id_as_digit_string_is_accepted(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    await call_ok(mcp_client, "get_order", {"order_id": "218"})


async def test_a_bug_in_a_summariser_still_says_what_to_do(
    mcp_client: Any, api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bigcommerce_orders_mcp.tools import get_order

    def broken(order: dict[str, Any]) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(get_order, "summarize_order", broken)
    api.get("/orders/218").respond(json=fixture("get_order.200.example_Response.json"))
    result = await mcp_client.call_tool("get_order", {"order_id": 218})
    text = await call_error(mcp_client, "get_order", {"order_id": 218})
    assert 'Retry with detail="full"' in text
    assert result.structured_content["error"]["type"] == "internal_error"
    assert (await call_ok(mcp_client, "get_order", {"order_id": 218, "detail": "full"}))["id"] == 218


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


def order_218(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = copy.deepcopy(fixture("get_order.200.example_Response.json"))
    raw.update(changes)
    return raw


def line_item(**changes: Any) -> dict[str, Any]:
    item = {
        "id": 12,
        "name": "Gift Mug",
        "sku": "MUG-1",
        "quantity": 1,
        "price_ex_tax": "10.0000",
        "price_inc_tax": "11.0000",
        "total_ex_tax": "10.0000",
        "total_inc_tax": "11.0000",
    }
    return {**item, **changes}


def with_line_items(raw: dict[str, Any], *items: dict[str, Any], **shipping: Any) -> dict[str, Any]:
    consignment = {**fixture("shipping_consignment.schema_x-example.json"), "line_items": list(items), **shipping}
    raw["consignments"] = {"shipping": [consignment], "pickups": [], "downloads": [], "email": {}}
    return raw


def test_amounts_are_labelled_with_the_currency_paid_in_not_the_display_currency() -> None:
    raw = order_218(currency_code="JPY", default_currency_code="USD", store_default_currency_code="USD")
    totals = summary(raw)["totals"]
    assert totals["currency"] == "USD"
    assert totals["total"] == 69.84  # not rounded to yen: the amounts are dollars
    assert totals["display_currency"] == "JPY"


def test_the_display_currency_is_only_mentioned_when_it_differs() -> None:
    raw = order_218(currency_code="USD", default_currency_code="USD")
    assert "display_currency" not in summary(raw)["totals"]


def exact(amount: float) -> Decimal:
    """A JSON amount as the decimal it was written as (Decimal(69.84) would be the double's binary expansion)."""
    return Decimal(repr(amount))


def parts_add_up(data: dict[str, Any], *, with_fees: bool = True) -> Decimal:
    """total - (subtotal + shipping + handling + wrapping + fees - discount - coupon_discount)."""
    totals = data["totals"]

    def amount(key: str) -> Decimal:
        return exact(totals.get(key, 0))

    fees = sum((exact(v) for v in (data.get("fees") or {}).values()), Decimal(0)) if with_fees else Decimal(0)
    parts = sum(amount(k) for k in ("subtotal", "shipping", "handling", "wrapping")) + fees
    return amount("total") - (parts - amount("discount") - amount("coupon_discount"))


@pytest.mark.parametrize("inclusive", [True, False])
def test_every_amount_is_on_the_tax_inclusive_basis(inclusive: bool) -> None:
    # The case: a store pricing without tax, shipping 11.09 ex tax, 12.00 with it.
    raw = with_line_items(
        order_218(is_tax_inclusive_pricing=inclusive),
        line_item(price_ex_tax="55.99", price_inc_tax="60.47", total_ex_tax="55.99", total_inc_tax="60.47"),
        cost_ex_tax="11.09",
        cost_inc_tax="12.00",
    )
    data = summary(raw)
    assert data["totals"]["shipping"] == 12
    assert data["consignments"]["shipping"][0]["cost"] == 12
    assert data["consignments"]["shipping"][0]["line_items"][0]["price"] == 60.47
    assert data["totals"]["tax_included"] == 5.31


def test_the_spec_examples_reconcile() -> None:
    # The spec's order 218 shows two fees that its own totals leave out (the example is assembled);
    # the order alone adds up: 67.84 + 12.00 - 5.00 - 5.00 = 69.84.
    assert parts_add_up(summary(order_218()), with_fees=False) == 0
    assert parts_add_up(summary(fixture("get_order.200.example_Multiple_Items.json"))) == 0


async def test_every_sandbox_order_reconciles_on_the_stated_basis() -> None:
    transport = httpx.ASGITransport(app=create_app())
    headers = {"X-Auth-Token": SANDBOX_ACCESS_TOKEN, "Accept": "application/json"}
    params = {"include": "consignments.line_items,fees", "consignment_structure": "object"}
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=headers) as http:
        for order_id in sorted(build_store().orders):
            response = await http.get(f"/stores/sandbox/v2/orders/{order_id}", params=params)
            data = summary(response.json())
            # 218 is the spec's example, fees its totals leave out and all (see the test above).
            gap = parts_add_up(data, with_fees=order_id != 218)
            assert abs(gap) <= Decimal("0.02"), (order_id, data["totals"], data.get("fees"))
            lines = [i for c in data.get("consignments", {}).get("shipping", []) for i in c.get("line_items", [])]
            if lines and "subtotal" in data["totals"]:
                # The line items are on the same basis as the subtotal they make up.
                assert sum(exact(i.get("total", 0)) for i in lines) <= exact(data["totals"]["subtotal"]) + 1


def test_fees_left_out_are_pointed_at() -> None:
    raw = order_218(fees={"url": "https://api.bigcommerce.com/stores/x/v2/orders/218/fees", "resource": "/fees"})
    raw["total_inc_tax"] = "94.14"  # 24.30 of fees on top of the 69.84 the parts make
    assert 'The parts are 24.30 short of the total, likely fees: include=["fees"].' in summary(raw)["hint"]
    assert "likely fees" not in (summary(order_218(fees={"url": "u", "resource": "r"})).get("hint") or "")


def test_the_newest_staff_note_survives() -> None:
    notes = "2024-01-02 Jo: packed.\n" + "2024-01-03 Jo: waiting on courier.\n" * 40 + "2024-02-09 Sam: REFUND ISSUED"
    data = summary(order_218(staff_notes=notes))
    assert data["staff_notes"].endswith("2024-02-09 Sam: REFUND ISSUED")
    assert data["staff_notes"].startswith("2024-01-02 Jo: packed.")
    assert 'call get_order with detail="full" for the whole text]' in data["staff_notes"]


def test_the_facts_support_asks_about() -> None:
    raw = with_line_items(
        order_218(
            is_deleted=True,
            order_is_digital=True,
            external_source="eBay",
            external_order_id="23-11111-22222",
            ebay_order_id="110123456789-0",
            payment_provider_id="ch_3PzX9",
            customer_locale="de-AT",
            channel_id=3,
        ),
        line_item(applied_discounts=[{"id": 1, "amount": 1, "code": "SPRING10"}, {"id": 2, "amount": 1, "code": None}]),
        line_item(
            id=13,
            applied_discounts=[{"id": 3, "amount": 2, "code": "SPRING10"}, {"id": 4, "amount": 1, "code": "VIP"}],
            wrapping_name="Gold foil",
            wrapping_message="Happy birthday, Mum!",
        ),
        form_fields=[{"name": "Delivery instructions", "value": "Leave with the concierge"}],
    )
    data = summary(raw)
    assert data["archived"] is True
    assert data["digital"] is True
    assert (data["external_source"], data["external_order_id"]) == ("eBay", "23-11111-22222")
    assert data["ebay_order_id"] == "110123456789-0"
    assert data["payment"]["transaction_id"] == "ch_3PzX9"
    assert data["customer"]["locale"] == "de-AT"
    assert data["channel_id"] == 3
    assert data["coupons"] == ["SPRING10", "VIP"]
    shipping = data["consignments"]["shipping"][0]
    assert shipping["form_fields"] == {"Delivery instructions": "Leave with the concierge"}
    gift = shipping["line_items"][1]
    assert (gift["gift_wrapping"], gift["gift_message"]) == ("Gold foil", "Happy birthday, Mum!")
    assert "untrusted" not in data  # said once, in the description and the schema: see the next test


def test_a_parcel_to_the_billing_address_says_so_instead_of_repeating_it() -> None:
    billing = fixture("get_order.200.example_Response.json")["billing_address"]
    fields = ("first_name", "last_name", "company", "street_1", "street_2", "city", "state", "zip", "country")
    home = {key: billing[key] for key in fields}
    raw = with_line_items(order_218(), line_item(), **home)
    raw["consignments"]["shipping"].append({**raw["consignments"]["shipping"][0], "street_1": "1 Other Road"})
    first, second = summary(raw)["consignments"]["shipping"]
    assert first["address"] == "same as billing_address"
    assert second["address"] == "Jane Doe, 1 Other Road, Austin, Texas 78108, United States"


def test_a_line_items_total_is_left_out_only_when_it_is_its_price() -> None:
    raw = with_line_items(
        order_218(), line_item(), line_item(quantity=2, price_inc_tax="11.0000", total_inc_tax="22.0000")
    )
    one, two = summary(raw)["consignments"]["shipping"][0]["line_items"]
    assert (one["price"], "total" in one) == (11, False)
    assert (two["price"], two["total"]) == (11, 22)


def test_coupons_every_item_used_are_said_once_for_the_order() -> None:
    spring = [{"id": 1, "amount": 1, "code": "SPRING10"}]
    data = summary(
        with_line_items(order_218(), line_item(applied_discounts=spring), line_item(applied_discounts=spring))
    )
    assert data["coupons"] == ["SPRING10"]
    assert all("coupons" not in item for item in data["consignments"]["shipping"][0]["line_items"])
    mixed = summary(with_line_items(order_218(), line_item(applied_discounts=spring), line_item()))
    assert [item.get("coupons") for item in mixed["consignments"]["shipping"][0]["line_items"]] == [["SPRING10"], None]


def test_defaults_and_placeholders_are_left_out() -> None:
    data = summary(order_218(ebay_order_id="0", channel_id=1, is_deleted=False, order_is_digital=False))
    for key in ("ebay_order_id", "channel_id", "archived", "digital", "coupons"):
        assert key not in data


def test_status_falls_back_to_the_name_of_its_id() -> None:
    assert summary(order_218(status="", status_id=2))["status"] == "Shipped"
    assert summary(order_218(status="Awaiting Payment", status_id=2))["status"] == "Awaiting Payment"


async def test_a_hostile_order_is_summarised_over_the_protocol() -> None:
    order = absurd_order("1e99999999", date="9999-12-31T23:59:59-14:00")
    order["id"] = 218
    with respx.mock(base_url=API) as api:
        api.get("/orders/218").respond(json=order)
        async with Client(build_server(BigCommerceClient(API, TOKEN))) as client:
            result = await client.call_tool("get_order", {"order_id": 218})
    assert not result.is_error
    assert (result.structured_content or {})["id"] == 218


async def test_get_order_points_to_the_shipments_only_when_items_shipped(sandbox: Any) -> None:
    shipped = await call_ok(sandbox, "get_order", {"order_id": 243})
    assert "Tracking: list_order_shipments." in shipped["hint"]
    with_lines = await call_ok(sandbox, "get_order", {"order_id": 243, "include": ["consignments.line_items"]})
    assert "Tracking: list_order_shipments." in with_lines["hint"]
    unshipped = await call_ok(sandbox, "get_order", {"order_id": 218})
    assert "items_shipped" not in unshipped
    assert "list_order_shipments" not in unshipped.get("hint", "")


# ------------------------------------------------------------------------------ issue 18: identity, types, bounds


def spec_order(**fields: Any) -> dict[str, Any]:
    return {**copy.deepcopy(fixture("get_order.200.example_Response.json")), **fields}


@pytest.mark.parametrize("detail", ["summary", "full"])
@pytest.mark.parametrize(("answered", "named"), [(77, "order 77"), ("x" * 5000, 'order "xxxx'), (-218, "order -218")])
async def test_an_answer_about_another_order_is_an_invalid_response(
    mcp_client: Any, api: respx.MockRouter, detail: str, answered: Any, named: str
) -> None:
    api.get("/orders/512").respond(json=spec_order(id=answered))
    result = await mcp_client.call_tool("get_order", {"order_id": 512, "detail": detail})
    text = await call_error(mcp_client, "get_order", {"order_id": 512, "detail": detail})
    assert result.structured_content["error"]["type"] == "invalid_response"
    assert text.startswith(f"Asked for order 512, BigCommerce answered with {named}")
    assert len(text) < 200


async def test_the_same_order_written_as_text_is_still_the_order(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/218").respond(json=spec_order(id="218"))
    assert (await call_ok(mcp_client, "get_order", {"order_id": 218}))["id"] == 218


async def test_amounts_that_cannot_be_read_are_said_not_dropped_silently(
    mcp_client: Any, api: respx.MockRouter
) -> None:
    line = {"id": 5, "name": "Mug", "quantity": 2, "price_inc_tax": "9.99 EUR", "total_inc_tax": "19.98"}
    consignments = {"shipping": [{"line_items": [line], "cost_inc_tax": "1.234,00"}]}
    order = spec_order(shipping_cost_inc_tax="8,50", discount_amount="-", consignments=consignments)
    order["fees"] = [{"display_name_customer": "Bag", "cost_inc_tax": "0,10"}]
    api.get("/orders/218").respond(json=order)
    data = await call_ok(mcp_client, "get_order", {"order_id": 218, "include": ["consignments.line_items", "fees"]})
    assert data["unreadable"] == [
        "consignments.shipping[0].line_items[0].price",
        "consignments.shipping[0].cost",
        "totals.shipping",
        "totals.discount",
        "fees[0]",
    ]
    assert "shipping" not in data["totals"]
    assert "price" not in data["consignments"]["shipping"][0]["line_items"][0]


async def test_values_that_are_not_their_type_are_left_out(mcp_client: Any, api: respx.MockRouter) -> None:
    order = spec_order(
        default_currency_code="<i>EUR</i>",
        currency_code="eu",
        date_created="tomorrow",
        date_modified="1969-07-20T20:17:40Z",
        date_shipped="0000-00-00T00:00:00",
        customer_id=-4,
        channel_id=0,
        items_total=-3,
        items_shipped="2.5",
    )
    api.get("/orders/218").respond(json=order)
    data = await call_ok(mcp_client, "get_order", {"order_id": 218})
    assert not {"created", "modified", "shipped", "channel_id", "items", "items_shipped"} & set(data)
    assert not {"currency", "display_currency"} & set(data["totals"])
    assert "totals.currency" in data["unreadable"]
    assert not {"id", "guest"} & set(data.get("customer", {}))


def _line(n: int) -> dict[str, Any]:
    return {"id": n, "name": f"Bolt M{n}", "sku": f"B{n}", "quantity": 3, "price_inc_tax": "0.25"}


async def test_every_list_in_a_summary_is_bounded_and_says_how_much_was_cut(
    mcp_client: Any, api: respx.MockRouter
) -> None:
    shipping = [
        {"id": n, "city": f"Town {n}", "line_items": [_line(n * 10_000 + i) for i in range(40)]} for n in range(300)
    ]
    fees = [{"display_name_customer": f"Fee {n}", "cost_inc_tax": "1"} for n in range(400)]
    api.get("/orders/218").respond(json=spec_order(consignments={"shipping": shipping}, fees=fees))
    result = await mcp_client.call_tool("get_order", {"order_id": 218, "include": ["consignments.line_items", "fees"]})
    data = await call_ok(mcp_client, "get_order", {"order_id": 218, "include": ["consignments.line_items", "fees"]})
    assert len(result.content[0].text.encode()) < 64 * 1024
    assert len(data["consignments"]["shipping"]) == 50
    assert sum(len(c.get("line_items", ())) for c in data["consignments"]["shipping"]) == 100
    assert len(data["fees"]) == 50
    full = 'call get_order with detail="full" for them all'
    assert data["cut"] == [
        f"[…250 of 300 consignments cut here; {full}]",
        f"[…350 of 400 fees cut here; {full}]",
        f"[…1900 of 2000 line items cut here; {full}]",
    ]


async def test_a_full_order_too_large_for_a_result_is_cut_and_says_so(mcp_client: Any, api: respx.MockRouter) -> None:
    lines = [{**_line(n), "name": f"Bolt {n} " + "long name " * 20} for n in range(3000)]
    api.get("/orders/218").respond(json=spec_order(consignments={"shipping": [{"line_items": lines}]}))
    result = await mcp_client.call_tool("get_order", {"order_id": 218, "detail": "full"})
    data = await call_ok(mcp_client, "get_order", {"order_id": 218, "detail": "full"})
    assert 200 * 1024 < len(result.content[0].text.encode()) <= 256 * 1024
    (marker,) = data["cut"]
    assert marker.startswith("payload.consignments.shipping[0].line_items: […")
    assert "of 3000 entries cut here; the whole order is in the BigCommerce control panel" in marker
    assert data["payload"]["consignments"]["shipping"][0]["line_items"][0] == json.loads(json.dumps(lines[0]))


def test_coupon_codes_are_bounded_too() -> None:
    codes = [{"code": f"SAVE{n}"} for n in range(45)]
    lines = [{**_line(1), "applied_discounts": codes}, {**_line(2), "applied_discounts": codes[:3]}]
    data = summarize_order(spec_order(consignments={"shipping": [{"line_items": lines}]})).to_json_dict()
    assert len(data["coupons"]) == 20
    assert data["cut"] == [
        '[…25 of 45 coupon codes of consignments.shipping[0].line_items[0] cut here; call get_order with detail="full" '
        "for them all]"
    ]
