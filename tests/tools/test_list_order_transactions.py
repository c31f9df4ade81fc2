"""list_order_transactions: oldest first, AVS/CVV in words, card data kept out (hostile values too), 204, 403."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import respx

from bigcommerce_orders_mcp.tools.payment_secrets import payment_secrets, without_payment_secrets
from bigcommerce_orders_mcp.tools.payment_words import AVS_CODES, CVV_CODES
from tests.calls import call_error, call_ok
from tests.conftest import API, fixture

pytestmark = pytest.mark.anyio

TOOL = "list_order_transactions"
STORE = API.removesuffix("/v2")
TRANSACTIONS = "/v3/orders/133/transactions"

INSTRUMENT = "bigpay-INSTRUMENT-9f8e7d6c5b4a"
PROVIDER_TOKEN = "pm_PROVIDER-1a2b3c4d5e6f"
CUSTOMER = "cus_PROVIDERCUSTOMER77"
IIN = "41472093"
GIFT_CODE = "GIFT-CODE-7Q4M-P8RT"
SECRETS = (INSTRUMENT, PROVIDER_TOKEN, CUSTOMER, IIN, GIFT_CODE, "09/2031", "09/31")


@pytest.fixture
def store() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=STORE, assert_all_called=False) as router:
        yield router


def card_payment(**extra: Any) -> dict[str, Any]:
    return {
        "id": 3,
        "order_id": "133",
        "event": "purchase",
        "method": "credit_card",
        "amount": 368.03,
        "currency": "USD",
        "gateway": "stripe",
        "gateway_transaction_id": "ch_1",
        "date_created": "2024-06-03T23:48:30+00:00",
        "status": "error",
        "test": False,
        "fraud_review": False,
        "avs_result": {"code": "N", "message": "", "street_match": "N", "postal_match": "N"},
        "cvv_result": {"code": "N", "message": "CVC check failed"},
        "credit_card": {
            "card_type": "american_express",
            "card_iin": IIN,
            "card_last4": "0005",
            "card_expiry_month": 9,
            "card_expiry_year": 2031,
        },
        "payment_instrument_token": INSTRUMENT,
        "provider_instrument_token": PROVIDER_TOKEN,
        "provider_customer_id": CUSTOMER,
        **extra,
    }


async def test_a_declined_card_in_words_and_oldest_first(mcp_client: Any, store: respx.MockRouter) -> None:
    later = card_payment(id=2, date_created="2024-06-04T08:00:00Z", status="ok", avs_result={}, cvv_result={})
    store.get(TRANSACTIONS).respond(json={"data": [later, card_payment()], "meta": {}})
    answer = await call_ok(mcp_client, TOOL, {"order_id": 133})
    first, second = answer["transactions"]
    assert first == {
        "id": 3,
        "date": "2024-06-03T23:48:30Z",
        "event": "purchase",
        "status": "error",
        "amount": 368.03,
        "currency": "USD",
        "method": "credit card",
        "gateway": "stripe",
        "gateway_transaction_id": "ch_1",
        "avs": "neither street nor postal code matches (N)",
        "cvv": "security code does not match (N). Gateway: CVC check failed",
        "card": "American Express ending 0005",
    }
    assert (second["id"], second["status"]) == (2, "ok")
    assert "avs" not in second
    assert "cvv" not in second


async def test_every_kind_of_payment(mcp_client: Any, store: respx.MockRouter) -> None:
    rows = [
        {"id": 1, "event": "authorization", "method": "credit_card", "test": True, "fraud_review": True,
         "avs_result": {"street_match": "Y", "postal_match": "N"}, "date_created": "2025-01-01T00:00:00Z"},
        {"id": 2, "event": "capture", "reference_transaction_id": 1, "date_created": "2025-01-02T00:00:00Z"},
        {"id": 3, "method": "offline", "offline": {"display_name": "Bank transfer"},
         "date_created": "2025-01-03T00:00:00Z"},
        {"id": 4, "method": "custom", "custom": {"payment_method": "Cheque"}, "date_created": "2025-01-04T00:00:00Z"},
        {"id": 5, "method": "store_credit", "currency": "USD", "store_credit": {"remaining_balance": 17.1},
         "date_created": "2025-01-05T00:00:00Z"},
        {"id": 6, "method": "gift_certificate", "currency": "EUR", "date_created": "2025-01-06T00:00:00Z",
         "gift_certificate": {"code": GIFT_CODE, "remaining_balance": 25, "status": "active"}},
        {"id": 7, "method": "gift_certificate", "gift_certificate": {"code": "MB345"}},
    ]  # fmt: skip
    store.get(TRANSACTIONS).respond(json={"data": rows})
    shown = (await call_ok(mcp_client, TOOL, {"order_id": 133}))["transactions"]
    assert shown[0] == {
        "id": 1,
        "date": "2025-01-01T00:00:00Z",
        "event": "authorization",
        "method": "credit card",
        "test": True,
        "fraud_review": True,
        "avs": "street matches. postal code does not match",
    }
    assert shown[1]["of_transaction"] == 1
    assert shown[2]["payment_name"] == "Bank transfer"
    assert shown[3]["payment_name"] == "Cheque"
    assert shown[4]["store_credit_left"] == 17.1
    assert shown[5]["gift_certificate"] == "code ending P8RT, 25.00 EUR left, active"
    # Too short a code for its last four to stay a secret: not even those are shown. Undated rows come last.
    assert shown[6] == {"id": 7, "method": "gift certificate", "gift_certificate": "a gift certificate"}


async def test_no_transactions_is_an_empty_list_that_says_so(mcp_client: Any, store: respx.MockRouter) -> None:
    store.get(TRANSACTIONS).respond(204)
    answer = await call_ok(mcp_client, TOOL, {"order_id": 133})
    assert answer == {"order_id": 133, "transactions": [], "notice": "Order 133 has no transactions."}


async def test_403_names_the_missing_scope_and_how_to_add_it(mcp_client: Any, store: respx.MockRouter) -> None:
    problem = {"status": 403, "title": "You don't have a required scope to access the endpoint", "type": "x"}
    store.get(TRANSACTIONS).respond(403, json=problem)
    result = await mcp_client.call_tool(TOOL, {"order_id": 133})
    text = await call_error(mcp_client, TOOL, {"order_id": 133})
    assert "Order Transactions read-only scope (store_v2_transactions_read_only)" in text
    assert "Settings > API > Store-level API accounts" in text
    assert result.structured_content["error"]["type"] == "forbidden"


async def test_a_missing_order_is_not_found(mcp_client: Any, store: respx.MockRouter) -> None:
    store.get(TRANSACTIONS).respond(404, json={"status": 404, "title": "Not found", "type": "x"})
    text = await call_error(mcp_client, TOOL, {"order_id": 133})
    assert text == "Order 133 was not found in this store; check the order number."


def test_every_standard_code_has_words() -> None:
    assert set(AVS_CODES) == set("ABCDEFGIMNPRSUWXYZ")
    assert set(CVV_CODES) == set("MNPSUXY")


def hostile_transactions() -> list[dict[str, Any]]:
    """Every secret echoed where a summary reads text, nested oddly, and of the wrong type."""
    echo = f"token {INSTRUMENT} / {PROVIDER_TOKEN} / {CUSTOMER} / iin {IIN} / exp 09/2031 / gift {GIFT_CODE}"
    return [
        card_payment(
            gateway=echo,
            gateway_transaction_id=INSTRUMENT,
            event=PROVIDER_TOKEN,
            status=CUSTOMER,
            method=IIN,
            avs_result={"code": "N", "message": echo, "street_match": IIN[:3]},
            cvv_result={"code": GIFT_CODE[:3], "message": f"cvv ok for {GIFT_CODE}"},
            custom_provider_field_result={"fraud_response": echo, "receipt_number": INSTRUMENT},
            offline={"display_name": f"paid by {CUSTOMER}"},
            custom={"payment_method": f"card {IIN} exp 09/31"},
            credit_card={
                "card_type": f"visa {IIN}",
                "card_iin": int(IIN),
                "card_last4": IIN,
                "card_expiry_month": "09",
                "card_expiry_year": 2031,
                "payment_instrument_token": {"nested": [INSTRUMENT]},
            },
        ),
        {
            "id": 9,
            "method": "gift_certificate",
            "gift_certificate": {"code": GIFT_CODE, "status": f"active ({GIFT_CODE})"},
            "store_credit": {"remaining_balance": INSTRUMENT},
            "provider_customer_id": [CUSTOMER],
        },
    ]


async def test_hostile_upstream_never_shows_a_payment_secret_in_answers_or_logs(
    mcp_client: Any, store: respx.MockRouter, api: respx.MockRouter, caplog: pytest.LogCaptureFixture
) -> None:
    store.get(TRANSACTIONS).respond(json={"data": hostile_transactions()})
    store.get("/v3/orders/134/transactions").respond(400, json={"status": 400, "title": "bad", "type": "x"})
    order = fixture("get_order.200.example_Response.json")
    order_with_secrets = {**order, "transactions": hostile_transactions(), "payment_instrument_token": INSTRUMENT}
    store.get("/v2/orders/218").respond(json=order_with_secrets)
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for tool, order_id, detail in [
            (TOOL, 133, None),
            (TOOL, 134, None),
            ("get_order", 218, "full"),
            ("get_order", 218, None),
        ]:
            args: dict[str, Any] = {"order_id": order_id, **({"detail": detail} if detail else {})}
            result = await mcp_client.call_tool(tool, args)
            assert not result.is_error or order_id == 134, result.content
            seen.append(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
    logged = caplog.text + "".join(json.dumps(vars(record), default=str) for record in caplog.records)
    for secret in SECRETS:
        assert not any(secret in text for text in seen), secret
        assert secret not in logged, secret
    # Not even a part cut off before it was scrubbed: no run of 8 characters of a secret shows.
    for secret in SECRETS:
        for start in range(len(secret) - 7):
            assert not any(secret[start : start + 8] in text for text in seen), secret[start : start + 8]
    assert "[secret]" in seen[0]


def test_payment_secrets_are_found_however_nested_or_typed() -> None:
    found = payment_secrets(hostile_transactions())
    assert {INSTRUMENT, PROVIDER_TOKEN, CUSTOMER, IIN, GIFT_CODE, "09/2031", "9/31"} <= found
    assert all(len(secret) >= 4 for secret in found)


def test_a_payload_handed_over_whole_loses_its_secrets() -> None:
    payload = {"a": [{"credit_card": {"card_iin": IIN, "card_last4": "0005"}}], f"key {IIN}": IIN + "!"}
    assert without_payment_secrets(payload) == {
        "a": [{"credit_card": {"card_last4": "0005"}}],
        "key [secret]": "[secret]!",
    }
