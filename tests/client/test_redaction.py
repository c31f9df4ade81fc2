"""BIGCOMMERCE_REDACT_PII: what is masked, in fields and in free text, and what is left alone."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st
from mcp import Client

from bigcommerce_orders_mcp.app import build_server
from bigcommerce_orders_mcp.client import BigCommerceClient
from bigcommerce_orders_mcp.client.redaction import mask_phone, redact, redact_text
from tests.conftest import API, TOKEN, fixture

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail janedoe@example.com now", "mail j***@e***.com now"),
        ("j.doe+x@mail.example.co.uk", "j***@m***.uk"),
        ("call +1 555-010-7890", "call ***90"),
        ("call (303) 555-0126.", "call ***26."),
        ("from 70.112.53.67", "from [ip redacted]"),
        ("from 2001:db8::1 and ::1", "from [ip redacted] and [ip redacted]"),
    ],
)
def test_free_text_is_masked(text: str, expected: str) -> None:
    assert redact_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-04-23 18:40 UTC (Sam): packed",
        "Tue, 05 Mar 2019 21:40:11 +0000",
        "total 1,008.74 USD, 20350.0000 JPY",
        "UPC 1234567891112, tracking 1ZJP1990000000199",
        "cart 8b84f622-faf1-4c10-887b-f5dff2f9eaf4 at 11:32:00",
        "order #181, 3 items",
        "refund (10000.00) issued, (1234567.5)",
    ],
)
def test_dates_amounts_and_ids_are_left_alone(text: str) -> None:
    assert redact_text(text) == text


def test_payload_fields_are_masked() -> None:
    order = redact(fixture("get_order.200.example_Multiple_Items.json"))
    billing = order["billing_address"]
    assert billing["street_1"] == "[street redacted]"
    assert billing["street_2"] == ""
    assert billing["email"] == "j***@e***.com"
    assert billing["phone"] == "***90"
    assert billing["city"] == "Austin"
    assert order["ip_address"] == "[ip redacted]"
    assert order["total_inc_tax"] == "1008.74"
    assert order["cart_id"] == "8b84f622-faf1-4c10-887b-f5dff2f9eaf4"


async def test_every_tool_output_is_redacted() -> None:
    client = BigCommerceClient(API, TOKEN, redact_pii=True)
    order = fixture("get_order.200.example_Multiple_Items.json")
    order["customer_message"] = "Text me on +1 512 555 0199 or mail jane.doe@example.org"
    message = dict(fixture("order_messages.200.example.json")[0], message="I am at 70.112.53.67, jane@x.io")
    with respx.mock(base_url=API) as api:
        api.get("/orders/247").respond(json=order)
        api.get("/orders/247/messages").respond(json=[message])
        async with Client(build_server(client)) as session:
            outputs = [
                await session.call_tool("get_order", {"order_id": 247}),
                await session.call_tool("get_order", {"order_id": 247, "detail": "full"}),
                await session.call_tool("list_order_messages", {"order_id": 247}),
            ]
    text = json.dumps([o.model_dump(mode="json") for o in outputs])
    secrets = ["janedoe@email.com", "jane.doe@example.org", "jane@x.io", "1234567890", "555 0199", "555 East Street"]
    for secret in [*secrets, "70.112.53.67"]:
        assert secret not in text
    summary: dict[str, Any] = outputs[0].structured_content or {}
    assert summary["billing_address"] == "[street redacted], Austin, Texas 78108, United States"
    assert summary["customer"] == {
        "id": 11,
        "name": "Jane Doe",
        "email": "j***@e***.com",
        "phone": "***90",
        "locale": "en",
    }


# Defects of issue 10 (5): each case below was left unmasked, or masked when it should not be, before.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 5125550102 tonight", "call ***02 tonight"),
        ("mobile: 07700900123.", "mobile: ***23."),
        ("+4930123456789", "***89"),
    ],
)
def test_bare_national_numbers_are_masked(text: str, expected: str) -> None:
    assert redact_text(text) == expected


def test_a_00_country_prefix_is_not_taken_for_a_date() -> None:
    assert redact_text("Tel 0049-30-1234567 (Büro)") == "Tel ***67 (Büro)"


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        (5125550102, "***02"),
        (5125550102.0, "***02"),
        ("５１２５５５０１０２", "***02"),
        ("5550102", "***02"),
        ("ext. 12", "***"),
        ("", ""),
        (None, None),
    ],
)
def test_phone_fields_are_masked_whatever_their_type(phone: Any, expected: Any) -> None:
    order = redact({"billing_address": {"phone": phone}, "shipping_addresses": [{"phone": phone}]})
    assert order == {"billing_address": {"phone": expected}, "shipping_addresses": [{"phone": expected}]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail josé@exämple.de now", "mail j***@e***.de now"),
        ("mail jose\u0301@exa\u0308mple.de now", "mail j***@e***.de now"),
        ("邮箱 用户@例子.广告 谢谢", "邮箱 用***@例***.广告 谢谢"),
        ("почта: иван@пример.рф", "почта: и***@п***.рф"),
        ("ईमेल उपयोगकर्ता@उदाहरण.भारत", "ईमेल उ***@उ***.भारत"),
        ("mail ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ now", "mail j***@e***.com now"),
        ("mail ｊａｎｅ．ｄｏｅ＠ｍａｉｌ．ｅｘａｍｐｌｅ．ｃｏｍ", "mail j***@m***.com"),
    ],
)
def test_internationalised_and_full_width_emails_are_masked(text: str, expected: str) -> None:
    assert redact_text(text) == expected
    assert redact({"email": text.split()[-1]})["email"] == expected.split()[-1]


@pytest.mark.parametrize("dash", ["-", *map(chr, range(0x2010, 0x2016)), "\u2212"])
def test_unicode_dashes_and_full_width_digits_are_masked(dash: str) -> None:
    assert redact_text(f"call 555{dash}0199 after 6") == "call ***99 after 6"
    assert redact_text(f"call ５５５{dash}０１９９ after 6") == "call ***99 after 6"
    assert redact_text(f"or (512) 555{dash}0199.") == "or ***99."


@pytest.mark.parametrize("key", ["sku", "tracking_number", "upc", "ean", "gtin", "mpn", "isbn"])
def test_codes_in_their_own_fields_are_never_masked(key: str) -> None:
    for code in ["512-555-0102", "5125550102", "1Z999AA10123456784", "0049-30-1234567", "9400 1000 0000 0000"]:
        assert redact({"products": [{key: code, "name": "Mug"}]}) == {"products": [{key: code, "name": "Mug"}]}


@pytest.mark.parametrize(
    "text",
    [
        "shipped 2024-05-01, 01/05/2024 and 1 May 2024 at 18:40",
        "refund $1,234.56 or 1.234,56 € or 12.50",
        "order #218 and order 218; #5125550102, order 5125550102, invoice no. 07700900123",
        "UPS 1Z999AA10123456784, USPS 9400100000000000000000 or 9400 1000 0000 0000 0000 00",
        "sizes 10 12 14 16, 2 3 4 5 6 7 8",
        "ISBN 978-3-16-148410-0",
    ],
)
def test_dates_amounts_references_and_tracking_numbers_in_text_are_left_alone(text: str) -> None:
    assert redact_text(text) == text


def test_an_invoice_number_written_as_ten_bare_digits_is_masked() -> None:
    # The documented price of catching bare national numbers: without its label it reads as a phone.
    assert redact_text("see 2024000017 attached") == "see ***17 attached"


# Generated phone numbers, e-mails and look-alikes.

_SEPARATORS = [" ", ".", "-", "\u2011", "\u2013"]
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# A format is the text before the first group, then (digits, text) pairs; `d` is a random digit,
# `_` a random separator.
_FORMATS = [
    "(ddd) ddd_dddd",  # US
    "ddd_ddd_dddd",
    "+1_ddd_ddd_dddd",
    "07ddd_dddddd",  # UK
    "+44_7ddd_dddddd",
    "0049_dd_ddddddd",  # DE
    "+49_dd_ddddddd",
    "0dd_ddddddd",
    "+33_d_dd_dd_dd_dd",  # FR
    "0d_dd_dd_dd_dd",
    "+81_d_dddd_dddd",  # JP
    "0d_dddd_dddd",
    "+91_9dddd_ddddd",  # IN
    "+61_d_dddd_dddd",  # AU
    "(0d) dddd_dddd",
]
_WORDS = st.text(st.sampled_from("abcdefxyz ÄéñçßØ用户测試 Привет"), max_size=12)


@st.composite
def _phones(draw: st.DrawFn) -> str:
    rendered = ""
    for char in draw(st.sampled_from(_FORMATS)):
        if char == "d":
            rendered += draw(st.sampled_from("0123456789"))
        elif char == "_":
            rendered += draw(st.sampled_from(_SEPARATORS))
        else:
            rendered += char
    return rendered.translate(_FULL_WIDTH) if draw(st.booleans()) else rendered


@st.composite
def _embedded(draw: st.DrawFn, inner: st.SearchStrategy[str]) -> tuple[str, str]:
    value = draw(inner)
    before = draw(st.sampled_from(["call ", "tel:", "Tel. ", "電話 ", "(", "WhatsApp: ", ""]))
    after = draw(st.sampled_from([" ", ".", ", ", ")", ""]))
    return value, f"{draw(_WORDS)} {before}{value}{after} {draw(_WORDS)}"


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in text if char.isdecimal())


@settings(max_examples=150, deadline=None)
@given(_embedded(_phones()))
def test_generated_phone_numbers_are_masked(case: tuple[str, str]) -> None:
    phone, text = case
    masked = redact_text(text)
    digits, left = _ascii_digits(phone), _ascii_digits(masked)
    # Four dot-separated pairs (`06 12.34.56.78`) also read as an IPv4 address: masked either way.
    assert f"***{digits[-2:]}" in masked or "[ip redacted]" in masked
    assert all(digits[i : i + 5] not in left for i in range(len(digits) - 4))
    assert mask_phone(phone) == f"***{digits[-2:]}"


_ALPHABETS = {
    "ascii": "abcdefghijklmnopqrstuvwxyz0123456789",
    "accented": "éèêëüöäñçåøœßíóúâ",
    "cjk": "用户例子测试邮件中文日本語",
    "full width": "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
}
_TLDS = {
    "ascii": ["com", "de", "io"],
    "accented": ["de", "fr"],
    "cjk": ["广告", "中国", "公司"],
    "full width": ["ｃｏｍ"],
}


@st.composite
def _emails(draw: st.DrawFn) -> tuple[str, str]:
    style = draw(st.sampled_from(sorted(_ALPHABETS)))
    letters = st.text(st.sampled_from(_ALPHABETS[style]), min_size=1, max_size=10)
    at, dot = ("＠", "．") if style == "full width" else ("@", ".")
    local, domain, tld = draw(letters), draw(letters), draw(st.sampled_from(_TLDS[style]))
    if draw(st.booleans()):
        local = f"{local}{dot}{draw(letters)}"
    masked = unicodedata.normalize("NFKC", f"{local[0]}***@{domain[0]}***.{tld}")
    return f"{local}{at}{domain}{dot}{tld}", masked


@settings(max_examples=100, deadline=None)
@given(_emails(), _WORDS, _WORDS)
def test_generated_emails_are_masked(email: tuple[str, str], before: str, after: str) -> None:
    address, masked = email
    assert redact_text(f"{before} mail {address} {after}") == f"{before} mail {masked} {after}"
    assert redact({"email": address}) == {"email": masked}


_MONTHS = ["January", "May", "Sept", "Dec"]
_dates = st.builds(
    lambda y, m, d, form, time: form.format(y=y, m=m, d=d, month=_MONTHS[m % 4]) + time,
    st.integers(1900, 2099),
    st.integers(1, 12),
    st.integers(1, 28),
    st.sampled_from(
        ["{y}-{m:02}-{d:02}", "{d:02}/{m:02}/{y}", "{d:02}.{m:02}.{y}", "{d} {month} {y}", "{month} {d}, {y}"]
    ),
    st.sampled_from(["", " 18:40", "T09:05:33Z", " at 23:59:59"]),
)
_amounts = st.builds(
    lambda cents, form: form(cents // 100, cents % 100),
    st.integers(0, 10**11),
    st.sampled_from(
        [
            lambda units, cents: f"${units:,}.{cents:02}",
            lambda units, cents: f"{units:,}.{cents:02}".replace(",", " ").replace(".", ",").replace(" ", ".") + " €",
            lambda units, cents: f"{units}.{cents:02}",
            lambda units, cents: f"{units}.{cents:02}00 JPY",
            lambda units, cents: f"USD {units:,}",
        ]
    ),
)
_references = st.builds(
    lambda number, form: form.format(number),
    st.integers(1, 10**11 - 1),
    st.sampled_from(["#{}", "order {}", "Order #{}", "order no. {}", "invoice {}", "ref: {}"]),
)
_tracking = st.one_of(
    st.text(st.sampled_from("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"), min_size=16, max_size=16).map(lambda s: f"1Z{s}"),
    st.text(st.sampled_from("0123456789"), min_size=16, max_size=30),
    st.lists(st.text(st.sampled_from("0123456789"), min_size=4, max_size=4), min_size=4, max_size=6).map(" ".join),
)


@settings(max_examples=150, deadline=None)
@given(_embedded(st.one_of(_dates, _amounts, _references, _tracking)))
def test_generated_dates_amounts_references_and_tracking_numbers_are_left_alone(case: tuple[str, str]) -> None:
    _, text = case
    assert redact_text(text) == text


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(sorted(["sku", "tracking_number", "upc", "ean", "gtin", "mpn", "isbn"])),
    st.one_of(_phones(), _tracking, _emails().map(lambda e: e[0])),
)
def test_generated_codes_in_their_own_fields_are_left_alone(key: str, code: str) -> None:
    assert redact({key: code}) == {key: code}
