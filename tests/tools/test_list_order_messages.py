"""list_order_messages: filters as sent upstream, pages, who wrote each message, long text cut."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
import respx

from bigcommerce_orders_mcp.tools.list_order_messages import SUBJECT_LIMIT, TEXT_LIMIT, summarize_message
from tests.calls import call_error, call_ok
from tests.conftest import fixture

pytestmark = pytest.mark.anyio


async def test_list_order_messages(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders/181/messages").respond(json=fixture("order_messages.200.example.json"))
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 181})
    assert data == {
        "messages": [
            {
                "id": 2,
                "date": "2018-09-26T15:52:03Z",
                "staff": "Thank you again!",
                "unread": True,
            }
        ],
    }
    assert dict(route.calls.last.request.url.params) == {"page": "1", "limit": "50"}


async def test_list_order_messages_sends_every_filter(mcp_client: Any, api: respx.MockRouter) -> None:
    route = api.get("/orders/181/messages").respond(204)
    args = {
        "order_id": 181,
        "min_id": 2,
        "max_id": 90,
        "customer_id": 11,
        "min_date_created": "Thu, 20 Apr 2017 11:32:00 -0400",
        "max_date_created": "2017-04-21T11:32:00.000-04:00",
        "is_flagged": True,
        "status": "unread",
        "page": 3,
        "limit": 10,
    }
    data = await call_ok(mcp_client, "list_order_messages", args)
    assert (data["messages"], data["has_more"]) == ([], False)
    assert dict(route.calls.last.request.url.params) == {
        "min_id": "2",
        "max_id": "90",
        "customer_id": "11",
        # Both forms go upstream as the API's own: RFC-2822 in UTC.
        "min_date_created": "Thu, 20 Apr 2017 15:32:00 +0000",
        "max_date_created": "Fri, 21 Apr 2017 15:32:00 +0000",
        "is_flagged": "true",
        "status": "unread",
        "page": "3",
        "limit": "10",
    }


async def test_full_page_says_how_to_get_the_next(mcp_client: Any, api: respx.MockRouter) -> None:
    page = [dict(fixture("order_messages.200.example.json")[0], id=i) for i in range(1, 3)]
    api.get("/orders/181/messages").respond(json=page)
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 181, "limit": 2, "status": "read"})
    assert data["has_more"] is True
    assert data["next_page"] == {"order_id": 181, "status": "read", "page": 2, "limit": 2}


@pytest.mark.parametrize(
    "response", [httpx.Response(204), httpx.Response(200, content=b""), httpx.Response(200, json=[])]
)
async def test_no_messages_is_an_empty_list(mcp_client: Any, api: respx.MockRouter, response: httpx.Response) -> None:
    api.get("/orders/100/messages").mock(return_value=response)
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 100})
    assert data["messages"] == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"order_id": 1, "limit": 0}, "'limit' must be greater than or equal to 1"),
        ({"order_id": 1, "limit": 251}, "'limit' must be less than or equal to 250"),
        ({"order_id": 1, "page": 0}, "'page' must be greater than or equal to 1"),
        ({"order_id": 1, "status": "new"}, "'status' must be 'read' or 'unread'"),
        ({"order_id": 1, "min_date_created": "yesterday"}, "'min_date_created' must be an RFC-2822 date"),
        ({"order_id": 1, "min_id": 9, "max_id": 3}, "min_id (9) must not be greater than max_id (3)"),
        (
            {"order_id": 1, "min_date_created": "2024-02-01", "max_date_created": "2024-01-01"},
            "min_date_created must not be after max_date_created",
        ),
        ({"order_id": 1, "is_flagged": "maybe"}, "'is_flagged' must be true or false"),
        ({"order_id": 1, "flagged": True}, "unknown argument 'flagged'"),
    ],
)
async def test_list_order_messages_bad_arguments(
    mcp_client: Any, api: respx.MockRouter, args: dict[str, Any], expected: str
) -> None:
    text = await call_error(mcp_client, "list_order_messages", args)
    assert expected in text
    assert not api.calls


async def test_messages_of_a_missing_order(mcp_client: Any, api: respx.MockRouter) -> None:
    api.get("/orders/404/messages").respond(404, json=fixture("error.404.example_404_Resp.json"))
    assert "Order 404 was not found" in await call_error(mcp_client, "list_order_messages", {"order_id": 404})


async def test_one_customer_is_named_once_per_page(mcp_client: Any, api: respx.MockRouter) -> None:
    jane = {"first_name": "Jane", "last_name": "Doe"}
    base = {"order_id": 7, "staff_id": 0, "type": "customer", "status": "read", "is_flagged": False}
    page = [
        {**base, "id": 1, "message": "Hello?", "customer": jane, "date_created": "Wed, 26 Sep 2018 15:52:03 +0000"},
        {**base, "id": 2, "message": "Hi Jane", "type": "admin", "staff_id": 3, "customer": {}},
        {**base, "id": 3, "message": "Thanks", "customer": jane, "status": "unread", "is_flagged": True},
    ]
    api.get("/orders/7/messages").respond(json=page)
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 7})
    assert data["customer_name"] == "Jane Doe"
    assert [m.get("customer_name") for m in data["messages"]] == [None, None, None]
    assert [m.get("customer") or m.get("staff") for m in data["messages"]] == ["Hello?", "Hi Jane", "Thanks"]
    assert [sorted({"customer", "staff"} & set(m)) for m in data["messages"]] == [["customer"], ["staff"], ["customer"]]
    assert data["messages"][2] == {"id": 3, "customer": "Thanks", "unread": True, "flagged": True}


async def test_each_message_names_its_customer_when_several_write(mcp_client: Any, api: respx.MockRouter) -> None:
    base = {"order_id": 7, "type": "customer", "status": "read"}
    page = [
        {**base, "id": 1, "message": "Is it shipped?", "customer": {"first_name": "Jane", "last_name": "Doe"}},
        {**base, "id": 2, "message": "And the gift wrap?", "customer": {"email": "sam@example.com"}},
        {**base, "id": 3, "message": "Sent today.", "type": "admin", "staff_id": 3},
    ]
    api.get("/orders/7/messages").respond(json=page)
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 7})
    assert "customer_name" not in data
    assert data["messages"] == [
        {"id": 1, "customer_name": "Jane Doe", "customer": "Is it shipped?"},
        {"id": 2, "customer_name": "sam@example.com", "customer": "And the gift wrap?"},
        {"id": 3, "staff": "Sent today."},
    ]


async def test_a_reply_leaves_out_the_subject_of_the_message_before_it(mcp_client: Any, api: respx.MockRouter) -> None:
    subjects = ["Where is my parcel?", "Re: Where is my parcel?", "RE:  where is my parcel?", "Gift wrap", None]
    subjects += ["Re: Where is my parcel?", "Fwd: Re: Where is my parcel?"]
    page = [
        {"id": i, "type": "customer", "subject": subject, "message": f"m{i}", "status": "read",
         "date_created": f"Wed, 26 Sep 2018 15:52:0{i} +0000"}
        for i, subject in enumerate(subjects)
    ]  # fmt: skip
    api.get("/orders/7/messages").respond(json=page[::-1])
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 7})
    shown = [message.get("subject") for message in data["messages"]]
    assert shown == ["Where is my parcel?", None, None, "Gift wrap", None, "Re: Where is my parcel?", None]


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
    ("subject", "kept"),
    [("Order #181", False), ("Re: Order #181", False), ("RE: re: order 181", False), ("Fwd: Order #181", False),
     ("Order #1812", True), ("Where is order #181?", True), ("Re: Order #181 - damaged", True)],
)  # fmt: skip
def test_subjects_that_only_restate_the_order_are_left_out(subject: str, kept: bool) -> None:
    message = {"id": 1, "type": "customer", "subject": subject, "message": "hi"}
    assert ("subject" in summarize_message(message, 181).to_json_dict()) is kept


@pytest.mark.parametrize("kind", ["Customer", "CUSTOMER", " customer "])
def test_the_sender_type_is_matched_whatever_its_case(kind: str) -> None:
    message = {"id": 1, "type": kind, "staff_id": 4, "message": "hi", "status": "read"}
    data = summarize_message(message).to_json_dict()
    assert data["customer"] == "hi"
    assert "staff" not in data
    assert "unread" not in data


def message(n: int, **fields: Any) -> dict[str, Any]:
    return {"id": n, "order_id": 7, "type": "customer", "message": f"message {n}", **fields}


def test_long_message_text_and_subject_are_cut_with_where_to_read_them() -> None:
    text = "Dear shop, " + "the kettle leaks. " * 300_000 + "Please refund order 7."
    started = time.perf_counter()
    got = summarize_message(message(1, message=text, subject="Kettle " * 1000)).to_json_dict()
    assert time.perf_counter() - started < 1
    assert len(got["customer"]) < TEXT_LIMIT + 120
    assert got["customer"].startswith("Dear shop, the kettle leaks.")
    assert got["customer"].endswith("Please refund order 7.")
    assert "the whole message is in the BigCommerce control panel" in got["customer"]
    assert len(got["subject"]) < SUBJECT_LIMIT + 120
    assert "characters cut here" in got["subject"]


def test_a_real_long_email_is_not_cut() -> None:
    email = "Hello,\n\n" + "I ordered the kettle last week and it arrived with a dent in the lid. " * 40
    assert summarize_message(message(1, message=email)).customer == email.strip()


# ------------------------------------------------------------------------------ issue 18: identity, bounds


def spec_message(n: int, **fields: Any) -> dict[str, Any]:
    return {**fixture("order_messages.200.example.json")[0], "id": n, **fields}


@pytest.mark.parametrize(
    ("body", "args", "expected"),
    [
        (
            [spec_message(1), spec_message(2, order_id=4)],
            {"order_id": 181},
            "Asked for the messages of order 181, BigCommerce answered with a message of order 4; retry later.",
        ),
        (
            [spec_message(3, order_id="181/../9")],
            {"order_id": 181},
            'Asked for the messages of order 181, BigCommerce answered with a message of order "181/../9"; '
            "retry later.",
        ),
        (
            [spec_message(40), spec_message(7)],
            {"order_id": 181, "min_id": 20, "max_id": 60},
            "Asked for messages with min_id 20 and max_id 60, BigCommerce answered with one with id 7; retry later.",
        ),
    ],
    ids=["another order", "an order id that is not one", "outside the id range"],
)
async def test_a_page_about_something_else_is_an_invalid_response(
    mcp_client: Any, api: respx.MockRouter, body: list[dict[str, Any]], args: dict[str, Any], expected: str
) -> None:
    api.get("/orders/181/messages").respond(json=body)
    result = await mcp_client.call_tool("list_order_messages", args)
    assert await call_error(mcp_client, "list_order_messages", args) == expected
    assert result.structured_content["error"]["type"] == "invalid_response"


async def test_a_page_of_the_longest_messages_is_bounded_and_says_what_was_cut(
    mcp_client: Any, api: respx.MockRouter
) -> None:
    page = [spec_message(n, message="\u00e9" * 2 * TEXT_LIMIT, subject=f"Subject {n} " * 100) for n in range(1, 251)]
    api.get("/orders/181/messages").respond(json=page)
    result = await mcp_client.call_tool("list_order_messages", {"order_id": 181, "limit": 250})
    data = await call_ok(mcp_client, "list_order_messages", {"order_id": 181, "limit": 250})
    assert len(result.content[0].text.encode()) <= 256 * 1024
    kept = len(data["messages"])
    assert 10 < kept < 250
    assert data["cut"] == [
        f"messages: […{250 - kept} of 250 entries cut here; call again with a smaller limit (a result is at most "
        "256 KB)]"
    ]
