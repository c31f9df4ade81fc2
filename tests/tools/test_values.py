"""Reading BigCommerce's loose values: money, dates, numbers, text cleaned and cut; absurd values end
fast as absent ones in every summariser, never as a stalled event loop."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from bigcommerce_orders_mcp.tools.base import compact_json
from bigcommerce_orders_mcp.tools.get_order import summarize_order
from bigcommerce_orders_mcp.tools.list_order_messages import TEXT_LIMIT, oldest_first, summarize_message
from bigcommerce_orders_mcp.tools.list_order_shipments import summarize_shipment
from bigcommerce_orders_mcp.tools.list_orders import summarize_row
from bigcommerce_orders_mcp.tools.values import (
    as_int,
    clean_text,
    cut,
    decimal_or_none,
    iso_date,
    json_number,
    money,
    strip_all_hidden,
    strip_hidden,
)
from tests.tools.conftest import absurd_order, dumped, finishes


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
        ("not a date", None),
    ],
)
def test_iso_date(value: Any, expected: str | None) -> None:
    assert iso_date(value) == expected


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


GRAPHEMES = st.sampled_from(
    ["a", "é", "e\u0301", "👩\u200d👩\u200d👦", "🇩🇪", "👍🏽", "क्‍ष", "한", "\u1100\u1161", " ", "\n"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(GRAPHEMES, min_size=1, max_size=400), st.integers(min_value=10, max_value=300))
def test_a_cut_never_splits_a_grapheme(parts: list[str], limit: int) -> None:
    text = "".join(parts)
    result = cut(text, limit, "ask")
    assert result is not None
    if result == text:
        return
    start, _, rest = result.partition(" […")
    end = rest.partition("; ask] ")[2]
    graphemes = regex.findall(r"\X", text)
    head, tail = regex.findall(r"\X", start), regex.findall(r"\X", end)
    assert text.startswith(start)
    assert head == graphemes[: len(head)]
    assert text.endswith(end)
    assert tail == graphemes[len(graphemes) - len(tail) :]


@pytest.mark.parametrize(
    "text",
    [
        "می\u200cخواهم",  # Persian: ZWNJ between letters
        "क्\u200dष",  # Devanagari: ZWJ in a conjunct
        "👩\u200d👩\u200d👧\u200d👦",  # an emoji family
        "🏳\ufe0f\u200d🌈",  # variation selector and joiner
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # the flag of Scotland: tag characters
    ],
)
def test_cleaning_keeps_what_words_and_emoji_need(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pay\u202eNOW\u202c", "payNOW"),  # bidirectional override
        ("ref\u200bund", "refund"),  # zero-width space
        ("\u200dhello\u200c", "hello"),  # joiners at the edges join nothing
        ("a \u200d b", "a  b"),  # nor next to spaces
        ("ok\U000e0049\U000e0047\U000e004e", "ok"),  # tag characters spelling hidden text
        ("x\ufe0f\ufe0f\ufe0f\ufe0f", "x\ufe0f"),  # a run of variation selectors smuggles data
        ("line\u2028break", "line\nbreak"),
        ("\x1b[31mred\x1b[0m", "red"),
    ],
)
def test_cleaning_removes_what_hides_or_reorders_text(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_minus_zero_zero_zero_zero_is_utc() -> None:
    assert iso_date("Wed, 26 Sep 2018 15:52:03 -0000") == "2018-09-26T15:52:03Z"


ABSURD_NUMBERS = [
    "1e1000000",
    "1e99999999",
    "-1e99999999",
    "1e-99999999",
    "9" * 29,
    "12345678901234567890123456789.5",
    "1" * 4301,
    int("1" * 4300),
    "NaN",
    "-Infinity",
    "Infinity",
    "sNaN",
    float("inf"),
    float("nan"),
    1e308,
]
ABSURD_DATES = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:30:00+01:00",
    "9999-12-31T23:59:59-14:00",
    "Fri, 31 Dec 9999 23:59:59 -1400",
    "Mon, 01 Jan 0001 00:00:00 +1400",
    "9999-12-31T23:59:59",
    "Tue, 05 Mar 2019 21:40:11 +0000" + " " * 10_000,
    "2019-03-05" * 5000,
]


@pytest.mark.parametrize("value", ABSURD_NUMBERS, ids=lambda v: repr(v)[:20])
def test_absurd_numbers_are_dropped_by_every_summariser(value: Any) -> None:
    text = finishes(lambda: dumped(summarize_order(absurd_order(value))))
    assert isinstance(text, str)
    assert "totals" not in json.loads(text)
    row = finishes(lambda: summarize_row(absurd_order(value)).to_json_dict())
    assert set(row) == {"id", "status", "customer", "currency"}
    message = {"id": value, "order_id": value, "staff_id": value, "customer_id": value, "message": "Hi"}
    assert finishes(lambda: summarize_message(message).to_json_dict()) == {"customer": "Hi"}
    shipment = {"id": value, "items": [{"order_product_id": value, "product_id": value, "quantity": value}]}
    assert finishes(lambda: summarize_shipment(shipment, {}).to_json_dict()) == {"items": [{}]}


@pytest.mark.parametrize("value", ABSURD_NUMBERS, ids=lambda v: repr(v)[:20])
def test_absurd_numbers_are_not_numbers(value: Any) -> None:
    assert finishes(lambda: (as_int(value), decimal_or_none(value), money(value, "USD"))) == (None, None, None)


@pytest.mark.parametrize("date", ABSURD_DATES, ids=lambda v: repr(v)[:30])
def test_dates_at_the_year_limits_end_fast(date: str) -> None:
    data = json.loads(str(finishes(lambda: dumped(summarize_order(absurd_order("1", date=date))))))
    assert len(data.get("created", "")) < 30
    message = {"id": 1, "date_created": date, "message": "Hi"}
    finishes(lambda: (summarize_message(message), oldest_first(message)))
    finishes(lambda: summarize_row({"id": 1, "date_created": date}))
    finishes(lambda: summarize_shipment({"id": 1, "date_created": date}, {}))


def test_dates_beyond_utc_are_dropped_and_near_the_limits_are_kept() -> None:
    assert iso_date("9999-12-31T23:59:59-14:00") is None
    assert iso_date("0001-01-01T00:00:00+14:00") is None
    assert iso_date("9999-12-31T09:00:00-14:00") == "9999-12-31T23:00:00Z"
    assert iso_date("not a date \u202e") is None


def test_real_amounts_and_counts_still_read() -> None:
    assert money("123456789012.3456", "USD") == Decimal("123456789012.35")
    assert money(8.5, "JPY") == 9
    assert as_int("12.0000") == 12
    assert as_int(2147483647) == 2147483647


def test_cut_stays_fast_and_grapheme_safe_on_five_megabytes() -> None:
    for text in ["a" * 5_000_000, "漢" * 5_000_000, "🇩🇪" * 2_500_000, "👩\u200d👩\u200d👧" * 1_000_000]:
        started = time.perf_counter()
        got = cut(text, TEXT_LIMIT, "see the control panel")
        assert time.perf_counter() - started < 1
        assert got is not None
        head, _, tail = got.partition(" […")
        assert text.startswith(head)
        assert text.endswith(tail.partition("] ")[2])
    flags = cut("x" * 5001 + "🇩🇪" * 3000, TEXT_LIMIT, "z")
    assert flags is not None
    assert flags.endswith("🇩🇪" * 10)


# ------------------------------------------------------------------------------ issue 18: typed values, links

# The module, not its names: a reader missing on older code fails its test, not the whole file's collection.
from bigcommerce_orders_mcp.tools import values  # noqa: E402


@pytest.mark.parametrize(
    "text",
    [
        "now",
        "31/12/2024",
        "0000-00-00T00:00:00",
        "2024-02-30 10:00:00",
        "1969-12-31T23:59:59Z",
        "Wed, 31 Dec 1969 18:59:59 -0500",
        "0001-01-01",
    ],
)
def test_text_that_is_no_real_date_since_1970_is_left_out(text: str) -> None:
    assert iso_date(text) is None


def test_real_dates_from_1970_still_read() -> None:
    assert iso_date("Thu, 01 Jan 1970 00:00:00 +0000") == "1970-01-01T00:00:00Z"
    assert iso_date("2024-02-29T12:00:00") == "2024-02-29T12:00:00"


@pytest.mark.parametrize(
    "code", ["<b>EU</b>", "usd", "US$", "EURO", "€", "U S D", "ＵＳＤ", "E" * 10_000, 840, ["USD"], {"code": "USD"}]
)
def test_a_currency_that_is_no_iso_4217_code_is_left_out(code: Any) -> None:
    assert values.order_currency({"default_currency_code": code, "currency_code": "EUR"}) is None
    assert values.currency_code(code) is None


def test_iso_4217_codes_still_read() -> None:
    assert values.order_currency({"default_currency_code": " GBP ", "currency_code": "EUR"}) == "GBP"
    assert values.order_currency({"currency_code": "JPY"}) == "JPY"


@pytest.mark.parametrize("value", [0, -1, "-7", "0", 2**31, "12.5", 3.25, True, "1e3x"])
def test_an_id_is_a_positive_integer_up_to_2_31_minus_1(value: Any) -> None:
    assert values.as_id(value) is None


def test_ids_and_counts_still_read() -> None:
    assert (values.as_id("218"), values.as_id(2**31 - 1), values.as_id(12.0)) == (218, 2**31 - 1, 12)
    assert (values.as_count(0), values.as_count("3"), values.as_count(-3), values.as_count("2.5")) == (0, 3, None, None)
    assert as_int("12.5") is None


@pytest.mark.parametrize(
    ("value", "unreadable"),
    [
        *[("12,50", True), ("$5", True), ("1e999", True), ("n/a", True), ([], True), ("", False), (None, False)],
        *[("0.0000", False), ("8", False), (8.5, False), (" 69.84 ", False)],
    ],
)
def test_an_amount_given_but_not_read_is_unreadable(value: Any, unreadable: bool) -> None:
    assert values.unreadable_money(value, "USD") is unreadable


@pytest.mark.parametrize(
    "link",
    [
        "\x01JavaScript:alert(document.domain)",
        "\u202ejavascript:alert(1)",
        "data:,hello",
        "file://c:/windows",
        "vbscript:x",
        "about:blank",
        "blob:https://a.example/1",
        "mailto:track@carrier.example",
        "http://",
        "https://:443/x",
        "https://" + "t" * 2100 + ".example",
        "https://carrier.example/\n/x",
        None,
        42,
    ],
)
def test_a_link_is_an_http_url_with_a_host_of_bounded_length(link: Any) -> None:
    assert values.http_link(link) is None


@pytest.mark.parametrize(
    "link",
    [
        "https://www.fedex.com/fedextrack/?trknbr=794698765432",
        " HTTP://Carrier.Example/t?n=1 ",
        "http://10.0.0.1:8080/t",
    ],
)
def test_real_tracking_links_still_pass(link: str) -> None:
    assert values.http_link(link) == link.strip()


def test_a_form_of_thousands_of_fields_is_bounded_with_the_marker_in_place() -> None:
    fields = [{"name": f"Field {n}", "value": f"value {n}"} for n in range(5000)]
    out = values.form_fields(fields, 'call get_order with detail="full" for them all')
    assert out is not None
    assert len(out) == values.FORM_FIELDS_LIMIT + 1
    assert out["…"] == '[…4950 of 5000 fields cut here; call get_order with detail="full" for them all]'
