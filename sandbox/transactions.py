"""The demo store's payment transactions (Orders v3, hand-written records), from several gateways.

``payment_actions`` adds ids (ascending with date across the store), the order id, the currency and, unless
given, the order's total as the amount. The stored-payment tokens, IINs, expiry dates and gift certificate
codes here are made up, shaped like real ones: the tools must never show them.

- 133: a card declined twice: first the security code did not match, then the issuer refused it.
- 108: an authorization, captured the next day.
- 190: an address check mismatch (postcode), held for fraud review.
- 247: a payment through the test gateway, in test mode.
- 218: an offline payment (cash on collection), still pending.
- 212: a gift certificate covering part of the order, the card the rest.
- 155: paid with store credit.
- 138, 146: the purchases, and their refunds as the gateways recorded them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TRANSACTIONS"]

_VISA_0042 = {
    "card_type": "visa",
    "card_iin": "414720",
    "card_last4": "0042",
    "card_expiry_month": 9,
    "card_expiry_year": 2026,
}
_MATCH = {"code": "Y", "message": "Street and postal code match", "street_match": "Y", "postal_match": "Y"}
_CVV_OK = {"code": "M", "message": "CVV2/CVC2 match"}

TRANSACTIONS: dict[int, tuple[dict[str, Any], ...]] = {
    133: (
        {
            "event": "purchase",
            "method": "credit_card",
            "gateway": "stripe",
            "gateway_transaction_id": "ch_3PNd1XJmQ8aLr0Kc1a2b3c4d",
            "date_created": "2024-06-03T23:48:30Z",
            "status": "error",
            "avs_result": _MATCH,
            "cvv_result": {"code": "N", "message": "CVC check failed"},
            "credit_card": _VISA_0042,
            "payment_instrument_token": "c5a1f7e2-93b4-4d8e-b0a6-5f1e2d3c4b5a",
        },
        {
            "event": "purchase",
            "method": "credit_card",
            "gateway": "stripe",
            "gateway_transaction_id": "ch_3PNd4RJmQ8aLr0Kc9e8f7a6b",
            "date_created": "2024-06-03T23:51:02Z",
            "status": "error",
            "avs_result": _MATCH,
            "cvv_result": _CVV_OK,
            "credit_card": _VISA_0042,
            "custom_provider_field_result": {"fraud_response": "Declined by the issuer: insufficient funds"},
            "payment_instrument_token": "c5a1f7e2-93b4-4d8e-b0a6-5f1e2d3c4b5a",
        },
    ),
    108: (
        {
            "event": "authorization",
            "method": "credit_card",
            "gateway": "authorizenet",
            "gateway_transaction_id": "60221894421",
            "date_created": "2024-01-27T10:41:20Z",
            "status": "ok",
            "avs_result": _MATCH,
            "cvv_result": _CVV_OK,
            "credit_card": {
                "card_type": "master",
                "card_iin": "545454",
                "card_last4": "5454",
                "card_expiry_month": 3,
                "card_expiry_year": 2027,
            },
            "provider_customer_id": "cus_AuthNet_918273645",
            "provider_instrument_token": "pi_AuthNet_55f0c1d2e3",
        },
        {
            "event": "capture",
            "method": "credit_card",
            "gateway": "authorizenet",
            "gateway_transaction_id": "60221894421",
            "date_created": "2024-01-28T15:02:11Z",
            "status": "ok",
            "reference": 0,  # the authorization above
        },
    ),
    190: (
        {
            "event": "authorization",
            "method": "credit_card",
            "gateway": "braintree",
            "gateway_transaction_id": "kx7m2p9q",
            "date_created": "2025-03-10T09:56:40Z",
            "status": "ok",
            "fraud_review": True,
            "avs_result": {
                "code": "A",
                "message": "Postcode does not match",
                "street_match": "M",
                "postal_match": "N",
            },
            "cvv_result": _CVV_OK,
            "credit_card": {
                "card_type": "visa",
                "card_iin": "476173",
                "card_last4": "0119",
                "card_expiry_month": 11,
                "card_expiry_year": 2027,
            },
            "payment_instrument_token": "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f",
        },
    ),
    247: (
        {
            "event": "purchase",
            "method": "credit_card",
            "gateway": "testgateway",
            "gateway_transaction_id": "TEST-2512-0247",
            "date_created": "2025-12-21T16:07:30Z",
            "status": "ok",
            "test": True,
            "credit_card": {
                "card_type": "visa",
                "card_iin": "411111",
                "card_last4": "1111",
                "card_expiry_month": 12,
                "card_expiry_year": 2030,
            },
        },
    ),
    218: (
        {
            "event": "pending",
            "method": "offline",
            "gateway": "instore",
            "date_created": "2025-07-20T21:40:30Z",
            "status": "ok",
            "offline": {"display_name": "Cash on collection"},
        },
    ),
    212: (
        {
            "event": "purchase",
            "method": "gift_certificate",
            "gateway": "giftcertificate",
            "date_created": "2025-06-28T08:27:50Z",
            "status": "ok",
            "amount": "25.00",
            "gift_certificate": {
                "code": "JP-GIFT-7Q4M-P8RT",
                "original_balance": 50,
                "starting_balance": 50,
                "remaining_balance": 25,
                "status": "active",
            },
        },
        {
            "event": "purchase",
            "method": "credit_card",
            "gateway": "adyen",
            "gateway_transaction_id": "8815930212345678",
            "date_created": "2025-06-28T08:27:52Z",
            "status": "ok",
            "amount": "107.66",
            "avs_result": _MATCH,
            "cvv_result": _CVV_OK,
            "credit_card": {
                "card_type": "master",
                "card_iin": "522233",
                "card_last4": "7781",
                "card_expiry_month": 6,
                "card_expiry_year": 2028,
            },
        },
    ),
    155: (
        {
            "event": "purchase",
            "method": "store_credit",
            "gateway": "storecredit",
            "date_created": "2024-09-20T19:34:10Z",
            "status": "ok",
            "store_credit": {"remaining_balance": 17.10},
        },
    ),
    138: (
        {
            "event": "purchase",
            "method": "credit_card",
            "gateway": "braintree",
            "gateway_transaction_id": "r3d8w1ka",
            "date_created": "2024-06-25T09:20:01Z",
            "status": "ok",
            "avs_result": _MATCH,
            "cvv_result": _CVV_OK,
            "credit_card": {
                "card_type": "visa",
                "card_iin": "455673",
                "card_last4": "3014",
                "card_expiry_month": 1,
                "card_expiry_year": 2025,
            },
        },
        {
            "event": "refund",
            "method": "credit_card",
            "gateway": "braintree",
            "gateway_transaction_id": "r3d8w1kb",
            "date_created": "2024-07-05T16:20:31Z",
            "status": "error",
            "amount": "45.08",
        },
        {
            "event": "refund",
            "method": "store_credit",
            "gateway": "storecredit",
            "date_created": "2024-07-05T16:34:02Z",
            "status": "ok",
            "amount": "45.08",
            "store_credit": {"remaining_balance": 45.08},
        },
    ),
    146: (
        {
            "event": "purchase",
            "method": "electronic_wallet",
            "gateway": "paypalexpress",
            "gateway_transaction_id": "8WX43117JL2209146",
            "date_created": "2024-08-08T00:59:12Z",
            "status": "ok",
        },
        {
            "event": "refund",
            "method": "electronic_wallet",
            "gateway": "paypalexpress",
            "gateway_transaction_id": "3FT90552HK8811146",
            "date_created": "2024-08-10T02:41:07Z",
            "status": "ok",
        },
    ),
}
